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
//! - [`observe`] runs the same models on std's types, on real threads, and
//!   counts their outcomes beside loom's.
//!
//! The modules in layers, each using only those below it (no circle;
//! `farm-studio look harness` draws them):
//!
//! 1. `place` (where the workspace and the package are), `source` (a
//!    model's source lines), `verdict` (what a check found, as data);
//! 2. `record` (the events of the execution running now), `book` (the
//!    book's generated files, written or checked);
//! 3. `sync` (the facades: loom's types recorded, std's plain), `render`
//!    (a verdict as text, from a recorded trace);
//! 4. `explore` (every execution as a tree, from recorded traces), then
//!    `child` (a check in a child process);
//! 5. `check` (runs a model under loom, using all of the above), then
//!    `exercise` and `observe`, which run checks and models.
//!
//! `bench`, `watchdog` and `template` stand apart: they use none of these.

pub mod bench;
pub mod book;
mod check;
mod child;
pub mod exercise;
pub mod explore;
mod fingerprint;
pub mod machine;
pub mod observe;
mod place;
mod record;
mod render;
mod source;
pub mod sync;
pub mod template;
mod verdict;
pub mod watchdog;

pub use check::{Check, fail};

/// Judges an execution of a model: `require!(count == 2, "the count is
/// {count}")` fails it, with that message, unless the condition holds.
/// In an ordinary check it is `assert!` (the execution panics, and loom
/// stops at it); in a check that explores past failures
/// ([`Check::explore_past_failures`]) the failure is noted, the execution
/// goes on, and so does loom, to the next one.
#[macro_export]
macro_rules! require {
    ($condition:expr, $($message:tt)+) => {
        if !$condition {
            $crate::fail(::std::format!($($message)+));
        }
    };
}
pub use explore::{Exploration, outcome};
pub use record::{Event, Object, Op, Trace};
pub use render::{headline, render};
pub use verdict::{Explored, Failure, FailureKind, Verdict, WentOn};
