//! The queue across machines, simulated (`src/machines.rs`): each machine
//! a network namespace with its own workers, linked to the server's
//! namespace by a cable of its own. A whole machine killed at once, and a
//! machine cut off and plugged back in: nothing lost. Without network
//! namespaces (not root, no `ip`), or without redis-server, each test says
//! why and passes: namespaces need privileges CI containers may not give.
//! Each run is bounded by its patience (60 s) and ends by itself.

use lab_12::machines::{Network, cut_a_machine_off, kill_a_machine};
use lab_12::real::{RealRedis, RedisServer};
use std::io::Write;
use std::path::Path;
use std::time::Duration;

const LAB_12: &str = env!("CARGO_BIN_EXE_lab-12");

/// Two machines and the server's namespace, with a server in it; or
/// `None`, with the reason on stderr.
fn two_machines() -> Option<(Network, RedisServer)> {
    let skip = |why: String| {
        let _ = writeln!(std::io::stderr(), "SKIPPED (machines, simulated): {why}");
        None
    };
    let network = match Network::create(2) {
        Ok(network) => network,
        Err(why) => return skip(why.to_string()),
    };
    match network.inside(0, RedisServer::start_for_machines) {
        Ok(Ok(server)) => Some((network, server)),
        Ok(Err(why)) => skip(why.to_string()),
        Err(why) => skip(why.to_string()),
    }
}

/// Every job done at least once, on the server in `network`.
fn every_job_done(network: &Network, server: &RedisServer, jobs: u64) -> Vec<u64> {
    network
        .inside(0, || {
            let done = RealRedis::connect(&server.url).unwrap().done().unwrap();
            (0..jobs).filter(|job| !done.contains_key(job)).collect()
        })
        .unwrap()
}

#[test]
fn a_whole_machine_killed_at_once_loses_no_job() {
    let Some((network, server)) = two_machines() else {
        return;
    };
    let (report, killed) = kill_a_machine(&network, &server, Path::new(LAB_12), 3_000).unwrap();
    println!("{report:?}");
    assert_eq!(killed, 2, "machine 1 had two workers: {report:?}");
    assert_eq!((report.lost, report.unfinished), (0, 0), "{report:?}");
    // Their jobs came back through the reaper once their leases ran out.
    assert!(report.requeued >= 1, "{report:?}");
    let missing = every_job_done(&network, &server, 3_000);
    assert!(missing.is_empty(), "never done: {missing:?}");
}

#[test]
fn a_machine_cut_off_and_plugged_back_in_loses_no_job_and_duplicates_are_counted() {
    let Some((network, server)) = two_machines() else {
        return;
    };
    // Plugged back in 1 s after the cut, past three leases (300 ms
    // each): by then the reaper has taken back the jobs machine 2's
    // workers held, and machine 1 did them.
    let cut_for = Duration::from_secs(1);
    let (report, restored) =
        cut_a_machine_off(&network, &server, Path::new(LAB_12), 3_000, cut_for).unwrap();
    println!("{report:?}");
    assert!(
        restored,
        "the run ended before the cable was back: {report:?}"
    );
    assert_eq!((report.lost, report.unfinished), (0, 0), "{report:?}");
    assert!(
        report.requeued >= 1,
        "machine 2's jobs were not taken back: {report:?}"
    );
    // At-least-once. Each of machine 2's two workers can cause two
    // duplicates, each of a job the reaper took back: the job it had done
    // whose acknowledgement was still on the cut cable (done again on
    // machine 1), and the job its claim, delivered late, took once the
    // cable was back, before its lease was renewed (taken back again,
    // and done by both). So at most 4, and never more than were taken
    // back.
    assert!(report.done_twice <= report.requeued.min(4), "{report:?}");
    let missing = every_job_done(&network, &server, 3_000);
    assert!(missing.is_empty(), "never done: {missing:?}");
}

#[test]
fn the_book_shows_the_reference_machines_run_as_lab_12_prints_it() {
    // The run chapter 12 shows and chapter 13's scoreboard judges C17
    // from: measured once, committed, and rendered here as the command
    // prints it (`cargo xtask traces` rewrites the text).
    let json = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../book/src/lab-12/machines.json");
    let report = lab_12::machines::load(&json)
        .expect("the reference is a `lab-12 machines` run")
        .expect("the reference run is committed");
    assert!(
        report.optimised && report.rounds >= 3,
        "the reference must be a release build's run with at least 3 rounds"
    );
    let content = format!(
        "$ sudo ./target/release/lab-12 machines\n{}",
        lab_12::machines::render(&report)
    );
    harness::book::keep_current(Path::new("book/src/lab-12/machines.txt"), &content);
}
