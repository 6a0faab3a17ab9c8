//! The exercise: make `src/exercise.rs` correct, then check it with
//! `cargo xtask exercise 01` (it runs the ignored test below).

use harness::Check;
use lab_01::checks::two_increments;
use lab_01::on_loom::{exercise, solution};

/// The check the exercise is marked with: every interleaving of two increments.
fn exercise_check(title: &str) -> Check {
    Check::new(title).every_interleaving()
}

#[test]
#[ignore = "the exercise: run `cargo xtask exercise 01` to check your fix"]
fn your_counter_never_loses_an_update() {
    exercise_check("your CasCounter").must_pass(two_increments::<exercise::CasCounter>);
}

#[test]
fn the_starter_fails_the_exercise_check() {
    if harness::exercise::starter_edited("src/exercise.rs") {
        return;
    }
    exercise_check("exercise starter")
        .in_book()
        .must_fail(two_increments::<exercise::CasCounter>);
}

#[test]
fn the_reference_solution_passes_the_exercise_check() {
    exercise_check("the reference solution").must_pass(two_increments::<solution::CasCounter>);
}
