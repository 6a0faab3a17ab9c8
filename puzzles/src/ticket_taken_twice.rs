//! Level 5: a ticket lock whose ticket machine hands out one ticket twice.
//!
//! A ticket lock serves threads in the order they arrive, like a bakery:
//! take the next ticket, wait until the display shows it, and on leaving
//! advance the display. Here taking a ticket is a read of `next_ticket`
//! and then a write of one more: two threads can read the same number.

use crate::sync::atomic::{
    AtomicUsize,
    Ordering::{AcqRel, Acquire, Release},
};
use crate::sync::{Arc, Named, thread};

/// A lock for the level's model: `lock` returns the ticket taken.
pub trait TicketLock: Send + Sync + 'static {
    /// An unlocked lock: ticket 0 is served first.
    fn new() -> Self;
    /// Takes a ticket and waits for it to be served; returns it.
    fn lock(&self) -> usize;
    /// Serves the next ticket.
    fn unlock(&self);
}

/// The puzzle: every operation is atomic, and still two threads can hold
/// the same ticket.
// ANCHOR: racy
pub struct ReadThenWrite {
    next_ticket: AtomicUsize,
    now_serving: AtomicUsize,
}

impl TicketLock for ReadThenWrite {
    fn new() -> Self {
        Self {
            next_ticket: AtomicUsize::new(0).named("next_ticket"),
            now_serving: AtomicUsize::new(0).named("now_serving"),
        }
    }

    fn lock(&self) -> usize {
        let ticket = self.next_ticket.load(Acquire); // read the machine...
        self.next_ticket.store(ticket + 1, Release); // ...then advance it
        // Until the display reaches my ticket. (`<`, not `!=`: a number
        // that has gone by must not be waited for forever, which loom
        // would report as a run past its limits.)
        while self.now_serving.load(Acquire) < ticket {
            thread::yield_now(); // not my turn yet
        }
        ticket
    }

    fn unlock(&self) {
        self.now_serving.fetch_add(1, Release);
    }
}
// ANCHOR_END: racy

// ANCHOR: fixed
/// The fix: take the ticket with one `fetch_add`, a read and a write no
/// other thread can come between.
pub struct FetchAdd {
    next_ticket: AtomicUsize,
    now_serving: AtomicUsize,
}

impl TicketLock for FetchAdd {
    fn new() -> Self {
        Self {
            next_ticket: AtomicUsize::new(0).named("next_ticket"),
            now_serving: AtomicUsize::new(0).named("now_serving"),
        }
    }

    fn lock(&self) -> usize {
        let ticket = self.next_ticket.fetch_add(1, AcqRel);
        while self.now_serving.load(Acquire) < ticket {
            thread::yield_now();
        }
        ticket
    }

    fn unlock(&self) {
        self.now_serving.fetch_add(1, Release);
    }
}
// ANCHOR_END: fixed

// ANCHOR: wrong_fix
/// A wrong fix: check that the store "took" by reading the machine again.
/// Both threads can still read the same ticket, and each then sees its own
/// store, so each believes its ticket is its own.
pub struct CheckAfterStore {
    next_ticket: AtomicUsize,
    now_serving: AtomicUsize,
}

impl TicketLock for CheckAfterStore {
    fn new() -> Self {
        Self {
            next_ticket: AtomicUsize::new(0).named("next_ticket"),
            now_serving: AtomicUsize::new(0).named("now_serving"),
        }
    }

    fn lock(&self) -> usize {
        let ticket = loop {
            let ticket = self.next_ticket.load(Acquire);
            self.next_ticket.store(ticket + 1, Release);
            if self.next_ticket.load(Acquire) == ticket + 1 {
                break ticket; // "no one else moved it": not a proof
            }
        };
        while self.now_serving.load(Acquire) < ticket {
            thread::yield_now();
        }
        ticket
    }

    fn unlock(&self) {
        self.now_serving.fetch_add(1, Release);
    }
}
// ANCHOR_END: wrong_fix
// ANCHOR: bound
/// Bound: two threads taking one lock once each is the smallest program
/// where two can meet inside; a third thread could only meet them the
/// same way (the race is between one thread's read and its write).
// ANCHOR_END: bound
// ANCHOR: model
/// Main and one spawned thread each take the lock once; inside, each
/// counts itself in and out. The lock must never hold two threads.
pub fn two_customers<L: TicketLock>() {
    let lock = Arc::new(L::new());
    let inside = Arc::new(AtomicUsize::new(0).named("inside"));
    let customer = {
        let (lock, inside) = (Arc::clone(&lock), Arc::clone(&inside));
        thread::spawn(move || enter(&*lock, &inside))
    };
    let mine = enter(&*lock, &inside);
    let theirs = customer.join().unwrap();
    harness::outcome(format!("tickets {mine} and {theirs}"));
}

/// Takes the lock, checks it is alone inside, leaves: returns its ticket.
fn enter<L: TicketLock>(lock: &L, inside: &AtomicUsize) -> usize {
    let ticket = lock.lock();
    let others = inside.fetch_add(1, AcqRel); // in...
    harness::require!(
        others == 0,
        "two threads inside the lock at once: both hold ticket {ticket}"
    );
    inside.fetch_sub(1, AcqRel); // ...and out
    lock.unlock();
    ticket
}
// ANCHOR_END: model

/// A second model, for the tests: one customer alone takes the lock
/// twice, and gets tickets 0 and then 1. (With two customers, a lock that
/// lets in the later ticket first passes the level's model; alone, the
/// first customer waits forever.)
pub fn one_customer<L: TicketLock>() {
    let lock = L::new();
    for expected in 0..2 {
        let ticket = lock.lock();
        harness::require!(ticket == expected, "ticket {ticket}, not {expected}");
        lock.unlock();
    }
}
