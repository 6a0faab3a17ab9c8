//! This lab's models on real threads, beside loom's outcomes for the same
//! checks: `cargo xtask explore 06 --real` (or `cargo run -p lab-06
//! --release --example observe`). The models are `checks.rs` compiled on
//! std's types (`on_std::checks`), so both columns run the same code.

use crate::on_std::checks::{send_then_stop, value_arrives, value_arrives_once};
use crate::on_std::fixed::{ClosingJobs, OneSlot};
use crate::on_std::racy::{FlagAndSlot, StopFlagJobs};
use harness::observe::Model;

/// The checks the chapter shows, under their loom titles.
pub const MODELS: &[Model] = &[
    Model {
        title: "stop flag",
        run: send_then_stop::<StopFlagJobs>,
        wider: None,
    },
    Model {
        title: "close, then drain",
        run: send_then_stop::<ClosingJobs>,
        wider: None,
    },
    Model {
        title: "flag and slot, missed",
        run: value_arrives::<FlagAndSlot>,
        wider: None,
    },
    Model {
        title: "flag and slot, twice",
        run: value_arrives_once::<FlagAndSlot>,
        wider: None,
    },
    Model {
        title: "one slot, arrives",
        run: value_arrives::<OneSlot>,
        wider: None,
    },
    Model {
        title: "one slot, once",
        run: value_arrives_once::<OneSlot>,
        wider: None,
    },
];
