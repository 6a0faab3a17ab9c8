//! The queues on a real Redis server, started by the tests on a free
//! loopback port and stopped after. Without `redis-server` installed, each
//! test says how to install it and passes; in CI (`CI` set), it fails.

use harness::watchdog::output_within;
use lab_12::on_std::fixed::{DeadLetterQueue, ReliableQueue};
use lab_12::on_std::racy::NaiveQueue;
use lab_12::real::{
    ERRORS, EVENTS, Queue, RealRedis, RedisServer, Run, RunReport, reap_dead_workers, run_queue,
    run_queue_on, run_queue_with,
};
use lab_12::streams;
use lab_12::{Commands, DEAD, DELIVERIES, DONE, JOBS, MAX_DELIVERIES, Protocol, processing};
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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
fn a_worker_whose_server_is_gone_for_good_retries_then_ends_with_an_error_not_a_panic() {
    let Some(server) = server() else { return };
    let mut worker = Command::new(LAB_12);
    worker.args([
        "worker",
        "--redis",
        &server.url,
        "--name",
        "w1",
        "--retry-for-ms",
        "500",
    ]);
    let output = std::thread::scope(|scope| {
        // It gives up 0.5 s after the loss; 20 s is the hang limit.
        let running = scope.spawn(|| output_within(worker, Duration::from_secs(20), "a worker"));
        std::thread::sleep(Duration::from_millis(300)); // it is working (idle)
        drop(server); // the server is killed, never to come back
        running.join().unwrap()
    });
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(message.contains("lost the server"), "{message}");
    assert!(message.contains("gave up after"), "{message}");
    assert!(
        message.lines().last().unwrap().starts_with("lab-12: "),
        "{message}"
    );
    assert!(!message.contains("panicked"), "{message}");
}

// ANCHOR: restart
#[test]
fn workers_wait_out_a_server_restart_backing_off_and_go_on() {
    let Some(server) = server() else { return };
    let port = server.port;
    let redis = RealRedis::connect(&server.url).unwrap();
    let workers = [
        start_worker("worker", &server.url, "lists-worker"),
        start_worker("stream-worker", &server.url, "stream-worker"),
    ];
    redis.push_jobs(3).unwrap();
    streams::create_group(&redis).unwrap();
    streams::push_jobs(&redis, 3..6).unwrap();
    let all_done = |redis: &RealRedis, jobs: std::ops::Range<u64>| {
        let done = redis.done().unwrap_or_default();
        jobs.clone().all(|job| done.contains_key(&job))
    };
    let patience = Duration::from_secs(30);
    wait_for(
        patience,
        "jobs 0 to 5 done",
        || all_done(&redis, 0..6),
        || format!("{:?}", redis.done()),
    );
    drop(server); // gone, and everything in it: persistence is off
    std::thread::sleep(Duration::from_millis(800));
    let server = RedisServer::start_on(port).expect("the server, started again on its port");
    let redis = RealRedis::connect(&server.url).unwrap();
    redis.push_job_range(6..9).unwrap();
    streams::create_group(&redis).unwrap();
    streams::push_jobs(&redis, 9..12).unwrap();
    wait_for(
        patience,
        "jobs 6 to 11 done on the restarted server",
        || all_done(&redis, 6..12),
        || format!("{:?}", redis.done()),
    );
    for worker in workers {
        let said = stop_a_live_worker(worker);
        assert!(said.contains("lost the server"), "{said}");
        assert!(said.contains("back on the server after"), "{said}");
        // Backing off: 50 ms, then twice as long each time, not a spin.
        // About 0.8 s down is 4 or 5 tries; a worker that spun would
        // have tried thousands of times.
        let tries = said.lines().filter(|line| line.contains(": try ")).count();
        assert!((1..=20).contains(&tries), "{tries} tries: {said}");
    }
}
// ANCHOR_END: restart

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

/// The dead-letter list, head first, each payload as text.
fn dead_letters(redis: &RealRedis) -> Vec<String> {
    redis
        .query(redis::cmd("LRANGE").arg(DEAD).arg(0).arg(-1))
        .unwrap()
}

