//! The same code on loom's types, recorded by the harness: what the tests check.

// ANCHOR: facade
use harness::sync::loom as sync;

#[path = "counter.rs"]
pub mod counter;
// ANCHOR_END: facade
