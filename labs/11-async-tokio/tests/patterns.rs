//! tokio's production patterns, each with its wrong version: the wrong one
//! must fail the check the right one passes. On tokio's paused clock
//! (`start_paused`): time jumps to the next timer, so every run schedules
//! the same way, and no test waits for real time.

use lab_11::select_loop::{Read, read_frames, read_frames_losing_bytes};
use lab_11::structured::{POISON, sum_ignoring_failures, sum_in_join_set};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::io::AsyncWriteExt;

const TICK: Duration = Duration::from_millis(100);

/// Frames 1, 2 and 3, with frame 2 sent in two halves 150 ms apart: a
/// heartbeat tick (every 100 ms) falls between the halves.
async fn frames_with_a_pause<F, Fut>(reader: F) -> Read
where
    F: FnOnce(tokio::io::DuplexStream) -> Fut,
    Fut: std::future::Future<Output = Read>,
{
    let (mut writer, input) = tokio::io::duplex(64);
    let sender = tokio::spawn(async move {
        writer.write_all(&1u64.to_be_bytes()).await.unwrap();
        let two = 2u64.to_be_bytes();
        writer.write_all(&two[..4]).await.unwrap();
        tokio::time::sleep(Duration::from_millis(150)).await;
        writer.write_all(&two[4..]).await.unwrap();
        writer.write_all(&3u64.to_be_bytes()).await.unwrap();
        // Dropped here: the reader sees the end of the input.
    });
    let read = reader(input).await;
    sender.await.unwrap();
    read
}

// ANCHOR: select_test
#[tokio::test(start_paused = true)]
async fn a_select_loop_keeping_its_partial_frame_reads_every_frame() {
    let read = frames_with_a_pause(|input| read_frames(input, TICK)).await;
    assert_eq!(read.frames, [1, 2, 3]);
    assert!(read.heartbeats >= 2, "{read:?}"); // ticks at 0 and 100 ms at least
}

#[tokio::test(start_paused = true)]
async fn a_select_loop_around_read_exact_loses_half_a_frame_at_a_tick() {
    let read = frames_with_a_pause(|input| read_frames_losing_bytes(input, TICK)).await;
    // Frame 2's first half went with the dropped `read_exact`: what follows
    // is read out of step, and frame 3 never comes out whole.
    assert_eq!(read.frames[0], 1, "{read:?}");
    assert_ne!(read.frames, [1, 2, 3], "the tick lost nothing: {read:?}");
    assert!(!read.frames.contains(&3), "{read:?}");
}
// ANCHOR_END: select_test

/// Three parts: a fast one, a poisoned one, and a slow one (10 s).
fn parts() -> Vec<(Vec<u64>, Duration)> {
    vec![
        (vec![1, 2], Duration::from_millis(10)),
        (vec![POISON], Duration::from_millis(20)),
        (vec![100], Duration::from_secs(10)),
    ]
}

// ANCHOR: join_set_test
#[tokio::test(start_paused = true)]
async fn a_join_set_surfaces_the_panic_and_leaves_no_task_running() {
    let finished = Arc::new(AtomicU64::new(0));
    let summed = sum_in_join_set(parts(), Arc::clone(&finished)).await;
    let error = summed.expect_err("a poisoned part must fail the sum");
    assert_eq!(
        error, "a part failed: part [13] holds the poison value",
        "the panic, not a cancellation, and its own message"
    );
    // Long after the slow part would have finished: it was aborted.
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert_eq!(
        finished.load(Ordering::Relaxed),
        1,
        "a task outlived its owner"
    );
}

#[tokio::test(start_paused = true)]
async fn ignoring_a_failed_handle_hides_the_panic_and_leaves_a_task_running() {
    let finished = Arc::new(AtomicU64::new(0));
    let summed = sum_ignoring_failures(parts(), Arc::clone(&finished)).await;
    // The sum looks fine and is wrong: the poisoned part vanished...
    assert_eq!(summed, Ok(3));
    // ...and the slow part, still running, finishes after its owner returned.
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert_eq!(finished.load(Ordering::Relaxed), 2);
}
// ANCHOR_END: join_set_test

#[tokio::test(start_paused = true)]
async fn a_join_set_with_no_failure_sums_every_part() {
    let finished = Arc::new(AtomicU64::new(0));
    let parts = vec![
        (vec![1, 2], Duration::from_millis(10)),
        (vec![100], Duration::from_secs(10)),
    ];
    assert_eq!(sum_in_join_set(parts, Arc::clone(&finished)).await, Ok(103));
    assert_eq!(finished.load(Ordering::Relaxed), 2);
}

// ANCHOR: backpressure_test
#[tokio::test]
async fn a_bounded_channel_holds_its_capacity_at_most_and_an_unbounded_one_everything() {
    use lab_11::backpressure::{bounded, unbounded};
    // On the current-thread runtime of `#[tokio::test]`, exactly.
    let flooded = unbounded(2_000, 16, 1).await;
    assert_eq!((flooded.peak_messages, flooded.handled), (2_000, 2_000));
    assert_eq!(flooded.peak_bytes, 2_000 * 16);
    let paced = bounded(2_000, 16, 1, 8).await;
    assert_eq!(paced.handled, 2_000);
    assert_eq!(paced.peak_bytes, 8 * 16);
    // The producer fills the channel, then waits: exactly its capacity.
    assert_eq!(paced.peak_messages, 8, "{paced:?}");
}
// ANCHOR_END: backpressure_test

