//! The models, written once: `tests/loom.rs` runs them under loom,
//! `tests/shuttle.rs` under shuttle. Like the crate's `src/sync.rs`, the
//! first lines choose whose `Arc`, threads and `block_on` they use.

#[cfg(loom)]
use loom::{future::block_on, sync::Arc, thread};
#[cfg(shuttle)]
use shuttle::{future::block_on, sync::Arc, thread};

use loom_direct::counter::Counter;
use loom_direct::signal::Signal;

// ANCHOR: two_increments
/// Two threads (main and one spawned) increment one counter with
/// `increment`; then the count must be 2.
pub fn two_increments(increment: fn(&Counter)) {
    let counter = Arc::new(Counter::default());
    let other = {
        let counter = Arc::clone(&counter);
        thread::spawn(move || increment(&counter))
    };
    increment(&counter);
    other.join().unwrap();
    let count = counter.get();
    assert!(count == 2, "two increments, but the count is {count}");
}
// ANCHOR_END: two_increments

// ANCHOR: two_ids
/// Two threads take a number each: they must differ, and a second call
/// returns the thread's first number.
pub fn two_ids(id: fn() -> usize) {
    let other = thread::spawn(move || (id(), id()));
    let mine = id();
    let (theirs, again) = other.join().unwrap();
    assert_eq!(theirs, again, "a thread's number changed");
    assert_ne!(mine, theirs, "two threads took the same number");
}
// ANCHOR_END: two_ids

// ANCHOR: set_while_waiting
/// One thread sets the signal; main awaits it with the checker's
/// `block_on`, which parks the thread until the future's waker is woken.
/// A future that is never woken leaves main parked for ever: loom reports
/// a deadlock (and aborts); under shuttle it is a panic like any other.
pub fn set_while_waiting(racy: bool) {
    let signal = Arc::new(Signal::default());
    let setter = {
        let signal = Arc::clone(&signal);
        thread::spawn(move || signal.set())
    };
    block_on(signal.wait(racy));
    setter.join().unwrap();
}
// ANCHOR_END: set_while_waiting
