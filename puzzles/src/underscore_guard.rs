//! Level 2: `let _ =` and a lock.
//!
//! A mutex can guard more than what is inside it: here a gate,
//! `Mutex<()>`, makes an increment's read of the count and its write one
//! step, though each takes the count's own lock separately (chapter 1's
//! racy counter, behind a gate). But `let _ = ...` does not bind the
//! guard: the pattern `_` drops it at once, so the gate is open again
//! before the count is read.

use crate::sync::{Arc, Mutex, Named, thread};

/// A counter for the level's model.
pub trait Counter: Send + Sync + 'static {
    /// A count of zero.
    fn new() -> Self;
    /// Adds one.
    fn increment(&self);
    /// The count.
    fn get(&self) -> u64;
}

/// The puzzle: the guard is bound to `_`.
// ANCHOR: racy
pub struct UnderscoreGuard {
    gate: Mutex<()>,
    count: Mutex<u64>,
}

impl Counter for UnderscoreGuard {
    fn new() -> Self {
        Self {
            gate: Mutex::new(()).named("gate"),
            count: Mutex::new(0).named("count"),
        }
    }

    fn increment(&self) {
        let _ = self.gate.lock().unwrap(); // "hold the gate while I count"
        let seen = *self.count.lock().unwrap();
        *self.count.lock().unwrap() = seen + 1;
    }

    fn get(&self) -> u64 {
        *self.count.lock().unwrap()
    }
}
// ANCHOR_END: racy

// ANCHOR: fixed
/// The fix: bind the guard to a name, `_gate`, which lives to the end of
/// the block. (A name starting with `_` is kept; `_` alone is not a name.)
pub struct NamedGuard {
    gate: Mutex<()>,
    count: Mutex<u64>,
}

impl Counter for NamedGuard {
    fn new() -> Self {
        Self {
            gate: Mutex::new(()).named("gate"),
            count: Mutex::new(0).named("count"),
        }
    }

    fn increment(&self) {
        let _gate = self.gate.lock().unwrap(); // held until the closing brace
        let seen = *self.count.lock().unwrap();
        *self.count.lock().unwrap() = seen + 1;
    }

    fn get(&self) -> u64 {
        *self.count.lock().unwrap()
    }
}
// ANCHOR_END: fixed
// ANCHOR: bound
/// Bound: two increments are the fewest that can lose one; loom explores
/// every interleaving of them.
// ANCHOR_END: bound
// ANCHOR: model
/// Main and a spawned thread increment the count once each; then it must
/// be 2.
pub fn two_increments<C: Counter>() {
    let counter = Arc::new(C::new());
    let other = {
        let counter = Arc::clone(&counter);
        thread::spawn(move || counter.increment())
    };
    counter.increment();
    other.join().unwrap();
    let count = counter.get();
    harness::outcome(format!("count = {count}"));
    harness::require!(count == 2, "two increments, but the count is {count}");
}
// ANCHOR_END: model
