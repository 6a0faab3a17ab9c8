//! Lab 08: subprocesses and pipes. The chapter is
//! `book/src/08-subprocesses.md`; it reads these files in this order:
//!
//! - `racy.rs`: a parent that waits for its child before reading the pipe
//!   the child writes into, and one that reads one pipe, then the other;
//! - `model.rs`: a pipe as a bounded buffer, and a child as a loom thread:
//!   what loom checks instead of real processes;
//! - `checks.rs`: the loom models;
//! - `fixed.rs`: read while waiting, a reader thread per pipe;
//! - `on_std.rs` and `on_loom.rs`: the same files compiled on std and on loom;
//! - `real.rs`: the same parents running real child processes, with a
//!   watchdog for the one that hangs;
//! - `pid_reuse.rs`: why that watchdog kills through a pidfd: a modelled
//!   process table, and a watchdog that kills by pid, at its deadline;
//! - `exercise.rs`: your turn, feeding a child's stdin while reading its
//!   stdout (`solution.rs` has the reference answer: try first).

// `on_std` and `on_loom` each compile racy.rs, fixed.rs... once: the same
// code on std's types and on loom's. That is the point, not a slip.
#![allow(
    clippy::duplicate_mod,
    reason = "each lab file is compiled on std and on loom"
)]

use std::io::{self, Read, Write};

/// A child process as its parent sees it: three pipes and a way to wait.
/// Implemented by `std::process::Child` (see `real.rs`), and by a loom
/// thread writing into modelled pipes (see `model.rs`).
pub trait Child: Send + 'static {
    /// The writing end of the child's stdin; dropping it closes the pipe.
    fn stdin(&mut self) -> io::Result<Box<dyn Write + Send>>;
    /// The reading end of the child's stdout.
    fn stdout(&mut self) -> io::Result<Box<dyn Read + Send>>;
    /// The reading end of the child's stderr.
    fn stderr(&mut self) -> io::Result<Box<dyn Read + Send>>;
    /// Waits for the child to exit; an error if it did not exit cleanly.
    fn wait(&mut self) -> io::Result<()>;
}

/// Everything a child wrote, once it has exited.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Output {
    /// What it wrote to stdout.
    pub stdout: Vec<u8>,
    /// What it wrote to stderr.
    pub stderr: Vec<u8>,
}

/// Reads `pipe` until the child closes it (its end of file).
pub fn read_all(mut pipe: Box<dyn Read + Send>) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    pipe.read_to_end(&mut bytes)?;
    Ok(bytes)
}

pub mod on_loom;
pub mod on_std;

pub mod checks;
pub mod model;
pub mod pid_reuse;
pub mod real;
