//! The exercise: make `src/exercise.rs` correct, then check it with
//! `cargo xtask exercise 06` (it runs the ignored test below).

use harness::exercise::Exercise;
use lab_06::checks::send_then_stop;
use lab_06::on_loom::racy::StopFlagJobs;
use lab_06::on_loom::{exercise, solution};

/// The exercise's check: send 1 and 2, then close; every interleaving.
///
/// Unlike `ClosingJobs`, the exercise's `Inbox` has no `recv` for a model
/// to watch a message arrive before `stop` (`job_arrives_before_stop` in
/// tests/loom.rs): the learner edits only `work`, and its `send` (which
/// notifies) is given. A `work` that ignores messages until the inbox is
/// closed, then reads them all, passes this check: it loses nothing, and
/// what it costs (latency) is not this chapter's race.
fn exercise() -> Exercise {
    Exercise::new("src/exercise.rs", 0xcc87cac01d59a469)
}

#[test]
#[ignore = "the exercise: run `cargo xtask exercise 06` to check your fix"]
fn your_inbox_is_drained_before_its_worker_stops() {
    exercise().check_answer(send_then_stop::<exercise::Inbox>);
}

#[test]
fn the_starter_fails_the_exercise_check() {
    exercise().prove_starter_fails(send_then_stop::<exercise::Inbox>);
}

#[test]
fn the_reference_solution_passes_the_exercise_check() {
    exercise().prove_solution_passes(send_then_stop::<solution::Inbox>);
}

#[test]
fn the_exercise_check_fails_a_worker_that_stops_on_a_flag() {
    exercise().prove_wrong_answer_fails("a stop flag", send_then_stop::<StopFlagJobs>);
}
