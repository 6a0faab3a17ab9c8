//! The tradeoff chapter 2 measures: one `Mutex` around a map, one `RwLock`,
//! or a `Mutex` per shard, for a read-mostly mix, on 1 and 2 threads.
//! `cargo bench -p lab-02` prints criterion's report, then the ratios.

use criterion::{BenchmarkId, Throughput};
use harness::bench::Table;
use lab_02::maps::{MutexMap, RwLockMap, ShardedMap, SharedMap, read_mostly};
use std::hint::black_box;

const GROUP: &str = "read-mostly map";
const OPERATIONS: u64 = 100_000;
const KEYS: u64 = 1_024;

fn run<M: SharedMap>(threads: u64) -> u64 {
    let map = M::with_keys(KEYS);
    read_mostly(&map, threads, OPERATIONS, KEYS)
}

fn main() {
    let table = Table {
        group: GROUP,
        parameter: "threads",
        element: "operation",
        functions: &["Mutex", "RwLock", "16 shards"],
        columns: &[],
    };
    harness::bench::run(&table, |criterion| {
        // ANCHOR: bench
        let mut group = criterion.benchmark_group(GROUP);
        for threads in [1, 2] {
            group.throughput(Throughput::Elements(threads * OPERATIONS));
            group.bench_with_input(BenchmarkId::new("Mutex", threads), &threads, |b, &t| {
                b.iter(|| black_box(run::<MutexMap>(t)))
            });
            group.bench_with_input(BenchmarkId::new("RwLock", threads), &threads, |b, &t| {
                b.iter(|| black_box(run::<RwLockMap>(t)))
            });
            group.bench_with_input(BenchmarkId::new("16 shards", threads), &threads, |b, &t| {
                b.iter(|| black_box(run::<ShardedMap>(t)))
            });
        }
        group.finish();
        // ANCHOR_END: bench
    });
}
