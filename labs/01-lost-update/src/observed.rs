//! This lab's models on real threads, beside loom's outcomes for the same
//! checks: `cargo xtask explore 01 --real` (or `cargo run -p lab-01
//! --release --example observe`). The models are `checks.rs` compiled on
//! std's types (`on_std::checks`), so both columns run the same code.

use crate::on_std::checks::increments;
use crate::on_std::fixed::{AtomicCounter, MutexCounter};
use crate::on_std::racy::RacyCounter;
use harness::observe::{Model, Wider};

/// The checks the chapter shows, under their loom titles.
pub const MODELS: &[Model] = &[
    Model {
        title: "racy counter",
        run: increments::<RacyCounter, 2>,
        // Spawning a thread takes longer than one increment, so the two
        // increments rarely overlap; many increments per thread make the
        // same race a matter of time.
        wider: Some(Wider {
            how: MANY,
            run: many_increments::<RacyCounter>,
        }),
    },
    Model {
        title: "fetch_add counter",
        run: increments::<AtomicCounter, 2>,
        wider: None,
    },
    Model {
        title: "mutex counter",
        run: increments::<MutexCounter, 2>,
        wider: None,
    },
];

/// What widens a counter's window: 2 threads, 10,000 increments each.
pub const MANY: &str = "each of the 2 threads increments 10,000 times instead of once";

/// A counter with a wider window: 2 threads, 10,000 increments each.
pub fn many_increments<C: crate::Counter>() {
    const PER_THREAD: u64 = 10_000;
    let count = crate::threads::count_shared::<C>(2, PER_THREAD);
    let lost = 2 * PER_THREAD - count;
    harness::outcome(if lost == 0 {
        String::from("no update lost")
    } else {
        String::from("updates lost")
    });
    assert!(lost == 0, "{lost} of {} updates lost", 2 * PER_THREAD);
}
