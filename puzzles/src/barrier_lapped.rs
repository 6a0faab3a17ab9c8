//! Level 13: a reusable barrier that a fast thread laps.
//!
//! A barrier holds each thread until all have arrived, then lets them all
//! go, round after round. This one counts arrivals and waits for the count
//! to be reset to zero. But a thread let go can run straight to the next
//! round and arrive again before a slower thread has woken to look at the
//! count: the count is 1 again, and the slow thread sleeps on.

use crate::sync::{Arc, Condvar, Mutex, Named, thread};

/// A barrier for `parties` threads, for the level's model.
pub trait Barrier: Send + Sync + 'static {
    /// A barrier that lets threads go in groups of `parties`.
    fn new(parties: usize) -> Self;
    /// Waits until `parties` threads have called `wait` in this round.
    fn wait(&self);
}

/// The puzzle: the last to arrive resets the count to zero; the others
/// wait for the count to be zero.
// ANCHOR: racy
pub struct CountOnly {
    arrived: Mutex<usize>,
    all_here: Condvar,
    parties: usize,
}

impl Barrier for CountOnly {
    fn new(parties: usize) -> Self {
        Self {
            arrived: Mutex::new(0).named("arrived"),
            all_here: Condvar::new().named("all_here"),
            parties,
        }
    }

    fn wait(&self) {
        let mut arrived = self.arrived.lock().unwrap();
        *arrived += 1;
        if *arrived == self.parties {
            *arrived = 0; // a new round
            self.all_here.notify_all();
            drop(arrived);
            thread::yield_now(); // "let the others leave before I run on"
        } else {
            while *arrived != 0 {
                arrived = self.all_here.wait(arrived).unwrap(); // "until the reset"
            }
        }
    }
}
// ANCHOR_END: racy

// ANCHOR: fixed
/// The fix: number the rounds. A waiting thread waits for its round to
/// end, which a thread arriving in the next round cannot undo.
pub struct Generations {
    state: Mutex<Round>,
    all_here: Condvar,
    parties: usize,
}

/// How many threads have arrived in this round, and its number.
#[derive(Debug)]
struct Round {
    arrived: usize,
    generation: u64,
}

impl Barrier for Generations {
    fn new(parties: usize) -> Self {
        Self {
            state: Mutex::new(Round {
                arrived: 0,
                generation: 0,
            })
            .named("state"),
            all_here: Condvar::new().named("all_here"),
            parties,
        }
    }

    fn wait(&self) {
        let mut state = self.state.lock().unwrap();
        let mine = state.generation;
        state.arrived += 1;
        if state.arrived == self.parties {
            state.arrived = 0;
            state.generation += 1; // my round is over, whatever comes next
            self.all_here.notify_all();
        } else {
            while state.generation == mine {
                state = self.all_here.wait(state).unwrap();
            }
        }
    }
}
// ANCHOR_END: fixed
// ANCHOR: bound
/// Bound: lapping needs a second round (to arrive in again) and only two
/// threads (one fast, one slow); loom explores every interleaving of them.
// ANCHOR_END: bound
// ANCHOR: model
/// Two threads go through the barrier twice, each writing down the round
/// it is in before each wait. Both must finish both rounds, and neither
/// may leave a round before the other has arrived in it.
pub fn two_rounds<B: Barrier>() {
    let barrier = Arc::new(B::new(2));
    let rounds = Arc::new(Mutex::new([0u32; 2]).named("rounds"));
    let other = {
        let (barrier, rounds) = (Arc::clone(&barrier), Arc::clone(&rounds));
        thread::spawn(move || run_rounds(&*barrier, &rounds, 1))
    };
    run_rounds(&*barrier, &rounds, 0);
    other.join().unwrap(); // the slow thread asleep for good: deadlock
    harness::outcome("both threads finished both rounds");
}

/// Two rounds for thread `me`: arrive, wait, check the other arrived too.
fn run_rounds<B: Barrier>(barrier: &B, rounds: &Mutex<[u32; 2]>, me: usize) {
    for round in 1..=2 {
        rounds.lock().unwrap()[me] = round;
        barrier.wait();
        let theirs = rounds.lock().unwrap()[1 - me];
        assert!(
            theirs >= round,
            "thread {me} left round {round} before the other arrived in it"
        );
    }
}
// ANCHOR_END: model

/// Another wrong fix, for the tests: the puzzle with a second yield, "to
/// give the others longer". On real threads a yield promises nothing; but
/// loom takes a yield to mean that the others must make progress first,
/// and with two in a row it explores no execution that laps.
pub struct CountOnlyYieldingTwice {
    arrived: Mutex<usize>,
    all_here: Condvar,
    parties: usize,
}

impl Barrier for CountOnlyYieldingTwice {
    fn new(parties: usize) -> Self {
        Self {
            arrived: Mutex::new(0).named("arrived"),
            all_here: Condvar::new().named("all_here"),
            parties,
        }
    }

    fn wait(&self) {
        let mut arrived = self.arrived.lock().unwrap();
        *arrived += 1;
        if *arrived == self.parties {
            *arrived = 0;
            self.all_here.notify_all();
            drop(arrived);
            thread::yield_now();
            thread::yield_now(); // "and a little longer"
        } else {
            while *arrived != 0 {
                arrived = self.all_here.wait(arrived).unwrap();
            }
        }
    }
}
