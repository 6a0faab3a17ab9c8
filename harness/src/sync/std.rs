//! std's types: what the labs' code runs on in demos and benchmarks.
//!
//! Plain re-exports, so a benchmark measures std and nothing else. The one
//! addition is [`cell::UnsafeCell`], which takes loom's closure-based API
//! (as tokio's std shim does) so a lab file reads the same on both.

pub use std::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// Names an object in traces: does nothing here (std's types are not
/// recorded), so that code compiled on both facades can name its objects
/// for the loom copy: `Mutex::new(false).named("killed")`.
pub trait Named: Sized {
    /// This object, unchanged.
    fn named(self, _name: &str) -> Self {
        self
    }
}

impl<T> Named for T {}

/// `make()`: std's objects are not recorded, so there is nothing to name
/// (the loom facade's `named_by_field` names them in traces).
pub fn named_by_field<T>(make: impl FnOnce() -> T) -> T {
    make()
}

/// `make()`: std's objects are not recorded, so there is nothing to name
/// (the loom facade's `named_with_prefix` names them in traces).
pub fn named_with_prefix<T>(_prefix: &str, make: impl FnOnce() -> T) -> T {
    make()
}

/// std's atomics.
pub mod atomic {
    pub use std::sync::atomic::{
        AtomicBool, AtomicI32, AtomicI64, AtomicIsize, AtomicU32, AtomicU64, AtomicUsize, Ordering,
        fence,
    };
}

/// std's threads.
pub mod thread {
    pub use std::thread::{Builder, JoinHandle, spawn, yield_now};

    /// Names the calling thread in loom's traces; std's threads are not
    /// recorded, so here it does nothing (code compiled on both facades
    /// names its threads for the loom copy).
    pub fn name_current(_name: &str) {}
}

/// std's spin-loop hint.
pub mod hint {
    pub use std::hint::spin_loop;
}

/// An `UnsafeCell` with loom's closure-based access API.
pub mod cell {
    /// std's `UnsafeCell`, reached through [`with`](Self::with) and
    /// [`with_mut`](Self::with_mut) like loom's.
    #[derive(Debug, Default)]
    pub struct UnsafeCell<T>(std::cell::UnsafeCell<T>);

    impl<T> UnsafeCell<T> {
        /// A new cell holding `value`.
        pub const fn new(value: T) -> Self {
            Self(std::cell::UnsafeCell::new(value))
        }

        /// Reads through a `*const T`.
        pub fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
            f(self.0.get())
        }

        /// Writes through a `*mut T`.
        pub fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
            f(self.0.get())
        }

        /// Consumes the cell, returning its value.
        pub fn into_inner(self) -> T {
            self.0.into_inner()
        }
    }
}
