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
/// One worker, as the monitor last saw it.
struct Watch {
    /// Its park/unpark count.
    count: u64,
    /// Since when it has had that count.
    since: Instant,
    /// Whether this stretch was reported.
    reported: bool,
}

impl Watch {
    /// A new sample of the worker's count, taken at `at`: how long it has
    /// gone without parking, if that is `patience` or more and not
    /// reported yet. Even counts are active, odd ones parked; a worker is
    /// watched from its first park on (one not started yet is not held).
    fn sample(&mut self, count: u64, at: Instant, patience: Duration) -> Option<Duration> {
        if count != self.count {
            (self.count, self.since, self.reported) = (count, at, false);
            return None;
        }
        let active = count.is_multiple_of(2) && count > 0;
        let stretch = at.saturating_duration_since(self.since);
        if !active || stretch < patience || self.reported {
            return None;
        }
        self.reported = true;
        Some(stretch)
    }
}

/// Samples `runtime`'s workers every `every` until `stop`, and returns each
/// stretch in which a worker was active, without parking, for `patience`
/// or more (printing each as it is found).
pub fn watch_workers(
    runtime: Handle,
    every: Duration,
    patience: Duration,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<Vec<Held>> {
    std::thread::spawn(move || {
        let metrics = runtime.metrics();
        let mut workers: Vec<Watch> = (0..metrics.num_workers())
            .map(|w| Watch {
                count: metrics.worker_park_unpark_count(w),
                since: Instant::now(),
                reported: false,
            })
            .collect();
        let mut held = Vec::new();
        while !stop.load(Ordering::Relaxed) {
            std::thread::sleep(every);
            for (worker, watch) in workers.iter_mut().enumerate() {
                let count = metrics.worker_park_unpark_count(worker);
                if let Some(stretch) = watch.sample(count, Instant::now(), patience) {
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

#[cfg(test)]
mod tests {
    use super::Watch;
    use std::time::{Duration, Instant};

    const PATIENCE: Duration = Duration::from_millis(200);

    fn watching(count: u64, start: Instant) -> Watch {
        Watch {
            count,
            since: start,
            reported: false,
        }
    }

    #[test]
    fn an_active_worker_is_reported_once_after_its_patience() {
        let start = Instant::now();
        let mut watch = watching(4, start);
        assert_eq!(
            watch.sample(4, start + Duration::from_millis(199), PATIENCE),
            None
        );
        assert_eq!(watch.sample(4, start + PATIENCE, PATIENCE), Some(PATIENCE));
        assert_eq!(
            watch.sample(4, start + PATIENCE * 3, PATIENCE),
            None,
            "reported twice"
        );
    }

    #[test]
    fn a_worker_that_parks_or_has_not_started_is_never_held() {
        let start = Instant::now();
        let later = start + PATIENCE * 10;
        assert_eq!(
            watching(5, start).sample(5, later, PATIENCE),
            None,
            "parked (odd)"
        );
        assert_eq!(
            watching(0, start).sample(0, later, PATIENCE),
            None,
            "not started"
        );
        // A count that moved starts a new stretch, from the sample.
        let mut watch = watching(4, start);
        assert_eq!(watch.sample(6, later, PATIENCE), None);
        assert_eq!(watch.sample(6, later + PATIENCE / 2, PATIENCE), None);
        assert_eq!(watch.sample(6, later + PATIENCE, PATIENCE), Some(PATIENCE));
    }
}
