//! A hand-made future: one task waits until another sets a flag. It keeps
//! the waiting task's `Waker` and wakes it when the flag is set.

use crate::sync::Mutex;
use crate::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

// ANCHOR: signal
/// A flag one thread sets and another awaits.
#[derive(Default)]
pub struct Signal {
    set: AtomicBool,
    waker: Mutex<Option<Waker>>,
}

impl Signal {
    /// Sets the flag and wakes the task waiting for it, if any.
    pub fn set(&self) {
        self.set.store(true, SeqCst);
        if let Some(waker) = self.waker.lock().unwrap().take() {
            waker.wake();
        }
    }

    /// A future that is ready once the flag is set.
    pub fn wait(&self, racy: bool) -> Wait<'_> {
        Wait { signal: self, racy }
    }
}

/// The future [`Signal::wait`] returns.
pub struct Wait<'a> {
    signal: &'a Signal,
    racy: bool,
}

impl Future for Wait<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.signal.set.load(SeqCst) {
            return Poll::Ready(());
        }
        *self.signal.waker.lock().unwrap() = Some(cx.waker().clone());
        // The fix: look again after the waker is stored. Without this, a
        // `set` between the load above and the store of the waker finds
        // no waker, and nobody wakes this task again.
        if !self.racy && self.signal.set.load(SeqCst) {
            return Poll::Ready(());
        }
        Poll::Pending
    }
}
// ANCHOR_END: signal
