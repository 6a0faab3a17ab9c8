//! The loom model every counter in this lab is checked with.

use crate::Counter;
use harness::sync::loom::{Arc, thread};

// ANCHOR: model
/// Two threads increment one shared counter once each; then it must read 2.
///
/// Loom runs this once per interleaving of the two threads' operations.
pub fn two_increments<C: Counter>() {
    let counter = Arc::new(C::new());
    let other = Arc::clone(&counter);
    let spawned = thread::spawn(move || other.increment());
    counter.increment();
    spawned.join().unwrap();
    let count = counter.get();
    assert!(
        count == 2,
        "two increments, but the count is {count}: an update was lost"
    );
}
// ANCHOR_END: model
