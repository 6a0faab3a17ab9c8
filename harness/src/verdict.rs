//! What a check found, as plain data: the bottom layer of the harness.
//! Every other module may use these types; this one uses none of them.

use crate::record::Trace;
use serde::{Deserialize, Serialize};

/// What a check explored: how many executions, within which bound.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explored {
    /// The check's title, e.g. `racy counter`.
    pub title: String,
    /// How many executions loom ran (for a failure, the failing one is the last).
    pub executions: usize,
    /// At most this many preemptions per execution; `None` explores every interleaving.
    pub preemption_bound: Option<usize>,
}

/// How an execution failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FailureKind {
    /// The model panicked: a failed assertion, or loom's report of a data
    /// race on an `UnsafeCell`.
    Panic,
    /// Every thread was blocked: loom reported a deadlock.
    Deadlock,
    /// The model hit one of loom's limits (too many branches or threads).
    LoomLimit,
}

/// The failing execution loom found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// What was explored, up to and including the failing execution.
    pub explored: Explored,
    /// How it failed.
    pub kind: FailureKind,
    /// The panic's message.
    pub message: String,
    /// Where it panicked: a file (relative to the workspace for the labs'
    /// own code) and line.
    pub file: String,
    /// The line in `file`.
    pub line: u32,
    /// Every recorded operation of the failing execution, in order.
    pub trace: Trace,
    /// What the model printed (`println!`) in the failing execution, when
    /// it ran in a child process (under `cargo test`); empty otherwise.
    #[serde(default)]
    pub printed: String,
    /// In a check that explores past failures
    /// ([`Check::explore_past_failures`](crate::Check::explore_past_failures)),
    /// how far loom went on after this, its first failure: `None` in any
    /// other check, and when something that stops loom (a panic, a
    /// deadlock) came later.
    #[serde(default)]
    pub went_on: Option<WentOn>,
}

/// How many executions a check that explores past failures ran in all,
/// and how many of them failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WentOn {
    /// Every execution loom ran, the first failure's included.
    pub executions: usize,
    /// How many of them failed.
    pub failed: usize,
}

/// What a check found: a failing execution, or none within the bound.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    /// Loom found an execution that failed.
    Failed(Failure),
    /// Every execution within the bound passed.
    Passed(Explored),
}

impl Verdict {
    /// Whether loom found a failing execution.
    pub fn failed(&self) -> bool {
        matches!(self, Verdict::Failed(_))
    }

    /// What was explored.
    pub fn explored(&self) -> &Explored {
        match self {
            Verdict::Failed(failure) => &failure.explored,
            Verdict::Passed(explored) => explored,
        }
    }
}

impl Failure {
    /// The failure in one line for the learner: loom's own deadlock report
    /// (`deadlock; threads = [(Id(0), Blocked(Location(None)))…`) names
    /// threads by loom's numbers; the trace says it better.
    pub fn summary(&self) -> String {
        match self.kind {
            FailureKind::Deadlock => String::from(
                "a deadlock: no thread can go on (the trace above shows what each waits for)",
            ),
            _ => self.message.clone(),
        }
    }

    /// The failure as an outcome among others, for the explorer, which
    /// shows no trace beside it (the explorer's own `--show` prints one
    /// below): what failed, with no reference to a trace.
    pub fn outcome(&self) -> String {
        match self.kind {
            FailureKind::Deadlock => String::from("a deadlock: no thread can go on"),
            _ => self.message.clone(),
        }
    }
}
