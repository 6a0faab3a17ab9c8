//! Loom's types, recorded: what the labs' code runs on under test.
//!
//! Each type wraps loom's own and, after every operation, records what the
//! calling thread did, with the values it saw and the caller's source line
//! (`#[track_caller]`), so the harness can print the interleaving loom found.
//! The API is std's (the subset the labs use), so the same lab file compiles
//! against this module and against [`super::std`].
//!
//! Values behind locks are shown with `{:?}`, so lock contents must be
//! `Debug`. Outside a harness check (a plain `loom::model`) nothing is
//! recorded and the types behave exactly like loom's.

use crate::record::{
    Op, name_object, record, register_object, register_thread, set_written_value, show,
};
use std::cell::Cell;
use std::fmt::Debug;
use std::ops::{Deref, DerefMut};
use std::panic::Location;
use std::sync::{LockResult, PoisonError, TryLockError, TryLockResult};

pub use arc::Arc;

/// Loom's `Arc`, with std's `make_mut` (loom has none), recorded.
mod arc {
    use super::*;

    /// Loom's `Arc` (loom checks its reference count like an atomic), with
    /// the std methods the labs use. [`Arc::make_mut`] is recorded, with
    /// whether it copied the value or changed it in place.
    pub struct Arc<T>(loom::sync::Arc<T>);

    impl<T> Arc<T> {
        /// A new `Arc` owning `value`.
        pub fn new(value: T) -> Self {
            Self(loom::sync::Arc::new(value))
        }

        /// A mutable reference, if this is the only `Arc` to the value.
        pub fn get_mut(this: &mut Self) -> Option<&mut T> {
            loom::sync::Arc::get_mut(&mut this.0)
        }

        /// How many `Arc`s share the value.
        pub fn strong_count(this: &Self) -> usize {
            loom::sync::Arc::strong_count(&this.0)
        }

        /// Whether both point to the same value.
        pub fn ptr_eq(this: &Self, other: &Self) -> bool {
            loom::sync::Arc::ptr_eq(&this.0, &other.0)
        }

        /// The value, if this is the only `Arc` to it.
        pub fn try_unwrap(this: Self) -> Result<T, Self> {
            loom::sync::Arc::try_unwrap(this.0).map_err(Self)
        }
    }

    impl<T: Clone> Arc<T> {
        /// std's copy-on-write: a mutable reference to the value, cloning
        /// it first into a new `Arc` if other `Arc`s share it.
        #[track_caller]
        pub fn make_mut(this: &mut Self) -> &mut T {
            let copied = loom::sync::Arc::get_mut(&mut this.0).is_none();
            if copied {
                this.0 = loom::sync::Arc::new(T::clone(&this.0));
            }
            let returned = String::from(if copied {
                "copied (it had other owners)"
            } else {
                "in place (the only owner)"
            });
            let op = Op::Update {
                method: String::from("Arc::make_mut"),
                args: String::new(),
                returned,
                order: None,
            };
            record(op, None, Location::caller());
            loom::sync::Arc::get_mut(&mut this.0).expect("this Arc was just made unique")
        }
    }

    impl<T> Clone for Arc<T> {
        fn clone(&self) -> Self {
            Self(loom::sync::Arc::clone(&self.0))
        }
    }

    impl<T> Deref for Arc<T> {
        type Target = T;
        fn deref(&self) -> &T {
            &self.0
        }
    }

    impl<T: Debug> Debug for Arc<T> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            Debug::fmt(&**self, f)
        }
    }

    impl<T: Default> Default for Arc<T> {
        fn default() -> Self {
            Self::new(T::default())
        }
    }
}

/// Atomics that record every load, store and read-modify-write.
pub mod atomic {
    use super::*;
    pub use std::sync::atomic::Ordering;

    /// An atomic memory fence (not recorded: it reads and writes nothing).
    pub fn fence(order: Ordering) {
        loom::sync::atomic::fence(order)
    }

