//! The exercise: make `src/exercise.rs` correct, then check it with
//! `cargo xtask exercise 10` (it runs the ignored tests below).

use harness::exercise::Exercise;
use harness::sync::loom::Mutex;
use lab_10::checks::{receive_a_value, receive_with_a_new_waker};
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

/// The exercise's second check: the task is polled with one waker, then
/// waited for with another, over every interleaving: `send` must wake the
/// latest. (In the first, one waker serves every poll, so a channel that
/// keeps a stale waker passes it.)
#[test]
#[ignore = "the exercise: run `cargo xtask exercise 10` to check your fix"]
fn your_channel_wakes_the_latest_waker() {
    exercise().check_answer(receive_with_a_new_waker::<exercise::OneShotChannel>);
}

#[test]
fn the_reference_solution_wakes_the_latest_waker() {
    exercise().prove_solution_passes(receive_with_a_new_waker::<solution::OneShotChannel>);
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

/// A wrong answer: register, then check (right), but only the first
/// waker: a later poll with another waker leaves the old one registered.
struct KeepsTheFirstWaker {
    value: Mutex<Option<u64>>,
    waiting: Mutex<Registered>,
}

impl OneShot for KeepsTheFirstWaker {
    fn new() -> Self {
        Self {
            value: Mutex::new(None),
            waiting: Mutex::new(Registered(None)),
        }
    }
    fn send(&self, value: u64) {
        *self.value.lock().unwrap() = Some(value);
        if let Some(waker) = self.waiting.lock().unwrap().0.take() {
            waker.wake();
        }
    }
    fn poll_recv(&self, cx: &mut Context<'_>) -> Poll<u64> {
        let mut waiting = self.waiting.lock().unwrap();
        if waiting.0.is_none() {
            waiting.0 = Some(cx.waker().clone()); // a later waker is dropped
        }
        drop(waiting);
        match self.value.lock().unwrap().take() {
            Some(value) => Poll::Ready(value),
            None => Poll::Pending,
        }
    }
}

#[test]
fn the_new_waker_check_fails_keeping_the_first_waker() {
    exercise().prove_wrong_answer_fails(
        "keeps the first waker",
        receive_with_a_new_waker::<KeepsTheFirstWaker>,
    );
}
