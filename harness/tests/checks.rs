//! The harness's own tests: a check that must fail fails only when loom
//! finds a failure, a check that must pass fails on every wrong version
//! below, deadlocks and aborts are reported instead of taking the test
//! binary down, and the trace is the execution loom ran.

use harness::sync::loom::atomic::{AtomicUsize, Ordering};
use harness::sync::loom::cell::UnsafeCell;
use harness::sync::loom::{Arc, Condvar, Mutex, thread};
use harness::{Check, FailureKind, Op, Verdict};

/// Deliberately wrong and right ways to count, each one small.
trait Count: Send + Sync + 'static {
    fn new() -> Self;
    fn add_one(&self);
    fn get(&self) -> usize;
}

/// Wrong: an atomic load, then a store.
struct LoadThenStore(AtomicUsize);
impl Count for LoadThenStore {
    fn new() -> Self {
        Self(AtomicUsize::new(0))
    }
    fn add_one(&self) {
        let seen = self.0.load(Ordering::SeqCst);
        self.0.store(seen + 1, Ordering::SeqCst);
    }
    fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// Wrong: `compare_exchange` once, without a retry loop.
struct CasWithoutRetry(AtomicUsize);
impl Count for CasWithoutRetry {
    fn new() -> Self {
        Self(AtomicUsize::new(0))
    }
    fn add_one(&self) {
        let seen = self.0.load(Ordering::SeqCst);
        let _ = self
            .0
            .compare_exchange(seen, seen + 1, Ordering::SeqCst, Ordering::SeqCst);
    }
    fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// Wrong: a read and a write under two separate locks.
struct TwoCriticalSections(Mutex<usize>);
impl Count for TwoCriticalSections {
    fn new() -> Self {
        Self(Mutex::new(0))
    }
    fn add_one(&self) {
        let seen = *self.0.lock().unwrap();
        *self.0.lock().unwrap() = seen + 1;
    }
    fn get(&self) -> usize {
        *self.0.lock().unwrap()
    }
}

/// Right: `fetch_add`.
struct FetchAdd(AtomicUsize);
impl Count for FetchAdd {
    fn new() -> Self {
        Self(AtomicUsize::new(0))
    }
    fn add_one(&self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
    fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// Right: one critical section.
struct OneCriticalSection(Mutex<usize>);
impl Count for OneCriticalSection {
    fn new() -> Self {
        Self(Mutex::new(0))
    }
    fn add_one(&self) {
        *self.0.lock().unwrap() += 1;
    }
    fn get(&self) -> usize {
        *self.0.lock().unwrap()
    }
}

fn two_increments<C: Count>() {
    let count = Arc::new(C::new());
    let other = count.clone();
    let spawned = thread::spawn(move || other.add_one());
    count.add_one();
    spawned.join().unwrap();
    assert_eq!(count.get(), 2, "an update was lost");
}

fn fix_check(title: &str) -> Check {
    Check::new(title).every_interleaving()
}

#[test]
fn the_fix_check_passes_fetch_add_and_one_critical_section() {
    let explored = fix_check("fetch_add").must_pass(two_increments::<FetchAdd>);
    assert!(
        explored.executions > 1,
        "loom explored more than one interleaving"
    );
    fix_check("one critical section").must_pass(two_increments::<OneCriticalSection>);
}

#[test]
fn two_recorded_checks_in_one_test_each_give_their_exploration() {
    // Each check runs in a child process that replays the earlier ones:
    // the second's child must still hand the test the first's exploration,
    // which the test reads before it reaches the second.
    let (_, first) = fix_check("fetch_add, recorded").run_recorded(two_increments::<FetchAdd>);
    let first_executions = first.executions;
    assert!(first_executions > 1, "{first_executions}");
    let (_, second) =
        fix_check("load then store, recorded").run_recorded(two_increments::<LoadThenStore>);
    assert!(
        second.outcomes.iter().any(|o| o.failed),
        "{:?}",
        second.outcomes
    );
    assert_eq!(first.title, "fetch_add, recorded");
    assert_eq!(first.executions, first_executions);
}

#[test]
#[should_panic(expected = "loom found a failing interleaving")]
fn the_fix_check_fails_on_load_then_store() {
    fix_check("load then store").must_pass(two_increments::<LoadThenStore>);
}

#[test]
#[should_panic(expected = "loom found a failing interleaving")]
fn the_fix_check_fails_on_compare_exchange_without_a_retry_loop() {
    fix_check("compare_exchange without retry").must_pass(two_increments::<CasWithoutRetry>);
}

#[test]
#[should_panic(expected = "loom found a failing interleaving")]
fn the_fix_check_fails_on_two_critical_sections() {
    fix_check("two critical sections").must_pass(two_increments::<TwoCriticalSections>);
}

#[test]
#[should_panic(expected = "no race found")]
fn the_race_check_fails_when_the_race_is_removed() {
    Check::new("fetch_add, expected to race")
        .preemption_bound(1)
        .must_fail(two_increments::<FetchAdd>);
}

#[test]
fn the_race_check_returns_the_execution_that_failed() {
    let failure = Check::new("two critical sections")
        .preemption_bound(1)
        .must_fail(two_increments::<TwoCriticalSections>);
    assert_eq!(failure.kind, FailureKind::Panic);
    assert!(
        failure.message.contains("an update was lost"),
        "{}",
        failure.message
    );
    assert!(
        failure.file.ends_with("tests/checks.rs"),
        "{}",
        failure.file
    );
    assert!(failure.explored.executions >= 1);
    assert_eq!(failure.explored.preemption_bound, Some(1));

    // The recorded trace: two threads, and both read 0 before either wrote.
    let trace = &failure.trace;
    assert_eq!(trace.threads, 2);
    let reads = trace.reads_before_first_write();
    assert!(reads.contains(&(0, "0".to_string())), "{reads:?}");
    assert!(reads.contains(&(1, "0".to_string())), "{reads:?}");
    // Each event points at the line of this file that made it.
    let lock_lines: Vec<u32> = trace
        .events
        .iter()
        .filter(|e| e.op == Op::Lock)
        .map(|e| e.line)
        .collect();
    let source = include_str!("checks.rs");
    for line in lock_lines {
        let code = source.lines().nth(line as usize - 1).unwrap();
        assert!(code.contains(".lock()"), "line {line} is `{code}`");
    }
}

fn opposite_lock_order() {
    let a = Arc::new(Mutex::new(1));
    let b = Arc::new(Mutex::new(2));
    let (a2, b2) = (a.clone(), b.clone());
    let spawned = thread::spawn(move || {
        let _b = b2.lock().unwrap();
        let _a = a2.lock().unwrap();
    });
    {
        let _a = a.lock().unwrap();
        let _b = b.lock().unwrap();
    }
    spawned.join().unwrap();
}

#[test]
fn a_deadlock_is_reported_with_who_holds_what_and_does_not_abort_the_tests() {
    let failure = Check::new("opposite lock order").must_fail(opposite_lock_order);
    assert_eq!(failure.kind, FailureKind::Deadlock);
    let state = failure.trace.lock_state();
    // Each thread holds one lock and waits for the other's.
    assert_eq!(state.len(), 2, "{state:?}");
    for (thread, held, waiting) in &state {
        let other = &state.iter().find(|(t, ..)| t != thread).unwrap().1;
        assert_eq!(held.len(), 1, "{state:?}");
        assert_eq!(Some(other[0]), *waiting, "{state:?}");
    }
    let text = harness::render("harness", &Verdict::Failed(failure));
    assert!(
        text.contains("main holds mutex 1, waits for mutex 2"),
        "{text}"
    );
    assert!(
        text.contains("thread 1 holds mutex 2, waits for mutex 1"),
        "{text}"
    );
}

#[test]
fn checks_after_a_deadlock_in_the_same_test_still_run() {
    // The second check's child replays the first verdict rather than
    // running the deadlock again.
    let first = Check::new("deadlock first").run(opposite_lock_order);
    assert!(first.failed());
    let second = fix_check("then fetch_add").run(two_increments::<FetchAdd>);
    assert!(!second.failed());
    let third = Check::new("then a deadlock again").run(opposite_lock_order);
    let (Verdict::Failed(first), Verdict::Failed(third)) = (first, third) else {
        panic!("both deadlock checks fail");
    };
    assert_eq!(first.trace, third.trace, "loom explores deterministically");
}

#[test]
#[should_panic(expected = "ended without a verdict")]
fn a_model_that_aborts_the_process_fails_its_test_alone() {
    Check::new("abort").run(|| std::process::abort());
}

#[test]
fn a_lost_wakeup_is_a_deadlock_on_a_condition_variable() {
    // The waiter checks the flag, the notifier sets it and notifies, and
    // only then does the waiter wait: no one will notify it again.
    let failure = Check::new("lost wakeup").must_fail(|| {
        let state = Arc::new((Mutex::new(false), Condvar::new()));
        let notifier = state.clone();
        let spawned = thread::spawn(move || {
            *notifier.0.lock().unwrap() = true;
            notifier.1.notify_one();
        });
        let ready = *state.0.lock().unwrap();
        if !ready {
            let guard = state.0.lock().unwrap();
            drop(state.1.wait(guard).unwrap());
        }
        spawned.join().unwrap();
    });
    assert_eq!(failure.kind, FailureKind::Deadlock);
    let text = harness::render("harness", &Verdict::Failed(failure));
    assert!(
        text.contains("main waits on the condvar, which no thread will notify"),
        "{text}"
    );
    assert!(text.contains("thread 1 has finished"), "{text}");
}

#[test]
fn a_data_race_on_an_unsafe_cell_is_found() {
    let failure = Check::new("unsynchronised cell").must_fail(|| {
        let cell = Arc::new(UnsafeCell::new(0));
        let other = cell.clone();
        // SAFETY: none: the point is that loom catches the two threads
        // writing at once (its cell only simulates the write).
        let spawned = thread::spawn(move || other.with_mut(|_| ()));
        cell.with_mut(|_| ());
        spawned.join().unwrap();
    });
    assert_eq!(failure.kind, FailureKind::Panic);
    assert!(
        failure.message.contains("Causality violation"),
        "{}",
        failure.message
    );
}

/// Wrong: spins on `compare_exchange` without refreshing what it expects,
/// so once another thread moves the count it never succeeds.
fn spin_forever() {
    let count = Arc::new(AtomicUsize::new(0));
    let other = count.clone();
    let spawned = thread::spawn(move || other.fetch_add(1, Ordering::SeqCst));
    let seen = count.load(Ordering::SeqCst);
    while count
        .compare_exchange(seen, seen + 1, Ordering::SeqCst, Ordering::SeqCst)
        .is_err()
    {
        thread::yield_now();
    }
    spawned.join().unwrap();
}

#[test]
#[should_panic(expected = "no race found")]
fn running_past_loom_limits_is_not_a_race() {
    Check::new("spin forever")
        .preemption_bound(1)
        .quiet()
        .must_fail(spin_forever);
}

#[test]
fn a_spinning_thread_is_shown_in_one_short_row() {
    let verdict = Check::new("spin forever")
        .preemption_bound(1)
        .run(spin_forever);
    let Verdict::Failed(failure) = &verdict else {
        panic!("loom stops the spin")
    };
    assert_eq!(failure.kind, FailureKind::LoomLimit);
    let text = harness::render("harness", &verdict);
    assert!(text.contains("went past its limits"), "{text}");
    assert!(
        text.lines().all(|line| line.chars().count() < 200),
        "{text}"
    );
    assert!(
        text.contains("more times)"),
        "a loop is counted, not repeated: {text}"
    );
    assert!(text.lines().count() < 40, "{text}");
}

#[test]
fn the_facade_works_unrecorded_in_a_plain_loom_model() {
    loom::model(two_increments::<OneCriticalSection>);
}

/// A server whose objects the model does not name: as a learner writes it.
struct Server {
    accepting: harness::sync::loom::RwLock<bool>,
    open: Mutex<usize>,
    none_open: Condvar,
}

impl Server {
    fn new() -> Self {
        Self {
            accepting: harness::sync::loom::RwLock::new(true),
            open: Mutex::new(0),
            none_open: Condvar::new(),
        }
    }
}

/// Touches each of the server's objects, and one the model makes itself,
/// then fails, so that the trace comes back.
fn touch_every_object(name: bool) {
    let server = if name {
        harness::sync::loom::named_by_field(Server::new)
    } else {
        Server::new()
    };
    let other = Mutex::new(0);
    let accepting = *server.accepting.read().unwrap();
    *server.open.lock().unwrap() += 1;
    *other.lock().unwrap() += 1;
    server.none_open.notify_all();
    assert!(!accepting, "the end of the model");
}

#[test]
fn objects_made_in_named_by_field_are_called_by_their_fields_and_no_others() {
    let failure = Check::new("objects named by field")
        .quiet()
        .must_fail(|| touch_every_object(true));
    let names: Vec<String> = failure.trace.objects.iter().map(|o| o.label()).collect();
    assert_eq!(names, ["accepting", "open", "none_open", "mutex 2"]);
    let text = harness::render("harness", &Verdict::Failed(failure));
    assert!(text.contains("accepting: read-lock"), "{text}");
    assert!(text.contains("open: lock, write ← 1"), "{text}");
    assert!(!text.contains("mutex 1"), "{text}");

    // Without it, the same objects go by their numbers.
    let failure = Check::new("objects by number")
        .quiet()
        .must_fail(|| touch_every_object(false));
    let names: Vec<String> = failure.trace.objects.iter().map(|o| o.label()).collect();
    assert_eq!(names, ["rwlock 1", "mutex 1", "condvar 1", "mutex 2"]);
}

#[test]
fn objects_made_in_named_with_prefix_carry_the_prefix_and_no_others_do() {
    let failure = Check::new("objects named with a prefix")
        .quiet()
        .must_fail(|| {
            let first = harness::sync::loom::named_with_prefix("A", Server::new);
            let second = harness::sync::loom::named_with_prefix("B", a_mutex_of_no_name);
            let other = Mutex::new(0);
            *first.open.lock().unwrap() += 1;
            *second.lock().unwrap() += 1;
            *other.lock().unwrap() += 1;
            assert!(first.accepting.read().is_err(), "the end of the model");
        });
    let names: Vec<String> = failure.trace.objects.iter().map(|o| o.label()).collect();
    // Fields named by field, then prefixed; an object with no name of its
    // own (`a_mutex_of_no_name`'s) is called by the prefix alone.
    assert_eq!(
        names,
        ["A accepting", "A open", "A none_open", "B", "mutex 3"]
    );
    let text = harness::render("harness", &Verdict::Failed(failure));
    assert!(text.contains("A open: lock, write ← 1"), "{text}");
}

/// A mutex made on a line that stores it nowhere: `named_by_field` cannot
/// name it.
fn a_mutex_of_no_name() -> Mutex<usize> {
    Mutex::new(0)
}
