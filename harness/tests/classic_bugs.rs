//! Classic concurrency bugs that appear in no lab, each caught by a check
//! and shown with a trace that says what happened. From the study of real
//! Rust concurrency bugs (Qin et al., "Understanding Memory and Thread
//! Safety Practices and Issues in Real-World Rust Programs", PLDI 2020:
//! blocking bugs from a guard living longer than it looks, non-blocking
//! bugs from order violations) and the textbooks (dining philosophers,
//! store buffering, the lost wakeup of a flag outside the lock).
//!
//! Each test asserts what the trace shows, so the rendering of these
//! classes stays readable as the harness changes.

use harness::sync::loom::atomic::{AtomicBool, Ordering};
use harness::sync::loom::{Arc, Condvar, Mutex, Named, thread};
use harness::{Check, FailureKind, Verdict, render};

fn rendered(failure: harness::Failure) -> String {
    render("harness", &Verdict::Failed(failure))
}

fn assert_shows(text: &str, wanted: &[&str]) {
    for piece in wanted {
        assert!(
            text.contains(piece),
            "the trace does not show `{piece}`:\n{text}"
        );
    }
}

/// A guard in a `match` scrutinee lives to the end of the `match`: taking
/// the same lock in an arm waits for the guard the thread itself holds
/// (the most common blocking bug in the study).
#[test]
fn a_lock_taken_again_inside_a_match_on_its_guard_deadlocks() {
    let failure = Check::new("double lock in a match")
        .every_interleaving()
        .quiet()
        .must_fail(|| {
            let cache = Mutex::new(Some(1)).named("cache");
            #[allow(
                clippy::single_match,
                reason = "the bug is written as it is found, a match"
            )]
            match *cache.lock().unwrap() {
                Some(_) => *cache.lock().unwrap() = None, // the guard above is still held
                None => {}
            }
        });
    assert_eq!(failure.kind, FailureKind::Deadlock);
    let text = rendered(failure);
    assert_shows(
        &text,
        &[
            "cache: lock, read → Some(1)",
            "waits for the lock (blocked)",
            "deadlock",
        ],
    );
}

/// Three philosophers, three forks, each taking the left fork first: all
/// three can hold one fork and wait for the next.
#[test]
fn three_philosophers_taking_the_left_fork_first_deadlock() {
    let failure = Check::new("dining philosophers")
        .preemption_bound(3)
        .quiet()
        .must_fail(|| {
            let forks: Arc<Vec<Mutex<()>>> = Arc::new(
                (0..3)
                    .map(|i| Mutex::new(()).named(&format!("fork {i}")))
                    .collect(),
            );
            let philosophers: Vec<_> = (0..3)
                .map(|i| {
                    let forks = Arc::clone(&forks);
                    thread::spawn(move || {
                        let _left = forks[i].lock().unwrap();
                        let _right = forks[(i + 1) % 3].lock().unwrap();
                    })
                })
                .collect();
            for philosopher in philosophers {
                philosopher.join().unwrap();
            }
        });
    assert_eq!(failure.kind, FailureKind::Deadlock);
    let text = rendered(failure);
    assert_shows(
        &text,
        &[
            "fork 0: lock",
            "fork 1: lock",
            "fork 2: lock",
            "waits for",
            "deadlock: no thread can go on",
        ],
    );
}

/// Store buffering, the heart of Dekker's and Peterson's locks: each
/// thread raises its flag, then reads the other's. With `Relaxed` both can
/// read `false`, so both enter: the trace marks the loads that missed a
/// store shown above them.
#[test]
fn two_relaxed_flags_can_both_read_false() {
    let failure = Check::new("store buffering")
        .every_interleaving()
        .quiet()
        .must_fail(|| {
            let flags = Arc::new((
                AtomicBool::new(false).named("a wants"),
                AtomicBool::new(false).named("b wants"),
            ));
            let other = Arc::clone(&flags);
            let b = thread::spawn(move || {
                other.1.store(true, Ordering::Relaxed);
                other.0.load(Ordering::Relaxed)
            });
            flags.0.store(true, Ordering::Relaxed);
            let a_saw_b = flags.1.load(Ordering::Relaxed);
            let b_saw_a = b.join().unwrap();
            assert!(
                a_saw_b || b_saw_a,
                "both threads read the other's flag as false: both enter"
            );
        });
    let text = rendered(failure);
    assert_shows(
        &text,
        &[
            "store(true, Relaxed)",
            "load(Relaxed) → false (stale)",
            "(stale): the load returned",
        ],
    );
}

