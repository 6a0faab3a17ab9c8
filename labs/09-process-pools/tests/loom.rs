//! lab-09 under loom: when a worker dies, forgetful bookkeeping loses its
//! job and trusting bookkeeping runs it twice; a lease finishes every job
//! exactly once, wherever the death lands.

use harness::sync::loom::Mutex;
use harness::{Check, FailureKind};
use lab_09::checks::kill_a_worker;
use lab_09::ledger::Book;
use lab_09::on_loom::fixed::LeasedBook;
use lab_09::on_loom::racy::{ForgetfulBook, TrustingBook};
use lab_09::{Bookkeeping, JobId, WorkerId};

// ANCHOR: lost_is_found
#[test]
fn a_job_is_lost_when_its_worker_dies_and_no_one_wrote_it_down() {
    let failure = Check::new("forgetful pool")
        .every_interleaving()
        .in_book()
        .must_fail(kill_a_worker::<ForgetfulBook>);
    assert_eq!(failure.kind, FailureKind::Panic);
    assert!(
        failure.message.contains("finished are [2]"),
        "{}",
        failure.message
    );
}
// ANCHOR_END: lost_is_found

// ANCHOR: twice_is_found
#[test]
fn a_job_is_done_twice_when_a_late_report_is_trusted() {
    let failure = Check::new("trusting pool")
        .every_interleaving()
        .in_book()
        .must_fail(kill_a_worker::<TrustingBook>);
    assert!(
        failure.message.contains("finished are [1, 1, 2]"),
        "{}",
        failure.message
    );
}
// ANCHOR_END: twice_is_found

// ANCHOR: fix_holds
#[test]
fn a_leased_job_is_finished_exactly_once_wherever_the_worker_dies() {
    Check::new("leased pool")
        .every_interleaving()
        .in_book()
        .must_pass(kill_a_worker::<LeasedBook>);
}
// ANCHOR_END: fix_holds

/// A wrong fix: before writing a report down, check that the job is not
/// finished yet; but the check and the write are two critical sections.
struct CheckThenRecord(Mutex<Book>);

impl Bookkeeping for CheckThenRecord {
    fn new(jobs: &[JobId]) -> Self {
        Self(Mutex::new(Book::queued(jobs)))
    }
    fn take(&self, worker: WorkerId) -> Option<JobId> {
        self.0.lock().unwrap().hand_out(worker)
    }
    fn finish(&self, worker: WorkerId, job: JobId) -> bool {
        if self.0.lock().unwrap().finished().contains(&job) {
            return false;
        }
        self.0.lock().unwrap().record_finished(worker, job);
        true
    }
    fn worker_died(&self, worker: WorkerId) {
        self.0.lock().unwrap().requeue(worker);
    }
    fn finished(&self) -> Vec<JobId> {
        self.0.lock().unwrap().finished().to_vec()
    }
}

#[test]
fn the_fix_check_fails_checking_for_a_finished_job_then_recording() {
    let failure = Check::new("check, then record")
        .every_interleaving()
        .quiet()
        .must_fail(kill_a_worker::<CheckThenRecord>);
    assert!(failure.message.contains("[1, 1, 2]"), "{}", failure.message);
}

/// A wrong fix: when a worker dies, give up on its job rather than queue
/// it again ("it failed"). Nothing runs twice, and job 1, killed before
/// it reported, is never finished.
struct GivesUpOnTheDead(Mutex<Book>);

impl Bookkeeping for GivesUpOnTheDead {
    fn new(jobs: &[JobId]) -> Self {
        Self(Mutex::new(Book::queued(jobs)))
    }
    fn take(&self, worker: WorkerId) -> Option<JobId> {
        self.0.lock().unwrap().hand_out(worker)
    }
    fn finish(&self, worker: WorkerId, job: JobId) -> bool {
        self.0.lock().unwrap().finish_if_leased(worker, job)
    }
    fn worker_died(&self, worker: WorkerId) {
        self.0.lock().unwrap().give_up(worker);
    }
    fn finished(&self) -> Vec<JobId> {
        self.0.lock().unwrap().finished().to_vec()
    }
}

#[test]
fn the_fix_check_fails_giving_up_on_a_dead_workers_job() {
    // A job given up on is not finished: the model counts only reports.
    let failure = Check::new("gives up on the dead")
        .every_interleaving()
        .quiet()
        .must_fail(kill_a_worker::<GivesUpOnTheDead>);
    assert!(failure.message.contains("are [2]"), "{}", failure.message);
}
