//! The loom model: an executor reduced to what a wakeup needs (poll the
//! task; if it is pending, sleep until its waker is called; poll again),
//! on loom's main thread, and the event's source on another loom thread.
//!
//! Each function here is a loom model: a test hands it to `harness::Check`,
//! which runs it under `loom::model::Builder`, once per class of equivalent
//! interleavings within the check's bound, recording what each thread did.

use super::handshake::{Doorbell, Handshake};
use super::sync::{Arc, Condvar, Mutex, Named, named_with_prefix, thread};
use crate::{Event, OneShot};
use std::task::{Context, Poll, Wake, Waker};

/// What calling the model's waker does: marks the task woken, and wakes
/// the executor if it sleeps.
struct Wakeup {
    woken: Mutex<bool>,
    executor: Condvar,
}

impl Wake for Wakeup {
    fn wake(self: std::sync::Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &std::sync::Arc<Self>) {
        *self.woken.lock().unwrap() = true;
        self.executor.notify_one();
    }
}

// ANCHOR: executor_model
/// Polls a task until it is ready, sleeping between polls until its waker
/// is called: the part of `EventLoop::run` a wakeup goes through.
pub fn run_until_ready<T>(mut poll: impl FnMut(&mut Context<'_>) -> Poll<T>) -> T {
    let wakeup = std::sync::Arc::new(Wakeup {
        woken: Mutex::new(false).named("woken"),
        executor: Condvar::new().named("woken"),
    });
    let waker = Waker::from(std::sync::Arc::clone(&wakeup));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(value) = poll(&mut cx) {
            return value;
        }
        let mut woken = wakeup.woken.lock().unwrap();
        while !*woken {
            woken = wakeup.executor.wait(woken).unwrap(); // asleep
        }
        *woken = false;
    }
}
// ANCHOR_END: executor_model

// ANCHOR: event_model
/// A task waits for an event that another thread sets: the task must
/// finish, whenever the event happens.
pub fn wait_for_an_event<E: Event>() {
    thread::name_current("executor");
    let event = Arc::new(E::new());
    let source = {
        let event = Arc::clone(&event);
        thread::spawn(move || {
            thread::name_current("event source");
            event.set();
        })
    };
    run_until_ready(|cx| event.poll_wait(cx));
    source.join().unwrap();
}
// ANCHOR_END: event_model

// ANCHOR: channel_model
/// A task waits for a value another thread sends: it must get it.
pub fn receive_a_value<C: OneShot>() {
    thread::name_current("executor");
    let channel = Arc::new(C::new());
    let sender = {
        let channel = Arc::clone(&channel);
        thread::spawn(move || {
            thread::name_current("sender");
            channel.send(42);
        })
    };
    let value = run_until_ready(|cx| channel.poll_recv(cx));
    assert!(value == 42, "received {value}, not the 42 sent");
    sender.join().unwrap();
}
// ANCHOR_END: channel_model

// ANCHOR: two_events_model
/// A task waits for two events, each set by a thread of its own: a join,
/// polled until both have happened. A wakeup lost on one event hangs the
/// task only if no later wakeup has it polled again.
pub fn wait_for_two_events<E: Event>() {
    thread::name_current("executor");
    let events = Arc::new((
        named_with_prefix("A", E::new),
        named_with_prefix("B", E::new),
    ));
    let source = |name: &'static str, which: fn(&(E, E)) -> &E| {
        let events = Arc::clone(&events);
        thread::spawn(move || {
            thread::name_current(name);
            which(&events).set();
        })
    };
    let sources = [source("source A", |e| &e.0), source("source B", |e| &e.1)];
    let (mut a_happened, mut b_happened) = (false, false);
    run_until_ready(|cx| {
        // Like `join`: a branch that is ready is not polled again.
        a_happened = a_happened || events.0.poll_wait(cx).is_ready();
        b_happened = b_happened || events.1.poll_wait(cx).is_ready();
        if a_happened && b_happened {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    });
    // The join finished once both had happened: polled again, each is ready.
    let mut after = Context::from_waker(Waker::noop());
    assert!(
        events.0.poll_wait(&mut after).is_ready(),
        "finished before A"
    );
    assert!(
        events.1.poll_wait(&mut after).is_ready(),
        "finished before B"
    );
    for source in sources {
        source.join().unwrap();
    }
}
// ANCHOR_END: two_events_model

