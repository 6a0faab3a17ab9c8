//! The CPU-bound job and the real parallel versions, on std threads and
//! rayon: what the tools and the benchmark measure.

use crate::{BUCKETS, bucket};
use lab_04::on_std::fixed::SpinLock;
use rayon::prelude::*;
use std::sync::{Barrier, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// The work done per value: rounds of xorshift mixing, so the job is
/// limited by the cores, not by memory. (`black_box` keeps the compiler
/// from running several values at once in vector registers in some loops
/// and not others, so every value costs the same everywhere.)
pub fn heavy(value: u64) -> u64 {
    let mut x = std::hint::black_box(value) | 1;
    for _ in 0..32 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    x
}

fn add(mut total: Vec<u64>, more: Vec<u64>) -> Vec<u64> {
    for (sum, count) in total.iter_mut().zip(more) {
        *sum += count;
    }
    total
}

/// The histogram of `heavy(v)` for every value, on this thread.
pub fn sequential_histogram(values: &[u64]) -> Vec<u64> {
    values.iter().fold(vec![0; BUCKETS], |mut counts, &value| {
        counts[bucket(heavy(value))] += 1;
        counts
    })
}

// ANCHOR: rayon
/// The same histogram with rayon: each worker folds the values it is given
/// into its own histogram, and the histograms are reduced to one.
pub fn rayon_histogram(values: &[u64]) -> Vec<u64> {
    values
        .par_iter()
        .fold(
            || vec![0; BUCKETS],
            |mut counts, &value| {
                counts[bucket(heavy(value))] += 1;
                counts
            },
        )
        .reduce(|| vec![0; BUCKETS], add)
}
// ANCHOR_END: rayon

// ANCHOR: join
/// Sums `heavy(v)` over a slice by splitting it in two and summing the
/// halves with `rayon::join`: "these two may run in parallel". A worker
/// pushes the second half onto its own queue and starts on the first; an
/// idle worker steals it from there.
pub fn join_sum(values: &[u64]) -> u64 {
    if values.len() <= 1_024 {
        return values.iter().map(|&v| heavy(v)).fold(0, u64::wrapping_add);
    }
    let (left, right) = values.split_at(values.len() / 2);
    let (a, b) = rayon::join(|| join_sum(left), || join_sum(right));
    a.wrapping_add(b)
}
// ANCHOR_END: join

// ANCHOR: oversubscription
/// Runs `work(t)` on each of `threads` OS threads; returns the wrapping sum
/// of what they return, and how long the work took: from the first thread
/// starting its work to the last one finishing. Every thread waits at a
/// barrier until all exist, so starting threads is not counted, and each
/// reads the clock itself (the main thread, competing with the workers for
/// a core, could read it late).
pub fn timed_on(threads: u64, work: impl Fn(u64) -> u64 + Sync) -> (u64, Duration) {
    let ready = Barrier::new(threads as usize);
    let runs: Vec<(u64, Instant, Instant)> = thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let (ready, work) = (&ready, &work);
                scope.spawn(move || {
                    ready.wait();
                    let started = Instant::now();
                    let result = work(t);
                    (result, started, Instant::now())
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let sum = runs.iter().map(|r| r.0).fold(0, u64::wrapping_add);
    let first = runs.iter().map(|r| r.1).min().expect("at least one thread");
    let last = runs.iter().map(|r| r.2).max().expect("at least one thread");
    (sum, last - first)
}

/// `units` units of CPU work, split evenly over `threads` OS threads.
pub fn cpu_bound_on(threads: u64, units: u64) -> (u64, Duration) {
    timed_on(threads, |t| {
        (t..units)
            .step_by(threads as usize)
            .map(heavy)
            .fold(0, u64::wrapping_add)
    })
}

/// The same units, each done while holding one shared `Mutex`.
pub fn mutex_bound_on(threads: u64, units: u64) -> (u64, Duration) {
    let shared = Mutex::new(0u64);
    let (_, time) = timed_on(threads, |t| {
        for unit in (t..units).step_by(threads as usize) {
            let mut total = shared.lock().unwrap();
            *total = total.wrapping_add(heavy(unit));
        }
        0
    });
    (shared.into_inner().unwrap(), time)
}

/// The same, under chapter 4's spin lock (`lab_04`'s, with its guard),
/// which never sleeps: a thread waiting for it burns its whole time slice
/// spinning, and if the holder is preempted, every waiter spins until the
/// holder runs again.
pub fn spin_bound_on(threads: u64, units: u64) -> (u64, Duration) {
    let shared = SpinLock::new(0u64);
    let (_, time) = timed_on(threads, |t| {
        for unit in (t..units).step_by(threads as usize) {
            let mut total = shared.lock();
            *total = total.wrapping_add(heavy(unit));
        }
        0
    });
    let total = *shared.lock();
    (total, time)
}
// ANCHOR_END: oversubscription
