//! Lab 10: event loops and executors from scratch. The chapter is
//! `book/src/10-event-loops.md`; it reads these files in this order:
//!
//! - `executor.rs`: a single-threaded executor and its reactor: a task
//!   queue, wakers, timers, and `poll(2)` to sleep in;
//! - `racy.rs`: an event whose waker is registered after the readiness
//!   check: a wakeup lost between the two;
//! - `checks.rs`: the loom models, an executor reduced to poll, sleep,
//!   wake, and the loop's own sleep with a waker on another thread;
//! - `handshake.rs`: how the loop sleeps and a waker wakes it, the right
//!   order (`executor.rs` runs it) and the two wrong ones;
//! - `fixed.rs`: register, then check again;
//! - `on_std.rs` and `on_loom.rs`: the same files compiled on std and on loom;
//! - `exercise.rs`: your turn, an async one-shot channel (`solution.rs` has
//!   the reference answer: try first).

// `on_std` and `on_loom` each compile racy.rs, fixed.rs... once: the same
// code on std's types and on loom's. That is the point, not a slip.
#![allow(
    clippy::duplicate_mod,
    reason = "each lab file is compiled on std and on loom"
)]

use std::fmt;
use std::task::{Context, Poll, Waker};

/// An event that happens once, set by any thread; a task waits for it.
pub trait Event: Send + Sync + 'static {
    /// Not happened yet.
    fn new() -> Self;
    /// It happens: wakes the task waiting for it, if any.
    fn set(&self);
    /// `Ready` once it has happened; otherwise `Pending`, and the task's
    /// waker will be called when it happens.
    fn poll_wait(&self, cx: &mut Context<'_>) -> Poll<()>;
}

/// A channel for one value, sent by any thread, received by a task.
pub trait OneShot: Send + Sync + 'static {
    /// Nothing sent yet.
    fn new() -> Self;
    /// Sends the value, and wakes the task waiting for it, if any.
    fn send(&self, value: u64);
    /// `Ready(value)` once it was sent; otherwise `Pending`, and the task's
    /// waker will be called when it is sent.
    fn poll_recv(&self, cx: &mut Context<'_>) -> Poll<u64>;
}

/// The waker a task left to be woken with, if any. Shown in traces as
/// `waker` or `no waker`.
#[derive(Default)]
pub struct Registered(pub Option<Waker>);

impl fmt::Debug for Registered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "waker"
        } else {
            "no waker"
        })
    }
}

/// Why the executor pins its futures (chapter 10, "Why the future is
/// pinned"): an `async` block that borrows across an `.await` is not
/// `Unpin`, so it cannot be used where `Unpin` is required...
///
#[doc = "```compile_fail,E0277"]
#[doc = include_str!("../refused/unpin_self_borrow.rs")]
#[doc = "```"]
///
/// ...and the same block, boxed and pinned, is accepted: `Pin<Box<F>>` is
/// `Unpin` whatever `F` is, because moving the box never moves the future.
///
/// ```
/// fn needs_unpin<F: std::future::Future + Unpin>(_future: F) {}
///
/// needs_unpin(Box::pin(async {
///     let data = [1, 2, 3];
///     let first = &data[0];
///     std::future::ready(()).await;
///     println!("{first}");
/// }));
/// ```
pub mod refused {}

pub mod on_loom;
pub mod on_std;

pub use on_loom::checks;
pub mod executor;
pub mod observed;
