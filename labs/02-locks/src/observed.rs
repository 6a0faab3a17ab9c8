//! This lab's models on real threads, beside loom's outcomes for the same
//! checks: `cargo xtask explore 02 --real` (or `cargo run -p lab-02
//! --release --example observe`). The models are `checks.rs` compiled on
//! std's types (`on_std::checks`), so both columns run the same code.

use crate::on_std::checks::{opposite_transfers, opposite_transfers_in_one_bank, two_withdrawals};
use crate::on_std::fixed::{OneLockBank, SafeAccount};
use crate::on_std::racy::RacyAccount;
use harness::observe::Model;

/// The checks the chapter shows, under their loom titles.
pub const MODELS: &[Model] = &[
    Model {
        title: "racy withdrawals",
        run: two_withdrawals::<RacyAccount>,
        wider: None,
    },
    Model {
        title: "safe withdrawals",
        run: two_withdrawals::<SafeAccount>,
        wider: None,
    },
    Model {
        title: "racy transfers",
        run: opposite_transfers::<RacyAccount>,
        wider: None,
    },
    Model {
        title: "ordered transfers",
        run: opposite_transfers::<SafeAccount>,
        wider: None,
    },
    Model {
        title: "one-lock bank",
        run: opposite_transfers_in_one_bank::<OneLockBank>,
        wider: None,
    },
];
