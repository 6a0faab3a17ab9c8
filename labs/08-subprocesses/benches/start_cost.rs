//! The tradeoff chapter 8 measures: what starting a unit of concurrency
//! costs (start it, wait for it to end, doing nothing), and what one
//! round trip between two of them costs (one byte there and back), for
//! tokio tasks, OS threads and processes.
//! `cargo bench -p lab-08` prints criterion's report, then the table.

use criterion::{BenchmarkId, Throughput};
use harness::bench::Table;
use lab_08::real::{echo, spawn};
use std::hint::black_box;
use std::io::{self, Read, Write};
use std::path::Path;
use std::process::Command;
use std::thread;

const GROUP: &str = "start and switch";
const CHILD: &str = env!("CARGO_BIN_EXE_lab-08");
/// Round trips per measured iteration.
const ROUND_TRIPS: u64 = 1_000;

/// Sends one byte to the other side and waits for it to come back, `n` times.
fn ping_pong(to: &mut impl Write, from: &mut impl Read, n: u64) -> io::Result<()> {
    let mut byte = [0];
    for _ in 0..n {
        to.write_all(b"\n")?;
        to.flush()?;
        from.read_exact(&mut byte)?;
    }
    Ok(())
}

fn main() {
    let table = Table {
        group: GROUP,
        parameter: "cost",
        element: "start or round trip",
        functions: &["tokio task", "OS thread", "process"],
        columns: &["start and join", "round trip"],
    };
    // Tasks run on one thread, so a task switch is never a thread switch.
    let tokio = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a tokio runtime");
    harness::bench::run(&table, |criterion| {
        // ANCHOR: bench
        let mut group = criterion.benchmark_group(GROUP);
        let start = |name| BenchmarkId::new(name, "start and join");
        group.throughput(Throughput::Elements(100));
        group.bench_function(start("tokio task"), |b| {
            b.iter(|| {
                tokio.block_on(async {
                    for _ in 0..100 {
                        tokio::spawn(async { black_box(1) }).await.unwrap();
                    }
                })
            })
        });
        group.throughput(Throughput::Elements(1));
        group.bench_function(start("OS thread"), |b| {
            b.iter(|| thread::spawn(|| black_box(1)).join().unwrap())
        });
        group.bench_function(start("process"), |b| {
            b.iter(|| Command::new(CHILD).arg("exit").status().unwrap())
        });

        let round_trip = |name| BenchmarkId::new(name, "round trip");
        group.throughput(Throughput::Elements(ROUND_TRIPS));
        group.bench_function(round_trip("tokio task"), |b| {
            let (to_echo, mut echo_in) = tokio::sync::mpsc::channel::<u8>(1);
            let (echo_out, mut from_echo) = tokio::sync::mpsc::channel::<u8>(1);
            tokio.spawn(async move {
                while let Some(byte) = echo_in.recv().await {
                    let _ = echo_out.send(byte).await;
                }
            });
            b.iter(|| {
                tokio.block_on(async {
                    for _ in 0..ROUND_TRIPS {
                        to_echo.send(b'\n').await.unwrap();
                        from_echo.recv().await.unwrap();
                    }
                })
            })
        });
        group.bench_function(round_trip("OS thread"), |b| {
            let (echo_in, mut to_echo) = io::pipe().unwrap();
            let (mut from_echo, echo_out) = io::pipe().unwrap();
            let echo = thread::spawn(move || echo(echo_in, echo_out));
            b.iter(|| ping_pong(&mut to_echo, &mut from_echo, ROUND_TRIPS).unwrap());
            drop(to_echo); // end of input: the echo thread returns
            echo.join().unwrap().unwrap();
        });
        group.bench_function(round_trip("process"), |b| {
            let mut child = spawn(Path::new(CHILD), &["echo"]).unwrap();
            let mut to_echo = child.stdin.take().unwrap();
            let mut from_echo = child.stdout.take().unwrap();
            b.iter(|| ping_pong(&mut to_echo, &mut from_echo, ROUND_TRIPS).unwrap());
            drop(to_echo);
            child.wait().unwrap();
        });
        group.finish();
        // ANCHOR_END: bench
    });
}
