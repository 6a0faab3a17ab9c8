//! Every level of the puzzle trail under loom: the puzzle's code fails (a
//! failed assertion or a deadlock, which the learner is to reach in the
//! stepper), its fix passes every execution within the stated bound, and
//! a tempting wrong fix, where a level has one, fails the fix's check.
//!
//! The `.in_book()` checks are the levels the book plays: `cargo xtask
//! traces` writes their executions to `book/src/explore/puzzles/` and
//! their verdicts to `book/src/traces/puzzles/`; `cargo xtask test` fails
//! if either is stale.

use harness::{Check, FailureKind, Verdict};
use puzzles::{
    aba_stack, barrier_lapped, lazy_init_relaxed, one_condvar_wrong_sleeper, semaphore_edge_wakeup,
    ticket_taken_twice,
};

/// A wrong fix's verdict: it must fail, the way `kind` says.
fn must_fail_as(verdict: Verdict, kind: FailureKind, message: &str) {
    let Verdict::Failed(failure) = verdict else {
        panic!("the fix's check passed a wrong fix")
    };
    assert_eq!(failure.kind, kind, "{}", failure.message);
    assert!(
        failure.message.contains(message),
        "{} does not say `{message}`",
        failure.message
    );
}

// Level 1. One preemption, between the read of the ticket and its write,
// is all the race needs; the fix is checked over every interleaving.

#[test]
fn puzzle_01_a_ticket_read_then_written_lets_two_threads_in() {
    let failure = Check::new("puzzle 01 ticket lock")
        .every_interleaving()
        .in_book()
        .must_fail(ticket_taken_twice::two_customers::<ticket_taken_twice::ReadThenWrite>);
    assert_eq!(failure.kind, FailureKind::Panic, "{}", failure.message);
    assert!(
        failure.message.contains("both hold ticket 0"),
        "{}",
        failure.message
    );
}

#[test]
fn puzzle_01_fixed_a_ticket_taken_with_fetch_add_admits_one_at_a_time() {
    Check::new("puzzle 01 ticket lock, fixed")
        .every_interleaving()
        .in_book()
        .must_pass(ticket_taken_twice::two_customers::<ticket_taken_twice::FetchAdd>);
}

#[test]
fn puzzle_01_wrong_fix_checking_the_store_took_still_lets_two_in() {
    let verdict = Check::new("puzzle 01 ticket lock, checked after the store")
        .every_interleaving()
        .quiet()
        .run(ticket_taken_twice::two_customers::<ticket_taken_twice::CheckAfterStore>);
    must_fail_as(verdict, FailureKind::Panic, "two threads inside the lock");
}

// Level 2. Both workers must be asleep before main's two releases: one
// preemption of main; the fix is checked over every interleaving.

#[test]
fn puzzle_02_a_semaphore_notifying_only_from_zero_leaves_a_worker_asleep() {
    let failure = Check::new("puzzle 02 semaphore")
        .every_interleaving()
        .in_book()
        .must_fail(semaphore_edge_wakeup::two_waiters::<semaphore_edge_wakeup::NotifyOnEdge>);
    assert_eq!(failure.kind, FailureKind::Deadlock, "{}", failure.message);
}

#[test]
fn puzzle_02_fixed_a_semaphore_notifying_on_every_release_wakes_both() {
    Check::new("puzzle 02 semaphore, fixed")
        .every_interleaving()
        .in_book()
        .must_pass(semaphore_edge_wakeup::two_waiters::<semaphore_edge_wakeup::NotifyEveryRelease>);
}

// Level 3. Both consumers asleep before the first put: one preemption of
// main; the fix is checked over every interleaving.

#[test]
fn puzzle_03_one_condvar_and_notify_one_wake_the_wrong_sleeper() {
    let failure = Check::new("puzzle 03 bounded buffer")
        .every_interleaving()
        .in_book()
        .must_fail(
            one_condvar_wrong_sleeper::two_consumers::<one_condvar_wrong_sleeper::OneCondvar>,
        );
    assert_eq!(failure.kind, FailureKind::Deadlock, "{}", failure.message);
}