// ANCHOR: fan_out_test
/// Ten messages sent on a channel that keeps four, before the receiver
/// runs; then the sender is dropped.
async fn ten_messages_to_a_slow_receiver<F, Fut>(receive: F) -> lab_11::fan_out::Seen
where
    F: FnOnce(tokio::sync::broadcast::Receiver<u64>) -> Fut,
    Fut: std::future::Future<Output = lab_11::fan_out::Seen>,
{
    let (sender, receiver) = tokio::sync::broadcast::channel(4);
    for message in 0..10 {
        sender.send(message).unwrap();
    }
    drop(sender);
    receive(receiver).await
}

#[tokio::test]
async fn a_receiver_that_lags_is_told_what_it_missed_and_reads_on() {
    let seen = ten_messages_to_a_slow_receiver(lab_11::fan_out::receive_through_lags).await;
    assert_eq!(seen.skipped, 6);
    assert_eq!(seen.received, [6, 7, 8, 9]);
}

#[tokio::test]
async fn a_receiver_that_stops_at_an_error_stops_at_its_first_lag() {
    let seen = ten_messages_to_a_slow_receiver(lab_11::fan_out::receive_until_an_error).await;
    // Four messages were still there to read: it read none.
    assert_eq!(seen.received, [] as [u64; 0]);
}

#[tokio::test]
async fn a_watch_receiver_applies_the_latest_configuration_and_skips_the_rest() {
    let (sender, receiver) = tokio::sync::watch::channel(1);
    let applying = tokio::spawn(lab_11::fan_out::apply_configurations(receiver));
    tokio::task::yield_now().await; // it applies 1, and is busy with it
    sender.send(2).unwrap();
    sender.send(3).unwrap(); // 2 is replaced before it is looked at
    drop(sender);
    assert_eq!(applying.await.unwrap(), [1, 3]);
}
// ANCHOR_END: fan_out_test

// ANCHOR: bridging_test
/// 64 blocking calls, each returning its number after waiting at a
/// barrier of `group`: they can only return `group` at a time, all running.
fn calls_meeting_in_groups_of(group: usize) -> Vec<Box<dyn FnOnce() -> u32 + Send>> {
    let barrier = Arc::new(std::sync::Barrier::new(group));
    (0..64u32)
        .map(|n| {
            let barrier = Arc::clone(&barrier);
            Box::new(move || {
                barrier.wait();
                n
            }) as Box<dyn FnOnce() -> u32 + Send>
        })
        .collect()
}

