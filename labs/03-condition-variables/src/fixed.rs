//! The fix: wait in a loop until the condition holds, and change the state
//! under the lock before notifying (under it, as here, or just after it).

use super::sync::{Condvar, Mutex, Named};
use std::collections::VecDeque;

/// A bounded queue whose threads wait correctly.
pub struct BoundedQueue {
    items: Mutex<VecDeque<u32>>,
    not_empty: Condvar,
    not_full: Condvar,
    capacity: usize,
}

impl crate::Queue for BoundedQueue {
    fn with_capacity(capacity: usize) -> Self {
        Self {
            items: Mutex::new(VecDeque::with_capacity(capacity)),
            not_empty: Condvar::new().named("not_empty"),
            not_full: Condvar::new().named("not_full"),
            capacity,
        }
    }

    // ANCHOR: push
    fn push(&self, item: u32) {
        let mut items = self.items.lock().unwrap();
        while items.len() == self.capacity {
            items = self.not_full.wait(items).unwrap(); // check again on waking
        }
        items.push_back(item); // change the state first...
        self.not_empty.notify_one(); // ...then say so (here, still under the lock)
    }
    // ANCHOR_END: push

    // ANCHOR: pop
    fn pop(&self) -> u32 {
        let mut items = self.items.lock().unwrap();
        while items.is_empty() {
            items = self.not_empty.wait(items).unwrap(); // check again on waking
        }
        let item = items.pop_front().expect("the loop waited for an item");
        self.not_full.notify_one();
        item
    }
    // ANCHOR_END: pop

    fn len(&self) -> usize {
        self.items.lock().unwrap().len()
    }
}
