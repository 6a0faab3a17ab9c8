//! Ratios from a criterion run: the numbers a chapter quotes.
//!
//! Criterion prints each benchmark's time on its own; the tradeoff a chapter
//! teaches is a ratio between benchmarks measured side by side in the same
//! run. After its benchmarks, a lab's `benches/*.rs` calls [`ratio_table`],
//! which reads the `new/benchmark.json` and `new/estimates.json` files
//! criterion saved during this run (older ones are ignored) and prints the
//! median time per element with its ratio to the first function named.
//! Each iteration of a benchmark includes whatever it sets up (threads
//! spawned and joined, say): the chapter says what that is.

use criterion::Criterion;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Runs a lab's benchmarks with the course's criterion settings, then
/// prints `table` from this run's results.
///
/// The settings are short (20 samples, 1 s of warm-up, 3 s of measurement
/// each): the chapters compare ratios within one run, not absolute times.
/// Criterion's own command-line options (`cargo bench -p lab-NN -- --help`)
/// override them.
pub fn run(table: &Table, benchmarks: impl FnOnce(&mut Criterion)) {
    run_reports(&[Report::Ratios(*table)], benchmarks);
}

/// What to print after a lab's benchmarks.
#[derive(Clone, Copy)]
pub enum Report<'a> {
    /// Each function's time per element, as a ratio to the first function's.
    Ratios(Table<'a>),
    /// A parallel function's speed-up over a sequential one, against the ideal.
    SpeedUp(SpeedUp<'a>),
}

/// Like [`run`], printing several reports from this run.
pub fn run_reports(reports: &[Report], benchmarks: impl FnOnce(&mut Criterion)) {
    let started = SystemTime::now();
    let mut criterion = Criterion::default()
        .sample_size(20)
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3))
        .configure_from_args();
    benchmarks(&mut criterion);
    criterion.final_summary();
    for report in reports {
        let text = match report {
            Report::Ratios(table) => ratio_table(&criterion_dir(), table, started),
            Report::SpeedUp(speed_up) => speed_up_table(&criterion_dir(), speed_up, started),
        };
        println!("\n{text}");
    }
}

/// A parallel function measured with 1, 2, ... threads (its parameter),
/// beside a sequential one (measured once, any parameter).
#[derive(Clone, Copy)]
pub struct SpeedUp<'a> {
    /// The criterion benchmark group.
    pub group: &'a str,
    /// The sequential function: the baseline.
    pub sequential: &'a str,
    /// The parallel function, whose parameter is its number of threads.
    pub parallel: &'a str,
}

/// The speed-up table: for each number of threads `n`, the parallel
/// function's time, its speed-up over the sequential one, the ideal (`n`),
/// and how much of the ideal it reached.
pub fn speed_up_table(dir: &Path, speed_up: &SpeedUp, started: SystemTime) -> String {
    let mut found = Vec::new();
    collect(dir, speed_up.group, started, &mut found);
    let sequential = found.iter().find(|m| m.function == speed_up.sequential);
    let mut parallel: Vec<&Measurement> = found
        .iter()
        .filter(|m| m.function == speed_up.parallel)
        .collect();
    parallel.sort_by_key(|m| m.parameter.parse::<u32>().unwrap_or(u32::MAX));
    let mut out = format!(
        "{}: {} on n threads against {}, this run\n{:>8} {:>12} {:>10} {:>7} {:>10}\n",
        speed_up.group,
        speed_up.parallel,
        speed_up.sequential,
        "threads",
        "time",
        "speed-up",
        "ideal",
        "of ideal"
    );
    let Some(sequential) = sequential else {
        out.push_str("(no sequential result from this run: was it filtered out?)\n");
        return out;
    };
    out.push_str(&format!(
        "{:>8} {:>12} {:>9.2}× {:>6}× {:>10}\n",
        "seq",
        duration(sequential.nanos_per_element),
        1.0,
        1,
        "",
    ));
    for m in parallel {
        let threads: f64 = m.parameter.parse().unwrap_or(f64::NAN);
        let gain = sequential.nanos_per_element / m.nanos_per_element;
        out.push_str(&format!(
            "{:>8} {:>12} {:>9.2}× {:>6}× {:>8.0} %\n",
            m.parameter,
            duration(m.nanos_per_element),
            gain,
            m.parameter,
            100.0 * gain / threads,
        ));
    }
    out
}

/// One measurement criterion saved: function, parameter, time per element.
struct Measurement {
    function: String,
    parameter: String,
    nanos_per_element: f64,
}

/// Where criterion saves its results: `$CRITERION_HOME`, else
/// `$CARGO_TARGET_DIR/criterion`, else
/// `target/criterion` beside the benchmark executable (`target/release/deps/`).
pub fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir).join("criterion");
    }
    let exe = std::env::current_exe().unwrap_or_default();
    exe.ancestors()
        .nth(3)
        .map(|target| target.join("criterion"))
        .unwrap_or_else(|| PathBuf::from("target/criterion"))
}

