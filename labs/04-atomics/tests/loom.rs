//! lab-04 under loom: stale data and data races behind `Relaxed` flags are
//! found, chapter 1's load-then-store counter is found without a single
//! preemption, and `Release`/`Acquire` publication and the spin lock hold
//! over every interleaving.

// Wrong fixes with `unsafe` inside, so the checks can be shown to catch them.
#![allow(
    unsafe_code,
    reason = "the wrong fixes below use UnsafeCell like the lab"
)]

use harness::sync::loom::atomic::{AtomicBool, Ordering};
use harness::sync::loom::cell::UnsafeCell;
use harness::sync::loom::hint;
use harness::{Check, Failure, FailureKind, Op, Trace, Verdict};
use lab_01::Counter;
use lab_01::checks::increments;
use lab_04::Mailbox;
use lab_04::checks::publish_then_read;
use lab_04::on_loom::fixed::{RawSpinCounter, ReleaseAcquireMailbox, SpinCounter};
use lab_04::on_loom::racy::{
    LoadThenStoreCounter, RelaxedCellMailbox, RelaxedMailbox, RelaxedSpinCounter,
};

/// The values one thread's atomic loads returned, in order.
fn loads_by(trace: &Trace, thread: usize) -> Vec<String> {
    let events = trace.events.iter().filter(|event| event.thread == thread);
    events
        .filter_map(|event| match &event.op {
            Op::Load { value, .. } => Some(value.clone()),
            _ => None,
        })
        .collect()
}

/// The values one thread's atomic stores wrote, in order.
fn stores_by(trace: &Trace, thread: usize) -> Vec<String> {
    let events = trace.events.iter().filter(|event| event.thread == thread);
    events
        .filter_map(|event| match &event.op {
            Op::Store { value, .. } => Some(value.clone()),
            _ => None,
        })
        .collect()
}

/// Asserts loom stopped the execution at a data race on a cell, and that
/// the trace's last operation is the racing access.
fn assert_data_race(failure: &Failure) {
    assert_eq!(failure.kind, FailureKind::Panic, "{}", failure.message);
    assert!(
        failure.message.contains("Causality violation"),
        "{}",
        failure.message
    );
    let last = failure.trace.events.last().expect("a trace");
    assert!(
        matches!(last.op, Op::CellRead | Op::CellWrite),
        "{:?}",
        last.op
    );
}

/// Runs a fix's check, quietly, on a wrong fix: loom must report a race.
fn assert_the_fix_check_finds_a_data_race(wrong_fix: &str, model: fn()) {
    let verdict = Check::new(wrong_fix)
        .every_interleaving()
        .quiet()
        .run(model);
    let Verdict::Failed(failure) = verdict else {
        panic!("the fix check passed a wrong fix: {wrong_fix}")
    };
    assert_data_race(&failure);
}

// ANCHOR: stale_is_found
#[test]
fn stale_data_behind_a_relaxed_flag_is_found_by_loom() {
    let failure = Check::new("relaxed flag")
        .every_interleaving()
        .in_book()
        .must_fail(publish_then_read::<RelaxedMailbox>);

    // The writer stored the data, then the flag; the reader's last two
    // loads saw the flag up and the data still at its initial 0.
    assert_eq!(stores_by(&failure.trace, 1), ["42", "true"]);
    let loads = loads_by(&failure.trace, 0);
    assert!(loads.ends_with(&["true".into(), "0".into()]), "{loads:?}");
}
// ANCHOR_END: stale_is_found

// ANCHOR: data_race_is_found
#[test]
fn a_data_race_behind_a_relaxed_flag_is_found_by_loom() {
    let failure = Check::new("relaxed flag, data in a cell")
        .every_interleaving()
        .in_book()
        .must_fail(publish_then_read::<RelaxedCellMailbox>);
    // Loom does not wait for a stale value: the read itself is the bug.
    assert_data_race(&failure);
    assert_eq!(loads_by(&failure.trace, 0).last().unwrap(), "true");
}
// ANCHOR_END: data_race_is_found

