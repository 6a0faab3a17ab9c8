//! A worker pipeline on real threads, with crossbeam-channel: a fast
//! producer, a slow stage, a consumer. With a bounded channel the backlog
//! (and the memory it holds) stays small; with an unbounded one it grows.
//! Then the stop-flag worker of this chapter, on real threads.
//!
//! `cargo run -p lab-06 --example pipeline --release`

use crossbeam::channel::{Receiver, Sender, after, bounded, select, tick, unbounded};
use lab_06::Jobs;
use lab_06::on_std::fixed::ClosingJobs;
use lab_06::on_std::racy::StopFlagJobs;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

const ITEMS: u64 = 20_000;

/// About `micros` microseconds of work, on the CPU (no sleep).
fn work(micros: u64) {
    let until = Instant::now() + Duration::from_micros(micros);
    while Instant::now() < until {
        std::hint::spin_loop();
    }
}

// ANCHOR: pipeline
/// Producer → stage → consumer. The producer makes items as fast as it can;
/// the stage takes about 20 µs per item. Returns the sum the consumer saw
/// and the longest the queue in front of the stage ever got.
fn pipeline(jobs: (Sender<u64>, Receiver<u64>)) -> (u64, usize) {
    let (to_stage, stage_in) = jobs;
    let (to_consumer, results) = bounded(64);
    let producer = thread::spawn(move || {
        let mut longest = 0;
        for item in 0..ITEMS {
            to_stage.send(item).expect("the stage is running"); // blocks while full, if bounded
            longest = longest.max(to_stage.len());
        }
        longest // dropping `to_stage` here closes the channel: the stage's signal to finish
    });
    let stage = thread::spawn(move || {
        for item in stage_in {
            // ends when the producer is gone and the queue is drained
            work(20);
            to_consumer.send(item * 2).expect("the consumer is running");
        }
    });
    let ticker = tick(Duration::from_millis(100));
    let deadline = after(Duration::from_secs(30));
    let (mut sum, mut received) = (0, 0);
    loop {
        select! {
            recv(results) -> result => match result {
                Ok(value) => { sum += value; received += 1; }
                Err(_) => break, // the stage finished and closed its channel
            },
            recv(ticker) -> _ => println!("    ... {received} results so far"),
            recv(deadline) -> _ => {
                eprintln!("no end after 30 s: giving up with {received} results");
                std::process::exit(1);
            }
        }
    }
    stage.join().expect("the stage finished");
    (sum, producer.join().expect("the producer finished"))
}
// ANCHOR_END: pipeline

/// The stop-flag worker of this chapter, already running: a burst of jobs
/// arrives, then stop. How many were never handled?
fn lost_at_shutdown<J: Jobs>() -> u32 {
    let jobs = Arc::new(J::new());
    let worker = {
        let jobs = jobs.clone();
        thread::spawn(move || jobs.work().len())
    };
    thread::sleep(Duration::from_millis(10)); // let the worker start and wait for jobs
    for job in 0..1_000 {
        jobs.send(job); // a burst: faster than one worker can take them
    }
    jobs.stop();
    1_000 - worker.join().expect("the worker finished") as u32
}

fn main() {
    let expected: u64 = (0..ITEMS).map(|i| i * 2).sum();
    for (name, channel) in [("bounded(16)", bounded(16)), ("unbounded", unbounded())] {
        println!("{name}: {ITEMS} items through a stage of 20 µs each");
        let (sum, longest) = pipeline(channel);
        assert_eq!(sum, expected, "every item arrived");
        println!(
            "{name}: every item arrived; the longest queue before the stage: {longest} items\n"
        );
    }

    let lost: Vec<u32> = (0..5).map(|_| lost_at_shutdown::<StopFlagJobs>()).collect();
    println!(
        "stop flag:         a burst of 1,000 jobs, then stop; never handled, in 5 runs: {lost:?}"
    );
    let lost: Vec<u32> = (0..5).map(|_| lost_at_shutdown::<ClosingJobs>()).collect();
    println!(
        "close, then drain: a burst of 1,000 jobs, then close; never handled, in 5 runs: {lost:?}"
    );
}
