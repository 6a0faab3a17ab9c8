//! `cpu`: CPU-bound, independent chunks of arithmetic (claims C2, C13).
//! Every model that runs jobs runs them; the answer is each chunk's
//! number, checked against the sequential run.

use super::{Ctx, Fit, Outcome, Progress};
use crate::jobs::Task;
use crate::models::{Model, Size, Workload};

/// The jobs: chunks of `crunch`, about 0.1 s each on one core at the
/// default size (release build).
pub fn tasks(size: Size) -> Vec<Task> {
    let (chunks, rounds) = match size {
        Size::Tiny => (8, 2_000_000),
        Size::Default => (32, 60_000_000),
        Size::Large => (64, 120_000_000),
    };
    (0..chunks)
        .map(|chunk| Task::Crunch { chunk, rounds })
        .collect()
}

/// Every row of the table.
pub fn rows(ctx: &Ctx, progress: Progress) -> Vec<(Model, Outcome)> {
    let tasks = tasks(ctx.size);
    super::job_rows(
        Workload::Cpu,
        &tasks,
        ctx.cores,
        ctx,
        progress,
        |model| match model {
            Model::EventLoop => Fit::RunsBut(
                "one thread: a CPU job holds the loop until it is done, so the jobs take turns",
            ),
            _ => Fit::Runs,
        },
    )
}
