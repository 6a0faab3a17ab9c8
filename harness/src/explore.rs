//! Every execution a check explored, not only the last: for `cargo xtask
//! explore` (a table of outcomes) and `cargo xtask schedule` and the book's
//! stepper (be the scheduler, among the continuations loom explored).
//!
//! Recording is opt-in, so ordinary test runs stay as fast as before: a
//! check records every execution when `RACE_HARNESS_EXPLORE` names a folder
//! (it writes `<folder>/<package>/<title>.json` there), or when it is in the
//! book and `RACE_HARNESS_BOOK` is set (its JSON goes beside its trace, in
//! `book/src/explore/<package>/<title>.json`, written or checked like the
//! trace).
//!
//! The executions are stored as a tree of steps sharing their common
//! prefixes: a step is one row of a trace (one thread's operations on one
//! line of code); a path from the root to a leaf is one execution, and the
//! leaf says its outcome.

use crate::place::lab_name;
use crate::record::Trace;
use crate::render;
use crate::verdict::Explored;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::PathBuf;

const EXPLORE: &str = "RACE_HARNESS_EXPLORE";

/// How a model names its outcome for the explorer: `count = 1`, `Ana and
/// Ben both booked`. Called from the model, once per execution (the last
/// call counts). Without it an execution's outcome is "passed" or its
/// failure's message.
pub fn outcome(text: impl Into<String>) {
    OUTCOME.with(|o| *o.borrow_mut() = Some(text.into()));
}

thread_local! {
    /// The outcome the running execution named, if any.
    static OUTCOME: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Takes the outcome the execution just run named (and forgets it).
pub(crate) fn take_outcome() -> Option<String> {
    OUTCOME.with(|o| o.borrow_mut().take())
}

/// Names the outcome again (after the panic hook took it to save an
/// early copy, so that the end of the check finds it too).
pub(crate) fn put_back_outcome(text: &str) {
    OUTCOME.with(|o| *o.borrow_mut() = Some(text.to_string()));
}

/// Whether a check records every execution in this run: if it asks to
/// (`records_all`), if the explorer asks for every check, or if it is in
/// the book (`in_book`) and the book's files are being written or checked.
pub(crate) fn wanted(records_all: bool, in_book: bool) -> bool {
    records_all
        || std::env::var_os(EXPLORE).is_some()
        || (in_book && std::env::var_os("RACE_HARNESS_BOOK").is_some())
}

/// One row of a trace, as the stepper shows it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Step {
    /// The thread, by number (0 is main).
    pub thread: usize,
    /// What it did: `lock, read → 0, unlock`.
    pub text: String,
    /// Where: `racy.rs:20`.
    pub at: String,
}

/// One outcome, and how loom reached it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Outcome {
    /// `passed`, the failure's message, or the model's own words.
    pub outcome: String,
    /// Whether the executions with this outcome failed the check.
    pub failed: bool,
    /// How many executions ended so.
    pub executions: usize,
    /// The shortest of them, as the trace table prints it.
    pub shortest: String,
}

/// Every execution of one check.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Exploration {
    /// The package: `lab-01`.
    pub lab: String,
    /// The check's title.
    pub title: String,
    /// The preemption bound, if any.
    pub preemption_bound: Option<usize>,
    /// How many executions loom ran: the check's own count (in a check
    /// exploring past failures, every one it ran, not only those up to the
    /// first failure).
    pub executions: usize,
    /// Whether loom went on past failing executions
    /// ([`Check::explore_past_failures`](crate::Check::explore_past_failures)):
    /// then the tree holds every execution within the bound, each failing
    /// one marked; else it ends at the first failure. (Left out of the
    /// JSON when false, so older files read, and those of checks that
    /// stop at their first failure are as they were.)
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub past_failures: bool,
    /// The threads' names, by number.
    pub threads: Vec<String>,
    /// The source lines the steps name: `racy.rs:20` → the code there.
    pub code: BTreeMap<String, String>,
    /// Every distinct step, referred to by index in [`Exploration::tree`].
    pub steps: Vec<Step>,
    /// The outcomes, failing ones first, referred to by index in the tree.
    pub outcomes: Vec<Outcome>,
    /// The executions as a tree: `[step, executions, outcome, children]`,
    /// where `step` is -1 at the root and `outcome` is -1 except where an
    /// execution ends.
    pub tree: Node,
}

