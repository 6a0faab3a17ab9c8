//! Level 9: two polite threads.
//!
//! Each thread raises its hand to enter a critical section, and if the
//! other's hand is up too, politely lowers its own and tries again. No
//! lock is ever held while waiting, so there can be no deadlock. But two
//! threads that keep stepping aside for each other, in step, never get in:
//! a livelock. Each thread here tries a bounded number of times, so that a
//! livelock ends in a failed assertion instead of running forever.

use crate::sync::atomic::{AtomicUsize, Ordering::AcqRel};
use crate::sync::{Arc, Mutex, Named, thread};

/// How many times a thread raises its hand before it gives up.
pub const TRIES: usize = 2;

/// A way for thread 0 and thread 1 to take turns, for the level's model.
pub trait Protocol: Send + Sync + 'static {
    /// Both hands down.
    fn new() -> Self;
    /// Thread `me` (0 or 1) tries to enter: true if it got in.
    fn enter(&self, me: usize) -> bool;
    /// Thread `me` leaves.
    fn leave(&self, me: usize);
}

/// The puzzle: both threads are polite. (The hands are behind a mutex so
/// that each raise and each look is one indivisible step; the mutex is
/// never held while a thread waits.)
// ANCHOR: racy
pub struct BothPolite {
    hands: Mutex<[bool; 2]>, // one indivisible raise or look; never held while waiting
}

impl Protocol for BothPolite {
    fn new() -> Self {
        Self {
            hands: Mutex::new([false; 2]).named("hands"),
        }
    }

    fn enter(&self, me: usize) -> bool {
        for _ in 0..TRIES {
            self.hands.lock().unwrap()[me] = true; // raise my hand
            if !self.hands.lock().unwrap()[1 - me] {
                return true; // the other's is down: go in
            }
            self.hands.lock().unwrap()[me] = false; // "after you"
            thread::yield_now();
        }
        false // gave up
    }

    fn leave(&self, me: usize) {
        self.hands.lock().unwrap()[me] = false;
    }
}
// ANCHOR_END: racy

// ANCHOR: fixed
/// The fix: break the symmetry. Thread 0 never steps aside: it waits for
/// thread 1's hand to go down. Thread 1 steps aside, and waits for thread
/// 0's hand to go down before it tries again, so its second try comes
/// after thread 0 has left. (Real locks break it with a queue, or a turn
/// variable as in Peterson's algorithm.)
pub struct OneYields {
    hands: Mutex<[bool; 2]>,
}

impl Protocol for OneYields {
    fn new() -> Self {
        Self {
            hands: Mutex::new([false; 2]).named("hands"),
        }
    }

    fn enter(&self, me: usize) -> bool {
        for _ in 0..TRIES {
            self.hands.lock().unwrap()[me] = true;
            if !self.hands.lock().unwrap()[1 - me] {
                return true;
            }
            if me == 0 {
                // Thread 0 keeps its hand up until thread 1 steps aside.
                while self.hands.lock().unwrap()[1] {
                    thread::yield_now();
                }
                return true;
            }
            self.hands.lock().unwrap()[me] = false;
            while self.hands.lock().unwrap()[0] {
                thread::yield_now(); // until thread 0 has left
            }
        }
        false
    }

    fn leave(&self, me: usize) {
        self.hands.lock().unwrap()[me] = false;
    }
}
// ANCHOR_END: fixed
// ANCHOR: bound
/// Bound: [`TRIES`] = 2 tries each. One try cannot tell a livelock from a
/// thread that met the other once; two show the pattern repeating, and
/// loom explores every interleaving of them.
// ANCHOR_END: bound
// ANCHOR: model
/// Main is thread 0 and a spawned thread is thread 1; each tries to enter
/// once, counts itself in and out, and leaves. At least one must get in
/// (else the two stepped aside for each other every time: a livelock),
/// and never both at once.
pub fn two_polite_threads<P: Protocol>() {
    let (mine, theirs) = visits::<P>();
    harness::outcome(format!(
        "thread 0 got in: {mine}, thread 1 got in: {theirs}"
    ));
    harness::require!(
        mine || theirs,
        "neither thread got in: each stepped aside {TRIES} times for the other"
    );
}

/// The same two visits; both threads must get in. A stricter check, for
/// the fix: with both threads polite, one can also give up while the
/// other is inside, which is not a livelock but the bound of 2 tries.
pub fn both_get_in<P: Protocol>() {
    let (mine, theirs) = visits::<P>();
    harness::require!(mine && theirs, "a thread gave up after {TRIES} tries");
}

/// Thread 0 (main) and thread 1 each visit once: whether each got in.
fn visits<P: Protocol>() -> (bool, bool) {
    let protocol = Arc::new(P::new());
    let inside = Arc::new(AtomicUsize::new(0).named("inside"));
    let other = {
        let (protocol, inside) = (Arc::clone(&protocol), Arc::clone(&inside));
        thread::spawn(move || visit(&*protocol, &inside, 1))
    };
    let mine = visit(&*protocol, &inside, 0);
    (mine, other.join().unwrap())
}

/// Thread `me` enters (if it can), checks it is alone, and leaves.
fn visit<P: Protocol>(protocol: &P, inside: &AtomicUsize, me: usize) -> bool {
    if !protocol.enter(me) {
        return false;
    }
    let others = inside.fetch_add(1, AcqRel);
    harness::require!(others == 0, "both threads inside at once");
    inside.fetch_sub(1, AcqRel);
    protocol.leave(me);
    true
}
// ANCHOR_END: model
