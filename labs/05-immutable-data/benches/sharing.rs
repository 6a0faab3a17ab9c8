//! The tradeoffs chapter 5 measures. First, readers getting at a shared
//! configuration: cloning an `Arc` snapshot, reading under an `RwLock`,
//! deep-copying it, on 1 and 2 threads. Then one job done by threads that
//! share one locked vector, and by threads that each own their part.
//! `cargo bench -p lab-05` prints criterion's report, then both tables.

use criterion::{BatchSize, BenchmarkId, Throughput};
use harness::bench::{Report, Table};
use lab_05::Config;
use lab_05::independent::{add_tax_shared, add_tax_split};
use lab_05::readers::{from_a_deep_copy, through_a_snapshot, under_a_read_lock};
use std::hint::black_box;
use std::sync::{Arc, Mutex, RwLock};
use std::thread;

const READERS: &str = "reading the config";
const INDEPENDENT: &str = "shared or split";
/// Reads per thread per measured iteration.
const READS: u64 = 100_000;
/// Prices in the batch the second table's job works through.
const PRICES: u64 = 2_000_000;

/// `threads` threads each call `read` `READS` times.
fn read_on<C: Sync>(threads: u64, config: &C, read: fn(&C) -> usize) -> usize {
    thread::scope(|scope| {
        let readers: Vec<_> = (0..threads)
            .map(|_| scope.spawn(|| (0..READS).map(|_| black_box(read(config))).sum::<usize>()))
            .collect();
        readers.into_iter().map(|r| r.join().unwrap()).sum()
    })
}

fn main() {
    let reports = [
        Report::Ratios(Table {
            group: READERS,
            parameter: "threads",
            element: "read",
            functions: &["Arc snapshot", "RwLock, in place", "deep copy"],
            columns: &[],
        }),
        Report::Ratios(Table {
            group: INDEPENDENT,
            parameter: "threads",
            element: "price",
            functions: &["one shared lock", "split, then merged"],
            columns: &[],
        }),
    ];
    let snapshot = Mutex::new(Arc::new(Config::replica()));
    let locked = RwLock::new(Config::replica());
    let prices: Vec<u64> = (0..PRICES).map(|n| n * 37 % 10_000).collect();
    harness::bench::run_reports(&reports, |criterion| {
        // ANCHOR: bench
        let mut group = criterion.benchmark_group(READERS);
        for threads in [1, 2] {
            group.throughput(Throughput::Elements(threads * READS));
            let id = |name| BenchmarkId::new(name, threads);
            group.bench_function(id("Arc snapshot"), |b| {
                b.iter(|| read_on(threads, &snapshot, through_a_snapshot))
            });
            group.bench_function(id("RwLock, in place"), |b| {
                b.iter(|| read_on(threads, &locked, under_a_read_lock))
            });
            group.bench_function(id("deep copy"), |b| {
                b.iter(|| read_on(threads, &locked, from_a_deep_copy))
            });
        }
        group.finish();

        let mut group = criterion.benchmark_group(INDEPENDENT);
        group.throughput(Throughput::Elements(PRICES));
        for threads in [1, 2] {
            let id = |name| BenchmarkId::new(name, threads);
            // A fresh copy of the batch for each run, made outside the timing.
            group.bench_function(id("one shared lock"), |b| {
                b.iter_batched(
                    || Mutex::new((prices.clone(), 0)),
                    |batch| add_tax_shared(&batch, threads),
                    BatchSize::LargeInput,
                )
            });
            group.bench_function(id("split, then merged"), |b| {
                b.iter_batched(
                    || prices.clone(),
                    |mut batch| add_tax_split(&mut batch, threads),
                    BatchSize::LargeInput,
                )
            });
        }
        group.finish();
        // ANCHOR_END: bench
    });
}
