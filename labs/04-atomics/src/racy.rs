//! The bugs: orderings too weak to carry data from one thread to another.
//! Every operation here is atomic, or guarded, and each type still races.

// Chapter 4 teaches `unsafe`: each block says why it is sound (or, here,
// why it is not), and loom checks every access through the `UnsafeCell`.
#![allow(unsafe_code, reason = "chapter 4 shows unsafe code loom checks")]

use super::sync::Named;
use super::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use super::sync::cell::UnsafeCell;
use super::sync::hint;

// ANCHOR: relaxed_flag
/// A mailbox whose data and flag are both atomics, written and read with
/// `Relaxed`: each access is indivisible, and none orders the others.
/// Deliberately wrong: the reader can see the flag and stale data.
pub struct RelaxedMailbox {
    data: AtomicU64,
    ready: AtomicBool,
}

impl crate::Mailbox for RelaxedMailbox {
    fn new() -> Self {
        Self {
            data: AtomicU64::new(0).named("data"),
            ready: AtomicBool::new(false).named("ready"),
        }
    }

    fn publish(&self, value: u64) {
        self.data.store(value, Ordering::Relaxed); // first the data...
        self.ready.store(true, Ordering::Relaxed); // ...then the flag
    }

    fn try_read(&self) -> Option<u64> {
        if self.ready.load(Ordering::Relaxed) {
            // The flag is up, so the data was stored first... in the
            // writer's program order. Nothing says this thread sees it.
            Some(self.data.load(Ordering::Relaxed))
        } else {
            None
        }
    }
}
// ANCHOR_END: relaxed_flag

// ANCHOR: relaxed_cell
/// The same mailbox with the data in an `UnsafeCell`, as real code holds
/// anything bigger than a word: a read that can race a write is now
/// undefined behaviour, and loom reports it as a data race.
/// Deliberately unsound: it exists to be caught; never use it.
pub struct RelaxedCellMailbox {
    data: UnsafeCell<u64>,
    ready: AtomicBool,
}

impl crate::Mailbox for RelaxedCellMailbox {
    fn new() -> Self {
        Self {
            data: UnsafeCell::new(0).named("data"),
            ready: AtomicBool::new(false).named("ready"),
        }
    }

    fn publish(&self, value: u64) {
        // SAFETY (claimed): no reader touches `data` until `ready` is up.
        self.data.with_mut(|data| unsafe { *data = value });
        self.ready.store(true, Ordering::Relaxed);
    }

    fn try_read(&self) -> Option<u64> {
        if self.ready.load(Ordering::Relaxed) {
            // SAFETY (claimed): `ready` is up, so the write is finished.
            // Wrong: a `Relaxed` load does not make that write visible here.
            Some(self.data.with(|data| unsafe { *data }))
        } else {
            None
        }
    }
}
// ANCHOR_END: relaxed_cell

// SAFETY: `data` is shared between threads. The claim is that `ready`
// orders every access to it; with `Relaxed`, it does not, and loom says so.
unsafe impl Sync for RelaxedCellMailbox {}

// ANCHOR: load_then_store
/// Chapter 1's atomic counter that loads, then stores: each step atomic,
/// the two together not, even with the strongest ordering there is.
pub struct LoadThenStoreCounter {
    count: AtomicU64,
}

impl lab_01::Counter for LoadThenStoreCounter {
    fn new() -> Self {
        Self {
            count: AtomicU64::new(0),
        }
    }

    fn increment(&self) {
        let seen = self.count.load(Ordering::SeqCst);
        self.count.store(seen + 1, Ordering::SeqCst);
    }

    fn get(&self) -> u64 {
        self.count.load(Ordering::SeqCst)
    }
}
// ANCHOR_END: load_then_store

// ANCHOR: relaxed_spin_lock
/// A spin lock, step 1, minimal: take it by changing `false` to `true`
/// (retrying while another thread holds it); release it by storing
/// `false`. All `Relaxed`.
pub struct RelaxedSpinLock {
    locked: AtomicBool,
}

impl RelaxedSpinLock {
    /// An unlocked lock.
    pub fn new() -> Self {
        Self {
            locked: AtomicBool::new(false),
        }
    }

    /// Waits until this thread is the one that changed `false` to `true`.
    pub fn lock(&self) {
        // `compare_exchange`, not `swap(true)`: a failed attempt leaves the
        // flag as it was, and loom can prove this lock (the chapter says
        // why it cannot prove the `swap` one).
        let (taken, failed) = (Ordering::Relaxed, Ordering::Relaxed);
        while self
            .locked
            .compare_exchange(false, true, taken, failed)
            .is_err()
        {
            hint::spin_loop(); // tell the CPU (and loom) we are spinning
        }
    }

    /// Lets the next thread in.
    pub fn unlock(&self) {
        self.locked.store(false, Ordering::Relaxed);
    }
}
// ANCHOR_END: relaxed_spin_lock

impl Default for RelaxedSpinLock {
    fn default() -> Self {
        Self::new()
    }
}

// ANCHOR: relaxed_spin_counter
/// Chapter 1's counter, a plain `u64` guarded by the step-1 spin lock.
/// Deliberately unsound: it exists to be caught; never use it.
pub struct RelaxedSpinCounter {
    lock: RelaxedSpinLock,
    count: UnsafeCell<u64>,
}

impl lab_01::Counter for RelaxedSpinCounter {
    fn new() -> Self {
        Self {
            lock: RelaxedSpinLock::new(),
            count: UnsafeCell::new(0),
        }
    }

    fn increment(&self) {
        self.lock.lock();
        // SAFETY (claimed): we hold the lock, so no other thread touches
        // `count`. Wrong: a `Relaxed` exchange does not see the last holder's
        // writes, so two threads' accesses are not ordered.
        self.count.with_mut(|count| unsafe { *count += 1 });
        self.lock.unlock();
    }

    fn get(&self) -> u64 {
        self.lock.lock();
        // SAFETY (claimed): as in `increment`.
        let count = self.count.with(|count| unsafe { *count });
        self.lock.unlock();
        count
    }
}
// ANCHOR_END: relaxed_spin_counter

// SAFETY: as claimed in `increment`; loom shows the claim is false.
unsafe impl Sync for RelaxedSpinCounter {}
