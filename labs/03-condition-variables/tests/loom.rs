//! lab-03 under loom: the `if` and the early notify are each found, and the
//! fixed queue passes both models.

use harness::{Check, FailureKind};
use lab_03::checks::{one_item, two_consumers, two_producers};
use lab_03::on_loom::fixed::BoundedQueue;
use lab_03::on_loom::racy::{IfQueue, NotifyFirstQueue};

// ANCHOR: if_is_found
#[test]
fn waiting_with_if_is_found_by_loom() {
    let failure = Check::new("if instead of while")
        .preemption_bound(2)
        .in_book()
        .must_fail(two_consumers::<IfQueue>);
    assert_eq!(failure.kind, FailureKind::Panic);
    assert!(
        failure.message.contains("woke up to an empty queue"),
        "{}",
        failure.message
    );
}
// ANCHOR_END: if_is_found

// ANCHOR: lost_wakeup_is_found
#[test]
fn lost_wakeup_is_found_by_loom() {
    let failure = Check::new("notify before the change")
        .preemption_bound(2)
        .in_book()
        .must_fail(one_item::<NotifyFirstQueue>);
    assert_eq!(failure.kind, FailureKind::Deadlock);
    // The consumer sleeps on the condition variable; main waits for it.
    let text = harness::render("lab-03", &harness::Verdict::Failed(failure));
    assert!(
        text.contains("thread 1 waits on condvar 1, which no thread will notify"),
        "{text}"
    );
}
// ANCHOR_END: lost_wakeup_is_found

#[test]
fn overfilling_with_if_is_found_by_loom() {
    let failure = Check::new("if instead of while, two producers")
        .preemption_bound(2)
        .in_book()
        .must_fail(two_producers::<IfQueue>);
    assert!(
        failure
            .message
            .contains("a queue of one slot holds 2 items"),
        "{}",
        failure.message
    );
}

#[test]
fn waiting_in_a_loop_never_overfills_the_queue() {
    Check::new("bounded queue, two producers")
        .preemption_bound(3)
        .in_book()
        .must_pass(two_producers::<BoundedQueue>);
}

#[test]
fn waiting_in_a_loop_never_pops_an_empty_queue() {
    Check::new("bounded queue, two consumers")
        .preemption_bound(3)
        .in_book()
        .must_pass(two_consumers::<BoundedQueue>);
}

#[test]
fn notifying_after_the_change_never_loses_a_wakeup() {
    Check::new("bounded queue, one item")
        .every_interleaving()
        .in_book()
        .must_pass(one_item::<BoundedQueue>);
}

#[test]
fn the_two_consumer_check_finds_the_early_notify_too() {
    // The fixed queue's check, at the same bound, run on the other bug.
    let failure = Check::new("notify before the change, two consumers")
        .preemption_bound(3)
        .quiet()
        .must_fail(two_consumers::<NotifyFirstQueue>);
    assert_eq!(failure.kind, FailureKind::Deadlock);
}
