//! This lab's models on real threads, beside loom's outcomes for the same
//! checks: `cargo xtask explore 10 --real` (or `cargo run -p lab-10
//! --release --example observe`). The models are `checks.rs` compiled on
//! std's types (`on_std::checks`), so both columns run the same code.

use crate::on_std::checks::{one_wake_from_another_thread, wait_for_an_event};
use crate::on_std::fixed::RegisterThenCheck;
use crate::on_std::handshake::{AnnounceThenCheck, CheckThenAnnounce, PokeThenPush};
use crate::on_std::racy::CheckThenRegister;
use harness::observe::Model;

/// The checks the chapter shows, under their loom titles.
pub const MODELS: &[Model] = &[
    Model {
        title: "check, then register",
        run: wait_for_an_event::<CheckThenRegister>,
        wider: None,
    },
    Model {
        title: "register, then check",
        run: wait_for_an_event::<RegisterThenCheck>,
        wider: None,
    },
    Model {
        title: "loop: check, then announce",
        run: one_wake_from_another_thread::<CheckThenAnnounce>,
        wider: None,
    },
    Model {
        title: "waker: ring, then push",
        run: one_wake_from_another_thread::<PokeThenPush>,
        wider: None,
    },
    Model {
        title: "announce, then check; push, then ring",
        run: one_wake_from_another_thread::<AnnounceThenCheck>,
        wider: None,
    },
];
