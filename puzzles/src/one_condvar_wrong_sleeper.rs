//! Level 12: a bounded buffer whose producers and consumers share one
//! condition variable, woken with `notify_one`.
//!
//! `notify_one` wakes *a* thread waiting on the condition variable, not the
//! one that can use the change. With producers and consumers waiting on
//! the same one, a consumer can wake a consumer, which finds nothing, and
//! goes back to sleep, and no one is left to wake the producer.

use crate::sync::{Arc, Condvar, Mutex, Named, thread};

/// A buffer of one slot for the level's model.
pub trait Buffer: Send + Sync + 'static {
    /// An empty buffer.
    fn new() -> Self;
    /// Puts `item` in, waiting while the slot is full.
    fn put(&self, item: u32);
    /// Takes the item out, waiting while the slot is empty.
    fn take(&self) -> u32;
}

/// The puzzle: one condition variable, `changed`, for "not full" and
/// "not empty" both, and `notify_one`.
// ANCHOR: racy
pub struct OneCondvar {
    slot: Mutex<Option<u32>>,
    changed: Condvar,
}

impl Buffer for OneCondvar {
    fn new() -> Self {
        Self {
            slot: Mutex::new(None).named("slot"),
            changed: Condvar::new().named("changed"),
        }
    }

    fn put(&self, item: u32) {
        let mut slot = self.slot.lock().unwrap();
        while slot.is_some() {
            slot = self.changed.wait(slot).unwrap();
        }
        *slot = Some(item);
        self.changed.notify_one(); // wakes a consumer... or a producer
    }

    fn take(&self) -> u32 {
        let mut slot = self.slot.lock().unwrap();
        while slot.is_none() {
            slot = self.changed.wait(slot).unwrap();
        }
        let item = slot.take().expect("the loop waited for an item");
        self.changed.notify_one(); // wakes a producer... or a consumer
        item
    }
}
// ANCHOR_END: racy

// ANCHOR: fixed
/// The fix: one condition variable per condition, so that each
/// `notify_one` wakes a thread that can use what changed. (`notify_all`
/// on the one condition variable is correct too, and wakes every sleeper
/// to find out.)
pub struct TwoCondvars {
    slot: Mutex<Option<u32>>,
    not_full: Condvar,
    not_empty: Condvar,
}

impl Buffer for TwoCondvars {
    fn new() -> Self {
        Self {
            slot: Mutex::new(None).named("slot"),
            not_full: Condvar::new().named("not_full"),
            not_empty: Condvar::new().named("not_empty"),
        }
    }

    fn put(&self, item: u32) {
        let mut slot = self.slot.lock().unwrap();
        while slot.is_some() {
            slot = self.not_full.wait(slot).unwrap();
        }
        *slot = Some(item);
        self.not_empty.notify_one(); // only consumers wait here
    }

    fn take(&self) -> u32 {
        let mut slot = self.slot.lock().unwrap();
        while slot.is_none() {
            slot = self.not_empty.wait(slot).unwrap();
        }
        let item = slot.take().expect("the loop waited for an item");
        self.not_full.notify_one(); // only producers wait here
        item
    }
}
// ANCHOR_END: fixed
// ANCHOR: bound
/// Bound: the wrong wakeup needs two threads of one kind asleep on the
/// condition variable (two consumers) and a producer with a second item
/// to wait for room: three threads, two items. Fewer cannot show it.
// ANCHOR_END: bound
// ANCHOR: model
/// Main puts 1 and 2 into a buffer of one slot; two consumers take one
/// item each. Each item must reach one consumer.
pub fn two_consumers<B: Buffer>() {
    let buffer = Arc::new(B::new());
    let consumers: Vec<_> = (0..2)
        .map(|_| {
            let buffer = Arc::clone(&buffer);
            thread::spawn(move || buffer.take())
        })
        .collect();
    buffer.put(1);
    buffer.put(2); // a producer asleep, and no one to wake it: deadlock
    let mut taken: Vec<u32> = consumers.into_iter().map(|c| c.join().unwrap()).collect();
    taken.sort();
    assert!(
        taken == [1, 2],
        "put 1 and 2, but the consumers took {taken:?}"
    );
    harness::outcome("each item reached one consumer");
}
// ANCHOR_END: model

// ANCHOR: wrong_fix
/// A wrong fix: a condition variable per condition, as the fix has, but
/// each wait under `if`, not `while`: a woken thread no longer looks
/// again, and another can have taken what it was woken for.
pub struct TwoCondvarsIf {
    slot: Mutex<Option<u32>>,
    not_full: Condvar,
    not_empty: Condvar,
}

impl Buffer for TwoCondvarsIf {
    fn new() -> Self {
        Self {
            slot: Mutex::new(None).named("slot"),
            not_full: Condvar::new().named("not_full"),
            not_empty: Condvar::new().named("not_empty"),
        }
    }

    fn put(&self, item: u32) {
        let mut slot = self.slot.lock().unwrap();
        if slot.is_some() {
            slot = self.not_full.wait(slot).unwrap();
        }
        *slot = Some(item);
        self.not_empty.notify_one();
    }

    fn take(&self) -> u32 {
        let mut slot = self.slot.lock().unwrap();
        if slot.is_none() {
            slot = self.not_empty.wait(slot).unwrap();
        }
        let item = slot.take().expect("woken, so an item is there"); // is it?
        self.not_full.notify_one();
        item
    }
}
// ANCHOR_END: wrong_fix
