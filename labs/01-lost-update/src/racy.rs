//! The bug: `count += 1` split into a read and a write, each under its own
//! lock. Every access is locked, and updates are still lost.

use super::sync::Mutex;

// ANCHOR: racy
/// A counter whose increment reads under one lock and writes under another.
pub struct RacyCounter {
    count: Mutex<u64>,
}

impl crate::Counter for RacyCounter {
    fn new() -> Self {
        Self {
            count: Mutex::new(0),
        }
    }

    fn increment(&self) {
        let seen = *self.count.lock().unwrap(); // read: lock, copy, unlock
        // Another thread can run here, read the same `seen`, and then...
        *self.count.lock().unwrap() = seen + 1; // ...both threads write seen + 1.
    }

    fn get(&self) -> u64 {
        *self.count.lock().unwrap()
    }
}
// ANCHOR_END: racy
