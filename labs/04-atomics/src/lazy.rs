//! std's answers: `OnceLock` and `LazyLock` do double-checked
//! initialisation for you, with the orderings right and tested.

use crate::LazyValue;
use std::sync::{LazyLock, OnceLock};

// ANCHOR: once_lock
/// The exercise's lazy value, with std's `OnceLock` doing the work.
pub struct StdOnceLock(OnceLock<u64>);

impl LazyValue for StdOnceLock {
    fn new() -> Self {
        Self(OnceLock::new())
    }

    fn get_or_init(&self, init: impl FnOnce() -> u64) -> u64 {
        *self.0.get_or_init(init)
    }
}
// ANCHOR_END: once_lock

// ANCHOR: lazy_lock
/// A table computed the first time any thread asks for it, then shared.
static SQUARES: LazyLock<Vec<u64>> = LazyLock::new(|| (0..1_000).map(|n| n * n).collect());

/// `n` squared, from the table built on first use (`None` past 999).
pub fn square(n: usize) -> Option<u64> {
    SQUARES.get(n).copied()
}
// ANCHOR_END: lazy_lock

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::thread;

    #[test]
    fn once_lock_computes_the_value_once_for_eight_racing_threads() {
        let lazy = StdOnceLock::new();
        let inits = AtomicUsize::new(0);
        let values: Vec<u64> = thread::scope(|scope| {
            let threads: Vec<_> = (0..8)
                .map(|_| {
                    scope.spawn(|| {
                        lazy.get_or_init(|| {
                            inits.fetch_add(1, Ordering::Relaxed);
                            7
                        })
                    })
                })
                .collect();
            threads.into_iter().map(|t| t.join().unwrap()).collect()
        });
        assert_eq!(values, [7; 8]);
        assert_eq!(inits.load(Ordering::Relaxed), 1);
    }

    #[test]
    fn lazy_lock_builds_the_table_on_first_use() {
        assert_eq!(square(12), Some(144));
        assert_eq!(square(999), Some(998_001));
        assert_eq!(square(1_000), None);
    }
}
