//! The workloads: what a row of each table is, and how each workload runs
//! a model. `cpu`, `io`, `tiny` and `crash` are lists of independent jobs,
//! which every model in `run.rs` can take; `connections`, `mixed` and
//! `shared` have code of their own.

use crate::jobs::{Answer, Task};
use crate::measure::{Cost, measured};
use crate::models::{Model, Size, Workload};
use crate::run::{self, Answers, CpuPart, Done};
use lab_09::pools::PoolKind;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

pub mod connections;
pub mod cpu;
pub mod crash;
pub mod io;
pub mod mixed;
pub mod shared;
pub mod tiny;

/// What every workload needs to know.
pub struct Ctx {
    /// How big.
    pub size: Size,
    /// Cores this machine has: threads per CPU-bound model.
    pub cores: usize,
    /// This lab's binary, for worker processes (`lab-13 worker`).
    pub program: PathBuf,
    /// A Redis server's URL, or why there is none.
    pub redis: Result<String, String>,
}

/// The figures of a row that was measured.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Figures {
    /// Wall time, seconds.
    pub wall_s: f64,
    /// CPU time in user mode (children included), seconds.
    pub cpu_user_s: f64,
    /// CPU time in the kernel (children included), seconds.
    pub cpu_system_s: f64,
    /// Peak resident memory, children included, bytes.
    pub peak_rss_bytes: u64,
    /// Jobs (or requests) done.
    pub jobs: u64,
    /// Jobs per second.
    pub per_second: f64,
    /// Wall time of the sequential row over this one's.
    pub speedup: Option<f64>,
    /// The speed-up over the ideal (the core count): 1.0 is perfect.
    pub of_ideal: Option<f64>,
    /// Median latency of a request, seconds.
    pub p50_s: Option<f64>,
    /// 99th percentile latency of a request, seconds.
    pub p99_s: Option<f64>,
    /// Whether the answer matched the sequential one (none where there is
    /// no answer to compare: crash, connections, mixed).
    pub correct: Option<bool>,
    /// Jobs finished (the crash workload).
    pub finished: Option<u64>,
    /// Jobs lost (the crash workload).
    pub lost: Option<u64>,
    /// Which jobs were lost (the crash workload).
    #[serde(default)]
    pub lost_jobs: Option<Vec<u64>>,
    /// Server memory per idle connection, bytes (connections).
    pub rss_per_connection_bytes: Option<f64>,
    /// Kernel thread stacks per idle connection, bytes (connections).
    pub kernel_per_connection_bytes: Option<f64>,
    /// The source lines of this model's code, between its anchors.
    pub lines: Option<usize>,
    /// Anything the reader should know about this row.
    pub note: Option<String>,
}

impl Figures {
    /// Figures from a measured cost and a job count.
    pub fn from_cost(cost: Cost, jobs: u64, correct: Option<bool>) -> Self {
        Self {
            wall_s: cost.wall,
            cpu_user_s: cost.cpu.user,
            cpu_system_s: cost.cpu.system,
            peak_rss_bytes: cost.peak_rss,
            jobs,
            per_second: jobs as f64 / cost.wall.max(1e-9),
            correct,
            ..Self::default()
        }
    }
}

/// What became of a model on a workload.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Outcome {
    /// It ran, and this is what it cost.
    Measured(Box<Figures>),
    /// It does not fit this workload: why.
    NotApplicable {
        /// Why.
        reason: String,
    },
    /// It was run and did not finish: why.
    Failed {
        /// What went wrong.
        error: String,
    },
}

impl Outcome {
    /// Not applicable, for this reason.
    pub fn na(reason: &str) -> Self {
        Outcome::NotApplicable {
            reason: reason.to_string(),
        }
    }

    /// The figures, if measured.
    pub fn figures(&self) -> Option<&Figures> {
        match self {
            Outcome::Measured(figures) => Some(figures.as_ref()),
            _ => None,
        }
    }
}

