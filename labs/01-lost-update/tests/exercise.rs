//! The exercise: make `src/exercise.rs` correct, then check it with
//! `cargo xtask exercise 01` (it runs the ignored tests below).

use harness::Check;
use harness::exercise::Exercise;
use harness::sync::loom::atomic::{AtomicU64, Ordering};
use lab_01::Counter;
use lab_01::checks::{increments, increments_beside_a_busy_thread};
use lab_01::on_loom::{exercise, solution};

/// The exercise's check: three threads, every interleaving. (With two, a
/// fix that retries only once would pass: its one retry always wins.)
fn exercise() -> Exercise {
    Exercise::new("src/exercise.rs", 0x1b4058e50a30797b)
}

#[test]
#[ignore = "the exercise: run `cargo xtask exercise 01` to check your fix"]
fn your_counter_never_loses_an_update() {
    exercise().check_answer(increments::<exercise::CasCounter, 3>);
}

/// The exercise's second check: main increments once while another thread
/// increments `BUSY` times, every interleaving, so main's compare-and-swap
/// can fail `BUSY` times in a row. Three threads that increment once each
/// let a compare-and-swap fail at most twice: a loop that gives up after two
/// retries passes that check and fails this one. 8 is more retries than any
/// cap a learner plausibly writes ("retry once", "three tries", "five") and keeps
/// the check small: 8,751 executions for the reference solution, about as
/// many as the three-thread check's 5,487.
const BUSY: u64 = 8;

#[test]
#[ignore = "the exercise: run `cargo xtask exercise 01` to check your fix"]
fn your_counter_retries_as_often_as_it_must() {
    exercise().check_answer(increments_beside_a_busy_thread::<exercise::CasCounter, BUSY>);
}

#[test]
fn the_reference_solution_passes_the_busy_thread_check() {
    exercise().prove_solution_passes(increments_beside_a_busy_thread::<solution::CasCounter, BUSY>);
}

#[test]
fn the_starter_fails_the_exercise_check() {
    exercise().prove_starter_fails(increments::<exercise::CasCounter, 3>);
}

#[test]
fn the_reference_solution_passes_the_exercise_check() {
    exercise().prove_solution_passes(increments::<solution::CasCounter, 3>);
}

/// A plausible wrong answer: on failure, retry once, then give up.
struct RetriesOnce(AtomicU64);

impl Counter for RetriesOnce {
    fn new() -> Self {
        Self(AtomicU64::new(0))
    }
    fn increment(&self) {
        let seen = self.0.load(Ordering::Relaxed);
        if let Err(now) =
            self.0
                .compare_exchange(seen, seen + 1, Ordering::Relaxed, Ordering::Relaxed)
        {
            let _ = self
                .0
                .compare_exchange(now, now + 1, Ordering::Relaxed, Ordering::Relaxed);
        }
    }
    fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

#[test]
fn the_exercise_check_fails_a_fix_that_retries_only_once() {
    exercise().prove_wrong_answer_fails("a fix that retries once", increments::<RetriesOnce, 3>);
}

/// A plausible wrong answer: retry, but give up after `RETRIES` retries
/// ("it will not fail that often").
struct GivesUpAfter<const RETRIES: u32>(AtomicU64);

impl<const RETRIES: u32> Counter for GivesUpAfter<RETRIES> {
    fn new() -> Self {
        Self(AtomicU64::new(0))
    }
    fn increment(&self) {
        let mut seen = self.0.load(Ordering::Relaxed);
        for _ in 0..=RETRIES {
            match self
                .0
                .compare_exchange(seen, seen + 1, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => return,
                Err(now) => seen = now,
            }
        }
    }
    fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

#[test]
fn the_three_thread_check_cannot_tell_a_fix_that_gives_up_after_two_retries() {
    // Why the busy-thread check exists: the first check, at its own bound.
    Check::new("a fix that gives up after two retries, three threads")
        .every_interleaving()
        .quiet()
        .must_pass(increments::<GivesUpAfter<2>, 3>);
}

#[test]
fn the_busy_thread_check_fails_a_fix_that_gives_up_after_seven_retries() {
    exercise().prove_wrong_answer_fails(
        "a fix that gives up after seven retries",
        increments_beside_a_busy_thread::<GivesUpAfter<7>, BUSY>,
    );
}
