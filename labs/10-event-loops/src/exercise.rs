//! The exercise: an async one-shot channel that never loses its wakeup.
//! Check your answer with `cargo xtask exercise 10`.

use super::sync::Mutex;
use crate::Registered;
use std::task::{Context, Poll};

// ANCHOR: starter
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

    fn poll_recv(&self, cx: &mut Context<'_>) -> Poll<u64> {
        if let Some(value) = self.value.lock().unwrap().take() {
            return Poll::Ready(value);
        }
        // TODO: a `send` can come between the check above and this line.
        self.waiting.lock().unwrap().0 = Some(cx.waker().clone());
        Poll::Pending
    }
}
// ANCHOR_END: starter
