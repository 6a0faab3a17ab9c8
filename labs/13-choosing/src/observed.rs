//! This lab's models on real threads, beside loom's outcomes for the same
//! checks: `cargo xtask explore 13 --real` (or `cargo run -p lab-13
//! --release --example observe`). The models are `checks.rs` compiled on
//! std's types (`on_std::checks`), so both columns run the same code.

use crate::on_std::checks::admit_then_drain;
use crate::on_std::fixed::{OneLock, OneWord};
use crate::on_std::racy::CheckThenCount;
use harness::observe::Model;

/// The checks the chapter shows, under their loom titles.
pub const MODELS: &[Model] = &[
    Model {
        title: "check, then count",
        run: || admit_then_drain::<CheckThenCount>(1),
        wider: None,
    },
    Model {
        title: "one word",
        run: || admit_then_drain::<OneWord>(2),
        wider: None,
    },
    Model {
        title: "one lock",
        run: || admit_then_drain::<OneLock>(2),
        wider: None,
    },
];
