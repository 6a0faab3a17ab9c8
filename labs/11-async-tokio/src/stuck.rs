//! Seeing a worker held too long, with tokio's stable runtime metrics.
//!
//! A worker parks whenever it runs out of work, and
//! `worker_park_unpark_count` goes up by one at each park and each unpark:
//! an odd count means parked, an even one active. A worker that stays
//! active with the same count for longer than a patience has not parked
//! once in that time: one task's poll is holding it (a blocking call in
//! async code), or its queue never empties. A monitor on a thread of its
//! own samples every worker and reports each such stretch once.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::runtime::Handle;

/// A worker seen active, without parking, for at least `for_at_least`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Held {
    /// The worker's index.
    pub worker: usize,
    /// How long it had gone without parking when reported.
    pub for_at_least: Duration,
}

// ANCHOR: monitor
/// Samples `runtime`'s workers every `every` until `stop`, and returns each
/// stretch in which a worker was active, without parking, for `patience`
/// or more (printing each as it is found). A worker is watched from its
/// first park on: one that has not started yet is not held.
pub fn watch_workers(
    runtime: Handle,
    every: Duration,
    patience: Duration,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<Vec<Held>> {
    std::thread::spawn(move || {
        let metrics = runtime.metrics();
        let workers = metrics.num_workers();
        // Per worker: its count, since when it has had it, and whether
        // this stretch was reported.
        let mut last: Vec<(u64, Instant, bool)> = (0..workers)
            .map(|w| (metrics.worker_park_unpark_count(w), Instant::now(), false))
            .collect();
        let mut held = Vec::new();
        while !stop.load(Ordering::Relaxed) {
            std::thread::sleep(every);
            for (worker, (count, since, reported)) in last.iter_mut().enumerate() {
                let now = metrics.worker_park_unpark_count(worker);
                if now != *count {
                    (*count, *since, *reported) = (now, Instant::now(), false);
                    continue;
                }
                // Even: not parked. Only after a first park (a count of 1
                // or more): a worker that has not started yet is not held.
                let active = now.is_multiple_of(2) && now > 0;
                let stretch = since.elapsed();
                if active && stretch >= patience && !*reported {
                    *reported = true;
                    eprintln!(
                        "worker {worker} has not parked for {stretch:?}: a task is holding it \
                         (a blocking call in async code?), or its queue never empties"
                    );
                    held.push(Held {
                        worker,
                        for_at_least: stretch,
                    });
                }
            }
        }
        held
    })
}
// ANCHOR_END: monitor
