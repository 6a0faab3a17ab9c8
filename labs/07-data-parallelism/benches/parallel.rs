//! The tradeoffs chapter 7 measures. First, a CPU-bound job (a histogram
//! of `heavy(v)`) sequentially and with rayon on 1..=N threads, N the
//! number of cores: the speed-up against the ideal N×. Then
//! oversubscription: the same work on N threads and on 64, for CPU-bound
//! work and for work done under one shared lock.
//! `cargo bench -p lab-07` prints criterion's report, then both tables.

use criterion::{BenchmarkId, Throughput};
use harness::bench::{Report, SpeedUp, Table};
use lab_07::work::{
    cpu_bound_on, mutex_bound_on, rayon_histogram, sequential_histogram, spin_bound_on,
};
use std::hint::black_box;
use std::time::Duration;

/// A workload: on this many threads, this many units; its result and time.
type Workload = fn(u64, u64) -> (u64, Duration);

const SPEED_UP: &str = "histogram";
const OVERSUBSCRIPTION: &str = "oversubscription";
const VALUES: u64 = 400_000;
const UNITS: u64 = 2_000_000;

fn main() {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let many = format!("{} threads", 64);
    let reports = [
        Report::SpeedUp(SpeedUp {
            group: SPEED_UP,
            sequential: "sequential",
            parallel: "rayon",
        }),
        Report::Ratios(Table {
            group: OVERSUBSCRIPTION,
            parameter: "work",
            element: "unit of work",
            functions: &["one thread per core", "64 threads"],
            columns: &["cpu-bound", "Mutex-bound", "spin-lock-bound"],
        }),
    ];
    let values: Vec<u64> = (0..VALUES).collect();
    harness::bench::run_reports(&reports, |criterion| {
        // ANCHOR: bench
        let mut group = criterion.benchmark_group(SPEED_UP);
        group.throughput(Throughput::Elements(VALUES));
        group.bench_function(BenchmarkId::new("sequential", 1), |b| {
            b.iter(|| black_box(sequential_histogram(&values)))
        });
        for threads in 1..=cores {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            group.bench_function(BenchmarkId::new("rayon", threads), |b| {
                b.iter(|| black_box(pool.install(|| rayon_histogram(&values))))
            });
        }
        group.finish();

        // Timed from the moment all threads are started: see `timed_on`.
        let mut group = criterion.benchmark_group(OVERSUBSCRIPTION);
        group.throughput(Throughput::Elements(UNITS));
        let workloads: [(&str, Workload); 3] = [
            ("cpu-bound", cpu_bound_on),
            ("Mutex-bound", mutex_bound_on),
            ("spin-lock-bound", spin_bound_on),
        ];
        for (threads, name) in [(cores as u64, "one thread per core"), (64, many.as_str())] {
            for (work, run) in workloads {
                group.bench_function(BenchmarkId::new(name, work), |b| {
                    b.iter_custom(|iterations| (0..iterations).map(|_| run(threads, UNITS).1).sum())
                });
            }
        }
        group.finish();
        // ANCHOR_END: bench
    });
}
