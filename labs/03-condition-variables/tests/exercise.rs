//! The exercise: make `src/exercise.rs` correct, then check it with
//! `cargo xtask exercise 03` (it runs the ignored test below).

use harness::exercise::Exercise;
use harness::sync::loom::{Condvar, Mutex};
use lab_03::Queue;
use lab_03::checks::{len_counts_what_it_holds, two_consumers, two_producers};
use lab_03::on_loom::{exercise, solution};

/// The exercise's check: two consumers, then two producers, each to
/// preemption bound 3.
fn exercise() -> Exercise {
    Exercise::new("src/exercise.rs", 0x8ab75d73e3181040).preemption_bound(3)
}

#[test]
#[ignore = "the exercise: run `cargo xtask exercise 03` to check your fix"]
fn your_mailbox_never_hands_out_a_letter_twice_or_none() {
    exercise().check_answer(two_consumers::<exercise::Mailbox>);
    exercise().check_answer(two_producers::<exercise::Mailbox>);
}

#[test]
fn the_starter_fails_the_exercise_check() {
    exercise().prove_starter_fails(two_consumers::<exercise::Mailbox>);
}

// Two tests, not one: libtest runs them side by side, one per core (each
// explores thousands of executions).
#[test]
fn the_reference_solution_passes_the_exercise_check() {
    exercise().prove_solution_passes(two_consumers::<solution::Mailbox>);
}

#[test]
fn the_reference_solution_passes_the_exercise_check_with_two_producers() {
    exercise().prove_solution_passes(two_producers::<solution::Mailbox>);
}

/// Plausible wrong answers, one struct with two switches: does `push`
/// wait in a loop (or with `if`), and do both sides wake every waiter (or
/// only one)?
struct WrongMailbox<const PUSH_LOOPS: bool, const NOTIFY_ALL: bool> {
    slot: Mutex<Option<u32>>,
    changed: Condvar,
}

impl<const PUSH_LOOPS: bool, const NOTIFY_ALL: bool> WrongMailbox<PUSH_LOOPS, NOTIFY_ALL> {
    fn notify(&self) {
        if NOTIFY_ALL {
            self.changed.notify_all();
        } else {
            self.changed.notify_one();
        }
    }
}

impl<const PUSH_LOOPS: bool, const NOTIFY_ALL: bool> Queue
    for WrongMailbox<PUSH_LOOPS, NOTIFY_ALL>
{
    fn with_capacity(_capacity: usize) -> Self {
        Self {
            slot: Mutex::new(None),
            changed: Condvar::new(),
        }
    }
    fn push(&self, letter: u32) {
        let mut slot = self.slot.lock().unwrap();
        while slot.is_some() {
            slot = self.changed.wait(slot).unwrap();
            if !PUSH_LOOPS {
                break; // `if`: wait once, then go on regardless
            }
        }
        *slot = Some(letter);
        self.notify();
    }
    fn pop(&self) -> u32 {
        let mut slot = self.slot.lock().unwrap();
        while slot.is_none() {
            slot = self.changed.wait(slot).unwrap();
        }
        let letter = slot.take().expect("the loop waited for a letter");
        self.notify();
        letter
    }
    fn len(&self) -> usize {
        usize::from(self.slot.lock().unwrap().is_some())
    }
}

/// Both sides loop, but each wakes only one waiter, which may be a thread
/// of its own kind that goes straight back to sleep.
type NotifiesOne = WrongMailbox<true, false>;

/// `pop` loops, `push` still waits with `if`.
type OnlyPopLoops = WrongMailbox<false, true>;

#[test]
fn the_exercise_check_fails_a_mailbox_that_wakes_only_one_waiter() {
    exercise().prove_wrong_answer_fails(
        "notify_one on a shared condvar",
        two_consumers::<NotifiesOne>,
    );
}

#[test]
fn the_exercise_check_fails_a_mailbox_whose_push_still_uses_if() {
    exercise().prove_wrong_answer_fails("only pop loops", two_producers::<OnlyPopLoops>);
}

/// The solution's mailbox is a whole `Queue`: its `len` must count.
#[test]
fn the_reference_solutions_mailbox_counts_its_letters() {
    exercise().prove_solution_passes(len_counts_what_it_holds::<solution::Mailbox>);
}
