//! `lab-11`: the echo servers, and the C10k tool that measures them.
//!
//! - `lab-11 serve --model threads|tasks|bare`: an echo server on 127.0.0.1;
//! - `lab-11 c10k`: starts each server in a process of its own, opens 100,
//!   1,000 and 10,000 idle connections to it, and prints, side by side,
//!   the server's memory per connection and echo latency across them.

use clap::{Parser, Subcommand};
use lab_11::c10k::{Model, c10k, serve};
use std::process::ExitCode;

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
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Commands::Serve { model } => serve(model),
        Commands::C10k {
            connections,
            round_trips,
        } => c10k(&connections, round_trips as usize),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("lab-11: {error}");
            ExitCode::FAILURE
        }
    }
}
