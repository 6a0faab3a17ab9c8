//! Is this machine busy? A thread on every core spins for a moment, and
//! each reads how much CPU time it was given. On a quiet machine the sum
//! is about the core count; on a busy one (other programs, other builds),
//! less. Every tool that measures speed says it before its figures, and
//! gives no verdict from a busy machine (lab-12's `measure`, lab-13's
//! `compare`).

use std::time::{Duration, Instant};

/// The CPU time this thread has been given, in seconds.
pub fn thread_cpu_seconds() -> f64 {
    let time = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    time.tv_sec as f64 + time.tv_nsec as f64 * 1e-9
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
                    let mut x: u64 = 1;
                    // A calibration, not a job: it measures what the
                    // clock gives, so it is the one loop that waits for it.
                    while start.elapsed() < spin {
                        for _ in 0..10_000 {
                            x = std::hint::black_box(
                                x.wrapping_mul(6364136223846793005) ^ (x >> 7),
                            );
                        }
                    }
                    thread_cpu_seconds() - cpu_before
                })
            })
            .collect();
        spinners.into_iter().map(|s| s.join().unwrap_or(0.0)).sum()
    });
    given / start.elapsed().as_secs_f64().max(1e-9)
}

/// Below this share of its cores free, a machine is busy: figures are
/// low because cores were missing, not because of what was measured.
pub const BUSY_BELOW: f64 = 0.85;

/// Whether `cores_free` of `cores` is a busy machine.
pub fn is_busy(cores_free: f64, cores: usize) -> bool {
    cores_free < BUSY_BELOW * cores as f64
}

/// What a tool says of the machine, before (or after) its figures.
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

/// This machine's cores, as the standard library counts them.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
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
    }
}
