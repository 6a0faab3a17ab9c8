//! The tradeoff chapter 3 measures: the hand-made queue against
//! crossbeam-channel's bounded channel and std's `sync_channel`, with 1 and
//! 2 producers and one consumer. `cargo bench -p lab-03` prints criterion's
//! report, then the ratios.

use criterion::{BenchmarkId, SamplingMode, Throughput};
use harness::bench::Table;
use lab_03::channels::{Crossbeam, HandMade, StdSync, pipe};
use std::hint::black_box;

const GROUP: &str = "bounded queue";
const MESSAGES: u32 = 1_000_000;
const CAPACITY: usize = 128;

fn main() {
    let table = Table {
        group: GROUP,
        parameter: "producers",
        element: "message",
        functions: &["hand-made", "crossbeam", "std sync_channel"],
        columns: &[],
    };
    harness::bench::run(&table, |criterion| {
        // ANCHOR: bench
        let mut group = criterion.benchmark_group(GROUP);
        // A million messages through the hand-made queue take about a
        // second: ten samples of one run each are plenty.
        group.sampling_mode(SamplingMode::Flat).sample_size(10);
        group.throughput(Throughput::Elements(u64::from(MESSAGES)));
        for producers in [1, 2] {
            group.bench_with_input(
                BenchmarkId::new("hand-made", producers),
                &producers,
                |b, &p| b.iter(|| black_box(pipe::<HandMade>(p, MESSAGES, CAPACITY))),
            );
            group.bench_with_input(
                BenchmarkId::new("crossbeam", producers),
                &producers,
                |b, &p| b.iter(|| black_box(pipe::<Crossbeam>(p, MESSAGES, CAPACITY))),
            );
            group.bench_with_input(
                BenchmarkId::new("std sync_channel", producers),
                &producers,
                |b, &p| b.iter(|| black_box(pipe::<StdSync>(p, MESSAGES, CAPACITY))),
            );
        }
        group.finish();
        // ANCHOR_END: bench
    });
}
