//! Your own code, checked by the course's harness: a template to copy.
//!
//! - `counter.rs`: the code under test. It imports its atomics from
//!   `super::sync`, never from std or loom directly.
//! - `on_std.rs` and `on_loom.rs`: the same file compiled twice, on std's
//!   types (what your program runs) and on the harness's loom types (what
//!   the tests check).
//! - `tests/loom.rs`: the models, and the checks that run them.

// `on_std` and `on_loom` each compile counter.rs: the same code on std's
// types and on loom's. That is the point, not a slip.
#![allow(
    clippy::duplicate_mod,
    reason = "counter.rs is compiled on std and on loom"
)]

pub mod on_loom;
pub mod on_std;
