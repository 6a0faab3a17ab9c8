//! The book's copies of `compare`'s tables: chapter 13 shows the
//! reference machine's run (`book/src/lab-13/reference.json`, made by
//! `cargo run -p lab-13 --release -- compare --json
//! book/src/lab-13/reference.json` and committed), rendered by the same
//! code that prints a reader's own tables. `cargo xtask traces` rewrites
//! the rendered files; `cargo xtask test` (and CI) fails if one is stale.

use lab_13::compare::{Report, render};
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn reference() -> Report {
    let path = root().join("book/src/lab-13/reference.json");
    let text = std::fs::read_to_string(&path).expect("the reference run is committed");
    serde_json::from_str(&text).expect("the reference run is a compare report")
}

/// The `lines` column counts the code as it is now, not as it was when
/// the reference run was measured: a model's code that changes changes
/// its count in the book (the figures stay the run's).
fn with_current_lines(mut report: Report) -> Report {
    for table in &mut report.tables {
        for row in &mut table.rows {
            if let lab_13::workloads::Outcome::Measured(figures) = &mut row.outcome {
                figures.lines = lab_13::workloads::lines(table.workload, row.model);
            }
        }
    }
    report
}

#[test]
fn the_reference_run_counts_the_lines_of_the_code_as_it_is() {
    let current = with_current_lines(reference());
    let json = serde_json::to_string_pretty(&current).unwrap() + "\n";
    harness::book::keep_current(&PathBuf::from("book/src/lab-13/reference.json"), &json);
}

#[test]
fn the_book_shows_every_table_of_the_reference_run_as_compare_prints_it() {
    let report = with_current_lines(reference());
    assert_eq!(report.tables.len(), lab_13::models::Workload::ALL.len());
    for table in &report.tables {
        let name = table.workload.name();
        let command = format!("$ cargo run -p lab-13 --release -- compare --workload {name}");
        let content = format!("{command}\n{}", render(table));
        let file = PathBuf::from(format!("book/src/lab-13/{name}.txt"));
        harness::book::keep_current(&file, &content);
    }
}

#[test]
fn the_book_shows_the_reference_run_s_charts() {
    for (name, svg) in lab_13::chart::charts(&reference()).unwrap() {
        let file = PathBuf::from(format!("book/src/lab-13/{name}"));
        harness::book::keep_current(&file, &svg);
    }
}

#[test]
fn the_book_shows_the_guide_and_the_scoreboard_of_the_reference_run() {
    let report = reference();
    let guide = lab_13::flowchart::flowchart(&report);
    harness::book::keep_current(&PathBuf::from("book/src/lab-13/guide.html"), &guide);
    let scoreboard = lab_13::scoreboard::markdown(&report);
    harness::book::keep_current(&PathBuf::from("book/src/lab-13/scoreboard.md"), &scoreboard);
    // Included inside a sentence: no newline at its end.
    let provenance = report.provenance();
    harness::book::keep_current(&PathBuf::from("book/src/lab-13/provenance.md"), &provenance);
}

/// The advisor's example in the chapter: every answer on the way to rayon
/// as a flag, no run of the reader's yet.
const EXAMPLE: [(&str, &str); 6] = [
    ("--machines", "1"),
    ("--runs-other-programs", "no"),
    ("--isolation", "no"),
    ("--bound", "cpu"),
    ("--event-loop", "no"),
    ("--data", "independent"),
];

#[test]
fn the_book_shows_what_the_advisor_prints() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_lab-13"))
        .current_dir(root())
        .arg("advise")
        .args(EXAMPLE.iter().flat_map(|(flag, value)| [flag, value]))
        .args(["--json", "target/lab-13/no-run-here.json"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let printed = String::from_utf8(output.stdout).unwrap();
    // As a reader with no run yet sees it, at the default path.
    let printed = printed.replace("no-run-here.json", "compare.json");
    let flat = printed.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("as you have no compare run at target/lab-13/compare.json"));
    // The command as a reader types it, a flag and its value never split.
    let mut shown = String::from("$ cargo run -p lab-13 -- advise");
    let mut width = shown.len();
    for (flag, value) in EXAMPLE {
        let pair = format!(" {flag} {value}");
        if width + pair.len() > 72 {
            shown.push_str(" \\\n   ");
            width = 3;
        }
        shown.push_str(&pair);
        width += pair.len();
    }
    harness::book::keep_current(
        &PathBuf::from("book/src/lab-13/advise.txt"),
        &format!("{shown}\n{printed}"),
    );
}

#[test]
fn every_leaf_of_the_guide_names_its_model_its_crate_a_chapter_and_its_figure() {
    use lab_13::flowchart::escape;
    let report = reference();
    let guide = lab_13::flowchart::flowchart(&report);
    for leaf in lab_13::advise::leaves() {
        assert!(guide.contains(&escape(leaf.model)), "{}", leaf.model);
        assert!(guide.contains(&escape(leaf.using)), "{}", leaf.using);
        let file = lab_13::models::chapter_file(leaf.chapter);
        assert!(root().join("book/src").join(file).is_file(), "{file}");
        let page = lab_13::models::chapter_page(leaf.chapter);
        let title = escape(lab_13::models::chapter_title(leaf.chapter));
        assert!(
            guide.contains(&format!("<a href=\"{page}\">{title}</a>")),
            "{page}"
        );
        assert!(guide.contains(&escape(&lab_13::advise::backing(&leaf, &report))));
        // The reference run measured every row a leaf stands on.
        let figures = lab_13::advise::row_of(&leaf, &report);
        assert!(figures.is_some(), "{}: its row was not measured", leaf.name);
        // A leaf that promises to survive a crash stands on a row that
        // survived one: only the fatal job lost.
        let (workload, _) = leaf.row;
        if workload.is_fatal() {
            let lost = figures.and_then(|f| f.lost);
            assert_eq!(lost, Some(1), "{}", leaf.name);
        }
    }
}

#[test]
fn every_link_of_the_guide_leads_to_a_page_or_an_answer_of_the_book() {
    let guide = lab_13::flowchart::flowchart(&reference());
    let mut links = 0;
    for link in guide.split("href=\"").skip(1) {
        let target = &link[..link.find('"').unwrap()];
        links += 1;
        match target.strip_prefix('#') {
            Some(anchor) => assert!(guide.contains(&format!("id=\"{anchor}\"")), "{target}"),
            None => {
                let file = target.replace(".html", ".md");
                assert!(root().join("book/src").join(&file).is_file(), "{target}");
            }
        }
    }
    assert!(links > lab_13::advise::leaves().len(), "{links} links");
}

#[test]
fn the_served_book_is_where_cargo_xtask_serve_serves_it() {
    // lab-13 cannot depend on xtask: this holds lab-13's address to the
    // host and the default port that xtask's serve uses.
    let xtask = std::fs::read_to_string(root().join("xtask/src/main.rs")).unwrap();
    let value = |name: &str| {
        let line = xtask
            .lines()
            .find(|l| l.starts_with(&format!("const {name}:")))
            .unwrap_or_else(|| panic!("xtask/src/main.rs has no const {name}"));
        let value = line.split('=').nth(1).unwrap().trim().trim_end_matches(';');
        value.trim_matches('"').to_string()
    };
    let served = format!("http://{}:{}", value("BOOK_HOST"), value("BOOK_PORT"));
    assert_eq!(served, lab_13::models::BOOK_URL);
}

#[test]
fn the_reference_run_was_optimised_at_the_default_size() {
    let report = reference();
    assert!(
        report.machine.optimised,
        "the reference run must be --release"
    );
    assert_eq!(report.size, lab_13::models::Size::Default);
}
