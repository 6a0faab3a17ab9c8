//! Every level of the puzzle trail under loom: the puzzle's code fails (a
//! failed assertion or a deadlock, which the learner is to reach in the
//! stepper), its fix passes every execution within the stated bound, and
//! a tempting wrong fix, where a level has one, fails the fix's check.
//!
//! The `.in_book()` checks are the levels the book plays: `cargo xtask
//! traces` writes their executions to `book/src/explore/puzzles/` and
//! their verdicts to `book/src/traces/puzzles/`; `cargo xtask test` fails
//! if either is stale.

use harness::sync::loom::atomic::{AtomicBool, AtomicUsize, Ordering};
use harness::sync::loom::{Arc, Mutex, thread};
use harness::{Check, FailureKind, Verdict};
use puzzles::{
    aba_stack, barrier_lapped, callback_under_lock, cancelled_holding_lock, lazy_init_relaxed,
    one_condvar_wrong_sleeper, philosophers_waiter, polite_livelock, semaphore_edge_wakeup,
    send_after_close, sleeping_barber, started_not_done, starved_writer, ticket_taken_twice,
    underscore_guard,
};

/// A check that explores every interleaving and prints only its headline:
/// for the wrong versions, and the models run beside each level's.
fn quietly(title: &str) -> Check {
    Check::new(title).every_interleaving().quiet()
}

/// A wrong fix's verdict: it must fail, the way `kind` says.
fn must_fail_as(verdict: Verdict, kind: FailureKind, message: &str) {
    let Verdict::Failed(failure) = verdict else {
        panic!("the check passed a wrong version")
    };
    assert_eq!(failure.kind, kind, "{}", failure.message);
    assert!(
        failure.message.contains(message),
        "{} does not say `{message}`",
        failure.message
    );
}

// Level 1. One send against one close: every interleaving.

#[test]
fn puzzle_01_a_send_checking_then_queueing_loses_a_message_to_the_close() {
    let failure = Check::new("puzzle 01 channel close")
        .every_interleaving()
        .explore_past_failures()
        .in_book()
        .must_fail(send_after_close::send_during_close::<send_after_close::CheckThenQueue>);
    assert_eq!(failure.kind, FailureKind::Panic, "{}", failure.message);
    assert!(failure.message.contains("7 is lost"), "{}", failure.message);
}

#[test]
fn puzzle_01_fixed_one_lock_over_the_flag_and_the_queue_loses_nothing() {
    Check::new("puzzle 01 channel close, fixed")
        .every_interleaving()
        .in_book()
        .must_pass(send_after_close::send_during_close::<send_after_close::OneLock>);
}

#[test]
fn puzzle_01_wrong_fix_closing_under_both_locks_still_loses_the_message() {
    let verdict = quietly("puzzle 01 channel close, closed under both locks")
        .run(send_after_close::send_during_close::<send_after_close::CloseUnderBoth>);
    must_fail_as(verdict, FailureKind::Panic, "7 is lost");
}

// Level 2. Two increments: every interleaving, and every value loom lets
// each relaxed load read.

#[test]
fn puzzle_02_a_guard_bound_to_underscore_guards_nothing() {
    let failure = Check::new("puzzle 02 underscore guard")
        .every_interleaving()
        .explore_past_failures()
        .in_book()
        .must_fail(underscore_guard::two_increments::<underscore_guard::UnderscoreGuard>);
    assert_eq!(failure.kind, FailureKind::Panic, "{}", failure.message);
    assert!(
        failure.message.contains("the count is 1"),
        "{}",
        failure.message
    );
}

#[test]
fn puzzle_02_fixed_a_named_guard_holds_the_gate_to_the_end_of_the_block() {
    Check::new("puzzle 02 underscore guard, fixed")
        .every_interleaving()
        .in_book()
        .must_pass(underscore_guard::two_increments::<underscore_guard::NamedGuard>);
}

// Level 3. Two callers: every interleaving.

#[test]
fn puzzle_03_a_caller_that_finds_the_value_started_reads_it_unset() {
    let failure = Check::new("puzzle 03 started flag")
        .every_interleaving()
        .explore_past_failures()
        .in_book()
        .must_fail(started_not_done::two_callers::<started_not_done::StartedFlag>);
    assert_eq!(failure.kind, FailureKind::Panic, "{}", failure.message);
    assert!(failure.message.contains("got 0"), "{}", failure.message);
}

