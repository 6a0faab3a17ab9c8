//! The exercise's reference solution. Try `exercise.rs` first!

use crate::{Commands, JOBS, JobId, processing};

/// Claims by moving, in one step, as `ReliableQueue` does.
pub struct PeekThenRemove;

// ANCHOR: solution
impl crate::Protocol for PeekThenRemove {
    fn claim(redis: &impl Commands, worker: &str) -> Option<JobId> {
        // Taken off the queue and into this worker's own list in one
        // command: no other worker can get it, and no death can lose it.
        redis.blmove(JOBS, &processing(worker))
    }

    fn ack(redis: &impl Commands, worker: &str, job: JobId) {
        redis.lrem(&processing(worker), job);
    }

    fn reap(redis: &impl Commands, worker: &str) -> usize {
        // As many as it holds now, no more: a worker that is alive after
        // all (only slow) may claim again meanwhile, and keeps that job.
        let held = redis.llen(&processing(worker));
        (0..held)
            .take_while(|_| redis.lmove(&processing(worker), JOBS).is_some())
            .count()
    }
}
// ANCHOR_END: solution
