//! The exercise: make `src/exercise.rs` correct, then check it with
//! `cargo xtask exercise 03` (it runs the ignored test below).

use harness::exercise::Exercise;
use harness::sync::loom::{Condvar, Mutex};
use lab_03::Queue;
use lab_03::checks::{two_consumers, two_producers};
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

#[test]
fn the_reference_solution_passes_the_exercise_check() {
    exercise().prove_solution_passes(two_consumers::<solution::Mailbox>);
    exercise().prove_solution_passes(two_producers::<solution::Mailbox>);
}

/// A plausible wrong answer: `while` loops, but each side wakes only one
/// waiter, which may be a thread of its own kind that goes straight back
/// to sleep, leaving the one that could go on asleep too.
struct NotifiesOne {
    slot: Mutex<Option<u32>>,
    changed: Condvar,
}

impl Queue for NotifiesOne {
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
        }
        *slot = Some(letter);
        self.changed.notify_one();
    }
    fn pop(&self) -> u32 {
        let mut slot = self.slot.lock().unwrap();
        while slot.is_none() {
            slot = self.changed.wait(slot).unwrap();
        }
        let letter = slot.take().expect("the loop waited for a letter");
        self.changed.notify_one();
        letter
    }
    fn len(&self) -> usize {
        usize::from(self.slot.lock().unwrap().is_some())
    }
}

#[test]
fn the_exercise_check_fails_a_mailbox_that_wakes_only_one_waiter() {
    exercise().prove_wrong_answer_fails(
        "notify_one on a shared condvar",
        two_consumers::<NotifiesOne>,
    );
}

/// A half answer: `pop` loops, `push` still waits with `if`.
struct OnlyPopLoops {
    slot: Mutex<Option<u32>>,
    changed: Condvar,
}

impl Queue for OnlyPopLoops {
    fn with_capacity(_capacity: usize) -> Self {
        Self {
            slot: Mutex::new(None),
            changed: Condvar::new(),
        }
    }
    fn push(&self, letter: u32) {
        let mut slot = self.slot.lock().unwrap();
        if slot.is_some() {
            slot = self.changed.wait(slot).unwrap();
        }
        *slot = Some(letter);
        self.changed.notify_all();
    }
    fn pop(&self) -> u32 {
        let mut slot = self.slot.lock().unwrap();
        while slot.is_none() {
            slot = self.changed.wait(slot).unwrap();
        }
        let letter = slot.take().expect("the loop waited for a letter");
        self.changed.notify_all();
        letter
    }
    fn len(&self) -> usize {
        usize::from(self.slot.lock().unwrap().is_some())
    }
}

#[test]
fn the_exercise_check_fails_a_mailbox_whose_push_still_uses_if() {
    exercise().prove_wrong_answer_fails("only pop loops", two_producers::<OnlyPopLoops>);
}
