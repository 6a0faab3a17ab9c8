//! `tiny`: many small jobs of about 5 ms each (claim C12): is a process
//! per job affordable, or does starting it cost more than the job?

use super::{Ctx, Fit, Outcome, Progress};
use crate::jobs::Task;
use crate::models::{Model, Size, Workload};

/// The jobs: ~5 ms of CPU each.
pub fn tasks(size: Size) -> Vec<Task> {
    let count = size.scale(200);
    (0..count)
        .map(|index| Task::Small {
            index,
            micros: 5_000,
        })
        .collect()
}

/// Every row of the table.
pub fn rows(ctx: &Ctx, progress: Progress) -> Vec<(Model, Outcome)> {
    let tasks = tasks(ctx.size);
    super::job_rows(Workload::Tiny, &tasks, ctx.cores, ctx, progress, |_| {
        Fit::Runs
    })
}
