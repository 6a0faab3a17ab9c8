//! Level 14: double-checked lazy initialisation with a `Relaxed` flag.
//!
//! The first caller computes a value once, under a lock; every later
//! caller sees the flag up and skips the lock. The flag is read and
//! written with `Ordering::Relaxed`, so seeing it up says nothing about
//! the value written before it: a thread can see "ready" and still read
//! the value as it was before it was set.

use crate::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use crate::sync::{Arc, Mutex, Named, thread};

/// The value the initialisation computes.
pub const ANSWER: u64 = 42;

/// A value computed once, on first use, for the level's model.
pub trait Lazy: Send + Sync + 'static {
    /// Not yet computed.
    fn new() -> Self;
    /// The value: computed by the first caller, read by the others.
    fn get(&self) -> u64;
}

/// The puzzle: the fast path reads the flag with `Relaxed`, and the slow
/// path raises it with `Relaxed`. (`value` is an atomic so that safe Rust
/// can share it; written `Relaxed`, it orders nothing by itself, just as
/// a plain write would order nothing.)
// ANCHOR: racy
pub struct RelaxedFlag {
    ready: AtomicBool,
    value: AtomicU64, // an atomic only so that safe Rust can share it
    init: Mutex<()>,
}

impl Lazy for RelaxedFlag {
    fn new() -> Self {
        Self {
            ready: AtomicBool::new(false).named("ready"),
            value: AtomicU64::new(0).named("value"),
            init: Mutex::new(()).named("init"),
        }
    }

    fn get(&self) -> u64 {
        if !self.ready.load(Ordering::Relaxed) {
            let _only_one = self.init.lock().unwrap();
            if !self.ready.load(Ordering::Relaxed) {
                self.value.store(ANSWER, Ordering::Relaxed); // compute it...
                self.ready.store(true, Ordering::Relaxed); // ...then say so
            }
        }
        self.value.load(Ordering::Relaxed)
    }
}
// ANCHOR_END: racy

// ANCHOR: fixed
/// The fix: raise the flag with `Release` and read it with `Acquire`, so
/// a thread that sees it up sees everything written before it. (std's
/// `OnceLock` is this, done for you.)
pub struct ReleaseAcquire {
    ready: AtomicBool,
    value: AtomicU64,
    init: Mutex<()>,
}

impl Lazy for ReleaseAcquire {
    fn new() -> Self {
        Self {
            ready: AtomicBool::new(false).named("ready"),
            value: AtomicU64::new(0).named("value"),
            init: Mutex::new(()).named("init"),
        }
    }

    fn get(&self) -> u64 {
        if !self.ready.load(Ordering::Acquire) {
            let _only_one = self.init.lock().unwrap();
            // Relaxed is enough here: the lock orders this read after the
            // initialising thread's writes.
            if !self.ready.load(Ordering::Relaxed) {
                self.value.store(ANSWER, Ordering::Relaxed);
                self.ready.store(true, Ordering::Release);
            }
        }
        self.value.load(Ordering::Relaxed)
    }
}
// ANCHOR_END: fixed

// ANCHOR: wrong_fix
/// A wrong fix: `Release` on the store alone. A release pairs with an
/// acquire; the fast path's `Relaxed` load takes nothing from it.
pub struct ReleaseOnly {
    ready: AtomicBool,
    value: AtomicU64,
    init: Mutex<()>,
}

impl Lazy for ReleaseOnly {
    fn new() -> Self {
        Self {
            ready: AtomicBool::new(false).named("ready"),
            value: AtomicU64::new(0).named("value"),
            init: Mutex::new(()).named("init"),
        }
    }

    fn get(&self) -> u64 {
        if !self.ready.load(Ordering::Relaxed) {
            let _only_one = self.init.lock().unwrap();
            if !self.ready.load(Ordering::Relaxed) {
                self.value.store(ANSWER, Ordering::Relaxed);
                self.ready.store(true, Ordering::Release);
            }
        }
        self.value.load(Ordering::Relaxed)
    }
}
// ANCHOR_END: wrong_fix
// ANCHOR: bound
/// Bound: one thread to initialise and one to take the fast path after
/// it is all the race needs; loom explores every interleaving of the two,
/// and every value each `Relaxed` load may read.
// ANCHOR_END: bound
// ANCHOR: model
/// Main and one spawned thread both ask for the value. Each must get
/// [`ANSWER`].
pub fn two_callers<L: Lazy>() {
    let lazy = Arc::new(L::new());
    let other = {
        let lazy = Arc::clone(&lazy);
        thread::spawn(move || lazy.get())
    };
    let mine = lazy.get();
    let theirs = other.join().unwrap();
    harness::outcome(format!("main got {mine}, thread 1 got {theirs}"));
    harness::require!(
        mine == ANSWER && theirs == ANSWER,
        "the value is {ANSWER}, but main got {mine} and thread 1 got {theirs}"
    );
}
// ANCHOR_END: model
