//! The exercise: make `src/exercise.rs` correct, then check it with
//! `cargo xtask exercise 02` (it runs the ignored test below).

use harness::exercise::Exercise;
use harness::sync::loom::Mutex;
use lab_02::Booking;
use lab_02::checks::two_bookings;
use lab_02::on_loom::{exercise, solution};
use std::collections::BTreeMap;

/// The exercise's check: two people book one seat, every interleaving.
fn exercise() -> Exercise {
    Exercise::new("src/exercise.rs", 0xebad1da2e9796d95)
}

#[test]
#[ignore = "the exercise: run `cargo xtask exercise 02` to check your fix"]
fn your_seats_are_never_booked_twice() {
    exercise().check_answer(two_bookings::<exercise::Seats>);
}

#[test]
fn the_starter_fails_the_exercise_check() {
    exercise().prove_starter_fails(two_bookings::<exercise::Seats>);
}

#[test]
fn the_reference_solution_passes_the_exercise_check() {
    exercise().prove_solution_passes(two_bookings::<solution::Seats>);
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
    exercise().prove_wrong_answer_fails("insert decides", two_bookings::<InsertDecides>);
}
