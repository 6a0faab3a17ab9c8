//! Level 8: a counting semaphore, built from a mutex and a condition
//! variable, that wakes a sleeper only when its count leaves zero.
//!
//! The idea looks like a saving: if the count was already above zero, no
//! one can be asleep waiting for it, so why notify? But "no one is asleep"
//! is not what "the count was above zero" means: a thread notified, and
//! not yet running, leaves the count above zero for a moment while others
//! still sleep.

use crate::sync::atomic::{AtomicBool, Ordering};
use crate::sync::{Arc, Condvar, Mutex, Named, thread};

/// A counting semaphore for the level's model.
pub trait Semaphore: Send + Sync + 'static {
    /// A semaphore holding `permits` permits.
    fn new(permits: usize) -> Self;
    /// Takes a permit, waiting for one if there is none.
    fn acquire(&self);
    /// Gives a permit back.
    fn release(&self);
}

/// The puzzle: `release` notifies only when the count goes from 0 to 1.
// ANCHOR: racy
pub struct NotifyOnEdge {
    permits: Mutex<usize>,
    available: Condvar,
}

impl Semaphore for NotifyOnEdge {
    fn new(permits: usize) -> Self {
        Self {
            permits: Mutex::new(permits).named("permits"),
            available: Condvar::new().named("available"),
        }
    }

    fn acquire(&self) {
        let mut permits = self.permits.lock().unwrap();
        while *permits == 0 {
            permits = self.available.wait(permits).unwrap();
        }
        *permits -= 1;
    }

    fn release(&self) {
        let mut permits = self.permits.lock().unwrap();
        *permits += 1;
        if *permits == 1 {
            self.available.notify_one(); // "above 1, no one can be waiting"
        }
    }
}
// ANCHOR_END: racy

// ANCHOR: fixed
/// The fix: every permit given back wakes one sleeper (if any sleeps).
pub struct NotifyEveryRelease {
    permits: Mutex<usize>,
    available: Condvar,
}

impl Semaphore for NotifyEveryRelease {
    fn new(permits: usize) -> Self {
        Self {
            permits: Mutex::new(permits).named("permits"),
            available: Condvar::new().named("available"),
        }
    }

    fn acquire(&self) {
        let mut permits = self.permits.lock().unwrap();
        while *permits == 0 {
            permits = self.available.wait(permits).unwrap();
        }
        *permits -= 1;
    }

    fn release(&self) {
        *self.permits.lock().unwrap() += 1;
        self.available.notify_one(); // one permit, one sleeper woken
    }
}
// ANCHOR_END: fixed
// ANCHOR: bound
/// Bound: two sleepers and two releases are the fewest that can show a
/// permit left unclaimed beside a sleeper: the first release wakes one,
/// and the second finds the count already above zero.
// ANCHOR_END: bound
// ANCHOR: model
/// Two workers each wait for a permit of a semaphore that starts with
/// none; main releases two. Both workers must get one.
pub fn two_waiters<S: Semaphore>() {
    let semaphore = Arc::new(S::new(0));
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let semaphore = Arc::clone(&semaphore);
            thread::spawn(move || semaphore.acquire())
        })
        .collect();
    semaphore.release();
    semaphore.release();
    for worker in workers {
        worker.join().unwrap(); // a worker asleep beside a free permit: deadlock
    }
    harness::outcome("both workers got a permit");
}
// ANCHOR_END: model

/// A second model, for the tests: a semaphore of one permit is a lock.
/// Main and a spawned worker each take the permit, find no one else
/// inside, and give it back. (The level's model waits for permits but
/// never counts who holds one: an `acquire` that takes nothing passes it.)
pub fn one_permit_one_inside<S: Semaphore>() {
    let semaphore = Arc::new(S::new(1));
    let inside = Arc::new(AtomicBool::new(false).named("inside"));
    let work = |semaphore: &S, inside: &AtomicBool| {
        semaphore.acquire();
        let crowded = inside.swap(true, Ordering::SeqCst);
        harness::require!(!crowded, "two inside a semaphore of one permit");
        inside.store(false, Ordering::SeqCst);
        semaphore.release();
    };
    let worker = {
        let (semaphore, inside) = (Arc::clone(&semaphore), Arc::clone(&inside));
        thread::spawn(move || work(&semaphore, &inside))
    };
    work(&semaphore, &inside);
    worker.join().unwrap();
}
