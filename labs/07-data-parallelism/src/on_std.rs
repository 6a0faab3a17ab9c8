//! The lab's code on std's types: what the tools and the benchmark run.
//!
//! Each file imports its atomics and threads from `super::sync`, which
//! this module sets: the one place the lab chooses loom or std.

use harness::sync::std as sync;

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
