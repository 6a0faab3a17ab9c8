//! `lab-12`: a reliable work queue on Redis.
//!
//! - `lab-12 worker --redis URL --name NAME`: a worker process;
//! - `lab-12 reaper --redis URL`: takes back dead workers' jobs, for ever;
//! - `lab-12 produce --redis URL --jobs N`: pushes jobs `0..N`;
//! - `lab-12 events --redis URL`: prints the workers' and reaper's events;
//! - `lab-12 measure`: starts a server of its own and measures throughput
//!   against the number of workers, beside `redis-benchmark`'s raw `LMOVE`
//!   rate, and a run under `kill -9`.

use clap::{Parser, Subcommand};
use lab_12::real::{
    EVENTS, RealRedis, RedisServer, reap_dead_workers, run_queue, run_worker_doing,
};
use std::process::{Command, ExitCode};
use std::thread;
use std::time::Duration;

#[derive(Parser)]
#[command(name = "lab-12", about = "A reliable work queue on Redis.")]
struct Cli {
    #[command(subcommand)]
    command: Commands,
}

#[derive(Subcommand)]
enum Commands {
    /// Runs a worker until it is killed.
    Worker {
        /// The server, e.g. redis://127.0.0.1:6379/.
        #[arg(long)]
        redis: String,
        /// This worker's name (its processing list and lease are named after it).
        #[arg(long)]
        name: String,
        /// How long the lease lasts without renewal, in milliseconds.
        #[arg(long, default_value_t = 300)]
        lease_ms: u64,
        /// For the tests: job JOB is poison, its work kills this worker
        /// with SIGKILL (as a crash, or the out-of-memory killer, would).
        #[arg(long, value_name = "JOB", hide = true)]
        die_on: Option<u64>,
    },
    /// Takes back the jobs of dead workers, every 100 ms, for ever.
    Reaper {
        /// The server.
        #[arg(long)]
        redis: String,
    },
    /// Pushes jobs `0..jobs` onto the queue.
    Produce {
        /// The server.
        #[arg(long)]
        redis: String,
        /// How many jobs.
        #[arg(long)]
        jobs: u64,
    },
    /// Prints the events workers and the reaper publish.
    Events {
        /// The server.
        #[arg(long)]
        redis: String,
    },
    /// Measures throughput with 1, 2, 4, 8 workers on a server of its own.
    Measure {
        /// How many workers, in turn.
        #[arg(long, value_delimiter = ',', default_values_t = [1, 2, 4, 8])]
        workers: Vec<usize>,
        /// Jobs per run.
        #[arg(long, default_value_t = 20_000)]
        jobs: u64,
        /// Runs of each, the queue's and redis-benchmark's, taking turns:
        /// the table shows the medians.
        #[arg(long, default_value_t = 5)]
        rounds: usize,
    },
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Commands::Worker {
            redis,
            name,
            lease_ms,
            die_on,
        } => {
            let lease = Duration::from_millis(lease_ms);
            run_worker_doing(&redis, &name, lease, |job| {
                if Some(job) == die_on {
                    let me = rustix::process::getpid();
                    let _ = rustix::process::kill_process(me, rustix::process::Signal::KILL);
                }
                None
            })
            .map_err(|e| e.to_string())
        }
        Commands::Reaper { redis } => reaper(&redis).map_err(|e| e.to_string()),
        Commands::Produce { redis, jobs } => RealRedis::connect(&redis)
            .and_then(|redis| redis.push_jobs(jobs))
            .map_err(|e| e.to_string()),
        Commands::Events { redis } => events(&redis).map_err(|e| e.to_string()),
        Commands::Measure {
            workers,
            jobs,
            rounds,
        } => measure(&workers, jobs, rounds),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("lab-12: {error}");
            ExitCode::FAILURE
        }
    }
}

fn reaper(url: &str) -> redis::RedisResult<()> {
    let redis = RealRedis::connect(url)?;
    loop {
        reap_dead_workers(&redis)?;
        thread::sleep(Duration::from_millis(100));
    }
}

// ANCHOR: events
fn events(url: &str) -> redis::RedisResult<()> {
    let mut connection = redis::Client::open(url)?.get_connection()?;
    let mut subscription = connection.as_pubsub();
    subscription.subscribe(EVENTS)?;
    loop {
        let message = subscription.get_message()?;
        println!("{}", message.get_payload::<String>()?);
    }
}
// ANCHOR_END: events

