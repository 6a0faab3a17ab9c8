//! Lab 09: process pools, isolation and marshaling. The chapter is
//! `book/src/09-process-pools.md`; it reads these files in this order:
//!
//! - `jobs.rs`: the jobs, and the messages a worker process reads and
//!   writes (JSON, one message per line);
//! - `pools.rs`: one `Pool` interface, with threads or with worker
//!   processes behind it, chosen by configuration;
//! - `racy.rs`: the pool's bookkeeping when a worker dies: a job lost, then
//!   a job done twice (`ledger.rs` holds what it writes down);
//! - `checks.rs`: the loom models;
//! - `fixed.rs`: a hand-off with acknowledgement, requeue and leases;
//! - `on_std.rs` and `on_loom.rs`: the same files compiled on std and on loom;
//! - `fs.rs`: a file system the lock-file exercise runs on, real or modelled;
//! - `exercise.rs`: your turn, a lock file taken by check-then-create
//!   (`solution.rs` has the reference answer: try first).

// `on_std` and `on_loom` each compile racy.rs, fixed.rs... once: the same
// code on std's types and on loom's. That is the point, not a slip.
#![allow(
    clippy::duplicate_mod,
    reason = "each lab file is compiled on std and on loom"
)]

/// A job, as the pool's bookkeeping knows it: its number.
pub type JobId = u64;
/// A worker, as the pool's bookkeeping knows it: its number.
pub type WorkerId = usize;

/// What a pool remembers about its jobs, and what it does when a worker
/// dies. Every method is called by the pool's threads at any time.
pub trait Bookkeeping: Send + Sync + 'static {
    /// Bookkeeping for these jobs, none of them started.
    fn new(jobs: &[JobId]) -> Self;
    /// Hands `worker` the next job to run, if any is left.
    fn take(&self, worker: WorkerId) -> Option<JobId>;
    /// `worker` reports `job` finished; `false` if the report was refused.
    fn finish(&self, worker: WorkerId, job: JobId) -> bool;
    /// `worker` died, or stopped answering: what it held must not be lost.
    fn worker_died(&self, worker: WorkerId);
    /// The jobs finished so far, in the order they were accepted.
    fn finished(&self) -> Vec<JobId>;
}

pub mod on_loom;
pub mod on_std;

pub mod checks;
pub mod fs;
pub mod jobs;
pub mod ledger;
pub mod pools;
