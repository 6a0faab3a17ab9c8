//! What this lab's event loop costs next to tokio's current-thread
//! runtime: spawning a task and running it to the end, and a task
//! yielding to the loop and being polled again.
//! `cargo bench -p lab-10` prints criterion's report, then the table.

use criterion::{BenchmarkId, Throughput};
use harness::bench::Table;
use lab_10::executor::{EventLoop, yield_now};

const GROUP: &str = "executors";
const TASKS: u64 = 1_000;

fn main() {
    let table = Table {
        group: GROUP,
        parameter: "operation",
        element: "task or yield",
        functions: &["our loop", "tokio"],
        columns: &["spawn and finish", "yield"],
    };
    let ours = EventLoop::new().expect("a pipe for the loop");
    let tokio = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a tokio runtime");
    harness::bench::run(&table, |criterion| {
        // ANCHOR: bench
        let mut group = criterion.benchmark_group(GROUP);
        group.throughput(Throughput::Elements(TASKS));
        let spawn = |name| BenchmarkId::new(name, "spawn and finish");
        group.bench_function(spawn("our loop"), |b| {
            let handle = ours.handle();
            b.iter(|| {
                let handle = handle.clone();
                ours.run(async move {
                    for _ in 0..TASKS {
                        handle.spawn(async {});
                    }
                })
            })
        });
        group.bench_function(spawn("tokio"), |b| {
            b.iter(|| {
                tokio.block_on(async {
                    let tasks: Vec<_> = (0..TASKS).map(|_| tokio::spawn(async {})).collect();
                    for task in tasks {
                        task.await.unwrap(); // our loop, too, runs them all
                    }
                })
            })
        });
        let yields = |name| BenchmarkId::new(name, "yield");
        group.bench_function(yields("our loop"), |b| {
            b.iter(|| {
                ours.run(async {
                    for _ in 0..TASKS {
                        yield_now().await;
                    }
                })
            })
        });
        group.bench_function(yields("tokio"), |b| {
            b.iter(|| {
                tokio.block_on(async {
                    for _ in 0..TASKS {
                        tokio::task::yield_now().await;
                    }
                })
            })
        });
        group.finish();
        // ANCHOR_END: bench
    });
}
