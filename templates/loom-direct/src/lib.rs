//! Your own code, checked with loom alone: a template to copy.
//!
//! - `sync.rs`: the one place that chooses loom's types, shuttle's or std's.
//! - `counter.rs`, `ids.rs`, `signal.rs`: the code under test. They import
//!   from `crate::sync`, never from std or loom directly.
//! - `tests/models/mod.rs`: the models, written once;
//! - `tests/loom.rs`: runs them with `RUSTFLAGS="--cfg loom" cargo test`;
//!   `tests/shuttle.rs`: the same under shuttle, `RUSTFLAGS="--cfg shuttle"`.

pub mod counter;
pub mod ids;
pub mod signal;
mod sync;
