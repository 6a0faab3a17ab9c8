//! The fix: a job is never only in a worker's memory. Claiming moves it,
//! in one step, to the worker's own processing list; the worker removes it
//! from there when done; a dead worker's processing list goes back to the
//! queue. A job may be done twice (a worker that dies after the work and
//! before the ack), never lost: at-least-once.

use crate::{Commands, JOBS, JobId, processing};

// ANCHOR: reliable
/// `LMOVE` to a processing list, `LREM` to acknowledge, requeue to reap.
pub struct ReliableQueue;

impl crate::Protocol for ReliableQueue {
    fn claim(redis: &impl Commands, worker: &str) -> Option<JobId> {
        // One step: the job leaves the queue and lands in our list.
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
// ANCHOR_END: reliable
