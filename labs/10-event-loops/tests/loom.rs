//! lab-10 under loom: a waker registered after the readiness check loses
//! the wakeup; registered before it, never.

use harness::explore::{Exploration, Node};
use harness::sync::loom::Mutex;
use harness::sync::loom::atomic::{AtomicBool, Ordering};
use harness::{Check, FailureKind};
use lab_10::checks::{
    one_wake_from_another_thread, wait_for_an_event, wait_for_two_events, wait_with_a_new_waker,
};
use lab_10::on_loom::fixed::RegisterThenCheck;
use lab_10::on_loom::handshake::{AnnounceThenCheck, CheckThenAnnounce, PokeThenPush};
use lab_10::on_loom::racy::CheckThenRegister;
use lab_10::{Event, Registered};
use std::task::{Context, Poll};

// ANCHOR: lost_wakeup_is_found
#[test]
fn a_wakeup_between_the_check_and_the_registration_is_lost() {
    let failure = Check::new("check, then register")
        .every_interleaving()
        .in_book()
        .must_fail(wait_for_an_event::<CheckThenRegister>);
    assert_eq!(failure.kind, FailureKind::Deadlock);
    // The event fired between the task's check and its registration: it
    // took the waker slot and found it empty; the executor sleeps for ever.
    let printed = harness::render("lab-10", &harness::Verdict::Failed(failure.clone()));
    assert!(printed.contains("write ← no waker"), "{printed}");
    assert!(printed.contains("executor waits on woken"), "{printed}");
}
// ANCHOR_END: lost_wakeup_is_found

// ANCHOR: two_events_hang
#[test]
fn a_join_of_two_events_hangs_only_when_no_wakeup_is_left() {
    // Bound 2, up to the first deadlock (loom cannot go on past one): 634
    // executions. Without a bound, loom would run 710,161 executions
    // before reaching the first deadlock.
    let failure = Check::new("check, then register; two events")
        .preemption_bound(2)
        .in_book()
        .must_fail(wait_for_two_events::<CheckThenRegister>);
    assert_eq!(failure.kind, FailureKind::Deadlock);
    // Neither source woke the task (a wake is a step on `woken`): each
    // found its event's waker slot empty, so the task was never polled
    // again.
    let woke = |source: usize| {
        failure.trace.events.iter().any(|event| {
            event.thread == source
                && event
                    .object
                    .is_some_and(|object| failure.trace.objects[object].label() == "woken")
        })
    };
    assert!(!woke(1) && !woke(2), "{:?}", failure.trace);
}
// ANCHOR_END: two_events_hang

/// How many executions in `node`'s subtree end with `outcome` and had
/// source A (thread 1) wake no one: its wakeup lost. (`woke` says whether
/// it did on the way to `node`; its wake is a step on `woken`.)
fn lost_a_and_ended(exploration: &Exploration, node: &Node, woke: bool, outcome: usize) -> usize {
    let step = usize::try_from(node.0)
        .ok()
        .map(|step| &exploration.steps[step]);
    let woke = woke || step.is_some_and(|step| step.thread == 1 && step.text.starts_with("woken"));
    let here = usize::from(!woke && node.2 == outcome as i64);
    here + node
        .3
        .iter()
        .map(|child| lost_a_and_ended(exploration, child, woke, outcome))
        .sum::<usize>()
}

#[test]
fn a_lost_wakeup_is_rescued_by_a_later_one() {
    // The same model and bound, up to the first deadlock: among the
    // executions before it, two lose source A's wakeup and pass, because
    // source B's wake came later and had the task polled again.
    let (verdict, exploration) = Check::new("check, then register; the rescue")
        .preemption_bound(2)
        .quiet()
        .run_recorded(wait_for_two_events::<CheckThenRegister>);
    assert!(verdict.failed());
    let passed = exploration
        .outcomes
        .iter()
        .position(|o| !o.failed)
        .expect("an execution passed");
    let rescued = lost_a_and_ended(&exploration, &exploration.tree, false, passed);
    // Two, of the 633 that pass (the chapter says how many).
    assert_eq!(rescued, 2, "executions that lost A's wakeup and passed");
    // And the one that hangs lost it too.
    let hung = exploration.outcomes.iter().position(|o| o.failed).unwrap();
    assert_eq!(
        lost_a_and_ended(&exploration, &exploration.tree, false, hung),
        1
    );
}

#[test]
fn losing_the_last_wakeup_of_two_needs_a_preemption() {
    Check::new("check, then register; two events, no preemption")
        .preemption_bound(0)
        .quiet()
        .must_pass(wait_for_two_events::<CheckThenRegister>);
}

#[test]
fn registering_then_checking_never_hangs_a_join_of_two_events() {
    Check::new("register, then check; two events")
        .preemption_bound(3)
        .quiet()
        .must_pass(wait_for_two_events::<RegisterThenCheck>);
}

#[test]
fn the_two_event_check_fails_waking_before_recording_the_event() {
    // The same check, bound 3, on the wrong fix below
    // (`WakeThenStore`): it hangs the join too.
    let failure = Check::new("wake, then store; two events")
        .preemption_bound(3)
        .quiet()
        .must_fail(wait_for_two_events::<WakeThenStore>);
    assert_eq!(failure.kind, FailureKind::Deadlock);
}

// ANCHOR: fix_holds
#[test]
fn registering_then_checking_never_loses_the_wakeup() {
    Check::new("register, then check")
        .every_interleaving()
        .in_book()
        .must_pass(wait_for_an_event::<RegisterThenCheck>);
}
// ANCHOR_END: fix_holds

