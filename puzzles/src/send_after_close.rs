//! Level 1: a channel closed while a send is in flight.
//!
//! A sender checks that the channel is open, then queues its message. The
//! receiver closes the channel and takes what is queued, and after that no
//! message can arrive. But the check and the queueing are two critical
//! sections: a close can fall between them, and the message is queued
//! after the last look, accepted and never read.

use crate::sync::{Arc, Mutex, Named, thread};
use std::collections::VecDeque;

/// A channel for the level's model.
pub trait Channel: Send + Sync + 'static {
    /// An open channel, with nothing queued.
    fn new() -> Self;
    /// Queues `message`, or hands it back if the channel is closed.
    fn send(&self, message: u32) -> Result<(), u32>;
    /// Closes the channel and returns what was queued: the last read.
    fn close(&self) -> Vec<u32>;
}

/// The puzzle: `send` checks `closed`, then queues, in two critical
/// sections.
// ANCHOR: racy
pub struct CheckThenQueue {
    closed: Mutex<bool>,
    queue: Mutex<VecDeque<u32>>,
}

impl Channel for CheckThenQueue {
    fn new() -> Self {
        Self {
            closed: Mutex::new(false).named("closed"),
            queue: Mutex::new(VecDeque::new()).named("queue"),
        }
    }

    fn send(&self, message: u32) -> Result<(), u32> {
        if *self.closed.lock().unwrap() {
            return Err(message); // closed: the sender keeps its message
        }
        self.queue.lock().unwrap().push_back(message);
        Ok(())
    }

    fn close(&self) -> Vec<u32> {
        *self.closed.lock().unwrap() = true;
        self.queue.lock().unwrap().drain(..).collect()
    }
}
// ANCHOR_END: racy

// ANCHOR: fixed
/// The fix: one lock over both, so a send is wholly before the close (and
/// its message drained) or wholly after it (and refused).
pub struct OneLock {
    state: Mutex<(bool, VecDeque<u32>)>,
}

impl Channel for OneLock {
    fn new() -> Self {
        Self {
            state: Mutex::new((false, VecDeque::new())).named("state"),
        }
    }

    fn send(&self, message: u32) -> Result<(), u32> {
        let mut state = self.state.lock().unwrap();
        let (closed, queue) = &mut *state;
        if *closed {
            return Err(message);
        }
        queue.push_back(message);
        Ok(())
    }

    fn close(&self) -> Vec<u32> {
        let mut state = self.state.lock().unwrap();
        let (closed, queue) = &mut *state;
        *closed = true;
        queue.drain(..).collect()
    }
}
// ANCHOR_END: fixed

// ANCHOR: wrong_fix
/// A wrong fix: close under the queue's lock too, as if holding both at
/// the close were enough. The sender still checks under one lock and
/// queues under the other, and the close can still come in between.
pub struct CloseUnderBoth {
    closed: Mutex<bool>,
    queue: Mutex<VecDeque<u32>>,
}

impl Channel for CloseUnderBoth {
    fn new() -> Self {
        Self {
            closed: Mutex::new(false).named("closed"),
            queue: Mutex::new(VecDeque::new()).named("queue"),
        }
    }

    fn send(&self, message: u32) -> Result<(), u32> {
        if *self.closed.lock().unwrap() {
            return Err(message);
        }
        self.queue.lock().unwrap().push_back(message);
        Ok(())
    }

    fn close(&self) -> Vec<u32> {
        let mut queue = self.queue.lock().unwrap();
        *self.closed.lock().unwrap() = true;
        queue.drain(..).collect()
    }
}
// ANCHOR_END: wrong_fix
// ANCHOR: bound
/// Bound: one send against one close is the whole race; loom explores
/// every interleaving of the two.
// ANCHOR_END: bound
// ANCHOR: model
/// A sender sends 7 while main closes the channel. Either the send was
/// refused (and the sender still has 7), or main's close returned it: a
/// message the channel accepted must be read.
pub fn send_during_close<C: Channel>() {
    let channel = Arc::new(C::new());
    let sender = {
        let channel = Arc::clone(&channel);
        thread::spawn(move || channel.send(7))
    };
    let last = channel.close();
    let sent = sender.join().unwrap();
    harness::outcome(format!("send returned {sent:?}, the close read {last:?}"));
    harness::require!(
        sent.is_err() || last == [7],
        "the channel accepted 7 (send returned Ok), but the close read {last:?}: 7 is lost"
    );
}
// ANCHOR_END: model
