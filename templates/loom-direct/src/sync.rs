//! The facade: loom's types under `--cfg loom`, std's otherwise. Nothing
//! else in the crate names loom or std's sync types (tokio's `src/loom/`
//! and crossbeam's `primitive` module do the same).

// ANCHOR: facade
#[cfg(loom)]
pub(crate) use loom::{
    lazy_static,
    sync::{Mutex, atomic},
    thread_local,
};

#[cfg(not(loom))]
pub(crate) use std::{
    sync::{Mutex, atomic},
    thread_local,
};
// ANCHOR_END: facade

/// std has no `lazy_static!`: the same syntax, on `std::sync::LazyLock`.
#[cfg(not(loom))]
macro_rules! lazy_static {
    ($(#[$attr:meta])* static ref $name:ident : $t:ty = $init:expr;) => {
        $(#[$attr])*
        static $name: std::sync::LazyLock<$t> = std::sync::LazyLock::new(|| $init);
    };
}
#[cfg(not(loom))]
pub(crate) use lazy_static;
