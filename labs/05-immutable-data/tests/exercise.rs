//! The exercise: make `src/exercise.rs` correct, then check it with
//! `cargo xtask exercise 05` (it runs the ignored test below).

use harness::exercise::Exercise;
use harness::sync::loom::{Arc, Mutex};
use lab_05::checks::{two_changes, update_while_reading};
use lab_05::on_loom::{exercise, solution};
use lab_05::{Config, ConfigStore, CopyOnWrite};

/// The exercise's check: two changes and a reader's snapshot, over every
/// interleaving.
fn exercise() -> Exercise {
    Exercise::new("src/exercise.rs", 0x0b4074659e42e995)
}

#[test]
#[ignore = "the exercise: run `cargo xtask exercise 05` to check your fix"]
fn your_copy_on_write_keeps_both_changes() {
    exercise().check_answer(two_changes::<exercise::CopyOnWriteStore>);
}

#[test]
fn the_starter_fails_the_exercise_check() {
    exercise().prove_starter_fails(two_changes::<exercise::CopyOnWriteStore>);
}

#[test]
fn the_reference_solution_passes_the_exercise_check() {
    exercise().prove_solution_passes(two_changes::<solution::CopyOnWriteStore>);
}

/// The solution's store is a whole `ConfigStore`: its `update` (which the
/// exercise leaves as it is) must land too, as the fixed stores' does.
#[test]
fn the_reference_solutions_update_lands() {
    exercise().prove_solution_passes(update_while_reading::<solution::CopyOnWriteStore>);
}

/// Plausible wrong answers. `MAKE_MUT_ON_A_SNAPSHOT`: copy on write with
/// `make_mut`, but on a snapshot taken before the lock, then publish it.
/// Otherwise: copy under the lock, and publish under it again, later.
struct Wrong<const MAKE_MUT_ON_A_SNAPSHOT: bool>(Mutex<Arc<Config>>);

impl<const MAKE_MUT_ON_A_SNAPSHOT: bool> ConfigStore for Wrong<MAKE_MUT_ON_A_SNAPSHOT> {
    type Snapshot = Arc<Config>;
    fn new(config: Config) -> Self {
        Self(Mutex::new(Arc::new(config)))
    }
    fn update(&self, config: Config) {
        *self.0.lock().unwrap() = Arc::new(config);
    }
    fn read(&self) -> Arc<Config> {
        Arc::clone(&self.0.lock().unwrap())
    }
}

impl<const MAKE_MUT_ON_A_SNAPSHOT: bool> CopyOnWrite for Wrong<MAKE_MUT_ON_A_SNAPSHOT> {
    fn modify(&self, change: impl FnOnce(&mut Config)) {
        if MAKE_MUT_ON_A_SNAPSHOT {
            let mut snapshot = self.read();
            change(Arc::make_mut(&mut snapshot));
            *self.0.lock().unwrap() = snapshot;
        } else {
            let mut next = Config::clone(&self.0.lock().unwrap());
            change(&mut next);
            *self.0.lock().unwrap() = Arc::new(next);
        }
    }
}

#[test]
fn the_exercise_check_fails_make_mut_on_a_snapshot() {
    exercise().prove_wrong_answer_fails("make_mut on a snapshot", two_changes::<Wrong<true>>);
}

#[test]
fn the_exercise_check_fails_copying_and_publishing_under_two_locks() {
    exercise().prove_wrong_answer_fails(
        "copy and publish under two locks",
        two_changes::<Wrong<false>>,
    );
}
