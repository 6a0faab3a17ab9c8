//! lab-12 under loom: the naive queue loses the job of a worker that dies;
//! the reliable queue loses none, wherever the death lands, and gives each
//! job to one worker at a time; with a retry limit, a poison job ends in
//! the dead-letter list after exactly `MAX_DELIVERIES` deliveries.

use harness::Check;
use lab_12::checks::{
    CountThenAck, Finish, kill_a_stream_worker, kill_a_worker, kill_a_worker_redoing_at_most,
    poison_job, two_workers_one_job,
};
use lab_12::on_loom::fixed::{DeadLetterQueue, ReliableQueue};
use lab_12::on_loom::racy::NaiveQueue;
use lab_12::{Commands, DEAD, JOBS, JobId, MAX_DELIVERIES, Protocol, REAPING, StreamCommands};

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

// ANCHOR: poison
#[test]
fn a_poison_job_ends_in_the_dead_letter_list_and_the_other_job_is_done() {
    Check::new("dead-letter queue, a poison job")
        .every_interleaving()
        .in_book()
        .must_pass(poison_job::<DeadLetterQueue>);
}

#[test]
fn the_reliable_queue_without_a_limit_hands_the_poison_job_out_for_ever() {
    let failure = Check::new("reliable queue, a poison job")
        .every_interleaving()
        .in_book()
        .must_fail(poison_job::<ReliableQueue>);
    assert!(
        failure.message.contains("not in the dead-letter list"),
        "{}",
        failure.message
    );
}
// ANCHOR_END: poison

#[test]
fn the_retry_limit_keeps_what_the_reliable_queue_had() {
    Check::new("dead-letter queue, a worker killed")
        .every_interleaving()
        .quiet()
        .must_pass(kill_a_worker::<DeadLetterQueue>);
    Check::new("dead-letter queue, at most one job done twice")
        .every_interleaving()
        .quiet()
        .must_pass(|| kill_a_worker_redoing_at_most::<DeadLetterQueue>(1));
    Check::new("dead-letter queue, two workers")
        .every_interleaving()
        .quiet()
        .must_pass(two_workers_one_job::<DeadLetterQueue>);
    Check::new("dead-letter queue, a slow worker reaped")
        .every_interleaving()
        .quiet()
        .must_pass(lab_12::checks::reap_a_live_worker::<DeadLetterQueue>);
}

/// Wrong retry limits: each reaps as [`DeadLetterQueue`] does, through the
/// reaper's own list, but decides where a job goes by `to`, given the
/// job's count of deliveries (or `None` where it counts none).
fn reap_deciding(
    redis: &impl Commands,
    worker: &str,
    count: bool,
    to: impl Fn(Option<u64>) -> &'static str,
) -> usize {
    let held = redis.llen(&lab_12::processing(worker));
    let mut taken_back = 0;
    for _ in 0..held {
        let Some(job) = redis.lmove(&lab_12::processing(worker), REAPING) else {
            break;
        };
        let deliveries = count.then(|| redis.count_delivery(job));
        redis.lmove(REAPING, to(deliveries));
        taken_back += 1;
    }
    taken_back
}

/// Declares a protocol that claims and acks as the reliable queue does,
/// and reaps with `reap_deciding`.
macro_rules! wrong_limit {
    ($name:ident, count: $count:expr, to: $to:expr) => {
        struct $name;
        impl Protocol for $name {
            fn claim(redis: &impl Commands, worker: &str) -> Option<JobId> {
                ReliableQueue::claim(redis, worker)
            }
            fn ack(redis: &impl Commands, worker: &str, job: JobId) {
                ReliableQueue::ack(redis, worker, job)
            }
            fn reap(redis: &impl Commands, worker: &str) -> usize {
                reap_deciding(redis, worker, $count, $to)
            }
        }
    };
}

