//! One model, the dining philosophers, checked two ways: by loom, which
//! explores every interleaving (a proof, while the model is small enough),
//! and by shuttle, which runs random schedules (a bug found with some
//! probability per run, however big the model).
//!
//! `philosophers.rs` is compiled twice, on loom's types (`on_loom`) and on
//! shuttle's (`on_shuttle`), as the labs compile their code on loom's and
//! std's. `examples/shuttle_vs_loom.rs` measures both as the table grows.

// `on_loom` and `on_shuttle` each compile philosophers.rs: the same code
// on loom's types and on shuttle's. That is the point, not a slip.
#![allow(
    clippy::duplicate_mod,
    reason = "philosophers.rs is compiled on loom and on shuttle"
)]

pub mod on_loom;
pub mod on_shuttle;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

// ANCHOR: order
/// Which fork a philosopher takes first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// The bug: everyone takes the left fork first. All can hold one fork
    /// and wait for the next: a deadlock.
    LeftFirst,
    /// The fix: everyone takes the lower-numbered fork first. The last
    /// philosopher then reaches right first, and the circle is broken.
    LowerFirst,
}
// ANCHOR_END: order

/// Which of shuttle's randomised schedulers to run.
#[derive(Clone, Copy, Debug)]
pub enum Scheduler {
    /// PCT (Burckhardt et al., ASPLOS 2010) with this bug depth: random
    /// thread priorities, and `depth - 1` random points in an execution
    /// where the running thread's priority drops.
    Pct {
        /// The number of ordering constraints the bug needs.
        depth: usize,
    },
    /// At each step, a thread chosen uniformly at random.
    Random,
}

/// What a shuttle run found.
#[derive(Debug, PartialEq, Eq)]
pub enum Found {
    /// The first failing schedule was the `n`th (counting from 1).
    FailedAt(usize),
    /// Every one of this many schedules passed.
    Passed(usize),
}

/// Runs `philosophers` philosophers taking their forks in `order` under
/// shuttle's `scheduler`, seeded by `seed`, for at most `budget` schedules,
/// stopping at the first that fails (a deadlock: shuttle reports it as a
/// panic). `each` is called after every schedule (for a progress bar).
/// The same seed gives the same schedules, so the same answer.
pub fn shuttle_run(
    philosophers: usize,
    order: Order,
    scheduler: Scheduler,
    seed: u64,
    budget: usize,
    each: impl Fn() + Send + Sync + 'static,
) -> Found {
    let runs = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&runs);
    let model = move || {
        counted.fetch_add(1, Relaxed);
        each();
        on_shuttle::philosophers::dinner(philosophers, order);
    };
    let mut config = shuttle::Config::new();
    // The failing schedule is printed by shuttle otherwise; the count is
    // what this crate reports.
    config.failure_persistence = shuttle::FailurePersistence::None;
    config.silence_warnings = true;
    let outcome = match scheduler {
        Scheduler::Pct { depth } => {
            let scheduler = shuttle::scheduler::PctScheduler::new_from_seed(seed, depth, budget);
            catch_unwind(AssertUnwindSafe(|| {
                shuttle::Runner::new(scheduler, config).run(model)
            }))
        }
        Scheduler::Random => {
            let scheduler = shuttle::scheduler::RandomScheduler::new_from_seed(seed, budget);
            catch_unwind(AssertUnwindSafe(|| {
                shuttle::Runner::new(scheduler, config).run(model)
            }))
        }
    };
    match outcome {
        Ok(runs) => Found::Passed(runs),
        Err(_) => Found::FailedAt(runs.load(Relaxed)),
    }
}

/// What a loom run explored.
#[derive(Debug)]
pub struct Explored {
    /// Executions loom ran.
    pub executions: usize,
    /// How long it took.
    pub time: std::time::Duration,
    /// Whether loom explored every execution within the bound; `false`:
    /// it stopped at the time budget, and proved nothing.
    pub finished: bool,
}

/// Runs loom on `philosophers` philosophers taking their forks in `order`,
/// with at most `preemptions` preemptions per execution (`None`: any
/// number), for at most `budget`. `each` is called once per execution.
///
/// Loom stops at `max_duration` without a word, as if every execution had
/// passed; it looks at the clock only every `checkpoint_interval`
/// executions (loom 0.7.3, `src/model.rs`). `finished` is how to tell.
pub fn loom_run(
    philosophers: usize,
    order: Order,
    preemptions: Option<usize>,
    budget: std::time::Duration,
    each: impl Fn() + Send + Sync + 'static,
) -> Explored {
    let runs = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&runs);
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = preemptions;
    builder.max_duration = Some(budget);
    builder.checkpoint_interval = 100;
    let start = std::time::Instant::now();
    builder.check(move || {
        counted.fetch_add(1, Relaxed);
        each();
        on_loom::philosophers::dinner(philosophers, order);
    });
    let time = start.elapsed();
    Explored {
        executions: runs.load(Relaxed),
        time,
        finished: time < budget,
    }
}
