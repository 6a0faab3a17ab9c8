//! The same parents on real child processes (`lab-08 child`, `lab-08
//! echo`): the naive ones really hang, until a watchdog kills the child;
//! the fixed ones get every byte. The watchdog's patience is a limit, not
//! a measurement: a parent that hangs cannot finish however long it waits.

use lab_08::on_std::fixed::read_while_waiting;
use lab_08::on_std::racy::{read_one_then_the_other, wait_then_read};
use lab_08::on_std::solution::communicate;
use lab_08::real::{Watched, pattern, spawn, with_watchdog};
use lab_08::{Output, real};
use std::path::Path;
use std::time::Duration;

const CHILD: &str = env!("CARGO_BIN_EXE_lab-08");
/// More than any pipe holds: 1 MiB.
const MUCH: usize = 1 << 20;
/// Long enough for a parent that can hang to be sure it hangs.
const HANGS_AFTER: Duration = Duration::from_secs(2);
/// A safety net for the parents that must finish: far more than they need.
const SAFETY_NET: Duration = Duration::from_secs(120);

fn child(stdout: usize, stderr: usize) -> std::process::Child {
    let (stdout, stderr) = (stdout.to_string(), stderr.to_string());
    spawn(
        Path::new(CHILD),
        &["child", "--stdout", &stdout, "--stderr", &stderr],
    )
    .expect("the lab's binary starts")
}

fn expected(count: usize) -> Vec<u8> {
    (0..count).map(pattern).collect()
}

#[test]
fn waiting_before_reading_hangs_until_the_watchdog_kills_the_child() {
    let watched = with_watchdog(child(MUCH, 0), HANGS_AFTER, wait_then_read);
    let Watched::Hung(result) = watched else {
        panic!("wait_then_read finished: the child wrote {MUCH} bytes into a pipe no one read")
    };
    // Killed, the child exits by a signal: the parent's wait says so.
    let error = result.expect_err("the child was killed");
    assert!(error.to_string().contains("signal"), "{error}");
}

#[test]
fn reading_one_pipe_then_the_other_hangs_when_the_other_fills_first() {
    let watched = with_watchdog(child(10, MUCH), HANGS_AFTER, read_one_then_the_other);
    assert!(
        matches!(watched, Watched::Hung(_)),
        "the parent finished: {watched:?}"
    );
}

#[test]
fn reading_while_waiting_gets_every_byte_from_a_real_child() {
    let watched = with_watchdog(child(MUCH, MUCH / 4), SAFETY_NET, read_while_waiting);
    let Watched::Finished(output) = watched else {
        panic!("read_while_waiting hung")
    };
    let output = output.expect("the child exits cleanly");
    assert!(
        output
            == Output {
                stdout: expected(MUCH),
                stderr: expected(MUCH / 4),
            },
        "got {} bytes of stdout and {} of stderr",
        output.stdout.len(),
        output.stderr.len()
    );
}

#[test]
fn the_reference_solution_feeds_a_real_filter_a_megabyte() {
    let echo = spawn(Path::new(CHILD), &["echo"]).expect("the lab's binary starts");
    let input = expected(MUCH);
    let watched = with_watchdog(echo, SAFETY_NET, |echo| communicate(echo, input.clone()));
    let Watched::Finished(output) = watched else {
        panic!("communicate hung")
    };
    assert!(output.expect("the filter exits cleanly") == input);
}

#[test]
fn this_systems_pipes_hold_less_than_the_child_writes() {
    if let Some(capacity) = real::pipe_capacity() {
        assert!(capacity < MUCH, "a pipe holds {capacity} bytes");
    }
}

#[test]
fn the_child_rejects_bad_arguments_with_a_message_not_a_panic() {
    let output = std::process::Command::new(CHILD)
        .args(["child", "--stdout", "lots"])
        .output()
        .expect("the lab's binary starts");
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("invalid value 'lots'"), "{message}");
}
