//! What the fix costs: one job's `enter` and `leave` through the racy gate
//! (the baseline: two locks, each taken twice per job), the one-word gate
//! (two atomic read-modify-writes) and the one-lock gate (one lock, taken
//! twice), on 1 thread and on 2 threads sharing the gate. The jobs are
//! empty, so this is the gate alone: what a real job pays on top of its
//! work. `cargo bench -p lab-13 --bench gate` prints criterion's report,
//! then the table.

use criterion::{BenchmarkId, Throughput};
use harness::bench::Table;
use lab_13::Gate;
use lab_13::on_std::fixed::{OneLock, OneWord};
use lab_13::on_std::racy::CheckThenCount;
use std::hint::black_box;

const GROUP: &str = "gate";
const JOBS_PER_THREAD: u64 = 100_000;

/// `threads` threads share one gate, each running `jobs` empty jobs
/// through it, one after another; then the gate is drained. Each
/// iteration includes starting and joining the threads (tens of
/// microseconds, against milliseconds of jobs).
fn run_jobs<G: Gate>(threads: u64, jobs: u64) -> u64 {
    let gate = G::new();
    let admitted = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut admitted = 0;
                    for _ in 0..jobs {
                        if gate.enter() {
                            admitted += 1;
                            black_box(&gate); // the job
                            gate.leave();
                        }
                    }
                    admitted
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    gate.close_and_drain();
    admitted
}

fn main() {
    let table = Table {
        group: GROUP,
        parameter: "threads",
        element: "job (enter and leave)",
        functions: &["check, then count", "one word", "one lock"],
        columns: &[],
    };
    harness::bench::run(&table, |criterion| {
        // ANCHOR: bench
        let mut group = criterion.benchmark_group(GROUP);
        for threads in [1, 2] {
            group.throughput(Throughput::Elements(threads * JOBS_PER_THREAD));
            let id = |name| BenchmarkId::new(name, threads);
            group.bench_function(id("check, then count"), |b| {
                b.iter(|| black_box(run_jobs::<CheckThenCount>(threads, JOBS_PER_THREAD)))
            });
            group.bench_function(id("one word"), |b| {
                b.iter(|| black_box(run_jobs::<OneWord>(threads, JOBS_PER_THREAD)))
            });
            group.bench_function(id("one lock"), |b| {
                b.iter(|| black_box(run_jobs::<OneLock>(threads, JOBS_PER_THREAD)))
            });
        }
        group.finish();
        // ANCHOR_END: bench
    });
}
