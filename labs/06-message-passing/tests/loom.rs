//! lab-06 under loom: the early stop and the flag-and-slot one-shot are
//! found, and the fixes hold over every interleaving.

use harness::sync::loom::{Condvar, Mutex};
use harness::{Check, FailureKind, Op};
use lab_06::Jobs;
use lab_06::checks::{
    Receiving, job_arrives_before_stop, send_then_stop, three_jobs_then_stop, value_arrives,
    value_arrives_once,
};
use lab_06::on_loom::fixed::{ClosingJobs, OneSlot};
use lab_06::on_loom::racy::{FlagAndSlot, StopFlagJobs};
use std::collections::VecDeque;

// ANCHOR: lost_jobs_are_found
#[test]
fn jobs_lost_at_shutdown_are_found_by_loom() {
    let failure = Check::new("stop flag")
        .preemption_bound(2)
        .in_book()
        .must_fail(send_then_stop::<StopFlagJobs>);
    assert!(
        failure.message.contains("the worker handled"),
        "{}",
        failure.message
    );
}
// ANCHOR_END: lost_jobs_are_found

// ANCHOR: late_worker
#[test]
fn a_worker_can_stop_without_handling_any_job() {
    // Bound 2, and past failures: the book's stepper offers all 75
    // executions within it, most of which handle a job or more. (No
    // preemption is needed: a test below finds it within bound 0.)
    let failure = Check::new("stop flag, three jobs")
        .preemption_bound(2)
        .explore_past_failures()
        .in_book()
        .must_fail(three_jobs_then_stop::<StopFlagJobs>);
    // The worker's first look at the flag, after main raised it, read
    // `true`: it never took the queue's lock.
    let worker: Vec<&Op> = failure
        .trace
        .events
        .iter()
        .filter(|event| event.thread == 1)
        .map(|event| &event.op)
        .collect();
    assert!(
        matches!(worker.first(), Some(Op::Load { value, .. }) if value == "true"),
        "{worker:?}"
    );
    assert!(
        !worker.iter().any(|op| matches!(op, Op::Lock)),
        "{worker:?}"
    );
}
// ANCHOR_END: late_worker

#[test]
fn a_worker_that_starts_late_needs_no_preemption_to_handle_nothing() {
    Check::new("stop flag, no preemption")
        .preemption_bound(0)
        .quiet()
        .must_fail(three_jobs_then_stop::<StopFlagJobs>);
}

#[test]
fn close_then_drain_never_stops_without_handling_a_job() {
    Check::new("close, then drain, three jobs")
        .every_interleaving()
        .quiet()
        .must_pass(three_jobs_then_stop::<ClosingJobs>);
}

#[test]
fn close_then_drain_never_loses_a_job() {
    Check::new("close, then drain")
        .every_interleaving()
        .in_book()
        .must_pass(send_then_stop::<ClosingJobs>);
}

#[test]
fn the_shutdown_check_fails_on_a_stop_flag() {
    // The fix's check, every interleaving, on the bug.
    let verdict = Check::new("stop flag, every interleaving")
        .every_interleaving()
        .quiet()
        .run(send_then_stop::<StopFlagJobs>);
    assert!(verdict.failed(), "the fix check passed the stop flag");
}

// ANCHOR: missed_value_is_found
#[test]
fn a_missed_value_is_found_by_loom() {
    let failure = Check::new("flag and slot, missed")
        .preemption_bound(1)
        .in_book()
        .must_fail(value_arrives::<FlagAndSlot>);
    assert!(failure.message.contains("missed"), "{}", failure.message);
}
// ANCHOR_END: missed_value_is_found

#[test]
fn a_value_received_twice_is_found_by_loom() {
    let failure = Check::new("flag and slot, twice")
        .preemption_bound(1)
        .in_book()
        .must_fail(value_arrives_once::<FlagAndSlot>);
    assert!(
        failure.message.contains("then Some(7)"),
        "{}",
        failure.message
    );
}

#[test]
fn one_state_for_flag_and_slot_delivers_the_value_once() {
    Check::new("one slot, arrives")
        .every_interleaving()
        .in_book()
        .must_pass(value_arrives::<OneSlot>);
    Check::new("one slot, once")
        .every_interleaving()
        .in_book()
        .must_pass(value_arrives_once::<OneSlot>);
}

/// A wrong fix: close, then drain (right), but `send` queues the job and
/// never notifies: a waiting worker sleeps until `stop` wakes it.
struct SendWithoutNotify {
    queue: Mutex<(VecDeque<u32>, bool)>,
    changed: Condvar,
}

impl Jobs for SendWithoutNotify {
    fn new() -> Self {
        Self {
            queue: Mutex::new((VecDeque::new(), false)),
            changed: Condvar::new(),
        }
    }
    fn send(&self, job: u32) {
        self.queue.lock().unwrap().0.push_back(job); // and no notify
    }
    fn stop(&self) {
        self.queue.lock().unwrap().1 = true;
        self.changed.notify_all();
    }
    fn work(&self) -> Vec<u32> {
        let mut handled = Vec::new();
        while let Some(job) = self.recv() {
            handled.push(job);
        }
        handled
    }
}

impl Receiving for SendWithoutNotify {
    fn recv(&self) -> Option<u32> {
        let mut queue = self.queue.lock().unwrap();
        loop {
            if let Some(job) = queue.0.pop_front() {
                return Some(job);
            }
            if queue.1 {
                return None;
            }
            queue = self.changed.wait(queue).unwrap();
        }
    }
}

// Every interleaving: one worker, one job, a handful of executions.
#[test]
fn a_sent_job_reaches_a_waiting_worker_without_a_stop() {
    Check::new("close, then drain; one job, no stop yet")
        .every_interleaving()
        .quiet()
        .must_pass(job_arrives_before_stop::<ClosingJobs>);
}

#[test]
fn the_shutdown_check_cannot_tell_a_send_that_never_notifies() {
    // Why `job_arrives_before_stop` exists: `stop`'s notify_all hides it.
    Check::new("send without notify, then stop")
        .every_interleaving()
        .quiet()
        .must_pass(send_then_stop::<SendWithoutNotify>);
}

#[test]
fn a_send_that_never_notifies_is_found_by_loom() {
    let failure = Check::new("send without notify")
        .every_interleaving()
        .quiet()
        .must_fail(job_arrives_before_stop::<SendWithoutNotify>);
    assert_eq!(failure.kind, FailureKind::Deadlock);
}

#[test]
fn real_threads_agree_with_loom() {
    // A short run of each model on real threads (at most 2,000 runs or half
    // a second): a fix that failed there, or an outcome loom never
    // produced, fails this test; the chapter's quotes of the reference run
    // are checked current.
    harness::observe::check_lab("lab-06", lab_06::observed::MODELS);
}
