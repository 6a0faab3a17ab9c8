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

// Whether the machine is busy: the harness's, shared with lab-12.
pub use harness::machine::{BUSY_BELOW, cores_free, describe, is_busy};

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_millisecond_of_one_core_does_some_rounds() {
        assert!(rounds_per_ms() >= 1);
    }
}
