//! Level 7: the sleeping barber.
//!
//! A barber serves the customers in the waiting room; with none, he naps
//! in his chair, and a customer who finds him asleep wakes him. Here the
//! barber looks at the waiting room and then, in a second critical
//! section, lies down. Customers who come in between find him awake, so
//! they wait without waking him, and he falls asleep with a full room.

use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::{Arc, Condvar, Mutex, Named, thread};

/// How many customers come; the barber serves them all, then closes.
pub const CUSTOMERS: usize = 2;

/// The shop's state.
#[derive(Default)]
pub struct Room {
    /// Customers in the waiting room.
    waiting: usize,
    /// Whether the barber is asleep in his chair.
    asleep: bool,
}

/// Short, for a trace's narrow columns: `1 waiting, asleep`.
impl std::fmt::Debug for Room {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let barber = if self.asleep { "asleep" } else { "awake" };
        write!(f, "{} waiting, {barber}", self.waiting)
    }
}

/// A barbershop for the level's model.
pub trait Shop: Send + Sync + 'static {
    /// An empty shop, the barber awake.
    fn new() -> Self;
    /// The barber: waits for a customer (asleep if none), and takes one.
    fn next_customer(&self);
    /// A customer comes in, and wakes the barber if he is asleep.
    fn arrive(&self);
}

/// The puzzle: the barber looks, then lies down, in two critical sections.
// ANCHOR: racy
pub struct LookThenSleep {
    room: Mutex<Room>,
    wake: Condvar,
}

impl Shop for LookThenSleep {
    fn new() -> Self {
        Self {
            room: Mutex::new(Room::default()).named("room"),
            wake: Condvar::new().named("wake"),
        }
    }

    fn next_customer(&self) {
        let empty = self.room.lock().unwrap().waiting == 0; // look...
        if empty {
            let mut room = self.room.lock().unwrap(); // ...then lie down
            room.asleep = true;
            while room.asleep {
                room = self.wake.wait(room).unwrap();
            }
        }
        self.room.lock().unwrap().waiting -= 1; // "come in, sit down"
    }

    fn arrive(&self) {
        let mut room = self.room.lock().unwrap();
        room.waiting += 1;
        if room.asleep {
            room.asleep = false;
            self.wake.notify_one();
        }
    }
}
// ANCHOR_END: racy

// ANCHOR: fixed
/// The fix: look and lie down in one critical section, and look again on
/// waking. A customer then comes in either before the look (and is seen)
/// or once the barber is asleep (and wakes him).
pub struct LookWhileLocked {
    room: Mutex<Room>,
    wake: Condvar,
}

impl Shop for LookWhileLocked {
    fn new() -> Self {
        Self {
            room: Mutex::new(Room::default()).named("room"),
            wake: Condvar::new().named("wake"),
        }
    }

    fn next_customer(&self) {
        let mut room = self.room.lock().unwrap();
        while room.waiting == 0 {
            room.asleep = true;
            room = self.wake.wait(room).unwrap();
        }
        room.waiting -= 1;
    }

    fn arrive(&self) {
        let mut room = self.room.lock().unwrap();
        room.waiting += 1;
        if room.asleep {
            room.asleep = false;
            self.wake.notify_one();
        }
    }
}
// ANCHOR_END: fixed
// ANCHOR: bound
/// Bound: two customers. With one, the race is the lost wakeup of
/// chapter 3; with two, both can slip in between the barber's look and
/// his nap, or one before and one after. Loom explores every
/// interleaving. (The barber is spawned last so that loom, which first
/// runs the threads in the order they were spawned, meets the lost
/// wakeup only after the barber has served a customer.)
// ANCHOR_END: bound
// ANCHOR: model
/// [`CUSTOMERS`] customers, each a spawned thread that comes in once,
/// and the barber, a thread spawned after them, who serves them all;
/// main opens the shop and waits for everyone. The barber must serve
/// them all.
pub fn barber_and_customers<S: Shop>() {
    let shop = Arc::new(S::new());
    let customers: Vec<_> = (0..CUSTOMERS)
        .map(|_| {
            let shop = Arc::clone(&shop);
            thread::spawn(move || shop.arrive())
        })
        .collect();
    let barber = thread::spawn(move || {
        for _ in 0..CUSTOMERS {
            shop.next_customer(); // asleep beside a full waiting room: deadlock
        }
    });
    barber.join().unwrap();
    for customer in customers {
        customer.join().unwrap();
    }
    harness::outcome(format!(
        "the barber served each of the {CUSTOMERS} customers"
    ));
}
// ANCHOR_END: model

/// A second model, for the tests: the barber serves no one who has not
/// come in. He tries to serve two while main lets one customer in, reads
/// how many he has served, and only then lets in the second. (The level's
/// model checks that everyone is served, not that no one is served twice
/// or out of thin air: a `next_customer` that returns at once passes it.)
pub fn served_only_who_came_in<S: Shop>() {
    let shop = Arc::new(S::new());
    let served = Arc::new(AtomicUsize::new(0).named("served"));
    let barber = {
        let (shop, served) = (Arc::clone(&shop), Arc::clone(&served));
        thread::spawn(move || {
            for n in 1..=2 {
                shop.next_customer();
                served.store(n, Ordering::SeqCst);
            }
        })
    };
    shop.arrive();
    let early = served.load(Ordering::SeqCst);
    harness::require!(early <= 1, "the barber served {early} with one customer in");
    shop.arrive();
    barber.join().unwrap();
}
