//! A job whose tasks no one joins, as when each chunk is handed to a pool
//! with `spawn`: every task publishes its partial histogram and says it has
//! finished, and the last one to finish adds the partials up.

use super::sync::atomic::{AtomicUsize, Ordering};
use super::sync::thread;
use super::sync::{Arc, Mutex, Named};
use crate::{BUCKETS, bucket};

/// The job's shared state: a slot per task for its partial histogram, how
/// many tasks have finished, and the total the last one adds up.
pub struct Job {
    partials: Vec<Mutex<Vec<u64>>>,
    finished: AtomicUsize,
    total: Mutex<Option<Vec<u64>>>,
}

/// What one task runs: the job, its slot, and its chunk.
pub type Task = fn(&Job, usize, Vec<u64>);

impl Job {
    fn new(tasks: usize) -> Self {
        let slot =
            |task: usize| Mutex::new(vec![0; BUCKETS]).named(&format!("partial {}", task + 1));
        Self {
            partials: (0..tasks).map(slot).collect(),
            finished: AtomicUsize::new(0).named("finished"),
            total: Mutex::new(None).named("total"),
        }
    }

    /// Puts `partial` in the slot of task `task`.
    #[track_caller] // traces show the task's line, not this one
    pub fn publish(&self, task: usize, partial: Vec<u64>) {
        *self.partials[task].lock().unwrap() = partial;
    }

    /// Counts the calling task as finished: true for the last one. With the
    /// slots behind mutexes, `Relaxed` would do: had the last task locked a
    /// slot before its task published there, its count would come before
    /// that task's, which it read. `AcqRel` is what slots of plain memory
    /// would need (each task's count releasing its publish, the last one's
    /// acquiring them all), and costs nothing here.
    #[track_caller] // traces show the task's line, not this one
    pub fn finish(&self) -> bool {
        self.finished.fetch_add(1, Ordering::AcqRel) + 1 == self.partials.len()
    }

    /// Adds up the partials, as they are now: the job's answer.
    #[track_caller] // traces show the task's line, not this one
    pub fn add_up(&self) {
        let mut total = vec![0; BUCKETS];
        for partial in &self.partials {
            for (sum, count) in total.iter_mut().zip(partial.lock().unwrap().iter()) {
                *sum += count;
            }
        }
        *self.total.lock().unwrap() = Some(total);
    }
}

/// A chunk's own histogram: the fold, on the task's own data.
pub fn fold(chunk: &[u64]) -> Vec<u64> {
    let mut mine = vec![0; BUCKETS];
    for &value in chunk {
        mine[bucket(value)] += 1;
    }
    mine
}

/// Runs `task` on each chunk, a thread per task, and returns the total the
/// last task added up. The threads are joined only to end the run; the
/// answer is what the tasks delivered.
pub fn run(chunks: Vec<Vec<u64>>, task: Task) -> Vec<u64> {
    let job = Arc::new(Job::new(chunks.len()));
    let threads: Vec<_> = chunks
        .into_iter()
        .enumerate()
        .map(|(slot, chunk)| {
            let job = Arc::clone(&job);
            thread::spawn(move || task(&job, slot, chunk))
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let total = job.total.lock().unwrap().take();
    total.expect("every task finished, and none added the partials up")
}
