//! The exercise's reference solution. Try `exercise.rs` first!

use super::sync::{Condvar, Mutex};

/// A mailbox that holds at most one letter.
pub struct Mailbox {
    slot: Mutex<Option<u32>>,
    changed: Condvar,
}

impl crate::Queue for Mailbox {
    fn with_capacity(_capacity: usize) -> Self {
        Self {
            slot: Mutex::new(None),
            changed: Condvar::new(),
        }
    }

    // ANCHOR: solution
    fn push(&self, letter: u32) {
        let mut slot = self.slot.lock().unwrap();
        while slot.is_some() {
            slot = self.changed.wait(slot).unwrap();
        }
        *slot = Some(letter);
        self.changed.notify_all();
    }

    fn pop(&self) -> u32 {
        let mut slot = self.slot.lock().unwrap();
        while slot.is_none() {
            slot = self.changed.wait(slot).unwrap();
        }
        let letter = slot.take().expect("the loop waited for a letter");
        self.changed.notify_all();
        letter
    }
    // ANCHOR_END: solution

    fn len(&self) -> usize {
        usize::from(self.slot.lock().unwrap().is_some())
    }
}
