//! The exercise: make `src/exercise.rs` correct, then check it with
//! `cargo xtask exercise 10` (it runs the ignored test below).

use harness::exercise::Exercise;
use harness::sync::loom::Mutex;
use lab_10::checks::receive_a_value;
use lab_10::on_loom::{exercise, solution};
use lab_10::{OneShot, Registered};
use std::task::{Context, Poll};

/// The exercise's check: a sender thread and a receiving task, over every
/// interleaving.
fn exercise() -> Exercise {
    Exercise::new("src/exercise.rs", 0x3696a1b6ff795c05)
}

#[test]
#[ignore = "the exercise: run `cargo xtask exercise 10` to check your fix"]
fn your_channel_never_loses_its_wakeup() {
    exercise().check_answer(receive_a_value::<exercise::OneShotChannel>);
}

#[test]
fn the_starter_fails_the_exercise_check() {
    exercise().prove_starter_fails(receive_a_value::<exercise::OneShotChannel>);
}

#[test]
fn the_reference_solution_passes_the_exercise_check() {
    exercise().prove_solution_passes(receive_a_value::<solution::OneShotChannel>);
}

/// A wrong answer: check, register, and check again, but the sender wakes
/// before it stores the value.
struct WakesBeforeStoring {
    value: Mutex<Option<u64>>,
    waiting: Mutex<Registered>,
}

impl OneShot for WakesBeforeStoring {
    fn new() -> Self {
        Self {
            value: Mutex::new(None),
            waiting: Mutex::new(Registered(None)),
        }
    }
    fn send(&self, value: u64) {
        if let Some(waker) = self.waiting.lock().unwrap().0.take() {
            waker.wake();
        }
        *self.value.lock().unwrap() = Some(value);
    }
    fn poll_recv(&self, cx: &mut Context<'_>) -> Poll<u64> {
        self.waiting.lock().unwrap().0 = Some(cx.waker().clone());
        match self.value.lock().unwrap().take() {
            Some(value) => Poll::Ready(value),
            None => Poll::Pending,
        }
    }
}

/// A wrong answer: no waker at all. `Pending` without arranging for a
/// wake-up: if the value is late, the task is never polled again.
struct WakesItself {
    value: Mutex<Option<u64>>,
}

impl OneShot for WakesItself {
    fn new() -> Self {
        Self {
            value: Mutex::new(None),
        }
    }
    fn send(&self, value: u64) {
        *self.value.lock().unwrap() = Some(value);
    }
    fn poll_recv(&self, _cx: &mut Context<'_>) -> Poll<u64> {
        match self.value.lock().unwrap().take() {
            Some(value) => Poll::Ready(value),
            None => Poll::Pending, // and nobody will wake it
        }
    }
}

#[test]
fn the_exercise_check_fails_waking_before_storing() {
    exercise().prove_wrong_answer_fails(
        "wakes before storing",
        receive_a_value::<WakesBeforeStoring>,
    );
}

#[test]
fn the_exercise_check_fails_never_registering() {
    exercise().prove_wrong_answer_fails("never registers", receive_a_value::<WakesItself>);
}
