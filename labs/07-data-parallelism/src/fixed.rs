//! The fix: share nothing while counting. Each thread folds its own
//! histogram; the histograms are added up (reduced) at the end. And, for
//! contrast, a correct shared histogram with `fetch_add`.

use super::job::{self, fold};
use super::sync::Arc;
use super::sync::atomic::{AtomicU64, Ordering};
use super::sync::thread;
use crate::{BUCKETS, bucket};

// ANCHOR: fold_reduce
/// Counts each chunk into a histogram of its own thread (fold), then adds
/// the histograms together (reduce). No thread touches another's counts.
pub fn folded_histogram(chunks: Vec<Vec<u64>>) -> Vec<u64> {
    let threads: Vec<_> = chunks
        .into_iter()
        .map(|chunk| {
            thread::spawn(move || {
                let mut mine = vec![0u64; BUCKETS];
                for value in chunk {
                    mine[bucket(value)] += 1;
                }
                mine
            })
        })
        .collect();
    let mut total = vec![0u64; BUCKETS];
    for thread in threads {
        for (sum, count) in total.iter_mut().zip(thread.join().unwrap()) {
            *sum += count;
        }
    }
    total
}
// ANCHOR_END: fold_reduce

// ANCHOR: fetch_add
/// Correct, and shared: every add is one atomic `fetch_add`. Every thread
/// still writes the same few cache lines.
pub fn atomic_histogram(chunks: Vec<Vec<u64>>) -> Vec<u64> {
    let counts: Arc<Vec<AtomicU64>> = Arc::new((0..BUCKETS).map(|_| AtomicU64::new(0)).collect());
    let threads: Vec<_> = chunks
        .into_iter()
        .map(|chunk| {
            let counts = Arc::clone(&counts);
            thread::spawn(move || {
                for value in chunk {
                    counts[bucket(value)].fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    counts
        .iter()
        .map(|count| count.load(Ordering::Relaxed))
        .collect()
}
// ANCHOR_END: fetch_add

// ANCHOR: publish_then_finish
/// The same job, in the other order: a task publishes its partial, then
/// says it has finished. The last to finish finds every partial there.
pub fn publish_then_finish(chunks: Vec<Vec<u64>>) -> Vec<u64> {
    job::run(chunks, |job, task, chunk| {
        job.publish(task, fold(&chunk));
        if job.finish() {
            job.add_up();
        }
    })
}
// ANCHOR_END: publish_then_finish
