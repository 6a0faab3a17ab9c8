//! `lab-13 compare`: every workload in every model, measured in one run;
//! one table per workload, the JSON of every figure, and two SVG charts.
//!
//! How it measures (see `measure.rs` and `calibrate.rs` for each part):
//! the CPU is calibrated once, so every row gets the same fixed work; how
//! many cores are free is measured before the first table and after the
//! last; each row starts its pool or runtime before its clock, runs once
//! unmeasured (the warm-up), then `--runs` times measured, and shows the
//! median with the lowest and highest run beside it.

use crate::models::{Model, Size, Workload};
use crate::workloads::{self, Ctx, Figures, Outcome};
use indicatif::{ProgressBar, ProgressStyle};
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// A row of a table, as the JSON has it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Row {
    /// The model.
    pub model: Model,
    /// Its name in the table.
    pub label: String,
    /// The chapter that teaches it.
    pub chapter: u8,
    /// What became of it.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// A workload's table.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Table {
    /// Which workload.
    pub workload: Workload,
    /// What it is, in a sentence.
    pub about: String,
    /// How big the run was: at `tiny`, the table is labelled a smoke test
    /// and shows no speed-up.
    #[serde(default = "default_size")]
    pub size: Size,
    /// Its rows, in order.
    pub rows: Vec<Row>,
}

/// The machine the figures were measured on.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Machine {
    /// Cores available to this program.
    pub cores: usize,
    /// The operating system.
    pub os: String,
    /// The processor architecture.
    pub arch: String,
    /// The compiler that built this program.
    pub rustc: String,
    /// Whether this program was built optimised (`--release`).
    pub optimised: bool,
}

fn default_size() -> Size {
    Size::Default
}

/// A whole run: what the JSON holds.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Report {
    /// Where it ran.
    pub machine: Machine,
    /// How big the workloads were.
    pub size: Size,
    /// How much of the machine was free (none in runs made before it was
    /// measured).
    #[serde(default)]
    pub load: Option<Load>,
    /// Measured runs per row (after one warm-up run each).
    #[serde(default = "one")]
    pub runs: usize,
    /// How the fixed-work jobs were sized, and the free cores measured.
    #[serde(default)]
    pub calibration: Option<crate::calibrate::Calibration>,
    /// What the memory sampler cost, over the whole run.
    #[serde(default)]
    pub sampler: Option<crate::measure::SamplerCost>,
    /// How long the whole run took, in seconds.
    pub seconds: f64,
    /// One table per workload run.
    pub tables: Vec<Table>,
}

fn one() -> usize {
    1
}

/// How much of the machine a run had to itself: measured before the
/// first table and after the last, by spinning a thread on every core
/// for a moment and reading how much CPU time they were given (the lower
/// of the two counts).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Load {
    /// Cores' worth of CPU the spinning threads were given (at most
    /// `cores`).
    pub cores_free: f64,
    /// Whether that was too little to judge speed-ups by: too few cores
    /// free before or after, or a sequential row that got too little of
    /// its core while it ran.
    pub busy: bool,
    /// The least share of a core that a CPU-bound sequential row (cpu,
    /// shared, tiny) got while it ran: its CPU time over its wall time. A
    /// machine that was busy only in the middle of a run shows here.
    #[serde(default)]
    pub sequential_share: Option<f64>,
}

/// The least CPU time over wall time of the CPU-bound sequential rows,
/// run by run: near 1 on a quiet machine (the row computes all the time
/// on one core), lower if something else took its core.
fn sequential_share(tables: &[Table]) -> Option<f64> {
    let bound = [Workload::Cpu, Workload::Shared, Workload::Tiny];
    tables
        .iter()
        .filter(|t| bound.contains(&t.workload) && t.size != Size::Tiny)
        .filter_map(|t| t.rows.iter().find(|r| r.model == Model::Sequential))
        .filter_map(|r| r.outcome.figures())
        .flat_map(|f| f.runs.iter())
        .map(|run| (run.cpu_user_s + run.cpu_system_s) / run.wall_s.max(1e-9))
        .reduce(f64::min)
}

