//! The counters on real OS threads: what the demo shows and the benchmark
//! times. Scoped threads borrow the counter, so it needs no `Arc`.

use crate::Counter;
use std::thread;

// ANCHOR: hammer
/// `threads` threads each increment one shared counter `per_thread` times.
pub fn hammer<C: Counter>(counter: &C, threads: usize, per_thread: u64) {
    thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                for _ in 0..per_thread {
                    counter.increment();
                }
            });
        }
    });
}
// ANCHOR_END: hammer

/// A new counter, incremented `per_thread` times on each of `threads`
/// threads: its final count (what the benchmarks time).
pub fn count_shared<C: Counter>(threads: usize, per_thread: u64) -> u64 {
    let counter = C::new();
    hammer(&counter, threads, per_thread);
    counter.get()
}

// ANCHOR: merge
/// The fix that shares nothing: each thread counts on its own, and the
/// counts are added once, at the end, when the threads are joined.
pub fn count_then_merge(threads: usize, per_thread: u64) -> u64 {
    thread::scope(|scope| {
        let counting: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(move || {
                    let mut mine = 0u64;
                    for _ in 0..per_thread {
                        // black_box: keep the compiler from adding it all up at once.
                        mine = std::hint::black_box(mine + 1);
                    }
                    mine
                })
            })
            .collect();
        counting.into_iter().map(|t| t.join().unwrap()).sum()
    })
}
// ANCHOR_END: merge
