//! Loom and shuttle on the same model as it grows: the dining philosophers.
//!
//! ```text
//! cargo run -p shuttle-vs-loom --release --example shuttle_vs_loom [-- --budget SECONDS]
//! ```
//!
//! Loom runs the bug (left fork first) until its first deadlock, in a
//! child process (loom aborts on a deadlock), then explores every execution
//! of the fix (forks taken lower-numbered first), for 2 to 5 philosophers
//! and a growing preemption bound, each run stopped at the budget (default
//! 10 s, at most 60). Shuttle runs random
//! schedules of the bug (left fork first) until one deadlocks, from 5
//! fixed seeds (at most 10,000 schedules each), then 10,000 schedules of
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
const SHUTTLE_BUDGET: usize = 10_000;

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
    if args.first().map(String::as_str) == Some("--child-loom") {
        return child_loom(&args[1..]);
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
        "loom, the bug until the first deadlock, then every execution of the fix; each run \
         stopped at {} s:",
        budget.as_secs()
    );
    println!(
        "{:>12}  {:>11}  {:>22}  {:>10}  {:>8}  verdict on the fix",
        "philosophers", "preemptions", "bug: first deadlock", "executions", "time"
    );
    for philosophers in 2..=LOOM_MAX_THREADS {
        for preemptions in [Some(1), Some(2), Some(3), None] {
            let bound = preemptions.map_or(String::from("any"), |p| p.to_string());
            bar.set_position(0);
            bar.set_message(format!(
                "loom, {philosophers} philosophers, {bound} preemptions: executions"
            ));
            let bug = match child_loom_bug(philosophers, preemptions, budget) {
                Ok(bug) => bug,
                Err(e) => {
                    bar.finish_and_clear();
                    eprintln!("{e}");
                    return ExitCode::FAILURE;
                }
            };
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
                    "{philosophers:>12}  {bound:>11}  {bug:>22}  {:>10}  {:>6.1} s  {verdict}",
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

/// Runs loom on the bug in a child process, which loom aborts when it
/// finds the deadlock (it panics again while cleaning up). The child
/// prints the number of the execution that deadlocked, at the first
/// panic. Says where, or that none did.
fn child_loom_bug(
    philosophers: usize,
    preemptions: Option<usize>,
    budget: Duration,
) -> Result<String, String> {
    let exe = std::env::current_exe().map_err(|e| format!("no path to this program: {e}"))?;
    let bound = preemptions.map_or(String::from("any"), |p| p.to_string());
    let output = Command::new(exe)
        .args(["--child-loom", &philosophers.to_string(), &bound])
        .arg(budget.as_secs().to_string())
        .stderr(Stdio::null())
        .output()
        .map_err(|e| format!("could not run the child: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    // The hook runs again for the panics of the abort: the first line counts.
    let last = text.lines().next().unwrap_or_default();
    let mut words = last.split_whitespace();
    Ok(match (words.next(), words.next(), words.next()) {
        (Some("execution"), Some(n), None) if !output.status.success() => {
            format!("at execution {n}")
        }
        (Some("passed"), Some(n), Some("finished")) => format!("none in {n}"),
        (Some("passed"), Some(_), Some("stopped")) => format!("none in {} s", budget.as_secs()),
        _ => {
            return Err(format!(
                "the loom child printed `{last}` ({})",
                output.status
            ));
        }
    })
}

/// The loom child: `--child-loom PHILOSOPHERS BOUND SECONDS` (bound `any`:
/// none) runs the bug. At loom's first panic (the deadlock, before the
/// abort) it prints `execution N`; if loom returns, `passed N finished`
/// or `passed N stopped`.
fn child_loom(args: &[String]) -> ExitCode {
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
    static EXECUTIONS: AtomicUsize = AtomicUsize::new(0);
    let [philosophers, bound, seconds] = args else {
        return usage();
    };
    let (Ok(philosophers), Ok(seconds)) = (philosophers.parse(), seconds.parse()) else {
        return usage();
    };
    let preemptions = bound.parse().ok();
    std::panic::set_hook(Box::new(|_| {
        println!("execution {}", EXECUTIONS.load(Relaxed));
    }));
    let explored = loom_run(
        philosophers,
        Order::LeftFirst,
        preemptions,
        Duration::from_secs(seconds),
        || {
            EXECUTIONS.fetch_add(1, Relaxed);
        },
    );
    let how = if explored.finished {
        "finished"
    } else {
        "stopped"
    };
    println!("passed {} {how}", explored.executions);
    ExitCode::SUCCESS
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