// ANCHOR: measure
fn measure(workers: &[usize], jobs: u64, rounds: usize) -> Result<(), String> {
    if workers.is_empty() || workers.contains(&0) || jobs == 0 || rounds == 0 {
        return Err(String::from(
            "--workers, --jobs and --rounds must be above 0",
        ));
    }
    let server = RedisServer::start().map_err(|e| e.to_string())?;
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let patience = Duration::from_secs(120);
    println!(
        "{jobs} jobs per run, on redis-server at 127.0.0.1:{}; each figure the median of \
         {rounds} rounds,\neach round a run of the queue, then redis-benchmark with as many \
         LMOVEs as jobs\n",
        server.port
    );
    println!(
        "{:>8} {:>12} {:>16} {:>10} {:>6} {:>10}",
        "workers", "jobs/s", "raw LMOVE/s", "ratio", "lost", "done twice"
    );
    for &count in workers {
        let (mut rates, mut raws, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        let (mut lost, mut done_twice) = (0, 0);
        for _ in 0..rounds {
            let run = run_queue(&me, &server.url, count, jobs, None, patience)
                .map_err(|e| e.to_string())?;
            let rate = jobs as f64 / run.elapsed.as_secs_f64();
            (lost, done_twice) = (lost + run.lost, done_twice + run.done_twice);
            rates.push(rate);
            // Right after the queue's run, on the same server: the two
            // see the same machine, as near as one can make it.
            if let Some(raw) = raw_lmove_rate(server.port, count, jobs) {
                raws.push(raw);
                ratios.push(rate / raw);
            }
        }
        let (raw_text, ratio) = match (median(&mut raws), median(&mut ratios)) {
            (Some(raw), Some(ratio)) => (format!("{raw:.0}"), format!("{ratio:.2}")),
            _ => (String::from("?"), String::from("?")),
        };
        let rate = median(&mut rates).unwrap_or_default();
        println!("{count:>8} {rate:>12.0} {raw_text:>16} {ratio:>10} {lost:>6} {done_twice:>10}");
    }
    let every = (jobs / 25).max(1);
    let run =
        run_queue(&me, &server.url, 4, jobs, Some(every), patience).map_err(|e| e.to_string())?;
    println!(
        "\nUnder kill -9: 4 workers, one killed each {every} jobs done ({} killed, {} jobs \
         requeued):\n{} of {} jobs lost; {} unfinished; {} done twice (at-least-once: done, \
         then the worker died before its ack).",
        run.killed, run.requeued, run.lost, run.jobs, run.unfinished, run.done_twice
    );
    println!(
        "\nraw LMOVE/s: redis-benchmark, as many clients as workers, one LMOVE a round trip. \
         ratio: jobs/s\ndivided by raw LMOVE/s, round by round. A job costs a worker one \
         round trip (its count,\nack and event go with the next claim; the lease with one \
         in many), so expect about 1\n(above 1 if redis-benchmark's client, an event loop, \
         is slower than the workers').\nlost and done twice: summed over the rounds."
    );
    Ok(())
}

/// The median of `values`, if there are any.
fn median(values: &mut [f64]) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied()
}

/// `redis-benchmark`'s rate for `requests` `LMOVE`s (a list rotated onto
/// itself) with `clients` clients, if `redis-benchmark` is installed.
fn raw_lmove_rate(port: u16, clients: usize, requests: u64) -> Option<f64> {
    let port = port.to_string();
    let redis = RealRedis::connect(&format!("redis://127.0.0.1:{port}/")).ok()?;
    redis
        .query::<()>(redis::cmd("RPUSH").arg("ring").arg(1))
        .ok()?;
    let output = Command::new("redis-benchmark")
        .args([
            "-p",
            &port,
            "-c",
            &clients.to_string(),
            "-n",
            &requests.to_string(),
            "-q",
        ])
        .args(["LMOVE", "ring", "ring", "RIGHT", "LEFT"])
        .output()
        .ok()?;
    // "LMOVE ring ring RIGHT LEFT: 52083.33 requests per second, p50=..."
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text
        .lines()
        .rev()
        .find(|line| line.contains("requests per second"))?;
    let after_colon = line.rsplit_once(": ")?.1;
    after_colon.split_whitespace().next()?.parse().ok()
}
// ANCHOR_END: measure
