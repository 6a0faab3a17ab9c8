//! The lab's code on std's types: what the demo and the benchmark run.
//!
//! Each file imports its atomics, locks and threads from `super::sync`,
//! which this module sets: the one place the lab chooses loom or std.

use harness::sync::std as sync;

#[path = "racy.rs"]
pub mod racy;

#[path = "fixed.rs"]
pub mod fixed;

#[path = "exercise.rs"]
pub mod exercise;

#[path = "solution.rs"]
pub mod solution;

#[path = "handshake.rs"]
pub mod handshake;

#[path = "checks.rs"]
pub mod checks;
