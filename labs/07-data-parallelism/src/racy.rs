//! The bugs: every thread adds to one shared histogram, and its "add one" is
//! a load and then a store; and a task that says it has finished before
//! its counts are there to add up.

use super::job::{self, fold};
use super::sync::Arc;
use super::sync::atomic::{AtomicU64, Ordering};
use super::sync::thread;
use crate::{BUCKETS, bucket};

// ANCHOR: shared
/// Counts the values of each chunk on its own thread, into one shared
/// histogram.
pub fn shared_histogram(chunks: Vec<Vec<u64>>) -> Vec<u64> {
    let counts: Arc<Vec<AtomicU64>> = Arc::new((0..BUCKETS).map(|_| AtomicU64::new(0)).collect());
    let threads: Vec<_> = chunks
        .into_iter()
        .map(|chunk| {
            let counts = Arc::clone(&counts);
            thread::spawn(move || {
                for value in chunk {
                    let count = &counts[bucket(value)];
                    let seen = count.load(Ordering::Relaxed); // read...
                    count.store(seen + 1, Ordering::Relaxed); // ...write: another thread's add can fall in between
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
// ANCHOR_END: shared

// ANCHOR: finish_then_publish
/// Each chunk's task counts it on its own, and the last task to finish adds
/// the partial histograms up. A task says it has finished, then publishes.
pub fn finish_then_publish(chunks: Vec<Vec<u64>>) -> Vec<u64> {
    job::run(chunks, |job, task, chunk| {
        let mine = fold(&chunk);
        let last = job.finish(); // "finished"...
        job.publish(task, mine); // ...but its counts arrive only now
        if last {
            job.add_up();
        }
    })
}
// ANCHOR_END: finish_then_publish
