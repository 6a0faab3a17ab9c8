//! The tradeoffs chapter 4 measures. First, what each ordering costs on
//! one thread: increments, publishes (store the data, then the flag) and
//! reads (load the flag, then the data). Then a spin lock against std's
//! `Mutex`, which parks waiting threads, on 1 and 2 threads.
//! `cargo bench -p lab-04` prints criterion's report, then both tables.

use criterion::{BenchmarkId, Throughput};
use harness::bench::{Report, Table};
use lab_01::on_std::fixed::MutexCounter;
use lab_01::threads::count_shared;
use lab_04::on_std::fixed::SpinCounter;
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

const ORDERINGS: &str = "orderings";
const LOCKS: &str = "spin vs park";
/// Operations per measured iteration, for the orderings table.
const OPS: u64 = 1_000;
/// Increments per thread per measured iteration, for the locks table:
/// enough that starting the threads is a small part of the time.
const PER_THREAD: u64 = 2_000_000;

/// One ordering's choice for each operation the table times.
struct Orders {
    name: &'static str,
    increment: Ordering,
    publish: Ordering,
    read: Ordering,
}

const ALL: [Orders; 3] = [
    Orders {
        name: "Relaxed",
        increment: Ordering::Relaxed,
        publish: Ordering::Relaxed,
        read: Ordering::Relaxed,
    },
    Orders {
        name: "Release/Acquire",
        increment: Ordering::AcqRel,
        publish: Ordering::Release,
        read: Ordering::Acquire,
    },
    Orders {
        name: "SeqCst",
        increment: Ordering::SeqCst,
        publish: Ordering::SeqCst,
        read: Ordering::SeqCst,
    },
];

fn main() {
    let reports = [
        Report::Ratios(Table {
            group: ORDERINGS,
            parameter: "operation",
            element: "operation",
            functions: &["Relaxed", "Release/Acquire", "SeqCst"],
            columns: &["increment", "publish", "read"],
        }),
        Report::Ratios(Table {
            group: LOCKS,
            parameter: "threads",
            element: "increment",
            functions: &["spin lock", "Mutex"],
            columns: &[],
        }),
    ];
    let (data, ready) = (AtomicU64::new(0), AtomicBool::new(false));
    harness::bench::run_reports(&reports, |criterion| {
        // ANCHOR: bench
        let mut group = criterion.benchmark_group(ORDERINGS);
        group.throughput(Throughput::Elements(OPS));
        for orders in &ALL {
            let id = |operation| BenchmarkId::new(orders.name, operation);
            group.bench_function(id("increment"), |b| {
                b.iter(|| {
                    for _ in 0..OPS {
                        data.fetch_add(1, orders.increment);
                    }
                })
            });
            group.bench_function(id("publish"), |b| {
                b.iter(|| {
                    for n in 0..OPS {
                        data.store(n, Ordering::Relaxed);
                        ready.store(true, orders.publish);
                    }
                })
            });
            group.bench_function(id("read"), |b| {
                b.iter(|| {
                    for _ in 0..OPS {
                        if ready.load(orders.read) {
                            black_box(data.load(Ordering::Relaxed));
                        }
                    }
                })
            });
        }
        group.finish();

        let mut group = criterion.benchmark_group(LOCKS);
        for threads in [1, 2] {
            group.throughput(Throughput::Elements(threads as u64 * PER_THREAD));
            group.bench_with_input(BenchmarkId::new("spin lock", threads), &threads, |b, &t| {
                b.iter(|| black_box(count_shared::<SpinCounter>(t, PER_THREAD)))
            });
            group.bench_with_input(BenchmarkId::new("Mutex", threads), &threads, |b, &t| {
                b.iter(|| black_box(count_shared::<MutexCounter>(t, PER_THREAD)))
            });
        }
        group.finish();
        // ANCHOR_END: bench
    });
}
