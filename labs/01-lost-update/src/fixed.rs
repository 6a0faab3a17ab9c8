//! The fixes: make the read and the write one indivisible step, with an
//! atomic read-modify-write or with one critical section.

use super::sync::Mutex;
use super::sync::atomic::{AtomicU64, Ordering};

// ANCHOR: fetch_add
/// A counter whose increment is one atomic read-modify-write.
pub struct AtomicCounter {
    count: AtomicU64,
}

impl crate::Counter for AtomicCounter {
    fn new() -> Self {
        Self {
            count: AtomicU64::new(0),
        }
    }

    fn increment(&self) {
        // Read, add and write in one step no other thread can come between.
        // `Relaxed` is enough for a count: chapter 4 says when it is not.
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    fn get(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }
}
// ANCHOR_END: fetch_add

// ANCHOR: mutex
/// A counter whose increment reads and writes in one critical section.
pub struct MutexCounter {
    count: Mutex<u64>,
}

impl crate::Counter for MutexCounter {
    fn new() -> Self {
        Self {
            count: Mutex::new(0),
        }
    }

    fn increment(&self) {
        let mut count = self.count.lock().unwrap(); // lock once...
        *count += 1; // ...read and write under it...
    } // ...and unlock here, when the guard is dropped.

    fn get(&self) -> u64 {
        *self.count.lock().unwrap()
    }
}
// ANCHOR_END: mutex
