//! The bug: a worker takes its job off the queue, and only then works on
//! it. If it dies in between, the job is nowhere.

use crate::{Commands, JOBS, JobId};

// ANCHOR: naive
/// `RPOP` a job, work, done: nothing to acknowledge, nothing to take back.
pub struct NaiveQueue;

impl crate::Protocol for NaiveQueue {
    fn claim(redis: &impl Commands, _worker: &str) -> Option<JobId> {
        redis.rpop(JOBS) // the job is now only in this worker's memory
    }

    fn ack(_redis: &impl Commands, _worker: &str, _job: JobId) {}

    fn reap(_redis: &impl Commands, _worker: &str) -> usize {
        0 // nothing says what a dead worker held
    }
}
// ANCHOR_END: naive
