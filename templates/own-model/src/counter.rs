//! A counter that several threads share: a racy increment and its fix.

// `Relaxed`: the count orders no other memory (chapter 4 says when it must).
use super::sync::atomic::{AtomicUsize, Ordering::Relaxed};

// ANCHOR: counter
/// A count that several threads increment.
pub struct Counter {
    count: AtomicUsize,
}

impl Counter {
    /// A counter at zero.
    pub fn new() -> Self {
        Self {
            count: AtomicUsize::new(0),
        }
    }

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
}
// ANCHOR_END: counter

// ANCHOR: get
impl Counter {
    /// The count. A trace shows the line that called `get`, not this one.
    #[track_caller]
    pub fn get(&self) -> usize {
        self.count.load(Relaxed)
    }
}
// ANCHOR_END: get

impl Default for Counter {
    fn default() -> Self {
        Self::new()
    }
}
