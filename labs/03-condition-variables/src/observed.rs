//! This lab's models on real threads, beside loom's outcomes for the same
//! checks: `cargo xtask explore 03 --real` (or `cargo run -p lab-03
//! --release --example observe`). The models are `checks.rs` compiled on
//! std's types (`on_std::checks`), so both columns run the same code.

use crate::on_std::checks::{one_item, two_consumers, two_producers};
use crate::on_std::fixed::BoundedQueue;
use crate::on_std::racy::{IfQueue, NotifyFirstQueue};
use harness::observe::Model;

/// The checks the chapter shows, under their loom titles.
pub const MODELS: &[Model] = &[
    Model {
        title: "if instead of while",
        run: two_consumers::<IfQueue>,
        wider: None,
    },
    Model {
        title: "notify before the change",
        run: one_item::<NotifyFirstQueue>,
        wider: None,
    },
    Model {
        title: "if instead of while, two producers",
        run: two_producers::<IfQueue>,
        wider: None,
    },
    Model {
        title: "bounded queue, two producers",
        run: two_producers::<BoundedQueue>,
        wider: None,
    },
    Model {
        title: "bounded queue, two consumers",
        run: two_consumers::<BoundedQueue>,
        wider: None,
    },
    Model {
        title: "bounded queue, one item",
        run: one_item::<BoundedQueue>,
        wider: None,
    },
];
