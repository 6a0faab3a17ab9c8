//! lab-12 under loom: the naive queue loses the job of a worker that dies;
//! the reliable queue loses none, wherever the death lands, and gives each
//! job to one worker at a time.

use harness::Check;
use lab_12::checks::{kill_a_worker, kill_a_worker_redoing_at_most, two_workers_one_job};
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

// ANCHOR: redo_bound
#[test]
fn a_death_has_at_most_one_job_done_twice() {
    Check::new("reliable queue, at most one job done twice")
        .every_interleaving()
        .must_pass(|| kill_a_worker_redoing_at_most::<ReliableQueue>(1));
    // And one can be: the death falls between a job's count and its ack.
    let failure = Check::new("reliable queue, a job done twice")
        .every_interleaving()
        .in_book()
        .must_fail(|| kill_a_worker_redoing_at_most::<ReliableQueue>(0));
    assert!(
        failure.message.contains("done twice"),
        "{}",
        failure.message
    );
}

/// Batched acks: a worker acknowledges every second job, the two at
/// once, to save half of the acks' commands (and the last job alone, when
/// the queue is empty, so none is left unacknowledged).
struct AckTwoAtATime;

impl Protocol for AckTwoAtATime {
    fn claim(redis: &impl Commands, worker: &str) -> Option<JobId> {
        ReliableQueue::claim(redis, worker)
    }
    fn ack(redis: &impl Commands, worker: &str, _job: JobId) {
        let processing = lab_12::processing(worker);
        if redis.llen(&processing) == 2 || redis.llen(lab_12::JOBS) == 0 {
            while redis.rpop(&processing).is_some() {}
        }
    }
    fn reap(redis: &impl Commands, worker: &str) -> usize {
        ReliableQueue::reap(redis, worker)
    }
}

#[test]
fn acks_two_at_a_time_lose_no_job_but_a_death_can_have_both_done_twice() {
    Check::new("acks two at a time")
        .every_interleaving()
        .must_pass(kill_a_worker::<AckTwoAtATime>);
    let failure = Check::new("acks two at a time, jobs done twice")
        .every_interleaving()
        .quiet()
        .must_fail(|| kill_a_worker_redoing_at_most::<AckTwoAtATime>(1));
    assert!(failure.message.contains("[1, 2]"), "{}", failure.message);
}
// ANCHOR_END: redo_bound

/// A wrong fix: the acknowledgement is left out (the job is done and
/// counted, but stays in the worker's processing list). Nothing is lost,
/// and the done counts look right; only the model's last look at the
/// lists sees it, where the next reap would hand the job out again.
struct NeverAcks;

impl Protocol for NeverAcks {
    fn claim(redis: &impl Commands, worker: &str) -> Option<JobId> {
        ReliableQueue::claim(redis, worker)
    }
    fn ack(_redis: &impl Commands, _worker: &str, _job: JobId) {}
    fn reap(redis: &impl Commands, worker: &str) -> usize {
        ReliableQueue::reap(redis, worker)
    }
}

#[test]
fn the_fix_check_fails_an_ack_that_leaves_the_job_in_processing() {
    let failure = Check::new("no ack")
        .every_interleaving()
        .quiet()
        .must_fail(kill_a_worker::<NeverAcks>);
    assert!(
        failure.message.contains("lists still hold jobs"),
        "{}",
        failure.message
    );
}
