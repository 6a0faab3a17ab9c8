//! Lab 04: atomics and memory ordering. The chapter is
//! `book/src/04-atomics.md`; it reads these files in this order:
//!
//! - `racy.rs`: data published behind a `Relaxed` flag (in an atomic, and in
//!   an `UnsafeCell`), chapter 1's load-then-store counter, and a spin lock
//!   with `Relaxed` everywhere;
//! - `checks.rs`: the loom models they are checked with;
//! - `fixed.rs`: `Release`/`Acquire` publication, and the spin lock with the
//!   right orderings, then with a guard;
//! - `on_std.rs` and `on_loom.rs`: the same files compiled on std and on loom;
//! - `lazy.rs`: `OnceLock` and `LazyLock`, std's answers;
//! - `exercise.rs`: your turn, a double-checked lazy initialisation
//!   (`solution.rs` has the reference answer: try first);
//! - `litmus.rs` (each test's threads), `litmus_tests.rs` (what the memory
//!   model allows), `litmus_loom.rs`, `stress.rs` and `litmus_report.rs`:
//!   the classic litmus tests under loom and on real threads, side by side
//!   (`cargo run -p lab-04 --release -- litmus`).

// `on_std` and `on_loom` each compile racy.rs, fixed.rs... once: the same
// code on std's types and on loom's. That is the point, not a slip.
#![allow(
    clippy::duplicate_mod,
    reason = "each lab file is compiled on std and on loom"
)]

/// A one-time mailbox: a writer thread publishes one value, and a reader
/// thread, once it sees the value is there, reads it.
pub trait Mailbox: Send + Sync + 'static {
    /// An empty mailbox.
    fn new() -> Self;
    /// Puts `value` in the mailbox and raises its flag. Called once.
    fn publish(&self, value: u64);
    /// The value, if the flag is up; `None` if nothing is published yet.
    fn try_read(&self) -> Option<u64>;
}

/// A value computed on first use, by one thread, and shared by all.
pub trait LazyValue: Send + Sync + 'static {
    /// Nothing computed yet.
    fn new() -> Self;
    /// The value: computed with `init` by the first caller, and the same
    /// value, without calling `init`, for every caller after it.
    fn get_or_init(&self, init: impl FnOnce() -> u64) -> u64;
}

pub mod on_loom;
pub mod on_std;

pub use on_loom::checks;
pub mod lazy;
pub mod litmus_loom;
pub mod litmus_report;
pub mod litmus_tests;
pub mod observed;
pub mod stress;
