//! The exercise's reference solution. Try `exercise.rs` first!

use super::sync::{Condvar, Mutex, RwLock};

/// A server's open connections, counted under a lock, and whether it
/// accepts new ones, under a read-write lock: every client reads it, the
/// shutdown writes it.
pub struct Connections {
    accepting: RwLock<bool>,
    open: Mutex<usize>,
    none_open: Condvar,
}

impl crate::checks::Server for Connections {
    fn new() -> Self {
        Self {
            accepting: RwLock::new(true),
            open: Mutex::new(0),
            none_open: Condvar::new(),
        }
    }

    // ANCHOR: solution
    fn accept(&self) -> bool {
        // Keep the read lock until the client is counted: the shutdown's
        // write lock waits for it, so the shutdown comes wholly before the
        // check (and the client is refused) or wholly after the count (and
        // the shutdown waits for the client).
        let accepting = self.accepting.read().unwrap();
        if !*accepting {
            return false;
        }
        *self.open.lock().unwrap() += 1;
        true
    } // the read lock is released here, after the count
    // ANCHOR_END: solution

    fn hang_up(&self) {
        let mut open = self.open.lock().unwrap();
        *open -= 1;
        if *open == 0 {
            self.none_open.notify_all();
        }
    }

    fn shutdown_and_wait(&self) {
        *self.accepting.write().unwrap() = false;
        let open = self.open.lock().unwrap();
        let _none_open = self.none_open.wait_while(open, |open| *open > 0).unwrap();
    }
}
