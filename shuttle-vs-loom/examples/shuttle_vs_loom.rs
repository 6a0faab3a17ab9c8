//! Loom and shuttle on the same model as it grows: the dining philosophers.
//!
//! ```text
//! cargo run -p shuttle-vs-loom --release --example shuttle_vs_loom [-- --budget SECONDS]
//! ```
//!
//! Loom explores every execution of the fix (forks taken lower-numbered
//! first), for 2 to 5 philosophers and a growing preemption bound, each run
//! stopped at the budget (default 10 s, at most 60). Shuttle runs random
//! schedules of the bug (left fork first) until one deadlocks, from 5
//! fixed seeds (at most 20,000 schedules each), then 10,000 schedules of
//! the fix to measure its speed. The default run takes under a minute on
//! two cores.

use indicatif::{ProgressBar, ProgressStyle};
use shuttle_vs_loom::{Found, Order, Scheduler, loom_run, shuttle_run};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// Loom runs at most this many threads in a model (loom 0.7.3,
/// `src/rt/mod.rs`, `MAX_THREADS`): a model with more panics.
const LOOM_MAX_THREADS: usize = 5;

/// The seeds shuttle's schedulers start from: fixed, so a run is repeatable.
const SEEDS: [u64; 5] = [1, 2, 3, 4, 5];

/// Schedules shuttle may try before it gives up on finding the deadlock.
const SHUTTLE_BUDGET: usize = 20_000;

/// Schedules of the fix run to measure shuttle's speed.
const SPEED_SCHEDULES: usize = 10_000;

/// The schedulers compared for `n` philosophers: PCT at depth `n` (the
/// deadlock needs `n` orderings: each philosopher takes a left fork before
/// its left neighbour takes it as a right fork), and uniformly random.
fn schedulers(n: usize) -> [(Scheduler, String); 2] {
    [
        (Scheduler::Pct { depth: n }, format!("pct, depth {n}")),
        (Scheduler::Random, String::from("random")),
    ]
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--child") {
        return child(&args[1..]);
    }
    let budget = match args.as_slice() {
        [] => 10,
        [flag, seconds] if flag == "--budget" => match seconds.parse::<u64>() {
            Ok(s @ 1..=60) => s,
            _ => return usage(),
        },
        _ => return usage(),
    };
    let budget = Duration::from_secs(budget);
    let start = Instant::now();
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {elapsed:>4} {msg}: {pos} so far")
            .expect("the template is valid"),
    );
    bar.enable_steady_tick(Duration::from_millis(200));

    println!(
        "The dining philosophers: each takes the left fork first (the bug: a deadlock), or the \
         lower-numbered fork first (the fix)."
    );
    println!();
    println!(
        "loom, every execution of the fix, each run stopped at {} s:",
        budget.as_secs()
    );
    println!(
        "{:>12}  {:>11}  {:>10}  {:>8}  verdict",
        "philosophers", "preemptions", "executions", "time"
    );
    for philosophers in 2..=LOOM_MAX_THREADS {
        for preemptions in [Some(1), Some(2), Some(3), None] {
            let bound = preemptions.map_or(String::from("any"), |p| p.to_string());
            bar.set_position(0);
            bar.set_message(format!(
                "loom, {philosophers} philosophers, {bound} preemptions: executions"
            ));
            let counter = bar.clone();
            let explored = loom_run(
                philosophers,
                Order::LowerFirst,
                preemptions,
                budget,
                move || counter.inc(1),
            );
            let verdict = if explored.finished {
                "proved: no execution deadlocks"
            } else {
                "stopped at the budget: proves nothing"
            };
            say(
                &bar,
                format!(
                    "{philosophers:>12}  {bound:>11}  {:>10}  {:>6.1} s  {verdict}",
                    explored.executions,
                    explored.time.as_secs_f64()
                ),
            );
            if !explored.finished {
                say(
                    &bar,
                    format!(
                        "{:>12}  (a larger bound would take longer still: not run)",
                        ""
                    ),
                );
                break;
            }
        }
    }
    println!(
        "loom stops there: a model may have at most {LOOM_MAX_THREADS} threads (MAX_THREADS)."
    );
    println!();
    println!(
        "shuttle, schedules of the bug until one deadlocks (seeds {:?}), and schedules per \
         second on the fix ({SPEED_SCHEDULES} schedules):",
        SEEDS
    );
    println!(
        "{:>12}  {:>12}  {:>30}  {:>10}",
        "philosophers", "scheduler", "schedules to the deadlock", "schedules/s"
    );
    for philosophers in [2, 3, 4, 5, 8, 16] {
        for (scheduler, name) in schedulers(philosophers) {
            let mut found = Vec::new();
            for seed in SEEDS {
                bar.set_position(0);
                bar.set_message(format!(
                    "shuttle, {philosophers} philosophers, {name}, seed {seed}: looking for the \
                     deadlock"
                ));
                found.push(match child_shuttle(philosophers, scheduler, seed) {
                    Ok(Found::FailedAt(n)) => n.to_string(),
                    Ok(Found::Passed(n)) => format!("none in {n}"),
                    Err(e) => {
                        bar.finish_and_clear();
                        eprintln!("{e}");
                        return ExitCode::FAILURE;
                    }
                });
            }
            bar.set_position(0);
            bar.set_message(format!(
                "shuttle, {philosophers} philosophers, {name}: schedules of the fix"
            ));
            let counter = bar.clone();
            let timer = Instant::now();
            let passed = shuttle_run(
                philosophers,
                Order::LowerFirst,
                scheduler,
                SEEDS[0],
                SPEED_SCHEDULES,
                move || counter.inc(1),
            );
            let rate = SPEED_SCHEDULES as f64 / timer.elapsed().as_secs_f64();
            assert_eq!(
                passed,
                Found::Passed(SPEED_SCHEDULES),
                "the fix deadlocked under shuttle"
            );
            say(
                &bar,
                format!(
                    "{philosophers:>12}  {name:>12}  {:>30}  {rate:>10.0}",
                    found.join(" ")
                ),
            );
        }
    }
    bar.finish_and_clear();
    println!();
    println!(
        "Done in {:.0} s. Loom's \"proved\" rows are proofs, within their bound; shuttle's are \
         samples: the fix passed {SPEED_SCHEDULES} schedules, which is evidence, not a proof.",
        start.elapsed().as_secs_f64()
    );
    ExitCode::SUCCESS
}

