//! The facade: loom's types under `--cfg loom`, shuttle's under
//! `--cfg shuttle`, std's otherwise. Nothing else in the crate names loom,
//! shuttle or std's sync types (tokio's `src/loom/` and crossbeam's
//! `primitive` module do the same).

// ANCHOR: facade
#[cfg(loom)]
pub(crate) use loom::{
    lazy_static,
    sync::{Mutex, atomic},
    thread_local,
};

#[cfg(not(any(loom, shuttle)))]
pub(crate) use std::{
    sync::{Mutex, atomic},
    thread_local,
};
// ANCHOR_END: facade

// ANCHOR: shuttle
#[cfg(shuttle)]
pub(crate) use shuttle::{
    lazy_static,
    sync::{Mutex, atomic},
    thread_local,
};
// ANCHOR_END: shuttle

/// std has no `lazy_static!`: the same syntax, on `std::sync::LazyLock`.
#[cfg(not(any(loom, shuttle)))]
macro_rules! lazy_static {
    ($(#[$attr:meta])* static ref $name:ident : $t:ty = $init:expr;) => {
        $(#[$attr])*
        static $name: std::sync::LazyLock<$t> = std::sync::LazyLock::new(|| $init);
    };
}
#[cfg(not(any(loom, shuttle)))]
pub(crate) use lazy_static;
