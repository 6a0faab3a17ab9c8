//! The fix: a hand-off with acknowledgement, requeue and a lease. A job is
//! always written down somewhere: queued, running on one worker, or
//! finished; and only the worker that holds a job's lease can finish it.

use super::sync::{Mutex, Named};
use crate::ledger::Book;
use crate::{JobId, WorkerId};

// ANCHOR: leased
/// [`TrustingBook`](crate::on_std::racy::TrustingBook) plus one rule: a
/// report counts only if the job is still running on the worker that
/// reports it. A worker declared dead has lost its lease; its late report
/// is refused, and the job's requeued copy is the one that counts.
pub struct LeasedBook {
    state: Mutex<Book>,
}

impl crate::Bookkeeping for LeasedBook {
    fn new(jobs: &[JobId]) -> Self {
        Self {
            state: Mutex::new(Book::queued(jobs)).named("book"),
        }
    }

    fn take(&self, worker: WorkerId) -> Option<JobId> {
        self.state.lock().unwrap().hand_out(worker)
    }

    fn finish(&self, worker: WorkerId, job: JobId) -> bool {
        // The check and the acknowledgement under one lock: `worker_died`
        // cannot take the lease back in between.
        self.state.lock().unwrap().finish_if_leased(worker, job)
    }

    fn worker_died(&self, worker: WorkerId) {
        self.state.lock().unwrap().requeue(worker);
    }

    fn finished(&self) -> Vec<JobId> {
        self.state.lock().unwrap().finished().to_vec()
    }
}
// ANCHOR_END: leased
