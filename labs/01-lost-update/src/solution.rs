//! The exercise's reference solution. Try `exercise.rs` first!

use super::sync::atomic::{AtomicU64, Ordering};

/// A counter that increments with compare-and-swap, retrying until it wins.
pub struct CasCounter {
    count: AtomicU64,
}

impl crate::Counter for CasCounter {
    fn new() -> Self {
        Self {
            count: AtomicU64::new(0),
        }
    }

    // ANCHOR: solution
    fn increment(&self) {
        let mut seen = self.count.load(Ordering::Relaxed);
        // Retry until no other thread changed the count between our read
        // and our write; each failure tells us the count it found instead.
        while let Err(current) =
            self.count
                .compare_exchange(seen, seen + 1, Ordering::Relaxed, Ordering::Relaxed)
        {
            seen = current;
        }
    }
    // ANCHOR_END: solution

    fn get(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }
}