/// Whether a model fits a job-shaped workload.
pub enum Fit {
    /// It runs.
    Runs,
    /// It runs, and the reader should know this about its row.
    RunsBut(&'static str),
    /// It does not fit: why.
    NotApplicable(&'static str),
}

/// Makes a progress bar for a model's row, `jobs` long: what `compare`
/// shows while a row runs (hidden in tests).
pub type Progress<'a> = &'a dyn Fn(Model, u64) -> indicatif::ProgressBar;

/// Every row of a job-shaped workload: the sequential row first (its
/// answers are the reference), then every other model, checked against it.
pub fn job_rows(
    workload: Workload,
    tasks: &[Task],
    parallel: usize,
    ctx: &Ctx,
    progress: Progress,
    fit: impl Fn(Model) -> Fit,
) -> Vec<(Model, Outcome)> {
    let mut reference: Option<Vec<Answer>> = None;
    let mut rows = Vec::new();
    for model in workload.models() {
        let note = match fit(model) {
            Fit::NotApplicable(reason) => {
                rows.push((model, Outcome::na(reason)));
                continue;
            }
            Fit::RunsBut(note) => Some(note),
            Fit::Runs => None,
        };
        let bar = progress(model, tasks.len() as u64);
        let done = |_| bar.inc(1);
        let (mut outcome, answers) =
            run_jobs(model, tasks, parallel, ctx, reference.as_deref(), &done);
        bar.finish_and_clear();
        if let Outcome::Measured(figures) = &mut outcome {
            figures.note = note.map(String::from);
        }
        if model == Model::Sequential {
            // Its own answers are the reference: "ok" by definition.
            if let Outcome::Measured(figures) = &mut outcome {
                figures.correct = answers.is_some().then_some(true);
            }
            reference = answers;
        }
        rows.push((model, outcome));
    }
    rows
}

/// Runs `tasks` in `model` (a job-shaped workload), measured, and checks
/// the answers against `expected` (none for the sequential row itself).
/// `parallel`: threads, workers or tasks in flight at once.
pub fn run_jobs(
    model: Model,
    tasks: &[Task],
    parallel: usize,
    ctx: &Ctx,
    expected: Option<&[Answer]>,
    done: Done,
) -> (Outcome, Option<Vec<Answer>>) {
    let program = ctx.program.as_path();
    let cores = ctx.cores;
    let (answers, cost): (Answers, Cost) = match model {
        Model::Sequential => measured(|| run::sequential(tasks, done)),
        Model::Threads => measured(|| run::threads(tasks, parallel, done)),
        Model::Rayon => measured(|| run::rayon(tasks, done)),
        Model::PoolThreads => {
            measured(|| run::pool(PoolKind::Threads, tasks, parallel, program, done))
        }
        Model::PoolProcesses => {
            measured(|| run::pool(PoolKind::Processes, tasks, parallel, program, done))
        }
        Model::ProcessPerJob => measured(|| run::process_per_job(tasks, parallel, program, done)),
        Model::Tokio => measured(|| run::tokio(tasks, parallel, cores, CpuPart::Inline, done)),
        Model::TokioBlocking => {
            measured(|| run::tokio(tasks, parallel, cores, CpuPart::Blocking, done))
        }
        Model::TokioRayon => measured(|| run::tokio(tasks, parallel, cores, CpuPart::Rayon, done)),
        Model::TokioProcesses => {
            measured(|| run::tokio_processes(tasks, parallel, cores, program, done))
        }
        Model::EventLoop => measured(|| run::event_loop(tasks, done)),
        Model::RedisQueue => match &ctx.redis {
            Ok(url) => measured(|| run::redis_queue(tasks, parallel, program, url)),
            Err(why) => return (Outcome::na(&format!("no Redis server: {why}")), None),
        },
        other => {
            let reason = format!("{} is not a way to run independent jobs", other.label());
            return (Outcome::na(&reason), None);
        }
    };
    match answers {
        Ok(answers) => {
            // No reference (the sequential row itself, or it failed): no
            // verdict, rather than a verdict of "ok".
            let correct = expected.map(|expected| {
                expected.len() == answers.len()
                    && expected.iter().zip(&answers).all(|(e, a)| e.same_as(a))
            });
            let mut figures = Figures::from_cost(cost, tasks.len() as u64, correct);
            let latencies = answers.iter().filter_map(Answer::latency);
            let latencies: Vec<_> = latencies.map(std::time::Duration::from_secs_f64).collect();
            if let Some((p50, p99)) = crate::measure::percentiles(latencies) {
                (figures.p50_s, figures.p99_s) = (Some(p50), Some(p99));
            }
            figures.lines = lines_of(model);
            (Outcome::Measured(Box::new(figures)), Some(answers))
        }
        Err(error) => (Outcome::Failed { error }, None),
    }
}

/// The source lines of `model`'s code on `workload`, between its anchors,
/// blank lines and comments left out: the tables' `lines` column.
pub fn lines(workload: Workload, model: Model) -> Option<usize> {
    match workload {
        Workload::Connections => {
            let anchor = if model == Model::Threads {
                "threads"
            } else {
                "tasks"
            };
            count_lines(include_str!("../../../11-async-tokio/src/echo.rs"), anchor)
        }
        Workload::Shared => count_lines(
            include_str!("shared.rs"),
            &format!("shared_{}", model.slug()),
        ),
        Workload::Mixed => {
            count_lines(include_str!("mixed.rs"), &format!("mixed_{}", model.slug()))
        }
        _ => lines_of(model),
    }
}

/// The source lines of `model`'s code in `run.rs`, between its anchors,
/// blank lines and comments left out.
pub fn lines_of(model: Model) -> Option<usize> {
    let anchor = match model {
        Model::PoolThreads | Model::PoolProcesses => "pool".to_string(),
        Model::TokioBlocking | Model::TokioRayon => "tokio".to_string(),
        other => other.slug(),
    };
    count_lines(include_str!("../run.rs"), &anchor)
}

/// Lines of code between `// ANCHOR: name` and `// ANCHOR_END: name`.
pub fn count_lines(source: &str, anchor: &str) -> Option<usize> {
    let start = format!("// ANCHOR: {anchor}");
    let end = format!("// ANCHOR_END: {anchor}");
    let mut lines = source.lines().skip_while(|l| l.trim() != start).skip(1);
    let body: Vec<&str> = lines.by_ref().take_while(|l| l.trim() != end).collect();
    if body.is_empty() {
        return None;
    }
    Some(
        body.iter()
            .map(|l| l.trim())
            .filter(|l| !l.is_empty() && !l.starts_with("//"))
            .count(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_counted_between_anchors_without_comments() {
        let source = "x\n// ANCHOR: a\n/// doc\nfn a() {\n\n    1\n}\n// ANCHOR_END: a\n";
        assert_eq!(count_lines(source, "a"), Some(3));
        assert_eq!(count_lines(source, "b"), None);
    }

    #[test]
    fn an_answer_unlike_the_sequential_one_is_marked_wrong() {
        let ctx = Ctx {
            size: Size::Tiny,
            cores: 2,
            program: PathBuf::from("lab-13"),
            redis: Err(String::from("not needed")),
        };
        let tasks = [Task::Crunch {
            chunk: 1,
            rounds: 10,
        }];
        let right = [Answer::Number(crate::jobs::crunch(1, 10))];
        let wrong = [Answer::Number(crate::jobs::crunch(1, 10) + 1)];
        for (expected, correct) in [(&right, true), (&wrong, false)] {
            let (outcome, _) = run_jobs(Model::Threads, &tasks, 2, &ctx, Some(expected), &|_| {});
            assert_eq!(outcome.figures().and_then(|f| f.correct), Some(correct));
        }
    }

    #[test]
    fn every_job_model_has_its_lines_counted() {
        for model in crate::models::JOB_MODELS {
            assert!(lines_of(model).is_some_and(|n| n > 3), "{model:?}");
        }
    }
}