/// An order violation: a thread uses what another was to set up first,
/// with nothing making it wait (the study's most common non-blocking bug).
#[test]
fn using_a_value_before_its_initialiser_ran_is_caught() {
    let failure = Check::new("use before init")
        .every_interleaving()
        .quiet()
        .must_fail(|| {
            let config = Arc::new(Mutex::new(None::<u32>).named("config"));
            let init = {
                let config = Arc::clone(&config);
                thread::spawn(move || *config.lock().unwrap() = Some(8080))
            };
            let port = config.lock().unwrap().expect("the configuration is loaded");
            init.join().unwrap();
            assert_eq!(port, 8080);
        });
    assert_eq!(failure.kind, FailureKind::Panic);
    let text = rendered(failure);
    assert_shows(
        &text,
        &["config: lock, read → None", "the configuration is loaded"],
    );
}

/// A flag checked outside the condition variable's lock: the notifier
/// sets it and notifies between the waiter's check and its wait, and the
/// waiter sleeps for ever. The trace says the notification woke no one.
#[test]
fn a_flag_checked_outside_the_lock_loses_the_wakeup() {
    let failure = Check::new("flag outside the lock")
        .every_interleaving()
        .quiet()
        .must_fail(|| {
            let shared = Arc::new((
                AtomicBool::new(false),
                Mutex::new(()),
                Condvar::new().named("ready"),
            ));
            let notifier = {
                let shared = Arc::clone(&shared);
                thread::spawn(move || {
                    shared.0.store(true, Ordering::SeqCst);
                    shared.2.notify_one(); // without the lock
                })
            };
            if !shared.0.load(Ordering::SeqCst) {
                let guard = shared.1.lock().unwrap();
                let _guard = shared.2.wait(guard).unwrap(); // no loop, no check under the lock
            }
            notifier.join().unwrap();
        });
    assert_eq!(failure.kind, FailureKind::Deadlock);
    let text = rendered(failure);
    assert_shows(
        &text,
        &[
            "notify_one (wakes no one: no thread is waiting yet)",
            "waits on ready, which no thread will notify",
        ],
    );
}

/// A thread named when it is spawned is called by its name from the first
/// row, even in an execution that fails before it runs.
#[test]
fn a_thread_named_at_spawn_is_named_before_it_runs() {
    let failure = Check::new("named at spawn")
        .every_interleaving()
        .quiet()
        .must_fail(|| {
            let _worker = thread::Builder::new()
                .name(String::from("worker w1"))
                .spawn(|| ())
                .unwrap();
            panic!("main gave up before the worker ran");
        });
    let text = rendered(failure);
    assert_shows(&text, &["spawn worker w1", "│ worker w1"]);
}

/// What a model prints in the failing execution is shown with its trace
/// (under `cargo test`, where each check runs in a child process).
#[test]
fn a_models_own_output_is_shown_with_its_trace() {
    let failure = Check::new("prints")
        .every_interleaving()
        .quiet()
        .must_fail(|| {
            let count = Arc::new(AtomicBool::new(false));
            let other = Arc::clone(&count);
            let spawned = thread::spawn(move || other.store(true, Ordering::SeqCst));
            let seen = count.load(Ordering::SeqCst);
            println!("main saw {seen}");
            spawned.join().unwrap();
            assert!(seen, "main looked too early");
        });
    let text = rendered(failure);
    assert_shows(
        &text,
        &["the model printed, in this execution:", "   main saw false"],
    );
}
