//! The reliable queue under `kill -9`, for real: a Redis server of its own,
//! 10,000 jobs, 4 worker processes (this program, run again as `worker`),
//! one of them killed every 50 ms; then what was lost and what was done
//! twice. Needs `redis-server` installed.
//!
//! `cargo run -p lab-12 --example kill_nine`

use lab_12::real::{RedisServer, run_queue, run_worker};
use std::process::ExitCode;
use std::time::Duration;

// ANCHOR: demo
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("worker") {
        // Run as a worker: `kill_nine worker --redis URL --name NAME`.
        let (url, name) = (&args[3], &args[5]);
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
    let every = Some(Duration::from_millis(50));
    let run = run_queue(&me, &server.url, 4, 10_000, every, Duration::from_secs(120))
        .expect("the run completes");
    println!(
        "{} jobs, 4 workers, {} killed with SIGKILL, {} jobs taken back from dead workers.\n\
         lost: {}   done twice: {}   in {:.1?}",
        run.jobs, run.killed, run.requeued, run.lost, run.done_twice, run.elapsed
    );
    ExitCode::SUCCESS
}
// ANCHOR_END: demo