impl Report {
    /// Whether this run's figures can carry a verdict: an optimised
    /// build, not the `--size tiny` smoke test, on a machine that was not
    /// busy. `Err` says why not, in words a reader can act on.
    pub fn judged(&self) -> Result<(), String> {
        if !self.machine.optimised {
            return Err(String::from(
                "not judged: an unoptimised build (run with --release)",
            ));
        }
        if self.size == Size::Tiny {
            return Err(String::from("not judged: --size tiny is a smoke test"));
        }
        match &self.load {
            Some(load) if load.busy => Err(match load.sequential_share {
                Some(share) if share < crate::calibrate::BUSY_BELOW => format!(
                    "not judged: the machine was busy (a sequential row got {:.0} % of its \
                     core; about {:.1} of {} cores were free before and after)",
                    share * 100.0,
                    load.cores_free,
                    self.machine.cores
                ),
                _ => format!(
                    "not judged: the machine was busy (about {:.1} of {} cores were free)",
                    load.cores_free, self.machine.cores
                ),
            }),
            _ => Ok(()),
        }
    }
}

impl Report {
    /// How this run was made, in a sentence: runs, free cores, what the
    /// memory sampler cost, how long it took.
    pub fn provenance(&self) -> String {
        let mut said = format!(
            "{} per row after a warm-up, on {} cores",
            counted(self.runs, "measured run"),
            self.machine.cores
        );
        if let Some(calibration) = &self.calibration {
            let _ = write!(
                said,
                ", about {:.1} of them free before the first table and {:.1} after the last",
                calibration.cores_free_before, calibration.cores_free_after
            );
        }
        if let Some(share) = self.load.as_ref().and_then(|l| l.sequential_share) {
            let _ = write!(
                said,
                "; the sequential rows got at least {:.0} % of a core",
                share * 100.0
            );
        }
        if let Some(sampler) = &self.sampler {
            let _ = write!(
                said,
                "; the memory sampler used {:.2} % of a core ({} samples)",
                sampler.share_of_a_core() * 100.0,
                sampler.samples
            );
        }
        let _ = write!(said, "; the whole run took {:.0} s.", self.seconds);
        said
    }

    /// The report as measured run `k` alone saw it: every figure that
    /// run's, not the median (for verdicts judged run by run).
    pub fn run(&self, k: usize) -> Report {
        let mut one = self.clone();
        for table in &mut one.tables {
            for row in &mut table.rows {
                if let Outcome::Measured(figures) = &mut row.outcome {
                    **figures = figures.run(k);
                }
            }
        }
        one
    }
}

/// `1 measured run`, `3 measured runs`: a count and its noun, singular
/// for one.
pub fn counted(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// A run for the tests: 2 cores, optimised, a quiet machine, one run,
/// `size` and `tables` as given; each test changes what it is about.
#[cfg(test)]
pub(crate) fn test_report(size: Size, tables: Vec<Table>) -> Report {
    Report {
        machine: Machine {
            cores: 2,
            os: "linux".into(),
            arch: "x86_64".into(),
            rustc: "rustc".into(),
            optimised: true,
        },
        size,
        load: Some(Load {
            cores_free: 2.0,
            busy: false,
            sequential_share: None,
        }),
        runs: 1,
        calibration: None,
        sampler: None,
        seconds: 1.0,
        tables,
    }
}

/// This machine.
pub fn machine() -> Machine {
    Machine {
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        os: std::env::consts::OS.to_string(),
        arch: std::env::consts::ARCH.to_string(),
        rustc: env!("LAB13_RUSTC_VERSION").to_string(),
        optimised: !cfg!(debug_assertions),
    }
}

fn about(workload: Workload) -> &'static str {
    match workload {
        Workload::Cpu => "CPU-bound, independent chunks of arithmetic (C2, C13)",
        Workload::Io => "requests to a loopback server that answers after 10 ms, 32 in flight (C3)",
        Workload::Connections => "idle connections held open, echo round trips across them (C1)",
        Workload::Mixed => "echo requests timed while CPU jobs run in the same program (C14, C16)",
        Workload::Shared => "every job updates shared word counts (C4, C5, C6)",
        Workload::Tiny => "many jobs of about 5 ms each (C12)",
        Workload::Panic => "100 jobs, one of which panics: what catches it? (C10)",
        Workload::Crash => "100 jobs, one of which aborts the process it runs in (C10)",
    }
}

