//! Lab 11: async with tokio, and the C10k question. The chapter is
//! `book/src/11-async-tokio.md`; it reads these files in this order:
//!
//! - `cache.rs`: a cache that two tasks both miss and both fill (a
//!   stampede), and single-flight with `tokio::sync::OnceCell`;
//! - `racy.rs`, `fixed.rs`: the same caches as loom models, on a model of
//!   a one-thread runtime where another task runs only at an `.await`;
//! - `checks.rs`: the loom models;
//! - `on_std.rs` and `on_loom.rs`: the same files compiled on std and on loom;
//! - `cancel.rs`: a future dropped between two updates, and a design that
//!   cannot be;
//! - `echo.rs`: an echo server written thread-per-connection and with
//!   tokio tasks, sharing one line protocol; `src/bin/lab-11.rs` runs them
//!   and the C10k tool (`c10k.rs`) that measures them;
//! - `exercise.rs`: your turn, a booking that checks for a seat, awaits a
//!   payment, then takes the seat (`solution.rs` has the reference answer:
//!   try first).

// `on_std` and `on_loom` each compile racy.rs, fixed.rs... once: the same
// code on std's types and on loom's. That is the point, not a slip.
#![allow(
    clippy::duplicate_mod,
    reason = "each lab file is compiled on std and on loom"
)]

/// What a task awaits, in the models: each call is an `.await`, where a
/// one-thread runtime may run another task before this one goes on.
pub trait Awaits: Sync {
    /// Awaits the slow load of `key` (a database): its value.
    fn load(&self, key: u32) -> u64;
    /// Awaits nothing in particular (`tokio::task::yield_now`): lets the
    /// other tasks run, then goes on.
    fn yield_now(&self);
}

/// A cache of values that are slow to load, shared by concurrent tasks.
pub trait Cache: Send + Sync + 'static {
    /// An empty cache.
    fn new() -> Self;
    /// The value for `key`: from the cache, or loaded (awaited) and kept.
    fn get(&self, key: u32, io: &dyn Awaits) -> u64;
}

/// Seats for a show, booked by concurrent tasks, each paying first.
pub trait Booking: Send + Sync + 'static {
    /// A show with `seats` seats left.
    fn new(seats: i64) -> Self;
    /// Books a seat, paying with `pay` (an `.await`); `false` if none is
    /// left.
    fn book(&self, pay: &(dyn Fn() + Sync)) -> bool;
    /// Seats left (below zero: overbooked).
    fn seats_left(&self) -> i64;
}

pub mod on_loom;
pub mod on_std;

pub mod backpressure;
pub mod bridging;
pub mod c10k;
pub mod cache;
pub mod cancel;
pub use on_loom::checks;
pub mod echo;
pub mod fan_out;
pub mod observed;
pub mod select_loop;
pub mod shutdown;
pub mod structured;
pub mod stuck;
