//! The race harness: runs the labs' loom models and shows the learner what
//! loom found.
//!
//! - [`sync`] is the facade a lab's code imports its `Mutex`, atomics,
//!   `thread`... from: [`sync::std`] for demos and benchmarks,
//!   [`sync::loom`] (loom's types, recorded) for the tests.
//! - [`Check`] runs a model under loom: [`Check::must_fail`] passes only if
//!   loom finds a failing execution (an assertion or a deadlock) and returns
//!   it; [`Check::must_pass`] passes only if every execution within the
//!   bound passes. Both print the verdict, what was explored and, for a
//!   failure, the interleaving as one column per thread.
//! - Each model runs in a child process (the same test binary, on the one
//!   test), so a deadlock that makes loom abort cannot take the other tests
//!   down.

pub mod bench;
pub mod book;
mod check;
mod child;
pub mod exercise;
pub mod explore;
mod fingerprint;
pub mod observe;
mod record;
mod render;
mod source;
pub mod sync;
pub mod template;
pub mod watchdog;

pub use check::{Check, Explored, Failure, FailureKind, Verdict};
pub use explore::{Exploration, outcome};
pub use record::{Event, Object, Op, Trace};
pub use render::{headline, render};
