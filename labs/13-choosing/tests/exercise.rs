//! The exercise: make `src/exercise.rs` correct, then check it with
//! `cargo xtask exercise 13` (it runs the ignored test below).

use harness::exercise::Exercise;
use harness::sync::loom::{Condvar, Mutex, RwLock};
use lab_13::checks::{Server, shut_down_while_connecting};
use lab_13::on_loom::{exercise, solution};

/// The exercise's check: a client connects while the server shuts down,
/// over every interleaving.
fn exercise() -> Exercise {
    Exercise::new("src/exercise.rs", 0x0ef76b578f1da69e)
}

#[test]
#[ignore = "the exercise: run `cargo xtask exercise 13` to check your fix"]
fn your_server_serves_no_client_after_it_shut_down() {
    exercise().check_answer(shut_down_while_connecting::<exercise::Connections>);
}

#[test]
fn the_starter_fails_the_exercise_check() {
    exercise().prove_starter_fails(shut_down_while_connecting::<exercise::Connections>);
}

#[test]
fn the_reference_solution_passes_the_exercise_check() {
    exercise().prove_solution_passes(shut_down_while_connecting::<solution::Connections>);
}

/// A wrong answer: wait until no connection is open, then stop accepting.
/// A client accepted between the two is served after the shutdown.
struct WaitThenStop {
    accepting: RwLock<bool>,
    open: Mutex<usize>,
    none_open: Condvar,
}

impl Server for WaitThenStop {
    fn new() -> Self {
        Self {
            accepting: RwLock::new(true),
            open: Mutex::new(0),
            none_open: Condvar::new(),
        }
    }
    fn accept(&self) -> bool {
        if !*self.accepting.read().unwrap() {
            return false;
        }
        *self.open.lock().unwrap() += 1;
        true
    }
    fn hang_up(&self) {
        let mut open = self.open.lock().unwrap();
        *open -= 1;
        if *open == 0 {
            self.none_open.notify_all();
        }
    }
    fn shutdown_and_wait(&self) {
        {
            let open = self.open.lock().unwrap();
            let _none_open = self.none_open.wait_while(open, |open| *open > 0).unwrap();
        }
        *self.accepting.write().unwrap() = false;
    }
}

/// A wrong answer: count the client first, then check the flag, and if
/// the server is shutting down, uncount it; but without waking
/// `shutdown_and_wait`, which may be asleep waiting for that count.
struct UncountsWithoutWaking {
    accepting: RwLock<bool>,
    open: Mutex<usize>,
    none_open: Condvar,
}

impl Server for UncountsWithoutWaking {
    fn new() -> Self {
        Self {
            accepting: RwLock::new(true),
            open: Mutex::new(0),
            none_open: Condvar::new(),
        }
    }
    fn accept(&self) -> bool {
        *self.open.lock().unwrap() += 1;
        if !*self.accepting.read().unwrap() {
            *self.open.lock().unwrap() -= 1; // and no notify
            return false;
        }
        true
    }
    fn hang_up(&self) {
        let mut open = self.open.lock().unwrap();
        *open -= 1;
        if *open == 0 {
            self.none_open.notify_all();
        }
    }
    fn shutdown_and_wait(&self) {
        *self.accepting.write().unwrap() = false;
        let open = self.open.lock().unwrap();
        let _none_open = self.none_open.wait_while(open, |open| *open > 0).unwrap();
    }
}

#[test]
fn the_exercise_check_fails_waiting_then_stopping() {
    exercise().prove_wrong_answer_fails(
        "wait, then stop",
        shut_down_while_connecting::<WaitThenStop>,
    );
}

#[test]
fn the_exercise_check_fails_uncounting_without_waking_the_shutdown() {
    exercise().prove_wrong_answer_fails(
        "uncounts without waking",
        shut_down_while_connecting::<UncountsWithoutWaking>,
    );
}

/// A wrong answer: refuse every client. No client is ever served after
/// the shutdown, because none is ever served.
struct RefusesEveryone;

impl Server for RefusesEveryone {
    fn new() -> Self {
        Self
    }
    fn accept(&self) -> bool {
        false
    }
    fn hang_up(&self) {}
    fn shutdown_and_wait(&self) {}
}

#[test]
fn the_exercise_check_fails_a_server_that_refuses_everyone() {
    exercise().prove_wrong_answer_fails(
        "refuses everyone",
        shut_down_while_connecting::<RefusesEveryone>,
    );
}
