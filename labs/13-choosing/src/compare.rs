//! `lab-13 compare`: every workload in every model, measured in one run;
//! one table per workload, the JSON of every figure, and two SVG charts.

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

/// A whole run: what the JSON holds.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Report {
    /// Where it ran.
    pub machine: Machine,
    /// How big the workloads were.
    pub size: Size,
    /// How much of the machine was free when the run began (none in runs
    /// made before it was measured).
    #[serde(default)]
    pub load: Option<Load>,
    /// How long the whole run took, in seconds.
    pub seconds: f64,
    /// One table per workload run.
    pub tables: Vec<Table>,
}

/// How much of the machine a run had to itself: measured before the
/// first table, by spinning a thread on every core for a moment and
/// reading how much CPU time they were given.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Load {
    /// Cores' worth of CPU the spinning threads were given (at most
    /// `cores`).
    pub cores_free: f64,
    /// Whether that was too little to judge speed-ups by.
    pub busy: bool,
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
            Some(load) if load.busy => Err(format!(
                "not judged: the machine was busy (about {:.1} of {} cores were free)",
                load.cores_free, self.machine.cores
            )),
            _ => Ok(()),
        }
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

/// Runs `selected` workloads at `size`, handing each table to `finished`
/// as soon as it is measured; progress bars on stderr unless `quiet`.
pub fn compare(
    selected: &[Workload],
    size: Size,
    quiet: bool,
    mut finished: impl FnMut(&Table),
) -> io::Result<Report> {
    let machine = machine();
    // (The crash table's Redis row is n/a: no server for it alone.)
    let redis = if selected
        .iter()
        .any(|w| !w.is_fatal() && w.models().contains(&Model::RedisQueue))
    {
        match lab_12::real::RedisServer::start() {
            Ok(server) => Ok(server),
            Err(why) => Err(why.to_string()),
        }
    } else {
        Err(String::from("not needed"))
    };
    let ctx = Ctx {
        size,
        cores: machine.cores,
        program: std::env::current_exe()?,
        redis: redis.as_ref().map(|s| s.url.clone()).map_err(Clone::clone),
    };
    let start = Instant::now();
    let mut tables = Vec::new();
    for &workload in selected {
        let progress = |model: Model, jobs: u64| bar_for(workload, model, jobs, quiet);
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
    Ok(Report {
        machine,
        size,
        load: None,
        seconds: start.elapsed().as_secs_f64(),
        tables,
    })
}

/// Fills each row's speed-up against the sequential row, and against the
/// ideal (the core count).
fn add_speedups(table: &mut Table, cores: usize) {
    let sequential = table
        .rows
        .iter()
        .find(|r| r.model == Model::Sequential)
        .and_then(|r| r.outcome.figures())
        .map(|f| f.wall_s);
    let Some(sequential) = sequential else { return };
    for row in &mut table.rows {
        if let Outcome::Measured(figures) = &mut row.outcome {
            let speedup = sequential / figures.wall_s.max(1e-9);
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

fn mib(bytes: u64) -> String {
    format!("{:.0} MiB", bytes as f64 / (1024.0 * 1024.0))
}

fn kib(bytes: f64) -> String {
    format!("{:.1} KiB", bytes / 1024.0)
}

fn or_dash(value: Option<String>) -> String {
    value.unwrap_or_else(|| String::from("-"))
}

/// The columns a workload's table shows, and how each reads a row.
type Column = (&'static str, fn(&Figures) -> String);

fn columns(workload: Workload) -> Vec<Column> {
    let wall: Column = ("wall", |f| seconds(f.wall_s));
    let speedup: Column = ("speed-up", |f| {
        or_dash(f.speedup.map(|s| format!("{s:.2}×")))
    });
    let ideal: Column = ("of ideal", |f| {
        or_dash(f.of_ideal.map(|s| format!("{:.0} %", s * 100.0)))
    });
    let rate: Column = ("per s", |f| match f.per_second {
        rate if rate >= 1e6 => format!("{:.1} M", rate / 1e6),
        rate => format!("{rate:.0}"),
    });
    let cpu: Column = ("CPU usr+sys", |f| {
        format!("{:.2}+{:.2} s", f.cpu_user_s, f.cpu_system_s)
    });
    let rss: Column = ("peak RSS", |f| mib(f.peak_rss_bytes));
    let p50: Column = ("p50", |f| or_dash(f.p50_s.map(seconds)));
    let p99: Column = ("p99", |f| or_dash(f.p99_s.map(seconds)));
    let lines: Column = ("lines", |f| or_dash(f.lines.map(|n| n.to_string())));
    let ok: Column = ("answer", |f| {
        String::from(match f.correct {
            Some(true) => "ok",
            Some(false) => "WRONG",
            None => "-",
        })
    });
    match workload {
        Workload::Cpu | Workload::Tiny | Workload::Shared => {
            vec![wall, speedup, ideal, rate, cpu, rss, lines, ok]
        }
        // (Its `lines` are the cpu table's: the same models run other jobs.)
        Workload::Io => vec![wall, speedup, rate, p50, p99, cpu, rss, ok],
        Workload::Connections => vec![
            ("conns", |f| f.jobs.to_string()),
            ("server RSS/conn", |f| {
                or_dash(f.rss_per_connection_bytes.map(kib))
            }),
            ("kernel/conn", |f| {
                or_dash(f.kernel_per_connection_bytes.map(kib))
            }),
            p50,
            p99,
            lines,
        ],
        Workload::Mixed => vec![
            ("echo p50", |f| or_dash(f.p50_s.map(seconds))),
            ("echo p99", |f| or_dash(f.p99_s.map(seconds))),
            ("CPU jobs/s", |f| format!("{:.0}", f.per_second)),
            cpu,
            lines,
        ],
        Workload::Panic | Workload::Crash => vec![
            ("finished", |f| or_dash(f.finished.map(|n| n.to_string()))),
            ("lost", |f| or_dash(f.lost.map(|n| n.to_string()))),
            wall,
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
pub fn render(table: &Table) -> String {
    let columns = columns(table.workload);
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
    for note in notes {
        for (i, text) in wrap(&note, 96).into_iter().enumerate() {
            let _ = writeln!(out, "{}{text}", if i == 0 { "* " } else { "  " });
        }
    }
    out
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
