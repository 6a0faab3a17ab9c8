//! Level 10: dining philosophers, with a waiter.
//!
//! Three philosophers sit at a round table with a fork between each two.
//! To eat, a philosopher takes the fork on the left, then the one on the
//! right. If all three take their left fork at once, each waits forever
//! for the right one: a deadlock. The classic cure is a waiter who lets
//! only so many sit down at once. This waiter counts the chairs.

use crate::sync::{Arc, Condvar, Mutex, Named, thread};

/// How many philosophers, and forks.
pub const SEATS: usize = 3;

/// Who may sit down to eat, for the level's model.
pub trait Waiter: Send + Sync + 'static {
    /// A waiter at an empty table.
    fn new() -> Self;
    /// Waits for permission to sit down.
    fn sit(&self);
    /// Stands up again.
    fn stand(&self);
}

/// A waiter that lets `limit` philosophers sit at once: a counting
/// semaphore, as in level 8 (with its fix).
pub struct Admits {
    seated: Mutex<usize>,
    chair_free: Condvar,
    limit: usize,
}

impl Admits {
    fn with_limit(limit: usize) -> Self {
        Self {
            seated: Mutex::new(0).named("seated"),
            chair_free: Condvar::new().named("chair_free"),
            limit,
        }
    }

    fn sit(&self) {
        let mut seated = self.seated.lock().unwrap();
        while *seated == self.limit {
            seated = self.chair_free.wait(seated).unwrap();
        }
        *seated += 1;
    }

    fn stand(&self) {
        *self.seated.lock().unwrap() -= 1;
        self.chair_free.notify_one();
    }
}

/// The puzzle: the waiter lets everyone sit who has a chair.
// ANCHOR: racy
pub struct OnePerChair(Admits);

impl Waiter for OnePerChair {
    fn new() -> Self {
        Self(Admits::with_limit(SEATS)) // three chairs, three philosophers
    }
    fn sit(&self) {
        self.0.sit();
    }
    fn stand(&self) {
        self.0.stand();
    }
}
// ANCHOR_END: racy

// ANCHOR: fixed
/// The fix: one fewer at the table than there are forks. Then at most two
/// philosophers hold a left fork, and the third fork is the right fork of
/// one of them, who can eat and put both down.
pub struct OneFewer(Admits);

impl Waiter for OneFewer {
    fn new() -> Self {
        Self(Admits::with_limit(SEATS - 1))
    }
    fn sit(&self) {
        self.0.sit();
    }
    fn stand(&self) {
        self.0.stand();
    }
}
// ANCHOR_END: fixed
// ANCHOR: bound
/// Bound: three philosophers. With two, the fixed waiter would seat one at
/// a time, which proves little; three is the smallest table where it
/// still seats several at once. The deadlock needs at least two preemptions
/// (two philosophers stopped between their forks; the third then blocks
/// by itself); preemption bound 3 allows one more, and the fix is checked
/// within the same bound.
// ANCHOR_END: bound
// ANCHOR: model
/// Three philosophers (main and two spawned threads) each eat once: ask
/// the waiter, take the left fork, then the right, eat, put both down,
/// stand up. All three must eat.
pub fn three_philosophers<W: Waiter>() {
    let waiter = Arc::new(W::new());
    let forks: Arc<Vec<Mutex<()>>> = Arc::new(
        (0..SEATS)
            .map(|n| Mutex::new(()).named(&format!("fork {n}")))
            .collect(),
    );
    let guests: Vec<_> = (1..SEATS)
        .map(|seat| {
            let (waiter, forks) = (Arc::clone(&waiter), Arc::clone(&forks));
            thread::spawn(move || dine(&*waiter, &forks, seat))
        })
        .collect();
    dine(&*waiter, &forks, 0);
    for guest in guests {
        guest.join().unwrap();
    }
    harness::outcome("all three ate");
}

/// Philosopher `seat` eats once: fork `seat` on the left, `seat + 1` on
/// the right.
fn dine<W: Waiter>(waiter: &W, forks: &[Mutex<()>], seat: usize) {
    waiter.sit();
    let left = forks[seat].lock().unwrap();
    let right = forks[(seat + 1) % SEATS].lock().unwrap(); // all holding a left fork: deadlock
    drop((left, right)); // eaten
    waiter.stand();
}
// ANCHOR_END: model