/// Polls once with a waker of its own, as an executor that then handed
/// the task on (or a `select!` that polled it and moved on) would: the
/// first of two wakers a task can be polled with. Returns the value if
/// that poll was ready.
fn poll_with_an_old_waker<T>(poll: &mut impl FnMut(&mut Context<'_>) -> Poll<T>) -> Option<T> {
    let old = std::sync::Arc::new(Wakeup {
        woken: Mutex::new(false).named("old waker woken"),
        executor: Condvar::new().named("old waker woken"),
    });
    let waker = Waker::from(old);
    match poll(&mut Context::from_waker(&waker)) {
        Poll::Ready(value) => Some(value),
        Poll::Pending => None,
    }
}

// ANCHOR: new_waker_model
/// As [`wait_for_an_event`], but the task is first polled with one waker,
/// then waited for with another: when the event happens it must wake the
/// waker of the latest poll. (With one waker for every poll, an event
/// that keeps the first waker it was given, and ignores later ones,
/// passes.)
pub fn wait_with_a_new_waker<E: Event>() {
    thread::name_current("executor");
    let event = Arc::new(E::new());
    let source = {
        let event = Arc::clone(&event);
        thread::spawn(move || {
            thread::name_current("event source");
            event.set();
        })
    };
    let mut poll = |cx: &mut Context<'_>| event.poll_wait(cx);
    if poll_with_an_old_waker(&mut poll).is_none() {
        run_until_ready(poll);
    }
    source.join().unwrap();
}
// ANCHOR_END: new_waker_model

/// As [`receive_a_value`], but the task is first polled with one waker,
/// then waited for with another: `send` must wake the latest.
pub fn receive_with_a_new_waker<C: OneShot>() {
    thread::name_current("executor");
    let channel = Arc::new(C::new());
    let sender = {
        let channel = Arc::clone(&channel);
        thread::spawn(move || {
            thread::name_current("sender");
            channel.send(42);
        })
    };
    let mut poll = |cx: &mut Context<'_>| channel.poll_recv(cx);
    let value = match poll_with_an_old_waker(&mut poll) {
        Some(value) => value,
        None => run_until_ready(poll),
    };
    assert!(value == 42, "received {value}, not the 42 sent");
    sender.join().unwrap();
}

// ANCHOR: handshake_model
/// The loop's doorbell under loom, which has no pipes: a condvar, and a
/// flag that keeps a ring until the loop sleeps (as a byte waits in the pipe).
pub struct CondvarDoorbell {
    rung: Mutex<bool>,
    bell: Condvar,
}

impl CondvarDoorbell {
    /// Not rung.
    pub fn new() -> Self {
        Self {
            rung: Mutex::new(false).named("doorbell"),
            bell: Condvar::new().named("doorbell"),
        }
    }
}

impl Default for CondvarDoorbell {
    fn default() -> Self {
        Self::new()
    }
}

impl Doorbell for CondvarDoorbell {
    fn ring(&self) {
        *self.rung.lock().unwrap() = true;
        self.bell.notify_one();
    }

    fn sleep(&self, _until: Option<std::time::Instant>) {
        let mut rung = self.rung.lock().unwrap();
        while !*rung {
            rung = self.bell.wait(rung).unwrap(); // asleep
        }
        *rung = false;
    }
}

/// The loop has one task, pending; a waker on another thread makes it
/// ready once. The loop must run it and finish: if it sleeps with the task
/// in the queue and no ring coming, no thread can go on (a deadlock).
pub fn one_wake_from_another_thread<H: Handshake + 'static>() {
    thread::name_current("loop");
    let shared = Arc::new((
        H::new(),
        CondvarDoorbell::new(),
        Mutex::new(0u32).named("ready tasks"),
    ));
    let waker = {
        let shared = Arc::clone(&shared);
        thread::spawn(move || {
            thread::name_current("waker");
            shared.0.wake(&shared.1, || *shared.2.lock().unwrap() += 1);
        })
    };
    loop {
        // Run what is ready: here, the one task, which then finishes.
        let ready = std::mem::take(&mut *shared.2.lock().unwrap());
        if ready > 0 {
            break;
        }
        shared
            .0
            .sleep_unless(&shared.1, || *shared.2.lock().unwrap() > 0, None);
    }
    waker.join().unwrap();
}
// ANCHOR_END: handshake_model
