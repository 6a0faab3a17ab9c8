//! `cpu`: CPU-bound, independent chunks of arithmetic (claims C2, C13).
//! Every model that runs jobs runs them; the answer is each chunk's
//! number, checked against the sequential run.

use super::{Ctx, Fit, Outcome, Progress};
use crate::jobs::Task;
use crate::models::{Model, Size, Workload};

/// The jobs: chunks of `crunch`, each a fixed number of rounds that one
/// core of this machine does in about 60 ms at the default size (the
/// calibration in `ctx`); every row gets the same rounds.
pub fn tasks(ctx: &Ctx) -> Vec<Task> {
    let (chunks, ms) = match ctx.size {
        Size::Tiny => (8, 2.0),
        Size::Default => (16, 60.0),
        Size::Large => (64, 100.0),
    };
    let rounds = ctx.rounds_for_ms(ms);
    (0..chunks)
        .map(|chunk| Task::Crunch { chunk, rounds })
        .collect()
}

/// Every row of the table.
pub fn rows(ctx: &Ctx, progress: Progress) -> Vec<(Model, Outcome)> {
    let tasks = tasks(ctx);
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