// ANCHOR: fix_holds
#[test]
fn release_acquire_publishes_the_data_in_every_execution() {
    Check::new("release/acquire flag")
        .every_interleaving()
        .in_book()
        .must_pass(publish_then_read::<ReleaseAcquireMailbox>);
}
// ANCHOR_END: fix_holds

/// A wrong fix: `Release` on the writer's store, `Relaxed` on the reader's
/// load (`acquire: false`); or the other way round (`acquire: true`).
struct HalfFixed<const ACQUIRE: bool> {
    data: UnsafeCell<u64>,
    ready: AtomicBool,
}

impl<const ACQUIRE: bool> Mailbox for HalfFixed<ACQUIRE> {
    fn new() -> Self {
        Self {
            data: UnsafeCell::new(0),
            ready: AtomicBool::new(false),
        }
    }
    fn publish(&self, value: u64) {
        // SAFETY: wrong on purpose; loom checks the claim.
        self.data.with_mut(|data| unsafe { *data = value });
        let order = if ACQUIRE {
            Ordering::Relaxed
        } else {
            Ordering::Release
        };
        self.ready.store(true, order);
    }
    fn try_read(&self) -> Option<u64> {
        let order = if ACQUIRE {
            Ordering::Acquire
        } else {
            Ordering::Relaxed
        };
        // SAFETY: wrong on purpose; loom checks the claim.
        let ready = self.ready.load(order);
        ready.then(|| self.data.with(|data| unsafe { *data }))
    }
}

// SAFETY: wrong on purpose; loom checks the claim.
unsafe impl<const ACQUIRE: bool> Sync for HalfFixed<ACQUIRE> {}

#[test]
fn the_publication_check_fails_release_on_the_writer_only() {
    assert_the_fix_check_finds_a_data_race(
        "release on the writer only",
        publish_then_read::<HalfFixed<false>>,
    );
}

#[test]
fn the_publication_check_fails_acquire_on_the_reader_only() {
    assert_the_fix_check_finds_a_data_race(
        "acquire on the reader only",
        publish_then_read::<HalfFixed<true>>,
    );
}

// ANCHOR: load_then_store
#[test]
fn load_then_store_is_found_in_the_first_execution_without_a_preemption() {
    let failure = Check::new("load then store")
        .preemption_bound(0)
        .in_book()
        .must_fail(increments::<LoadThenStoreCounter, 2>);
    assert_eq!(failure.explored.executions, 1);

    // No preemption: main loads and stores, then blocks in join, and only
    // then does thread 1 run; its load still returns 0, not main's 1.
    assert_eq!(stores_by(&failure.trace, 0), ["1"]);
    assert_eq!(loads_by(&failure.trace, 1), ["0"]);
    let first_of_thread_1 = failure.trace.events.iter().position(|e| e.thread == 1);
    let main_store = failure
        .trace
        .events
        .iter()
        .position(|e| e.thread == 0 && matches!(e.op, Op::Store { .. }));
    assert!(main_store < first_of_thread_1, "{:?}", failure.trace.events);
}
// ANCHOR_END: load_then_store

// ANCHOR: relaxed_spin_lock_is_found
#[test]
fn a_relaxed_spin_lock_lets_two_holders_race() {
    let failure = Check::new("relaxed spin lock")
        .every_interleaving()
        .in_book()
        .must_fail(increments::<RelaxedSpinCounter, 2>);
    assert_data_race(&failure);
}
// ANCHOR_END: relaxed_spin_lock_is_found

#[test]
fn the_spin_lock_with_acquire_and_release_never_loses_an_update() {
    Check::new("raw spin lock")
        .every_interleaving()
        .in_book()
        .must_pass(increments::<RawSpinCounter, 2>);
}

// ANCHOR: guard_holds
#[test]
fn the_spin_lock_with_a_guard_never_loses_an_update() {
    Check::new("spin lock with a guard")
        .every_interleaving()
        .in_book()
        .must_pass(increments::<SpinCounter, 2>);
}
// ANCHOR_END: guard_holds

