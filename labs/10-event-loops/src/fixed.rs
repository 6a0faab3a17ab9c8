//! The fix: leave the waker first, then check again.

use super::sync::Mutex;
use super::sync::atomic::{AtomicBool, Ordering};
use crate::Registered;
use std::task::{Context, Poll};

// ANCHOR: register_then_check
/// An event that is registered for, then checked: the pattern of
/// `AtomicWaker` (in the `futures` crate), lock-free there.
pub struct RegisterThenCheck {
    happened: AtomicBool,
    waiting: Mutex<Registered>,
}

impl crate::Event for RegisterThenCheck {
    fn new() -> Self {
        Self {
            happened: AtomicBool::new(false),
            waiting: Mutex::new(Registered(None)),
        }
    }

    fn set(&self) {
        self.happened.store(true, Ordering::Release); // first the event...
        if let Some(waker) = self.waiting.lock().unwrap().0.take() {
            waker.wake(); // ...then whoever registered before we looked
        }
    }

    fn poll_wait(&self, cx: &mut Context<'_>) -> Poll<()> {
        // Register first: from here on, a `set` finds this waker...
        self.waiting.lock().unwrap().0 = Some(cx.waker().clone());
        // ...and a `set` that came before is seen by this check.
        if self.happened.load(Ordering::Acquire) {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}
// ANCHOR_END: register_then_check
