//! The exercise: make `src/exercise.rs` correct, then check it with
//! `cargo xtask exercise 11` (it runs the ignored test below).

use harness::exercise::Exercise;
use harness::sync::loom::Mutex;
use lab_11::Booking;
use lab_11::checks::{seats_are_counted, two_tasks_book_the_last_seat};
use lab_11::on_loom::{exercise, solution};

/// The exercise's check: two bookings for the last seat on a one-thread
/// runtime, over every interleaving.
fn exercise() -> Exercise {
    Exercise::new("src/exercise.rs", 0x77d0566fb9a3fcd4)
}

#[test]
#[ignore = "the exercise: run `cargo xtask exercise 11` to check your fix"]
fn your_booking_never_sells_a_seat_twice() {
    exercise().check_answer(two_tasks_book_the_last_seat::<exercise::SeatBooking>);
}

#[test]
fn the_starter_fails_the_exercise_check() {
    exercise().prove_starter_fails(two_tasks_book_the_last_seat::<exercise::SeatBooking>);
}

#[test]
fn the_reference_solution_passes_the_exercise_check() {
    exercise().prove_solution_passes(two_tasks_book_the_last_seat::<solution::SeatBooking>);
}

/// A wrong answer: hold the lock across the payment. On one thread, the
/// other task blocks on the lock, holding the runtime, and the paying
/// task can never resume: a deadlock (and under `tokio::spawn`, a std
/// `MutexGuard` held across `.await` does not even compile: it is not
/// `Send`).
struct LockedAcrossTheAwait(Mutex<i64>);

impl Booking for LockedAcrossTheAwait {
    fn new(seats: i64) -> Self {
        Self(Mutex::new(seats))
    }
    fn book(&self, pay: &(dyn Fn() + Sync)) -> bool {
        let mut seats = self.0.lock().unwrap();
        if *seats == 0 {
            return false;
        }
        pay();
        *seats -= 1;
        true
    }
    fn seats_left(&self) -> i64 {
        *self.0.lock().unwrap()
    }
}

#[test]
fn the_exercise_check_fails_holding_the_lock_across_the_payment() {
    exercise().prove_wrong_answer_fails(
        "the lock held across the payment",
        two_tasks_book_the_last_seat::<LockedAcrossTheAwait>,
    );
}

/// A wrong answer that never overbooks: check, pay, then check again and
/// take in one critical section. The task that finds the seat gone has
/// paid for it: the model counts payments.
struct ChecksAgainAfterPaying(Mutex<i64>);

impl Booking for ChecksAgainAfterPaying {
    fn new(seats: i64) -> Self {
        Self(Mutex::new(seats))
    }
    fn book(&self, pay: &(dyn Fn() + Sync)) -> bool {
        if *self.0.lock().unwrap() == 0 {
            return false;
        }
        pay();
        let mut seats = self.0.lock().unwrap();
        if *seats == 0 {
            return false; // gone while paying, and paid for
        }
        *seats -= 1;
        true
    }
    fn seats_left(&self) -> i64 {
        *self.0.lock().unwrap()
    }
}

#[test]
fn the_exercise_check_fails_checking_again_after_paying() {
    exercise().prove_wrong_answer_fails(
        "checking again after paying",
        two_tasks_book_the_last_seat::<ChecksAgainAfterPaying>,
    );
}

/// The solution's show is a whole `Booking`: its `seats_left` must count.
#[test]
fn the_reference_solutions_show_counts_its_seats() {
    exercise().prove_solution_passes(seats_are_counted::<solution::SeatBooking>);
}
