//! The exercise: make this counter correct with `load` and
//! `compare_exchange` only (no `fetch_add`, no `Mutex`), the way atomic
//! operations a processor lacks are built from the ones it has.
//! Check your answer with `cargo xtask exercise 01`.

use super::sync::atomic::{AtomicU64, Ordering};

// ANCHOR: starter
/// A counter that increments with compare-and-swap.
pub struct CasCounter {
    count: AtomicU64,
}

impl crate::Counter for CasCounter {
    fn new() -> Self {
        Self {
            count: AtomicU64::new(0),
        }
    }

    fn increment(&self) {
        let seen = self.count.load(Ordering::Relaxed);
        // `compare_exchange` writes `seen + 1` only if the count is still
        // `seen`; if another thread changed it first, it writes nothing and
        // returns `Err(current)`. TODO: this increment is then lost. Fix it.
        let _ = self
            .count
            .compare_exchange(seen, seen + 1, Ordering::Relaxed, Ordering::Relaxed);
    }

    fn get(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }
}
// ANCHOR_END: starter
