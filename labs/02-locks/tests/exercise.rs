//! The exercise: make `src/exercise.rs` correct, then check it with
//! `cargo xtask exercise 02` (it runs the ignored test below).

use harness::sync::loom::Mutex;
use harness::{Check, FailureKind, Verdict};
use lab_02::Booking;
use lab_02::checks::two_bookings;
use lab_02::on_loom::{exercise, solution};
use std::collections::BTreeMap;

/// The exercise's check: two people book one seat, every interleaving.
fn exercise_check(seats: &str) -> Check {
    Check::new(format!("exercise: {seats}")).every_interleaving()
}

#[test]
#[ignore = "the exercise: run `cargo xtask exercise 02` to check your fix"]
fn your_seats_are_never_booked_twice() {
    exercise_check("your Seats").must_pass(two_bookings::<exercise::Seats>);
}

/// `src/exercise.rs` as the course ships it; see `starter_untouched`.
const STARTER: u64 = 0xebad1da2e9796d95;

#[test]
fn the_starter_fails_the_exercise_check() {
    if !harness::exercise::starter_untouched("src/exercise.rs", STARTER) {
        return;
    }
    let failure = exercise_check("the starter")
        .in_book()
        .quiet()
        .must_fail(two_bookings::<exercise::Seats>);
    assert_eq!(failure.kind, FailureKind::Panic, "{}", failure.message);
}

#[test]
fn the_reference_solution_passes_the_exercise_check() {
    exercise_check("the reference solution")
        .quiet()
        .must_pass(two_bookings::<solution::Seats>);
}

/// A plausible wrong answer: the check and the insert are still apart, and
/// `insert`'s answer decides who is told yes, after the loser's name has
/// already replaced the winner's.
struct InsertDecides(Mutex<BTreeMap<u32, &'static str>>);

impl Booking for InsertDecides {
    fn new() -> Self {
        Self(Mutex::new(BTreeMap::new()))
    }
    fn book(&self, seat: u32, name: &'static str) -> bool {
        if self.0.lock().unwrap().contains_key(&seat) {
            return false;
        }
        self.0.lock().unwrap().insert(seat, name).is_none()
    }
    fn holder(&self, seat: u32) -> Option<&'static str> {
        self.0.lock().unwrap().get(&seat).copied()
    }
}

#[test]
fn the_exercise_check_fails_a_fix_that_lets_insert_decide() {
    let verdict = exercise_check("insert decides")
        .quiet()
        .run(two_bookings::<InsertDecides>);
    assert!(
        matches!(verdict, Verdict::Failed(ref f) if f.kind == FailureKind::Panic),
        "{verdict:?}"
    );
}
