//! The litmus tests: loom produces exactly the outcomes the memory model
//! allows but for the gaps its documentation lists; a short run on real
//! threads shows no forbidden outcome; the check that would report one
//! works; bad input exits 2; and the book's tables are the reference run's
//! (`book/src/lab-04/litmus.json`, made by `cargo run -p lab-04 --release
//! -- litmus --time 2 --json book/src/lab-04/litmus.json`), rendered by the
//! code that prints them, checked stale by `cargo xtask test`.

use lab_04::litmus_loom::explore;
use lab_04::litmus_report::{Report, Row, Table, render, table, thousands};
use lab_04::litmus_tests::{Test, Variant};
use lab_04::stress::{Budget, run};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

const REFERENCE: &str = "book/src/lab-04/litmus.json";

fn reference() -> Report {
    let text =
        std::fs::read_to_string(root().join(REFERENCE)).expect("the reference run is committed");
    serde_json::from_str(&text).expect("the reference run is a litmus report")
}

/// Every test with every ordering it is run with.
fn every_run() -> Vec<(Test, Variant)> {
    let tests = Test::ALL.into_iter();
    tests
        .flat_map(|t| t.variants().iter().map(move |&v| (t, v)))
        .collect()
}

/// The outcomes the model allows that loom never produces: load buffering,
/// which loom's README lists as unsupported.
fn loom_misses(test: Test, variant: Variant) -> Vec<Vec<u32>> {
    match (test, variant) {
        (Test::Lb, Variant::Relaxed) => vec![vec![1, 1]],
        _ => vec![],
    }
}

/// The outcomes the model forbids that loom produces: only `SeqCst`'s single
/// total order forbids them, and loom's README says it runs `SeqCst`
/// accesses as `AcqRel` (its `SeqCst` fences it models: SB and IRIW with
/// fences are exact).
fn loom_false_alarms(test: Test, variant: Variant) -> Vec<Vec<u32>> {
    match (test, variant) {
        (Test::Sb, Variant::SeqCst) => vec![vec![0, 0]],
        (Test::Iriw, Variant::SeqCst) => vec![vec![1, 0, 1, 0]],
        (Test::TwoPlusTwoW, Variant::SeqCst) => vec![vec![1, 1]],
        _ => vec![],
    }
}

#[test]
fn loom_produces_the_allowed_outcomes_but_for_its_documented_gaps() {
    let reference = reference();
    for (test, variant) in every_run() {
        let loom = explore(test, variant);
        let allowed: BTreeSet<Vec<u32>> = test
            .outcomes()
            .into_iter()
            .filter(|o| test.allowed(variant, o))
            .collect();
        let missed: Vec<_> = allowed.difference(&loom.outcomes).cloned().collect();
        let extra: Vec<_> = loom.outcomes.difference(&allowed).cloned().collect();
        assert_eq!(
            missed,
            loom_misses(test, variant),
            "{test} {variant}: allowed, loom never"
        );
        assert_eq!(
            extra,
            loom_false_alarms(test, variant),
            "{test} {variant}: loom, not allowed"
        );

        // The book's table says the same as the code does now.
        let recorded = reference
            .tables
            .iter()
            .find(|t| t.test == test.name() && t.variant == variant.name())
            .unwrap_or_else(|| panic!("the reference run has no table for {test} {variant}"));
        let now = table(test, variant, &loom, &Default::default());
        let columns = |t: &Table| -> Vec<(String, bool, bool)> {
            t.rows
                .iter()
                .map(|r| (r.outcome.clone(), r.allowed, r.loom))
                .collect()
        };
        assert_eq!(
            columns(recorded),
            columns(&now),
            "{test} {variant}: rerun the reference"
        );
        assert_eq!(
            recorded.loom_executions, loom.executions,
            "{test} {variant}"
        );
    }
    assert_eq!(reference.tables.len(), every_run().len());
}

#[test]
fn a_short_run_on_real_threads_shows_no_forbidden_outcome() {
    for (test, variant) in every_run() {
        let observed = run(test, variant, Budget::Iterations(2_000), |_, _| {});
        let total: u64 = observed.counts.values().sum();
        assert_eq!(
            total, observed.iterations,
            "{test} {variant}: every iteration counted"
        );
        for (outcome, count) in &observed.counts {
            assert!(
                test.allowed(variant, outcome),
                "{test} {variant}: {} seen {count} times, and the model forbids it",
                test.label(outcome)
            );
        }
    }
}

fn row(outcome: &str, allowed: bool, loom: bool, observed: u64) -> Row {
    let outcome = outcome.to_string();
    Row {
        outcome,
        allowed,
        loom,
        observed,
    }
}

