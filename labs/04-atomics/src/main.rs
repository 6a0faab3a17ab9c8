//! `lab-04 litmus [TEST] [--ordering O] [--time SECONDS]`: the classic
//! litmus tests on this CPU's real threads, beside what the memory model
//! allows and what loom produces, one table per test and ordering.
//!
//! Exit codes: 0, every outcome seen is allowed; 1, this machine showed an
//! outcome the model forbids (a bug in the test or in the machine); 2, bad
//! input.

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use lab_04::litmus_loom::explore;
use lab_04::litmus_report::{Report, render, table, this_machine};
use lab_04::litmus_tests::{Test, Variant};
use lab_04::stress::{Budget, run};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Parser)]
#[command(
    name = "lab-04",
    about = "Litmus tests on this CPU, beside the memory model and loom."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs the litmus tests (or one) on real threads; prints a table per
    /// test and ordering: allowed by the model, produced by loom, observed here.
    Litmus {
        /// Only this test: mp, sb, lb, iriw, 2+2w, corr.
        #[arg(value_parser = test_from)]
        test: Option<Test>,
        /// Only this ordering: relaxed, release-acquire, seqcst, fences.
        #[arg(long, value_parser = variant_from)]
        ordering: Option<Variant>,
        /// Seconds on real threads per table (at least one batch of
        /// 16,384 iterations runs).
        #[arg(long, default_value = "1", value_parser = seconds_from)]
        time: Duration,
        /// Iterations per table instead of a time (above 16,384, rounded up
        /// to whole batches).
        #[arg(long, conflicts_with = "time", value_parser = iterations_from)]
        iterations: Option<u64>,
        /// Where to write every table as JSON.
        #[arg(long)]
        json: Option<PathBuf>,
        /// No progress bar.
        #[arg(long)]
        quiet: bool,
    },
}

fn names<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> String {
    all.iter().map(|&t| name(t)).collect::<Vec<_>>().join(", ")
}

fn test_from(text: &str) -> Result<Test, String> {
    Test::named(&text.to_ascii_lowercase()).ok_or_else(|| {
        format!(
            "no such test; the tests are {}",
            names(&Test::ALL, Test::name)
        )
    })
}

fn variant_from(text: &str) -> Result<Variant, String> {
    Variant::named(&text.to_ascii_lowercase()).ok_or_else(|| {
        format!(
            "no such ordering; the orderings are {}",
            names(&Variant::ALL, Variant::name)
        )
    })
}

fn seconds_from(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text.parse().map_err(|_| "not a number of seconds")?;
    if !(seconds > 0.0 && seconds <= 3600.0) {
        return Err(String::from("a time above 0, and at most 3600 seconds"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

fn iterations_from(text: &str) -> Result<u64, String> {
    match text.parse::<u64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(String::from("a whole number of iterations above 0")),
    }
}

fn main() -> ExitCode {
    let Command::Litmus {
        test,
        ordering,
        time,
        iterations,
        json,
        quiet,
    } = Cli::parse().command;
    let tests: Vec<Test> = test.map_or(Test::ALL.to_vec(), |t| vec![t]);
    let runs: Vec<(Test, Variant)> = tests
        .iter()
        .flat_map(|&t| t.variants().iter().map(move |&v| (t, v)))
        .filter(|&(_, v)| ordering.is_none_or(|o| o == v))
        .collect();
    if runs.is_empty() {
        let test = tests[0];
        eprintln!(
            "error: {test} is not run with {}; its orderings are {}",
            ordering.map_or("", Variant::name),
            names(test.variants(), Variant::name)
        );
        return ExitCode::from(2);
    }
    let budget = iterations.map_or(Budget::Time(time), Budget::Iterations);
    let (arch, cores) = this_machine();
    let mut report = Report {
        arch: arch.clone(),
        cores,
        tables: Vec::new(),
    };
    let mut forbidden_seen = Vec::new();
    for (test, variant) in runs {
        let loom = explore(test, variant);
        let bar = progress_bar(quiet, budget, test, variant);
        let observed = run(test, variant, budget, |done, elapsed| match budget {
            Budget::Time(_) => bar.set_position(elapsed.as_millis() as u64),
            Budget::Iterations(_) => bar.set_position(done),
        });
        bar.finish_and_clear();
        let table = table(test, variant, &loom, &observed);
        println!("{}", render(&table, &arch, cores));
        for row in table.forbidden_observed() {
            forbidden_seen.push(format!("{test} {variant}: {}", row.outcome));
        }
        report.tables.push(table);
    }
    if let Some(path) = json {
        let text = serde_json::to_string_pretty(&report).expect("a report is JSON") + "\n";
        if let Err(error) = std::fs::write(&path, text) {
            eprintln!("error: cannot write {}: {error}", path.display());
            return ExitCode::from(2);
        }
    }
    if forbidden_seen.is_empty() {
        return ExitCode::SUCCESS;
    }
    eprintln!(
        "error: this machine showed outcomes the memory model forbids: {}.\n\
         That is a bug in the test (its orderings or its outcome) or in the machine.",
        forbidden_seen.join(", ")
    );
    ExitCode::from(1)
}

/// A bar on stderr for one table (hidden with --quiet, or when stderr is
/// not a terminal).
fn progress_bar(quiet: bool, budget: Budget, test: Test, variant: Variant) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let length = match budget {
        Budget::Time(limit) => limit.as_millis() as u64,
        Budget::Iterations(n) => n,
    };
    let bar = ProgressBar::new(length);
    let style = ProgressStyle::with_template("{prefix:>24} [{bar:40}] {elapsed}")
        .expect("a valid template")
        .progress_chars("=> ");
    bar.set_style(style);
    bar.set_prefix(format!("{test} {variant}"));
    bar
}
