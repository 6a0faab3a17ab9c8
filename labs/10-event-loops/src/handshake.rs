//! The executor's sleep/wake handshake: the loop goes to sleep when no task
//! is ready, and a waker on any thread puts a task in the ready queue and
//! wakes the loop. `executor.rs` runs [`AnnounceThenCheck`] (with a pipe as
//! its doorbell); the tests run all three versions under loom, with the
//! waker on another loom thread (with a condvar as the doorbell).
//!
//! Two orders matter, one on each side:
//! - the loop must say it is going to sleep *before* its last look at the
//!   ready queue ([`CheckThenAnnounce`] looks first: a wake in between
//!   finds the loop not yet asleep, rings nothing, and the loop sleeps with
//!   a task ready);
//! - a waker must push its task *before* it rings ([`PokeThenPush`] rings
//!   first: the loop wakes, finds nothing, and goes back to sleep just
//!   before the task arrives).

use super::sync::Named;
use super::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// What wakes a sleeping loop: a byte in a pipe (`executor.rs`), a condvar
/// under loom. A ring that comes before the sleep is kept: the sleep then
/// returns at once.
pub trait Doorbell: Send + Sync {
    /// Wakes the loop, now or at its next sleep.
    fn ring(&self);
    /// Sleeps until rung, or until `until` if it is set.
    fn sleep(&self, until: Option<Instant>);
}

/// One way to do the handshake; `new` is a loop that is awake.
pub trait Handshake: Send + Sync {
    /// Awake.
    fn new() -> Self;
    /// The loop found no task ready: it sleeps, unless `has_work` says a
    /// task arrived meanwhile.
    fn sleep_unless(
        &self,
        doorbell: &impl Doorbell,
        has_work: impl Fn() -> bool,
        until: Option<Instant>,
    );
    /// A waker, on any thread: `push` puts its task in the ready queue, and
    /// the loop is woken if it sleeps.
    fn wake(&self, doorbell: &impl Doorbell, push: impl FnOnce());
}

// ANCHOR: announce_then_check
/// Right: the loop says it will sleep, then looks once more; a waker
/// pushes, then rings if the loop said so.
pub struct AnnounceThenCheck {
    sleeping: AtomicBool,
}

impl Handshake for AnnounceThenCheck {
    fn new() -> Self {
        Self {
            sleeping: AtomicBool::new(false).named("sleeping"),
        }
    }

    fn sleep_unless(
        &self,
        doorbell: &impl Doorbell,
        has_work: impl Fn() -> bool,
        until: Option<Instant>,
    ) {
        self.sleeping.store(true, Ordering::SeqCst); // from here a waker rings...
        if has_work() {
            // ...and a task pushed before that is seen here.
            self.sleeping.store(false, Ordering::SeqCst);
            return;
        }
        doorbell.sleep(until);
        self.sleeping.store(false, Ordering::SeqCst);
    }

    fn wake(&self, doorbell: &impl Doorbell, push: impl FnOnce()) {
        push(); // the task first...
        if self.sleeping.swap(false, Ordering::SeqCst) {
            doorbell.ring(); // ...then the loop, if it sleeps or is about to
        }
    }
}
// ANCHOR_END: announce_then_check

// ANCHOR: check_then_announce
/// Wrong on the loop's side: it looks at the queue, then says it will
/// sleep. Its waker is [`AnnounceThenCheck`]'s.
pub struct CheckThenAnnounce {
    right: AnnounceThenCheck,
}

impl Handshake for CheckThenAnnounce {
    fn new() -> Self {
        Self {
            right: AnnounceThenCheck::new(),
        }
    }

    fn sleep_unless(
        &self,
        doorbell: &impl Doorbell,
        has_work: impl Fn() -> bool,
        until: Option<Instant>,
    ) {
        if has_work() {
            return;
        }
        // A waker can push and look at `sleeping` right here: it is still
        // false, so it rings nothing...
        self.right.sleeping.store(true, Ordering::SeqCst);
        doorbell.sleep(until); // ...and the loop sleeps with a task ready.
        self.right.sleeping.store(false, Ordering::SeqCst);
    }

    fn wake(&self, doorbell: &impl Doorbell, push: impl FnOnce()) {
        self.right.wake(doorbell, push);
    }
}
// ANCHOR_END: check_then_announce

// ANCHOR: poke_then_push
/// Wrong on the waker's side: it rings, then pushes. Its loop is
/// [`AnnounceThenCheck`]'s.
pub struct PokeThenPush {
    right: AnnounceThenCheck,
}

impl Handshake for PokeThenPush {
    fn new() -> Self {
        Self {
            right: AnnounceThenCheck::new(),
        }
    }

    fn sleep_unless(
        &self,
        doorbell: &impl Doorbell,
        has_work: impl Fn() -> bool,
        until: Option<Instant>,
    ) {
        self.right.sleep_unless(doorbell, has_work, until);
    }

    fn wake(&self, doorbell: &impl Doorbell, push: impl FnOnce()) {
        if self.right.sleeping.swap(false, Ordering::SeqCst) {
            doorbell.ring(); // the loop wakes, finds no task, sleeps again...
        }
        push(); // ...and this task waits in the queue with no one to ring.
    }
}
// ANCHOR_END: poke_then_push
