//! The queues on a real Redis server, started by the tests on a free
//! loopback port and stopped after. Without `redis-server` installed, each
//! test says how to install it and passes; in CI (`CI` set), it fails.

use lab_12::on_std::fixed::ReliableQueue;
use lab_12::on_std::racy::NaiveQueue;
use lab_12::real::{EVENTS, RealRedis, RedisServer, run_queue};
use lab_12::{Commands, DONE, JOBS, Protocol};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const LAB_12: &str = env!("CARGO_BIN_EXE_lab-12");

/// A server of the test's own, or `None` (with a message) where Redis is
/// not installed and this is not CI.
fn server() -> Option<RedisServer> {
    match RedisServer::start() {
        Ok(server) => Some(server),
        Err(why) if std::env::var_os("CI").is_none() => {
            // Straight to stderr: the test harness hides a passing test's
            // `println!`, and this is what the learner must see.
            let _ = writeln!(std::io::stderr(), "SKIPPED (no Redis server): {why}");
            None
        }
        Err(why) => panic!("{why}"),
    }
}

#[test]
fn a_worker_that_dies_after_rpop_loses_its_job_on_a_real_server() {
    let Some(server) = server() else { return };
    let redis = RealRedis::connect(&server.url).unwrap();
    redis.lpush(JOBS, 7);
    assert_eq!(NaiveQueue::claim(&redis, "w1"), Some(7));
    // w1 dies here. The job is in no list, and nobody did it.
    assert_eq!(NaiveQueue::reap(&redis, "w1"), 0);
    let queued: u64 = redis.query(redis::cmd("LLEN").arg(JOBS)).unwrap();
    assert_eq!(queued, 0);
    assert!(redis.done().unwrap().is_empty());
}

#[test]
fn a_dead_workers_job_goes_back_to_the_queue_on_a_real_server() {
    let Some(server) = server() else { return };
    let redis = RealRedis::connect(&server.url).unwrap();
    redis.lpush(JOBS, 7);
    assert_eq!(ReliableQueue::claim(&redis, "w1"), Some(7));
    // w1 dies here. Its processing list still holds the job.
    assert_eq!(ReliableQueue::reap(&redis, "w1"), 1);
    assert_eq!(ReliableQueue::claim(&redis, "w2"), Some(7));
    redis.count_done(7);
    ReliableQueue::ack(&redis, "w2", 7);
    assert_eq!(redis.done().unwrap().get(&7), Some(&1));
}

// ANCHOR: kill_nine
#[test]
fn killing_workers_with_sigkill_loses_no_job() {
    let Some(server) = server() else { return };
    // One worker killed each time 400 more jobs are done: about 24 kills,
    // however fast the machine.
    let patience = Duration::from_secs(120);
    let run = run_queue(
        Path::new(LAB_12),
        &server.url,
        4,
        10_000,
        Some(400),
        patience,
    )
    .unwrap();
    println!("{run:?}");
    assert_eq!(run.unfinished, 0, "the run gave up: {run:?}");
    assert!(run.killed >= 10, "{run:?}");
    assert_eq!(run.lost, 0, "jobs lost");
    // Duplicates are allowed (at-least-once) and counted in the report.
}
// ANCHOR_END: kill_nine

#[test]
fn workers_publish_an_event_for_each_job_done() {
    let Some(server) = server() else { return };
    let mut listener = redis::Client::open(server.url.as_str())
        .unwrap()
        .get_connection()
        .unwrap();
    let mut events = listener.as_pubsub();
    events.subscribe(EVENTS).unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let redis = RealRedis::connect(&server.url).unwrap();
    redis.push_jobs(3).unwrap();
    let mut worker = Command::new(LAB_12)
        .args(["worker", "--redis", &server.url, "--name", "w1"])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut done: Vec<String> = (0..3)
        .map(|_| events.get_message().unwrap().get_payload().unwrap())
        .collect();
    done.sort();
    worker.kill().unwrap();
    worker.wait().unwrap();
    assert_eq!(done, ["done 0 by w1", "done 1 by w1", "done 2 by w1"]);
    let counted: u64 = redis.query(redis::cmd("HLEN").arg(DONE)).unwrap();
    assert_eq!(counted, 3);
}

#[test]
fn a_worker_program_that_is_not_a_worker_is_a_clear_error() {
    let Some(server) = server() else { return };
    let patience = Duration::from_secs(10);
    let error = run_queue(Path::new("/bin/true"), &server.url, 2, 10, None, patience).unwrap_err();
    assert!(error.to_string().contains("exited by itself"), "{error}");
    let missing = Path::new("/nonexistent/lab-12");
    let error = run_queue(missing, &server.url, 2, 10, None, patience).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("cannot start /nonexistent/lab-12"),
        "{error}"
    );
}

#[test]
fn a_worker_whose_server_goes_away_ends_with_an_error_not_a_panic() {
    let Some(server) = server() else { return };
    let worker = Command::new(LAB_12)
        .args(["worker", "--redis", &server.url, "--name", "w1"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300)); // it is working (idle)
    drop(server); // the server is killed
    let output = worker.wait_with_output().unwrap();
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(message.starts_with("lab-12: "), "{message}");
    assert!(!message.contains("panicked"), "{message}");
}

#[test]
fn the_tools_refuse_bad_arguments_with_a_message() {
    let output = Command::new(LAB_12)
        .args(["measure", "--workers", "0"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("must be above 0"), "{message}");
    let output = Command::new(LAB_12)
        .args(["worker", "--redis", "redis://127.0.0.1:1/", "--name", "w"])
        .output()
        .unwrap();
    assert!(!output.status.success(), "no server on port 1");
    assert!(String::from_utf8_lossy(&output.stderr).starts_with("lab-12: "));
}
