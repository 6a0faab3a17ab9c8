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
use lab_12::real::{EVENTS, RealRedis, RedisServer, reap_dead_workers, run_queue, run_worker};
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
    },
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Commands::Worker {
            redis,
            name,
            lease_ms,
        } => run_worker(&redis, &name, Duration::from_millis(lease_ms)).map_err(|e| e.to_string()),
        Commands::Reaper { redis } => reaper(&redis).map_err(|e| e.to_string()),
        Commands::Produce { redis, jobs } => RealRedis::connect(&redis)
            .and_then(|redis| redis.push_jobs(jobs))
            .map_err(|e| e.to_string()),
        Commands::Events { redis } => events(&redis).map_err(|e| e.to_string()),
        Commands::Measure { workers, jobs } => measure(&workers, jobs),
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
fn measure(workers: &[usize], jobs: u64) -> Result<(), String> {
    if workers.is_empty() || workers.contains(&0) || jobs == 0 {
        return Err(String::from("--workers and --jobs must be above 0"));
    }
    let server = RedisServer::start().map_err(|e| e.to_string())?;
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let patience = Duration::from_secs(120);
    println!(
        "{jobs} jobs per run, on redis-server at 127.0.0.1:{}\n",
        server.port
    );
    println!(
        "{:>8} {:>12} {:>16} {:>10} {:>6} {:>10}",
        "workers", "jobs/s", "raw LMOVE/s", "ratio", "lost", "done twice"
    );
    for &count in workers {
        let run =
            run_queue(&me, &server.url, count, jobs, None, patience).map_err(|e| e.to_string())?;
        let rate = jobs as f64 / run.elapsed.as_secs_f64();
        let raw = raw_lmove_rate(server.port, count);
        let (raw_text, ratio) = match raw {
            Some(raw) => (format!("{raw:.0}"), format!("{:.2}", rate / raw)),
            None => (String::from("?"), String::from("?")),
        };
        println!(
            "{count:>8} {rate:>12.0} {raw_text:>16} {ratio:>10} {:>6} {:>10}",
            run.lost, run.done_twice
        );
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
        "\nraw LMOVE/s: redis-benchmark, as many clients as workers, one LMOVE each time; \
         a job costs a worker several round trips (lease, BLMOVE, HINCRBY, LREM, PUBLISH)."
    );
    Ok(())
}

/// `redis-benchmark`'s rate for `LMOVE` (a list rotated onto itself) with
/// `clients` clients, if `redis-benchmark` is installed.
fn raw_lmove_rate(port: u16, clients: usize) -> Option<f64> {
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
            "100000",
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