/// A node of [`Exploration::tree`]: `[step, executions, outcome, children]`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Node(pub i64, pub usize, pub i64, pub Vec<Node>);

/// Builds the exploration of a check from each execution's trace and
/// outcome (`None`: passed, unnamed) and whether it failed; `past_failures`
/// if loom went on past failing executions.
pub(crate) fn build(
    explored: &Explored,
    past_failures: bool,
    runs: Vec<(Trace, Option<String>, bool)>,
) -> Exploration {
    let mut steps: Vec<Step> = Vec::new();
    let mut outcomes: Vec<Outcome> = Vec::new();
    let mut code = BTreeMap::new();
    let mut tree = Node(-1, 0, -1, Vec::new());
    let mut threads: Vec<String> = Vec::new();
    // By outcome: how many steps its shortest execution has.
    let mut shortest: Vec<usize> = Vec::new();
    for (trace, named, failed) in &runs {
        for t in threads.len()..trace.threads {
            threads.push(trace.thread_label(t));
        }
        let name = named.clone().unwrap_or_else(|| String::from("passed"));
        let rows = render::steps(trace);
        let mut path = Vec::with_capacity(rows.len());
        for (thread, text, at) in rows {
            if let Some((file, line)) = at.rsplit_once(':').and_then(|(f, l)| {
                let event = trace
                    .events
                    .iter()
                    .find(|e| e.file.ends_with(f) && e.line.to_string() == l)?;
                Some((event.file.clone(), event.line))
            }) {
                code.entry(at.clone())
                    .or_insert_with(|| crate::source::code_at(&file, line));
            }
            let step = Step { thread, text, at };
            let index = match steps.iter().position(|s| *s == step) {
                Some(index) => index,
                None => {
                    steps.push(step);
                    steps.len() - 1
                }
            };
            path.push(index as i64);
        }
        let outcome = match outcomes
            .iter()
            .position(|o| o.outcome == name && o.failed == *failed)
        {
            Some(index) => {
                outcomes[index].executions += 1;
                if path.len() < shortest[index] {
                    shortest[index] = path.len();
                    outcomes[index].shortest = render::table_of(trace);
                }
                index
            }
            None => {
                shortest.push(path.len());
                outcomes.push(Outcome {
                    outcome: name,
                    failed: *failed,
                    executions: 1,
                    shortest: render::table_of(trace),
                });
                outcomes.len() - 1
            }
        };
        // Down the tree, adding what this execution did that no earlier one
        // did in the same order.
        let mut node = &mut tree;
        node.1 += 1;
        for step in path {
            let at = match node.3.iter().position(|child| child.0 == step) {
                Some(at) => at,
                None => {
                    node.3.push(Node(step, 0, -1, Vec::new()));
                    node.3.len() - 1
                }
            };
            node = &mut node.3[at];
            node.1 += 1;
        }
        node.2 = outcome as i64;
    }
    Exploration {
        lab: lab_name(),
        title: explored.title.clone(),
        preemption_bound: explored.preemption_bound,
        executions: explored.executions,
        past_failures,
        threads,
        code,
        steps,
        outcomes,
        tree,
    }
}

/// Where an exploration goes, and writes it: the explorer's folder, the
/// book (written or checked like the traces), or both.
pub(crate) fn publish(in_book: bool, exploration: &Exploration) {
    let json = serde_json::to_string(exploration).expect("an exploration serialises");
    let file = format!("{}.json", crate::book::slug(&exploration.title));
    if let Some(folder) = std::env::var_os(EXPLORE) {
        let folder = PathBuf::from(folder).join(&exploration.lab);
        let written = std::fs::create_dir_all(&folder)
            .and_then(|()| std::fs::write(folder.join(&file), &json));
        if let Err(error) = written {
            eprintln!("could not write {}: {error}", folder.join(&file).display());
        }
    }
    if in_book && std::env::var_os("RACE_HARNESS_BOOK").is_some() {
        let relative = PathBuf::from("book/src/explore")
            .join(&exploration.lab)
            .join(file);
        crate::book::keep_current(&relative, &format!("{json}\n"));
    }
}
