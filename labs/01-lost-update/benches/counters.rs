//! The tradeoff chapter 1 measures: sharing one counter (`fetch_add`,
//! `Mutex`) against sharing nothing (per-thread counts merged at the end),
//! on 1 and 2 threads. `cargo bench -p lab-01` prints criterion's report,
//! then the ratios side by side.

use criterion::{BenchmarkId, Throughput};
use harness::bench::Table;
use lab_01::on_std::fixed::{AtomicCounter, MutexCounter};
use lab_01::threads::{count_shared, count_then_merge};
use std::hint::black_box;

const GROUP: &str = "increment under contention";
const PER_THREAD: u64 = 200_000;

fn main() {
    let table = Table {
        group: GROUP,
        parameter: "threads",
        element: "increment",
        functions: &["fetch_add", "Mutex", "per-thread, merged"],
        columns: &[],
    };
    harness::bench::run(&table, |criterion| {
        // ANCHOR: bench
        let mut group = criterion.benchmark_group(GROUP);
        for threads in [1, 2] {
            group.throughput(Throughput::Elements(threads as u64 * PER_THREAD));
            group.bench_with_input(BenchmarkId::new("fetch_add", threads), &threads, |b, &t| {
                b.iter(|| black_box(count_shared::<AtomicCounter>(t, PER_THREAD)))
            });
            group.bench_with_input(BenchmarkId::new("Mutex", threads), &threads, |b, &t| {
                b.iter(|| black_box(count_shared::<MutexCounter>(t, PER_THREAD)))
            });
            group.bench_with_input(
                BenchmarkId::new("per-thread, merged", threads),
                &threads,
                |b, &t| b.iter(|| black_box(count_then_merge(t, PER_THREAD))),
            );
        }
        group.finish();
        // ANCHOR_END: bench
    });
}
