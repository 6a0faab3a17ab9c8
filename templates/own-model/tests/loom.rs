//! The models, and the checks that run them under loom.

use harness::Check;
use harness::sync::loom::{Arc, thread};
use own_model::on_loom::counter::Counter;

// ANCHOR: model
/// Two threads (main and one spawned) increment one counter with
/// `increment`; then the count must be 2.
fn two_increments(increment: fn(&Counter)) {
    let counter = Arc::new(Counter::new());
    let other = {
        let counter = Arc::clone(&counter);
        thread::spawn(move || increment(&counter))
    };
    increment(&counter);
    other.join().unwrap();
    let count = counter.get();
    assert!(count == 2, "two increments, but the count is {count}");
}
// ANCHOR_END: model

// ANCHOR: checks
#[test]
fn the_racy_counter_loses_an_update() {
    Check::new("racy counter")
        .every_interleaving()
        .must_fail(|| two_increments(Counter::increment_racy));
}

#[test]
fn fetch_add_never_loses_an_update() {
    Check::new("fetch_add counter")
        .every_interleaving()
        .must_pass(|| two_increments(Counter::increment));
}
// ANCHOR_END: checks