#[test]
fn puzzle_03_fixed_the_others_wait_for_done_not_for_started() {
    Check::new("puzzle 03 started flag, fixed")
        .every_interleaving()
        .in_book()
        .must_pass(started_not_done::two_callers::<started_not_done::StartedThenDone>);
}

#[test]
fn puzzle_03_wrong_fix_raising_started_once_done_computes_the_value_twice() {
    let verdict = quietly("puzzle 03 started flag, raised once done")
        .run(started_not_done::two_callers::<started_not_done::MarkWhenDone>);
    must_fail_as(verdict, FailureKind::Panic, "computed 2 times");
}

#[test]
fn puzzle_03_wrong_fix_raising_done_before_the_value_is_written_still_reads_it_unset() {
    let verdict = quietly("puzzle 03 started flag, done too early")
        .run(started_not_done::two_callers::<started_not_done::DoneTooEarly>);
    must_fail_as(verdict, FailureKind::Panic, "got 0");
}

// Level 4. One job, one cancel: every interleaving.

#[test]
fn puzzle_04_a_cancelled_job_returning_early_leaves_the_lock_held() {
    let failure = Check::new("puzzle 04 cancelled job")
        .every_interleaving()
        .in_book()
        .must_fail(
            cancelled_holding_lock::cancel_then_lock::<cancelled_holding_lock::ReleaseAtTheEnd>,
        );
    assert_eq!(failure.kind, FailureKind::Deadlock, "{}", failure.message);
}

#[test]
fn puzzle_04_fixed_a_guard_releases_the_lock_on_every_way_out() {
    Check::new("puzzle 04 cancelled job, fixed")
        .every_interleaving()
        .in_book()
        .must_pass(
            cancelled_holding_lock::cancel_then_lock::<cancelled_holding_lock::ReleaseOnDrop>,
        );
}

#[test]
fn puzzle_04_wrong_fix_a_guard_bound_to_underscore_releases_the_lock_before_the_work() {
    let verdict = quietly("puzzle 04 cancelled job, guard bound to _").run(
        cancelled_holding_lock::cancel_then_lock::<cancelled_holding_lock::GuardBoundToUnderscore>,
    );
    must_fail_as(
        verdict,
        FailureKind::Panic,
        "the first half of the work ran without the lock",
    );
}

// Level 5. Two threads taking the lock once each: every interleaving, for
// the puzzle and the fix.

