//! The workloads: what a row of each table is, and how each workload runs
//! a model. `cpu`, `io`, `tiny` and `crash` are lists of independent jobs,
//! which every model in `run.rs` can take; `connections`, `mixed` and
//! `shared` have code of their own.

use crate::jobs::{Answer, Task};
use crate::measure::{Cost, Latencies, Latency, measured};
use crate::models::{Model, Size, Workload};
use crate::run::{self, Done};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::time::{Duration, Instant};

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
    /// Rounds of `crunch` per millisecond of one core (the calibration):
    /// what fixed-work jobs are sized by.
    pub rounds_per_ms: u64,
    /// Measured runs per row, after one unmeasured warm-up run.
    pub runs: usize,
}

impl Ctx {
    /// Rounds of work that take `ms` milliseconds of one core here.
    pub fn rounds_for_ms(&self, ms: f64) -> u64 {
        (self.rounds_per_ms as f64 * ms) as u64
    }
}

/// One measured run of a row.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Sample {
    /// Wall time, seconds.
    pub wall_s: f64,
    /// CPU time in user mode (children included), seconds.
    pub cpu_user_s: f64,
    /// CPU time in the kernel (children included), seconds.
    pub cpu_system_s: f64,
    /// The row's own increase in PSS at its peak, bytes.
    pub memory_bytes: u64,
    /// Jobs (or requests) per second.
    pub per_second: f64,
    /// The sequential row's wall time over this one's, run for run.
    #[serde(default)]
    pub speedup: Option<f64>,
    /// This run's latencies.
    #[serde(default)]
    pub latency: Option<Latency>,
}

impl Sample {
    /// A run's figures from its cost.
    pub fn from_cost(cost: Cost, jobs: u64, baseline: u64) -> Self {
        Self {
            wall_s: cost.wall,
            cpu_user_s: cost.cpu.user,
            cpu_system_s: cost.cpu.system,
            memory_bytes: cost.peak_pss.saturating_sub(baseline),
            per_second: jobs as f64 / cost.wall.max(1e-9),
            speedup: None,
            latency: None,
        }
    }
}

/// The median of some numbers (the mean of the middle two for an even
/// count); `None` for none.
pub fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    Some(if values.len() % 2 == 1 {
        values[middle]
    } else {
        (values[middle - 1] + values[middle]) / 2.0
    })
}

/// The figures of a row that was measured: each the median of its runs
/// (every run is kept in `runs`, for the spread).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Figures {
    /// Wall time, seconds.
    pub wall_s: f64,
    /// CPU time in user mode (children included), seconds.
    pub cpu_user_s: f64,
    /// CPU time in the kernel (children included), seconds.
    pub cpu_system_s: f64,
    /// The row's own increase in PSS at its peak (this process and the
    /// worker processes it started before its clock), bytes.
    pub memory_bytes: u64,
    /// Jobs (or requests) done in one run.
    pub jobs: u64,
    /// Jobs per second.
    pub per_second: f64,
    /// Wall time of the sequential row over this one's.
    pub speedup: Option<f64>,
    /// The speed-up over the ideal (the core count): 1.0 is perfect.
    pub of_ideal: Option<f64>,
    /// How long starting the model's pool or runtime took, before the
    /// clock (none for a model that starts nothing).
    #[serde(default)]
    pub startup_s: Option<f64>,
    /// Median latency of a request, seconds, over every run.
    pub p50_s: Option<f64>,
    /// 99th percentile latency of a request, seconds, over every run.
    pub p99_s: Option<f64>,
    /// Every run's latencies together: percentiles with their count.
    #[serde(default)]
    pub latency: Option<Latency>,
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
    /// Whether the program survived (the crash and panic workloads).
    #[serde(default)]
    pub survived: Option<bool>,
    /// Server memory per idle connection, bytes (connections).
    pub rss_per_connection_bytes: Option<f64>,
    /// Kernel thread stacks per idle connection, bytes (connections).
    pub kernel_per_connection_bytes: Option<f64>,
    /// The source lines of this model's code, between its anchors.
    pub lines: Option<usize>,
    /// Anything the reader should know about this row.
    pub note: Option<String>,
    /// Every measured run, in order (the warm-up run is not among them).
    #[serde(default)]
    pub runs: Vec<Sample>,
}

impl Figures {
    /// Figures from one measured cost and a job count (a row measured
    /// once: the crash and panic tables).
    pub fn from_cost(cost: Cost, jobs: u64, correct: Option<bool>) -> Self {
        Self::from_samples(vec![Sample::from_cost(cost, jobs, 0)], jobs, correct)
    }

