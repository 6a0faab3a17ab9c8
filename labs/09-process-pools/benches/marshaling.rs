//! The tradeoffs chapter 9 measures. First, what marshaling costs: one job
//! carrying a large value (its sum), sent to a thread as an `Arc` and to a
//! worker process as JSON through a pipe. Then 5 ms jobs on a pool of
//! processes started once, against a process started for each job.
//! `cargo bench -p lab-09` prints criterion's report, then both tables.

use criterion::{BenchmarkId, Throughput};
use harness::bench::{Report, Table};
use lab_09::jobs::{Job, Reply, RequestRef};
use lab_09::pools::{Pool, PoolConfig, PoolKind, ProcessPool, ThreadPool};
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

const MARSHALING: &str = "sending a large value";
const SHORT_JOBS: &str = "5 ms jobs";
const WORKER: &str = env!("CARGO_BIN_EXE_lab-09");
/// 5 ms jobs per measured iteration.
const JOBS: u64 = 10;

fn one_process_pool() -> ProcessPool {
    ProcessPool::new(PoolConfig {
        kind: PoolKind::Processes,
        workers: 1,
        program: PathBuf::from(WORKER),
        patience: Duration::from_secs(60),
        attempts: 1,
    })
}

/// Starts a worker process for one job, sends it, reads the reply, and
/// lets the process end: what a pool saves.
fn process_for_one_job(job: &Job) -> u64 {
    let mut worker = Command::new(WORKER)
        .arg("worker")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = worker.stdin.take().unwrap();
    serde_json::to_writer(&mut stdin, &RequestRef { id: 0, job }).unwrap();
    stdin.write_all(b"\n").unwrap();
    drop(stdin); // one job only
    let mut line = String::new();
    BufReader::new(worker.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    worker.wait().unwrap();
    serde_json::from_str::<Reply>(&line).unwrap().value
}

fn main() {
    let reports = [
        Report::Ratios(Table {
            group: MARSHALING,
            parameter: "values",
            element: "job",
            functions: &["Arc to a thread", "JSON to a process"],
            columns: &[],
        }),
        Report::Ratios(Table {
            group: SHORT_JOBS,
            parameter: "workers",
            element: "job",
            functions: &["thread pool", "process pool", "process per job"],
            columns: &[],
        }),
    ];
    harness::bench::run_reports(&reports, |criterion| {
        // ANCHOR: bench
        let mut group = criterion.benchmark_group(MARSHALING);
        group.throughput(Throughput::Elements(1));
        for values in [1_000u64, 1_000_000] {
            let numbers: Vec<u64> = (0..values).collect();
            // A thread that sums whatever it is sent, for as long as it runs.
            let shared = Arc::new(numbers.clone());
            let (to_thread, jobs) = crossbeam::channel::bounded::<Arc<Vec<u64>>>(1);
            let (sums, from_thread) = crossbeam::channel::bounded::<u64>(1);
            let summer = thread::spawn(move || {
                for values in jobs {
                    sums.send(values.iter().sum()).unwrap();
                }
            });
            group.bench_function(BenchmarkId::new("Arc to a thread", values), |b| {
                b.iter(|| {
                    to_thread.send(Arc::clone(&shared)).unwrap();
                    from_thread.recv().unwrap()
                })
            });
            drop(to_thread);
            summer.join().unwrap();

            let job = [Job::Sum(numbers)];
            let mut pool = one_process_pool();
            group.bench_function(BenchmarkId::new("JSON to a process", values), |b| {
                b.iter(|| pool.run(&job).unwrap())
            });
        }
        group.finish();

        let mut group = criterion.benchmark_group(SHORT_JOBS);
        group.throughput(Throughput::Elements(JOBS));
        let jobs: Vec<Job> = (0..JOBS).map(|value| Job::Sleep { ms: 5, value }).collect();
        let mut threads = ThreadPool::new(1);
        group.bench_function(BenchmarkId::new("thread pool", 1), |b| {
            b.iter(|| threads.run(&jobs).unwrap())
        });
        let mut processes = one_process_pool();
        group.bench_function(BenchmarkId::new("process pool", 1), |b| {
            b.iter(|| processes.run(&jobs).unwrap())
        });
        group.bench_function(BenchmarkId::new("process per job", 1), |b| {
            b.iter(|| jobs.iter().map(process_for_one_job).sum::<u64>())
        });
        group.finish();
        // ANCHOR_END: bench
    });
}
