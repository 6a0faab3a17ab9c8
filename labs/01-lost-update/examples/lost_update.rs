//! The lost update on real OS threads, and the fixes losing nothing.
//!
//! `cargo run -p lab-01 --example lost_update --release`

use lab_01::Counter;
use lab_01::on_std::fixed::{AtomicCounter, MutexCounter};
use lab_01::on_std::racy::RacyCounter;
use lab_01::threads::{count_then_merge, hammer};

const THREADS: usize = 2;
const PER_THREAD: u64 = 1_000_000;
const RUNS: usize = 5;
const EXPECTED: u64 = THREADS as u64 * PER_THREAD;

// ANCHOR: demo
fn main() {
    println!(
        "{THREADS} threads each increment one counter {PER_THREAD} times: {EXPECTED} expected.\n"
    );
    println!(
        "{:<36} count after each of {RUNS} runs (updates lost)",
        "counter"
    );
    show("racy: read, then write", count_with::<RacyCounter>);
    show("fixed: fetch_add", count_with::<AtomicCounter>);
    show("fixed: Mutex, one critical section", || {
        count_with::<MutexCounter>()
    });
    show("fixed: per-thread, merged", || {
        count_then_merge(THREADS, PER_THREAD)
    });
}

fn count_with<C: Counter>() -> u64 {
    let counter = C::new();
    hammer(&counter, THREADS, PER_THREAD);
    counter.get()
}
// ANCHOR_END: demo

fn show(name: &str, count: impl Fn() -> u64) {
    let runs: Vec<u64> = (0..RUNS).map(|_| count()).collect();
    let cells: Vec<String> = runs
        .iter()
        .map(|&n| format!("{n:>8} ({:>6})", EXPECTED - n))
        .collect();
    println!("{name:<36} {}", cells.join(" "));
    if name.starts_with("racy") && runs.iter().all(|&n| n == EXPECTED) {
        println!(
            "{:<36} no update was lost this time: the window between read and write is short,\n\
             {:<36} and with one core it needs a preemption inside it. Loom shows it is there.",
            "", ""
        );
    }
}
