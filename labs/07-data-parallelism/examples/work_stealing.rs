//! Work stealing, shown: a job whose first half is ten times heavier than
//! its second, split statically in two, and given to rayon.
//!
//! `cargo run -p lab-07 --example work_stealing --release`

use lab_07::work::heavy;
use rayon::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::Instant;

const TASKS: u64 = 4_000;

/// Task `i` costs 10 units in the first half, 1 in the second.
fn cost(task: u64) -> u64 {
    if task < TASKS / 2 { 10 } else { 1 }
}

fn run_task(task: u64) -> u64 {
    (0..cost(task) * 200)
        .map(|i| heavy(task * 1_000 + i))
        .fold(0, u64::wrapping_add)
}

// ANCHOR: demo
fn main() {
    let workers = thread::available_parallelism()
        .map_or(2, |n| n.get())
        .max(2);
    let total: u64 = (0..TASKS).map(cost).sum();
    println!(
        "{TASKS} tasks, {total} units of work, the first half ten times heavier; {workers} workers\n"
    );

    // A static split: worker w gets the w-th contiguous share of the tasks.
    let started = Instant::now();
    let shares: Vec<u64> = thread::scope(|scope| {
        let per_worker = TASKS.div_ceil(workers as u64);
        let handles: Vec<_> = (0..workers as u64)
            .map(|w| {
                scope.spawn(move || {
                    let tasks = w * per_worker..((w + 1) * per_worker).min(TASKS);
                    tasks
                        .map(|t| {
                            std::hint::black_box(run_task(t));
                            cost(t)
                        })
                        .sum()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    println!(
        "static split  {:>6.0} ms   units done per worker: {shares:?}",
        started.elapsed().as_secs_f64() * 1e3
    );

    // rayon: tasks are split in halves, recursively; an idle worker steals
    // the other half from a busy one's queue.
    let done: Vec<AtomicU64> = (0..workers).map(|_| AtomicU64::new(0)).collect();
    let started = Instant::now();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .build()
        .expect("a thread pool");
    pool.install(|| {
        (0..TASKS).into_par_iter().for_each(|t| {
            std::hint::black_box(run_task(t));
            let me = rayon::current_thread_index().expect("on a pool thread");
            done[me].fetch_add(cost(t), Ordering::Relaxed);
        })
    });
    let shares: Vec<u64> = done.iter().map(|d| d.load(Ordering::Relaxed)).collect();
    println!(
        "rayon         {:>6.0} ms   units done per worker: {shares:?}",
        started.elapsed().as_secs_f64() * 1e3
    );
}
// ANCHOR_END: demo
