//! The facade: one place that picks loom's types or std's.
//!
//! A lab's code imports `super::sync::{Mutex, thread, ...}` and never names
//! loom or std. The lab's `lib.rs` compiles each file twice, once with
//! `use harness::sync::std as sync` (the demo and the benchmark use that
//! copy) and once with `use harness::sync::loom as sync` (the tests use that
//! one), so `cargo test` needs no `--cfg loom` and no feature flag.

pub mod loom;
pub mod std;
