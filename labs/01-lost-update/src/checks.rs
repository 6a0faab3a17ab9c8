//! The loom model every counter in this lab is checked with.
//!
//! Each function here is a loom model: a test hands it to `harness::Check`,
//! which runs it under `loom::model::Builder`, once per class of equivalent
//! interleavings within the check's bound, recording what each thread did.

use crate::Counter;
use harness::sync::loom::{Arc, thread};

// ANCHOR: model
/// `THREADS` threads (main and `THREADS - 1` spawned ones) increment one
/// shared counter once each; then it must read `THREADS`.
///
/// Loom runs this once per class of equivalent interleavings.
pub fn increments<C: Counter, const THREADS: u64>() {
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
    let count = counter.get();
    assert!(
        count == THREADS,
        "{THREADS} increments, but the count is {count}: an update was lost"
    );
}
// ANCHOR_END: model