    macro_rules! recorded_atomic {
        ($name:ident, $value:ty, [$($fetch:ident),*]) => {
            #[doc = concat!("Loom's `", stringify!($name), "`, recorded.")]
            pub struct $name {
                inner: loom::sync::atomic::$name,
                pub(crate) object: Option<usize>,
            }

            impl $name {
                /// A new atomic holding `value`.
                #[track_caller]
                pub fn new(value: $value) -> Self {
                    Self {
                        inner: loom::sync::atomic::$name::new(value),
                        object: register_object("atomic"),
                    }
                }

                #[track_caller]
                fn update(&self, method: &str, args: String, returned: String, order: String) {
                    let op = Op::Update { method: method.to_string(), args, returned, order: Some(order) };
                    record(op, self.object, Location::caller());
                }

                /// Loads the value.
                #[track_caller]
                pub fn load(&self, order: Ordering) -> $value {
                    let value = self.inner.load(order);
                    record(Op::Load { value: show(&value), order: Some(format!("{order:?}")) }, self.object, Location::caller());
                    value
                }

                /// Stores `value`.
                #[track_caller]
                pub fn store(&self, value: $value, order: Ordering) {
                    self.inner.store(value, order);
                    record(Op::Store { value: show(&value), order: Some(format!("{order:?}")) }, self.object, Location::caller());
                }

                /// Stores `value`, returning the previous value.
                #[track_caller]
                pub fn swap(&self, value: $value, order: Ordering) -> $value {
                    let old = self.inner.swap(value, order);
                    self.update("swap", show(&value), show(&old), format!("{order:?}"));
                    old
                }

                /// Stores `new` if the value is `current`; returns the value seen.
                #[track_caller]
                pub fn compare_exchange(
                    &self,
                    current: $value,
                    new: $value,
                    success: Ordering,
                    failure: Ordering,
                ) -> Result<$value, $value> {
                    let result = self.inner.compare_exchange(current, new, success, failure);
                    self.update("compare_exchange", format!("{current:?}, {new:?}"), show(&result), format!("{success:?}, {failure:?}"));
                    result
                }

                /// Like `compare_exchange`, but may fail spuriously.
                #[track_caller]
                pub fn compare_exchange_weak(
                    &self,
                    current: $value,
                    new: $value,
                    success: Ordering,
                    failure: Ordering,
                ) -> Result<$value, $value> {
                    let result = self.inner.compare_exchange_weak(current, new, success, failure);
                    self.update("compare_exchange_weak", format!("{current:?}, {new:?}"), show(&result), format!("{success:?}, {failure:?}"));
                    result
                }

                /// Applies `f` until it succeeds or returns `None`; one step in the trace.
                #[track_caller]
                pub fn fetch_update<F>(
                    &self,
                    set_order: Ordering,
                    fetch_order: Ordering,
                    f: F,
                ) -> Result<$value, $value>
                where
                    F: FnMut($value) -> Option<$value>,
                {
                    let result = self.inner.fetch_update(set_order, fetch_order, f);
                    self.update("fetch_update", String::from("f"), show(&result), format!("{set_order:?}, {fetch_order:?}"));
                    result
                }

                /// Consumes the atomic, returning its value.
                pub fn into_inner(self) -> $value {
                    self.inner.into_inner()
                }

                $(
                    #[doc = concat!("`", stringify!($fetch), "`: returns the previous value.")]
                    #[track_caller]
                    pub fn $fetch(&self, value: $value, order: Ordering) -> $value {
                        let old = self.inner.$fetch(value, order);
                        self.update(stringify!($fetch), show(&value), show(&old), format!("{order:?}"));
                        old
                    }
                )*
            }

            impl Debug for $name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(stringify!($name))
                }
            }
        };
    }

    /// An integer atomic: every read-modify-write std's integer atomics have.
    macro_rules! recorded_int {
        ($name:ident, $value:ty) => {
            recorded_atomic!(
                $name,
                $value,
                [
                    fetch_add, fetch_sub, fetch_max, fetch_min, fetch_and, fetch_or, fetch_xor,
                    fetch_nand
                ]
            );
        };
    }

    recorded_atomic!(
        AtomicBool,
        bool,
        [fetch_and, fetch_or, fetch_xor, fetch_nand]
    );
    recorded_int!(AtomicUsize, usize);
    recorded_int!(AtomicIsize, isize);
    recorded_int!(AtomicU32, u32);
    recorded_int!(AtomicU64, u64);
    recorded_int!(AtomicI32, i32);
    recorded_int!(AtomicI64, i64);
}

