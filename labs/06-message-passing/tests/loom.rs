//! lab-06 under loom: the early stop and the flag-and-slot one-shot are
//! found, and the fixes hold over every interleaving.

use harness::Check;
use lab_06::checks::{send_then_stop, value_arrives, value_arrives_once};
use lab_06::on_loom::fixed::{ClosingJobs, OneSlot};
use lab_06::on_loom::racy::{FlagAndSlot, StopFlagJobs};

// ANCHOR: lost_jobs_are_found
#[test]
fn jobs_lost_at_shutdown_are_found_by_loom() {
    let failure = Check::new("stop flag")
        .preemption_bound(2)
        .in_book()
        .must_fail(send_then_stop::<StopFlagJobs>);
    assert!(
        failure.message.contains("the worker handled"),
        "{}",
        failure.message
    );
}
// ANCHOR_END: lost_jobs_are_found

#[test]
fn close_then_drain_never_loses_a_job() {
    Check::new("close, then drain")
        .every_interleaving()
        .in_book()
        .must_pass(send_then_stop::<ClosingJobs>);
}

#[test]
fn the_shutdown_check_fails_on_a_stop_flag() {
    // The fix's check, every interleaving, on the bug.
    let verdict = Check::new("stop flag, every interleaving")
        .every_interleaving()
        .quiet()
        .run(send_then_stop::<StopFlagJobs>);
    assert!(verdict.failed(), "the fix check passed the stop flag");
}

// ANCHOR: missed_value_is_found
#[test]
fn a_missed_value_is_found_by_loom() {
    let failure = Check::new("flag and slot, missed")
        .preemption_bound(1)
        .in_book()
        .must_fail(value_arrives::<FlagAndSlot>);
    assert!(failure.message.contains("missed"), "{}", failure.message);
}
// ANCHOR_END: missed_value_is_found

#[test]
fn a_value_received_twice_is_found_by_loom() {
    let failure = Check::new("flag and slot, twice")
        .preemption_bound(1)
        .in_book()
        .must_fail(value_arrives_once::<FlagAndSlot>);
    assert!(
        failure.message.contains("then Some(7)"),
        "{}",
        failure.message
    );
}

#[test]
fn one_state_for_flag_and_slot_delivers_the_value_once() {
    Check::new("one slot, arrives")
        .every_interleaving()
        .in_book()
        .must_pass(value_arrives::<OneSlot>);
    Check::new("one slot, once")
        .every_interleaving()
        .in_book()
        .must_pass(value_arrives_once::<OneSlot>);
}
