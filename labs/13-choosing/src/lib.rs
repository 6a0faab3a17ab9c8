//! Lab 13: choosing. One job in every model, measured side by side on the
//! reader's machine. The chapter is `book/src/13-choosing.md`; it reads
//! these files in this order:
//!
//! - `models.rs`: the models and the workloads, and which fit which;
//! - `workloads/*.rs`: each workload, written once per model that fits it
//!   (every model's lines sit between anchors, so the chapter shows them
//!   and the table counts them);
//! - `measure.rs`: what a row measures (wall time, CPU time, peak memory,
//!   latency) and how;
//! - `compare.rs`: runs every pair, checks each answer against the
//!   sequential one, prints the tables, writes the JSON and the charts;
//! - `advise.rs`: the decision guide as one tree, which answers
//!   `lab-13 advise`, and `flowchart.rs`, which draws it for the chapter;
//! - `scoreboard.rs`: what a run says of each of the book's 18 claims;
//! - `racy.rs`: the capstone's own race, in the code that admits CPU jobs
//!   to a pool and drains them between two rows: a job admitted after the
//!   drain said "none left";
//! - `checks.rs`: the loom models;
//! - `fixed.rs`: admission and drain that cannot miss each other;
//! - `on_std.rs` and `on_loom.rs`: the same files compiled on std and on loom;
//! - `exercise.rs`: your turn (`solution.rs` has the reference answer: try
//!   first).

// `on_std` and `on_loom` each compile racy.rs, fixed.rs... once: the same
// code on std's types and on loom's. That is the point, not a slip.
#![allow(
    clippy::duplicate_mod,
    reason = "each lab file is compiled on std and on loom"
)]

// ANCHOR: gate
/// Admission of jobs to a pool, and the wait for the ones admitted: what
/// the compare tool does around every row that hands CPU work from async
/// tasks to a pool, so that no job of one row still runs in the next.
pub trait Gate: Send + Sync + 'static {
    /// Open, nothing admitted.
    fn new() -> Self;
    /// Asks to start a job: `true` if it may run (its runner then calls
    /// [`Gate::leave`] when it is done), `false` once the gate is closed.
    fn enter(&self) -> bool;
    /// A job that [`Gate::enter`] admitted has finished.
    fn leave(&self);
    /// Closes the gate to new jobs, then waits until every admitted job has
    /// left. When it returns, no admitted job runs, and none ever will.
    fn close_and_drain(&self);
}
// ANCHOR_END: gate

pub mod on_loom;
pub mod on_std;

pub mod advise;
pub mod calibrate;
pub mod chart;
pub use on_loom::checks;
pub mod compare;
pub mod flowchart;
pub mod jobs;
pub mod measure;
pub mod models;
pub mod observed;
pub mod quotes;
pub mod run;
pub mod scoreboard;
pub mod workloads;
