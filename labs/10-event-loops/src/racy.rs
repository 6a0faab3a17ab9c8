//! The bug: a task checks whether its event happened, and only then leaves
//! its waker. An event that happens in between finds no waker to call.

use super::sync::atomic::{AtomicBool, Ordering};
use super::sync::{Mutex, Named};
use crate::Registered;
use std::task::{Context, Poll};

// ANCHOR: check_then_register
/// An event that is checked, then registered for.
pub struct CheckThenRegister {
    happened: AtomicBool,
    waiting: Mutex<Registered>,
}

impl crate::Event for CheckThenRegister {
    fn new() -> Self {
        Self {
            happened: AtomicBool::new(false),
            waiting: Mutex::new(Registered(None)).named("waker slot"),
        }
    }

    fn set(&self) {
        self.happened.store(true, Ordering::Release);
        if let Some(waker) = self.waiting.lock().unwrap().0.take() {
            waker.wake(); // the task will be polled again
        }
    }

    fn poll_wait(&self, cx: &mut Context<'_>) -> Poll<()> {
        if self.happened.load(Ordering::Acquire) {
            return Poll::Ready(());
        }
        // `set` can run right here: it finds no waker, and wakes no one...
        self.waiting.lock().unwrap().0 = Some(cx.waker().clone());
        Poll::Pending // ...and this task waits for a wake that never comes.
    }
}
// ANCHOR_END: check_then_register
