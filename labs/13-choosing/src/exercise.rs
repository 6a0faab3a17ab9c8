//! The exercise: a server that, when it shuts down, stops accepting
//! connections and waits for the open ones to end; but a client accepted
//! at the wrong moment is served after the shutdown returned. Make
//! `shutdown_and_wait` wait for every client `accept` lets in.
//! Check your answer with `cargo xtask exercise 13`.

use super::sync::{Condvar, Mutex, RwLock};

// ANCHOR: starter
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

    fn accept(&self) -> bool {
        if !*self.accepting.read().unwrap() {
            return false;
        }
        // TODO: `shutdown_and_wait` can run between the check above and
        // the count below.
        *self.open.lock().unwrap() += 1;
        true
    }

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
// ANCHOR_END: starter
