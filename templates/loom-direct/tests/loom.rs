//! The models, run by loom. Only under `RUSTFLAGS="--cfg loom"`: a plain
//! `cargo test` compiles this file to nothing.
#![cfg(loom)]

mod models;

use loom_direct::counter::Counter;
use loom_direct::ids;
use models::{set_while_waiting, two_ids, two_increments};

// ANCHOR: model
#[test]
#[should_panic(expected = "two increments, but the count is 1")]
fn the_racy_counter_loses_an_update() {
    loom::model(|| two_increments(Counter::increment_racy));
}

#[test]
fn fetch_add_never_loses_an_update() {
    loom::model(|| two_increments(Counter::increment));
}
// ANCHOR_END: model

// ANCHOR: builder
/// The same model with a bound: at most 2 preemptions in an execution, and
/// at most 1,000 branches (scheduling choices) in one.
#[test]
fn fetch_add_never_loses_an_update_within_two_preemptions() {
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(2);
    builder.max_branches = 1_000;
    builder.check(|| two_increments(Counter::increment));
}
// ANCHOR_END: builder

// ANCHOR: ids
#[test]
#[should_panic(expected = "two threads took the same number")]
fn a_racy_global_counter_gives_two_threads_one_number() {
    loom::model(|| two_ids(ids::racy_id));
}

#[test]
fn fetch_add_gives_each_thread_its_own_number() {
    loom::model(|| two_ids(ids::id));
}
// ANCHOR_END: ids

// ANCHOR: signal
#[test]
#[should_panic(expected = "deadlock")]
fn a_waker_stored_after_the_check_misses_the_wakeup() {
    loom::model(|| set_while_waiting(true));
}

#[test]
fn looking_again_after_storing_the_waker_never_misses_it() {
    loom::model(|| set_while_waiting(false));
}
// ANCHOR_END: signal
