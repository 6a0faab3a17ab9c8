//! The pipe deadlock on real processes: this program runs itself as the
//! child (`pipe_deadlock child --stdout N`), so it needs nothing installed.
//!
//! `cargo run -p lab-08 --example pipe_deadlock`

use lab_08::Output;
use lab_08::on_std::{exercise, fixed, racy};
use lab_08::real::{Watched, child_main, pipe_capacity, spawn, with_watchdog};
use std::io;
use std::process::{Child, ExitCode};
use std::time::Duration;

const BYTES: usize = 1 << 20;
const PATIENCE: Duration = Duration::from_secs(3);

// ANCHOR: demo
fn main() -> ExitCode {
    let role = std::env::args().nth(1);
    if matches!(role.as_deref(), Some("child" | "echo" | "exit")) {
        return child_main(std::env::args()); // we are the child
    }
    let me = std::env::current_exe().expect("this program's path");
    let start = |args: &[&str]| spawn(&me, args).expect("this program starts as a child");
    let writes_much = || start(&["child", "--stdout", &BYTES.to_string()]);
    match pipe_capacity() {
        Some(bytes) => println!("A pipe on this system holds {bytes} bytes."),
        None => println!("This system does not say how much a pipe holds."),
    }
    println!("Each child writes {BYTES} bytes to its stdout.\n");

    report(
        "wait, then read",
        with_watchdog(writes_much(), PATIENCE, racy::wait_then_read),
    );
    report(
        "read while waiting",
        with_watchdog(writes_much(), PATIENCE, fixed::read_while_waiting),
    );

    println!("\nThe exercise, on a real filter (`echo`) fed {BYTES} bytes:");
    let input = vec![b'x'; BYTES];
    let yours = with_watchdog(start(&["echo"]), PATIENCE, |child: Child| {
        exercise::communicate(child, input.clone()).map(|stdout| Output {
            stdout,
            stderr: vec![],
        })
    });
    report("your communicate", yours);
    ExitCode::SUCCESS
}

fn report(parent: &str, watched: Watched<io::Result<Output>>) {
    match watched {
        Watched::Finished(Ok(output)) => println!(
            "{parent:<20} finished: {} bytes of stdout, {} of stderr",
            output.stdout.len(),
            output.stderr.len()
        ),
        Watched::Finished(Err(error)) => println!("{parent:<20} failed: {error}"),
        Watched::Hung(_) => println!(
            "{parent:<20} HUNG: still waiting after {PATIENCE:?}; the child was blocked on a\n\
             {:<20} full pipe the parent was not reading. The watchdog killed the child.",
            ""
        ),
    }
}
// ANCHOR_END: demo
