//! The exercise: make `src/exercise.rs` correct, then check it with
//! `cargo xtask exercise 01` (it runs the ignored test below).

use harness::sync::loom::atomic::{AtomicU64, Ordering};
use harness::{Check, FailureKind, Verdict};
use lab_01::Counter;
use lab_01::checks::increments;
use lab_01::on_loom::{exercise, solution};

/// The exercise's check: three threads, every interleaving. (With two, a
/// fix that retries only once would pass: its one retry always wins.)
fn exercise_check(counter: &str) -> Check {
    Check::new(format!("exercise: {counter}")).every_interleaving()
}

#[test]
#[ignore = "the exercise: run `cargo xtask exercise 01` to check your fix"]
fn your_counter_never_loses_an_update() {
    exercise_check("your CasCounter").must_pass(increments::<exercise::CasCounter, 3>);
}

/// `src/exercise.rs` as the course ships it; see `starter_untouched`.
const STARTER: u64 = 0x1b4058e50a30797b;

#[test]
fn the_starter_fails_the_exercise_check() {
    if !harness::exercise::starter_untouched("src/exercise.rs", STARTER) {
        return;
    }
    let failure = exercise_check("the starter")
        .in_book()
        .quiet()
        .must_fail(increments::<exercise::CasCounter, 3>);
    assert_eq!(failure.kind, FailureKind::Panic, "{}", failure.message);
}

#[test]
fn the_reference_solution_passes_the_exercise_check() {
    exercise_check("the reference solution")
        .quiet()
        .must_pass(increments::<solution::CasCounter, 3>);
}

/// A plausible wrong answer: on failure, retry once, then give up.
struct RetriesOnce(AtomicU64);

impl Counter for RetriesOnce {
    fn new() -> Self {
        Self(AtomicU64::new(0))
    }
    fn increment(&self) {
        let seen = self.0.load(Ordering::Relaxed);
        if let Err(current) =
            self.0
                .compare_exchange(seen, seen + 1, Ordering::Relaxed, Ordering::Relaxed)
        {
            let _ =
                self.0
                    .compare_exchange(current, current + 1, Ordering::Relaxed, Ordering::Relaxed);
        }
    }
    fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

#[test]
fn the_exercise_check_fails_a_fix_that_retries_only_once() {
    let verdict = exercise_check("a fix that retries once")
        .quiet()
        .run(increments::<RetriesOnce, 3>);
    assert!(
        matches!(verdict, Verdict::Failed(ref f) if f.kind == FailureKind::Panic),
        "{verdict:?}"
    );
}
