//! The fixes: closing the queue is the stop signal, and the worker drains
//! it first; the one-shot keeps its flag and its slot in one state.

use super::sync::{Condvar, Mutex};
use std::collections::VecDeque;

/// The queue and whether it is closed, changed together under one lock.
#[derive(Default)]
struct Queue {
    jobs: VecDeque<u32>,
    closed: bool,
}

/// Shown in traces as `[1, 2] open` or `[] closed`.
impl std::fmt::Debug for Queue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = if self.closed { "closed" } else { "open" };
        write!(f, "{:?} {state}", self.jobs)
    }
}

/// Jobs in a queue that is closed, not flagged, when there are no more.
pub struct ClosingJobs {
    queue: Mutex<Queue>,
    changed: Condvar,
}

impl ClosingJobs {
    // ANCHOR: recv
    /// The next job, waiting for one if need be; `None` only once the queue
    /// is closed *and* empty.
    pub fn recv(&self) -> Option<u32> {
        let mut queue = self.queue.lock().unwrap();
        loop {
            if let Some(job) = queue.jobs.pop_front() {
                return Some(job); // drain first...
            }
            if queue.closed {
                return None; // ...and stop only when nothing is left
            }
            queue = self.changed.wait(queue).unwrap();
        }
    }
    // ANCHOR_END: recv
}

impl crate::Jobs for ClosingJobs {
    fn new() -> Self {
        Self {
            queue: Mutex::new(Queue::default()),
            changed: Condvar::new(),
        }
    }

    fn send(&self, job: u32) {
        self.queue.lock().unwrap().jobs.push_back(job);
        self.changed.notify_one();
    }

    fn stop(&self) {
        self.queue.lock().unwrap().closed = true;
        self.changed.notify_all();
    }

    // ANCHOR: work
    fn work(&self) -> Vec<u32> {
        let mut handled = Vec::new();
        while let Some(job) = self.recv() {
            handled.push(job);
        }
        handled
    }
    // ANCHOR_END: work
}

// ANCHOR: one_shot
/// What a one-shot channel holds: nothing yet, the value, or nothing ever again.
#[derive(Debug)]
enum Slot {
    Waiting,
    Sent(u32),
    Taken,
}

/// A one-shot channel whose state changes in one step, under one lock.
pub struct OneSlot {
    slot: Mutex<Slot>,
    changed: Condvar,
}

impl crate::OneShot for OneSlot {
    fn new() -> Self {
        Self {
            slot: Mutex::new(Slot::Waiting),
            changed: Condvar::new(),
        }
    }

    fn send(&self, value: u32) {
        let mut slot = self.slot.lock().unwrap();
        if let Slot::Waiting = *slot {
            *slot = Slot::Sent(value);
        }
        self.changed.notify_all();
    }

    fn recv(&self) -> Option<u32> {
        let mut slot = self.slot.lock().unwrap();
        while let Slot::Waiting = *slot {
            slot = self.changed.wait(slot).unwrap();
        }
        match std::mem::replace(&mut *slot, Slot::Taken) {
            Slot::Sent(value) => Some(value), // taken: the next recv gets None
            _ => None,
        }
    }
}
// ANCHOR_END: one_shot
