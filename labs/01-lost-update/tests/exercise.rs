//! The exercise: make `src/exercise.rs` correct, then check it with
//! `cargo xtask exercise 01` (it runs the ignored test below).

use harness::exercise::Exercise;
use harness::sync::loom::atomic::{AtomicU64, Ordering};
use lab_01::Counter;
use lab_01::checks::increments;
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
