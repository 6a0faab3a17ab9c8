//! Independent data: the same job done by threads that share one vector
//! under one lock, and by threads that each own their part of it.
//!
//! The job: add 20 % tax to every price in a batch, and total the batch.

use std::sync::Mutex;
use std::thread;

/// One price with tax added (integer cents, rounded down).
pub fn with_tax(cents: u64) -> u64 {
    cents * 120 / 100
}

// ANCHOR: shared
/// Shared: the prices and the running total live behind one lock, and
/// `threads` threads take turns at it, one price at a time.
pub fn add_tax_shared(batch: &Mutex<(Vec<u64>, u64)>, threads: usize) {
    let threads = threads.max(1);
    let len = batch.lock().unwrap().0.len();
    thread::scope(|scope| {
        for first in 0..threads {
            scope.spawn(move || {
                for i in (first..len).step_by(threads) {
                    let mut batch = batch.lock().unwrap();
                    let price = with_tax(batch.0[i]);
                    batch.0[i] = price;
                    batch.1 += price;
                }
            });
        }
    });
}
// ANCHOR_END: shared

// ANCHOR: split
/// Independent: split the prices into one part per thread. Each thread
/// owns its part (`&mut` to it, which the borrow checker proves no other
/// thread has) and its own subtotal; the subtotals are merged at the join.
/// Nothing is shared while the threads run, so nothing is locked.
pub fn add_tax_split(prices: &mut [u64], threads: usize) -> u64 {
    let part = prices.len().div_ceil(threads.max(1)).max(1);
    thread::scope(|scope| {
        let parts: Vec<_> = prices
            .chunks_mut(part)
            .map(|mine| {
                scope.spawn(move || {
                    let mut subtotal = 0;
                    for price in mine {
                        *price = with_tax(*price);
                        subtotal += *price;
                    }
                    subtotal
                })
            })
            .collect();
        parts.into_iter().map(|part| part.join().unwrap()).sum()
    })
}
// ANCHOR_END: split

#[cfg(test)]
mod tests {
    use super::*;

    fn batch() -> Vec<u64> {
        (1..=1_001).map(|n| n * 37 % 10_000).collect()
    }

    #[test]
    fn shared_and_split_compute_what_one_thread_computes() {
        let expected: Vec<u64> = batch().into_iter().map(with_tax).collect();
        let total: u64 = expected.iter().sum();
        for threads in [1, 2, 3, 8] {
            let shared = Mutex::new((batch(), 0));
            add_tax_shared(&shared, threads);
            assert_eq!(shared.into_inner().unwrap(), (expected.clone(), total));

            let mut split = batch();
            assert_eq!(add_tax_split(&mut split, threads), total);
            assert_eq!(split, expected);
        }
    }

    #[test]
    fn splitting_an_empty_or_tiny_batch_is_fine() {
        assert_eq!(add_tax_split(&mut [], 4), 0);
        let mut one = [100];
        assert_eq!(add_tax_split(&mut one, 4), 120);
        assert_eq!(add_tax_split(&mut [100, 200], 0), 360);
        let shared = Mutex::new((vec![100, 200], 0));
        add_tax_shared(&shared, 0);
        assert_eq!(shared.into_inner().unwrap(), (vec![120, 240], 360));
    }
}
