//! The exercise's reference solution. Try `exercise.rs` first!

use super::sync::Mutex;
use crate::Registered;
use std::task::{Context, Poll};

/// One value, sent from any thread, awaited by a task.
pub struct OneShotChannel {
    value: Mutex<Option<u64>>,
    waiting: Mutex<Registered>,
}

impl crate::OneShot for OneShotChannel {
    fn new() -> Self {
        Self {
            value: Mutex::new(None),
            waiting: Mutex::new(Registered(None)),
        }
    }

    fn send(&self, value: u64) {
        *self.value.lock().unwrap() = Some(value);
        if let Some(waker) = self.waiting.lock().unwrap().0.take() {
            waker.wake();
        }
    }

    // ANCHOR: solution
    fn poll_recv(&self, cx: &mut Context<'_>) -> Poll<u64> {
        // Register first, then look: a `send` before the look is seen by
        // it, and a `send` after the registration finds the waker.
        self.waiting.lock().unwrap().0 = Some(cx.waker().clone());
        match self.value.lock().unwrap().take() {
            Some(value) => Poll::Ready(value),
            None => Poll::Pending,
        }
    }
    // ANCHOR_END: solution
}
