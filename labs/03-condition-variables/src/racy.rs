//! The bugs: waiting with `if` instead of `while`, and notifying before
//! the change that the notification announces.

use super::sync::{Condvar, Mutex, Named};
use std::collections::VecDeque;

/// A bounded queue: items behind a mutex, and a condition variable for
/// each thing a thread can wait for.
pub struct IfQueue {
    items: Mutex<VecDeque<u32>>,
    not_empty: Condvar,
    not_full: Condvar,
    capacity: usize,
}

impl crate::Queue for IfQueue {
    fn with_capacity(capacity: usize) -> Self {
        Self {
            items: Mutex::new(VecDeque::new()),
            not_empty: Condvar::new().named("not_empty"),
            not_full: Condvar::new().named("not_full"),
            capacity,
        }
    }

    fn push(&self, item: u32) {
        let mut items = self.items.lock().unwrap();
        if items.len() == self.capacity {
            items = self.not_full.wait(items).unwrap();
        }
        items.push_back(item);
        self.not_empty.notify_one();
    }

    // ANCHOR: if_pop
    fn pop(&self) -> u32 {
        let mut items = self.items.lock().unwrap();
        if items.is_empty() {
            // Woken means "the queue was not empty when someone notified",
            // not "it is not empty now": another consumer may have run first.
            items = self.not_empty.wait(items).unwrap();
        }
        let item = items
            .pop_front()
            .expect("a consumer woke up to an empty queue");
        self.not_full.notify_one();
        item
    }
    // ANCHOR_END: if_pop

    fn len(&self) -> usize {
        self.items.lock().unwrap().len()
    }
}

/// A bounded queue whose `push` notifies before it adds the item.
pub struct NotifyFirstQueue {
    items: Mutex<VecDeque<u32>>,
    not_empty: Condvar,
    not_full: Condvar,
    capacity: usize,
}

impl crate::Queue for NotifyFirstQueue {
    fn with_capacity(capacity: usize) -> Self {
        Self {
            items: Mutex::new(VecDeque::new()),
            not_empty: Condvar::new().named("not_empty"),
            not_full: Condvar::new().named("not_full"),
            capacity,
        }
    }

    // ANCHOR: notify_first_push
    fn push(&self, item: u32) {
        // "There is an item": said before it is true, to no one if no
        // consumer waits yet, and never said again once the item is there.
        self.not_empty.notify_one();
        let mut items = self.items.lock().unwrap();
        while items.len() == self.capacity {
            items = self.not_full.wait(items).unwrap();
        }
        items.push_back(item);
    }
    // ANCHOR_END: notify_first_push

    fn pop(&self) -> u32 {
        let mut items = self.items.lock().unwrap();
        while items.is_empty() {
            items = self.not_empty.wait(items).unwrap();
        }
        let item = items.pop_front().expect("the loop waited for an item");
        self.not_full.notify_one();
        item
    }

    fn len(&self) -> usize {
        self.items.lock().unwrap().len()
    }
}
