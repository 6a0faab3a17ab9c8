//! Level 11: a reader–writer lock that starves its writer.
//!
//! Many readers may hold the lock at once, or one writer alone. This lock
//! lets a reader in whenever no writer is writing, even while a writer
//! waits for the readers to leave. So readers who take turns, one coming
//! in before the other leaves, keep the writer out for as long as they
//! like. A writer here has a patience: after being woken that many times
//! to find readers still inside, it gives up, and the assertion fails.

use crate::sync::atomic::{AtomicBool, Ordering};
use crate::sync::{Arc, Condvar, Mutex, Named, thread};

/// How many times a writer may be woken to find readers inside before it
/// gives up: enough for the fix's writer, which waits only for the readers
/// inside when it came, and is woken when the last of them leaves.
pub const PATIENCE: usize = 1;

/// Who holds the lock, and who waits.
#[derive(Default)]
pub struct Holders {
    readers: usize,
    writing: bool,
    writers_waiting: usize,
}

/// Short, for a trace's narrow columns: `2 readers, 1 writer waits`.
impl std::fmt::Debug for Holders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let writer = match (self.writing, self.writers_waiting) {
            (true, _) => "writing",
            (false, 0) => "no writer",
            (false, _) => "a writer waits",
        };
        write!(f, "{} readers, {writer}", self.readers)
    }
}

/// A reader–writer lock for the level's model.
pub trait RwLock: Send + Sync + 'static {
    /// An unheld lock.
    fn new() -> Self;
    /// Takes the lock to read, waiting if it must.
    fn read(&self);
    /// Lets go of a read.
    fn read_done(&self);
    /// Takes the lock to write: false if it gave up after [`PATIENCE`]
    /// wakeups with readers still inside.
    fn write(&self) -> bool;
    /// Lets go of a write.
    fn write_done(&self);
}

/// The puzzle: a reader waits only for a writer who is writing.
// ANCHOR: racy
pub struct ReadersFirst {
    holders: Mutex<Holders>,
    changed: Condvar,
}

impl RwLock for ReadersFirst {
    fn new() -> Self {
        Self {
            holders: Mutex::new(Holders::default()).named("holders"),
            changed: Condvar::new().named("changed"),
        }
    }

    fn read(&self) {
        let mut holders = self.holders.lock().unwrap();
        while holders.writing {
            holders = self.changed.wait(holders).unwrap();
        }
        holders.readers += 1;
    }

    fn read_done(&self) {
        let mut holders = self.holders.lock().unwrap();
        holders.readers -= 1;
        if holders.readers == 0 {
            self.changed.notify_all();
        }
    }

    fn write(&self) -> bool {
        let mut holders = self.holders.lock().unwrap();
        let mut woken = 0;
        while holders.writing || holders.readers > 0 {
            if woken == PATIENCE {
                return false; // starved
            }
            holders = self.changed.wait(holders).unwrap();
            woken += 1;
        }
        holders.writing = true;
        true
    }

    fn write_done(&self) {
        self.holders.lock().unwrap().writing = false;
        self.changed.notify_all();
    }
}
// ANCHOR_END: racy

// ANCHOR: fixed
/// The fix: a waiting writer goes first. It says it is waiting, and a
/// reader coming in waits while a writer waits, so the writer waits only
/// for the readers already inside. (std's `RwLock` promises neither
/// policy: its documentation leaves it to the operating system.)
pub struct WritersFirst {
    holders: Mutex<Holders>,
    changed: Condvar,
}

impl RwLock for WritersFirst {
    fn new() -> Self {
        Self {
            holders: Mutex::new(Holders::default()).named("holders"),
            changed: Condvar::new().named("changed"),
        }
    }

    fn read(&self) {
        let mut holders = self.holders.lock().unwrap();
        while holders.writing || holders.writers_waiting > 0 {
            holders = self.changed.wait(holders).unwrap();
        }
        holders.readers += 1;
    }

    fn read_done(&self) {
        let mut holders = self.holders.lock().unwrap();
        holders.readers -= 1;
        if holders.readers == 0 {
            self.changed.notify_all();
        }
    }

