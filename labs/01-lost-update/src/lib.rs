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
//!
//! Beside `src/`, `refused/` holds what safe Rust will not compile: the
//! [`refused`] module below makes each file a `compile_fail` doctest.

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

/// What safe Rust refuses to compile: two threads changing one value with
/// nothing to synchronise them (chapter 1, "What the compiler rules out").
/// Each file in `refused/` is a `compile_fail` doctest here, so `cargo test
/// -p lab-01 --doc` fails if one ever compiles; `rustc --edition 2024
/// labs/01-lost-update/refused/<file>` prints the compiler's error.
///
/// Two threads, each with a `&mut` to one variable: the borrow checker
/// allows only one at a time.
///
#[doc = "```compile_fail,E0499"]
#[doc = include_str!("../refused/two_writers.rs")]
#[doc = "```"]
///
/// Two threads sharing a `Cell`, whose value changes behind a shared
/// reference: `Cell` is not `Sync`, so no `&Cell` may reach another thread.
///
#[doc = "```compile_fail,E0277"]
#[doc = include_str!("../refused/shared_cell.rs")]
#[doc = "```"]
pub mod refused {}

pub mod on_loom;
pub mod on_std;

pub use on_loom::checks;
pub mod observed;
pub mod threads;
