//! lab-01 under loom: the lost update is found, and both fixes hold over
//! every interleaving.

use harness::Check;
use lab_01::checks::two_increments;
use lab_01::on_loom::fixed::{AtomicCounter, MutexCounter};
use lab_01::on_loom::racy::RacyCounter;
use std::collections::BTreeSet;

// ANCHOR: race_is_found
#[test]
fn lost_update_is_found_by_loom() {
    // One preemption is all it takes: between one thread's read and its write.
    let failure = Check::new("racy counter")
        .preemption_bound(1)
        .in_book()
        .must_fail(two_increments::<RacyCounter>);

    // The trace is the execution loom ran, not a story: in it, both threads
    // read the same count before either wrote.
    let reads = failure.trace.reads_before_first_write();
    let threads_that_read_0: BTreeSet<usize> = reads
        .iter()
        .filter(|(_, value)| value == "0")
        .map(|(thread, _)| *thread)
        .collect();
    assert_eq!(
        threads_that_read_0.len(),
        2,
        "both threads read 0 first: {reads:?}"
    );
}
// ANCHOR_END: race_is_found

// ANCHOR: fix_holds
#[test]
fn fetch_add_never_loses_an_update() {
    Check::new("fetch_add counter")
        .every_interleaving()
        .in_book()
        .must_pass(two_increments::<AtomicCounter>);
}
// ANCHOR_END: fix_holds

#[test]
fn one_critical_section_never_loses_an_update() {
    Check::new("mutex counter")
        .every_interleaving()
        .in_book()
        .must_pass(two_increments::<MutexCounter>);
}

#[test]
fn the_fix_check_fails_on_the_racy_counter() {
    // The check the fixes pass, run on the bug: it must catch it, or the
    // passes above would prove nothing.
    let verdict = Check::new("racy counter, every interleaving")
        .every_interleaving()
        .run(two_increments::<RacyCounter>);
    assert!(verdict.failed(), "the fix check passed a racy counter");
}