/// The progress bar of one row: what it runs, how far, and how long is left.
fn bar_for(workload: Workload, model: Model, jobs: u64, hidden: bool) -> ProgressBar {
    // Every row starts here: an interrupted run starts no more of them.
    stop_here_if_interrupted();
    if hidden {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(jobs);
    let style = ProgressStyle::with_template(
        "{prefix:>34} [{bar:30}] {pos}/{len} {elapsed_precise} (about {eta} left)",
    )
    .expect("the template is valid")
    .progress_chars("=> ");
    bar.set_style(style);
    bar.set_prefix(format!("{} · {}", workload.name(), model.label()));
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

/// Set when the run is interrupted (Ctrl-C): the thread that stops its
/// processes and ends it is at work, and nothing else may start or finish.
pub static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Waits for ever if the run was interrupted: the interrupt's thread ends
/// the program (with exit status 130) once it has stopped every process
/// the run started, so that the run neither starts another row nor ends
/// as if it had finished.
pub fn stop_here_if_interrupted() {
    while INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst) {
        std::thread::park();
    }
}

/// How long each core spins to measure how much of the machine is free:
/// shorter for the smoke test, which judges nothing.
fn spin(size: Size) -> std::time::Duration {
    std::time::Duration::from_millis(if size == Size::Tiny { 20 } else { 300 })
}

/// What a run of `compare` is asked for.
#[derive(Clone, Copy, Debug)]
pub struct Plan<'a> {
    /// Which workloads.
    pub selected: &'a [Workload],
    /// How big.
    pub size: Size,
    /// Measured runs per row, after a warm-up run (at least 1).
    pub runs: usize,
    /// No progress bars.
    pub quiet: bool,
}

/// Calibrates, then runs the plan's workloads, handing each table to
/// `finished` as soon as it is measured (and `started` the sentence on
/// the machine's load, before the first); progress bars on stderr unless
/// `quiet`.
pub fn compare(
    plan: Plan,
    started: impl FnOnce(&str),
    mut finished: impl FnMut(&Table),
) -> io::Result<Report> {
    if plan.runs == 0 {
        let error = "--runs must be at least 1: a row needs a measured run";
        return Err(io::Error::new(io::ErrorKind::InvalidInput, error));
    }
    let machine = machine();
    let start = Instant::now();
    let rounds_per_ms = crate::calibrate::rounds_per_ms();
    let cores_free_before = crate::calibrate::cores_free(machine.cores, spin(plan.size));
    started(&crate::calibrate::describe(
        cores_free_before,
        machine.cores,
    ));
    let redis = if plan
        .selected
        .iter()
        .any(|w| w.models().contains(&Model::RedisQueue))
    {
        match lab_12::real::RedisServer::start() {
            Ok(server) => Ok(server),
            Err(why) => Err(why.to_string()),
        }
    } else {
        Err(String::from("not needed"))
    };
    let ctx = Ctx {
        size: plan.size,
        cores: machine.cores,
        program: std::env::current_exe()?,
        redis: redis.as_ref().map(|s| s.url.clone()).map_err(Clone::clone),
        rounds_per_ms,
        runs: plan.runs,
    };
    let mut tables = Vec::new();
    for &workload in plan.selected {
        let progress = |model: Model, jobs: u64| bar_for(workload, model, jobs, plan.quiet);
        let rows = match workload {
            Workload::Cpu => workloads::cpu::rows(&ctx, &progress),
            Workload::Io => workloads::io::rows(&ctx, &progress),
            Workload::Connections => workloads::connections::rows(&ctx, &progress),
            Workload::Mixed => workloads::mixed::rows(&ctx, &progress),
            Workload::Shared => workloads::shared::rows(&ctx, &progress),
            Workload::Tiny => workloads::tiny::rows(&ctx, &progress),
            Workload::Panic | Workload::Crash => workloads::crash::rows(workload, &ctx, &progress),
        };
        let mut table = Table {
            workload,
            about: about(workload).to_string(),
            size: plan.size,
            rows: rows
                .into_iter()
                .map(|(model, outcome)| Row {
                    model,
                    label: match (workload, model) {
                        (Workload::Shared, Model::Threads) => "threads, a map each".to_string(),
                        _ => model.label().to_string(),
                    },
                    chapter: model.chapter(),
                    outcome,
                })
                .collect(),
        };
        add_speedups(&mut table, machine.cores);
        finished(&table);
        tables.push(table);
    }
    let cores_free_after = crate::calibrate::cores_free(machine.cores, spin(plan.size));
    let calibration = crate::calibrate::Calibration {
        rounds_per_ms,
        cores_free_before,
        cores_free_after,
    };
    let cores_free = calibration.cores_free();
    let sequential_share = sequential_share(&tables);
    Ok(Report {
        load: Some(Load {
            cores_free,
            busy: crate::calibrate::is_busy(cores_free, machine.cores)
                || sequential_share.is_some_and(|share| share < crate::calibrate::BUSY_BELOW),
            sequential_share,
        }),
        machine,
        size: plan.size,
        runs: plan.runs,
        calibration: Some(calibration),
        sampler: Some(crate::measure::sampler_cost()),
        seconds: start.elapsed().as_secs_f64(),
        tables,
    })
}

