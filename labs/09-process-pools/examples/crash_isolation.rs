//! Crash isolation, for real: a job that aborts, run on a process pool and
//! on a thread pool. Each pool runs in a child process (this program, run
//! again), so this demo survives whatever happens to report it.
//!
//! `cargo run -p lab-09 --example crash_isolation`

use lab_09::jobs::{Job, worker_main};
use lab_09::pools::{PoolConfig, PoolKind, build, summary};
use std::io::{self, BufWriter};
use std::process::{Command, ExitCode};
use std::time::Duration;

// ANCHOR: demo
fn main() -> ExitCode {
    let me = std::env::current_exe().expect("this program's path");
    match std::env::args().nth(1).as_deref() {
        // Started by a process pool: be a worker.
        Some("worker") => {
            let output = BufWriter::new(io::stdout().lock());
            worker_main(io::stdin().lock(), output).expect("requests are well formed");
        }
        // Started by the demo below: run 20 squares and an abort on a pool.
        Some(pool) => {
            let kind = if pool == "threads" {
                PoolKind::Threads
            } else {
                PoolKind::Processes
            };
            let mut jobs: Vec<Job> = (0..20).map(Job::Square).collect();
            jobs.insert(7, Job::Abort);
            let config = PoolConfig {
                kind,
                workers: 2,
                program: me,
                patience: Duration::from_secs(10),
                attempts: 2,
            };
            let results = build(&config).run(&jobs).expect("workers start");
            print!("{}", summary(kind, &jobs, &results));
        }
        // The demo: each pool in a child process of its own.
        None => {
            for pool in ["processes", "threads"] {
                let child = Command::new(&me)
                    .arg(pool)
                    .output()
                    .expect("the demo starts");
                println!("--- a {pool} pool, 21 jobs, job 7 aborts:");
                print!("{}", String::from_utf8_lossy(&child.stdout));
                if !child.status.success() {
                    println!(
                        "the whole program died ({}): no result came back",
                        child.status
                    );
                }
            }
        }
    }
    ExitCode::SUCCESS
}
// ANCHOR_END: demo