// ANCHOR: poison_kill_nine
#[test]
fn a_job_that_kills_its_worker_with_sigkill_is_dead_lettered_after_max_deliveries() {
    let Some(server) = server() else { return };
    // Job 7 is poison: each worker that takes it kills itself with
    // SIGKILL (`--die-on 7`) before its ack; the run replaces it.
    let poison = 7;
    let args = ["worker", "--die-on", "7"];
    let patience = Duration::from_secs(60);
    let run = run_queue_with(Path::new(LAB_12), &args, &server.url, 2, 20, None, patience).unwrap();
    println!("{run:?}");
    assert_eq!(
        run.unfinished, 0,
        "after {patience:?}, jobs still queued or held: the poison job handed out for ever, \
         or a worker stuck: {run:?}"
    );
    let redis = RealRedis::connect(&server.url).unwrap();
    assert_eq!(dead_letters(&redis), ["7"], "{run:?}");
    let deliveries: HashMap<u64, u64> = redis.query(redis::cmd("HGETALL").arg(DELIVERIES)).unwrap();
    assert_eq!(deliveries.get(&poison), Some(&MAX_DELIVERIES), "{run:?}");
    // Each delivery killed a worker. (More deaths than deliveries only if
    // a lease ran out on a worker about to die: not asserted, as a noisy
    // machine can stall a worker that long.)
    assert!(run.crashed >= MAX_DELIVERIES, "{run:?}");
    // The others: at least once, none lost. No worker dies holding one
    // (the poison job's work kills it after the ack of the job before
    // went out with the claim), so exactly once, unless a lease ran out
    // on a live worker: at-least-once is what is promised, and asserted.
    assert_eq!((run.lost, run.dead), (0, 1), "{run:?}");
    let done = redis.done().unwrap();
    assert!(
        !done.contains_key(&poison),
        "the poison job was done: {done:?}"
    );
    let missing: Vec<u64> = (0..20)
        .filter(|job| *job != poison && !done.contains_key(job))
        .collect();
    assert!(missing.is_empty(), "jobs never done: {missing:?}; {run:?}");
}
// ANCHOR_END: poison_kill_nine

