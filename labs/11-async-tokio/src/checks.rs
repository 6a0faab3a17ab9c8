//! The loom models: two tasks as two loom threads, each `.await` as a
//! point where the other may run.
//!
//! Each function here is a loom model: a test hands it to `harness::Check`,
//! which runs it under `loom::model::Builder` once per interleaving of its
//! threads, recording what each thread did.

use crate::{Booking, Cache};
use harness::sync::loom::atomic::{AtomicU64, Ordering};
use harness::sync::loom::{Arc, thread};

// ANCHOR: stampede_model
/// Two tasks ask for the same key at once: both must get its value, and
/// it must be loaded once.
pub fn two_tasks_get_one_key<C: Cache>() {
    thread::name_current("task A");
    let cache = Arc::new(C::new());
    let loads = Arc::new(AtomicU64::new(0));
    let get = {
        let (cache, loads) = (Arc::clone(&cache), Arc::clone(&loads));
        move || {
            cache.get(7, &|key| {
                loads.fetch_add(1, Ordering::Relaxed);
                u64::from(key) * 100
            })
        }
    };
    let other = thread::spawn({
        let get = get.clone();
        move || {
            thread::name_current("task B");
            get()
        }
    });
    let here = get();
    let there = other.join().unwrap();
    assert!((here, there) == (700, 700), "got {here} and {there}");
    let loads = loads.load(Ordering::Relaxed);
    assert!(loads == 1, "two tasks, one key, {loads} loads");
}
// ANCHOR_END: stampede_model

// ANCHOR: booking_model
/// Two tasks book the last seat at once: exactly one gets it.
pub fn two_tasks_book_the_last_seat<B: Booking>() {
    thread::name_current("task A");
    let show = Arc::new(B::new(1));
    let book = {
        let show = Arc::clone(&show);
        move || show.book(&|| thread::yield_now()) // paying: an `.await`
    };
    let other = thread::spawn({
        let book = book.clone();
        move || {
            thread::name_current("task B");
            book()
        }
    });
    let here = book();
    let there = other.join().unwrap();
    let left = show.seats_left();
    assert!(
        here != there && left == 0,
        "one seat: booked here {here}, there {there}; {left} left"
    );
}
// ANCHOR_END: booking_model
