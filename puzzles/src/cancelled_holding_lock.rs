//! Level 4: a job cancelled while it holds a lock.
//!
//! A hand-made lock: `acquire` waits until it is free and takes it,
//! `release` frees it. A job takes the lock, works in two steps, and
//! checks between them whether it has been cancelled; if so it returns
//! early. The early return skips the `release` at the end.

use crate::sync::atomic::{AtomicBool, Ordering};
use crate::sync::{Arc, Condvar, Mutex, Named, thread};

/// The level's lock: hand-made, with a mutex and a condition variable.
pub struct Lock {
    held: Mutex<bool>,
    freed: Condvar,
}

impl Lock {
    /// A free lock.
    pub fn new() -> Self {
        Self {
            held: Mutex::new(false).named("held"),
            freed: Condvar::new().named("freed"),
        }
    }

    /// Waits until the lock is free, and takes it.
    pub fn acquire(&self) {
        let mut held = self.held.lock().unwrap();
        while *held {
            held = self.freed.wait(held).unwrap();
        }
        *held = true;
    }

    /// Frees the lock.
    pub fn release(&self) {
        *self.held.lock().unwrap() = false;
        self.freed.notify_one();
    }

    /// Whether the lock is taken.
    #[track_caller] // traces show the job's line, not this one
    pub fn is_held(&self) -> bool {
        *self.held.lock().unwrap()
    }
}

/// Half of a job's work, which needs the lock held.
#[track_caller] // traces show the job's line, not this one
fn work(lock: &Lock, half: &str) {
    assert!(lock.is_held(), "{half} of the work ran without the lock");
}

impl Default for Lock {
    fn default() -> Self {
        Self::new()
    }
}

/// A job that runs under the lock, for the level's model.
pub trait Job: Send + Sync + 'static {
    /// Runs under `lock`, unless `cancelled` is set between its steps:
    /// whether it ran to its end.
    fn run(lock: &Lock, cancelled: &AtomicBool) -> bool;
}

/// The puzzle: the early return of a cancelled job skips `release`.
// ANCHOR: racy
pub struct ReleaseAtTheEnd;

impl Job for ReleaseAtTheEnd {
    fn run(lock: &Lock, cancelled: &AtomicBool) -> bool {
        lock.acquire();
        work(lock, "the first half");
        if cancelled.load(Ordering::Acquire) {
            return false; // cancelled: stop here
        }
        work(lock, "the second half");
        lock.release();
        true
    }
}
// ANCHOR_END: racy

// ANCHOR: fixed
/// The fix: hold the lock through a guard whose `Drop` releases it. Every
/// way out of the function, an early return, `?` or a panic, drops the
/// guard. (std's `MutexGuard` is this.)
pub struct ReleaseOnDrop;

/// Holds `Lock` until dropped.
struct Held<'a>(&'a Lock);

impl Drop for Held<'_> {
    fn drop(&mut self) {
        self.0.release();
    }
}

impl Job for ReleaseOnDrop {
    fn run(lock: &Lock, cancelled: &AtomicBool) -> bool {
        lock.acquire();
        let _held = Held(lock);
        work(lock, "the first half");
        if cancelled.load(Ordering::Acquire) {
            return false; // `_held` is dropped here too
        }
        work(lock, "the second half");
        true
    } // ...and here
}
// ANCHOR_END: fixed
// ANCHOR: bound
/// Bound: one job and one cancel; the cancel can land before the job,
/// between its steps or after it, and loom explores every interleaving.
// ANCHOR_END: bound
// ANCHOR: model
/// Main runs a job while a spawned thread cancels it; then main takes the
/// lock for its next job. It must get it, whether the job ran to its end
/// or stopped early; and the job's work must run under the lock.
pub fn cancel_then_lock<J: Job>() {
    let lock = Arc::new(Lock::new());
    let cancelled = Arc::new(AtomicBool::new(false).named("cancelled"));
    let canceller = {
        let cancelled = Arc::clone(&cancelled);
        thread::spawn(move || cancelled.store(true, Ordering::Release))
    };
    let finished = J::run(&lock, &cancelled);
    canceller.join().unwrap();
    lock.acquire(); // the next job: waits for a lock no one will release
    lock.release();
    harness::outcome(format!(
        "the job ran to its end: {finished}; main got the lock again"
    ));
}
// ANCHOR_END: model

// ANCHOR: wrong_fix
/// A wrong fix: the guard of the fix, bound to `_`: level 2's bug. `_`
/// binds nothing, so the guard is dropped, and the lock released, at
/// once, before the work it was to cover.
pub struct GuardBoundToUnderscore;

impl Job for GuardBoundToUnderscore {
    fn run(lock: &Lock, cancelled: &AtomicBool) -> bool {
        lock.acquire();
        let _ = Held(lock); // released here, not at the end
        work(lock, "the first half");
        if cancelled.load(Ordering::Acquire) {
            return false;
        }
        work(lock, "the second half");
        true
    }
}
// ANCHOR_END: wrong_fix

/// A second model, for the tests: a job says how it ended. Never
/// cancelled, it runs to its end; cancelled before it begins, it stops
/// early; either way the lock is free after it. (The level's model only
/// names the job's answer in its outcome.)
pub fn job_says_how_it_ended<J: Job>() {
    let lock = Lock::new();
    let never = AtomicBool::new(false).named("cancelled");
    let finished = J::run(&lock, &never);
    harness::require!(finished, "a job never cancelled said it stopped early");
    let already = AtomicBool::new(true).named("cancelled");
    let finished = J::run(&lock, &already);
    harness::require!(
        !finished,
        "a job cancelled before it began said it ran to its end"
    );
    lock.acquire();
    lock.release();
}
