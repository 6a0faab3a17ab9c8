//! The loom model every counter in this lab is checked with.
//!
//! Each function here is a loom model: a test hands it to `harness::Check`,
//! which runs it under `loom::model::Builder`, once per class of equivalent
//! interleavings within the check's bound, recording what each thread did.

use super::sync::{Arc, thread};
use crate::Counter;

// ANCHOR: model
/// `THREADS` threads (main and `THREADS - 1` spawned ones) increment one
/// shared counter once each; then it must read `THREADS`.
///
/// Loom runs this once per class of equivalent interleavings.
pub fn increments<C: Counter, const THREADS: u64>() {
    let count = count_after_one_increment_each::<C, THREADS>();
    harness::outcome(format!("count = {count}")); // for `cargo xtask explore`
    assert!(
        count == THREADS,
        "{THREADS} increments, but the count is {count}: an update was lost"
    );
}

/// Main and `THREADS - 1` spawned threads increment a new counter once
/// each; the count once all have finished.
fn count_after_one_increment_each<C: Counter, const THREADS: u64>() -> u64 {
    let counter = Arc::new(C::new());
    let spawned: Vec<_> = (1..THREADS)
        .map(|_| {
            let counter = Arc::clone(&counter);
            thread::spawn(move || counter.increment())
        })
        .collect();
    counter.increment();
    for thread in spawned {
        thread.join().unwrap();
    }
    counter.get()
}
// ANCHOR_END: model

// ANCHOR: all_but_one_model
/// The same increments, asking how bad it gets: the model fails only if
/// the count ends at 1, every update but one lost.
pub fn increments_all_but_one_lost<C: Counter, const THREADS: u64>() {
    let count = count_after_one_increment_each::<C, THREADS>();
    harness::outcome(format!("count = {count}"));
    harness::require!(
        count > 1,
        "{THREADS} increments, and the count is 1: every update but one was lost"
    );
}
// ANCHOR_END: all_but_one_model

// ANCHOR: busy_model
/// A spawned thread increments the counter `OTHERS` times while main
/// increments it once; then it must read `OTHERS + 1`.
///
/// In [`increments`] each thread increments once, so a compare-and-swap can
/// fail at most once per other thread: a retry loop that gives up after
/// that many tries passes. Here main's one increment can see its
/// compare-and-swap fail `OTHERS` times in a row, so a loop that gives up
/// after fewer retries than that loses main's update.
pub fn increments_beside_a_busy_thread<C: Counter, const OTHERS: u64>() {
    let counter = Arc::new(C::new());
    let busy = {
        let counter = Arc::clone(&counter);
        thread::spawn(move || {
            for _ in 0..OTHERS {
                counter.increment();
            }
        })
    };
    counter.increment();
    busy.join().unwrap();
    let count = counter.get();
    let expected = OTHERS + 1;
    assert!(
        count == expected,
        "{expected} increments, but the count is {count}: an update was lost"
    );
}
// ANCHOR_END: busy_model
