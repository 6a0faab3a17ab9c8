//! The fix: a job is never only in a worker's memory. Claiming moves it,
//! in one step, to the worker's own processing list; the worker removes it
//! from there when done; a dead worker's processing list goes back to the
//! queue. A job may be done twice (a worker that dies after the work and
//! before the ack), never lost: at-least-once.
//!
//! `DeadLetterQueue` adds a retry limit: the reaper counts each job it
//! takes back, and a job taken back from [`MAX_DELIVERIES`] dead workers
//! goes to the dead-letter list, not to the queue again.

use crate::{Commands, DEAD, JOBS, JobId, MAX_DELIVERIES, REAPING, processing};

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

// ANCHOR: dead_letter
/// The reliable queue with a retry limit: claims and acks as
/// [`ReliableQueue`] does; the reaper counts each job's deliveries that
/// ended in a death, and sets a job aside in the dead-letter list once
/// it has had [`MAX_DELIVERIES`] of them.
pub struct DeadLetterQueue;

impl crate::Protocol for DeadLetterQueue {
    fn claim(redis: &impl Commands, worker: &str) -> Option<JobId> {
        ReliableQueue::claim(redis, worker)
    }

    fn ack(redis: &impl Commands, worker: &str, job: JobId) {
        ReliableQueue::ack(redis, worker, job)
    }

    fn reap(redis: &impl Commands, worker: &str) -> usize {
        let held = redis.llen(&processing(worker));
        let mut taken_back = 0;
        for _ in 0..held {
            // One step: out of the worker's list, into the reaper's own,
            // so the job counted below is the job moved on below, whatever
            // the worker (if only slow) does meanwhile.
            let Some(job) = redis.lmove(&processing(worker), REAPING) else {
                break;
            };
            // This delivery ended in its worker's death: count it.
            let deliveries = redis.count_delivery(job);
            let to = if deliveries >= MAX_DELIVERIES {
                DEAD // delivered MAX_DELIVERIES times: never again
            } else {
                JOBS
            };
            redis.lmove(REAPING, to); // one step again: always in a list
            taken_back += 1;
        }
        taken_back
    }
}
// ANCHOR_END: dead_letter
