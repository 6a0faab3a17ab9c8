//! The loom models: two tasks as two loom threads on a model of a
//! one-thread runtime, where only one task runs at a time and the other
//! gets its turn only at an `.await`.
//!
//! Each function here is a loom model: a test hands it to `harness::Check`,
//! which runs it under `loom::model::Builder`, once per class of equivalent
//! interleavings within the check's bound, recording what each thread did.

use super::sync::atomic::{AtomicU64, Ordering};
use super::sync::{Arc, Condvar, Mutex, Named, thread};
use crate::{Awaits, Booking, Cache};

// ANCHOR: runtime
/// A one-thread runtime, modelled: a task runs only while it holds the
/// runtime, and hands it over only at an `.await`. Between two `.await`s,
/// no other task runs, as on tokio's current-thread runtime or asyncio.
pub struct Runtime {
    busy: Mutex<bool>,
    free: Condvar,
    /// Two workers instead of one: tasks run at once, as on tokio's
    /// multi-thread runtime, and nothing waits for an `.await`.
    two_workers: bool,
}

impl Default for Runtime {
    fn default() -> Self {
        Self::new()
    }
}

impl Runtime {
    /// A one-thread runtime no task runs on yet.
    pub fn new() -> Self {
        Self {
            busy: Mutex::new(false).named("runtime"),
            free: Condvar::new().named("runtime"),
            two_workers: false,
        }
    }

    /// tokio's multi-thread runtime, modelled: each task runs on a worker
    /// of its own (two tasks on two workers; three in the model that asks
    /// how bad it gets), so tasks run at the same time, between `.await`s
    /// too (as tokio's own loom tests put task bodies on loom threads).
    pub fn two_workers() -> Self {
        Self {
            two_workers: true,
            ..Self::new()
        }
    }

    /// Waits for the runtime to be free, and takes it: this task runs.
    pub fn enter(&self) {
        if self.two_workers {
            return; // a worker of its own
        }
        let mut busy = self.busy.lock().unwrap();
        while *busy {
            busy = self.free.wait(busy).unwrap();
        }
        *busy = true;
    }

    /// Hands the runtime over: this task stops running.
    pub fn leave(&self) {
        if self.two_workers {
            return;
        }
        *self.busy.lock().unwrap() = false;
        self.free.notify_one();
    }

    /// An `.await`: another task may run before this one goes on.
    pub fn await_point(&self) {
        self.leave();
        thread::yield_now();
        self.enter();
    }

    /// Whether this is the two-worker runtime.
    pub fn has_two_workers(&self) -> bool {
        self.two_workers
    }
}
// ANCHOR_END: runtime

/// What the cache's tasks await: a load that counts itself.
struct Io {
    runtime: Arc<Runtime>,
    loads: AtomicU64,
}

impl Awaits for Io {
    fn load(&self, key: u32) -> u64 {
        self.loads.fetch_add(1, Ordering::Relaxed);
        self.runtime.await_point(); // the database answers later
        u64::from(key) * 100
    }

    fn yield_now(&self) {
        self.runtime.await_point();
    }
}

/// Runs `task` on a new loom thread as a task of `runtime`, named `name`.
pub fn spawn_task<T: Send + 'static>(
    runtime: &Arc<Runtime>,
    name: &'static str,
    task: impl FnOnce() -> T + Send + 'static,
) -> thread::JoinHandle<T> {
    let runtime = Arc::clone(runtime);
    thread::spawn(move || {
        thread::name_current(name);
        runtime.enter();
        let output = task();
        runtime.leave();
        output
    })
}

// ANCHOR: stampede_model
/// Two tasks ask for the same key at once: both must get its value, and
/// it must be loaded once.
pub fn two_tasks_get_one_key<C: Cache>() {
    tasks_get_one_key::<C>(Runtime::new());
}

/// [`two_tasks_get_one_key`] on tokio's multi-thread runtime (two workers).
pub fn two_tasks_on_two_workers_get_one_key<C: Cache>() {
    tasks_get_one_key::<C>(Runtime::two_workers());
}