/// What a table measures: a criterion group, the name of its parameter
/// (`threads`), what one of its throughput elements is (`increment`), and
/// its functions in the order to show them (the first is the baseline).
#[derive(Clone, Copy)]
pub struct Table<'a> {
    /// The criterion benchmark group.
    pub group: &'a str,
    /// What the group's parameter counts, e.g. `threads`.
    pub parameter: &'a str,
    /// What one throughput element is, e.g. `increment`.
    pub element: &'a str,
    /// The functions, baseline first.
    pub functions: &'a [&'a str],
    /// The parameter values, in the order to show them; empty: every value
    /// found, numbers in numeric order.
    pub columns: &'a [&'a str],
}

/// The table of a group's results saved in `dir` since `started`: one row
/// per function, one column per parameter value, each cell the median
/// wall-clock time per element and its ratio to the baseline's.
pub fn ratio_table(dir: &Path, table: &Table, started: SystemTime) -> String {
    let Table {
        group,
        parameter,
        element,
        functions,
        columns: order,
    } = *table;
    let mut found = Vec::new();
    collect(dir, group, started, &mut found);
    let mut columns: Vec<String> = found.iter().map(|m| m.parameter.clone()).collect();
    columns.sort_by(|a, b| match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x.total_cmp(&y),
        _ => a.cmp(b),
    });
    columns.dedup();
    if !order.is_empty() {
        columns.sort_by_key(|c| order.iter().position(|o| o == c).unwrap_or(usize::MAX));
    }
    let time: BTreeMap<(&str, &str), f64> = found
        .iter()
        .map(|m| {
            (
                (m.function.as_str(), m.parameter.as_str()),
                m.nanos_per_element,
            )
        })
        .collect();

    let baseline = functions.first().copied().unwrap_or_default();
    let mut out = format!(
        "{group}: median wall-clock time per {element} in this run (lower is better),\n\
         and its ratio to {baseline} in the same column\n{:<24}",
        ""
    );
    for column in &columns {
        let header = format!("{parameter} = {column}");
        out.push_str(&format!(
            "{header:>width$}",
            width = column_width(parameter, &columns)
        ));
    }
    out.push('\n');
    for function in functions {
        out.push_str(&format!("{function:<24}"));
        for column in &columns {
            let cell = match (
                time.get(&(*function, column.as_str())),
                time.get(&(baseline, column.as_str())),
            ) {
                (Some(t), Some(base)) => format!("{} {:>6.2}×", duration(*t), t / base),
                (Some(t), None) => duration(*t),
                _ => String::from("not run"),
            };
            out.push_str(&format!(
                "{cell:>width$}",
                width = column_width(parameter, &columns)
            ));
        }
        out.push('\n');
    }
    if columns.is_empty() {
        out.push_str("(no results from this run: was the group filtered out?)\n");
    }
    out
}

/// Wide enough for every column's header (`threads = 2`) and its cells.
fn column_width(parameter: &str, columns: &[String]) -> usize {
    let longest = columns.iter().map(|c| c.chars().count()).max().unwrap_or(0);
    (parameter.chars().count() + 3 + longest + 2).max(22)
}

fn duration(nanos: f64) -> String {
    match nanos {
        n if n < 1e3 => format!("{n:.2} ns"),
        n if n < 1e6 => format!("{:.2} µs", n / 1e3),
        n if n < 1e9 => format!("{:.2} ms", n / 1e6),
        n => format!("{:.2} s", n / 1e9),
    }
}

fn collect(dir: &Path, group: &str, started: SystemTime, found: &mut Vec<Measurement>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, group, started, found);
        } else if path.file_name().is_some_and(|n| n == "benchmark.json")
            && path.parent().is_some_and(|p| p.ends_with("new"))
            && let Some(measurement) = read(&path, group, started)
        {
            found.push(measurement);
        }
    }
}

fn read(benchmark: &Path, group: &str, started: SystemTime) -> Option<Measurement> {
    let estimates = benchmark.with_file_name("estimates.json");
    let fresh = std::fs::metadata(&estimates).ok()?.modified().ok()? >= started;
    let id: Value = serde_json::from_str(&std::fs::read_to_string(benchmark).ok()?).ok()?;
    if !fresh || id["group_id"] != group {
        return None;
    }
    let estimates: Value = serde_json::from_str(&std::fs::read_to_string(&estimates).ok()?).ok()?;
    let median = estimates["median"]["point_estimate"].as_f64()?;
    let elements = id["throughput"]["Elements"].as_f64().unwrap_or(1.0);
    Some(Measurement {
        function: id["function_id"].as_str()?.to_string(),
        parameter: id["value_str"].as_str().unwrap_or_default().to_string(),
        nanos_per_element: median / elements,
    })
}
