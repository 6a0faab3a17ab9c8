//! `lab-13`: one workload in every model, measured side by side.
//!
//! - `lab-13 compare [--workload W] [--size tiny|default|large] [--json FILE]`:
//!   every table, the JSON of every figure and two charts;
//! - `lab-13 advise [--machines N ... --event-loop yes|no] [--json FILE]`:
//!   the decision guide's questions (asked for whatever the flags leave
//!   out), and its answer, backed by your last judged compare run or the
//!   book's reference run;
//! - the commands the tool starts in processes of its own (hidden from
//!   `--help`): `worker` (a pool's or a Redis queue's worker process),
//!   `run-task` (a process per job), `delay-server`, `serve` (lab-11's echo
//!   servers) and `crash-child`.

use clap::{Parser, Subcommand};
use lab_13::advise::{Asking, Given, advice, walk};
use lab_13::compare::{Report, compare, output_dir, render, write_json};
use lab_13::jobs::Task;
use lab_13::models::{Model, Size, Workload};
use lab_13::workloads::Ctx;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Parser)]
#[command(
    name = "lab-13",
    about = "One workload in every model, measured side by side on this machine."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs every workload (or one) in every model; prints a table each.
    Compare {
        /// Only this workload.
        #[arg(long, value_enum)]
        workload: Option<Workload>,
        /// How big: tiny (a smoke test: seconds, no speed-ups), default
        /// (about 3 minutes on 2 cores), large.
        #[arg(long, value_enum, default_value_t = Size::Default)]
        size: Size,
        /// Measured runs per row, after one warm-up run: each figure is
        /// their median, with the lowest and highest beside it.
        #[arg(long, default_value_t = 3, value_parser = runs_from)]
        runs: u16,
        /// Where to write every figure as JSON (default:
        /// target/lab-13/compare.json).
        #[arg(long)]
        json: Option<PathBuf>,
        /// No progress bars (the tables still print as each is measured).
        #[arg(long)]
        quiet: bool,
    },
    /// Asks the decision guide's questions (or takes them as flags) and
    /// says which model to use, why, and the figure that backs it.
    Advise {
        #[command(flatten)]
        given: Given,
        /// The compare run whose figures to quote, if it was judged
        /// (default: target/lab-13/compare.json, where compare writes).
        #[arg(long)]
        json: Option<PathBuf>,
    },
    /// A worker process: lab-09's pool's (jobs on stdin, answers on stdout)
    /// or, with --redis, lab-12's queue's.
    #[command(hide = true)]
    Worker {
        /// The jobs, as JSON, that the queue's job numbers index.
        #[arg(long, requires = "redis")]
        tasks: Option<String>,
        /// The Redis server's URL.
        #[arg(long, requires_all = ["tasks", "name"])]
        redis: Option<String>,
        /// This worker's name.
        #[arg(long)]
        name: Option<String>,
    },
    /// Runs one job, given as JSON; prints its answer as JSON.
    #[command(hide = true)]
    RunTask {
        /// The job.
        task: String,
    },
    /// Serves requests that are answered after a delay, until killed.
    #[command(hide = true)]
    DelayServer,
    /// lab-11's echo server, until killed.
    #[command(hide = true)]
    Serve {
        /// How it serves connections.
        #[arg(long, value_enum)]
        model: lab_11::c10k::Model,
    },
    /// Runs the crash or panic workload in one model, printing `done N`
    /// per job.
    #[command(hide = true)]
    CrashChild {
        /// Which: crash or panic.
        #[arg(long, value_enum)]
        workload: Workload,
        /// Which model.
        #[arg(long, value_enum)]
        model: Model,
        /// How big.
        #[arg(long, value_enum)]
        size: Size,
        /// Rounds of work per millisecond (the parent's calibration).
        #[arg(long)]
        rounds_per_ms: u64,
        /// The Redis server's URL, for the Redis queue's row.
        #[arg(long)]
        redis: Option<String>,
    },
}

/// `--runs`: a whole number from 1 to 100, or an error that says so.
fn runs_from(text: &str) -> Result<u16, String> {
    match text.parse::<u16>() {
        Ok(runs @ 1..=100) => Ok(runs),
        _ => Err(String::from(
            "must be a whole number from 1 to 100 (1..=100): measured runs per row",
        )),
    }
}