/// A wrong fix: `Acquire` to take the lock, `Relaxed` to release it.
struct RelaxedUnlock {
    locked: AtomicBool,
    count: UnsafeCell<u64>,
}

impl Counter for RelaxedUnlock {
    fn new() -> Self {
        Self {
            locked: AtomicBool::new(false),
            count: UnsafeCell::new(0),
        }
    }
    fn increment(&self) {
        while self
            .locked
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            hint::spin_loop();
        }
        // SAFETY: wrong on purpose; loom checks the claim.
        self.count.with_mut(|count| unsafe { *count += 1 });
        self.locked.store(false, Ordering::Relaxed);
    }
    fn get(&self) -> u64 {
        while self
            .locked
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            hint::spin_loop();
        }
        // SAFETY: wrong on purpose; loom checks the claim.
        let count = self.count.with(|count| unsafe { *count });
        self.locked.store(false, Ordering::Relaxed);
        count
    }
}

// SAFETY: wrong on purpose; loom checks the claim.
unsafe impl Sync for RelaxedUnlock {}

#[test]
fn the_spin_lock_check_fails_a_relaxed_unlock() {
    assert_the_fix_check_finds_a_data_race("relaxed unlock", increments::<RelaxedUnlock, 2>);
}

/// The textbook spin lock takes the lock with `swap(true)`. It is correct,
/// but loom cannot prove it: each failed `swap` stores `true`, unordered (in
/// loom's partial modification order) against the unlock, so it may be reread forever.
struct SwapSpinLock {
    locked: AtomicBool,
    count: UnsafeCell<u64>,
}

impl Counter for SwapSpinLock {
    fn new() -> Self {
        Self {
            locked: AtomicBool::new(false),
            count: UnsafeCell::new(0),
        }
    }
    fn increment(&self) {
        while self.locked.swap(true, Ordering::Acquire) {
            hint::spin_loop();
        }
        // SAFETY: we hold the lock; Acquire and Release order the holders.
        self.count.with_mut(|count| unsafe { *count += 1 });
        self.locked.store(false, Ordering::Release);
    }
    fn get(&self) -> u64 {
        // Only called after every thread is joined.
        // SAFETY: no other thread is left to touch `count`.
        self.count.with(|count| unsafe { *count })
    }
}

// SAFETY: every access to `count` is made holding the lock.
unsafe impl Sync for SwapSpinLock {}

#[test]
fn a_spin_lock_taken_with_swap_runs_past_loom_limits() {
    // Why the lab's spin locks use `compare_exchange`: this is loom's
    // limit, reported as such, not a race.
    let verdict = Check::new("swap spin lock")
        .every_interleaving()
        .quiet()
        .run(increments::<SwapSpinLock, 2>);
    let Verdict::Failed(failure) = verdict else {
        panic!("loom proved the swap spin lock: the lab can use `swap` after all")
    };
    assert_eq!(failure.kind, FailureKind::LoomLimit, "{}", failure.message);
}

/// Two writers publish into one mailbox: `publish` is safe to call, so a
/// second call must not race the first; it panics instead.
fn publish_twice() {
    use harness::sync::loom::{Arc, thread};
    let mailbox = Arc::new(ReleaseAcquireMailbox::new());
    let other = {
        let mailbox = Arc::clone(&mailbox);
        thread::spawn(move || mailbox.publish(1))
    };
    mailbox.publish(2);
    other.join().unwrap();
}

#[test]
fn publishing_twice_panics_instead_of_racing() {
    let failure = Check::new("published twice")
        .every_interleaving()
        .quiet()
        .must_fail(publish_twice);
    assert_eq!(failure.kind, FailureKind::Panic);
    assert!(
        failure.message.contains("published once"),
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
    harness::observe::check_lab("lab-04", lab_04::observed::MODELS);
}
