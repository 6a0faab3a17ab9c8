//! This lab's models on real threads, beside loom's outcomes for the same
//! checks: `cargo xtask explore 04 --real` (or `cargo run -p lab-04
//! --release --example observe`). The models are `checks.rs` compiled on
//! std's types (`on_std::checks`), so both columns run the same code.

// "relaxed flag, data in a cell" and "relaxed spin lock" are left out: on
// real threads their data race is undefined behaviour, which loom reports
// as a causality violation and a program must never run.
use crate::on_std::checks::publish_then_read;
use crate::on_std::fixed::{RawSpinCounter, ReleaseAcquireMailbox, SpinCounter};
use crate::on_std::racy::{LoadThenStoreCounter, RelaxedMailbox};
use harness::observe::{Model, Wider};
use lab_01::on_std::checks::increments;

/// The checks the chapter shows, under their loom titles.
pub const MODELS: &[Model] = &[
    Model {
        title: "relaxed flag",
        run: publish_then_read::<RelaxedMailbox>,
        wider: None,
    },
    Model {
        title: "release/acquire flag",
        run: publish_then_read::<ReleaseAcquireMailbox>,
        wider: None,
    },
    Model {
        title: "load then store",
        run: increments::<LoadThenStoreCounter, 2>,
        wider: Some(Wider {
            how: lab_01::observed::MANY,
            run: lab_01::observed::many_increments::<LoadThenStoreCounter>,
        }),
    },
    Model {
        title: "raw spin lock",
        run: increments::<RawSpinCounter, 2>,
        wider: None,
    },
    Model {
        title: "spin lock with a guard",
        run: increments::<SpinCounter, 2>,
        wider: None,
    },
];
