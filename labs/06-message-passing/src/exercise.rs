//! The exercise: an inbox whose worker sometimes leaves messages unread
//! when it is closed. Make `work` handle every message. Check your answer
//! with `cargo xtask exercise 06`.

use super::sync::{Condvar, Mutex};
use std::collections::VecDeque;

/// The messages and whether the inbox is closed.
#[derive(Default)]
struct Contents {
    messages: VecDeque<u32>,
    closed: bool,
}

/// Shown in traces as `[1, 2] open` or `[] closed`.
impl std::fmt::Debug for Contents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = if self.closed { "closed" } else { "open" };
        write!(f, "{:?} {state}", self.messages)
    }
}

// ANCHOR: starter
/// An inbox that one worker reads until it is closed.
pub struct Inbox {
    contents: Mutex<Contents>,
    changed: Condvar,
}

impl crate::Jobs for Inbox {
    fn new() -> Self {
        Self {
            contents: Mutex::new(Contents::default()),
            changed: Condvar::new(),
        }
    }

    fn send(&self, message: u32) {
        self.contents.lock().unwrap().messages.push_back(message);
        self.changed.notify_one();
    }

    fn stop(&self) {
        self.contents.lock().unwrap().closed = true;
        self.changed.notify_one();
    }

    fn work(&self) -> Vec<u32> {
        let mut read = Vec::new();
        loop {
            let mut contents = self.contents.lock().unwrap();
            while contents.messages.is_empty() && !contents.closed {
                contents = self.changed.wait(contents).unwrap();
            }
            // TODO: closed, yes; but is anything still in the inbox?
            if contents.closed {
                return read;
            }
            read.extend(contents.messages.pop_front());
        }
    }
}
// ANCHOR_END: starter
