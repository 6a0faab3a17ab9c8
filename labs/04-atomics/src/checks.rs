//! The loom models this lab's mailboxes and lazy values are checked with
//! (its counters use chapter 1's model, `lab_01::checks::increments`).
//!
//! Each function here is a loom model: a test hands it to `harness::Check`,
//! which runs it under `loom::model::Builder`, once per class of equivalent
//! interleavings within the check's bound and per store each load may read
//! (of those loom models), recording what each thread did.

use super::sync::atomic::{AtomicUsize, Ordering};
use super::sync::{Arc, Named, hint, thread};
use crate::{LazyValue, Mailbox};

/// What the writer publishes: anything but the mailbox's initial 0.
pub const PUBLISHED: u64 = 42;

// ANCHOR: publish_model
/// A writer thread publishes [`PUBLISHED`]; the main thread waits until it
/// sees the flag up, then must read exactly what was published.
pub fn publish_then_read<M: Mailbox>() {
    let mailbox = Arc::new(M::new());
    let writer = {
        let mailbox = Arc::clone(&mailbox);
        thread::spawn(move || mailbox.publish(PUBLISHED))
    };
    let read = loop {
        match mailbox.try_read() {
            Some(value) => break value,
            None => hint::spin_loop(), // lets loom run the writer
        }
    };
    harness::outcome(format!("data read: {read}")); // for `cargo xtask explore`
    assert!(
        read == PUBLISHED,
        "the flag was up, but the data read was {read}, not {PUBLISHED}: a stale value"
    );
    writer.join().unwrap();
}
// ANCHOR_END: publish_model

// ANCHOR: lazy_model
/// Two threads ask for the same lazy value at once: both must get it, and
/// it must be computed exactly once.
pub fn initialise_once<L: LazyValue>() {
    let lazy = Arc::new(L::new());
    let inits = Arc::new(AtomicUsize::new(0).named("inits"));
    let get = {
        let (lazy, inits) = (Arc::clone(&lazy), Arc::clone(&inits));
        move || {
            lazy.get_or_init(|| {
                inits.fetch_add(1, Ordering::Relaxed);
                PUBLISHED
            })
        }
    };
    let other = thread::spawn(get.clone());
    let here = get();
    let there = other.join().unwrap();
    assert!(
        (here, there) == (PUBLISHED, PUBLISHED),
        "the threads got {here} and {there}, not {PUBLISHED} twice"
    );
    let inits = inits.load(Ordering::Relaxed);
    assert!(inits == 1, "the value was computed {inits} times, not once");
}
// ANCHOR_END: lazy_model
