//! The fixes: a `Release` store paired with an `Acquire` load carries
//! everything written before the store to the thread that loads it.

// Chapter 4 teaches `unsafe`: each block says why it is sound, and loom
// checks every access through the `UnsafeCell` in every execution.
#![allow(unsafe_code, reason = "chapter 4 shows unsafe code loom checks")]

use super::sync::atomic::{AtomicBool, Ordering};
use super::sync::cell::UnsafeCell;
use super::sync::hint;
use std::ops::{Deref, DerefMut};

// ANCHOR: release_acquire
/// The mailbox with its data in an `UnsafeCell`, published with a
/// `Release` store of the flag and read after an `Acquire` load of it.
pub struct ReleaseAcquireMailbox {
    data: UnsafeCell<u64>,
    ready: AtomicBool,
    claimed: AtomicBool,
}

impl crate::Mailbox for ReleaseAcquireMailbox {
    fn new() -> Self {
        Self {
            data: UnsafeCell::new(0),
            ready: AtomicBool::new(false),
            claimed: AtomicBool::new(false),
        }
    }

    fn publish(&self, value: u64) {
        // A second write would race the readers: only the first caller may
        // write (the swap lets one thread through; it orders nothing else).
        let first = !self.claimed.swap(true, Ordering::Relaxed);
        assert!(first, "a mailbox is published once");
        // SAFETY: only the first caller gets here, and no reader touches
        // `data` before it sees `ready` up, so this write races nothing.
        self.data.with_mut(|data| unsafe { *data = value });
        // Release: every write above is visible to whoever Acquires `true`.
        self.ready.store(true, Ordering::Release);
    }

    fn try_read(&self) -> Option<u64> {
        // Acquire: if this load sees the Release store's `true`, it sees
        // everything the writer did before that store, too.
        if self.ready.load(Ordering::Acquire) {
            // SAFETY: the write to `data` happened before the store we just
            // loaded, and nothing writes it again.
            Some(self.data.with(|data| unsafe { *data }))
        } else {
            None
        }
    }
}
// ANCHOR_END: release_acquire

// SAFETY: `claimed` allows one write to `data`, and `ready`'s
// Release/Acquire orders it before every read, as `publish` and `try_read`
// explain.
unsafe impl Sync for ReleaseAcquireMailbox {}

// ANCHOR: raw_spin_lock
/// A spin lock, step 2, correct orderings: `Acquire` when taking it, so
/// this thread sees what the last holder wrote; `Release` when letting go,
/// so the next holder sees what this one wrote.
pub struct RawSpinLock {
    locked: AtomicBool,
}

impl RawSpinLock {
    /// An unlocked lock.
    pub fn new() -> Self {
        Self {
            locked: AtomicBool::new(false),
        }
    }

    /// Waits until this thread is the one that changed `false` to `true`.
    pub fn lock(&self) {
        // Acquire when it succeeds; a failed attempt reads nothing we use.
        let (taken, failed) = (Ordering::Acquire, Ordering::Relaxed);
        while self
            .locked
            .compare_exchange(false, true, taken, failed)
            .is_err()
        {
            hint::spin_loop();
        }
    }

    /// Lets the next thread in. Nothing stops a thread that does not hold
    /// the lock from calling it: step 3 fixes that.
    pub fn unlock(&self) {
        self.locked.store(false, Ordering::Release);
    }
}
// ANCHOR_END: raw_spin_lock

impl Default for RawSpinLock {
    fn default() -> Self {
        Self::new()
    }
}

// ANCHOR: raw_spin_counter
/// Chapter 1's counter, a plain `u64` guarded by the step-2 spin lock.
pub struct RawSpinCounter {
    lock: RawSpinLock,
    count: UnsafeCell<u64>,
}

impl lab_01::Counter for RawSpinCounter {
    fn new() -> Self {
        Self {
            lock: RawSpinLock::new(),
            count: UnsafeCell::new(0),
        }
    }

    fn increment(&self) {
        self.lock.lock();
        // SAFETY: we hold the lock, and every access to `count` is made
        // holding it; Acquire and Release order each holder after the last.
        self.count.with_mut(|count| unsafe { *count += 1 });
        self.lock.unlock();
    }

