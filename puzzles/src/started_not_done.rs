//! Level 3: started is not done.
//!
//! A value computed once, on first use: the first caller to swap a
//! `started` flag from false to true computes the value and stores it
//! (behind a mutex: think of a large value, a configuration, a table);
//! everyone else reads it. But "someone has started" is not "the value is
//! ready": a second caller can arrive while the first is still computing.

use crate::sync::atomic::{AtomicBool, Ordering};
use crate::sync::{Arc, Mutex, Named, thread};

/// The value the first caller computes.
pub const ANSWER: u64 = 42;

/// A value computed once, on first use, for the level's model.
pub trait Once: Send + Sync + 'static {
    /// Not yet computed.
    fn new() -> Self;
    /// The value: computed by the first caller, read by the others.
    fn get(&self) -> u64;
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

    fn get(&self) -> u64 {
        if !self.started.swap(true, Ordering::AcqRel) {
            *self.value.lock().unwrap() = ANSWER; // compute it
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

    fn get(&self) -> u64 {
        if !self.started.swap(true, Ordering::AcqRel) {
            *self.value.lock().unwrap() = ANSWER;
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
/// [`ANSWER`].
pub fn two_callers<O: Once>() {
    let once = Arc::new(O::new());
    let other = {
        let once = Arc::clone(&once);
        thread::spawn(move || once.get())
    };
    let mine = once.get();
    let theirs = other.join().unwrap();
    harness::outcome(format!("main got {mine}, thread 1 got {theirs}"));
    harness::require!(
        mine == ANSWER && theirs == ANSWER,
        "the value is {ANSWER}, but main got {mine} and thread 1 got {theirs}"
    );
}
// ANCHOR_END: model
