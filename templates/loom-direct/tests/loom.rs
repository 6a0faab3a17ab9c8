//! The models, run by loom. Only under `RUSTFLAGS="--cfg loom"`: a plain
//! `cargo test` compiles this file to nothing.
#![cfg(loom)]

use loom::sync::Arc;
use loom::thread;
use loom_direct::counter::Counter;
use loom_direct::ids;
use loom_direct::signal::Signal;

// ANCHOR: model
/// Two threads (main and one spawned) increment one counter with
/// `increment`; then the count must be 2.
fn two_increments(increment: fn(&Counter)) {
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
/// Two threads take a number each: they must differ, and a second call
/// returns the thread's first number.
fn two_ids(id: fn() -> usize) {
    let other = thread::spawn(move || (id(), id()));
    let mine = id();
    let (theirs, again) = other.join().unwrap();
    assert_eq!(theirs, again, "a thread's number changed");
    assert_ne!(mine, theirs, "two threads took the same number");
}

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
/// One thread sets the signal; main awaits it with loom's `block_on`,
/// which parks the thread until the future's waker is woken. A future
/// that is never woken leaves main parked for ever: loom reports a
/// deadlock.
fn set_while_waiting(racy: bool) {
    let signal = Arc::new(Signal::default());
    let setter = {
        let signal = Arc::clone(&signal);
        thread::spawn(move || signal.set())
    };
    loom::future::block_on(signal.wait(racy));
    setter.join().unwrap();
}

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
