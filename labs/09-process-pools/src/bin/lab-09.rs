//! `lab-09`: the pool's command line, and the processes it starts.
//!
//! - `lab-09 run --pool processes --workers 2 --squares 100 --abort`: runs
//!   jobs on a pool chosen by a flag, and prints what became of them;
//! - `lab-09 worker`: a worker process (the pool starts these);
//! - `lab-09 lock --dir D --owner NAME`: races for `D/app.lock`.

use clap::{Parser, Subcommand};
use lab_09::fs::RealFs;
use lab_09::jobs::{Job, worker_main};
use lab_09::pools::{PoolConfig, PoolKind, build};
use std::io::{self, BufWriter};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Parser)]
#[command(name = "lab-09", about = "Process pools, isolation and marshaling.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs jobs on a pool and prints what became of each that failed.
    Run {
        /// Which pool: the configuration value (C7).
        #[arg(long, value_enum, default_value_t = PoolKind::Processes)]
        pool: PoolKind,
        /// How many workers (1 or more).
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..))]
        workers: u16,
        /// How many `Square` jobs.
        #[arg(long, default_value_t = 10)]
        squares: u64,
        /// Add a job that panics.
        #[arg(long)]
        panic: bool,
        /// Add a job that aborts the process it runs in.
        #[arg(long)]
        abort: bool,
    },
    /// Runs as a worker process: requests on stdin, replies on stdout.
    Worker,
    /// Races for the lock file `app.lock` in `dir`, as `owner`.
    Lock {
        /// The directory the lock file is in.
        #[arg(long)]
        dir: PathBuf,
        /// Who this process is (written into the lock file).
        #[arg(long)]
        owner: String,
        /// Use the exercise's `try_lock` (the starter, until you fix it)
        /// instead of the reference solution's.
        #[arg(long)]
        exercise: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Run {
            pool,
            workers,
            squares,
            panic,
            abort,
        } => run(pool, workers.into(), squares, panic, abort),
        Command::Worker => {
            let output = BufWriter::new(io::stdout().lock());
            worker_main(io::stdin().lock(), output).map(|()| ExitCode::SUCCESS)
        }
        Command::Lock {
            dir,
            owner,
            exercise,
        } => {
            let fs = RealFs { dir };
            let got = if exercise {
                lab_09::on_std::exercise::try_lock(&fs, "app.lock", &owner)
            } else {
                lab_09::on_std::solution::try_lock(&fs, "app.lock", &owner)
            };
            got.map(|got| {
                println!("{owner}: {}", if got { "got the lock" } else { "lost" });
                ExitCode::from(if got { 0 } else { 1 })
            })
        }
    };
    outcome.unwrap_or_else(|error| {
        eprintln!("lab-09: {error}");
        ExitCode::from(2)
    })
}

fn run(
    kind: PoolKind,
    workers: usize,
    squares: u64,
    panic: bool,
    abort: bool,
) -> io::Result<ExitCode> {
    let mut jobs: Vec<Job> = (0..squares).map(Job::Square).collect();
    if panic {
        jobs.push(Job::Panic);
    }
    if abort {
        jobs.push(Job::Abort);
    }
    let config = PoolConfig {
        kind,
        workers,
        program: std::env::current_exe()?,
        patience: Duration::from_secs(10),
        attempts: 2,
    };
    let results = build(&config).run(&jobs)?;
    print!("{}", lab_09::pools::summary(kind, &jobs, &results));
    Ok(ExitCode::SUCCESS)
}