fn main() -> ExitCode {
    let command = Cli::parse().command;
    if !matches!(command, Command::Compare { .. } | Command::Advise { .. }) {
        // A process `compare` started of this program (a worker, a server,
        // a crash child): it ends when the thread that started it does, so
        // that a `compare` killed with `kill -9`, which no handler sees,
        // leaves none of these behind. (Its Redis server is another
        // program: only Ctrl-C's handler stops that.)
        let _ =
            rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::KILL));
    }
    let outcome = match command {
        Command::Compare {
            workload,
            size,
            runs,
            json,
            quiet,
        } => run_compare(workload, size, runs.into(), json, quiet),
        Command::Advise { given, json } => {
            match advise(given, json) {
                // The input ended before every question was answered:
                // a usage error, like a bad flag.
                Err(error) if error.kind() == io::ErrorKind::UnexpectedEof => {
                    eprintln!("lab-13: {error}");
                    return ExitCode::from(2);
                }
                other => other,
            }
        }
        Command::Worker { tasks, redis, name } => worker(tasks, redis, name),
        Command::RunTask { task } => run_task(&task),
        Command::DelayServer => lab_13::workloads::io::serve_delays(),
        Command::Serve { model } => lab_11::c10k::serve(model),
        Command::CrashChild {
            workload,
            model,
            size,
            rounds_per_ms,
            redis,
        } => {
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            std::env::current_exe().and_then(|program| {
                let ctx = Ctx {
                    size,
                    cores,
                    program,
                    redis: redis.ok_or_else(|| String::from("none given to the crash child")),
                    rounds_per_ms,
                    // The warm-up run alone: the jobs run once.
                    runs: 0,
                };
                lab_13::workloads::crash::crash_child(workload, model, &ctx)
            })
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("lab-13: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run_compare(
    workload: Option<Workload>,
    size: Size,
    runs: usize,
    json: Option<PathBuf>,
    quiet: bool,
) -> io::Result<()> {
    stop_children_on_interrupt();
    let selected: Vec<Workload> = workload.map_or(Workload::ALL.to_vec(), |w| vec![w]);
    // Where the figures go is checked first: a path that cannot be written
    // fails now, not after minutes of measuring.
    let json = json.unwrap_or_else(|| output_dir().unwrap_or_default().join("compare.json"));
    if let Some(dir) = json.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", dir.display())))?;
    }
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&json)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", json.display())))?;
    let machine = lab_13::compare::machine();
    println!(
        "lab-13 compare · {} cores · {} {} · {}",
        machine.cores, machine.os, machine.arch, machine.rustc,
    );
    if !machine.optimised {
        println!("NOT OPTIMISED: these figures mean little; run with --release");
    }
    // Each table as soon as it is measured: a long run shows its results
    // as it goes.
    if size == Size::Tiny {
        println!("SMOKE TEST (--size tiny): it shows that every model runs, not how fast");
    }
    let plan = lab_13::compare::Plan {
        selected: &selected,
        size,
        runs,
        quiet,
    };
    let report = compare(
        plan,
        |load| {
            for line in lab_13::compare::wrap(load, 96) {
                println!("{line}");
            }
        },
        |table| println!("\n{}", render(table, harness::machine::cores())),
    )?;
    lab_13::compare::stop_here_if_interrupted();
    let mut out = io::stdout().lock();
    // The charts go beside the JSON.
    let dir = json
        .parent()
        .map_or_else(|| PathBuf::from("."), PathBuf::from);
    write_json(&report, &json)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", json.display())))?;
    writeln!(out, "every figure: {}", json.display())?;
    for chart in lab_13::chart::write_charts(&report, &dir)? {
        writeln!(out, "chart: {}", chart.display())?;
    }
    // C17 is judged from a `lab-12 machines` run, if the reader made one.
    let machines_json = lab_12::machines::default_json();
    let machines = lab_12::machines::load(&machines_json).unwrap_or_else(|error| {
        eprintln!("lab-13: C17 not judged: {error}");
        None
    });
    writeln!(
        out,
        "\n{}",
        lab_13::scoreboard::text(&report, machines.as_ref())
    )?;
    if machines.is_some() {
        let age = std::fs::metadata(&machines_json)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|at| at.elapsed().ok())
            .map_or_else(String::new, |age| {
                format!(", saved {} min ago", age.as_secs() / 60)
            });
        writeln!(
            out,
            "C17 is judged from {}{age} (a `lab-12 machines` run, not this one)",
            machines_json.display()
        )?;
    }
    for line in lab_13::compare::wrap(&report.provenance(), 96) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// On Ctrl-C (or SIGTERM), stops every process this run started (worker
