//! Amdahl's law, measured: a job with a serial part you choose, run on
//! 1..=N threads, against the law's prediction.
//!
//! `cargo run -p lab-07 --example amdahl --release -- --serial 0.2`

use clap::Parser;
use lab_07::work::heavy;
use rayon::prelude::*;
use std::time::Instant;

#[derive(Parser)]
#[command(
    about = "A job whose serial part you choose, measured on 1..=N threads against Amdahl's law."
)]
struct Args {
    /// The fraction of the work that only one thread can do, from 0 to 1.
    #[arg(long, default_value_t = 0.1, value_parser = fraction, allow_negative_numbers = true)]
    serial: f64,
    /// The most threads to try (default: the number of cores).
    #[arg(long)]
    threads: Option<usize>,
}

fn fraction(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(f) if (0.0..=1.0).contains(&f) => Ok(f),
        _ => Err(format!(
            "`{text}` is not a fraction from 0 to 1, such as 0.2"
        )),
    }
}

const UNITS: u64 = 4_000_000;

// ANCHOR: job
/// The job: `serial` of the units on this thread, the rest in parallel.
/// Returns how long the serial part took, and the whole job, in seconds.
fn job(serial: f64) -> (f64, f64) {
    let started = Instant::now();
    let serial_units = (UNITS as f64 * serial) as u64;
    let alone: u64 = (0..serial_units).map(heavy).fold(0, u64::wrapping_add);
    let serial_part = started.elapsed().as_secs_f64();
    let shared: u64 = (serial_units..UNITS)
        .into_par_iter()
        .map(heavy)
        .reduce(|| 0, u64::wrapping_add);
    std::hint::black_box(alone.wrapping_add(shared));
    (serial_part, started.elapsed().as_secs_f64())
}

/// Amdahl's law: the best speed-up on `n` threads when a share `serial` of
/// the one-thread time cannot be split.
fn amdahl(serial: f64, n: f64) -> f64 {
    1.0 / (serial + (1.0 - serial) / n)
}
// ANCHOR_END: job

/// The median of 5 runs on `threads` threads: (serial part, whole job).
fn median(threads: usize, serial: f64) -> (f64, f64) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool");
    let mut runs: Vec<(f64, f64)> = (0..5).map(|_| pool.install(|| job(serial))).collect();
    runs.sort_by(|a, b| a.1.total_cmp(&b.1));
    runs[runs.len() / 2]
}

fn main() {
    let Args { serial, threads } = Args::parse();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let most = threads.unwrap_or(cores).max(1);
    let (serial_time, one) = median(1, serial);
    // Amdahl's law is about time: use the share of the one-thread run the
    // serial part took, measured, not the share of units asked for.
    let measured = serial_time / one;
    println!(
        "--serial {serial}: the serial part took {:.0} % of the one-thread time \
         (median of 5 runs); {cores} cores\n",
        measured * 100.0
    );
    if most > cores {
        println!("note: more threads than cores; Amdahl's law assumes a core for every thread\n");
    }
    println!(
        "{:>8} {:>11} {:>10} {:>10} {:>10}",
        "threads", "time", "speed-up", "Amdahl", "ideal"
    );
    for n in 1..=most {
        let time = if n == 1 { one } else { median(n, serial).1 };
        println!(
            "{n:>8} {:>8.0} ms {:>9.2}× {:>9.2}× {:>9}×",
            time * 1e3,
            one / time,
            amdahl(measured, n as f64),
            n
        );
    }
    if serial == 0.0 {
        println!("\nWith no serial part, the law sets no ceiling: only the cores do.");
    } else {
        println!(
            "\nHowever many threads, the speed-up cannot pass 1 / {measured:.2} = {:.1}×.",
            1.0 / measured
        );
    }
}
