//! Before the first table: how much work a millisecond of this machine's
//! CPU does, and how much of the machine is free.
//!
//! - **Fixed work.** A job never waits for a clock: a "5 ms job" is the
//!   number of rounds of [`crunch`] that one core of this machine does in
//!   5 ms, measured once per run and then given to every row. A row that
//!   loses its core to another program then takes longer, as it should.
//! - **A busy machine.** A thread on every core spins for a moment, and
//!   each reads how much CPU time it was given. On a quiet machine the sum
//!   is about the core count; on a busy one, less. `compare` measures it
//!   before its first table and after its last, and keeps the lower.

use crate::jobs::crunch;
use crate::measure::thread_cpu_seconds;
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

/// Rounds of [`crunch`] one core does in a millisecond: the fastest of a
/// few timed tries (a try that lost its core is slower, never faster).
pub fn rounds_per_ms() -> u64 {
    const ROUNDS: u64 = 200_000;
    let fastest = (0..7)
        .map(|seed| {
            let start = Instant::now();
            std::hint::black_box(crunch(std::hint::black_box(seed), ROUNDS));
            start.elapsed()
        })
        .min()
        .unwrap_or(Duration::from_millis(1));
    (ROUNDS as f64 / (fastest.as_secs_f64() * 1e3).max(1e-6)).max(1.0) as u64
}

/// Cores' worth of CPU time that `cores` spinning threads were given
/// over `spin` of wall time.
pub fn cores_free(cores: usize, spin: Duration) -> f64 {
    let start = Instant::now();
    let given: f64 = std::thread::scope(|scope| {
        let spinners: Vec<_> = (0..cores.max(1))
            .map(|_| {
                scope.spawn(move || {
                    let cpu_before = thread_cpu_seconds();
                    let mut x = 1;
                    // A calibration, not a job: it measures what the
                    // clock gives, so it is the one loop that waits for it.
                    while start.elapsed() < spin {
                        x = std::hint::black_box(crunch(x, 10_000));
                    }
                    thread_cpu_seconds() - cpu_before
                })
            })
            .collect();
        spinners.into_iter().map(|s| s.join().unwrap_or(0.0)).sum()
    });
    given / start.elapsed().as_secs_f64().max(1e-9)
}

/// Below this share of its cores free, a machine is busy: speed-ups are
/// low because cores were missing, not because the model failed.
pub const BUSY_BELOW: f64 = 0.85;

/// How a run was calibrated.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Calibration {
    /// Rounds of `crunch` per millisecond of one core: what every row's
    /// fixed-work jobs were sized by.
    pub rounds_per_ms: u64,
    /// Cores free before the first table.
    pub cores_free_before: f64,
    /// Cores free after the last table.
    pub cores_free_after: f64,
}

impl Calibration {
    /// The lower of the two measurements of free cores.
    pub fn cores_free(&self) -> f64 {
        self.cores_free_before.min(self.cores_free_after)
    }
}

/// Whether `cores_free` of `cores` is a busy machine.
pub fn is_busy(cores_free: f64, cores: usize) -> bool {
    cores_free < BUSY_BELOW * cores as f64
}

/// The sentence the tables open with.
pub fn describe(cores_free: f64, cores: usize) -> String {
    if is_busy(cores_free, cores) {
        format!(
            "about {cores_free:.1} of {cores} cores were free: the machine is busy, speed-ups \
             will be low and no claim is judged; rerun on a quiet machine"
        )
    } else {
        format!("about {cores_free:.1} of {cores} cores were free: a quiet machine")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_machine_with_too_few_free_cores_is_busy_and_says_so() {
        assert!(is_busy(0.9, 2));
        assert!(!is_busy(1.9, 2));
        assert!(describe(0.9, 2).contains("busy"));
        assert!(describe(1.9, 2).contains("quiet"));
    }

    #[test]
    fn spinning_threads_are_given_some_cpu_and_no_more_than_their_count() {
        let free = cores_free(2, Duration::from_millis(50));
        // However busy the machine, two spinning threads get something,
        // and never more than two cores' worth (with a little slack for
        // the clock's granularity).
        assert!(free > 0.0 && free < 2.2, "{free}");
        assert!(rounds_per_ms() >= 1);
    }
}