    /// Figures from every measured run: each figure the runs' median.
    pub fn from_samples(runs: Vec<Sample>, jobs: u64, correct: Option<bool>) -> Self {
        let middle = |read: fn(&Sample) -> f64| median(runs.iter().map(read).collect());
        // Without the runs' histograms (see `with_pooled`), the median of
        // the runs' percentiles, and their counts added.
        let all: Vec<Latency> = runs.iter().filter_map(|r| r.latency).collect();
        let of = |read: fn(&Latency) -> f64| median(all.iter().map(read).collect());
        let latency = of(|l| l.p50_s).map(|p50_s| Latency {
            count: all.iter().map(|l| l.count).sum(),
            p50_s,
            p99_s: of(|l| l.p99_s).unwrap_or_default(),
            p999_s: of(|l| l.p999_s).unwrap_or_default(),
            max_s: all.iter().map(|l| l.max_s).fold(0.0, f64::max),
        });
        Self {
            wall_s: middle(|r| r.wall_s).unwrap_or_default(),
            cpu_user_s: middle(|r| r.cpu_user_s).unwrap_or_default(),
            cpu_system_s: middle(|r| r.cpu_system_s).unwrap_or_default(),
            memory_bytes: middle(|r| r.memory_bytes as f64).unwrap_or_default() as u64,
            jobs,
            per_second: middle(|r| r.per_second).unwrap_or_default(),
            p50_s: latency.map(|l| l.p50_s),
            p99_s: latency.map(|l| l.p99_s),
            latency,
            correct,
            runs,
            ..Self::default()
        }
    }

    /// These figures with their latency percentiles taken from every
    /// run's latencies together (`pooled`, the runs' histograms added):
    /// what the tables' p50 and p99 are.
    pub fn with_pooled(mut self, pooled: &Latencies) -> Self {
        if let Some(latency) = pooled.summary() {
            (self.p50_s, self.p99_s, self.latency) =
                (Some(latency.p50_s), Some(latency.p99_s), Some(latency));
        }
        self
    }

    /// The lowest and highest of a figure over the runs.
    pub fn range(&self, read: impl Fn(&Sample) -> Option<f64>) -> Option<(f64, f64)> {
        let values: Vec<f64> = self.runs.iter().filter_map(read).collect();
        let low = values.iter().copied().reduce(f64::min)?;
        let high = values.iter().copied().reduce(f64::max)?;
        Some((low, high))
    }

