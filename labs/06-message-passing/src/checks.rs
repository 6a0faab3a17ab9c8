//! The loom models this lab's code is checked with.
//!
//! Each function here is a loom model: a test hands it to `harness::Check`,
//! which runs it under `loom::model::Builder`, once per class of equivalent
//! interleavings within the check's bound, recording what each thread did.

use super::sync::{Arc, thread};
use crate::{Jobs, OneShot};

// ANCHOR: send_then_stop
/// Main sends jobs 1 and 2, then says stop. The worker must handle both,
/// in order, before it stops.
pub fn send_then_stop<J: Jobs>() {
    let jobs = Arc::new(J::new());
    let worker = {
        let jobs = Arc::clone(&jobs);
        thread::spawn(move || jobs.work())
    };
    jobs.send(1);
    jobs.send(2);
    jobs.stop();
    let handled = worker.join().unwrap();
    assert!(
        handled == [1, 2],
        "sent 1 and 2, then stop; the worker handled {handled:?}"
    );
}
// ANCHOR_END: send_then_stop

// ANCHOR: value_arrives
/// A thread sends 7 while main waits for it: main must receive 7.
pub fn value_arrives<O: OneShot>() {
    let channel = Arc::new(O::new());
    let sender = {
        let channel = Arc::clone(&channel);
        thread::spawn(move || channel.send(7))
    };
    let received = channel.recv();
    sender.join().unwrap();
    assert!(
        received == Some(7),
        "7 was sent, but recv returned {received:?}: missed"
    );
}
// ANCHOR_END: value_arrives

// ANCHOR: value_arrives_once
/// A thread sends 7; main receives twice. The value comes once, then never.
pub fn value_arrives_once<O: OneShot>() {
    let channel = Arc::new(O::new());
    let sender = {
        let channel = Arc::clone(&channel);
        thread::spawn(move || channel.send(7))
    };
    let first = channel.recv();
    sender.join().unwrap();
    let second = channel.recv();
    assert!(
        second.is_none(),
        "7 was sent once, but recv returned {first:?}, then {second:?}"
    );
}
// ANCHOR_END: value_arrives_once

/// Jobs whose worker can take one job at a time: what
/// [`job_arrives_before_stop`] needs to watch a job reach the worker with
/// no `stop` (and its `notify_all`) to wake it.
pub trait Receiving: Jobs {
    /// The next job, waiting for one; `None` once stopped and empty.
    fn recv(&self) -> Option<u32>;
}

impl Receiving for super::fixed::ClosingJobs {
    fn recv(&self) -> Option<u32> {
        super::fixed::ClosingJobs::recv(self)
    }
}

// ANCHOR: job_arrives
/// The worker waits for one job; main sends 1 and waits for the worker to
/// have it, and only then says stop. In [`send_then_stop`] the `stop`
/// always comes, and its `notify_all` wakes a worker that `send` left
/// asleep: a `send` that never notifies passes it. Here nothing but
/// `send` can wake the worker.
pub fn job_arrives_before_stop<J: Receiving>() {
    let jobs = Arc::new(J::new());
    let worker = {
        let jobs = Arc::clone(&jobs);
        thread::spawn(move || jobs.recv())
    };
    jobs.send(1);
    let received = worker.join().unwrap();
    jobs.stop();
    assert!(
        received == Some(1),
        "sent 1 and waited for it, but the worker received {received:?}"
    );
}
// ANCHOR_END: job_arrives

// ANCHOR: three_jobs_then_stop
/// Main sends jobs 1, 2 and 3, then says stop. Asking how bad it gets,
/// the model fails only if the worker stops having handled none of them.
pub fn three_jobs_then_stop<J: Jobs>() {
    let jobs = Arc::new(J::new());
    let worker = {
        let jobs = Arc::clone(&jobs);
        thread::spawn(move || jobs.work())
    };
    for job in 1..=3 {
        jobs.send(job);
    }
    jobs.stop();
    let handled = worker.join().unwrap();
    harness::outcome(format!("handled {handled:?}"));
    harness::require!(
        !handled.is_empty(),
        "sent 1, 2 and 3, then stop; the worker stopped without handling any"
    );
}
// ANCHOR_END: three_jobs_then_stop