/// A wrong fix: register, then check (right), but `set` wakes the waiter
/// before it records the event: the woken task checks too early, sleeps
/// again, and the event is then recorded with no one left to wake.
struct WakeThenStore {
    happened: AtomicBool,
    waiting: Mutex<Registered>,
}

impl Event for WakeThenStore {
    fn new() -> Self {
        Self {
            happened: AtomicBool::new(false),
            waiting: Mutex::new(Registered(None)),
        }
    }
    fn set(&self) {
        if let Some(waker) = self.waiting.lock().unwrap().0.take() {
            waker.wake();
        }
        self.happened.store(true, Ordering::Release);
    }
    fn poll_wait(&self, cx: &mut Context<'_>) -> Poll<()> {
        self.waiting.lock().unwrap().0 = Some(cx.waker().clone());
        if self.happened.load(Ordering::Acquire) {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

#[test]
fn the_fix_check_fails_waking_before_recording_the_event() {
    let failure = Check::new("wake, then store")
        .every_interleaving()
        .quiet()
        .must_fail(wait_for_an_event::<WakeThenStore>);
    assert_eq!(failure.kind, FailureKind::Deadlock);
}

// Every interleaving: two threads, two polls; small enough to explore whole.
#[test]
fn registering_then_checking_wakes_the_latest_waker() {
    Check::new("register, then check; a new waker")
        .every_interleaving()
        .quiet()
        .must_pass(wait_with_a_new_waker::<RegisterThenCheck>);
}

/// A wrong fix: register, then check (right), but keep the first waker
/// registered and ignore the later ones ("it is the same task"). A task
/// polled again with another waker is woken through the old one.
struct KeepsTheFirstWaker {
    happened: AtomicBool,
    waiting: Mutex<Registered>,
}

impl Event for KeepsTheFirstWaker {
    fn new() -> Self {
        Self {
            happened: AtomicBool::new(false),
            waiting: Mutex::new(Registered(None)),
        }
    }
    fn set(&self) {
        self.happened.store(true, Ordering::Release);
        if let Some(waker) = self.waiting.lock().unwrap().0.take() {
            waker.wake();
        }
    }
    fn poll_wait(&self, cx: &mut Context<'_>) -> Poll<()> {
        let mut waiting = self.waiting.lock().unwrap();
        if waiting.0.is_none() {
            waiting.0 = Some(cx.waker().clone()); // a later waker is dropped
        }
        drop(waiting);
        if self.happened.load(Ordering::Acquire) {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

#[test]
fn the_one_waker_check_cannot_tell_an_event_that_keeps_a_stale_waker() {
    // Why `wait_with_a_new_waker` exists.
    Check::new("keeps the first waker; one waker")
        .every_interleaving()
        .quiet()
        .must_pass(wait_for_an_event::<KeepsTheFirstWaker>);
}

#[test]
fn keeping_a_stale_waker_is_found_by_loom() {
    let failure = Check::new("keeps the first waker")
        .every_interleaving()
        .quiet()
        .must_fail(wait_with_a_new_waker::<KeepsTheFirstWaker>);
    assert_eq!(failure.kind, FailureKind::Deadlock);
}

#[test]
fn real_threads_agree_with_loom() {
    // A short run of each model on real threads (at most 2,000 runs or half
    // a second): a fix that failed there, or an outcome loom never
    // produced, fails this test; the chapter's quotes of the reference run
    // are checked current.
    harness::observe::check_lab("lab-10", lab_10::observed::MODELS);
}

// ANCHOR: handshake_races
#[test]
fn a_loop_that_looks_before_it_announces_sleep_misses_a_wake() {
    // Every interleaving of the loop and one waker on another thread.
    let failure = Check::new("loop: check, then announce")
        .every_interleaving()
        .in_book()
        .must_fail(one_wake_from_another_thread::<CheckThenAnnounce>);
    assert_eq!(failure.kind, FailureKind::Deadlock, "{}", failure.message);
    // The waker pushed its task and found `sleeping` still false, so it
    // rang nothing; then the loop said it would sleep, and slept.
    let printed = harness::render("lab-10", &harness::Verdict::Failed(failure));
    assert!(
        printed.contains("sleeping: swap(false, SeqCst) → false"),
        "{printed}"
    );
    assert!(printed.contains("loop waits on doorbell"), "{printed}");
}

#[test]
fn a_waker_that_rings_before_it_pushes_loses_its_task() {
    let failure = Check::new("waker: ring, then push")
        .every_interleaving()
        .in_book()
        .must_fail(one_wake_from_another_thread::<PokeThenPush>);
    assert_eq!(failure.kind, FailureKind::Deadlock, "{}", failure.message);
    // The ring woke the loop before the task was in the queue: the loop
    // looked, found nothing, and went back to sleep for good.
    let printed = harness::render("lab-10", &harness::Verdict::Failed(failure));
    assert!(
        printed.contains("sleeping: swap(false, SeqCst) → true"),
        "{printed}"
    );
    assert_eq!(
        printed.matches("doorbell: wait (unlocks doorbell)").count(),
        2,
        "{printed}"
    );
}
// ANCHOR_END: handshake_races

// ANCHOR: handshake_holds
#[test]
fn announcing_then_checking_and_pushing_then_ringing_never_lose_a_wake() {
    Check::new("announce, then check; push, then ring")
        .every_interleaving()
        .in_book()
        .must_pass(one_wake_from_another_thread::<AnnounceThenCheck>);
}
// ANCHOR_END: handshake_holds