fn tasks_get_one_key<C: Cache>(runtime: Runtime) {
    let runtime = Arc::new(runtime);
    let cache = Arc::new(C::new());
    let io = Arc::new(Io {
        runtime: Arc::clone(&runtime),
        loads: AtomicU64::new(0),
    });
    let get = {
        let (cache, io) = (Arc::clone(&cache), Arc::clone(&io));
        move || cache.get(7, &*io)
    };
    let a = spawn_task(&runtime, "task A", get.clone());
    let b = spawn_task(&runtime, "task B", get);
    let (a, b) = (a.join().unwrap(), b.join().unwrap());
    assert!((a, b) == (700, 700), "got {a} and {b}");
    let loads = io.loads.load(Ordering::Relaxed);
    assert!(loads == 1, "two tasks, one key, {loads} loads");
}
// ANCHOR_END: stampede_model

// ANCHOR: booking_model
/// Two tasks book the last seat at once: exactly one gets it, and only the
/// one that gets it pays (no one pays for a seat they did not get).
pub fn two_tasks_book_the_last_seat<B: Booking>() {
    tasks_book_the_last_seat::<B>(Runtime::new());
}

/// [`two_tasks_book_the_last_seat`] on tokio's multi-thread runtime (two
/// workers).
pub fn two_tasks_on_two_workers_book_the_last_seat<B: Booking>() {
    tasks_book_the_last_seat::<B>(Runtime::two_workers());
}

fn tasks_book_the_last_seat<B: Booking>(runtime: Runtime) {
    let runtime = Arc::new(runtime);
    let show = Arc::new(B::new(1));
    let book = |name: &'static str| {
        let (show, runtime) = (Arc::clone(&show), Arc::clone(&runtime));
        move || {
            let paid = AtomicU64::new(0).named(&format!("{name} paid"));
            let booked = show.book(&|| {
                paid.fetch_add(1, Ordering::Relaxed);
                runtime.await_point(); // paying: an `.await`
            });
            match (paid.load(Ordering::Relaxed), booked) {
                (0, false) | (1, true) => {}
                (1, false) => panic!("{name} paid for a seat it did not get"),
                (0, true) => panic!("{name} got a seat it did not pay for"),
                (paid, _) => panic!("{name} paid {paid} times"),
            }
            booked
        }
    };
    let a = spawn_task(&runtime, "task A", book("task A"));
    let b = spawn_task(&runtime, "task B", book("task B"));
    let (a, b) = (a.join().unwrap(), b.join().unwrap());
    let left = show.seats_left();
    assert!(
        a != b && left == 0,
        "one seat: task A booked {a}, task B booked {b}; {left} left"
    );
}
// ANCHOR_END: booking_model

// ANCHOR: three_tasks_two_seats
/// Three tasks, each on a worker of its own (tokio's multi-thread runtime),
/// book a show of two seats. Asking how bad it gets, the model fails only
/// if all three get a seat: one more than the show has.
pub fn three_tasks_on_workers_book_two_seats<B: Booking>() {
    // `two_workers()` puts every task on a loom thread of its own: here,
    // three tasks on three workers.
    let runtime = Arc::new(Runtime::two_workers());
    let show = Arc::new(B::new(2));
    let tasks = ["task A", "task B", "task C"].map(|name| {
        let show = Arc::clone(&show);
        spawn_task(&runtime, name, move || show.book(&|| ()))
    });
    let booked = tasks.map(|task| task.join().unwrap());
    let sold = booked.iter().filter(|&&booked| booked).count();
    let left = show.seats_left();
    harness::outcome(format!("{sold} sold, {left} left"));
    harness::require!(
        sold < 3,
        "two seats, and all three tasks got one: {left} left"
    );
}
// ANCHOR_END: three_tasks_two_seats

/// One booking at a time, on a show of one seat: 1 left, a booking that
/// succeeds, 0 left, a booking that is refused. The two-task model always
/// ends with 0 left, which a `seats_left` that always says 0 passes. One
/// thread: this checks the count, not a race.
pub fn seats_are_counted<B: Booking>() {
    let show = B::new(1);
    let before = show.seats_left();
    let first = show.book(&|| ());
    let after = show.seats_left();
    let second = show.book(&|| ());
    assert!(
        (before, first, after, second) == (1, true, 0, false),
        "one seat: {before} left, booked {first}, {after} left, booked again {second}"
    );
}
