//! The pools on real worker processes (the lab's binary, `lab-09 worker`):
//! swapped by configuration, surviving crashes, garbage, early exits, hangs
//! and `kill -9`, losing no job and accepting none twice.

use lab_09::jobs::Job;
use lab_09::pools::{JobError, Pool, PoolConfig, PoolKind, ProcessPool, build};
use rustix::process::{Pid, Signal, kill_process};
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

const LAB_09: &str = env!("CARGO_BIN_EXE_lab-09");

fn config(kind: PoolKind, workers: usize) -> PoolConfig {
    PoolConfig {
        kind,
        workers,
        program: PathBuf::from(LAB_09),
        patience: Duration::from_secs(30),
        attempts: 2,
    }
}

fn squares(n: u64) -> Vec<Job> {
    (0..n).map(Job::Square).collect()
}

// ANCHOR: swap
#[test]
fn threads_and_processes_are_swapped_by_configuration_alone() {
    let jobs = squares(50);
    let expected: Vec<_> = (0..50).map(|n| Ok(n * n)).collect();
    for kind in [PoolKind::Threads, PoolKind::Processes] {
        let mut pool = build(&config(kind, 3));
        assert_eq!(pool.run(&jobs).unwrap(), expected, "{kind:?}");
    }
}
// ANCHOR_END: swap

// ANCHOR: kill_nine
#[test]
fn killing_workers_with_sigkill_loses_no_job_and_accepts_none_twice() {
    const JOBS: u64 = 1_000;
    let jobs: Vec<Job> = (0..JOBS).map(|value| Job::Sleep { ms: 1, value }).collect();
    let mut pool = ProcessPool::new(PoolConfig {
        attempts: 1_000, // a job may be unlucky more than once: never give up
        ..config(PoolKind::Processes, 4)
    });
    let pids = pool.pids();
    let running = AtomicBool::new(true);
    let (results, kills) = thread::scope(|scope| {
        let killer = scope.spawn(|| {
            let mut kills = 0;
            while running.load(Ordering::Relaxed) {
                thread::sleep(Duration::from_millis(15));
                let victim = pids.lock().unwrap().get(kills % 4).copied();
                if let Some(pid) = victim.and_then(|pid| Pid::from_raw(pid as i32)) {
                    // The worker may have just exited: then there is no one to kill.
                    kills += usize::from(kill_process(pid, Signal::KILL).is_ok());
                }
            }
            kills
        });
        let results = pool.run(&jobs).expect("workers can be started");
        running.store(false, Ordering::Relaxed);
        (results, killer.join().unwrap())
    });
    let stats = pool.stats();
    println!("{kills} workers killed with SIGKILL during the run; {stats:?}");
    assert!(kills >= 3, "the run ended before the killer got going");
    let expected: Vec<_> = (0..JOBS).map(Ok).collect();
    assert!(results == expected, "a job was lost or wrong");
    assert_eq!(stats.accepted, JOBS, "every job accepted exactly once");
    assert!(stats.started >= JOBS && stats.restarts as usize >= kills / 2);
}
// ANCHOR_END: kill_nine

// ANCHOR: leases
#[test]
fn a_duplicate_reply_is_refused_and_its_job_accepted_once() {
    let mut jobs = squares(10);
    jobs.insert(3, Job::Twice(7)); // its worker answers twice
    // One worker: it is handed job 4 after job 3's first reply, so the
    // duplicate is always read, and refused, before job 4's reply.
    let mut pool = ProcessPool::new(config(PoolKind::Processes, 1));
    let results = pool.run(&jobs).unwrap();
    assert_eq!(results[3], Ok(7));
    assert_eq!(pool.stats().accepted, 11, "each job accepted once");
    assert_eq!(pool.stats().refused, 1, "the duplicate refused");
}

#[test]
fn a_reply_left_over_from_one_run_is_not_taken_for_the_next_runs() {
    let mut pool = ProcessPool::new(config(PoolKind::Processes, 1));
    assert_eq!(pool.run(&[Job::Twice(5)]).unwrap(), [Ok(5)]);
    // The duplicate of that reply is still in the pipe when this run starts.
    assert_eq!(pool.run(&[Job::Square(3)]).unwrap(), [Ok(9)]);
    assert_eq!(pool.stats().refused, 1);
}
// ANCHOR_END: leases

#[test]
fn a_worker_program_that_cannot_start_is_a_clear_error() {
    let mut pool = build(&PoolConfig {
        program: PathBuf::from("/nonexistent/lab-09"),
        ..config(PoolKind::Processes, 2)
    });
    let error = pool.run(&squares(3)).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("cannot start /nonexistent/lab-09"),
        "{error}"
    );
}

#[test]
fn a_worker_program_that_dies_at_once_fails_each_job_after_bounded_retries() {
    let mut pool = build(&PoolConfig {
        program: PathBuf::from("/bin/false"), // exits at once, answering nothing
        ..config(PoolKind::Processes, 2)
    });
    let results = pool.run(&squares(3)).unwrap();
    for result in results {
        let Err(JobError::Failed { attempts: 2, last }) = result else {
            panic!("{result:?}")
        };
        // Lost before or after its request was written, and reaped after
        // it exited or while it was exiting (then killed): the message
        // says which, with the worker's status.
        let exited = last.contains("exit status: 1") || last.contains("signal: 9");
        assert!(exited, "{last}");
    }
}

