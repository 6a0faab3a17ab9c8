//! The CPU-bound job and the real parallel versions, on std threads and
//! rayon: what the tools and the benchmark measure.

use crate::{BUCKETS, bucket};
use rayon::prelude::*;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;

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
/// `units` units of CPU work, split evenly over `threads` OS threads.
pub fn cpu_bound_on(threads: u64, units: u64) -> u64 {
    thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    (t..units)
                        .step_by(threads as usize)
                        .map(heavy)
                        .fold(0, u64::wrapping_add)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap())
            .fold(0, u64::wrapping_add)
    })
}

/// `units` units of work, split evenly over `threads` OS threads, each
/// done while holding one shared lock: a thread preempted while holding it
/// keeps every other thread waiting.
pub fn lock_bound_on(threads: u64, units: u64) -> u64 {
    let shared = Mutex::new(0u64);
    thread::scope(|scope| {
        for t in 0..threads {
            let shared = &shared;
            scope.spawn(move || {
                for unit in (t..units).step_by(threads as usize) {
                    let mut total = shared.lock().unwrap();
                    *total = total.wrapping_add(heavy(unit));
                }
            });
        }
    });
    shared.into_inner().unwrap()
}

/// The same, under a hand-made spin lock, which never sleeps: a thread
/// waiting for it burns its whole time slice spinning, and if the holder
/// is preempted, every waiter spins until the holder runs again.
pub fn spin_bound_on(threads: u64, units: u64) -> u64 {
    let locked = AtomicBool::new(false);
    let total = AtomicU64::new(0); // only touched while holding `locked`
    thread::scope(|scope| {
        for t in 0..threads {
            let (locked, total) = (&locked, &total);
            scope.spawn(move || {
                for unit in (t..units).step_by(threads as usize) {
                    while locked.swap(true, Ordering::Acquire) {
                        std::hint::spin_loop();
                    }
                    let sum = total.load(Ordering::Relaxed);
                    total.store(sum.wrapping_add(heavy(unit)), Ordering::Relaxed);
                    locked.store(false, Ordering::Release);
                }
            });
        }
    });
    total.into_inner()
}
// ANCHOR_END: oversubscription
