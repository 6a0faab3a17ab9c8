//! The exercise: make this double-checked lazy initialisation correct by
//! choosing its orderings. Check your answer with `cargo xtask exercise 04`.

// Chapter 4 teaches `unsafe`: loom checks every access through the cell.
#![allow(unsafe_code, reason = "chapter 4 shows unsafe code loom checks")]

use super::sync::Mutex;
use super::sync::atomic::{AtomicBool, Ordering};
use super::sync::cell::UnsafeCell;

// ANCHOR: starter
/// A value computed once, on first use: check a flag without the lock (the
/// fast path every later call takes), and only if it is down take the lock
/// and check again (another thread may have got there first).
pub struct DoubleChecked {
    ready: AtomicBool,
    init_lock: Mutex<()>,
    value: UnsafeCell<u64>,
}

impl crate::LazyValue for DoubleChecked {
    fn new() -> Self {
        Self {
            ready: AtomicBool::new(false),
            init_lock: Mutex::new(()),
            value: UnsafeCell::new(0),
        }
    }

    fn get_or_init(&self, init: impl FnOnce() -> u64) -> u64 {
        // TODO: these orderings let a thread see `ready` up and still read
        // `value` before the write that set it. Choose the right ones.
        if !self.ready.load(Ordering::Relaxed) {
            let _only_initialiser = self.init_lock.lock().unwrap();
            if !self.ready.load(Ordering::Relaxed) {
                let value = init();
                // SAFETY: we hold the lock and `ready` is down, so no other
                // thread writes `value` or (if `ready` works) reads it.
                self.value.with_mut(|slot| unsafe { *slot = value });
                self.ready.store(true, Ordering::Relaxed);
            }
        }
        // SAFETY: `ready` is up, so `value` was written and never changes
        // again... if `ready` carries that write to this thread.
        self.value.with(|slot| unsafe { *slot })
    }
}

// SAFETY: the one write to `value` happens under the lock before `ready` is
// raised, and reads happen after `ready` is seen up.
unsafe impl Sync for DoubleChecked {}
// ANCHOR_END: starter
