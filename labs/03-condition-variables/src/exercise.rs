//! The exercise: a mailbox with one slot, a queue of capacity 1, built
//! with `if`. Make it correct. Check your answer with
//! `cargo xtask exercise 03`.

use super::sync::{Condvar, Mutex};

// ANCHOR: starter
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

    fn push(&self, letter: u32) {
        let mut slot = self.slot.lock().unwrap();
        // TODO: when `wait` returns, is the slot really empty?
        if slot.is_some() {
            slot = self.changed.wait(slot).unwrap();
        }
        *slot = Some(letter);
        self.changed.notify_all();
    }

    fn pop(&self) -> u32 {
        let mut slot = self.slot.lock().unwrap();
        // TODO: and here, is there really a letter?
        if slot.is_none() {
            slot = self.changed.wait(slot).unwrap();
        }
        let letter = slot.take().expect("took a letter from an empty mailbox");
        self.changed.notify_all();
        letter
    }

    fn len(&self) -> usize {
        usize::from(self.slot.lock().unwrap().is_some())
    }
}
// ANCHOR_END: starter