/// processes, servers, Redis, crash children and theirs), then exits with
/// 130: an interrupted run leaves nothing behind.
fn stop_children_on_interrupt() {
    use tokio::signal::unix::{SignalKind, signal};
    // The handlers are installed here, before the run starts any process:
    // a Ctrl-C that came before a watcher thread got to install them would
    // be lost (or, where the shell ignores it, ignored).
    let installed = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .and_then(|runtime| {
            let inside = runtime.enter();
            let interrupt = signal(SignalKind::interrupt())?;
            let terminate = signal(SignalKind::terminate())?;
            drop(inside);
            Ok((runtime, interrupt, terminate))
        });
    let (runtime, mut interrupt, mut terminate) = match installed {
        Ok(installed) => installed,
        Err(error) => {
            eprintln!("lab-13: cannot watch for Ctrl-C: {error}");
            return;
        }
    };
    let watcher = move || {
        runtime.block_on(async {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
        });
        // No row starts from now on, and the run cannot end as finished.
        lab_13::compare::INTERRUPTED.store(true, std::sync::atomic::Ordering::SeqCst);
        // A row under way may still be starting a child as we look: look
        // until three looks in a row find none (or 5 s have passed).
        let (mut stopped, mut none_seen, began) = (0, 0, std::time::Instant::now());
        while none_seen < 3 && began.elapsed() < Duration::from_secs(5) {
            let children = lab_13::measure::descendants();
            none_seen = if children.is_empty() {
                none_seen + 1
            } else {
                0
            };
            for pid in children {
                let pid = rustix::process::Pid::from_raw(pid as i32);
                if let Some(pid) = pid
                    && rustix::process::kill_process(pid, rustix::process::Signal::KILL).is_ok()
                {
                    stopped += 1;
                }
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        eprintln!("\nlab-13: interrupted; stopped {stopped} process(es) it had started");
        std::process::exit(130);
    };
    if let Err(error) = std::thread::Builder::new()
        .name("interrupt".into())
        .spawn(watcher)
    {
        eprintln!("lab-13: cannot watch for Ctrl-C: {error}");
    }
}

fn advise(given: Given, json: Option<PathBuf>) -> io::Result<()> {
    use std::io::IsTerminal;
    let mut asking = Asking {
        given,
        echo: !io::stdin().is_terminal(),
        input: io::stdin().lock(),
        output: io::stderr(),
    };
    let (leaf, path) = walk(&mut asking)?;
    let yours = match json {
        Some(json) => json,
        None => output_dir()?.join("compare.json"),
    };
    // Named as the reader would type it: relative to where they are.
    let here = std::env::current_dir().unwrap_or_default();
    let shown = yours.strip_prefix(&here).unwrap_or(&yours).display();
    // advice() quotes it only if its run was judged.
    let last_run = match std::fs::read_to_string(&yours) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            Err(format!("you have no compare run at {shown}"))
        }
        Err(error) => Err(format!("{shown} cannot be read ({error})")),
        Ok(text) => match serde_json::from_str::<Report>(&text) {
            Ok(report) => Ok((report, shown.to_string())),
            Err(error) => Err(format!("{shown} is not a compare run ({error})")),
        },
    };
    let reference = include_str!("../../../../book/src/lab-13/reference.json");
    let reference: Report = serde_json::from_str(reference).map_err(io::Error::other)?;
    print!("{}", advice(&leaf, &path, &last_run, &reference));
    Ok(())
}

fn worker(tasks: Option<String>, redis: Option<String>, name: Option<String>) -> io::Result<()> {
    match (tasks, redis, name) {
        (Some(tasks), Some(url), Some(name)) => {
            let tasks: Vec<Task> = serde_json::from_str(&tasks).map_err(|error| {
                let message = format!("--tasks is not a list of jobs: {error}");
                io::Error::new(io::ErrorKind::InvalidInput, message)
            })?;
            let work = |job: u64| {
                let task = tasks.get(job as usize)?;
                task.try_run().ok().map(|answer| answer.number())
            };
            lab_12::real::run_worker_doing(&url, &name, Duration::from_millis(300), work)
                .map_err(|error| io::Error::other(format!("Redis at {url}: {error}")))
        }
        _ => {
            let output = BufWriter::new(io::stdout().lock());
            lab_09::jobs::serve::<Task>(io::stdin().lock(), output)
        }
    }
}

fn run_task(task: &str) -> io::Result<()> {
    let task: Task = serde_json::from_str(task).map_err(|error| {
        let message = format!("{task:?} is not a job: {error}");
        io::Error::new(io::ErrorKind::InvalidInput, message)
    })?;
    let answer = task.try_run()?;
    serde_json::to_writer(io::stdout().lock(), &answer).map_err(io::Error::other)
}
