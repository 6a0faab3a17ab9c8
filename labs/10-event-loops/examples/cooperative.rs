//! Cooperative scheduling, measured: a task ticks every 10 ms on the
//! loop's own timer while another task does 50 ms of CPU-bound work three
//! times: in the task itself, or handed to a thread. First on this lab's
//! event loop, then the same program on tokio.
//!
//! `cargo run -p lab-10 --example cooperative --release`

use lab_10::executor::{EventLoop, Handle, yield_now};
use std::hint::black_box;
use std::time::{Duration, Instant};

const TICK: Duration = Duration::from_millis(10);
const TICKS: u32 = 30;
const WORK: Duration = Duration::from_millis(50);

/// CPU-bound work that never yields: it holds its thread for `WORK`.
fn busy() -> u64 {
    let start = Instant::now();
    let mut spins = 0u64;
    while start.elapsed() < WORK {
        spins = black_box(spins + 1);
    }
    spins
}

#[derive(Clone, Copy, Debug)]
enum Work {
    None,
    InTheTask,
    OnAThread,
}

// ANCHOR: ticker
/// Ticks `TICKS` times, every `TICK`, on the loop's timer; returns how
/// late each tick was.
async fn ticker(handle: Handle) -> Vec<Duration> {
    let start = Instant::now();
    let mut lateness = Vec::new();
    for tick in 1..=TICKS {
        let due = start + TICK * tick;
        handle
            .sleep(due.saturating_duration_since(Instant::now()))
            .await;
        lateness.push(Instant::now() - due);
    }
    lateness
}
// ANCHOR_END: ticker

// ANCHOR: scenario
/// Runs the ticker beside `work` on this lab's event loop.
fn on_our_loop(work: Work) -> Vec<Duration> {
    let event_loop = EventLoop::new().expect("a pipe for the loop");
    let handle = event_loop.handle();
    event_loop.run(async move {
        let worker = handle.clone();
        handle.spawn(async move {
            for _ in 0..3 {
                match work {
                    Work::None => {}
                    Work::InTheTask => drop(busy()), // the loop waits for it
                    Work::OnAThread => drop(worker.spawn_blocking(busy).await),
                }
                yield_now().await;
            }
        });
        ticker(handle).await
    })
}
// ANCHOR_END: scenario

// ANCHOR: tokio
/// The same program on tokio: `interval` for the tick, `spawn_blocking`
/// for the hand-off.
fn on_tokio(work: Work) -> Vec<Duration> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async move {
        tokio::spawn(async move {
            for _ in 0..3 {
                match work {
                    Work::None => {}
                    Work::InTheTask => drop(busy()),
                    Work::OnAThread => drop(tokio::task::spawn_blocking(busy).await),
                }
                tokio::task::yield_now().await;
            }
        });
        let start = Instant::now();
        let mut interval = tokio::time::interval(TICK);
        interval.tick().await; // the first tick is immediate
        let mut lateness = Vec::new();
        for tick in 1..=TICKS {
            interval.tick().await;
            lateness.push(Instant::now().saturating_duration_since(start + TICK * tick));
        }
        lateness
    })
}
// ANCHOR_END: tokio

fn report(name: &str, mut lateness: Vec<Duration>) {
    lateness.sort();
    let median = lateness[lateness.len() / 2];
    let worst = lateness[lateness.len() - 1];
    println!("{name:<34} {median:>10.2?} {worst:>10.2?}");
}

fn main() {
    println!("{TICKS} ticks every {TICK:?}; another task does {WORK:?} of CPU work 3 times.\n");
    println!("{:<34} {:>10} {:>10}", "tick lateness", "median", "worst");
    for (name, work) in [
        ("our loop, no other work", Work::None),
        ("our loop, work in the task", Work::InTheTask),
        ("our loop, work on a thread", Work::OnAThread),
    ] {
        report(name, on_our_loop(work));
    }
    for (name, work) in [
        ("tokio, no other work", Work::None),
        ("tokio, work in the task", Work::InTheTask),
        ("tokio, spawn_blocking", Work::OnAThread),
    ] {
        report(name, on_tokio(work));
    }
}