// Counts every delivery, and never dead-letters.
wrong_limit!(CountsButRequeues, count: true, to: |_| JOBS);
// Dead-letters a job at its first death.
wrong_limit!(DeadAtOnce, count: true, to: |_| DEAD);
// Off by one: dead-letters only past the limit (`>` for `>=`).
wrong_limit!(OnePastTheLimit, count: true, to: |n: Option<u64>| {
    if n.unwrap_or(0) > MAX_DELIVERIES { DEAD } else { JOBS }
});

#[test]
fn the_poison_check_fails_a_count_that_never_dead_letters() {
    let failure = Check::new("counts, never dead-letters")
        .every_interleaving()
        .quiet()
        .must_fail(poison_job::<CountsButRequeues>);
    assert!(
        failure.message.contains("not in the dead-letter list"),
        "{}",
        failure.message
    );
}

#[test]
fn the_poison_check_fails_dead_lettering_at_the_first_death() {
    let failure = Check::new("dead-letters at the first death")
        .every_interleaving()
        .quiet()
        .must_fail(poison_job::<DeadAtOnce>);
    assert!(
        failure.message.contains("delivered 1 times"),
        "{}",
        failure.message
    );
}

#[test]
fn the_poison_check_fails_a_limit_passed_by_one() {
    let failure = Check::new("one delivery past the limit")
        .every_interleaving()
        .quiet()
        .must_fail(poison_job::<OnePastTheLimit>);
    assert!(
        failure.message.contains("delivered 4 times"),
        "{}",
        failure.message
    );
}

// ANCHOR: stream_finish
/// The stream worker's own `finish` (count, then acknowledge), run by the
/// model: no job lost, none left pending, wherever the worker dies.
#[test]
fn a_stream_worker_killed_anywhere_loses_no_job_and_leaves_none_pending() {
    let explored = Check::new("stream worker")
        .every_interleaving()
        .must_pass(kill_a_stream_worker::<CountThenAck>);
    // Chapter 12 says how many.
    assert_eq!(explored.executions, 10);
}

/// A wrong order: acknowledged, then counted. A death between the two
/// leaves the entry acknowledged (no worker will be given it again) and
/// the job never counted done.
struct AckThenCount;

impl Finish for AckThenCount {
    fn finish<R: StreamCommands>(redis: &R, entry: &R::Entry, job: JobId) {
        redis.ack(entry);
        redis.count_done(job);
    }
}

#[test]
fn the_stream_model_catches_an_ack_before_the_count() {
    let failure = Check::new("stream worker, ack then count")
        .every_interleaving()
        .quiet()
        .must_fail(kill_a_stream_worker::<AckThenCount>);
    assert!(failure.message.contains("jobs lost"), "{}", failure.message);
    // Chapter 12 says how soon.
    assert_eq!(failure.explored.executions, 5);
}
// ANCHOR_END: stream_finish

/// Counted, never acknowledged: nothing is lost, but every entry stays
/// pending, to be claimed and done again after every lease, for ever.
struct CountOnly;

impl Finish for CountOnly {
    fn finish<R: StreamCommands>(redis: &R, _entry: &R::Entry, job: JobId) {
        redis.count_done(job);
    }
}

/// Acknowledged, never counted: every job is lost.
struct AckOnly;

impl Finish for AckOnly {
    fn finish<R: StreamCommands>(redis: &R, entry: &R::Entry, _job: JobId) {
        redis.ack(entry);
    }
}

#[test]
fn the_stream_model_catches_a_missing_ack_and_a_missing_count() {
    // Never acknowledged: w2 claims what w1 left and reads the rest, then
    // finds nothing more (the model's claim never takes a worker's own
    // entries), and the entries stay pending: only the last assertion of
    // the model sees it. Never counted: lost.
    let failure = Check::new("stream worker, never acknowledged")
        .every_interleaving()
        .quiet()
        .must_fail(kill_a_stream_worker::<CountOnly>);
    assert!(
        failure.message.contains("not acknowledged"),
        "{}",
        failure.message
    );
    let failure = Check::new("stream worker, never counted")
        .every_interleaving()
        .quiet()
        .must_fail(kill_a_stream_worker::<AckOnly>);
    assert!(failure.message.contains("jobs lost"), "{}", failure.message);
}
