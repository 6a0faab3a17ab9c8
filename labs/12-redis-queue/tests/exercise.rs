//! The exercise: make `src/exercise.rs` correct, then check it with
//! `cargo xtask exercise 12` (it runs the ignored test below).

use harness::exercise::Exercise;
use lab_12::checks::{kill_a_worker, two_workers_one_job};
use lab_12::on_loom::racy::NaiveQueue;
use lab_12::on_loom::{exercise, solution};
use lab_12::{Commands, JOBS, JobId, Protocol};

/// The exercise's check: one job, two workers, over every interleaving;
/// and, so that a fix cannot trade the double claim for a lost job, jobs
/// 1 and 2 with a worker killed at any moment.
fn exercise() -> Exercise {
    Exercise::new("src/exercise.rs", 0x67cb0fda01d47d9d)
}

#[test]
#[ignore = "the exercise: run `cargo xtask exercise 12` to check your fix"]
fn your_queue_gives_a_job_to_one_worker() {
    exercise().check_answer(two_workers_one_job::<exercise::PeekThenRemove>);
}

#[test]
#[ignore = "the exercise: run `cargo xtask exercise 12` to check your fix"]
fn your_queue_loses_no_job_when_a_worker_dies() {
    exercise().check_answer(kill_a_worker::<exercise::PeekThenRemove>);
}

#[test]
fn the_starter_fails_the_exercise_check() {
    exercise().prove_starter_fails(two_workers_one_job::<exercise::PeekThenRemove>);
}

#[test]
fn the_reference_solution_passes_the_exercise_check() {
    exercise().prove_solution_passes(two_workers_one_job::<solution::PeekThenRemove>);
    exercise().prove_solution_passes(kill_a_worker::<solution::PeekThenRemove>);
}

#[test]
fn the_exercise_check_fails_the_naive_queue_which_loses_a_dying_workers_job() {
    exercise().prove_wrong_answer_fails("RPOP", kill_a_worker::<NaiveQueue>);
}

/// A wrong answer: peek, then remove at once (before the work), ignoring
/// whether the removal found the job: both workers still do it.
struct PeekThenRemoveAtOnce;

impl Protocol for PeekThenRemoveAtOnce {
    fn claim(redis: &impl Commands, _worker: &str) -> Option<JobId> {
        let job = redis.peek(JOBS)?;
        redis.lrem(JOBS, job);
        Some(job)
    }
    fn ack(_redis: &impl Commands, _worker: &str, _job: JobId) {}
    fn reap(_redis: &impl Commands, _worker: &str) -> usize {
        0
    }
}

#[test]
fn the_exercise_check_fails_removing_without_checking_the_removal() {
    exercise().prove_wrong_answer_fails(
        "peek, then remove at once",
        two_workers_one_job::<PeekThenRemoveAtOnce>,
    );
}
