//! lab-08 under loom: a parent that waits before reading, or reads one pipe
//! then the other, deadlocks with a child that fills a pipe; reading while
//! waiting never does.

use harness::{Check, FailureKind};
use lab_08::checks::collect_from_a_chatty_child;
use lab_08::model::ModelChild;
use lab_08::on_loom::fixed::read_while_waiting;
use lab_08::on_loom::racy::{read_one_then_the_other, wait_then_read};
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
