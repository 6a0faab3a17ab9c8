//! lab-08 under loom: a parent that waits before reading, or reads one pipe
//! then the other, deadlocks with a child that fills a pipe; reading while
//! waiting never does. And a watchdog that kills by pid can kill a process
//! that was given its reaped child's pid; one that kills through a pidfd
//! never does.

use harness::{Check, FailureKind};
use lab_08::checks::collect_from_a_chatty_child;
use lab_08::model::ModelChild;
use lab_08::on_loom::fixed::read_while_waiting;
use lab_08::on_loom::racy::{read_one_then_the_other, wait_then_read};
use lab_08::pid_reuse::{Kernel, Pid, kill_by_pid, kill_by_pidfd, watchdog_at_the_deadline};
use lab_08::{Child, Output, read_all};
use std::io;

/// The thread (by name) that each blocked thread waits for, at the end.
fn blocked(failure: &harness::Failure) -> String {
    let printed = harness::render("lab-08", &harness::Verdict::Failed(failure.clone()));
    printed[printed.find("deadlock").expect("a deadlock verdict")..].to_string()
}

// ANCHOR: deadlock_is_found
#[test]
fn waiting_before_reading_deadlocks_on_a_full_pipe() {
    let failure = Check::new("wait, then read")
        .preemption_bound(1)
        .in_book()
        .must_fail(|| collect_from_a_chatty_child(wait_then_read));
    assert_eq!(failure.kind, FailureKind::Deadlock);
    // The parent waits for the child to exit; the child waits for room in
    // its stderr pipe, which only the parent would make.
    let verdict = blocked(&failure);
    assert!(
        verdict.contains("parent waits for child to finish"),
        "{verdict}"
    );
    assert!(verdict.contains("child waits on stderr"), "{verdict}");
}
// ANCHOR_END: deadlock_is_found

#[test]
fn reading_one_pipe_then_the_other_deadlocks_when_the_other_fills() {
    let failure = Check::new("stdout, then stderr")
        .preemption_bound(1)
        .in_book()
        .must_fail(|| collect_from_a_chatty_child(read_one_then_the_other));
    assert_eq!(failure.kind, FailureKind::Deadlock);
    // The parent waits for stdout to end; the child, for room in stderr.
    let verdict = blocked(&failure);
    assert!(verdict.contains("parent waits on stdout"), "{verdict}");
    assert!(verdict.contains("child waits on stderr"), "{verdict}");
}

// ANCHOR: fix_holds
#[test]
fn reading_while_waiting_collects_everything() {
    Check::new("read while waiting")
        .preemption_bound(1)
        .in_book()
        .must_pass(|| collect_from_a_chatty_child(read_while_waiting));
}
// ANCHOR_END: fix_holds

/// A wrong fix: a reader thread for stdout only; stderr is read after the
/// wait, as if a child wrote little there.
fn reader_for_stdout_only(mut child: ModelChild) -> io::Result<Output> {
    let stdout = child.stdout()?;
    let stdout = harness::sync::loom::thread::spawn(move || read_all(stdout));
    let stderr = child.stderr()?;
    child.wait()?;
    Ok(Output {
        stdout: stdout.join().unwrap()?,
        stderr: read_all(stderr)?,
    })
}

#[test]
fn the_fix_check_fails_a_reader_thread_for_stdout_only() {
    let failure = Check::new("a reader for stdout only")
        .preemption_bound(1)
        .quiet()
        .must_fail(|| collect_from_a_chatty_child(reader_for_stdout_only));
    assert_eq!(failure.kind, FailureKind::Deadlock);
}

// ANCHOR: wrong_process
#[test]
fn killing_by_pid_can_kill_a_process_given_the_reaped_childs_pid() {
    Check::new("kill by pid")
        .every_interleaving()
        .explore_past_failures()
        .in_book()
        .must_fail(|| watchdog_at_the_deadline(kill_by_pid));
}
// ANCHOR_END: wrong_process

#[test]
fn the_kill_came_after_the_reap_and_after_b_took_the_pid() {
    let failure = Check::new("pid reuse, its trace read")
        .every_interleaving()
        .quiet()
        .must_fail(|| watchdog_at_the_deadline(kill_by_pid));
    // The process table, as each step left it: A reaped (empty), then B
    // started at pid 1, then B killed, by the watchdog.
    let tables: Vec<(usize, &str)> = failure
        .trace
        .events
        .iter()
        .filter_map(|e| match &e.op {
            harness::Op::Write { value } => Some((e.thread, value.as_str())),
            _ => None,
        })
        .filter(|(_, value)| value.starts_with('['))
        .collect();
    let at = |table: &str| tables.iter().position(|(_, t)| *t == table);
    let (reaped, b_started, b_killed) = (at("[]"), at("[1: B running]"), at("[1: B killed]"));
    assert!(reaped < b_started && b_started < b_killed, "{tables:?}");
    assert!(reaped.is_some(), "{tables:?}");
    let watchdog = 0;
    assert_eq!(tables[b_killed.unwrap()].0, watchdog, "{tables:?}");
}