/// Fills each row's speed-up against the sequential row, run for run (the
/// k-th run of each), and its median; and against the ideal (the core
/// count).
fn add_speedups(table: &mut Table, cores: usize) {
    let sequential = table
        .rows
        .iter()
        .find(|r| r.model == Model::Sequential)
        .and_then(|r| r.outcome.figures())
        .map(|f| {
            (
                f.wall_s,
                f.runs.iter().map(|r| r.wall_s).collect::<Vec<_>>(),
            )
        });
    let Some((sequential_median, sequential_runs)) = sequential else {
        return;
    };
    for row in &mut table.rows {
        if let Outcome::Measured(figures) = &mut row.outcome {
            for (k, run) in figures.runs.iter_mut().enumerate() {
                let base = sequential_runs.get(k).copied().unwrap_or(sequential_median);
                run.speedup = Some(base / run.wall_s.max(1e-9));
            }
            let speedups = figures.runs.iter().filter_map(|r| r.speedup).collect();
            let speedup =
                workloads::median(speedups).unwrap_or(sequential_median / figures.wall_s.max(1e-9));
            figures.speedup = Some(speedup);
            figures.of_ideal = Some(speedup / cores as f64);
        }
    }
}

/// A duration in seconds, in the unit that reads best: `2.01 s`,
/// `85.6 ms`, `47 µs`.
pub fn seconds(s: f64) -> String {
    if s == 0.0 {
        String::from("0")
    } else if s >= 1.0 {
        format!("{s:.2} s")
    } else if s >= 1e-3 {
        format!("{:.1} ms", s * 1e3)
    } else {
        format!("{:.0} µs", s * 1e6)
    }
}

fn mib(bytes: f64) -> String {
    format!("{:.1} MiB", bytes / (1024.0 * 1024.0))
}

fn kib(bytes: f64) -> String {
    format!("{:.1} KiB", bytes / 1024.0)
}

fn or_dash(value: Option<String>) -> String {
    value.unwrap_or_else(|| String::from("-"))
}

/// A duration in the unit [`seconds`] picks for `unit_of`, without the
/// unit: the numbers of a range beside its median.
fn seconds_like(s: f64, unit_of: f64) -> String {
    if unit_of >= 1.0 {
        format!("{s:.2}")
    } else if unit_of >= 1e-3 {
        format!("{:.1}", s * 1e3)
    } else {
        format!("{:.0}", s * 1e6)
    }
}

