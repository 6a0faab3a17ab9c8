//! Lab 01: threads and the lost update. The chapter is
//! `book/src/01-lost-update.md`; it reads these files in this order:
//!
//! - `racy.rs`: `count += 1` as a read and a write in two critical sections;
//! - `checks.rs`: the loom model every counter is checked with;
//! - `threads.rs`: the counters on real OS threads, and the fix that shares
//!   nothing;
//! - `fixed.rs`: the same counter made correct with `fetch_add` and with one
//!   critical section;
//! - `on_std.rs` and `on_loom.rs`: the same files compiled on std and on loom;
//! - `exercise.rs`: your turn, with `compare_exchange` (`solution.rs` has
//!   the reference answer: try first).

// `on_std` and `on_loom` each compile racy.rs, fixed.rs... once: the same
// code on std's types and on loom's. That is the point, not a slip.
#![allow(
    clippy::duplicate_mod,
    reason = "each lab file is compiled on std and on loom"
)]

/// A counter that several threads share and increment.
pub trait Counter: Send + Sync + 'static {
    /// A counter at zero.
    fn new() -> Self;
    /// Adds one.
    fn increment(&self);
    /// The count so far.
    fn get(&self) -> u64;
}

pub mod on_loom;
pub mod on_std;

pub mod checks;
pub mod threads;
