//! Level 6: a call out while holding a lock.
//!
//! An event bus delivers each message to its subscribers, and a
//! subscriber can leave the bus. Each takes only the lock it needs, one
//! at a time, or so it seems: `publish` holds the bus's list while it
//! delivers, and delivering takes the subscriber's lock; `leave` holds
//! the subscriber's lock while it takes itself off the list. Two locks,
//! taken in opposite orders, as in chapter 2, with one order hidden in a
//! call.

use crate::sync::{Arc, Mutex, Named, thread};

/// A subscriber: the messages it has read, and whether it has left.
pub struct Subscriber {
    inbox: Mutex<(Vec<u32>, bool)>,
}

impl Subscriber {
    fn new() -> Self {
        Self {
            inbox: Mutex::new((Vec::new(), false)).named("inbox"),
        }
    }

    /// Takes `message`, unless it has left.
    fn deliver(&self, message: u32) {
        let mut inbox = self.inbox.lock().unwrap();
        if !inbox.1 {
            inbox.0.push(message);
        }
    }
}

/// In a trace, the list shows each subscriber by this word alone.
impl std::fmt::Debug for Subscriber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("subscriber")
    }
}

/// An event bus for the level's model.
pub trait Bus: Send + Sync + 'static {
    /// A bus with `subscribers` on its list.
    fn with(subscribers: Vec<Arc<Subscriber>>) -> Self;
    /// Delivers `message` to every subscriber on the list.
    fn publish(&self, message: u32);
    /// Takes `subscriber` off the list.
    fn remove(&self, subscriber: &Arc<Subscriber>);
}

/// `subscriber` leaves `bus`: it marks itself gone, under its own lock,
/// and takes itself off the list before it lets go, so that no message
/// can slip in between.
fn leave<B: Bus>(bus: &B, subscriber: &Arc<Subscriber>) {
    let mut inbox = subscriber.inbox.lock().unwrap();
    inbox.1 = true;
    bus.remove(subscriber); // the list's lock, inside the inbox's
}

/// The puzzle: `publish` delivers while it holds the list.
// ANCHOR: racy
pub struct DeliverUnderLock {
    subscribers: Mutex<Vec<Arc<Subscriber>>>,
}

impl Bus for DeliverUnderLock {
    fn with(subscribers: Vec<Arc<Subscriber>>) -> Self {
        Self {
            subscribers: Mutex::new(subscribers).named("subscribers"),
        }
    }

    fn publish(&self, message: u32) {
        let subscribers = self.subscribers.lock().unwrap();
        for subscriber in subscribers.iter() {
            subscriber.deliver(message); // the inbox's lock, inside the list's
        }
    }

    fn remove(&self, subscriber: &Arc<Subscriber>) {
        let mut subscribers = self.subscribers.lock().unwrap();
        subscribers.retain(|s| !Arc::ptr_eq(s, subscriber));
    }
}
// ANCHOR_END: racy

// ANCHOR: fixed
/// The fix: copy the list (cheap: `Arc`s) and let go of it before calling
/// out. No lock is held across a call into code that may take others.
pub struct DeliverAfterCopy {
    subscribers: Mutex<Vec<Arc<Subscriber>>>,
}

impl Bus for DeliverAfterCopy {
    fn with(subscribers: Vec<Arc<Subscriber>>) -> Self {
        Self {
            subscribers: Mutex::new(subscribers).named("subscribers"),
        }
    }

    fn publish(&self, message: u32) {
        let subscribers = self.subscribers.lock().unwrap().clone(); // copied; lock let go
        for subscriber in &subscribers {
            subscriber.deliver(message);
        }
    }

    fn remove(&self, subscriber: &Arc<Subscriber>) {
        let mut subscribers = self.subscribers.lock().unwrap();
        subscribers.retain(|s| !Arc::ptr_eq(s, subscriber));
    }
}
// ANCHOR_END: fixed
// ANCHOR: bound
/// Bound: one message, one subscriber leaving: the smallest program with
/// both lock orders. Loom explores every interleaving.
// ANCHOR_END: bound
// ANCHOR: model
/// Main publishes 1 while a subscriber, on a spawned thread, leaves the
/// bus. Both must finish, and the subscriber has read 1 exactly when it
/// was delivered before it left.
pub fn publish_while_leaving<B: Bus>() {
    let subscriber = Arc::new(Subscriber::new());
    let bus = Arc::new(B::with(vec![Arc::clone(&subscriber)]));
    let leaving = {
        let (bus, subscriber) = (Arc::clone(&bus), Arc::clone(&subscriber));
        thread::spawn(move || leave(&*bus, &subscriber))
    };
    bus.publish(1); // each holding one lock, waiting for the other's: deadlock
    leaving.join().unwrap();
    let read = subscriber.inbox.lock().unwrap().0.clone();
    harness::outcome(format!("the subscriber read {read:?}"));
    assert!(
        read.is_empty() || read == [1],
        "the subscriber read {read:?}"
    );
}
// ANCHOR_END: model

// ANCHOR: wrong_fix
/// A wrong fix: deliver to a copy of the list, as the fix does, but with
/// the list's guard still alive: it lives to the end of `publish`, so
/// the list stays locked across every call out.
pub struct CopyUnderTheGuard {
    subscribers: Mutex<Vec<Arc<Subscriber>>>,
}

impl Bus for CopyUnderTheGuard {
    fn with(subscribers: Vec<Arc<Subscriber>>) -> Self {
        Self {
            subscribers: Mutex::new(subscribers).named("subscribers"),
        }
    }

    fn publish(&self, message: u32) {
        let subscribers = self.subscribers.lock().unwrap();
        let copy = subscribers.clone(); // copied; but `subscribers` still holds the lock
        for subscriber in &copy {
            subscriber.deliver(message);
        }
    }

    fn remove(&self, subscriber: &Arc<Subscriber>) {
        let mut subscribers = self.subscribers.lock().unwrap();
        subscribers.retain(|s| !Arc::ptr_eq(s, subscriber));
    }
}
// ANCHOR_END: wrong_fix

/// A second model, for the tests: one subscriber stays while another
/// leaves, and main publishes 1. The one that stays must read it. (With
/// one subscriber, leaving, the level's model accepts a bus that delivers
/// nothing: whether the leaver reads 1 depends on the order.)
pub fn one_stays_one_leaves<B: Bus>() {
    let staying = Arc::new(Subscriber::new());
    let leaving = Arc::new(Subscriber::new());
    let bus = Arc::new(B::with(vec![Arc::clone(&staying), Arc::clone(&leaving)]));
    let leaver = {
        let (bus, leaving) = (Arc::clone(&bus), Arc::clone(&leaving));
        thread::spawn(move || leave(&*bus, &leaving))
    };
    bus.publish(1);
    leaver.join().unwrap();
    let read = staying.inbox.lock().unwrap().0.clone();
    harness::require!(read == [1], "the subscriber that stayed read {read:?}");
}
