//! The fixes: the check and the count become one step, so a drain comes
//! either before a job's admission (the job sees the gate closed) or after
//! it (the drain sees the job, and waits for it), never in between. Two
//! ways to make one step: one atomic word holding both, or one lock
//! around both.

use super::sync::atomic::{AtomicUsize, Ordering};
use super::sync::{Condvar, Mutex};
use std::fmt;

// ANCHOR: one_word
/// The lowest bit of the word: set once the gate is closed.
const CLOSED: usize = 1;
/// What one admitted job adds to the word: the count lives above the bit.
const JOB: usize = 2;

/// A gate whose closed bit and count of jobs in flight are one atomic
/// word, as tokio's `Semaphore` keeps its closed bit and its permits: one
/// read-modify-write sees both and changes both. A job counts itself in
/// first and learns in the same step whether the gate was closed; if it
/// was, it backs out.
pub struct OneWord {
    /// `CLOSED` or not, plus `JOB` for each job counted in and not yet out.
    state: AtomicUsize,
    /// Held by the drain while it checks the word and goes to sleep, and
    /// by the last job out while it wakes the drain, so the wake-up cannot
    /// fall between the drain's check and its sleep.
    drain: Mutex<()>,
    last_left: Condvar,
}

impl crate::Gate for OneWord {
    fn new() -> Self {
        Self {
            state: AtomicUsize::new(0),
            drain: Mutex::new(()),
            last_left: Condvar::new(),
        }
    }

    // Every step is `AcqRel`, so that what a job did happens before what
    // follows the drain, as with a lock. The loom model does not check
    // that part (its jobs share nothing but the row, which has a lock of
    // its own): chapter 4 is where orderings are checked. (On x86 every
    // read-modify-write costs the same, whatever its ordering.)
    fn enter(&self) -> bool {
        let before = self.state.fetch_add(JOB, Ordering::AcqRel);
        if before & CLOSED == 0 {
            return true; // counted while open: the drain will wait for this job
        }
        // Counted after the gate closed: a drain may have seen this count
        // and be waiting for it, so take it back the way a job leaves.
        self.leave();
        false
    }

    fn leave(&self) {
        let before = self.state.fetch_sub(JOB, Ordering::AcqRel);
        if before == CLOSED | JOB {
            // The last job out of a closed gate: wake the drain.
            let _drain = self.drain.lock().unwrap();
            self.last_left.notify_all();
        }
    }

    fn close_and_drain(&self) {
        // From this step on, every `enter` sees the bit; every job counted
        // before it is in the word, and waited for below.
        self.state.fetch_or(CLOSED, Ordering::AcqRel);
        let mut drain = self.drain.lock().unwrap();
        while self.state.load(Ordering::Acquire) != CLOSED {
            drain = self.last_left.wait(drain).unwrap();
        }
    }
}
// ANCHOR_END: one_word

/// Whether the gate is closed, and how many admitted jobs are running.
#[derive(Default)]
struct Admissions {
    closed: bool,
    running: usize,
}

/// Shown in traces as `open, 1 running` or `closed, 0 running`.
impl fmt::Debug for Admissions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let gate = if self.closed { "closed" } else { "open" };
        write!(f, "{gate}, {} running", self.running)
    }
}

// ANCHOR: one_lock
/// A gate whose flag and count are one state under one lock: `enter`
/// checks and counts while holding it, so a drain takes the lock before
/// (and the job is refused) or after (and it waits for the job).
pub struct OneLock {
    state: Mutex<Admissions>,
    all_left: Condvar,
}

impl crate::Gate for OneLock {
    fn new() -> Self {
        Self {
            state: Mutex::new(Admissions::default()),
            all_left: Condvar::new(),
        }
    }

    fn enter(&self) -> bool {
        let mut state = self.state.lock().unwrap();
        if state.closed {
            return false;
        }
        state.running += 1; // under the lock that the check held
        true
    }

    fn leave(&self) {
        let mut state = self.state.lock().unwrap();
        state.running -= 1;
        if state.closed && state.running == 0 {
            self.all_left.notify_all(); // the last job out: wake the drain
        }
    }

    fn close_and_drain(&self) {
        let mut state = self.state.lock().unwrap();
        state.closed = true;
        let _drained = self
            .all_left
            .wait_while(state, |state| state.running > 0)
            .unwrap();
    }
}
// ANCHOR_END: one_lock