/// Prints a line above the progress bar (`println` would be drawn over).
fn say(bar: &ProgressBar, line: String) {
    bar.suspend(|| println!("{line}"));
}

fn usage() -> ExitCode {
    eprintln!("usage: shuttle_vs_loom [--budget SECONDS]   (1 to 60; default 10)");
    ExitCode::from(2)
}

/// Runs one shuttle search for the deadlock in a child process: shuttle
/// prints each failure it finds on stderr, which would break the table.
fn child_shuttle(philosophers: usize, scheduler: Scheduler, seed: u64) -> Result<Found, String> {
    let exe = std::env::current_exe().map_err(|e| format!("no path to this program: {e}"))?;
    let depth = match scheduler {
        Scheduler::Pct { depth } => depth,
        Scheduler::Random => 0,
    };
    let output = Command::new(exe)
        .args(["--child", &philosophers.to_string(), &depth.to_string()])
        .arg(seed.to_string())
        .stderr(Stdio::null())
        .output()
        .map_err(|e| format!("could not run the child: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let mut words = text.split_whitespace();
    match (words.next(), words.next().and_then(|n| n.parse().ok())) {
        (Some("failed-at"), Some(n)) => Ok(Found::FailedAt(n)),
        (Some("passed"), Some(n)) => Ok(Found::Passed(n)),
        _ => Err(format!("the child printed `{text}` ({})", output.status)),
    }
}

/// The child: `--child PHILOSOPHERS DEPTH SEED` (depth 0: the random
/// scheduler); prints `failed-at N` or `passed N`.
fn child(args: &[String]) -> ExitCode {
    let numbers: Vec<u64> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let [philosophers, depth, seed] = numbers[..] else {
        return usage();
    };
    let scheduler = match depth {
        0 => Scheduler::Random,
        depth => Scheduler::Pct {
            depth: depth as usize,
        },
    };
    match shuttle_run(
        philosophers as usize,
        Order::LeftFirst,
        scheduler,
        seed,
        SHUTTLE_BUDGET,
        || {},
    ) {
        Found::FailedAt(n) => println!("failed-at {n}"),
        Found::Passed(n) => println!("passed {n}"),
    }
    ExitCode::SUCCESS
}