// ANCHOR: isolation
#[test]
fn a_crashing_job_kills_only_its_worker_process() {
    let mut jobs = squares(20);
    jobs.insert(5, Job::Abort);
    jobs.insert(10, Job::Panic);
    let results = build(&config(PoolKind::Processes, 2)).run(&jobs).unwrap();
    for (index, result) in results.iter().enumerate() {
        match (&jobs[index], result) {
            (Job::Abort, Err(JobError::Failed { attempts: 2, last })) => {
                assert!(last.contains("SIGABRT"), "{last}")
            }
            (Job::Panic, Err(JobError::Failed { attempts: 2, last })) => {
                assert!(last.contains("the job panicked"), "{last}")
            }
            (Job::Square(n), Ok(square)) => assert_eq!(*square, n * n),
            other => panic!("job {index}: {other:?}"),
        }
    }
}

#[test]
fn the_same_abort_in_a_thread_pool_takes_the_whole_program_down() {
    let run = |pool: &str| {
        Command::new(LAB_09)
            .args(["run", "--pool", pool, "--squares", "20", "--abort"])
            .output()
            .expect("lab-09 starts")
    };
    let threads = run("threads");
    assert!(!threads.status.success(), "{threads:?}");
    assert!(threads.stdout.is_empty(), "no result was reported");
    let processes = run("processes");
    assert!(processes.status.success(), "{processes:?}");
    let report = String::from_utf8_lossy(&processes.stdout);
    assert!(report.contains("21 jobs, 20 done, 1 failed"), "{report}");
}
// ANCHOR_END: isolation

#[test]
fn a_panicking_job_is_reported_by_a_thread_pool_too() {
    let mut jobs = squares(4);
    jobs.push(Job::Panic);
    let results = build(&config(PoolKind::Threads, 2)).run(&jobs).unwrap();
    assert_eq!(&results[..4], &[Ok(0), Ok(1), Ok(4), Ok(9)]);
    assert!(matches!(&results[4], Err(JobError::Panicked(m)) if m.contains("panicked")));
}

// ANCHOR: bad_workers
/// Runs `bad` among good jobs on a pool that waits at most a second:
/// `bad` fails with a message containing `expected`, the rest succeed.
fn survives(bad: Job, expected: &str) {
    let mut jobs = squares(10);
    jobs.insert(3, bad);
    let mut pool = build(&PoolConfig {
        patience: Duration::from_secs(1),
        ..config(PoolKind::Processes, 2)
    });
    let results = pool.run(&jobs).unwrap();
    let Err(JobError::Failed { attempts: 2, last }) = &results[3] else {
        panic!("{:?}", results[3])
    };
    assert!(last.contains(expected), "{last}");
    let good = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(good, 10, "{results:?}");
}

#[test]
fn a_worker_that_writes_garbage_is_replaced_and_no_job_is_lost() {
    survives(
        Job::Garbage,
        "\"this is not a reply\", which is not a reply",
    );
}

#[test]
fn a_worker_that_closes_its_pipe_early_is_replaced_and_no_job_is_lost() {
    survives(Job::CloseEarly, "exited without answering");
}

#[test]
fn a_worker_that_hangs_is_killed_and_no_job_is_lost() {
    survives(Job::Hang, "did not answer within 1s");
}
// ANCHOR_END: bad_workers

// ANCHOR: lock_race
#[test]
fn of_sixteen_processes_racing_for_the_lock_file_exactly_one_gets_it() {
    let dir = std::env::temp_dir().join(format!("lab-09-lock-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let _ = std::fs::remove_file(dir.join("app.lock"));
    let racers: Vec<_> = (0..16)
        .map(|n| {
            Command::new(LAB_09)
                .args(["lock", "--dir", dir.to_str().unwrap(), "--owner"])
                .arg(format!("racer {n}"))
                .stdout(std::process::Stdio::null()) // the exit code says
                .spawn()
                .expect("lab-09 starts")
        })
        .collect();
    let winners: Vec<usize> = racers
        .into_iter()
        .enumerate()
        .filter_map(|(n, mut racer)| (racer.wait().unwrap().code() == Some(0)).then_some(n))
        .collect();
    let holder = std::fs::read_to_string(dir.join("app.lock")).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(winners.len(), 1, "winners: {winners:?}");
    assert_eq!(holder, format!("racer {}", winners[0]));
}
// ANCHOR_END: lock_race

/// What a caller reads when a job fails: the error says how.
#[test]
fn a_job_error_says_what_happened() {
    let failed = JobError::Failed {
        attempts: 2,
        last: String::from("killed by signal 9"),
    };
    assert_eq!(
        failed.to_string(),
        "failed after 2 attempts; last: killed by signal 9"
    );
    assert_eq!(
        JobError::Panicked(String::from("boom")).to_string(),
        "panicked: boom"
    );
}