/// A median and, when there was more than one run, the lowest and
/// highest run: `1.93× (1.90–1.95)`.
fn with_range(median: String, range: Option<(String, String)>, runs: usize) -> String {
    match range {
        Some((low, high)) if runs > 1 => format!("{median} ({low}–{high})"),
        _ => median,
    }
}

fn speedup_cell(f: &Figures) -> String {
    let Some(speedup) = f.speedup else {
        return String::from("-");
    };
    let range = f.range(|r| r.speedup);
    let range = range.map(|(l, h)| (format!("{l:.2}"), format!("{h:.2}")));
    with_range(format!("{speedup:.2}×"), range, f.runs.len())
}

fn wall_cell(f: &Figures) -> String {
    let range = f.range(|r| Some(r.wall_s));
    let range = range.map(|(l, h)| (seconds_like(l, f.wall_s), seconds_like(h, f.wall_s)));
    with_range(seconds(f.wall_s), range, f.runs.len())
}

fn rate(per_second: f64) -> String {
    if per_second >= 1e6 {
        format!("{:.1} M", per_second / 1e6)
    } else {
        format!("{per_second:.0}")
    }
}

fn rate_cell(f: &Figures) -> String {
    let range = f.range(|r| Some(r.per_second));
    let range = range.map(|(l, h)| (rate(l), rate(h)));
    with_range(rate(f.per_second), range, f.runs.len())
}

/// The tail of the latencies: the 99th percentile with the runs' range,
/// or `max` when too few requests were timed for a 99th percentile.
fn tail_cell(f: &Figures) -> String {
    let Some(latency) = f.latency else {
        return String::from("-");
    };
    if latency.count < crate::measure::Latency::FEW {
        return format!("max {}", seconds(latency.max_s));
    }
    let range = f.range(|r| r.latency.map(|l| l.p99_s));
    let range = range.map(|(l, h)| {
        (
            seconds_like(l, latency.p99_s),
            seconds_like(h, latency.p99_s),
        )
    });
    with_range(seconds(latency.p99_s), range, f.runs.len())
}

