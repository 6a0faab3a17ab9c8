//! The same files on loom's types, recorded by the harness: what the tests check.
//!
//! Each file imports its atomics and threads from `super::sync`, which
//! this module sets: the one place the lab chooses loom or std.

use harness::sync::loom as sync;

#[path = "job.rs"]
pub mod job;

#[path = "racy.rs"]
pub mod racy;

#[path = "fixed.rs"]
pub mod fixed;

#[path = "exercise.rs"]
pub mod exercise;

#[path = "solution.rs"]
pub mod solution;
