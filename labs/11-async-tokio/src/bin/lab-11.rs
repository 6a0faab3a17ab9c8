//! `lab-11`: the echo servers, and the C10k tool that measures them.
//!
//! - `lab-11 serve --model threads|tasks|bare`: an echo server on 127.0.0.1;
//! - `lab-11 c10k`: starts each server in a process of its own, opens 100,
//!   1,000 and 10,000 idle connections to it, and prints, side by side,
//!   the server's memory per connection and echo latency across them;
//! - `lab-11 backpressure`: an unbounded channel's memory under a fast
//!   producer, beside a bounded one's;
//! - `lab-11 serve-until-signal`: a server of `work <ms>` requests that
//!   shuts down gracefully on SIGTERM or Ctrl-C (`--abrupt`: the way that
//!   cuts the requests in flight).

use clap::{Parser, Subcommand};
use lab_11::c10k::{Model, c10k, serve};
use std::process::ExitCode;
use std::time::Duration;

#[derive(Parser)]
#[command(
    name = "lab-11",
    about = "Echo servers, and the C10k tool that measures them."
)]
struct Cli {
    #[command(subcommand)]
    command: Commands,
}

#[derive(Subcommand)]
enum Commands {
    /// Runs an echo server on 127.0.0.1 and prints the address.
    Serve {
        /// How connections are served.
        #[arg(long, value_enum)]
        model: Model,
    },
    /// Measures both servers with idle connections; prints a table.
    C10k {
        /// How many idle connections, in rising order.
        #[arg(long, value_delimiter = ',', default_values_t = [100, 1_000, 10_000])]
        connections: Vec<usize>,
        /// Echo round trips timed at each step (1 or more).
        #[arg(long, default_value_t = 1_000, value_parser = clap::value_parser!(u32).range(1..))]
        round_trips: u32,
    },
    /// An unbounded channel's memory under a fast producer, beside a
    /// bounded one's: each run a process of its own.
    Backpressure {
        /// Runs of each channel (1 to 20).
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=20))]
        runs: u32,
        /// One run of one channel, printed for the comparison to read.
        #[arg(long, hide = true)]
        only: Option<String>,
        /// Messages per run (the tests send fewer).
        #[arg(long, hide = true, default_value_t = lab_11::backpressure::MESSAGES,
              value_parser = clap::value_parser!(u64).range(1..))]
        messages: u64,
    },
    /// Serves `work <ms>` requests on 127.0.0.1 (prints the address) until
    /// SIGTERM or Ctrl-C, then stops accepting and lets the requests in
    /// flight finish; prints how many were answered and cut.
    ServeUntilSignal {
        /// How long the requests in flight may take to finish, in ms.
        #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=600_000))]
        grace_ms: u64,
        /// Shut down the way that cuts requests: drop the connections.
        #[arg(long)]
        abrupt: bool,
    },
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Commands::Serve { model } => serve(model),
        Commands::C10k {
            connections,
            round_trips,
        } => c10k(&connections, round_trips as usize),
        Commands::Backpressure {
            runs,
            only,
            messages,
        } => match only {
            Some(kind) => lab_11::backpressure::run_one(&kind, messages),
            None => lab_11::backpressure::compare(runs, messages),
        }
        .map_err(std::io::Error::other),
        Commands::ServeUntilSignal { grace_ms, abrupt } => {
            lab_11::shutdown::serve_until_signal(Duration::from_millis(grace_ms), abrupt)
                .map_err(std::io::Error::other)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("lab-11: {error}");
            ExitCode::FAILURE
        }
    }
}
