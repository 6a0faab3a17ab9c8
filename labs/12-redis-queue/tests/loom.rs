//! lab-12 under loom: the naive queue loses the job of a worker that dies;
//! the reliable queue loses none, wherever the death lands, and gives each
//! job to one worker at a time.

use harness::Check;
use lab_12::checks::{kill_a_worker, two_workers_one_job};
use lab_12::on_loom::fixed::ReliableQueue;
use lab_12::on_loom::racy::NaiveQueue;
use lab_12::{Commands, JOBS, JobId, Protocol};

// ANCHOR: lost_is_found
#[test]
fn a_worker_that_dies_after_rpop_loses_its_job() {
    let failure = Check::new("naive queue")
        .every_interleaving()
        .in_book()
        .must_fail(kill_a_worker::<NaiveQueue>);
    assert!(failure.message.contains("jobs lost"), "{}", failure.message);
}
// ANCHOR_END: lost_is_found

// ANCHOR: fix_holds
#[test]
fn the_reliable_queue_loses_no_job_wherever_a_worker_dies() {
    Check::new("reliable queue")
        .every_interleaving()
        .in_book()
        .must_pass(kill_a_worker::<ReliableQueue>);
}

#[test]
fn the_reliable_queue_gives_a_job_to_one_worker() {
    Check::new("reliable queue, two workers")
        .every_interleaving()
        .must_pass(two_workers_one_job::<ReliableQueue>);
}
// ANCHOR_END: fix_holds

/// A wrong fix: a processing list, but the claim is two commands (`RPOP`,
/// then `LPUSH` to the processing list): a death between them loses the
/// job, as the naive queue did.
struct PopThenPush;

impl Protocol for PopThenPush {
    fn claim(redis: &impl Commands, worker: &str) -> Option<JobId> {
        let job = redis.rpop(JOBS)?;
        redis.lpush(&lab_12::processing(worker), job);
        Some(job)
    }
    fn ack(redis: &impl Commands, worker: &str, job: JobId) {
        redis.lrem(&lab_12::processing(worker), job);
    }
    fn reap(redis: &impl Commands, worker: &str) -> usize {
        ReliableQueue::reap(redis, worker)
    }
}

#[test]
fn the_fix_check_fails_a_claim_in_two_commands() {
    let failure = Check::new("pop, then push")
        .every_interleaving()
        .quiet()
        .must_fail(kill_a_worker::<PopThenPush>);
    assert!(failure.message.contains("jobs lost"), "{}", failure.message);
}

#[test]
fn the_fix_check_fails_the_naive_queue() {
    let failure = Check::new("naive queue, quiet")
        .every_interleaving()
        .quiet()
        .must_fail(kill_a_worker::<NaiveQueue>);
    assert!(failure.message.contains("jobs lost"), "{}", failure.message);
}

#[test]
fn reaping_a_worker_that_is_only_slow_loses_no_job_and_ends() {
    Check::new("reliable queue, a slow worker reaped")
        .every_interleaving()
        .quiet()
        .must_pass(lab_12::checks::reap_a_live_worker::<ReliableQueue>);
}
