//! The bugs: a pool's bookkeeping that loses a job when a worker dies, and
//! one that fixes that by requeueing, and then runs a job twice.

use super::sync::{Mutex, Named};
use crate::ledger::Book;
use crate::{JobId, WorkerId};
use std::collections::VecDeque;

// ANCHOR: forgetful
/// Hands out jobs and forgets them: a job a worker took is nowhere but in
/// that worker, so if the worker dies, the job is gone.
pub struct ForgetfulBook {
    queue: Mutex<VecDeque<JobId>>,
    finished: Mutex<Vec<JobId>>,
}

impl crate::Bookkeeping for ForgetfulBook {
    fn new(jobs: &[JobId]) -> Self {
        Self {
            queue: Mutex::new(jobs.iter().copied().collect()).named("queue"),
            finished: Mutex::new(Vec::new()).named("finished"),
        }
    }

    fn take(&self, _worker: WorkerId) -> Option<JobId> {
        self.queue.lock().unwrap().pop_front()
    }

    fn finish(&self, _worker: WorkerId, job: JobId) -> bool {
        self.finished.lock().unwrap().push(job);
        true
    }

    fn worker_died(&self, _worker: WorkerId) {
        // Nothing to do: nothing here says what the worker was running.
    }

    fn finished(&self) -> Vec<JobId> {
        self.finished.lock().unwrap().clone()
    }
}
// ANCHOR_END: forgetful

// ANCHOR: trusting
/// Remembers which worker runs which job, and requeues a dead worker's
/// job. But it trusts every report: a worker declared dead (killed, or
/// silent too long) whose report was already on its way still finishes
/// its job, and so does the worker that got the requeued copy.
pub struct TrustingBook {
    state: Mutex<Book>,
}

impl crate::Bookkeeping for TrustingBook {
    fn new(jobs: &[JobId]) -> Self {
        Self {
            state: Mutex::new(Book::queued(jobs)).named("book"),
        }
    }

    fn take(&self, worker: WorkerId) -> Option<JobId> {
        // Handed over, and written down: which worker runs which job.
        self.state.lock().unwrap().hand_out(worker)
    }

    fn finish(&self, worker: WorkerId, job: JobId) -> bool {
        // Whoever reports it, whenever: even a worker declared dead.
        self.state.lock().unwrap().record_finished(worker, job);
        true
    }

    fn worker_died(&self, worker: WorkerId) {
        // Takes the job back from the dead worker: someone else will run it.
        self.state.lock().unwrap().requeue(worker);
    }

    fn finished(&self) -> Vec<JobId> {
        self.state.lock().unwrap().finished().to_vec()
    }
}
// ANCHOR_END: trusting
