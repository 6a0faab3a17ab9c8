//! This lab's models on real threads, beside loom's outcomes for the same
//! checks: `cargo xtask explore 11 --real` (or `cargo run -p lab-11
//! --release --example observe`). The models are `checks.rs` compiled on
//! std's types (`on_std::checks`), so both columns run the same code.

use crate::on_std::checks::two_tasks_get_one_key;
use crate::on_std::fixed::SingleFlight;
use crate::on_std::racy::CheckThenLoad;
use harness::observe::Model;

/// The checks the chapter shows, under their loom titles.
pub const MODELS: &[Model] = &[
    Model {
        title: "check, then load",
        run: two_tasks_get_one_key::<CheckThenLoad>,
        wider: None,
    },
    Model {
        title: "single flight",
        run: two_tasks_get_one_key::<SingleFlight>,
        wider: None,
    },
];
