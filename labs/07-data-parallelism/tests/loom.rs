//! lab-07 under loom: the lost counts of the shared histogram are found,
//! and fold-then-reduce (and `fetch_add`) count every value.

use harness::{Check, Op, Verdict};
use lab_07::checks::two_chunks;
use lab_07::on_loom::fixed::{atomic_histogram, folded_histogram};
use lab_07::on_loom::racy::shared_histogram;
use std::collections::BTreeSet;

// ANCHOR: lost_count_is_found
#[test]
fn lost_count_is_found_by_loom() {
    let failure = Check::new("shared histogram")
        .preemption_bound(2)
        .in_book()
        .must_fail(|| two_chunks(shared_histogram));
    // In the execution loom ran, both counting threads stored 1 into
    // bucket 0 (the first atomic made): each read 0 and added its one.
    let bucket_0 = Some(0);
    let threads_that_stored_1: BTreeSet<usize> = failure
        .trace
        .events
        .iter()
        .filter(|e| {
            e.object == bucket_0 && matches!(&e.op, Op::Store { value, .. } if value == "1")
        })
        .map(|e| e.thread)
        .collect();
    assert_eq!(threads_that_stored_1.len(), 2, "{threads_that_stored_1:?}");
}
// ANCHOR_END: lost_count_is_found

#[test]
fn fold_then_reduce_counts_every_value() {
    Check::new("fold, then reduce")
        .every_interleaving()
        .in_book()
        .must_pass(|| two_chunks(folded_histogram));
}

#[test]
fn fetch_add_counts_every_value() {
    Check::new("fetch_add histogram")
        .every_interleaving()
        .in_book()
        .must_pass(|| two_chunks(atomic_histogram));
}

#[test]
fn the_histogram_check_fails_on_the_shared_histogram_at_any_bound() {
    let verdict = Check::new("shared histogram, every interleaving")
        .every_interleaving()
        .quiet()
        .run(|| two_chunks(shared_histogram));
    assert!(
        matches!(verdict, Verdict::Failed(_)),
        "the fix check passed the racy histogram"
    );
}

#[test]
fn real_threads_agree_with_loom() {
    // A short run of each model on real threads (at most 2,000 runs or half
    // a second): a fix that failed there, or an outcome loom never
    // produced, fails this test; the chapter's quotes of the reference run
    // are checked current.
    harness::observe::check_lab("lab-07", lab_07::observed::MODELS);
}