/// A lock guard that records reads and writes through it, and its unlock.
///
/// A write is recorded where it happens, and its value is filled in when the
/// guard is next used or dropped, so the trace shows the value the write
/// left, in the right place among the thread's other operations.
pub struct Guard<G: Deref>
where
    G::Target: Debug,
{
    inner: Option<G>,
    object: Option<usize>,
    last_use: Cell<&'static Location<'static>>,
    pending_write: Cell<Option<usize>>,
}

/// The guard of a locked [`Mutex`].
pub type MutexGuard<'a, T> = Guard<loom::sync::MutexGuard<'a, T>>;
/// The guard of an [`RwLock`] taken for reading.
pub type RwLockReadGuard<'a, T> = Guard<loom::sync::RwLockReadGuard<'a, T>>;
/// The guard of an [`RwLock`] taken for writing.
pub type RwLockWriteGuard<'a, T> = Guard<loom::sync::RwLockWriteGuard<'a, T>>;

impl<G: Deref> Guard<G>
where
    G::Target: Debug,
{
    fn new(inner: G, object: Option<usize>, at: &'static Location<'static>) -> Self {
        Self {
            inner: Some(inner),
            object,
            last_use: Cell::new(at),
            pending_write: Cell::new(None),
        }
    }

    fn value(&self) -> &G::Target {
        self.inner
            .as_deref()
            .expect("a guard is only emptied by Condvar::wait")
    }

    fn record_pending_write(&self) {
        if let Some(event) = self.pending_write.take() {
            set_written_value(event, show(self.value()));
        }
    }

    /// Takes the loom guard out, recording what is pending (for `Condvar::wait`).
    fn take(&mut self) -> G {
        self.record_pending_write();
        self.inner
            .take()
            .expect("a guard is only emptied by Condvar::wait")
    }

    fn wrap(
        result: LockResult<G>,
        object: Option<usize>,
        at: &'static Location<'static>,
    ) -> LockResult<Self> {
        match result {
            Ok(inner) => Ok(Self::new(inner, object, at)),
            Err(poisoned) => Err(PoisonError::new(Self::new(
                poisoned.into_inner(),
                object,
                at,
            ))),
        }
    }
}

impl<G: Deref> Deref for Guard<G>
where
    G::Target: Debug,
{
    type Target = G::Target;

    #[track_caller]
    fn deref(&self) -> &G::Target {
        self.record_pending_write();
        let at = Location::caller();
        record(
            Op::Read {
                value: show(self.value()),
            },
            self.object,
            at,
        );
        self.last_use.set(at);
        self.value()
    }
}

impl<G: DerefMut> DerefMut for Guard<G>
where
    G::Target: Debug,
{
    #[track_caller]
    fn deref_mut(&mut self) -> &mut G::Target {
        self.record_pending_write();
        let at = Location::caller();
        let event = record(
            Op::Write {
                value: String::new(),
            },
            self.object,
            at,
        );
        self.pending_write.set(event);
        self.last_use.set(at);
        self.inner
            .as_deref_mut()
            .expect("a guard is only emptied by Condvar::wait")
    }
}

impl<G: Deref> Drop for Guard<G>
where
    G::Target: Debug,
{
    fn drop(&mut self) {
        if self.inner.is_none() {
            return; // emptied by Condvar::wait, which recorded what it did
        }
        self.record_pending_write();
        // While loom unwinds a failed execution, asking loom which thread
        // runs could panic a second time: the unlock goes unrecorded.
        if !std::thread::panicking() {
            record(Op::Unlock, self.object, self.last_use.get());
        }
    }
}

/// Loom's `Mutex`, recorded: lock, the values read and written through the
/// guard, and unlock.
pub struct Mutex<T> {
    inner: loom::sync::Mutex<T>,
    object: Option<usize>,
}

impl<T: Debug> Mutex<T> {
    /// A new unlocked mutex holding `value`.
    #[track_caller]
    pub fn new(value: T) -> Self {
        Self {
            inner: loom::sync::Mutex::new(value),
            object: register_object("mutex"),
        }
    }

