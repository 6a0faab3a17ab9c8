//! This lab's models on real threads, beside loom's outcomes for the same
//! checks: `cargo xtask explore 07 --real` (or `cargo run -p lab-07
//! --release --example observe`). The models are `checks.rs` compiled on
//! std's types (`on_std::checks`), so both columns run the same code.

// The models take the histogram as an argument: `checks.rs` is the same on
// both facades, and the std copies of the histograms are passed here.
use crate::checks::{three_chunks, three_chunks_two_missed, two_chunks};
use crate::on_std::fixed::{atomic_histogram, folded_histogram, publish_then_finish};
use crate::on_std::racy::{finish_then_publish, shared_histogram};
use harness::observe::{Model, Wider};

/// The checks the chapter shows, under their loom titles.
pub const MODELS: &[Model] = &[
    Model {
        title: "shared histogram",
        run: || two_chunks(shared_histogram),
        // Two one-value chunks finish before the second thread starts;
        // two chunks of 10,000 zeros keep both threads counting at once.
        wider: Some(Wider {
            how: "two chunks of 10,000 values each instead of [0, 1] and [0]",
            run: big_chunks,
        }),
    },
    Model {
        title: "fold, then reduce",
        run: || two_chunks(folded_histogram),
        wider: None,
    },
    Model {
        title: "fetch_add histogram",
        run: || two_chunks(atomic_histogram),
        wider: None,
    },
    Model {
        title: "finish, then publish",
        run: || three_chunks_two_missed(finish_then_publish),
        // One-value chunks: each task is done before the next one starts.
        // Chunks of 10,000 values keep the three tasks counting at once,
        // so that they finish close together.
        wider: Some(Wider {
            how: "three chunks of 10,000 values each instead of [0], [1] and [2]",
            run: big_chunks_finish_then_publish,
        }),
    },
    Model {
        title: "publish, then finish",
        run: || three_chunks(publish_then_finish),
        wider: None,
    },
];

/// Finish, then publish, with a wider window: three chunks of 10,000
/// values, all 0s, all 1s and all 2s.
fn big_chunks_finish_then_publish() {
    const EACH: u64 = 10_000;
    let chunks = (0..3).map(|value| vec![value; EACH as usize]).collect();
    let counts = finish_then_publish(chunks);
    let counted = counts[..3].iter().filter(|&&count| count == EACH).count();
    harness::outcome(format!("{counted} of 3 chunks counted"));
    harness::require!(
        counted > 1,
        "three chunks of {EACH} values, and the total {counts:?} holds {counted} of them"
    );
}

/// The shared histogram with a wider window: two chunks of 10,000 zeros.
fn big_chunks() {
    const EACH: u64 = 10_000;
    let counts = shared_histogram(vec![vec![0; EACH as usize], vec![0; EACH as usize]]);
    harness::outcome(if counts[0] == 2 * EACH {
        "no count lost"
    } else {
        "counts lost"
    });
    assert!(
        counts[0] == 2 * EACH,
        "counted 2 chunks of {EACH} zeros: bucket 0 holds {}",
        counts[0]
    );
}