    fn get(&self) -> u64 {
        self.lock.lock();
        // SAFETY: as in `increment`.
        let count = self.count.with(|count| unsafe { *count });
        self.lock.unlock();
        count
    }
}
// ANCHOR_END: raw_spin_counter

// SAFETY: every access to `count` is made holding the lock.
unsafe impl Sync for RawSpinCounter {}

// ANCHOR: spin_lock
/// A spin lock, step 3, with a guard: the lock owns the value, `lock`
/// returns a guard that gives access to it, and dropping the guard is the
/// only way to unlock. No `unsafe` is left for the caller to get wrong.
///
/// Threads can share the lock only if the value may move between them. A
/// `Cell` inside is fine, as in std's `Mutex` (one thread at a time uses
/// it); an `Rc` is not (its count is shared with clones left behind):
///
/// ```compile_fail,E0277
/// use lab_04::on_std::fixed::SpinLock;
/// fn share<T: Sync>(_: &T) {}
/// share(&SpinLock::new(std::rc::Rc::new(0))); // `Rc` is not `Send`: refused
/// ```
///
/// ```
/// use lab_04::on_std::fixed::SpinLock;
/// fn share<T: Sync>(_: &T) {}
/// share(&SpinLock::new(std::cell::Cell::new(0))); // `Cell` is `Send`: shared
/// ```
pub struct SpinLock<T> {
    locked: AtomicBool,
    value: UnsafeCell<T>,
}

/// Access to a [`SpinLock`]'s value, for as long as this lives.
///
/// Threads can share a guard only if they could share the value itself:
///
/// ```compile_fail
/// use lab_04::on_std::fixed::SpinLock;
/// use std::cell::Cell;
/// let lock = SpinLock::new(Cell::new(0));
/// let guard = lock.lock();
/// std::thread::scope(|s| {
///     s.spawn(|| guard.set(1)); // a `Cell` from two threads: refused
/// });
/// ```
pub struct SpinGuard<'a, T> {
    lock: &'a SpinLock<T>,
}

impl<T> SpinLock<T> {
    /// An unlocked lock holding `value`.
    pub fn new(value: T) -> Self {
        Self {
            locked: AtomicBool::new(false),
            value: UnsafeCell::new(value),
        }
    }

    /// Waits for the lock; the guard unlocks it when dropped.
    pub fn lock(&self) -> SpinGuard<'_, T> {
        let (taken, failed) = (Ordering::Acquire, Ordering::Relaxed);
        while self
            .locked
            .compare_exchange(false, true, taken, failed)
            .is_err()
        {
            hint::spin_loop();
        }
        SpinGuard { lock: self }
    }
}

impl<T> Deref for SpinGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: a guard exists only while its thread holds the lock, and
        // the reference cannot outlive the guard, which unlocks on drop.
        // (Loom checks the access when the reference is made; nothing in
        // the critical section synchronises between that and its uses.)
        self.lock.value.with(|value| unsafe { &*value })
    }
}

impl<T> DerefMut for SpinGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`; `&mut self` makes this the only reference.
        self.lock.value.with_mut(|value| unsafe { &mut *value })
    }
}

impl<T> Drop for SpinGuard<'_, T> {
    fn drop(&mut self) {
        self.lock.locked.store(false, Ordering::Release);
    }
}

// SAFETY: the lock hands the value to one thread at a time, so sharing the
// lock sends the value between threads: `T: Send` is all it needs.
unsafe impl<T: Send> Sync for SpinLock<T> {}

// SAFETY: a shared `&SpinGuard` gives out `&T` to every thread it is shared
// with, so sharing the guard shares `T`: it needs `T: Sync`. (Without this
// line, the guard would be `Sync` whenever `T: Send`, from its `&SpinLock`,
// and two threads could use a `Cell` inside at once.)
unsafe impl<T: Sync> Sync for SpinGuard<'_, T> {}
// ANCHOR_END: spin_lock

// ANCHOR: spin_counter
/// Chapter 1's counter on the step-3 spin lock: no `unsafe` in sight.
pub struct SpinCounter {
    count: SpinLock<u64>,
}

impl lab_01::Counter for SpinCounter {
    fn new() -> Self {
        Self {
            count: SpinLock::new(0),
        }
    }

    fn increment(&self) {
        *self.count.lock() += 1;
    }

    fn get(&self) -> u64 {
        *self.count.lock()
    }
}
// ANCHOR_END: spin_counter
