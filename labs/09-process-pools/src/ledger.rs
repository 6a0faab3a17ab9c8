//! What a pool writes down about its jobs: which are queued, which worker
//! runs which, which are finished. Plain data, no locks: the loom models
//! keep it behind a `Mutex` (`racy.rs`, `fixed.rs`); the real process pool
//! owns one in its single supervising thread (`pools.rs`).

use crate::{JobId, WorkerId};
use std::collections::{BTreeMap, VecDeque};
use std::fmt;

/// Every job is in exactly one place: queued, running on one worker,
/// finished, or given up on (as long as the methods below are all that
/// touch it).
#[derive(Default)]
pub struct Book {
    pub(crate) queue: VecDeque<JobId>,
    pub(crate) running: BTreeMap<WorkerId, JobId>,
    pub(crate) finished: Vec<JobId>,
    pub(crate) given_up: Vec<JobId>,
}

/// Compact for traces: `queued [2] w1:1 done []` (worker 1 runs job 1),
/// and `failed [1]` after, once a job was given up on.
impl fmt::Debug for Book {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |jobs: &mut dyn Iterator<Item = &JobId>| {
            let jobs: Vec<String> = jobs.map(JobId::to_string).collect();
            format!("[{}]", jobs.join(","))
        };
        write!(f, "queued {} ", list(&mut self.queue.iter()))?;
        for (worker, job) in &self.running {
            write!(f, "w{worker}:{job} ")?;
        }
        write!(f, "done {}", list(&mut self.finished.iter()))?;
        if !self.given_up.is_empty() {
            write!(f, " failed {}", list(&mut self.given_up.iter()))?;
        }
        Ok(())
    }
}

impl Book {
    /// Every job queued, none running or finished.
    pub fn queued(jobs: &[JobId]) -> Self {
        Self {
            queue: jobs.iter().copied().collect(),
            ..Self::default()
        }
    }

    /// Takes the next queued job and writes down that `worker` runs it.
    pub fn hand_out(&mut self, worker: WorkerId) -> Option<JobId> {
        let job = self.queue.pop_front()?;
        self.running.insert(worker, job);
        Some(job)
    }

    /// The job `worker` holds the lease of, if any.
    pub fn running_on(&self, worker: WorkerId) -> Option<JobId> {
        self.running.get(&worker).copied()
    }

    /// Writes `job` down as finished, whoever reports it and whenever: the
    /// trusting pool's rule (see `racy.rs`).
    pub fn record_finished(&mut self, worker: WorkerId, job: JobId) {
        self.running.remove(&worker);
        self.finished.push(job);
    }

    // ANCHOR: lease
    /// Finishes `job` if `worker` still holds its lease; refuses the report
    /// (returns `false`) if the lease was taken back when the worker was
    /// declared dead, so the job's requeued copy is the one that counts.
    pub fn finish_if_leased(&mut self, worker: WorkerId, job: JobId) -> bool {
        if self.running_on(worker) != Some(job) {
            return false;
        }
        self.running.remove(&worker);
        self.finished.push(job);
        true
    }
    // ANCHOR_END: lease

    /// Takes back the lease of `worker`'s job and queues the job again;
    /// returns the job, if the worker held one.
    pub fn requeue(&mut self, worker: WorkerId) -> Option<JobId> {
        let job = self.running.remove(&worker)?;
        self.queue.push_back(job);
        Some(job)
    }

    /// Takes back the lease of `worker`'s job without queueing it again:
    /// the pool has given up on it (it is reported failed, not lost, and
    /// not finished either).
    pub fn give_up(&mut self, worker: WorkerId) -> Option<JobId> {
        let job = self.running.remove(&worker)?;
        self.given_up.push(job);
        Some(job)
    }

    /// The jobs finished, in the order it happened (not those given up on).
    pub fn finished(&self) -> &[JobId] {
        &self.finished
    }

    /// The jobs given up on, in the order it happened.
    pub fn given_up(&self) -> &[JobId] {
        &self.given_up
    }

    /// Whether any job is waiting to be handed out.
    pub fn has_queued(&self) -> bool {
        !self.queue.is_empty()
    }

    /// Whether any job is still queued or running.
    pub fn has_work(&self) -> bool {
        !self.queue.is_empty() || !self.running.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_late_report_is_refused_and_the_requeued_copy_counts() {
        let mut book = Book::queued(&[7]);
        assert_eq!(book.hand_out(1), Some(7));
        assert_eq!(book.requeue(1), Some(7)); // worker 1 declared dead
        assert_eq!(book.hand_out(2), Some(7));
        assert!(!book.finish_if_leased(1, 7), "worker 1 lost its lease");
        assert!(book.finish_if_leased(2, 7));
        assert_eq!(book.finished(), [7]);
        assert!(!book.has_work());
    }

    #[test]
    fn a_job_given_up_on_is_neither_finished_nor_requeued() {
        let mut book = Book::queued(&[1, 2]);
        book.hand_out(0);
        assert_eq!(book.give_up(0), Some(1));
        assert_eq!(book.requeue(0), None);
        assert_eq!(book.given_up(), [1]);
        assert!(book.finished().is_empty());
        assert_eq!(book.hand_out(0), Some(2));
    }
}