    /// Takes the lock, waiting for it if another thread holds it.
    #[track_caller]
    pub fn lock(&self) -> LockResult<MutexGuard<'_, T>> {
        let at = Location::caller();
        record(Op::WantLock, self.object, at);
        let result = self.inner.lock();
        record(Op::Lock, self.object, at);
        Guard::wrap(result, self.object, at)
    }

    /// Takes the lock if it is free.
    #[track_caller]
    pub fn try_lock(&self) -> TryLockResult<MutexGuard<'_, T>> {
        let at = Location::caller();
        match self.inner.try_lock() {
            Ok(inner) => {
                record(Op::Lock, self.object, at);
                Ok(Guard::new(inner, self.object, at))
            }
            Err(TryLockError::WouldBlock) => {
                record(Op::TryLockFailed, self.object, at);
                Err(TryLockError::WouldBlock)
            }
            Err(TryLockError::Poisoned(poisoned)) => {
                record(Op::Lock, self.object, at);
                let guard = Guard::new(poisoned.into_inner(), self.object, at);
                Err(TryLockError::Poisoned(PoisonError::new(guard)))
            }
        }
    }

    /// Consumes the mutex, returning its value.
    pub fn into_inner(self) -> LockResult<T> {
        self.inner.into_inner()
    }
}

impl<T> Debug for Mutex<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Mutex")
    }
}

/// Loom's `RwLock`, recorded like [`Mutex`]; readers show as `read-lock`.
pub struct RwLock<T> {
    inner: loom::sync::RwLock<T>,
    object: Option<usize>,
}

impl<T: Debug> RwLock<T> {
    /// A new unlocked `RwLock` holding `value`.
    #[track_caller]
    pub fn new(value: T) -> Self {
        Self {
            inner: loom::sync::RwLock::new(value),
            object: register_object("rwlock"),
        }
    }

    /// Takes the lock for reading, shared with other readers.
    #[track_caller]
    pub fn read(&self) -> LockResult<RwLockReadGuard<'_, T>> {
        let at = Location::caller();
        record(Op::WantLock, self.object, at);
        let result = self.inner.read();
        record(Op::ReadLock, self.object, at);
        Guard::wrap(result, self.object, at)
    }

    /// Takes the lock for writing, alone.
    #[track_caller]
    pub fn write(&self) -> LockResult<RwLockWriteGuard<'_, T>> {
        let at = Location::caller();
        record(Op::WantLock, self.object, at);
        let result = self.inner.write();
        record(Op::Lock, self.object, at);
        Guard::wrap(result, self.object, at)
    }

    /// Consumes the lock, returning its value.
    pub fn into_inner(self) -> LockResult<T> {
        self.inner.into_inner()
    }
}

/// Loom's `Condvar`, recorded: waits, wake-ups and notifications.
///
/// Loom's `Condvar` never wakes spuriously; a lab that must show why `wait`
/// belongs in a loop says so, or wakes a second waiter to show it.
pub struct Condvar {
    inner: loom::sync::Condvar,
    object: Option<usize>,
}

impl Condvar {
    /// A new condition variable.
    #[track_caller]
    pub fn new() -> Self {
        Self {
            inner: loom::sync::Condvar::new(),
            object: register_object("condvar"),
        }
    }

