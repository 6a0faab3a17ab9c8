//! Lab 07: data parallelism. The chapter is `book/src/07-data-parallelism.md`;
//! it reads these files in this order:
//!
//! - `racy.rs`: a parallel histogram whose threads add to one shared
//!   histogram with a read-modify-write that is not atomic; and tasks that
//!   no one joins, the last of which adds their partial histograms up, each
//!   counting itself finished before it publishes its own;
//! - `job.rs`: what those tasks share: a slot per task, the count of
//!   finished tasks, and the adding up;
//! - `checks.rs`: the loom models;
//! - `fixed.rs`: each thread folds its own histogram, and the histograms
//!   are added up at the end; and `fetch_add` on shared counts, for contrast;
//!   and the tasks that publish, then count themselves finished;
//! - `on_std.rs` and `on_loom.rs`: the same files compiled on std and on loom;
//! - `work.rs`: the CPU-bound job, the rayon version, and the workloads the
//!   benchmark and the tools measure;
//! - `exercise.rs`: your turn, a parallel maximum (`solution.rs` has the
//!   reference answer: try first).

// `on_std` and `on_loom` each compile racy.rs, fixed.rs... once: the same
// code on std's types and on loom's. That is the point, not a slip.
#![allow(
    clippy::duplicate_mod,
    reason = "each lab file is compiled on std and on loom"
)]

/// How many buckets a histogram has.
pub const BUCKETS: usize = 4;

/// A histogram of `values`, split into `chunks`, counted one thread per chunk.
pub type Histogram = fn(chunks: Vec<Vec<u64>>) -> Vec<u64>;

/// The bucket a value falls in.
pub fn bucket(value: u64) -> usize {
    (value % BUCKETS as u64) as usize
}

pub mod checks;
pub mod observed;
pub mod on_loom;
pub mod on_std;
pub mod work;
