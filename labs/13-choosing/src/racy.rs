//! The bug: a job is admitted because the gate looked open, and counted
//! only after the look. A drain that closes the gate between the two finds
//! no job in flight and returns; then the job is counted, and runs after
//! the drain said none was left: a job of one measured row runs in the next.

use super::sync::{Condvar, Mutex, Named};

// ANCHOR: check_then_count
/// A gate made of a flag and a count, each behind its own lock: every read
/// and write is safe, and ordered; the race is in the two steps.
pub struct CheckThenCount {
    closed: Mutex<bool>,
    in_flight: Mutex<usize>,
    all_left: Condvar,
}

impl crate::Gate for CheckThenCount {
    fn new() -> Self {
        Self {
            closed: Mutex::new(false).named("closed"),
            in_flight: Mutex::new(0).named("in flight"),
            all_left: Condvar::new(),
        }
    }

    fn enter(&self) -> bool {
        if *self.closed.lock().unwrap() {
            return false;
        }
        // `close_and_drain` can run right here: it closes the gate, finds
        // no job in flight, and returns...
        *self.in_flight.lock().unwrap() += 1;
        true // ...and this job runs after the drain.
    }

    fn leave(&self) {
        let mut in_flight = self.in_flight.lock().unwrap();
        *in_flight -= 1;
        if *in_flight == 0 && *self.closed.lock().unwrap() {
            self.all_left.notify_all(); // the last job out: wake the drain
        }
    }

    fn close_and_drain(&self) {
        *self.closed.lock().unwrap() = true;
        let in_flight = self.in_flight.lock().unwrap();
        let _drained = self.all_left.wait_while(in_flight, |n| *n > 0).unwrap();
    }
}
// ANCHOR_END: check_then_count
