//! lab-01 under loom: the lost update is found, and both fixes hold over
//! every interleaving.

use harness::{Check, FailureKind, Verdict};
use lab_01::checks::{increments, increments_all_but_one_lost};
use lab_01::on_loom::fixed::{AtomicCounter, MutexCounter};
use lab_01::on_loom::racy::RacyCounter;

// ANCHOR: race_is_found
#[test]
fn lost_update_is_found_by_loom() {
    // One preemption is all it takes: between one thread's read and its write.
    let failure = Check::new("racy counter")
        .preemption_bound(1)
        .in_book()
        .must_fail(increments::<RacyCounter, 2>);

    // The trace is the execution loom ran, not a story told about it:
    // both threads read 0 before either of them wrote...
    let reads = failure.trace.reads_before_first_write();
    assert!(
        reads.contains(&(0, "0".into())) && reads.contains(&(1, "0".into())),
        "{reads:?}"
    );
    // ...and that is what the learner reads in the printed table.
    let printed = harness::render("lab-01", &Verdict::Failed(failure));
    let before_any_write = &printed[..printed.find("write ←").expect("a write")];
    assert_eq!(before_any_write.matches("read → 0").count(), 2, "{printed}");
}
// ANCHOR_END: race_is_found

// ANCHOR: all_but_one
#[test]
fn three_threads_can_lose_two_updates() {
    // Bound 2: loom's search within bound 1 reaches no execution that ends
    // at 1 (`bound_1_reaches_no_execution_that_loses_two_updates`), though
    // the one below preempts only once. Going on past failures, the book's
    // stepper offers every execution within the bound, not only those up
    // to the first that ends at 1.
    let failure = Check::new("racy counter, three threads")
        .preemption_bound(2)
        .explore_past_failures()
        .in_book()
        .must_fail(increments_all_but_one_lost::<RacyCounter, 3>);
    // The last write read 0, after both other threads had written.
    let printed = harness::render("lab-01", &Verdict::Failed(failure));
    let last_write = printed.rfind("write ← 1").expect("a last write of 1");
    assert_eq!(
        printed[..last_write].matches("write ←").count(),
        2,
        "{printed}"
    );
}
// ANCHOR_END: all_but_one

#[test]
fn bound_1_reaches_no_execution_that_loses_two_updates() {
    // Why the chapter's check is bound 2: within bound 1, every execution
    // loom runs passes (`must_pass` fails, showing the execution, if one
    // does not). Not because the failing one needs two preemptions (it
    // has one): loom's bounded search leaves out some executions within
    // its bound.
    Check::new("racy counter, three threads, bound 1")
        .preemption_bound(1)
        .quiet()
        .must_pass(increments_all_but_one_lost::<RacyCounter, 3>);
}

#[test]
fn the_fixes_never_lose_two_of_three_updates() {
    Check::new("fetch_add counter, three threads")
        .every_interleaving()
        .quiet()
        .must_pass(increments_all_but_one_lost::<AtomicCounter, 3>);
    Check::new("mutex counter, three threads")
        .every_interleaving()
        .quiet()
        .must_pass(increments_all_but_one_lost::<MutexCounter, 3>);
}

// ANCHOR: fix_holds
#[test]
fn fetch_add_never_loses_an_update() {
    Check::new("fetch_add counter")
        .every_interleaving()
        .in_book()
        .must_pass(increments::<AtomicCounter, 2>);
}
// ANCHOR_END: fix_holds

#[test]
fn one_critical_section_never_loses_an_update() {
    Check::new("mutex counter")
        .every_interleaving()
        .in_book()
        .must_pass(increments::<MutexCounter, 2>);
}

#[test]
fn the_fix_check_fails_on_the_racy_counter() {
    // The check the fixes pass, run on the bug: it must catch it, or the
    // passes above would prove nothing.
    let verdict = Check::new("racy counter, every interleaving")
        .every_interleaving()
        .quiet()
        .run(increments::<RacyCounter, 2>);
    let Verdict::Failed(failure) = verdict else {
        panic!("the fix check passed a racy counter")
    };
    assert_eq!(failure.kind, FailureKind::Panic, "{}", failure.message);
    assert!(
        failure.message.contains("an update was lost"),
        "{}",
        failure.message
    );
}

#[test]
fn real_threads_agree_with_loom() {
    // A short run of each model on real threads (at most 2,000 runs or half
    // a second): a fix that failed there, or an outcome loom never
    // produced, fails this test; the chapter's quotes of the reference run
    // are checked current.
    harness::observe::check_lab("lab-01", lab_01::observed::MODELS);
}
