//! lab-11 under loom: two tasks that miss the cache across an `.await`
//! both load; a per-key lock held across the load loads once.

use harness::Check;
use harness::sync::loom::{Mutex, thread};
use lab_11::Cache;
use lab_11::checks::two_tasks_get_one_key;
use lab_11::on_loom::fixed::PerKeyLock;
use lab_11::on_loom::racy::CheckThenLoad;
use std::collections::HashMap;

// ANCHOR: stampede_is_found
#[test]
fn two_tasks_that_miss_across_an_await_both_load() {
    let failure = Check::new("check, then load")
        .preemption_bound(1)
        .in_book()
        .must_fail(two_tasks_get_one_key::<CheckThenLoad>);
    assert!(failure.message.contains("2 loads"), "{}", failure.message);
}
// ANCHOR_END: stampede_is_found

// ANCHOR: fix_holds
#[test]
fn a_lock_per_key_held_across_the_load_loads_once() {
    Check::new("a lock per key")
        .every_interleaving()
        .in_book()
        .must_pass(two_tasks_get_one_key::<PerKeyLock>);
}
// ANCHOR_END: fix_holds

/// A wrong fix: check again after the load, and keep the first value,
/// but the load has happened twice by then.
struct CheckAgainAfterLoading(Mutex<HashMap<u32, u64>>);

impl Cache for CheckAgainAfterLoading {
    fn new() -> Self {
        Self(Mutex::new(HashMap::new()))
    }
    fn get(&self, key: u32, load: &(dyn Fn(u32) -> u64 + Sync)) -> u64 {
        if let Some(value) = self.0.lock().unwrap().get(&key) {
            return *value;
        }
        thread::yield_now();
        let value = load(key);
        *self.0.lock().unwrap().entry(key).or_insert(value)
    }
}

#[test]
fn the_fix_check_fails_checking_again_after_loading() {
    let failure = Check::new("check again after loading")
        .every_interleaving()
        .quiet()
        .must_fail(two_tasks_get_one_key::<CheckAgainAfterLoading>);
    assert!(failure.message.contains("2 loads"), "{}", failure.message);
}

#[test]
fn the_fix_check_fails_checking_then_loading() {
    let failure = Check::new("check, then load, every interleaving")
        .every_interleaving()
        .quiet()
        .must_fail(two_tasks_get_one_key::<CheckThenLoad>);
    assert!(failure.message.contains("2 loads"), "{}", failure.message);
}
