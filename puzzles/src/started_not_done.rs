//! Level 3: started is not done.
//!
//! A value computed once, on first use: the first caller to swap a
//! `started` flag from false to true computes the value and stores it
//! (behind a mutex: think of a large value, a configuration, a table);
//! everyone else reads it. But "someone has started" is not "the value is
//! ready": a second caller can arrive while the first is still computing.

use crate::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use crate::sync::{Arc, Mutex, Named, thread};

/// The value the first caller computes.
pub const ANSWER: u64 = 42;

/// A value computed once, on first use, for the level's model.
pub trait Once: Send + Sync + 'static {
    /// Not yet computed.
    fn new() -> Self;
    /// The value: computed by the first caller, with `compute`, and read
    /// by the others.
    fn get(&self, compute: impl Fn() -> u64) -> u64;
}

/// The puzzle: the first to swap `started` computes; the others read.
// ANCHOR: racy
pub struct StartedFlag {
    started: AtomicBool,
    value: Mutex<u64>,
}

impl Once for StartedFlag {
    fn new() -> Self {
        Self {
            started: AtomicBool::new(false).named("started"),
            value: Mutex::new(0).named("value"),
        }
    }

    fn get(&self, compute: impl Fn() -> u64) -> u64 {
        if !self.started.swap(true, Ordering::AcqRel) {
            *self.value.lock().unwrap() = compute();
        }
        *self.value.lock().unwrap() // someone has: read it
    }
}
// ANCHOR_END: racy

// ANCHOR: fixed
/// The fix: a second flag, `done`, raised once the value is written; the
/// others wait for it. (std's `OnceLock` does this, and puts the waiting
/// threads to sleep instead of spinning.)
pub struct StartedThenDone {
    started: AtomicBool,
    done: AtomicBool,
    value: Mutex<u64>,
}

impl Once for StartedThenDone {
    fn new() -> Self {
        Self {
            started: AtomicBool::new(false).named("started"),
            done: AtomicBool::new(false).named("done"),
            value: Mutex::new(0).named("value"),
        }
    }

    fn get(&self, compute: impl Fn() -> u64) -> u64 {
        if !self.started.swap(true, Ordering::AcqRel) {
            *self.value.lock().unwrap() = compute();
            self.done.store(true, Ordering::Release); // ready now
        } else {
            while !self.done.load(Ordering::Acquire) {
                thread::yield_now(); // started, not done: wait
            }
        }
        *self.value.lock().unwrap()
    }
}
// ANCHOR_END: fixed
// ANCHOR: bound
/// Bound: two callers, one to start and one to arrive meanwhile; loom
/// explores every interleaving of the two.
// ANCHOR_END: bound
// ANCHOR: model
/// Main and one spawned thread both ask for the value. Each must get
/// [`ANSWER`], computed once.
pub fn two_callers<O: Once>() {
    let once = Arc::new(O::new());
    let computed = Arc::new(AtomicUsize::new(0).named("computed"));
    let other = {
        let (once, computed) = (Arc::clone(&once), Arc::clone(&computed));
        thread::spawn(move || once.get(|| compute(&computed)))
    };
    let mine = once.get(|| compute(&computed));
    let theirs = other.join().unwrap();
    let times = computed.load(Ordering::Relaxed);
    harness::outcome(format!("main got {mine}, thread 1 got {theirs}"));
    harness::require!(
        mine == ANSWER && theirs == ANSWER,
        "the value is {ANSWER}, but main got {mine} and thread 1 got {theirs}"
    );
    harness::require!(times == 1, "the value was computed {times} times");
}

/// Computes the value: counted, so that the model sees a second computation.
fn compute(computed: &AtomicUsize) -> u64 {
    computed.fetch_add(1, Ordering::Relaxed);
    ANSWER
}
// ANCHOR_END: model

// ANCHOR: wrong_fix
/// A wrong fix: raise `started` only once the value is written, so that
/// `started` means done. But two callers can now both find it false, and
/// both compute.
pub struct MarkWhenDone {
    started: AtomicBool,
    value: Mutex<u64>,
}

impl Once for MarkWhenDone {
    fn new() -> Self {
        Self {
            started: AtomicBool::new(false).named("started"),
            value: Mutex::new(0).named("value"),
        }
    }

    fn get(&self, compute: impl Fn() -> u64) -> u64 {
        if !self.started.load(Ordering::Acquire) {
            *self.value.lock().unwrap() = compute();
            self.started.store(true, Ordering::Release); // "started" now means done
        }
        *self.value.lock().unwrap()
    }
}
// ANCHOR_END: wrong_fix

/// Another wrong fix, for the tests: the fix, with `done` raised before
/// the value is written.
pub struct DoneTooEarly {
    started: AtomicBool,
    done: AtomicBool,
    value: Mutex<u64>,
}

impl Once for DoneTooEarly {
    fn new() -> Self {
        Self {
            started: AtomicBool::new(false).named("started"),
            done: AtomicBool::new(false).named("done"),
            value: Mutex::new(0).named("value"),
        }
    }

    fn get(&self, compute: impl Fn() -> u64) -> u64 {
        if !self.started.swap(true, Ordering::AcqRel) {
            self.done.store(true, Ordering::Release); // too early
            *self.value.lock().unwrap() = compute();
        } else {
            while !self.done.load(Ordering::Acquire) {
                thread::yield_now();
            }
        }
        *self.value.lock().unwrap()
    }
}

/// A second model, for the tests: one caller alone must get the value,
/// computed once. (With two callers, a `get` whose first caller waits for
/// another to compute passes the level's model; alone, it waits forever.)
pub fn one_caller<O: Once>() {
    let once = O::new();
    let computed = AtomicUsize::new(0).named("computed");
    let value = once.get(|| compute(&computed));
    harness::require!(value == ANSWER, "the caller got {value}");
    let times = computed.load(Ordering::Relaxed);
    harness::require!(times == 1, "the value was computed {times} times");
}
