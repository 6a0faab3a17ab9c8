//! The reliable queue under `kill -9`, for real: a Redis server of its own,
//! 10,000 jobs, 4 worker processes (this program, run again as `worker`),
//! one of them killed each 400 jobs; then what was lost and what was done
//! twice. Needs `redis-server` installed.
//!
//! `cargo run -p lab-12 --example kill_nine`

use lab_12::real::{RedisServer, run_queue, run_worker};
use std::process::ExitCode;
use std::time::Duration;

// ANCHOR: demo
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if let [_, role, _, url, _, name] = &args[..]
        && role == "worker"
    {
        // Run as a worker: `kill_nine worker --redis URL --name NAME`.
        let _ = run_worker(url, name, Duration::from_millis(300));
        return ExitCode::FAILURE; // a worker only ends when its server does
    }
    let server = match RedisServer::start() {
        Ok(server) => server,
        Err(why) => {
            eprintln!("{why}");
            return ExitCode::FAILURE;
        }
    };
    let me = std::env::current_exe().expect("this program's path");
    // One worker killed with SIGKILL each time 400 more jobs are done.
    let run = match run_queue(
        &me,
        &server.url,
        4,
        10_000,
        Some(400),
        Duration::from_secs(120),
    ) {
        Ok(run) => run,
        Err(error) => {
            eprintln!("the run failed: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "{} jobs, 4 workers, {} killed with SIGKILL, {} jobs taken back from dead workers.\n\
         lost: {}   unfinished: {}   dead-lettered: {}   done twice: {}   in {:.1?}",
        run.jobs,
        run.killed,
        run.requeued,
        run.lost,
        run.unfinished,
        run.dead,
        run.done_twice,
        run.elapsed
    );
    ExitCode::SUCCESS
}
// ANCHOR_END: demo