    /// Releases the guard's mutex and sleeps until notified; then takes the
    /// mutex again.
    #[track_caller]
    pub fn wait<'a, T: Debug>(&self, guard: MutexGuard<'a, T>) -> LockResult<MutexGuard<'a, T>> {
        self.wait_at(guard, Location::caller())
    }

    fn wait_at<'a, T: Debug>(
        &self,
        mut guard: MutexGuard<'a, T>,
        at: &'static Location<'static>,
    ) -> LockResult<MutexGuard<'a, T>> {
        let mutex = guard.object;
        let inner = guard.take();
        record(Op::Wait { mutex }, self.object, at);
        let result = self.inner.wait(inner);
        record(Op::Woken { mutex }, self.object, at);
        Guard::wrap(result, mutex, at)
    }

    /// Waits while `condition` holds: std's loop around [`wait`](Self::wait).
    #[track_caller]
    pub fn wait_while<'a, T: Debug>(
        &self,
        mut guard: MutexGuard<'a, T>,
        mut condition: impl FnMut(&mut T) -> bool,
    ) -> LockResult<MutexGuard<'a, T>> {
        let at = Location::caller();
        loop {
            // The condition reads the value: recorded at the caller's line.
            guard.record_pending_write();
            record(
                Op::Read {
                    value: show(guard.value()),
                },
                guard.object,
                at,
            );
            let value = guard
                .inner
                .as_deref_mut()
                .expect("a guard is only emptied by Condvar::wait");
            if !condition(value) {
                return Ok(guard);
            }
            guard = self.wait_at(guard, at)?;
        }
    }

    /// Wakes one waiting thread, if any.
    #[track_caller]
    pub fn notify_one(&self) {
        self.inner.notify_one();
        record(Op::Notify { all: false }, self.object, Location::caller());
    }

    /// Wakes every waiting thread.
    #[track_caller]
    pub fn notify_all(&self) {
        self.inner.notify_all();
        record(Op::Notify { all: true }, self.object, Location::caller());
    }
}

impl Default for Condvar {
    fn default() -> Self {
        Self::new()
    }
}

/// Loom's threads, with spawn and join recorded and threads numbered in
/// spawn order (the model's main thread is 0).
pub mod thread {
    use super::*;

    /// A handle to join a thread started with [`spawn`].
    pub struct JoinHandle<T> {
        inner: loom::thread::JoinHandle<T>,
        number: usize,
    }

    impl<T> JoinHandle<T> {
        /// Waits for the thread to finish; returns what it returned.
        #[track_caller]
        pub fn join(self) -> std::thread::Result<T> {
            record(
                Op::WantJoin { child: self.number },
                None,
                Location::caller(),
            );
            let result = self.inner.join();
            record(Op::Join { child: self.number }, None, Location::caller());
            result
        }
    }

    /// Starts a loom thread running `f`.
    #[track_caller]
    pub fn spawn<F, T>(f: F) -> JoinHandle<T>
    where
        F: FnOnce() -> T + 'static,
        T: 'static,
    {
        // Loom queues the new thread without switching to it, so it has made
        // no operation yet when it is numbered here.
        let inner = loom::thread::spawn(f);
        let number = register_thread(inner.thread().id()).unwrap_or(0);
        record(Op::Spawn { child: number }, None, Location::caller());
        JoinHandle { inner, number }
    }

    /// Names the calling thread in traces (`child` instead of `thread 1`),
    /// for models whose threads stand for something else. Loom-only.
    pub fn name_current(name: &str) {
        crate::record::name_thread(name);
    }

    /// std's `thread::Builder`, for loom: a thread given a name here is
    /// called by it from the trace's first row (the `spawn` that started
    /// it), even if it never runs; [`name_current`] names a thread only
    /// once it runs.
    #[derive(Debug, Default)]
    pub struct Builder {
        name: Option<String>,
    }

    impl Builder {
        /// A builder with no name set.
        pub fn new() -> Self {
            Self::default()
        }

        /// Names the thread, in traces as std names it in panics.
        pub fn name(mut self, name: String) -> Self {
            self.name = Some(name);
            self
        }

        /// Starts the thread; never fails under loom (std's can).
        #[track_caller]
        pub fn spawn<F, T>(self, f: F) -> std::io::Result<JoinHandle<T>>
        where
            F: FnOnce() -> T + Send + 'static,
            T: Send + 'static,
        {
            let inner = loom::thread::spawn(f);
            let number = register_thread(inner.thread().id()).unwrap_or(0);
            if let Some(name) = &self.name {
                crate::record::name_thread_number(number, name);
            }
            record(Op::Spawn { child: number }, None, Location::caller());
            Ok(JoinHandle { inner, number })
        }
    }

    /// Lets another thread run: in loom, a point where the schedule may switch.
    #[track_caller]
    pub fn yield_now() {
        loom::thread::yield_now();
        record(Op::Yield, None, Location::caller());
    }
}