/// 64 blocking calls that can only return once all 64 run at once (each
/// waits at a barrier of 64): they return, so the pool grew to 64 threads.
#[test]
fn a_burst_of_blocking_calls_grows_the_pool_to_a_thread_per_call() {
    use lab_11::bridging::{Running, all_at_once};
    let peak = harness::watchdog::within(
        Duration::from_secs(60),
        "64 blocking calls waiting for each other: the pool did not grow to 64 threads",
        || {
            let runtime = tokio::runtime::Runtime::new().unwrap();
            let calls = calls_meeting_in_groups_of(64);
            let running = Arc::new(Running::default());
            let outputs = runtime.block_on(all_at_once(calls, Arc::clone(&running)));
            assert_eq!(outputs, (0..64u32).collect::<Vec<_>>());
            running.peak()
        },
    );
    assert_eq!(peak, 64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_semaphore_bounds_the_blocking_calls_running_at_once() {
    use lab_11::bridging::{Running, at_most};
    // Each call waits at a barrier of 4: the calls can only return four at
    // a time, so 4 must run at once, and the semaphore allows no more.
    let calls = calls_meeting_in_groups_of(4);
    let running = Arc::new(Running::default());
    let outputs = at_most(4, calls, Arc::clone(&running)).await;
    assert_eq!(outputs, (0..64u32).collect::<Vec<_>>());
    assert_eq!(running.peak(), 4);
}

#[test]
fn block_on_answers_from_a_thread_of_its_own_and_panics_inside_a_task() {
    use lab_11::bridging::answer_from_sync_code;
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let handle = runtime.handle().clone();
    // Right: from a plain thread, and from the blocking pool.
    let from_thread = std::thread::spawn(move || answer_from_sync_code(&handle));
    assert_eq!(from_thread.join().unwrap(), 42);
    let from_pool = runtime.block_on(async {
        tokio::task::spawn_blocking(|| answer_from_sync_code(&tokio::runtime::Handle::current()))
            .await
    });
    assert_eq!(from_pool.unwrap(), 42);
    // Wrong: from a task, it would block the worker the future needs.
    let inside = runtime.block_on(async {
        tokio::spawn(async { answer_from_sync_code(&tokio::runtime::Handle::current()) }).await
    });
    let panic = inside
        .expect_err("block_on inside a task must panic")
        .into_panic();
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    assert!(
        message.contains("Cannot start a runtime from within a runtime"),
        "{message}"
    );
}
// ANCHOR_END: bridging_test

// ANCHOR: stuck_test
/// Runs `task` on a two-worker runtime watched by the monitor (sampling
/// every 20 ms, patience 200 ms); returns what the monitor reported.
fn watched(
    task: impl std::future::Future<Output = ()> + Send + 'static,
) -> Vec<lab_11::stuck::Held> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    // The monitor watches a worker from its first park on: wait for every
    // worker to have parked once (they do as soon as they start, idle).
    let metrics = runtime.handle().metrics();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while (0..metrics.num_workers()).any(|w| metrics.worker_park_unpark_count(w) == 0) {
        assert!(
            std::time::Instant::now() < deadline,
            "a worker of a new runtime did not park once in 10 s"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let monitor = lab_11::stuck::watch_workers(
        runtime.handle().clone(),
        Duration::from_millis(20),
        Duration::from_millis(200),
        Arc::clone(&stop),
    );
    runtime.block_on(async { tokio::spawn(task).await.unwrap() });
    stop.store(true, Ordering::Relaxed);
    monitor.join().unwrap()
}

#[test]
fn a_blocking_call_in_a_task_is_seen_holding_its_worker() {
    // 1.5 s of blocking against a patience of 200 ms.
    let held = watched(async { std::thread::sleep(Duration::from_millis(1_500)) });
    assert!(!held.is_empty(), "the blocked worker was not reported");
}

#[test]
fn awaiting_as_long_holds_no_worker() {
    let held = watched(async { tokio::time::sleep(Duration::from_millis(1_500)).await });
    assert_eq!(held, []);
}
// ANCHOR_END: stuck_test

/// asyncio's counterparts (`python/production.py`), for "Coming from
/// Python": run, and held to what the chapter says of them. Skipped, with
/// the reason, where there is no Python 3.11.
#[test]
fn the_asyncio_counterparts_do_what_the_chapter_says() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/python/production.py");
    let version = std::process::Command::new("python3")
        .args(["-c", "import sys; print(sys.version_info >= (3, 11))"])
        .output();
    match version {
        Ok(out) if String::from_utf8_lossy(&out.stdout).trim() == "True" => {}
        _ => {
            eprintln!("skipped: python/production.py needs python3 3.11 or later");
            return;
        }
    }
    let mut python = std::process::Command::new("python3");
    python.arg(script);
    let output = harness::watchdog::output_within(
        python,
        Duration::from_secs(60),
        "python3 python/production.py",
    );
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(
        lines[0],
        "TaskGroup: failed: part [13] holds the poison value; parts finished: [[1, 2]]"
    );
    assert_eq!(lines[1], "Queue(maxsize=8): at most 8 queued of 2000");
    let at_once: u32 = lines[2]
        .strip_prefix("run_in_executor on 4 threads: at most ")
        .and_then(|rest| rest.strip_suffix(" at once"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{}", lines[2]));
    assert!((1..=4).contains(&at_once), "{}", lines[2]);
    assert_eq!(
        lines[3],
        "graceful shutdown: 3 of 3 requests in flight answered after SIGTERM"
    );
}

#[test]
fn the_backpressure_tool_prints_both_channels_peaks_side_by_side() {
    let mut tool = std::process::Command::new(env!("CARGO_BIN_EXE_lab-11"));
    tool.args(["backpressure", "--runs", "2", "--messages", "2000"]);
    let output =
        harness::watchdog::output_within(tool, Duration::from_secs(60), "lab-11 backpressure");
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let row = |name: &str| {
        printed
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no {name} row in:\n{printed}"))
            .split_whitespace()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    // Exact queued counts and bytes; a measured memory with its range.
    let unbounded = row("unbounded");
    assert_eq!(unbounded[1..3], ["2,000", "2,048,000"], "{printed}");
    let bounded = row("bounded(64)");
    assert_eq!(bounded[1..3], ["64", "65,536"], "{printed}");
    assert!(
        bounded[4].starts_with('(') && bounded[4].contains('–'),
        "{printed}"
    );
    // The ratio printed is the two medians' (the last number of each row
    // when there is one run; here the figure before the range).
    let median = |cells: &[String]| -> f64 { cells[3].replace(',', "").parse().unwrap() };
    let ratio = format!(
        "peaked at {:.1}× the bounded one's memory",
        median(&unbounded) / median(&bounded)
    );
    assert!(printed.contains(&ratio), "{ratio:?} not in:\n{printed}");
    // Bad input is refused with the accepted range.
    let refused = std::process::Command::new(env!("CARGO_BIN_EXE_lab-11"))
        .args(["backpressure", "--runs", "0"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let unknown = std::process::Command::new(env!("CARGO_BIN_EXE_lab-11"))
        .args(["backpressure", "--only", "leaky"])
        .output()
        .unwrap();
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("not a channel"));
}