#[test]
fn a_forbidden_outcome_seen_is_reported_as_a_bug() {
    let mut table = Table {
        test: "sb".into(),
        variant: "seqcst".into(),
        iterations: 10,
        seconds: 1.0,
        loom_executions: 30,
        loom_preemption_bound: None,
        rows: vec![
            row("r0=0 r1=0", false, true, 1),
            row("r0=0 r1=1", true, true, 9),
        ],
    };
    assert_eq!(table.forbidden_observed(), [&table.rows[0]]);
    assert!(
        render(&table, "x86_64", 2)
            .contains("FORBIDDEN, yet seen: a bug in the test or the machine")
    );
    table.rows[0].observed = 0;
    assert!(table.forbidden_observed().is_empty());
}

fn litmus(args: &[&str]) -> (Option<i32>, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_lab-04"))
        .current_dir(root())
        .arg("litmus")
        .args(args)
        .output()
        .unwrap();
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
    (
        output.status.code(),
        text(output.stdout),
        text(output.stderr),
    )
}

#[test]
fn bad_input_exits_2_with_what_is_accepted() {
    let (code, _, err) = litmus(&["xyz"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("the tests are mp, sb, lb, iriw, 2+2w, corr"),
        "{err}"
    );

    let (code, _, err) = litmus(&["sb", "--ordering", "acquire"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("the orderings are relaxed, release-acquire, seqcst, fences"),
        "{err}"
    );

    let (code, _, err) = litmus(&["corr", "--ordering", "seqcst"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("its orderings are relaxed"), "{err}");

    for time in ["0", "-1", "NaN", "soon"] {
        let (code, _, err) = litmus(&["corr", "--time", time]);
        assert_eq!(code, Some(2), "--time {time}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    let (code, _, err) = litmus(&["corr", "--iterations", "0"]);
    assert_eq!(code, Some(2), "{err}");
}

#[test]
fn a_run_prints_its_table_and_writes_its_json() {
    let json = root().join("target/lab-04/litmus-test.json");
    std::fs::create_dir_all(json.parent().unwrap()).unwrap();
    let path = json.to_str().unwrap();
    let (code, out, err) = litmus(&["corr", "--iterations", "1000", "--quiet", "--json", path]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.starts_with("CoRR (coherence of read-read) · relaxed · "),
        "{out}"
    );
    assert!(
        out.contains("forbidden, never seen: the ordering holds"),
        "{out}"
    );
    let report: Report = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(report.tables.len(), 1);
    assert_eq!(report.tables[0].iterations, 1_000);
}

#[test]
fn the_book_shows_the_reference_run_as_litmus_prints_it() {
    let report = reference();
    assert_eq!(
        (report.arch.as_str(), report.cores),
        ("x86_64", 2),
        "the reference machine"
    );
    // The stress loop shows weak outcomes at all: SB's store buffering,
    // which x86 allows without SeqCst, was seen in the reference run.
    let sb = |variant: &str| {
        let table = report
            .tables
            .iter()
            .find(|t| t.test == "sb" && t.variant == variant);
        table.unwrap().rows[0].observed
    };
    assert!(sb("relaxed") > 0 && sb("release-acquire") > 0);
    assert_eq!(sb("seqcst") + sb("fences"), 0);
    for test in Test::ALL {
        let mut text = format!(
            "$ cargo run -p lab-04 --release -- litmus {} --time 2\n",
            test.name()
        );
        for table in report.tables.iter().filter(|t| t.test == test.name()) {
            assert!(
                table.forbidden_observed().is_empty(),
                "{test}: the reference run failed"
            );
            text.push_str(&render(table, &report.arch, report.cores));
            text.push('\n');
        }
        let file = format!(
            "book/src/lab-04/litmus-{}.txt",
            harness::book::slug(test.name())
        );
        harness::book::keep_current(Path::new(&file), text.trim_end());
    }
    // The run's speed, quoted in a sentence: no newline at its end.
    let rate = |t: &Table| t.iterations as f64 / t.seconds;
    let (four, two): (Vec<&Table>, Vec<&Table>) =
        report.tables.iter().partition(|t| t.test == "iriw");
    let span = |tables: &[&Table]| {
        let rates = tables.iter().map(|t| rate(t) as u64);
        let (low, high) = (rates.clone().min().unwrap(), rates.max().unwrap());
        format!("{} to {}", thousands(low), thousands(high))
    };
    let rates = format!(
        "{} iterations per second for the two-thread tests, and {} for IRIW's four threads",
        span(&two),
        span(&four)
    );
    harness::book::keep_current(Path::new("book/src/lab-04/litmus-rates.md"), &rates);
}
