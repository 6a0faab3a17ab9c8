//! The same models under shuttle: random schedules, from a fixed seed.
//! Only under `RUSTFLAGS="--cfg shuttle"`.
#![cfg(shuttle)]

mod models;

use loom_direct::counter::Counter;
use loom_direct::ids;
use models::{set_while_waiting, two_ids, two_increments};

// ANCHOR: shuttle
/// Schedules per check, and the seed they are drawn from: the same seed
/// draws the same schedules, so each check gives the same answer each run.
const SCHEDULES: usize = 1_000;
const SEED: u64 = 1;

#[test]
#[should_panic(expected = "two increments, but the count is 1")]
fn shuttle_finds_the_racy_counter_losing_an_update() {
    shuttle::check_random_with_seed(|| two_increments(Counter::increment_racy), SEED, SCHEDULES);
}

#[test]
fn shuttle_finds_no_lost_update_with_fetch_add() {
    shuttle::check_random_with_seed(|| two_increments(Counter::increment), SEED, SCHEDULES);
}
// ANCHOR_END: shuttle

#[test]
#[should_panic(expected = "two threads took the same number")]
fn shuttle_finds_two_threads_taking_one_number() {
    shuttle::check_random_with_seed(|| two_ids(ids::racy_id), SEED, SCHEDULES);
}

#[test]
fn shuttle_finds_each_thread_its_own_number_with_fetch_add() {
    shuttle::check_random_with_seed(|| two_ids(ids::id), SEED, SCHEDULES);
}

#[test]
#[should_panic(expected = "deadlock")]
fn shuttle_finds_the_missed_wakeup() {
    shuttle::check_random_with_seed(|| set_while_waiting(true), SEED, SCHEDULES);
}

#[test]
fn shuttle_finds_no_missed_wakeup_when_poll_looks_again() {
    shuttle::check_random_with_seed(|| set_while_waiting(false), SEED, SCHEDULES);
}
