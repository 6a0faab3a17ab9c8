//! The exercise's reference solution. Try `exercise.rs` first!

// Chapter 4 teaches `unsafe`: loom checks every access through the cell.
#![allow(unsafe_code, reason = "chapter 4 shows unsafe code loom checks")]

use super::sync::Mutex;
use super::sync::atomic::{AtomicBool, Ordering};
use super::sync::cell::UnsafeCell;

/// A value computed once, on first use, with double-checked locking.
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

    // ANCHOR: solution
    fn get_or_init(&self, init: impl FnOnce() -> u64) -> u64 {
        // Acquire: if `ready` is up, the write of `value` is visible here.
        if !self.ready.load(Ordering::Acquire) {
            let _only_initialiser = self.init_lock.lock().unwrap();
            // Relaxed would do here (the lock orders initialisers), but
            // Acquire keeps the rule simple: every load of `ready` acquires.
            if !self.ready.load(Ordering::Acquire) {
                let value = init();
                // SAFETY: we hold the lock and `ready` is down, so no other
                // thread writes `value`, and none reads it until it Acquires
                // the `true` we Release below.
                self.value.with_mut(|slot| unsafe { *slot = value });
                // Release: publishes the write above with the flag.
                self.ready.store(true, Ordering::Release);
            }
        }
        // SAFETY: we saw `ready` up with Acquire (or raised it ourselves),
        // so the one write to `value` happened before this read.
        self.value.with(|slot| unsafe { *slot })
    }
    // ANCHOR_END: solution
}

// SAFETY: the one write to `value` happens before `ready` is released, and
// every read happens after `ready` is acquired.
unsafe impl Sync for DoubleChecked {}
