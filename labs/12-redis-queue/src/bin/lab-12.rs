//! `lab-12`: a reliable work queue on Redis.
//!
//! - `lab-12 worker --redis URL --name NAME`: a worker process;
//! - `lab-12 stream-worker --redis URL --name NAME`: the same on a
//!   stream's consumer group;
//! - `lab-12 reaper --redis URL`: takes back dead workers' jobs, for ever;
//! - `lab-12 produce --redis URL --jobs N`: pushes jobs `0..N`;
//! - `lab-12 events --redis URL`: prints the workers' and reaper's events;
//! - `lab-12 measure`: starts a server of its own and measures throughput
//!   against the number of workers, beside `redis-benchmark`'s raw `LMOVE`
//!   rate, and a run under `kill -9`.

use clap::{Parser, Subcommand};
use harness::machine;
use lab_12::machines::measure_machines;
use lab_12::real::{
    EVENTS, Queue, RealRedis, RedisServer, Run, reap_dead_workers, run_queue_on,
    run_worker_retrying,
};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::thread;
use std::time::Duration;

#[derive(Parser)]
#[command(name = "lab-12", about = "A reliable work queue on Redis.")]
struct Cli {
    #[command(subcommand)]
    command: Commands,
}

/// What a worker is told, on either queue.
#[derive(clap::Args)]
struct WorkerArgs {
    /// The server, e.g. redis://127.0.0.1:6379/.
    #[arg(long)]
    redis: String,
    /// This worker's name (its processing list, its lease, its consumer
    /// in the stream's group are named after it).
    #[arg(long)]
    name: String,
    /// The lease, in milliseconds: how long a list worker's heartbeat
    /// lasts without renewal, or a stream entry may stay unacknowledged,
    /// before another takes its jobs.
    #[arg(long, default_value_t = 300)]
    lease_ms: u64,
    /// For the tests: job JOB is poison, its work kills this worker
    /// with SIGKILL (as a crash, or the out-of-memory killer, would).
    #[arg(long, value_name = "JOB", hide = true)]
    die_on: Option<u64>,
    /// For the tests: each job's work takes this long, in milliseconds.
    #[arg(long, default_value_t = 0, hide = true)]
    work_ms: u64,
    /// After losing the server, how long to keep trying to reach it again
    /// (waiting longer after each try) before giving up, in milliseconds.
    #[arg(long, default_value_t = lab_12::real::RETRY_FOR.as_millis() as u64)]
    retry_for_ms: u64,
}

impl WorkerArgs {
    /// The lease, and how long to try to reach a lost server.
    fn times(&self) -> (Duration, Duration) {
        (
            Duration::from_millis(self.lease_ms),
            Duration::from_millis(self.retry_for_ms),
        )
    }
}

