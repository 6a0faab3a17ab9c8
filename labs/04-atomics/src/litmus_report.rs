//! One table per test and ordering: each outcome, whether the memory
//! model allows it, whether loom produced it, and how often this CPU
//! showed it. The same text in the terminal and, from a recorded JSON, in
//! the book.

use crate::litmus_loom::Explored;
use crate::litmus_tests::{Test, Variant};
use crate::stress::Observed;
use serde::{Deserialize, Serialize};

/// Every table of one run, and the machine it ran on.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Report {
    /// The CPU's architecture: `x86_64`, `aarch64`.
    pub arch: String,
    /// How many threads the machine runs at once.
    pub cores: usize,
    /// One table per test and ordering.
    pub tables: Vec<Table>,
}

/// One test with one ordering.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Table {
    /// The test's name: `mp`.
    pub test: String,
    /// The ordering's name: `relaxed`.
    pub variant: String,
    /// How many iterations ran on real threads.
    pub iterations: u64,
    /// How long they took, in seconds.
    pub seconds: f64,
    /// How many executions loom explored.
    pub loom_executions: usize,
    /// The preemption bound loom explored with (`None`: every interleaving).
    #[serde(default)]
    pub loom_preemption_bound: Option<usize>,
    /// One row per outcome.
    pub rows: Vec<Row>,
}

/// One outcome of one test.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Row {
    /// `r0=1 r1=0`.
    pub outcome: String,
    /// Whether the Rust/C++20 memory model allows it.
    pub allowed: bool,
    /// Whether loom produced it in any execution.
    pub loom: bool,
    /// How many iterations on real threads ended with it.
    pub observed: u64,
}

/// This machine: its architecture and how many threads it runs at once.
pub fn this_machine() -> (String, usize) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    (std::env::consts::ARCH.to_string(), cores)
}

/// The table of `test` with `variant`, from loom's outcomes and the run's.
pub fn table(test: Test, variant: Variant, loom: &Explored, observed: &Observed) -> Table {
    let rows = test
        .outcomes()
        .into_iter()
        .map(|outcome| Row {
            outcome: test.label(&outcome),
            allowed: test.allowed(variant, &outcome),
            loom: loom.outcomes.contains(&outcome),
            observed: observed.counts.get(&outcome).copied().unwrap_or(0),
        })
        .collect();
    Table {
        test: test.name().to_string(),
        variant: variant.name().to_string(),
        iterations: observed.iterations,
        seconds: observed.elapsed.as_secs_f64(),
        loom_executions: loom.executions,
        loom_preemption_bound: test.loom_bound(),
        rows,
    }
}

impl Table {
    /// The rows this machine showed although the model forbids them.
    pub fn forbidden_observed(&self) -> Vec<&Row> {
        let rows = self.rows.iter();
        rows.filter(|r| !r.allowed && r.observed > 0).collect()
    }
}

/// What a row teaches, in a few words; empty where the three columns agree
/// and the outcome was seen.
fn note(row: &Row, variant: &str, arch: &str) -> String {
    if !row.allowed && row.observed > 0 {
        return String::from("FORBIDDEN, yet seen: a bug in the test or the machine");
    }
    let mut notes = Vec::new();
    if row.allowed && !row.loom {
        notes.push(String::from("loom never produces it"));
    }
    if !row.allowed && row.loom {
        let why = if variant == "seqcst" {
            "loom runs SeqCst as AcqRel"
        } else {
            "loom's model is weaker here"
        };
        notes.push(format!("forbidden, yet loom produces it ({why})"));
    }
    if row.allowed && row.observed == 0 {
        notes.push(format!("never seen on this {arch}"));
    }
    if !row.allowed && row.observed == 0 && !row.loom {
        notes.push(String::from("forbidden, never seen: the ordering holds"));
    }
    notes.join("; ")
}

/// `1234567` → `1,234,567`: the harness's, as every table of the course.
pub use harness::observe::thousands;

/// The table as the terminal and the book show it.
pub fn render(table: &Table, arch: &str, cores: usize) -> String {
    let title = Test::named(&table.test).map_or(table.test.clone(), |t| t.title().to_string());
    let rate = table.iterations as f64 / table.seconds.max(1e-9);
    let mut out = format!(
        "{title} · {} · {arch}, {cores} cores\n\
         {} iterations in {:.1} s ({} per s) · loom: {} executions{}\n",
        table.variant,
        thousands(table.iterations),
        table.seconds,
        thousands(rate as u64),
        thousands(table.loom_executions as u64),
        match table.loom_preemption_bound {
            Some(bound) => format!(" (preemption bound {bound})"),
            None => String::new(),
        },
    );
    let width = table
        .rows
        .iter()
        .map(|r| r.outcome.len())
        .max()
        .unwrap_or(0);
    let width = width.max("outcome".len());
    let head = format!("{:width$}  allowed  loom  {:>11}", "outcome", "observed");
    out.push_str(&format!("{head}\n{}\n", "─".repeat(head.chars().count())));
    for row in &table.rows {
        let yes = |b: bool| if b { "yes" } else { "no" };
        let line = format!(
            "{:width$}  {:7}  {:4}  {:>11}  {}",
            row.outcome,
            yes(row.allowed),
            yes(row.loom),
            thousands(row.observed),
            note(row, &table.variant, arch),
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
