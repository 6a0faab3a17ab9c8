//! A watchdog for demos that deadlock for real: when the program stops
//! making progress, it says what it saw and ends the program, instead of
//! leaving the learner's terminal hanging.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Watches a program's progress; see [`Watchdog::start`].
pub struct Watchdog {
    beats: Arc<AtomicU64>,
    stopped: Arc<AtomicBool>,
}

/// The exit status of a program the watchdog ended.
pub const STALLED: i32 = 3;

impl Watchdog {
    /// Starts watching. If [`beat`](Self::beat) is not called for
    /// `patience`, prints `report()` (what the program can tell about why it
    /// is stuck) to stderr and exits with status [`STALLED`].
    pub fn start(patience: Duration, report: impl Fn() -> String + Send + 'static) -> Self {
        let beats = Arc::new(AtomicU64::new(0));
        let stopped = Arc::new(AtomicBool::new(false));
        let (seen, done) = (beats.clone(), stopped.clone());
        std::thread::spawn(move || {
            let mut last = (0, Instant::now());
            while !done.load(Ordering::Relaxed) {
                std::thread::sleep(patience / 20);
                let now = seen.load(Ordering::Relaxed);
                if now != last.0 {
                    last = (now, Instant::now());
                } else if last.1.elapsed() >= patience && !done.load(Ordering::Relaxed) {
                    eprintln!(
                        "\nwatchdog: no progress for {:.1} s; the program is stuck.\n{}",
                        patience.as_secs_f64(),
                        report()
                    );
                    std::process::exit(STALLED);
                }
            }
        });
        Self { beats, stopped }
    }

    /// Tells the watchdog the program made progress.
    pub fn beat(&self) {
        self.beats.fetch_add(1, Ordering::Relaxed);
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.stopped.store(true, Ordering::Relaxed);
    }
}

/// Runs `test` on a thread of its own and returns what it returns, or
/// fails the calling test if it has not finished within `limit`, with
/// `stuck`: what a test still running then has most likely hung on. A
/// panic in `test` fails the caller with that panic. The stuck thread is
/// left behind; a test binary still exits when its tests are done.
///
/// For tests on real threads, which can block for ever (a model under
/// loom cannot: [`crate::Check`] stops one that does).
pub fn within<T: Send + 'static>(
    limit: Duration,
    stuck: &str,
    test: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (done, finished) = std::sync::mpsc::channel();
    let runner = std::thread::spawn(move || {
        let _ = done.send(test());
    });
    match finished.recv_timeout(limit) {
        Ok(value) => value,
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => match runner.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the test thread ended without a result"),
        },
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("the test did not finish within {limit:?}: {stuck}")
        }
    }
}