#[derive(Subcommand)]
enum Commands {
    /// Runs a worker until it is killed.
    Worker(WorkerArgs),
    /// Runs a worker on the stream's consumer group (`XREADGROUP`, `XACK`,
    /// `XAUTOCLAIM`) until it is killed; its lease is each entry's: how
    /// long it may stay unacknowledged before another worker claims it.
    StreamWorker(WorkerArgs),
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
    /// Runs workers on two simulated machines (network namespaces, root
    /// needed): throughput against added round-trip time and workers per
    /// machine, then a whole machine killed and a machine cut off.
    Machines {
        /// Jobs per run.
        #[arg(long, default_value_t = 2_000)]
        jobs: u64,
        /// Runs of each, for the median and the spread.
        #[arg(long, default_value_t = 3)]
        rounds: usize,
        /// Where to save every figure, for lab-13's scoreboard (default:
        /// target/lab-12/machines.json, where lab-13 looks).
        #[arg(long)]
        json: Option<PathBuf>,
    },
    /// Measures throughput with 1, 2, 4, 8 workers on a server of its own.
    Measure {
        /// How many workers, in turn.
        #[arg(long, value_delimiter = ',', default_value = "1,2,4,8")]
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
        Commands::Worker(worker) => {
            let (lease, retry_for) = worker.times();
            let work = poison(worker.die_on, worker.work_ms);
            run_worker_retrying(&worker.redis, &worker.name, lease, retry_for, work)
                .map_err(|e| format!("Redis at {}: {e}", worker.redis))
        }
        Commands::StreamWorker(worker) => {
            let (lease, retry_for) = worker.times();
            let work = poison(worker.die_on, worker.work_ms);
            lab_12::streams::run_worker_retrying(
                &worker.redis,
                &worker.name,
                lease,
                retry_for,
                work,
            )
            .map_err(|e| format!("Redis at {}: {e}", worker.redis))
        }
        Commands::Reaper { redis } => reaper(&redis).map_err(|e| e.to_string()),
        Commands::Produce { redis, jobs } => RealRedis::connect(&redis)
            .and_then(|redis| redis.push_jobs(jobs))
            .map_err(|e| e.to_string()),
        Commands::Events { redis } => events(&redis).map_err(|e| e.to_string()),
        Commands::Machines { jobs, rounds, json } => machines(
            jobs,
            rounds,
            &json.unwrap_or_else(lab_12::machines::default_json),
        ),
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

/// A worker's work: `work_ms` of sleep (0: none), except that job
/// `die_on` kills the worker with SIGKILL (as a crash, or the
/// out-of-memory killer, would).
fn poison(die_on: Option<u64>, work_ms: u64) -> impl FnMut(u64) -> Option<u64> {
    move |job| {
        thread::sleep(Duration::from_millis(work_ms));
        if Some(job) == die_on {
            let me = rustix::process::getpid();
            let _ = rustix::process::kill_process(me, rustix::process::Signal::KILL);
        }
        None
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
    let run = |queue: Queue, workers: usize, kill_every: Option<u64>| {
        let args: &[&str] = match queue {
            Queue::Lists => &["worker"],
            Queue::Streams => &["stream-worker"],
        };
        let size = Run {
            workers,
            jobs,
            kill_every,
            patience,
        };
        run_queue_on(queue, &me, args, &server.url, size).map_err(|e| e.to_string())
    };
    // A busy machine (other programs, other builds) is said, and then no
    // verdict is given on which queue is faster.
    let cores = machine::cores();
    let free_before = machine::cores_free(cores, Duration::from_millis(300));
    let busy = machine::is_busy(free_before, cores);
    println!(
        "{jobs} jobs per run, on redis-server at 127.0.0.1:{}; each round the lists' queue, \
         the stream's,\nthen redis-benchmark with as many LMOVEs as jobs: each figure the \
         median of {rounds} rounds (lowest-highest)\nBefore: {}\n",
        server.port,
        machine::describe(free_before, cores)
    );
    println!(
        "{:>7}  {:<6}  {:>21}  {:>11}  {:>5}  {:>11}  {:>4}  {:>5}",
        "workers",
        "queue",
        "jobs/s (lowest-highest)",
        "raw LMOVE/s",
        "/raw",
        "trips a job",
        "lost",
        "twice"
    );
    for &count in workers {
        let mut rates = [Vec::new(), Vec::new()];
        let mut ratios = [Vec::new(), Vec::new()];
        let mut trips = [Vec::new(), Vec::new()];
        let (mut lost, mut done_twice) = ([0, 0], [0, 0]);
        let (mut raws, mut stream_over_lists) = (Vec::new(), Vec::new());
        for _ in 0..rounds {
            let mut round = [0.0; 2];
            for (at, queue) in [Queue::Lists, Queue::Streams].into_iter().enumerate() {
                let report = run(queue, count, None)?;
                round[at] = jobs as f64 / report.elapsed.as_secs_f64();
                rates[at].push(round[at]);
                trips[at].push(report.round_trips_a_job);
                lost[at] += report.lost;
                done_twice[at] += report.done_twice;
            }
            stream_over_lists.push(round[1] / round[0]);
            // Right after the queues' runs, on the same server: the three
            // see the same machine, as near as one can make it.
            if let Some(raw) = raw_lmove_rate(server.port, count, jobs) {
                raws.push(raw);
                for at in 0..2 {
                    ratios[at].push(round[at] / raw);
                }
            }
        }
        let raw = median(&mut raws).map_or(String::from("?"), |raw| format!("{raw:.0}"));
        for (at, name) in ["lists", "stream"].into_iter().enumerate() {
            println!(
                "{:>7}  {name:<6}  {:>21}  {:>11}  {:>5}  {:>11.2}  {:>4}  {:>5}",
                if at == 0 {
                    count.to_string()
                } else {
                    String::new()
                },
                spread(&mut rates[at], 0),
                if at == 0 { raw.as_str() } else { "" },
                median(&mut ratios[at]).map_or(String::from("?"), |r| format!("{r:.2}")),
                median(&mut trips[at]).unwrap_or(f64::NAN),
                lost[at],
                done_twice[at],
            );
        }
        let said = if busy {
            format!(
                "{}: the machine is busy, no verdict",
                spread(&mut stream_over_lists, 2)
            )
        } else {
            verdict(&mut stream_over_lists)
        };
        println!("{:>7}  stream/lists, round by round: {said}", "");
    }
    let free_after = machine::cores_free(cores, Duration::from_millis(300));
    println!("After: {}", machine::describe(free_after, cores));
    if !busy && machine::is_busy(free_after, cores) {
        println!("The machine got busy during the run: the verdicts above may be noise.");
    }
    let every = (jobs / 25).max(1);
    for queue in [Queue::Lists, Queue::Streams] {
        let report = run(queue, 4, Some(every))?;
        let taken_back = match queue {
            Queue::Lists => format!("{} jobs requeued by the reaper", report.requeued),
            Queue::Streams => String::from("their entries claimed by the others past the lease"),
        };
        println!(
            "\nUnder kill -9, {}: 4 workers, one killed each {every} jobs done ({} killed, \
             {taken_back}):\n{} of {} jobs lost; {} unfinished; done twice: {} (a job done, \
             then its worker killed\nbefore its ack went out: at-least-once).",
            match queue {
                Queue::Lists => "the lists",
                Queue::Streams => "the stream",
            },
            report.killed,
            report.lost,
            report.jobs,
            report.unfinished,
            report.done_twice
        );
    }
    println!(
        "\nraw LMOVE/s: redis-benchmark, as many clients as workers, one LMOVE a round trip. \
         /raw: the\nqueue's jobs/s over raw LMOVE/s, round by round. trips a job: the round \
         trips the workers\ncounted over the jobs they did (each reports with its lease). A \
         job costs a list worker\none round trip (its count, ack and event go with the next \
         claim), and a stream worker one\ntoo, plus a look for stale entries once a tenth of \
         a lease. lost and twice: summed over\nthe rounds. The stream's workers claim stale \
         entries themselves: no reaper requeues them."
    );
    Ok(())
}

// ANCHOR: machines
fn machines(jobs: u64, rounds: usize, json: &Path) -> Result<(), String> {
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let report = measure_machines(&me, jobs, rounds, &mut |what| eprintln!("lab-12: {what}"))?;
    print!("{}", lab_12::machines::render(&report));
    if let Some(dir) = json.parent().filter(|dir| !dir.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
    std::fs::write(json, text + "\n").map_err(|e| format!("{}: {e}", json.display()))?;
    println!(
        "every figure: {} (lab-13's scoreboard judges claim C17 from it)",
        json.display()
    );
    Ok(())
}
// ANCHOR_END: machines

/// `values`' median, with the lowest and highest: `123 (100-150)`.
fn spread(values: &mut [f64], decimals: usize) -> String {
    match median(values) {
        Some(mid) => format!(
            "{mid:.decimals$} ({:.decimals$}-{:.decimals$})",
            values[0],
            values[values.len() - 1]
        ),
        None => String::from("?"),
    }
}

/// Which queue was faster, from the ratios of their rates round by round:
/// a verdict only if every round agrees (all above 1, or all below).
fn verdict(ratios: &mut [f64]) -> String {
    let figures = spread(ratios, 2);
    let (low, high) = match (ratios.first(), ratios.last()) {
        (Some(low), Some(high)) => (*low, *high),
        _ => return figures,
    };
    if low > 1.0 {
        format!("{figures}: the stream was faster in every round")
    } else if high < 1.0 {
        format!("{figures}: the lists were faster in every round")
    } else {
        format!("{figures}: inside the noise, rounds disagree on which is faster")
    }
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

#[cfg(test)]
mod tests {
    use super::verdict;

    #[test]
    fn the_verdict_names_the_faster_queue_only_when_every_round_agrees() {
        assert!(verdict(&mut [1.3, 1.1, 1.2]).ends_with("the stream was faster in every round"));
        assert!(verdict(&mut [0.7, 0.9, 0.8]).ends_with("the lists were faster in every round"));
        let split = verdict(&mut [0.9, 1.2, 1.05]);
        assert_eq!(
            split,
            "1.05 (0.90-1.20): inside the noise, rounds disagree on which is faster"
        );
    }
}