    fn write(&self) -> bool {
        let mut holders = self.holders.lock().unwrap();
        holders.writers_waiting += 1;
        let mut woken = 0;
        while holders.writing || holders.readers > 0 {
            if woken == PATIENCE {
                holders.writers_waiting -= 1;
                return false;
            }
            holders = self.changed.wait(holders).unwrap();
            woken += 1;
        }
        holders.writers_waiting -= 1;
        holders.writing = true;
        true
    }

    fn write_done(&self) {
        self.holders.lock().unwrap().writing = false;
        self.changed.notify_all();
    }
}
// ANCHOR_END: fixed
// ANCHOR: bound
/// Bound: two readers, so that one can come in while the writer waits for
/// the other to leave; one read each, as the writer's [`PATIENCE`] is one
/// wakeup. A longer patience would need more reads to exhaust, and the
/// same hand-over each time. Loom explores every interleaving.
// ANCHOR_END: bound
// ANCHOR: model
/// Two readers each read once while main writes once. The writer must
/// get in.
pub fn readers_and_a_writer<L: RwLock>() {
    let lock = Arc::new(L::new());
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let lock = Arc::clone(&lock);
            thread::spawn(move || {
                lock.read();
                lock.read_done();
            })
        })
        .collect();
    let wrote = lock.write();
    if wrote {
        lock.write_done();
    }
    for reader in readers {
        reader.join().unwrap();
    }
    harness::outcome(format!("the writer got in: {wrote}"));
    harness::require!(
        wrote,
        "the writer gave up: a reader was inside every time it woke"
    );
}
// ANCHOR_END: model

/// A second model, for the tests, of what every reader–writer lock owes
/// beside fairness: a reader on a spawned thread reads once while main
/// writes once, and the writer must find no reader inside. (Kept apart
/// from the level's model, whose game it would multiply: loom explores
/// this one in 18 executions, and the level's model, with the same check,
/// in over 100,000.)
pub fn no_reader_inside_a_write<L: RwLock>() {
    let lock = Arc::new(L::new());
    let reading = Arc::new(AtomicBool::new(false).named("reading"));
    let reader = {
        let (lock, reading) = (Arc::clone(&lock), Arc::clone(&reading));
        thread::spawn(move || {
            lock.read();
            reading.store(true, Ordering::SeqCst); // inside
            reading.store(false, Ordering::SeqCst);
            lock.read_done();
        })
    };
    if lock.write() {
        let inside = reading.load(Ordering::SeqCst);
        harness::require!(!inside, "the writer got in beside a reader");
        lock.write_done();
    }
    reader.join().unwrap();
}

// ANCHOR: wrong_fix
/// A wrong fix: writers first, taken too far. New readers wait for a
/// waiting writer, as in the fix; but the writer no longer waits for the
/// readers already inside, and writes while they read.
pub struct WriterBarges {
    holders: Mutex<Holders>,
    changed: Condvar,
}

impl RwLock for WriterBarges {
    fn new() -> Self {
        Self {
            holders: Mutex::new(Holders::default()).named("holders"),
            changed: Condvar::new().named("changed"),
        }
    }

    fn read(&self) {
        let mut holders = self.holders.lock().unwrap();
        while holders.writing || holders.writers_waiting > 0 {
            holders = self.changed.wait(holders).unwrap();
        }
        holders.readers += 1;
    }

    fn read_done(&self) {
        let mut holders = self.holders.lock().unwrap();
        holders.readers -= 1;
        if holders.readers == 0 {
            self.changed.notify_all();
        }
    }

    fn write(&self) -> bool {
        let mut holders = self.holders.lock().unwrap();
        holders.writers_waiting += 1; // new readers wait from here
        while holders.writing {
            holders = self.changed.wait(holders).unwrap();
        }
        holders.writers_waiting -= 1;
        holders.writing = true; // in at once: no reader can starve it now
        true
    }

    fn write_done(&self) {
        self.holders.lock().unwrap().writing = false;
        self.changed.notify_all();
    }
}
// ANCHOR_END: wrong_fix
