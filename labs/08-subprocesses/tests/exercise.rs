//! The exercise: make `src/exercise.rs` correct, then check it with
//! `cargo xtask exercise 08` (it runs the ignored test below).

use harness::exercise::Exercise;
use harness::sync::loom::thread;
use lab_08::checks::{feed_a_child_that_stops_reading, feed_a_filter};
use lab_08::model::ModelChild;
use lab_08::on_loom::{exercise, solution};
use lab_08::{Child, read_all};
use std::io::{self, Write};

/// The exercise's check: an echo child and 6 bytes of input, within one
/// preemption per execution.
fn exercise() -> Exercise {
    Exercise::new("src/exercise.rs", 0x04e893150efe37e4).preemption_bound(1)
}

#[test]
#[ignore = "the exercise: run `cargo xtask exercise 08` to check your fix"]
fn your_parent_feeds_a_filter_and_gets_everything_back() {
    exercise().check_answer(|| feed_a_filter(exercise::communicate));
}

/// The exercise's second check: a child that reads 2 bytes and exits; the
/// write error must reach the caller. Same bound, for the same reason.
#[test]
#[ignore = "the exercise: run `cargo xtask exercise 08` to check your fix"]
fn your_parent_reports_a_child_that_stops_reading() {
    exercise().check_answer(|| feed_a_child_that_stops_reading(exercise::communicate));
}

#[test]
fn the_reference_solution_passes_the_stops_reading_check() {
    exercise().prove_solution_passes(feed_a_child_that_stops_reading_with_the_solution);
}

#[test]
fn the_starter_fails_the_exercise_check() {
    exercise().prove_starter_fails(|| feed_a_filter(exercise::communicate));
}

#[test]
fn the_reference_solution_passes_the_exercise_check() {
    exercise().prove_solution_passes(feed_a_filter_with_the_solution);
}

/// A wrong answer: the input is written on a thread, but that thread is
/// joined before anyone reads the output.
fn joins_the_writer_first(mut child: ModelChild, input: Vec<u8>) -> io::Result<Vec<u8>> {
    let mut stdin = child.stdin()?;
    let stdout = child.stdout()?;
    let writer = thread::spawn(move || stdin.write_all(&input));
    writer.join().unwrap()?;
    let output = read_all(stdout)?;
    child.wait()?;
    Ok(output)
}

/// A wrong answer: the writer thread hands stdin back instead of dropping
/// it, so the child never sees the end of its input.
fn keeps_stdin_open(mut child: ModelChild, input: Vec<u8>) -> io::Result<Vec<u8>> {
    let mut stdin = child.stdin()?;
    let stdout = child.stdout()?;
    let writer = thread::spawn(move || stdin.write_all(&input).map(|()| stdin));
    let output = read_all(stdout)?;
    let _stdin = writer.join().unwrap()?;
    child.wait()?;
    Ok(output)
}

#[test]
fn the_exercise_check_fails_joining_the_writer_before_reading() {
    exercise().prove_wrong_answer_fails("the writer joined before reading", || {
        feed_a_filter(joins_the_writer_first)
    });
}

#[test]
fn the_exercise_check_fails_leaving_stdin_open() {
    exercise().prove_wrong_answer_fails("stdin left open", || feed_a_filter(keeps_stdin_open));
}

/// A wrong answer: the writer thread is never joined, so its broken pipe
/// is dropped with it and the caller gets the 2 bytes as a success. (It
/// passes the first check: with an echo child every write succeeds.)
fn never_joins_the_writer(mut child: ModelChild, input: Vec<u8>) -> io::Result<Vec<u8>> {
    let mut stdin = child.stdin()?;
    let stdout = child.stdout()?;
    thread::spawn(move || stdin.write_all(&input));
    let output = read_all(stdout)?;
    child.wait()?;
    Ok(output)
}

#[test]
fn the_stops_reading_check_fails_a_writer_never_joined() {
    exercise().prove_wrong_answer_fails("the writer never joined", || {
        feed_a_child_that_stops_reading(never_joins_the_writer)
    });
}

/// A wrong answer: the writer is joined, but its error is thrown away.
fn drops_the_writers_error(mut child: ModelChild, input: Vec<u8>) -> io::Result<Vec<u8>> {
    let mut stdin = child.stdin()?;
    let stdout = child.stdout()?;
    let writer = thread::spawn(move || stdin.write_all(&input));
    let output = read_all(stdout)?;
    let _ = writer.join().unwrap(); // joined, and its broken pipe ignored
    child.wait()?;
    Ok(output)
}

#[test]
fn the_stops_reading_check_fails_a_writer_whose_error_is_ignored() {
    exercise().prove_wrong_answer_fails("the writer's error ignored", || {
        feed_a_child_that_stops_reading(drops_the_writers_error)
    });
}

// Named functions, not closures: each proof of the solution is then
// recorded under its own title (`the reference solution, <function>`).
fn feed_a_child_that_stops_reading_with_the_solution() {
    feed_a_child_that_stops_reading(solution::communicate);
}

fn feed_a_filter_with_the_solution() {
    feed_a_filter(solution::communicate);
}
