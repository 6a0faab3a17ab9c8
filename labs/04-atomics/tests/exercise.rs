//! The exercise: make `src/exercise.rs` correct, then check it with
//! `cargo xtask exercise 04` (it runs the ignored test below).

// Wrong answers with `unsafe` inside, so the check can be shown to catch them.
#![allow(
    unsafe_code,
    reason = "the wrong answers below use UnsafeCell like the lab"
)]

use harness::exercise::Exercise;
use harness::sync::loom::Mutex;
use harness::sync::loom::atomic::{AtomicBool, Ordering};
use harness::sync::loom::cell::UnsafeCell;
use lab_04::LazyValue;
use lab_04::checks::initialise_once;
use lab_04::on_loom::{exercise, solution};

/// The exercise's check: two threads ask for the value at once, over
/// every interleaving.
fn exercise() -> Exercise {
    Exercise::new("src/exercise.rs", 0xa1527f04a178aa3a)
}

#[test]
#[ignore = "the exercise: run `cargo xtask exercise 04` to check your fix"]
fn your_lazy_value_is_initialised_once_and_seen_by_all() {
    exercise().check_answer(initialise_once::<exercise::DoubleChecked>);
}

#[test]
fn the_starter_fails_the_exercise_check() {
    exercise().prove_starter_fails(initialise_once::<exercise::DoubleChecked>);
}

#[test]
fn the_reference_solution_passes_the_exercise_check() {
    exercise().prove_solution_passes(initialise_once::<solution::DoubleChecked>);
}

/// Plausible wrong answers: `Acquire` on the loads but a `Relaxed` store
/// (`RELEASE` false), a `Release` store but `Relaxed` loads (`ACQUIRE`
/// false), or the right orderings without the second check (`RECHECK`).
struct Wrong<const ACQUIRE: bool, const RELEASE: bool, const RECHECK: bool> {
    ready: AtomicBool,
    init_lock: Mutex<()>,
    value: UnsafeCell<u64>,
}

impl<const ACQUIRE: bool, const RELEASE: bool, const RECHECK: bool> LazyValue
    for Wrong<ACQUIRE, RELEASE, RECHECK>
{
    fn new() -> Self {
        Self {
            ready: AtomicBool::new(false),
            init_lock: Mutex::new(()),
            value: UnsafeCell::new(0),
        }
    }
    fn get_or_init(&self, init: impl FnOnce() -> u64) -> u64 {
        let load = if ACQUIRE {
            Ordering::Acquire
        } else {
            Ordering::Relaxed
        };
        let store = if RELEASE {
            Ordering::Release
        } else {
            Ordering::Relaxed
        };
        if !self.ready.load(load) {
            let _only_initialiser = self.init_lock.lock().unwrap();
            if !RECHECK || !self.ready.load(load) {
                let value = init();
                // SAFETY: wrong on purpose; loom checks the claim.
                self.value.with_mut(|slot| unsafe { *slot = value });
                self.ready.store(true, store);
            }
        }
        // SAFETY: wrong on purpose; loom checks the claim.
        self.value.with(|slot| unsafe { *slot })
    }
}

// SAFETY: wrong on purpose; loom checks the claim.
unsafe impl<const A: bool, const R: bool, const C: bool> Sync for Wrong<A, R, C> {}

#[test]
fn the_exercise_check_fails_acquire_loads_with_a_relaxed_store() {
    exercise().prove_wrong_answer_fails(
        "Acquire loads, a Relaxed store",
        initialise_once::<Wrong<true, false, true>>,
    );
}

#[test]
fn the_exercise_check_fails_a_release_store_with_relaxed_loads() {
    exercise().prove_wrong_answer_fails(
        "a Release store, Relaxed loads",
        initialise_once::<Wrong<false, true, true>>,
    );
}

#[test]
fn the_exercise_check_fails_a_fix_without_the_second_check() {
    exercise().prove_wrong_answer_fails(
        "no second check under the lock",
        initialise_once::<Wrong<true, true, false>>,
    );
}
