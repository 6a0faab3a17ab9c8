//! The litmus tests on real threads, as jcstress runs its tests: the
//! threads meet at a spin barrier before every iteration, and each
//! iteration uses fresh locations, so no iteration waits for the one
//! before it to be cleared, and rare outcomes get their chance.

use crate::litmus_tests::{Test, Variant};
use crate::on_std::litmus::{Locations, outcome, run_thread};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Iterations per batch: each batch's locations are fresh, and its threads
/// are spawned once (16 Ki iterations of 256 bytes: 4 MiB of locations).
const BATCH: usize = 1 << 14;

/// How long a run goes on.
#[derive(Clone, Copy, Debug)]
pub enum Budget {
    /// At least this long, in whole batches.
    Time(Duration),
    /// At least this many iterations, in whole batches (fewer than a
    /// batch: exactly this many).
    Iterations(u64),
}

/// What one run observed.
#[derive(Clone, Debug, Default)]
pub struct Observed {
    /// How many iterations ended with each outcome.
    pub counts: std::collections::BTreeMap<Vec<u32>, u64>,
    /// How many iterations ran.
    pub iterations: u64,
    /// How long they took.
    pub elapsed: Duration,
}

// ANCHOR: barrier
/// A thread's arrival count, alone in its cache line.
#[repr(align(128))]
#[derive(Default)]
struct Arrivals(AtomicU64);

/// Waits until every thread has arrived at iteration `n`. Each thread
/// writes only its own line, so arriving costs one line's transfer per
/// other thread. After `spin_limit` turns it yields: with more threads than
/// cores (IRIW on 2 cores), the thread it waits for needs this core, so
/// there the limit is 0.
fn barrier(arrivals: &[Arrivals], me: usize, n: u64, spin_limit: u32) {
    // Relaxed: the barrier only lines the threads up in time; each
    // iteration's locations are fresh, so it need not order memory.
    arrivals[me].0.store(n, Ordering::Relaxed);
    for other in arrivals {
        let mut spins = 0u32;
        while other.0.load(Ordering::Relaxed) < n {
            spins += 1;
            if spins < spin_limit {
                std::hint::spin_loop();
            } else {
                std::thread::yield_now();
            }
        }
    }
}
// ANCHOR_END: barrier

/// Runs `test` with `variant` on real threads until `budget` is spent;
/// `progress` hears the iterations done after each batch.
pub fn run(
    test: Test,
    variant: Variant,
    budget: Budget,
    mut progress: impl FnMut(u64, Duration),
) -> Observed {
    let threads = test.threads();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let spin_limit = if threads > cores { 0 } else { 64 };
    // Iterations by outcome: each register is 0, 1 or 2, a digit in base 3.
    let mut counts = [0u64; 81];
    let mut observed = Observed::default();
    // A run shorter than a batch is one short batch.
    let batch_len = match budget {
        Budget::Iterations(n) => BATCH.min(usize::try_from(n).unwrap_or(BATCH)),
        Budget::Time(_) => BATCH,
    };
    let mut batch: Vec<Locations> = (0..batch_len).map(|_| Locations::new()).collect();
    let start = Instant::now();
    loop {
        let arrivals: Vec<Arrivals> = (0..threads).map(|_| Arrivals::default()).collect();
        let registers: Vec<Vec<[u32; 2]>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|thread| {
                    let (batch, arrivals) = (&batch, &arrivals);
                    scope.spawn(move || {
                        let mut read = Vec::with_capacity(batch_len);
                        // ANCHOR: iteration
                        for (n, at) in (1..).zip(batch) {
                            barrier(arrivals, thread, n, spin_limit);
                            read.push(run_thread(test, variant, thread, at));
                        }
                        // ANCHOR_END: iteration
                        read
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for (i, at) in batch.iter_mut().enumerate() {
            let mut per_thread = [[0; 2]; 4];
            for (slot, read) in per_thread.iter_mut().zip(&registers) {
                *slot = read[i];
            }
            let digits = outcome(test, &per_thread, at);
            counts[digits.iter().rev().fold(0, |n, &d| n * 3 + d as usize)] += 1;
            // Fresh for the next batch (its threads are spawned after this).
            *at = Locations::new();
        }
        observed.iterations += batch_len as u64;
        observed.elapsed = start.elapsed();
        progress(observed.iterations, observed.elapsed);
        let done = match budget {
            Budget::Time(limit) => observed.elapsed >= limit,
            Budget::Iterations(limit) => observed.iterations >= limit,
        };
        if done {
            for outcome in test.outcomes() {
                let index = outcome.iter().rev().fold(0, |n, &d| n * 3 + d as usize);
                if counts[index] > 0 {
                    observed.counts.insert(outcome, counts[index]);
                }
            }
            return observed;
        }
    }
}