/// The columns a workload's table shows, and how each reads a row.
type Column = (&'static str, fn(&Figures) -> String);

fn columns(workload: Workload, size: Size) -> Vec<Column> {
    let wall: Column = ("wall", wall_cell);
    let speedup: Column = ("speed-up", speedup_cell);
    let per_second: Column = ("per s", rate_cell);
    let cpu: Column = ("CPU usr+sys", |f| {
        format!("{:.2}+{:.2} s", f.cpu_user_s, f.cpu_system_s)
    });
    let memory: Column = ("memory", |f| mib(f.memory_bytes as f64));
    let startup: Column = ("start-up", |f| or_dash(f.startup_s.map(seconds)));
    let p50: Column = ("p50", |f| or_dash(f.p50_s.map(seconds)));
    let p99: Column = ("p99", tail_cell);
    let lines: Column = ("lines", |f| or_dash(f.lines.map(|n| n.to_string())));
    let ok: Column = ("answer", |f| {
        String::from(match f.correct {
            Some(true) => "ok",
            Some(false) => "WRONG",
            None => "-",
        })
    });
    // A smoke test shows no speed-up: its rows are too short to support one.
    let timing = if size == Size::Tiny { wall } else { speedup };
    match workload {
        Workload::Cpu | Workload::Shared => {
            vec![timing, cpu, memory, startup, lines, ok]
        }
        Workload::Tiny => vec![per_second, cpu, memory, startup, lines, ok],
        // (Its `lines` are the cpu table's: the same models run other jobs.)
        // (Its start-ups are said under it: no room for a column.)
        Workload::Io => vec![per_second, p50, p99, cpu, ok],
        Workload::Connections => vec![
            ("conns", |f| f.jobs.to_string()),
            ("server RSS/conn", |f| {
                or_dash(f.rss_per_connection_bytes.map(kib))
            }),
            ("kernel/conn", |f| {
                or_dash(f.kernel_per_connection_bytes.map(kib))
            }),
            p50,
            ("p99", |f| or_dash(f.p99_s.map(seconds))),
            lines,
        ],
        Workload::Mixed => vec![
            ("echo p50", |f| or_dash(f.p50_s.map(seconds))),
            ("echo p99", tail_cell),
            ("CPU jobs/s", |f| format!("{:.0}", f.per_second)),
            cpu,
            lines,
        ],
        Workload::Panic | Workload::Crash => vec![
            ("program", |f| {
                String::from(match f.survived {
                    Some(true) => "survived",
                    Some(false) => "died",
                    None => "-",
                })
            }),
            ("finished", |f| or_dash(f.finished.map(|n| n.to_string()))),
            ("lost", |f| or_dash(f.lost.map(|n| n.to_string()))),
            lines,
        ],
    }
}

/// Wraps `text` to lines of at most `width` characters.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let last = lines.last_mut().expect("one line at least");
        if !last.is_empty() && last.chars().count() + 1 + word.chars().count() > width {
            lines.push(word.to_string());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
}

/// The table of one workload, as text at most 100 characters wide: a row
/// per model; a model that does not fit says why, on its own lines.
pub fn render(table: &Table, cores: usize) -> String {
    let columns = columns(table.workload, table.size);
    let cells: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|row| match &row.outcome {
            Outcome::Measured(f) => columns.iter().map(|(_, read)| read(f)).collect(),
            _ => Vec::new(),
        })
        .collect();
    let label_width = table
        .rows
        .iter()
        .map(|r| r.label.chars().count())
        .max()
        .unwrap_or(5);
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, (name, _))| {
            cells
                .iter()
                .filter_map(|row| row.get(i))
                .map(|c| c.chars().count())
                .chain([name.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    let _ = writeln!(out, "{} · {}", table.workload.name(), table.about);
    if table.size == Size::Tiny {
        let smoke = "SMOKE TEST (--size tiny): too small to judge; no speed-ups shown";
        let _ = writeln!(out, "{smoke}");
    }
    let mut header = format!("{:<label_width$}", "model");
    for ((name, _), width) in columns.iter().zip(&widths) {
        let _ = write!(header, "  {name:>width$}");
    }
    let _ = writeln!(out, "{header}");
    let _ = writeln!(out, "{}", "─".repeat(header.chars().count()));
    let mut notes = Vec::new();
    for (row, cells) in table.rows.iter().zip(&cells) {
        let mut line = format!("{:<label_width$}", row.label);
        match &row.outcome {
            Outcome::Measured(figures) => {
                for (cell, width) in cells.iter().zip(&widths) {
                    let _ = write!(line, "  {cell:>width$}");
                }
                if let Some(note) = &figures.note {
                    notes.push(format!("{}: {note}", row.label));
                }
                let _ = writeln!(out, "{}", line.trim_end());
            }
            Outcome::NotApplicable { reason } => {
                let _ = writeln!(out, "{line}  n/a");
                for text in wrap(reason, 96 - label_width) {
                    let _ = writeln!(out, "{:label_width$}    {text}", "");
                }
            }
            Outcome::Failed { error } => {
                let _ = writeln!(out, "{line}  FAILED");
                for text in wrap(error, 96 - label_width) {
                    let _ = writeln!(out, "{:label_width$}    {text}", "");
                }
            }
        }
    }
    notes.extend(how_measured(table));
    notes.extend(above_the_cores(table, cores));
    for note in notes {
        for (i, text) in wrap(&note, 96).into_iter().enumerate() {
            let _ = writeln!(out, "{}{text}", if i == 0 { "* " } else { "  " });
        }
    }
    out
}

/// The line under a table whose speed-ups pass the core count: `cores`
/// cores cannot do more than `cores` times one core's work, so such a
/// figure is the core count plus the noise of the runs it divides (the
/// sequential row's as well as its own), and the table says so. Only a
/// table that shows speed-ups says it: where the work is waiting
/// (io), more waits at once than cores is the point.
fn above_the_cores(table: &Table, cores: usize) -> Option<String> {
    let shows_speedups = columns(table.workload, table.size)
        .iter()
        .any(|(name, _)| *name == "speed-up");
    if !shows_speedups {
        return None;
    }
    let above: Vec<&str> = table
        .rows
        .iter()
        .filter(|row| {
            row.outcome
                .figures()
                .and_then(|f| f.speedup)
                .is_some_and(|s| s > cores as f64)
        })
        .map(|row| row.label.as_str())
        .collect();
    (!above.is_empty()).then(|| {
        format!(
            "{}: above {cores}× on {cores} cores, which no program can do: a speed-up divides the \
             sequential row's time, whose runs vary too; read it as {cores}×, within the noise",
            above.join(", ")
        )
    })
}

/// The lines under a table that say how its cells were measured: how
/// many runs each median is of, and how many latencies each percentile.
fn how_measured(table: &Table) -> Vec<String> {
    let measured: Vec<&Figures> = table
        .rows
        .iter()
        .filter_map(|r| r.outcome.figures())
        .collect();
    let mut notes = Vec::new();
    let runs = measured.iter().map(|f| f.runs.len()).max().unwrap_or(0);
    if runs > 1 {
        notes.push(format!(
            "each figure is the median of {runs} runs after a warm-up; (lowest–highest) beside it"
        ));
    } else if !table.workload.is_fatal() && runs == 1 {
        notes.push(String::from(
            "each figure is one run after a warm-up: no spread",
        ));
    }
    // A table with no start-up column (io) says what its pools' start-up
    // was, where there was one worth saying.
    if !columns(table.workload, table.size)
        .iter()
        .any(|(name, _)| *name == "start-up")
    {
        for row in &table.rows {
            if let Some(startup) = row.outcome.figures().and_then(|f| f.startup_s)
                && startup >= 1e-3
            {
                let took = seconds(startup);
                notes.push(format!(
                    "{}: started before the clock, in {took}",
                    row.label
                ));
            }
        }
    }
    let counts: Vec<u64> = measured
        .iter()
        .filter_map(|f| f.latency.map(|l| l.count))
        .collect();
    if let (Some(least), Some(most)) = (counts.iter().min(), counts.iter().max()) {
        let (what, tail) = (
            if least == most {
                format!("{least} latencies per row")
            } else {
                format!("{least} to {most} latencies per row")
            },
            if *least < crate::measure::Latency::FEW {
                format!(
                    ", `max` where fewer than {} (too few for a p99)",
                    crate::measure::Latency::FEW
                )
            } else {
                String::new()
            },
        );
        notes.push(format!("p50 and p99 of {what}{tail}"));
    }
    notes
}

/// Where the JSON and the charts go by default: `target/lab-13/`, beside
/// the binary's own folder.
pub fn output_dir() -> io::Result<PathBuf> {
    let exe = std::env::current_exe()?;
    let target = exe
        .ancestors()
        .find(|dir| dir.file_name().is_some_and(|n| n == "target"))
        .map(Path::to_path_buf)
        .unwrap_or_else(std::env::temp_dir);
    Ok(target.join("lab-13"))
}

/// Writes the report as JSON to `path`.
pub fn write_json(report: &Report, path: &Path) -> io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let json = serde_json::to_string_pretty(report).map_err(io::Error::other)?;
    std::fs::write(path, json + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::Latency;
    use crate::workloads::Sample;

    /// Figures as wide as a default run's get: three runs, four-digit
    /// rates, tails in seconds with a wide range, every column filled.
    fn wide() -> Figures {
        let latency = Latency {
            count: 2250,
            p50_s: 0.1234,
            p99_s: 3.456,
            p999_s: 4.0,
            max_s: 5.0,
        };
        let sample = |k: f64| Sample {
            wall_s: 12.345 * k,
            cpu_user_s: 123.45,
            cpu_system_s: 12.34,
            memory_bytes: 1 << 34,
            per_second: 12_345.0 * k,
            speedup: Some(1.93 * k),
            latency: Some(Latency {
                p99_s: 3.456 * k,
                ..latency
            }),
        };
        let mut figures =
            Figures::from_samples(vec![sample(0.5), sample(1.0), sample(1.5)], 99, Some(true));
        figures.speedup = Some(1.93);
        figures.startup_s = Some(0.0381);
        figures.lines = Some(147);
        figures.finished = Some(100);
        figures.lost = Some(100);
        figures.survived = Some(true);
        figures.rss_per_connection_bytes = Some(12_345.0);
        figures.kernel_per_connection_bytes = Some(16_384.0);
        figures
    }

    /// A default-size cpu table whose sequential row's runs got these
    /// CPU seconds over one second of wall time each.
    fn sequential_got(cpu: &[f64]) -> Table {
        let runs = cpu
            .iter()
            .map(|&cpu_user_s| Sample {
                wall_s: 1.0,
                cpu_user_s,
                ..Sample::default()
            })
            .collect();
        Table {
            workload: Workload::Cpu,
            about: String::new(),
            size: Size::Default,
            rows: vec![Row {
                model: Model::Sequential,
                label: "sequential".into(),
                chapter: 1,
                outcome: Outcome::Measured(Box::new(Figures::from_samples(runs, 1, Some(true)))),
            }],
        }
    }

    #[test]
    fn a_sequential_row_that_lost_its_core_mid_run_shows_a_busy_machine() {
        // Quiet: every run computed nearly all the time.
        let quiet = sequential_share(&[sequential_got(&[0.99, 0.98, 0.99])]);
        assert!(quiet.is_some_and(|share| share >= crate::calibrate::BUSY_BELOW));
        // One run got 60 % of its core: something else took the rest.
        let busy = sequential_share(&[sequential_got(&[0.99, 0.60, 0.99])]);
        assert_eq!(busy, Some(0.60));
        // A smoke test's rows are too short to say.
        let mut smoke = sequential_got(&[0.2]);
        smoke.size = Size::Tiny;
        assert_eq!(sequential_share(&[smoke]), None);
    }

    #[test]
    fn every_table_fits_a_hundred_columns_with_a_default_run_s_widest_figures() {
        for size in [Size::Default, Size::Tiny] {
            for workload in Workload::ALL {
                let table = Table {
                    workload,
                    about: about(workload).to_string(),
                    size,
                    rows: workload
                        .models()
                        .into_iter()
                        .map(|model| Row {
                            model,
                            label: model.label().to_string(),
                            chapter: model.chapter(),
                            outcome: Outcome::Measured(Box::new(wide())),
                        })
                        .collect(),
                };
                let text = render(&table, 2);
                for line in text.lines() {
                    assert!(line.chars().count() <= 100, "{size:?} {workload:?}: {line}");
                }
                assert!(text.contains("median of 3 runs"), "{text}");
            }
        }
    }

    #[test]
    fn a_speed_up_above_the_core_count_is_called_noise_and_one_below_is_not() {
        let table = |speedups: &[(Model, f64)]| Table {
            workload: Workload::Cpu,
            about: String::new(),
            size: Size::Default,
            rows: speedups
                .iter()
                .map(|&(model, speedup)| Row {
                    model,
                    label: model.label().to_string(),
                    chapter: model.chapter(),
                    outcome: Outcome::Measured(Box::new(Figures {
                        speedup: Some(speedup),
                        ..wide()
                    })),
                })
                .collect(),
        };
        let above = render(&table(&[(Model::Threads, 1.97), (Model::Tokio, 2.08)]), 2);
        assert!(above.contains("tokio: above 2× on 2 cores"), "{above}");
        assert!(!above.contains("threads: above"), "{above}");
        let below = render(&table(&[(Model::Threads, 1.97), (Model::Tokio, 2.0)]), 2);
        assert!(!below.contains("above 2×"), "{below}");
        // Four cores: 2.08× is no longer above them.
        let more = render(&table(&[(Model::Tokio, 2.08)]), 4);
        assert!(!more.contains("above"), "{more}");
    }
}