    /// These figures as run `k` alone measured them (for a verdict judged
    /// run by run); the figures themselves if there is no such run.
    pub fn run(&self, k: usize) -> Figures {
        let Some(sample) = self.runs.get(k) else {
            return self.clone();
        };
        let mut one = self.clone();
        one.wall_s = sample.wall_s;
        one.cpu_user_s = sample.cpu_user_s;
        one.cpu_system_s = sample.cpu_system_s;
        one.memory_bytes = sample.memory_bytes;
        one.per_second = sample.per_second;
        one.speedup = sample.speedup.or(self.speedup);
        if let Some(latency) = sample.latency {
            (one.p50_s, one.p99_s, one.latency) =
                (Some(latency.p50_s), Some(latency.p99_s), Some(latency));
        }
        one
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
        if model == Model::RedisQueue
            && let Err(why) = &ctx.redis
        {
            rows.push((model, Outcome::na(&format!("no Redis server: {why}"))));
            continue;
        }
        let bar = progress(model, (tasks.len() * (1 + ctx.runs)) as u64);
        let done = |_| bar.inc(1);
        let expected = reference.as_deref();
        let (mut outcome, answers) =
            run_jobs(model, (tasks, workload), parallel, ctx, expected, &done);
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

/// A row's measured runs: what each cost and returned.
pub struct Repeated<T> {
    /// Each measured run's figures, in order.
    pub samples: Vec<Sample>,
    /// Each measured run's result, in order.
    pub results: Vec<T>,
    /// How long `start` took, seconds.
    pub startup_s: f64,
}

/// How every row is measured: `start` (a pool, a runtime; timed, before
/// any clock), then `once` run once unmeasured (the warm-up) and
/// `ctx.runs` times measured. The memory sampler reads this process and
/// the worker processes alive after `start` (found once, before the
/// clock); each run's memory is its increase over the PSS of this process
/// and its children before `start`. The first error ends the row.
pub fn repeat<S, T>(
    ctx: &Ctx,
    (jobs, sample_memory): (u64, bool),
    start: impl FnOnce() -> Result<S, String>,
    mut once: impl FnMut(&mut S) -> Result<T, String>,
) -> Result<Repeated<T>, String> {
    // Processes already running (a Redis server the whole run shares)
    // are in the baseline too: only what this row adds is its memory.
    let baseline = crate::measure::pss_of(&crate::measure::descendants());
    let began = Instant::now();
    let mut started = start()?;
    let startup_s = began.elapsed().as_secs_f64();
    let pids = crate::measure::descendants();
    once(&mut started)?;
    let (mut samples, mut results) = (Vec::new(), Vec::new());
    for _ in 0..ctx.runs {
        let (result, cost) = measured(&pids, sample_memory, || once(&mut started));
        samples.push(Sample::from_cost(cost, jobs, baseline));
        results.push(result?);
    }
    Ok(Repeated {
        samples,
        results,
        startup_s,
    })
}

/// Runs `tasks` in `model` (a job-shaped workload), [`repeat`]ed; checks
/// every run's answers against `expected` (none for the sequential row
/// itself: no verdict, rather than a verdict of "ok").
pub fn run_jobs(
    model: Model,
    (tasks, workload): (&[Task], Workload),
    parallel: usize,
    ctx: &Ctx,
    expected: Option<&[Answer]>,
    done: Done,
) -> (Outcome, Option<Vec<Answer>>) {
    let (program, redis) = (ctx.program.as_path(), ctx.redis.as_deref().ok());
    let start = || {
        run::start(model, parallel, ctx.cores, program)
            .map_err(|error| format!("{} did not start: {error}", model.label()))
    };
    let once = |started: &mut run::Started| {
        run::run_started(model, started, tasks, parallel, program, redis, done)
    };
    let measuring = (tasks.len() as u64, workload.shows_memory());
    match repeat(ctx, measuring, start, once) {
        Ok(Repeated {
            mut samples,
            results,
            startup_s,
        }) => {
            let mut pooled = Latencies::new();
            for (sample, answers) in samples.iter_mut().zip(&results) {
                let mut latencies = Latencies::new();
                let times = answers.iter().filter_map(Answer::latency);
                times.for_each(|t| latencies.record(Duration::from_secs_f64(t)));
                sample.latency = latencies.summary();
                pooled.add(&latencies);
            }
            let correct = expected.map(|expected| results.iter().all(|a| agrees(expected, a)));
            let figures = Figures::from_samples(samples, tasks.len() as u64, correct);
            let mut figures = figures.with_pooled(&pooled);
            figures.startup_s = starts_something(model).then_some(startup_s);
            figures.lines = lines_of(model);
            (
                Outcome::Measured(Box::new(figures)),
                results.into_iter().last(),
            )
        }
        Err(error) => (Outcome::Failed { error }, None),
    }
}

/// Whether two lists of answers say the same.
fn agrees(expected: &[Answer], answers: &[Answer]) -> bool {
    expected.len() == answers.len() && expected.iter().zip(answers).all(|(e, a)| e.same_as(a))
}

/// Whether a model starts a pool or a runtime before its first job
/// (lab-09's thread pool starts its threads in each run: they are scoped
/// to it).
fn starts_something(model: Model) -> bool {
    matches!(
        model,
        Model::Rayon
            | Model::PoolProcesses
            | Model::Tokio
            | Model::TokioBlocking
            | Model::TokioRayon
            | Model::TokioProcesses
    )
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
    fn the_tables_percentiles_are_of_every_run_s_latencies_together() {
        // One run of a thousand 1 ms answers, two of ten 50 ms answers:
        // the median of the runs' medians is 50 ms; of every answer, 1 ms.
        let runs = [(1000, 1), (10, 50), (10, 50)];
        let (mut samples, mut pooled) = (Vec::new(), Latencies::new());
        for (count, ms) in runs {
            let mut latencies = Latencies::new();
            (0..count).for_each(|_| latencies.record(Duration::from_millis(ms)));
            samples.push(Sample {
                latency: latencies.summary(),
                ..Sample::default()
            });
            pooled.add(&latencies);
        }
        let medians = Figures::from_samples(samples, 1, None);
        assert!((medians.p50_s.unwrap() - 0.050).abs() < 1e-4, "{medians:?}");
        let figures = medians.with_pooled(&pooled);
        assert!((figures.p50_s.unwrap() - 0.001).abs() < 1e-5, "{figures:?}");
        assert_eq!(figures.latency.unwrap().count, 1020);
        // The runs' own p99s are still there, for the range.
        assert_eq!(
            figures.range(|r| r.latency.map(|l| l.count as f64)),
            Some((10.0, 1000.0))
        );
    }

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
            rounds_per_ms: 1,
            runs: 2,
        };
        let tasks = [Task::Crunch {
            chunk: 1,
            rounds: 10,
        }];
        let right = [Answer::Number(crate::jobs::crunch(1, 10))];
        let wrong = [Answer::Number(crate::jobs::crunch(1, 10) + 1)];
        for (expected, correct) in [(&right, true), (&wrong, false)] {
            let (outcome, _) = run_jobs(
                Model::Threads,
                (&tasks, Workload::Cpu),
                2,
                &ctx,
                Some(expected),
                &|_| {},
            );
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
