//! Lab 03: condition variables and the lost wakeup. The chapter is
//! `book/src/03-condition-variables.md`; it reads these files in this order:
//!
//! - `racy.rs`: a bounded queue that waits with `if` instead of `while`, and
//!   one that notifies before it changes the queue;
//! - `checks.rs`: the loom models;
//! - `fixed.rs`: wait in a loop on the condition; change, then notify;
//! - `on_std.rs` and `on_loom.rs`: the same files compiled on std and on loom;
//! - `channels.rs`: the hand-made queue beside crossbeam's and std's
//!   channels, for the real-thread test and the benchmark;
//! - `exercise.rs`: your turn, a one-slot mailbox (`solution.rs` has the
//!   reference answer: try first).

// `on_std` and `on_loom` each compile racy.rs, fixed.rs... once: the same
// code on std's types and on loom's. That is the point, not a slip.
#![allow(
    clippy::duplicate_mod,
    reason = "each lab file is compiled on std and on loom"
)]

/// A bounded queue that threads push to and pop from, waiting when it is
/// full or empty.
pub trait Queue: Send + Sync + 'static {
    /// An empty queue that holds at most `capacity` items.
    fn with_capacity(capacity: usize) -> Self;
    /// Adds `item`, first waiting while the queue is full.
    fn push(&self, item: u32);
    /// Takes the oldest item, first waiting while the queue is empty.
    fn pop(&self) -> u32;
    /// How many items it holds now.
    fn len(&self) -> usize;
    /// Whether it holds no item now.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

pub mod channels;
pub use on_loom::checks;
pub mod observed;
pub mod on_loom;
pub mod on_std;