/// Loom's spin-loop hint (a yield, to loom), recorded.
pub mod hint {
    use super::*;

    /// Tells loom this thread is spinning, so another should run.
    #[track_caller]
    pub fn spin_loop() {
        loom::hint::spin_loop();
        record(Op::Yield, None, Location::caller());
    }
}

/// Loom's `UnsafeCell`, recorded: loom checks that no two accesses race.
pub mod cell {
    use super::*;

    /// An `UnsafeCell` whose accesses go through closures, so loom can check
    /// each one (tokio's API; [`crate::sync::std::cell::UnsafeCell`] matches it).
    pub struct UnsafeCell<T> {
        inner: loom::cell::UnsafeCell<T>,
        pub(crate) object: Option<usize>,
    }

    impl<T> UnsafeCell<T> {
        /// A new cell holding `value`.
        #[track_caller]
        pub fn new(value: T) -> Self {
            Self {
                inner: loom::cell::UnsafeCell::new(value),
                object: register_object("cell"),
            }
        }

        /// Reads through a `*const T`; loom fails the model if a write can
        /// run at the same time.
        #[track_caller]
        pub fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
            // Recorded first: if loom finds this access races, it panics
            // inside it, and the trace must still show the access.
            record(Op::CellRead, self.object, Location::caller());
            self.inner.with(f)
        }

        /// Writes through a `*mut T`; loom fails the model if any other
        /// access can run at the same time.
        #[track_caller]
        pub fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
            record(Op::CellWrite, self.object, Location::caller());
            self.inner.with_mut(f)
        }

        /// Consumes the cell, returning its value.
        pub fn into_inner(self) -> T {
            self.inner.into_inner()
        }
    }
}

/// Names a recorded object in traces (`killed: lock`) instead of its
/// number (`mutex 3`): for models with several objects of a kind. std's
/// facade has the same trait, doing nothing, so code compiled on both can
/// name its objects: `use super::sync::Named;`.
pub trait Named: Sized {
    /// This object, called `name` in traces.
    fn named(self, name: &str) -> Self;
}

/// Runs `make`, and names each object it created that has no name of its
/// own after the field or variable its line of code stores it in:
/// `open: Mutex::new(0),` shows as `open`, not `mutex 1`. For a model that
/// runs code it cannot name the objects of, such as a learner's answer to
/// an exercise: `let server = Arc::new(named_by_field(S::new));`. An object
/// whose line does not start with a field or a `let` keeps its number.
pub fn named_by_field<T>(make: impl FnOnce() -> T) -> T {
    let from = crate::record::objects_created();
    let made = make();
    crate::record::name_by_field(from);
    made
}

/// Runs `make`, names its objects as [`named_by_field`] does, then puts
/// `prefix` before each name: two objects of one type, each with fields of
/// its own, told apart in traces. `named_with_prefix("A", E::new)` shows
/// its `waker slot` as `A waker slot`.
pub fn named_with_prefix<T>(prefix: &str, make: impl FnOnce() -> T) -> T {
    let from = crate::record::objects_created();
    let made = named_by_field(make);
    crate::record::prefix_names(from, prefix);
    made
}

macro_rules! named_by_object {
    ($($ty:ty),* $(,)?) => {
        $(
            impl Named for $ty {
                fn named(self, name: &str) -> Self {
                    name_object(self.object, name);
                    self
                }
            }
        )*
    };
}

impl<T: Debug> Named for Mutex<T> {
    fn named(self, name: &str) -> Self {
        name_object(self.object, name);
        self
    }
}

impl<T: Debug> Named for RwLock<T> {
    fn named(self, name: &str) -> Self {
        name_object(self.object, name);
        self
    }
}

impl<T> Named for cell::UnsafeCell<T> {
    fn named(self, name: &str) -> Self {
        name_object(self.object, name);
        self
    }
}

named_by_object!(
    Condvar,
    atomic::AtomicBool,
    atomic::AtomicUsize,
    atomic::AtomicIsize,
    atomic::AtomicU32,
    atomic::AtomicU64,
    atomic::AtomicI32,
    atomic::AtomicI64,
);
