//! The exercise: a parallel maximum that sometimes forgets the largest
//! value. Make it correct. Check your answer with
//! `cargo xtask exercise 07`.

use super::sync::Arc;
use super::sync::atomic::{AtomicU64, Ordering};
use super::sync::thread;

// ANCHOR: starter
/// The largest value of all the chunks, one thread per chunk.
pub fn parallel_max(chunks: Vec<Vec<u64>>) -> u64 {
    let max = Arc::new(AtomicU64::new(0));
    let threads: Vec<_> = chunks
        .into_iter()
        .map(|chunk| {
            let max = Arc::clone(&max);
            thread::spawn(move || {
                for value in chunk {
                    // TODO: another thread can raise `max` between this
                    // check and this store, and the store then lowers it.
                    if value > max.load(Ordering::Relaxed) {
                        max.store(value, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    max.load(Ordering::Relaxed)
}
// ANCHOR_END: starter
