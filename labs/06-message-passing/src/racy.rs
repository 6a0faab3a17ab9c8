//! The bugs: a stop flag that the worker checks before the queue, and a
//! one-shot channel whose flag and slot change in two steps.

use super::sync::Mutex;
use super::sync::atomic::{AtomicBool, Ordering};
use super::sync::thread;
use std::collections::VecDeque;

/// Jobs in a queue, and a separate flag that tells the worker to stop.
pub struct StopFlagJobs {
    queue: Mutex<VecDeque<u32>>,
    stop: AtomicBool,
}

impl crate::Jobs for StopFlagJobs {
    fn new() -> Self {
        Self {
            queue: Mutex::new(VecDeque::new()),
            stop: AtomicBool::new(false),
        }
    }

    fn send(&self, job: u32) {
        self.queue.lock().unwrap().push_back(job);
    }

    fn stop(&self) {
        // `Relaxed`, as stop flags often are: it orders nothing else.
        self.stop.store(true, Ordering::Relaxed);
    }

    // ANCHOR: work
    fn work(&self) -> Vec<u32> {
        let mut handled = Vec::new();
        while !self.stop.load(Ordering::Relaxed) {
            // The flag says "stop", and the worker stops: whatever is still
            // queued is never handled.
            let job = self.queue.lock().unwrap().pop_front();
            match job {
                Some(job) => handled.push(job),
                None => thread::yield_now(), // nothing yet: let the sender run
            }
        }
        handled
    }
    // ANCHOR_END: work
}

// ANCHOR: one_shot
/// A one-shot channel made of a flag ("sent") and a slot for the value.
pub struct FlagAndSlot {
    sent: AtomicBool,
    slot: Mutex<Option<u32>>,
}

impl crate::OneShot for FlagAndSlot {
    fn new() -> Self {
        Self {
            sent: AtomicBool::new(false),
            slot: Mutex::new(None),
        }
    }

    fn send(&self, value: u32) {
        self.sent.store(true, Ordering::SeqCst); // the flag goes up first...
        *self.slot.lock().unwrap() = Some(value); // ...then the value goes in
    }

    fn recv(&self) -> Option<u32> {
        while !self.sent.load(Ordering::SeqCst) {
            thread::yield_now(); // wait for the flag
        }
        *self.slot.lock().unwrap() // the flag is up: read the slot (a copy)
    }
}
// ANCHOR_END: one_shot
