//! The exercise's reference solution. Try `exercise.rs` first!

use crate::{Commands, JOBS, JobId, processing};

/// Claims by moving, in one step, as `ReliableQueue` does.
pub struct PeekThenRemove;

// ANCHOR: solution
impl crate::Protocol for PeekThenRemove {
    fn claim(redis: &impl Commands, worker: &str) -> Option<JobId> {
        // Taken off the queue and into this worker's own list in one
        // command: no other worker can get it, and no death can lose it.
        redis.lmove(JOBS, &processing(worker))
    }

    fn ack(redis: &impl Commands, worker: &str, job: JobId) {
        redis.lrem(&processing(worker), job);
    }

    fn reap(redis: &impl Commands, worker: &str) -> usize {
        let mut requeued = 0;
        while redis.lmove(&processing(worker), JOBS).is_some() {
            requeued += 1;
        }
        requeued
    }
}
// ANCHOR_END: solution
