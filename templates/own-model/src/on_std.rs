//! The code on std's types: what your program runs.

use harness::sync::std as sync;

#[path = "counter.rs"]
pub mod counter;