// ANCHOR: pidfd_holds
#[test]
fn killing_through_a_pidfd_never_kills_another_process() {
    Check::new("kill through a pidfd")
        .every_interleaving()
        .in_book()
        .must_pass(|| watchdog_at_the_deadline(kill_by_pidfd));
}
// ANCHOR_END: pidfd_holds

#[test]
fn the_modelled_kernel_hands_a_reaped_pid_to_the_next_process() {
    Check::new("the modelled process table")
        .quiet()
        .must_pass(|| {
            let kernel = Kernel::default();
            let a = kernel.start("A");
            let pidfd = kernel.pidfd_open(a).unwrap();
            assert_eq!(kernel.name_of(a), Some("A"));
            kernel.exit(a);
            assert_eq!(kernel.kill(a), None, "a zombie is not killed again");
            assert_eq!(kernel.name_of(a), Some("A"), "a zombie keeps its pid");
            kernel.reap(a);
            assert_eq!(kernel.name_of(a), None);
            assert!(kernel.pidfd_open(a).is_none(), "a free pid has no process");
            let b = kernel.start("B");
            assert_eq!((b, kernel.name_of(a)), (a, Some("B")));
            assert_eq!(kernel.pidfd_kill(&pidfd), None, "the pidfd is A's");
            let c = kernel.start("C");
            assert_eq!(c, b + 1);
            assert_eq!(kernel.kill(c), Some("C"));
            assert_eq!(kernel.kill(c), None, "C is no longer running");
            // A pidfd kills its own process while it runs (a fix that
            // never killed anyone would pass the watchdog's check).
            let b_pidfd = kernel.pidfd_open(b).unwrap();
            assert_eq!(kernel.pidfd_kill(&b_pidfd), Some("B"));
            assert_eq!(kernel.pidfd_kill(&b_pidfd), None, "B is no longer running");
        });
}

/// How many executions ended in each outcome, with `watchdog`, over every
/// interleaving: `(outcome, executions)`, in order.
fn outcomes(title: &str, watchdog: lab_08::pid_reuse::Watchdog) -> Vec<(String, usize)> {
    let (_, explored) = Check::new(title)
        .every_interleaving()
        .explore_past_failures()
        .quiet()
        .run_recorded(move || watchdog_at_the_deadline(watchdog));
    let mut outcomes: Vec<_> = explored
        .outcomes
        .into_iter()
        .map(|o| (o.outcome, o.executions))
        .collect();
    outcomes.sort();
    outcomes
}

#[test]
fn the_pidfd_changes_only_the_executions_that_killed_b() {
    // The check above asks only that B is never killed, which a watchdog
    // that never kills anyone would pass. Through a pidfd, the watchdog
    // kills A in as many executions as by pid; the ones where it killed B
    // by pid kill no one.
    let by_pid = outcomes("kill by pid, its outcomes", kill_by_pid);
    let by_pidfd = outcomes("kill through a pidfd, its outcomes", kill_by_pidfd);
    let count = |outcomes: &[(String, usize)], what: &str| {
        let found = outcomes.iter().find(|(o, _)| o == what);
        found.map_or(0, |(_, executions)| *executions)
    };
    let (a, b, no_one) = (
        "the watchdog killed A",
        "the watchdog killed B",
        "the watchdog killed no one",
    );
    assert!(count(&by_pid, a) > 0 && count(&by_pid, b) > 0, "{by_pid:?}");
    let expected = vec![
        (a.to_string(), count(&by_pid, a)),
        (
            no_one.to_string(),
            count(&by_pid, no_one) + count(&by_pid, b),
        ),
    ];
    assert_eq!(by_pidfd, expected, "killing by pid: {by_pid:?}");
}

/// A wrong fix: look the pid up first (`/proc/<pid>`, as a script would
/// with `ps`), and kill only if it still names the child.
fn kill_if_still_the_child(kernel: &Kernel, pid: Pid) -> Box<dyn Fn() -> Option<&'static str>> {
    let kernel = kernel.clone();
    let child = kernel.name_of(pid);
    Box::new(move || {
        if kernel.name_of(pid) == child {
            kernel.kill(pid)
        } else {
            None
        }
    })
}

#[test]
fn the_deadline_check_fails_looking_the_pid_up_before_killing() {
    // Between the look-up and the kill, the child can be reaped and its
    // pid handed to B: checking first narrows the window, and no more.
    Check::new("look the pid up, then kill")
        .every_interleaving()
        .quiet()
        .must_fail(|| watchdog_at_the_deadline(kill_if_still_the_child));
}

/// A wrong fix: a pidfd, opened only when time is up. By then the pid may
/// already be B's, and the pidfd names B.
fn pidfd_opened_at_the_deadline(
    kernel: &Kernel,
    pid: Pid,
) -> Box<dyn Fn() -> Option<&'static str>> {
    let kernel = kernel.clone();
    Box::new(move || {
        let pidfd = kernel.pidfd_open(pid)?;
        kernel.pidfd_kill(&pidfd)
    })
}

#[test]
fn the_deadline_check_fails_a_pidfd_opened_at_the_deadline() {
    Check::new("a pidfd opened at the deadline")
        .every_interleaving()
        .quiet()
        .must_fail(|| watchdog_at_the_deadline(pidfd_opened_at_the_deadline));
}