/// Waits until `ready` says yes, or fails the test after `patience`,
/// saying what it waited for and what `state` shows.
fn wait_for(
    patience: Duration,
    what: &str,
    mut ready: impl FnMut() -> bool,
    state: impl Fn() -> String,
) {
    let deadline = Instant::now() + patience;
    while !ready() {
        assert!(
            Instant::now() < deadline,
            "after {patience:?}, still waiting for {what}: {}",
            state()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `lab-12 KIND --redis URL --name NAME`, its errors kept.
fn start_worker(kind: &str, url: &str, name: &str) -> std::process::Child {
    Command::new(LAB_12)
        .args([kind, "--redis", url, "--name", name])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Kills `worker`, failing the test if it had already exited; what it
/// said on stderr.
fn stop_a_live_worker(mut worker: std::process::Child) -> String {
    let status = worker.try_wait().unwrap();
    worker.kill().unwrap();
    let output = worker.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(status.is_none(), "the worker exited ({status:?}): {said}");
    said
}

// ANCHOR: malformed
#[test]
fn a_malformed_job_is_dead_lettered_with_its_error_and_the_worker_lives_on() {
    let Some(server) = server() else { return };
    let redis = RealRedis::connect(&server.url).unwrap();
    redis.push_job_range(0..3).unwrap();
    let garbage = "{not a job}";
    redis
        .query::<()>(redis::cmd("LPUSH").arg(JOBS).arg(garbage))
        .unwrap();
    redis.push_job_range(3..6).unwrap();
    let worker = start_worker("worker", &server.url, "w1");
    let state = || {
        let done = redis.done().unwrap_or_default();
        format!("done {done:?}, dead-letter list {:?}", dead_letters(&redis))
    };
    wait_for(
        Duration::from_secs(30),
        "jobs 0 to 5 done and the payload dead-lettered by worker w1",
        || redis.done().unwrap().len() == 6 && !dead_letters(&redis).is_empty(),
        state,
    );
    // Still working: a malformed payload is a job's problem, not the
    // worker's.
    stop_a_live_worker(worker);
    assert_eq!(dead_letters(&redis), [garbage]);
    let errors: HashMap<String, String> = redis.query(redis::cmd("HGETALL").arg(ERRORS)).unwrap();
    let error = errors.get(garbage).map(String::as_str).unwrap_or_default();
    assert!(error.contains("is not a job number"), "{errors:?}");
    let held: u64 = redis
        .query(redis::cmd("LLEN").arg(processing("w1")))
        .unwrap();
    assert_eq!(held, 0, "w1 still holds the payload, or a job");
}
// ANCHOR_END: malformed

#[test]
fn a_malformed_payload_a_dead_worker_held_is_dead_lettered_by_the_reaper() {
    let Some(server) = server() else { return };
    let redis = RealRedis::connect(&server.url).unwrap();
    // w9 claimed 1, then the garbage, then 2, and died (no lease left).
    for payload in ["1", "garbage", "2"] {
        redis
            .query::<()>(redis::cmd("LPUSH").arg(processing("w9")).arg(payload))
            .unwrap();
    }
    // The reaper stops at the garbage, sets it aside, and goes on next time.
    let mut taken_back = 0;
    for _ in 0..3 {
        taken_back += reap_dead_workers(&redis).unwrap();
    }
    assert_eq!(taken_back, 2);
    assert_eq!(dead_letters(&redis), ["garbage"]);
    let queued: Vec<String> = redis
        .query(redis::cmd("LRANGE").arg(JOBS).arg(0).arg(-1))
        .unwrap();
    assert_eq!(queued, ["2", "1"]);
    let errors: HashMap<String, String> = redis.query(redis::cmd("HGETALL").arg(ERRORS)).unwrap();
    assert!(errors.contains_key("garbage"), "{errors:?}");
}

#[test]
fn the_reaper_dead_letters_a_job_at_its_last_death_on_a_real_server() {
    let Some(server) = server() else { return };
    let redis = RealRedis::connect(&server.url).unwrap();
    redis.lpush(JOBS, 7);
    for life in 1..=MAX_DELIVERIES {
        let worker = format!("w{life}");
        assert_eq!(DeadLetterQueue::claim(&redis, &worker), Some(7));
        // The worker dies here, holding job 7: no lease, so it is reaped.
        assert_eq!(reap_dead_workers(&redis).unwrap(), 1);
        let queued: u64 = redis.query(redis::cmd("LLEN").arg(JOBS)).unwrap();
        assert_eq!(
            queued,
            u64::from(life < MAX_DELIVERIES),
            "after death {life}"
        );
    }
    assert_eq!(dead_letters(&redis), ["7"]);
    assert_eq!(DeadLetterQueue::claim(&redis, "w4"), None, "never again");
}

// The same promises, kept by a stream's consumer group (`streams.rs`):
// the engine's own queue, beside the hand-built lists.

/// A run of `lab-12 stream-worker ARGS...` workers on the stream.
fn stream_run(
    server: &RedisServer,
    args: &[&str],
    workers: usize,
    jobs: u64,
    kill_every: Option<u64>,
) -> RunReport {
    let run = Run {
        workers,
        jobs,
        kill_every,
        patience: Duration::from_secs(60),
    };
    let mut all = vec!["stream-worker"];
    all.extend_from_slice(args);
    run_queue_on(Queue::Streams, Path::new(LAB_12), &all, &server.url, run).unwrap()
}

#[test]
fn killing_stream_workers_with_sigkill_loses_no_job() {
    let Some(server) = server() else { return };
    // 2,000 jobs, a worker killed each 80 done: 25 deaths, each holding
    // at most one entry, which another worker claims after the lease.
    let run = stream_run(&server, &[], 4, 2_000, Some(80));
    println!("{run:?}");
    assert!(run.killed >= 20, "too few kills to prove anything: {run:?}");
    assert_eq!((run.lost, run.unfinished, run.dead), (0, 0, 0), "{run:?}");
    let redis = RealRedis::connect(&server.url).unwrap();
    let done = redis.done().unwrap();
    let missing: Vec<u64> = (0..2_000).filter(|job| !done.contains_key(job)).collect();
    assert!(missing.is_empty(), "jobs never done: {missing:?}; {run:?}");
}

#[test]
fn a_stream_entry_a_worker_holds_is_claimed_by_another_only_after_the_lease() {
    let Some(server) = server() else { return };
    let redis = RealRedis::connect(&server.url).unwrap();
    streams::create_group(&redis).unwrap();
    streams::push_jobs(&redis, 7..8).unwrap();
    let lease = Duration::from_millis(300);
    let taken = streams::read_new(&redis, "w1")
        .unwrap()
        .expect("job 7 for w1");
    assert_eq!(taken.payload, b"7");
    // w1 is alive (or not: nobody can tell yet). Within the lease, nobody
    // takes its entry: a slow worker keeps its job.
    assert_eq!(streams::claim_stale(&redis, "w2", lease).unwrap(), None);
    assert_eq!(
        streams::read_new(&redis, "w2").unwrap(),
        None,
        "delivered twice"
    );
    // Past the lease, w2 claims it: its second delivery.
    std::thread::sleep(lease + Duration::from_millis(50));
    let (claimed, deliveries) = streams::claim_stale(&redis, "w2", lease)
        .unwrap()
        .expect("after the lease, w2 claims w1's entry");
    assert_eq!((claimed, deliveries), (taken, 2));
}

// ANCHOR: stream_poison
#[test]
fn a_stream_job_that_kills_its_worker_is_dead_lettered_by_its_delivery_count() {
    let Some(server) = server() else { return };
    let run = stream_run(&server, &["--die-on", "7"], 2, 20, None);
    println!("{run:?}");
    assert_eq!(
        run.unfinished, 0,
        "jobs still pending: the poison job claimed for ever, or a worker stuck: {run:?}"
    );
    let redis = RealRedis::connect(&server.url).unwrap();
    let dead = streams::dead_letters(&redis).unwrap();
    // Delivered MAX_DELIVERIES times, each to a worker that died holding
    // it; the next claim finds the count past the limit and sets it aside.
    assert_eq!(dead.len(), 1, "{dead:?}");
    let (payload, deliveries, why) = &dead[0];
    assert_eq!(
        (payload.as_slice(), *deliveries),
        (&b"7"[..], MAX_DELIVERIES + 1),
        "{why}"
    );
    assert!(run.crashed >= MAX_DELIVERIES, "{run:?}");
    assert_eq!((run.lost, run.dead), (0, 1), "{run:?}");
    let done = redis.done().unwrap();
    assert!(!done.contains_key(&7), "the poison job was done: {done:?}");
    let missing: Vec<u64> = (0..20)
        .filter(|job| *job != 7 && !done.contains_key(job))
        .collect();
    assert!(missing.is_empty(), "jobs never done: {missing:?}; {run:?}");
}
// ANCHOR_END: stream_poison

#[test]
fn a_malformed_stream_entry_is_dead_lettered_with_its_error_and_the_worker_lives_on() {
    let Some(server) = server() else { return };
    let redis = RealRedis::connect(&server.url).unwrap();
    streams::create_group(&redis).unwrap();
    streams::push_jobs(&redis, 0..3).unwrap();
    let garbage = "{not a job}";
    streams::push_payload(&redis, garbage.as_bytes()).unwrap();
    streams::push_jobs(&redis, 3..6).unwrap();
    let worker = start_worker("stream-worker", &server.url, "w1");
    let dead = || streams::dead_letters(&redis).unwrap_or_default();
    wait_for(
        Duration::from_secs(30),
        "jobs 0 to 5 done and the payload dead-lettered by stream worker w1",
        || redis.done().unwrap().len() == 6 && !dead().is_empty(),
        || format!("done {:?}, dead letters {:?}", redis.done(), dead()),
    );
    // Still working: a malformed payload is a job's problem, not the
    // worker's.
    stop_a_live_worker(worker);
    let dead = dead();
    assert_eq!(dead.len(), 1, "{dead:?}");
    assert_eq!(dead[0].0, garbage.as_bytes());
    assert!(dead[0].2.contains("is not a job number"), "{dead:?}");
    assert_eq!(
        streams::unfinished(&redis).unwrap(),
        0,
        "an entry still pending"
    );
}

/// A wrong reaper, for the test below: it takes back the jobs of every
/// worker holding any, without asking whether its lease still runs.
fn reap_without_checking_leases(redis: &RealRedis) -> usize {
    let lists: Vec<String> = redis
        .query(redis::cmd("KEYS").arg(processing("*")))
        .unwrap();
    lists
        .iter()
        .map(|list| DeadLetterQueue::reap(redis, &list[processing("").len()..]))
        .sum()
}

#[test]
fn the_reaper_leaves_a_slow_live_workers_job_alone_and_a_reaper_that_skips_leases_is_caught() {
    let Some(server) = server() else { return };
    let redis = RealRedis::connect(&server.url).unwrap();
    // Enough jobs that the worker always holds one while the test runs.
    redis.push_jobs(100).unwrap();
    // Slow, but alive: each job takes 150 ms, half its 300 ms lease, and
    // the lease is renewed with each claim.
    let worker = Command::new(LAB_12)
        .args([
            "worker",
            "--redis",
            &server.url,
            "--name",
            "slow",
            "--work-ms",
            "150",
        ])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let held = || redis.llen(&processing("slow")) == 1;
    wait_for(
        Duration::from_secs(10),
        "the slow worker to hold the job",
        held,
        || format!("queued {}", redis.llen(JOBS)),
    );
    // While it works, the reaper finds its lease and takes nothing.
    assert_eq!(reap_dead_workers(&redis).unwrap(), 0);
    assert!(held(), "the reaper took a live worker's job");
    // The wrong reaper takes it: the job will be done twice.
    assert_eq!(reap_without_checking_leases(&redis), 1);
    assert_eq!(
        redis.llen(JOBS),
        100,
        "the wrong reaper queued it again: 99 waiting, and it"
    );
    stop_a_live_worker(worker);
}
