//! A counter that several threads share: a racy increment and its fix.

// `Relaxed`: the count orders no other memory.
use crate::sync::atomic::{AtomicUsize, Ordering::Relaxed};

// ANCHOR: counter
/// A count that several threads increment.
#[derive(Default)]
pub struct Counter {
    count: AtomicUsize,
}

impl Counter {
    /// The bug: a load, then a store. Another thread can store in between,
    /// and its increment is lost.
    pub fn increment_racy(&self) {
        let seen = self.count.load(Relaxed);
        self.count.store(seen + 1, Relaxed); // overwrites any store since the load
    }

    /// The fix: one atomic read-modify-write.
    pub fn increment(&self) {
        self.count.fetch_add(1, Relaxed);
    }

    /// The count.
    pub fn get(&self) -> usize {
        self.count.load(Relaxed)
    }
}
// ANCHOR_END: counter
