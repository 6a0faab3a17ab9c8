//! This lab's models on real threads, beside loom's outcomes for the same
//! checks: `cargo xtask explore 05 --real` (or `cargo run -p lab-05
//! --release --example observe`). The models are `checks.rs` compiled on
//! std's types (`on_std::checks`), so both columns run the same code.

use crate::on_std::checks::update_while_reading;
use crate::on_std::fixed::SnapshotStore;
use crate::on_std::racy::TwoLocksStore;
use harness::observe::Model;

/// The checks the chapter shows, under their loom titles.
pub const MODELS: &[Model] = &[
    Model {
        title: "two locks",
        run: update_while_reading::<TwoLocksStore>,
        wider: None,
    },
    Model {
        title: "snapshot",
        run: update_while_reading::<SnapshotStore>,
        wider: None,
    },
];
