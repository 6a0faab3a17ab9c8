//! `tiny`: many small jobs of about 5 ms each (claim C12): is a process
//! per job affordable, or does starting it cost more than the job?

use super::{Ctx, Fit, Outcome, Progress};
use crate::jobs::Task;
use crate::models::{Model, Size, Workload};

/// The jobs: each a fixed number of rounds that one core of this machine
/// does in about 5 ms (the calibration in `ctx`).
pub fn tasks(ctx: &Ctx) -> Vec<Task> {
    let rounds = ctx.rounds_for_ms(5.0);
    // The smoke test's few jobs show only that each model runs them.
    let count = match ctx.size {
        Size::Tiny => 6,
        size => size.scale(200),
    };
    (0..count)
        .map(|index| Task::Small { index, rounds })
        .collect()
}

/// Every row of the table.
pub fn rows(ctx: &Ctx, progress: Progress) -> Vec<(Model, Outcome)> {
    let tasks = tasks(ctx);
    super::job_rows(Workload::Tiny, &tasks, ctx.cores, ctx, progress, |_| {
        Fit::Runs
    })
}