#[test]
fn puzzle_03_fixed_a_condvar_per_condition_wakes_a_thread_that_can_go_on() {
    Check::new("puzzle 03 bounded buffer, fixed")
        .every_interleaving()
        .in_book()
        .must_pass(
            one_condvar_wrong_sleeper::two_consumers::<one_condvar_wrong_sleeper::TwoCondvars>,
        );
}

// Level 4. Two threads, two rounds: every interleaving, for the puzzle
// and the fix.

#[test]
fn puzzle_04_a_barrier_counting_arrivals_only_is_lapped() {
    let failure = Check::new("puzzle 04 barrier")
        .every_interleaving()
        .in_book()
        .must_fail(barrier_lapped::two_rounds::<barrier_lapped::CountOnly>);
    assert_eq!(failure.kind, FailureKind::Deadlock, "{}", failure.message);
}

#[test]
fn puzzle_04_fixed_a_barrier_numbering_its_rounds_cannot_be_lapped() {
    Check::new("puzzle 04 barrier, fixed")
        .every_interleaving()
        .in_book()
        .must_pass(barrier_lapped::two_rounds::<barrier_lapped::Generations>);
}

// Level 5. Two callers: every interleaving, and every value loom lets each
// relaxed load read.

#[test]
fn puzzle_05_a_relaxed_ready_flag_lets_a_caller_read_the_value_unset() {
    let failure = Check::new("puzzle 05 lazy initialisation")
        .every_interleaving()
        .in_book()
        .must_fail(lazy_init_relaxed::two_callers::<lazy_init_relaxed::RelaxedFlag>);
    assert_eq!(failure.kind, FailureKind::Panic, "{}", failure.message);
    assert!(failure.message.contains("got 0"), "{}", failure.message);
}

#[test]
fn puzzle_05_fixed_release_and_acquire_publish_the_value_with_the_flag() {
    Check::new("puzzle 05 lazy initialisation, fixed")
        .every_interleaving()
        .in_book()
        .must_pass(lazy_init_relaxed::two_callers::<lazy_init_relaxed::ReleaseAcquire>);
}

#[test]
fn puzzle_05_wrong_fix_release_without_acquire_still_reads_the_value_unset() {
    let verdict = Check::new("puzzle 05 lazy initialisation, release only")
        .every_interleaving()
        .quiet()
        .run(lazy_init_relaxed::two_callers::<lazy_init_relaxed::ReleaseOnly>);
    must_fail_as(verdict, FailureKind::Panic, "got 0");
}

// Level 6. One preemption of the spawned thread's pop, between its reads
// and its swap; the fix is checked over every interleaving.

#[test]
fn puzzle_06_an_untagged_lock_free_stack_hands_out_a_node_twice() {
    let failure = Check::new("puzzle 06 lock-free stack")
        .every_interleaving()
        .in_book()
        .must_fail(aba_stack::pop_pop_push::<aba_stack::Untagged>);
    assert_eq!(failure.kind, FailureKind::Panic, "{}", failure.message);
    assert!(failure.message.contains("[1, 2, 2]"), "{}", failure.message);
}

#[test]
fn puzzle_06_fixed_a_tagged_top_refuses_a_swap_after_pop_pop_push() {
    Check::new("puzzle 06 lock-free stack, fixed")
        .every_interleaving()
        .in_book()
        .must_pass(aba_stack::pop_pop_push::<aba_stack::Tagged>);
}

#[test]
fn puzzle_06_wrong_fix_checking_the_node_under_before_the_swap_still_fails() {
    let verdict = Check::new("puzzle 06 lock-free stack, checked under")
        .every_interleaving()
        .quiet()
        .run(aba_stack::pop_pop_push::<aba_stack::CheckUnder>);
    must_fail_as(verdict, FailureKind::Panic, "in [1, 2, 2]");
}
