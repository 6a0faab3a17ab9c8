//! The exercise: two workers must never both claim one job.
//! Check your answer with `cargo xtask exercise 12`.

use crate::{Commands, JOBS, JobId};

// ANCHOR: starter
/// A queue that never loses a job to a dying worker: the worker only
/// peeks at the job, and removes it from the queue once it is done.
pub struct PeekThenRemove;

impl crate::Protocol for PeekThenRemove {
    fn claim(redis: &impl Commands, _worker: &str) -> Option<JobId> {
        // TODO: another worker can peek at the same job before either of
        // us removes it; then both do it. Make claiming one step.
        redis.peek(JOBS)
    }

    fn ack(redis: &impl Commands, _worker: &str, job: JobId) {
        redis.lrem(JOBS, job);
    }

    fn reap(_redis: &impl Commands, _worker: &str) -> usize {
        0 // a dead worker's job is still in the queue
    }
}
// ANCHOR_END: starter
