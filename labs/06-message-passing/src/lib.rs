//! Lab 06: message passing. The chapter is `book/src/06-message-passing.md`;
//! it reads these files in this order:
//!
//! - `racy.rs`: a worker that stops when a flag says so, with jobs still
//!   queued; a hand-made one-shot channel, a flag and a slot;
//! - `checks.rs`: the loom models;
//! - `fixed.rs`: close, then drain (closing is the stop signal); a one-shot
//!   whose flag and slot are one state;
//! - `on_std.rs` and `on_loom.rs`: the same files compiled on std and on loom;
//! - `channels.rs`: the production answer, crossbeam-channel, beside std's
//!   `mpsc` and the hand-made queue, for the demo and the benchmark;
//! - `exercise.rs`: your turn, an inbox (`solution.rs` has the
//!   reference answer: try first).

// `on_std` and `on_loom` each compile racy.rs, fixed.rs... once: the same
// code on std's types and on loom's. That is the point, not a slip.
#![allow(
    clippy::duplicate_mod,
    reason = "each lab file is compiled on std and on loom"
)]

/// A queue of jobs, and the one worker that handles them.
pub trait Jobs: Send + Sync + 'static {
    /// An empty queue.
    fn new() -> Self;
    /// Queues `job` for the worker.
    fn send(&self, job: u32);
    /// Says there will be no more jobs: the worker may finish.
    fn stop(&self);
    /// The worker: handles jobs until told to stop, and returns them in the
    /// order it handled them.
    fn work(&self) -> Vec<u32>;
}

/// A channel that carries one value, once.
pub trait OneShot: Send + Sync + 'static {
    /// A channel with nothing sent.
    fn new() -> Self;
    /// Sends the value (once).
    fn send(&self, value: u32);
    /// Waits until the value has been sent, then takes it; `None` if it was
    /// already taken.
    fn recv(&self) -> Option<u32>;
}

pub mod channels;
pub use on_loom::checks;
pub mod observed;
pub mod on_loom;
pub mod on_std;