#[test]
fn puzzle_05_a_ticket_read_then_written_lets_two_threads_in() {
    let failure = Check::new("puzzle 05 ticket lock")
        .every_interleaving()
        .explore_past_failures()
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
fn puzzle_05_fixed_a_ticket_taken_with_fetch_add_admits_one_at_a_time() {
    Check::new("puzzle 05 ticket lock, fixed")
        .every_interleaving()
        .in_book()
        .must_pass(ticket_taken_twice::two_customers::<ticket_taken_twice::FetchAdd>);
}

#[test]
fn puzzle_05_wrong_fix_checking_the_store_took_still_lets_two_in() {
    let verdict = quietly("puzzle 05 ticket lock, checked after the store")
        .run(ticket_taken_twice::two_customers::<ticket_taken_twice::CheckAfterStore>);
    must_fail_as(verdict, FailureKind::Panic, "two threads inside the lock");
}

// Level 6. One message, one subscriber leaving: every interleaving.

#[test]
fn puzzle_06_delivering_under_the_list_lock_deadlocks_a_leaver() {
    let failure = Check::new("puzzle 06 event bus")
        .every_interleaving()
        .in_book()
        .must_fail(
            callback_under_lock::publish_while_leaving::<callback_under_lock::DeliverUnderLock>,
        );
    assert_eq!(failure.kind, FailureKind::Deadlock, "{}", failure.message);
}

#[test]
fn puzzle_06_fixed_delivering_to_a_copy_of_the_list_holds_no_lock_across_the_call() {
    Check::new("puzzle 06 event bus, fixed")
        .every_interleaving()
        .in_book()
        .must_pass(
            callback_under_lock::publish_while_leaving::<callback_under_lock::DeliverAfterCopy>,
        );
}

#[test]
fn puzzle_06_wrong_fix_copying_the_list_under_a_live_guard_still_deadlocks() {
    let verdict = quietly("puzzle 06 event bus, copied under the guard")
        .run(callback_under_lock::publish_while_leaving::<callback_under_lock::CopyUnderTheGuard>);
    must_fail_as(verdict, FailureKind::Deadlock, "deadlock");
}

// Level 7. Two customers and the barber: every interleaving.

#[test]
fn puzzle_07_a_barber_looking_then_lying_down_sleeps_beside_a_full_room() {
    let failure = Check::new("puzzle 07 sleeping barber")
        .every_interleaving()
        .in_book()
        .must_fail(sleeping_barber::barber_and_customers::<sleeping_barber::LookThenSleep>);
    assert_eq!(failure.kind, FailureKind::Deadlock, "{}", failure.message);
}

#[test]
fn puzzle_07_fixed_a_barber_looking_and_lying_down_under_one_lock_serves_all() {
    Check::new("puzzle 07 sleeping barber, fixed")
        .every_interleaving()
        .in_book()
        .must_pass(sleeping_barber::barber_and_customers::<sleeping_barber::LookWhileLocked>);
}

// Level 8. Two workers and main: every interleaving, for the puzzle and
// the fix.

#[test]
fn puzzle_08_a_semaphore_notifying_only_from_zero_leaves_a_worker_asleep() {
    let failure = Check::new("puzzle 08 semaphore")
        .every_interleaving()
        .in_book()
        .must_fail(semaphore_edge_wakeup::two_waiters::<semaphore_edge_wakeup::NotifyOnEdge>);
    assert_eq!(failure.kind, FailureKind::Deadlock, "{}", failure.message);
}

#[test]
fn puzzle_08_fixed_a_semaphore_notifying_on_every_release_wakes_both() {
    Check::new("puzzle 08 semaphore, fixed")
        .every_interleaving()
        .in_book()
        .must_pass(semaphore_edge_wakeup::two_waiters::<semaphore_edge_wakeup::NotifyEveryRelease>);
}

// Level 9. Two tries each (polite_livelock::TRIES): every interleaving.

#[test]
fn puzzle_09_two_polite_threads_step_aside_for_each_other_forever() {
    let failure = Check::new("puzzle 09 polite threads")
        .every_interleaving()
        .explore_past_failures()
        .in_book()
        .must_fail(polite_livelock::two_polite_threads::<polite_livelock::BothPolite>);
    assert_eq!(failure.kind, FailureKind::Panic, "{}", failure.message);
    assert!(
        failure.message.contains("neither thread got in"),
        "{}",
        failure.message
    );
}

#[test]
fn puzzle_09_fixed_one_thread_keeping_its_hand_up_lets_both_in() {
    Check::new("puzzle 09 polite threads, fixed")
        .every_interleaving()
        .in_book()
        .must_pass(polite_livelock::two_polite_threads::<polite_livelock::OneYields>);
}

#[test]
fn puzzle_09_fixed_both_threads_get_in_and_the_stricter_check_can_fail() {
    // The fix's exact result: both get in, not only one.
    quietly("puzzle 09 polite threads, fixed, both get in")
        .must_pass(polite_livelock::both_get_in::<polite_livelock::OneYields>);
    // The same check on the puzzle fails: it can tell.
    let verdict = quietly("puzzle 09 polite threads, both get in")
        .run(polite_livelock::both_get_in::<polite_livelock::BothPolite>);
    must_fail_as(verdict, FailureKind::Panic, "gave up");
}

// Level 10. Three philosophers, preemption bound 3 (see the model).

#[test]
fn puzzle_10_a_waiter_counting_chairs_lets_the_philosophers_deadlock() {
    let failure = Check::new("puzzle 10 philosophers")
        .preemption_bound(3)
        .in_book()
        .must_fail(philosophers_waiter::three_philosophers::<philosophers_waiter::OnePerChair>);
    assert_eq!(failure.kind, FailureKind::Deadlock, "{}", failure.message);
}

#[test]
fn puzzle_10_fixed_a_waiter_seating_one_fewer_than_the_forks_feeds_everyone() {
    Check::new("puzzle 10 philosophers, fixed")
        .preemption_bound(3)
        .in_book()
        .must_pass(philosophers_waiter::three_philosophers::<philosophers_waiter::OneFewer>);
}

// Level 11. Two readers reading once each and a writer: every
// interleaving.

#[test]
fn puzzle_11_readers_taking_turns_starve_a_writer_that_lets_them_in() {
    let failure = Check::new("puzzle 11 reader-writer lock")
        .every_interleaving()
        .explore_past_failures()
        .in_book()
        .must_fail(starved_writer::readers_and_a_writer::<starved_writer::ReadersFirst>);
    assert_eq!(failure.kind, FailureKind::Panic, "{}", failure.message);
    assert!(
        failure.message.contains("the writer gave up"),
        "{}",
        failure.message
    );
}

#[test]
fn puzzle_11_fixed_a_waiting_writer_goes_before_new_readers() {
    Check::new("puzzle 11 reader-writer lock, fixed")
        .every_interleaving()
        .in_book()
        .must_pass(starved_writer::readers_and_a_writer::<starved_writer::WritersFirst>);
}

#[test]
fn puzzle_11_fixed_no_writer_gets_in_beside_a_reader_and_a_writer_barging_in_is_caught() {
    // The level's model checks only that the writer gets in: it passes a
    // lock whose writer does not wait for the readers inside.
    quietly("puzzle 11 reader-writer lock, writer barges, the level's model")
        .must_pass(starved_writer::readers_and_a_writer::<starved_writer::WriterBarges>);
    // The second model, one reader and one writer: the fix and the
    // puzzle keep them apart; the barging writer is caught.
    quietly("puzzle 11 reader-writer lock, fixed, apart")
        .must_pass(starved_writer::no_reader_inside_a_write::<starved_writer::WritersFirst>);
    quietly("puzzle 11 reader-writer lock, apart")
        .must_pass(starved_writer::no_reader_inside_a_write::<starved_writer::ReadersFirst>);
    let verdict = quietly("puzzle 11 reader-writer lock, writer barges, apart")
        .run(starved_writer::no_reader_inside_a_write::<starved_writer::WriterBarges>);
    must_fail_as(
        verdict,
        FailureKind::Panic,
        "the writer got in beside a reader",
    );
}

// Level 12. Two consumers and main: every interleaving, for the puzzle and
// the fix.

#[test]
fn puzzle_12_one_condvar_and_notify_one_wake_the_wrong_sleeper() {
    let failure = Check::new("puzzle 12 bounded buffer")
        .every_interleaving()
        .in_book()
        .must_fail(
            one_condvar_wrong_sleeper::two_consumers::<one_condvar_wrong_sleeper::OneCondvar>,
        );
    assert_eq!(failure.kind, FailureKind::Deadlock, "{}", failure.message);
}

#[test]
fn puzzle_12_fixed_a_condvar_per_condition_wakes_a_thread_that_can_go_on() {
    Check::new("puzzle 12 bounded buffer, fixed")
        .every_interleaving()
        .in_book()
        .must_pass(
            one_condvar_wrong_sleeper::two_consumers::<one_condvar_wrong_sleeper::TwoCondvars>,
        );
}

#[test]
fn puzzle_12_wrong_fix_a_condvar_per_condition_waited_on_with_if_takes_from_an_empty_slot() {
    let verdict = quietly("puzzle 12 bounded buffer, waits under if")
        .run(one_condvar_wrong_sleeper::two_consumers::<one_condvar_wrong_sleeper::TwoCondvarsIf>);
    must_fail_as(verdict, FailureKind::Panic, "woken, so an item is there");
}

// Level 13. Two threads, two rounds: every interleaving, for the puzzle
// and the fix.

#[test]
fn puzzle_13_a_barrier_counting_arrivals_only_is_lapped() {
    let failure = Check::new("puzzle 13 barrier")
        .every_interleaving()
        .in_book()
        .must_fail(barrier_lapped::two_rounds::<barrier_lapped::CountOnly>);
    assert_eq!(failure.kind, FailureKind::Deadlock, "{}", failure.message);
}

#[test]
fn puzzle_13_fixed_a_barrier_numbering_its_rounds_cannot_be_lapped() {
    Check::new("puzzle 13 barrier, fixed")
        .every_interleaving()
        .in_book()
        .must_pass(barrier_lapped::two_rounds::<barrier_lapped::Generations>);
}

#[test]
fn puzzle_13_a_second_yield_hides_the_lap_from_loom_which_runs_the_others_first() {
    // Not a fix: loom's limit, which the level's page states. Should loom
    // come to run a thread on past two yields, this fails, and the page's
    // paragraph is to go.
    quietly("puzzle 13 barrier, yielding twice")
        .must_pass(barrier_lapped::two_rounds::<barrier_lapped::CountOnlyYieldingTwice>);
}

// Level 14. Two callers: every interleaving, and every value loom lets each
// relaxed load read.

#[test]
fn puzzle_14_a_relaxed_ready_flag_lets_a_caller_read_the_value_unset() {
    let failure = Check::new("puzzle 14 lazy initialisation")
        .every_interleaving()
        .explore_past_failures()
        .in_book()
        .must_fail(lazy_init_relaxed::two_callers::<lazy_init_relaxed::RelaxedFlag>);
    assert_eq!(failure.kind, FailureKind::Panic, "{}", failure.message);
    assert!(failure.message.contains("got 0"), "{}", failure.message);
}

#[test]
fn puzzle_14_fixed_release_and_acquire_publish_the_value_with_the_flag() {
    Check::new("puzzle 14 lazy initialisation, fixed")
        .every_interleaving()
        .in_book()
        .must_pass(lazy_init_relaxed::two_callers::<lazy_init_relaxed::ReleaseAcquire>);
}

#[test]
fn puzzle_14_wrong_fix_release_without_acquire_still_reads_the_value_unset() {
    let verdict = quietly("puzzle 14 lazy initialisation, release only")
        .run(lazy_init_relaxed::two_callers::<lazy_init_relaxed::ReleaseOnly>);
    must_fail_as(verdict, FailureKind::Panic, "got 0");
}

// Level 15. Two threads, two nodes: every interleaving, for the puzzle and
// the fix.

#[test]
fn puzzle_15_an_untagged_lock_free_stack_hands_out_a_node_twice() {
    let failure = Check::new("puzzle 15 lock-free stack")
        .every_interleaving()
        .explore_past_failures()
        .in_book()
        .must_fail(aba_stack::pop_pop_push::<aba_stack::Untagged>);
    assert_eq!(failure.kind, FailureKind::Panic, "{}", failure.message);
    assert!(failure.message.contains("[1, 2, 2]"), "{}", failure.message);
}

#[test]
fn puzzle_15_fixed_a_tagged_top_refuses_a_swap_after_pop_pop_push() {
    Check::new("puzzle 15 lock-free stack, fixed")
        .every_interleaving()
        .in_book()
        .must_pass(aba_stack::pop_pop_push::<aba_stack::Tagged>);
}

#[test]
fn puzzle_15_wrong_fix_checking_the_node_under_before_the_swap_still_fails() {
    let verdict = quietly("puzzle 15 lock-free stack, checked under")
        .run(aba_stack::pop_pop_push::<aba_stack::CheckUnder>);
    must_fail_as(verdict, FailureKind::Panic, "in [1, 2, 2]");
}

// The levels' second models: each checks what the level's model, sized for
// its game, leaves unchecked. Each is run on the fix, which must pass, and
// on a wrong version, which must fail; where the wrong version is one that
// the level's model passes (a change to the fix that cargo-mutants found,
// written out here), the test shows that too. puzzles/README.md lists them.

#[test]
fn puzzle_03_fixed_one_caller_alone_gets_the_value_computed_once() {
    quietly("puzzle 03 started flag, fixed, one caller")
        .must_pass(started_not_done::one_caller::<started_not_done::StartedThenDone>);
    // The fix with its `!` gone: the first caller waits for a second one to
    // compute. With two callers, that passes; alone, it waits forever.
    struct SecondComputes {
        started: AtomicBool,
        done: AtomicBool,
        value: Mutex<u64>,
    }
    impl started_not_done::Once for SecondComputes {
        fn new() -> Self {
            Self {
                started: AtomicBool::new(false),
                done: AtomicBool::new(false),
                value: Mutex::new(0),
            }
        }
        fn get(&self, compute: impl Fn() -> u64) -> u64 {
            if self.started.swap(true, Ordering::AcqRel) {
                *self.value.lock().unwrap() = compute();
                self.done.store(true, Ordering::Release);
            } else {
                while !self.done.load(Ordering::Acquire) {
                    thread::yield_now();
                }
            }
            *self.value.lock().unwrap()
        }
    }
    quietly("puzzle 03 started flag, the second computes, the level's model")
        .must_pass(started_not_done::two_callers::<SecondComputes>);
    let verdict = quietly("puzzle 03 started flag, the second computes, one caller")
        .run(started_not_done::one_caller::<SecondComputes>);
    must_fail_as(
        verdict,
        FailureKind::LoomLimit,
        "maximum number of branches",
    );
}

#[test]
fn puzzle_04_fixed_a_job_says_how_it_ended_and_leaves_the_lock_free() {
    quietly("puzzle 04 cancelled job, fixed, how it ended").must_pass(
        cancelled_holding_lock::job_says_how_it_ended::<cancelled_holding_lock::ReleaseOnDrop>,
    );
    // A job that says it finished whatever happened.
    struct AlwaysFinished;
    impl cancelled_holding_lock::Job for AlwaysFinished {
        fn run(
            lock: &cancelled_holding_lock::Lock,
            _: &harness::sync::loom::atomic::AtomicBool,
        ) -> bool {
            lock.acquire();
            lock.release();
            true
        }
    }
    quietly("puzzle 04 cancelled job, always finished, the level's model")
        .must_pass(cancelled_holding_lock::cancel_then_lock::<AlwaysFinished>);
    let verdict = quietly("puzzle 04 cancelled job, always finished, how it ended")
        .run(cancelled_holding_lock::job_says_how_it_ended::<AlwaysFinished>);
    must_fail_as(verdict, FailureKind::Panic, "said it ran to its end");
}

#[test]
fn puzzle_05_fixed_one_customer_alone_takes_tickets_0_and_1() {
    quietly("puzzle 05 ticket lock, fixed, one customer")
        .must_pass(ticket_taken_twice::one_customer::<ticket_taken_twice::FetchAdd>);
    // The fix waiting while `now_serving == ticket`, not `<`: with two
    // customers, the later ticket goes first and one is in at a time;
    // alone, the first customer waits forever.
    struct ServesLaterFirst {
        next_ticket: AtomicUsize,
        now_serving: AtomicUsize,
    }
    impl ticket_taken_twice::TicketLock for ServesLaterFirst {
        fn new() -> Self {
            Self {
                next_ticket: AtomicUsize::new(0),
                now_serving: AtomicUsize::new(0),
            }
        }
        fn lock(&self) -> usize {
            let ticket = self.next_ticket.fetch_add(1, Ordering::AcqRel);
            while self.now_serving.load(Ordering::Acquire) == ticket {
                thread::yield_now();
            }
            ticket
        }
        fn unlock(&self) {
            self.now_serving.fetch_add(1, Ordering::Release);
        }
    }
    quietly("puzzle 05 ticket lock, later first, the level's model")
        .must_pass(ticket_taken_twice::two_customers::<ServesLaterFirst>);
    let verdict = quietly("puzzle 05 ticket lock, later first, one customer")
        .run(ticket_taken_twice::one_customer::<ServesLaterFirst>);
    must_fail_as(
        verdict,
        FailureKind::LoomLimit,
        "maximum number of branches",
    );
}

#[test]
fn puzzle_06_fixed_a_subscriber_that_stays_reads_the_message() {
    quietly("puzzle 06 event bus, fixed, one stays").must_pass(
        callback_under_lock::one_stays_one_leaves::<callback_under_lock::DeliverAfterCopy>,
    );
    // A bus that delivers nothing: no deadlock, and no message.
    struct DeliversNothing;
    impl callback_under_lock::Bus for DeliversNothing {
        fn with(_: Vec<Arc<callback_under_lock::Subscriber>>) -> Self {
            DeliversNothing
        }
        fn publish(&self, _: u32) {}
        fn remove(&self, _: &Arc<callback_under_lock::Subscriber>) {}
    }
    quietly("puzzle 06 event bus, delivers nothing, the level's model")
        .must_pass(callback_under_lock::publish_while_leaving::<DeliversNothing>);
    let verdict = quietly("puzzle 06 event bus, delivers nothing, one stays")
        .run(callback_under_lock::one_stays_one_leaves::<DeliversNothing>);
    must_fail_as(
        verdict,
        FailureKind::Panic,
        "the subscriber that stayed read []",
    );
}

#[test]
fn puzzle_07_fixed_the_barber_serves_no_one_who_has_not_come_in() {
    quietly("puzzle 07 sleeping barber, fixed, served only who came in")
        .must_pass(sleeping_barber::served_only_who_came_in::<sleeping_barber::LookWhileLocked>);
    // A barber who never waits: no one asleep, and no one served.
    struct NeverWaits;
    impl sleeping_barber::Shop for NeverWaits {
        fn new() -> Self {
            NeverWaits
        }
        fn next_customer(&self) {}
        fn arrive(&self) {}
    }
    quietly("puzzle 07 sleeping barber, never waits, the level's model")
        .must_pass(sleeping_barber::barber_and_customers::<NeverWaits>);
    let verdict = quietly("puzzle 07 sleeping barber, never waits, served only who came in")
        .run(sleeping_barber::served_only_who_came_in::<NeverWaits>);
    must_fail_as(verdict, FailureKind::Panic, "served 2 with one customer in");
}

#[test]
fn puzzle_08_fixed_a_semaphore_of_one_permit_lets_one_in_at_a_time() {
    quietly("puzzle 08 semaphore, fixed, one permit").must_pass(
        semaphore_edge_wakeup::one_permit_one_inside::<semaphore_edge_wakeup::NotifyEveryRelease>,
    );
    // A semaphore that counts nothing: no one waits.
    struct NoLimit;
    impl semaphore_edge_wakeup::Semaphore for NoLimit {
        fn new(_: usize) -> Self {
            NoLimit
        }
        fn acquire(&self) {}
        fn release(&self) {}
    }
    quietly("puzzle 08 semaphore, no limit, the level's model")
        .must_pass(semaphore_edge_wakeup::two_waiters::<NoLimit>);
    let verdict = quietly("puzzle 08 semaphore, no limit, one permit")
        .run(semaphore_edge_wakeup::one_permit_one_inside::<NoLimit>);
    must_fail_as(
        verdict,
        FailureKind::Panic,
        "two inside a semaphore of one permit",
    );
}

#[test]
fn puzzle_15_fixed_a_tag_that_keeps_counting_refuses_a_swap_after_an_earlier_change() {
    quietly("puzzle 15 lock-free stack, fixed, after a change")
        .must_pass(aba_stack::pop_pop_push_after_a_change::<aba_stack::Tagged>);
    // A bit that says "changed" in place of a count: the level's model,
    // starting from tag 0, passes it; after a change, it fails.
    quietly("puzzle 15 lock-free stack, a changed bit, the level's model")
        .must_pass(aba_stack::pop_pop_push::<aba_stack::ChangedBit>);
    let verdict = quietly("puzzle 15 lock-free stack, a changed bit, after a change")
        .run(aba_stack::pop_pop_push_after_a_change::<aba_stack::ChangedBit>);
    must_fail_as(verdict, FailureKind::Panic, "[1, 2, 2]");
}

#[test]
fn puzzle_15_fixed_a_tag_refuses_a_swap_after_pops_and_pushes_of_other_nodes() {
    quietly("puzzle 15 lock-free stack, fixed, pop pop push push")
        .must_pass(aba_stack::pop_pop_push_push::<aba_stack::Tagged>);
    // Pushes counting the tag down: the level's model passes it; after
    // pop A, pop B, push C, push A the tag is back, with C under A.
    quietly("puzzle 15 lock-free stack, tag counts down, the level's model")
        .must_pass(aba_stack::pop_pop_push::<aba_stack::TagCountsDown>);
    let verdict = quietly("puzzle 15 lock-free stack, tag counts down, pop pop push push")
        .run(aba_stack::pop_pop_push_push::<aba_stack::TagCountsDown>);
    must_fail_as(verdict, FailureKind::Panic, "but they are in [1, 2, 2]");
}
