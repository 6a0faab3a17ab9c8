//! The tradeoff chapter 6 measures: crossbeam's bounded and unbounded
//! channels, std's `mpsc`, and a `Mutex<VecDeque>` with a `Condvar`, with 1
//! and 4 producers and one consumer. `cargo bench -p lab-06` prints
//! criterion's report, then the ratios.

use criterion::{BenchmarkId, Throughput};
use harness::bench::Table;
use lab_03::channels::StdSync;
use lab_06::channels::{
    Channel, CrossbeamBounded, CrossbeamUnbounded, MutexVecDeque, StdMpsc, pipe,
};
use std::hint::black_box;

const GROUP: &str = "channel";
const MESSAGES: u32 = 200_000;
const CAPACITY: usize = 256;

fn bench<C: Channel>(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
) {
    for producers in [1, 4] {
        group.bench_with_input(BenchmarkId::new(name, producers), &producers, |b, &p| {
            b.iter(|| black_box(pipe::<C>(p, MESSAGES, CAPACITY)))
        });
    }
}

fn main() {
    let table = Table {
        group: GROUP,
        parameter: "producers",
        element: "message",
        functions: &[
            "Mutex<VecDeque>",
            "crossbeam bounded",
            "crossbeam unbounded",
            "std mpsc",
        ],
        columns: &[],
    };
    harness::bench::run(&table, |criterion| {
        // ANCHOR: bench
        let mut group = criterion.benchmark_group(GROUP);
        group.throughput(Throughput::Elements(u64::from(MESSAGES)));
        bench::<MutexVecDeque>(&mut group, "Mutex<VecDeque>");
        bench::<CrossbeamBounded>(&mut group, "crossbeam bounded");
        bench::<CrossbeamUnbounded>(&mut group, "crossbeam unbounded");
        bench::<StdSync>(&mut group, "std sync_channel");
        bench::<StdMpsc>(&mut group, "std mpsc");
        group.finish();
        // ANCHOR_END: bench
    });
}
