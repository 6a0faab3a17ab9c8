//! `cargo xtask repeat N`: the whole test suite, N times, to find flaky
//! tests: a test that fails in some runs and passes in others.
//!
//! The suite is built once; each run is `cargo test --workspace
//! --no-fail-fast`, and every test that fails is noted with the run it
//! failed in. It reports which tests failed and in how many runs, and fails
//! if any did. Not in CI: 20 runs take about 20 minutes on 2 cores.

use crate::cargo;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;
use std::time::Instant;

pub fn repeat(root: &Path, runs: u32) -> Result<(), String> {
    if runs == 0 {
        return Err(String::from(
            "give a number of runs above 0, e.g. `cargo xtask repeat 20`",
        ));
    }
    let mut build = cargo(root);
    build.args(["test", "--workspace", "--no-run", "--quiet"]);
    crate::run(&mut build).map_err(|_| String::from("the tests do not build: see above"))?;

    // Package by package, so each failure is named with its package.
    let mut packages = vec![String::from("harness")];
    packages.extend(
        crate::labs(root)
            .into_iter()
            .map(|(n, _)| format!("lab-{n}")),
    );
    packages.extend(["shuttle-vs-loom", "course", "xtask"].map(String::from));

    // "package binary: test" -> the runs it failed in
    let mut failures: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    let mut broken_runs = Vec::new();
    let started = Instant::now();
    println!(
        "> cargo test -p PACKAGE --no-fail-fast   for each of {}, {runs} times \
         (output kept only for failures)",
        packages.join(", ")
    );
    for run in 1..=runs {
        let mut failed = Vec::new();
        for package in &packages {
            let output = cargo(root)
                .args(["test", "-p", package, "--no-fail-fast"])
                .stdin(Stdio::null())
                .output()
                .map_err(|e| format!("could not start cargo: {e}"))?;
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            let here = failed_tests(package, &text);
            if !output.status.success() && here.is_empty() {
                broken_runs.push(format!("{package} in run {run}")); // a crash?
            }
            failed.extend(here);
        }
        for test in &failed {
            failures.entry(test.clone()).or_default().push(run);
        }
        println!(
            "run {run:>2} of {runs}: {} ({:.0} s so far)",
            if failed.is_empty() {
                String::from("every test passed")
            } else {
                format!("{} failed: {}", failed.len(), failed.join(", "))
            },
            started.elapsed().as_secs_f64()
        );
    }
    println!();
    if failures.is_empty() && broken_runs.is_empty() {
        println!("{runs} runs of the whole suite: every test passed in every run, none flaky.");
        return Ok(());
    }
    for (test, failed_in) in &failures {
        let kind = if failed_in.len() as u32 == runs {
            "failed every time"
        } else {
            "FLAKY"
        };
        println!(
            "{kind}: {test} failed in {} of {runs} runs ({failed_in:?})",
            failed_in.len()
        );
    }
    if !broken_runs.is_empty() {
        println!(
            "failed with no failing test named (a crash or a build error?): {}",
            broken_runs.join(", ")
        );
    }
    Err(String::from("some tests failed: see above"))
}

/// The tests libtest reports failed, each with its package and the binary
/// it ran in: `lab-03 tests/loom.rs: some_test`.
fn failed_tests(package: &str, output: &str) -> Vec<String> {
    let mut binary = String::new();
    let mut failed = Vec::new();
    for line in output.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("Running ") {
            // "Running tests/loom.rs (target/debug/deps/loom-1234)"
            binary = rest.split(" (").next().unwrap_or(rest).to_string();
        } else if line.starts_with("Doc-tests ") {
            binary = String::from("doc-tests");
        } else if let Some(test) = line
            .strip_prefix("test ")
            .and_then(|l| l.strip_suffix(" ... FAILED"))
        {
            failed.push(format!("{package} {binary}: {test}"));
        }
    }
    failed
}

#[cfg(test)]
mod tests {
    use super::failed_tests;

    #[test]
    fn failed_tests_are_named_with_their_binary() {
        let output = "\
     Running tests/loom.rs (target/debug/deps/loom-54add707bff47261)
test a ... ok
test b ... FAILED
     Running unittests src/lib.rs (target/debug/deps/lab_03-8d3f)
test c ... FAILED
";
        assert_eq!(
            failed_tests("lab-03", output),
            ["lab-03 tests/loom.rs: b", "lab-03 unittests src/lib.rs: c"]
        );
    }
}
