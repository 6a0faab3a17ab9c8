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

/// The `lab-12 machines` run the book shows, from which C17 is judged.
fn machines() -> lab_12::machines::MachinesReport {
    let path = root().join("book/src/lab-12/machines.json");
    lab_12::machines::load(&path)
        .expect("the machines run is a `lab-12 machines` report")
        .expect("the machines run is committed")
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
        let content = format!("{command}\n{}", render(table, report.machine.cores));
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
    let scoreboard = lab_13::scoreboard::markdown(&report, Some(&machines()));
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
fn the_reference_run_was_judged_optimised_at_the_default_size_on_a_quiet_machine() {
    let report = reference();
    assert!(
        report.machine.optimised,
        "the reference run must be --release"
    );
    assert_eq!(report.size, lab_13::models::Size::Default);
    // The book's verdicts come from it: a busy machine's run would print
    // "not judged" for every claim.
    assert_eq!(
        report.judged(),
        Ok(()),
        "measure it again on a quiet machine"
    );
    assert!(report.runs >= 3, "a median needs runs: {}", report.runs);
    let sampler = report.sampler.expect("the run says what its sampler cost");
    assert!(sampler.share_of_a_core() < 0.01, "{sampler:?}");
}

/// The smoke test as the reference machine ran it
/// (`book/src/lab-13/smoke.json`, made by `cargo run -p lab-13 --release
/// -- compare --size tiny --json /tmp/smoke/smoke.json`, copied without
/// the chart it writes beside it, and committed): the plans quote how long it takes.
fn smoke() -> Report {
    let path = root().join("book/src/lab-13/smoke.json");
    let text = std::fs::read_to_string(&path).expect("the smoke run is committed");
    let report: Report = serde_json::from_str(&text).expect("the smoke run is a compare report");
    assert_eq!(
        report.size,
        lab_13::models::Size::Tiny,
        "smoke.json is a --size tiny run"
    );
    report
}

/// Every snippet the instructors' pages may include: the reference run's
/// and the smoke test's.
fn all_quotes() -> Vec<(&'static str, String)> {
    let mut all = lab_13::quotes::quotes(&reference(), Some(&machines()));
    all.extend(lab_13::quotes::quotes(&smoke(), None));
    all
}

#[test]
fn the_instructors_pages_quote_the_reference_run_and_the_smoke_test() {
    for (name, text) in all_quotes() {
        let file = PathBuf::from(format!("book/src/lab-13/quotes/{name}.md"));
        harness::book::keep_current(&file, &text);
    }
}

/// The pages that tell an instructor what a run shows.
fn instructors_pages() -> Vec<(String, String)> {
    let names = [
        "instructors.md",
        "instructors-one-day.md",
        "instructors-two-day.md",
        "instructors-running-a-lab.md",
        "troubleshooting.md",
    ];
    names
        .iter()
        .map(|name| {
            let path = root().join("book/src").join(name);
            let text = std::fs::read_to_string(&path).expect("the instructors' page exists");
            (name.to_string(), text)
        })
        .collect()
}

#[test]
fn every_quote_a_page_includes_is_one_the_runs_make() {
    let names: Vec<&str> = all_quotes().iter().map(|(name, _)| *name).collect();
    let marker = "{{#include lab-13/quotes/";
    for (page, text) in instructors_pages() {
        for (at, _) in text.match_indices(marker) {
            let rest = &text[at + marker.len()..];
            let name = rest.split(".md}}").next().unwrap_or_default();
            assert!(
                names.contains(&name),
                "{page} includes lab-13/quotes/{name}.md, which no run makes (quotes.rs makes: {names:?})"
            );
        }
    }
}

/// A page's paragraphs and list items, each as one string (a sentence
/// broken over lines is read whole).
fn blocks(page: &str) -> Vec<String> {
    let mut blocks: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in page.lines() {
        let start = line.trim_start();
        let starts_block = start.is_empty()
            || start.starts_with("- ")
            || start.starts_with("* ")
            || start.starts_with('#')
            || start.starts_with("```")
            || start
                .split_once(". ")
                .is_some_and(|(n, _)| n.parse::<u32>().is_ok());
        if starts_block && !current.trim().is_empty() {
            blocks.push(std::mem::take(&mut current));
        }
        current.push_str(start);
        current.push(' ');
    }
    if !current.trim().is_empty() {
        blocks.push(current);
    }
    blocks
}

/// Whether `text` has a number (`18`, `18.4`) right before a word that
/// starts with one of `units` (a space between, or none).
fn number_before(text: &str, units: &[&str]) -> bool {
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len()).any(|i| {
        if !chars[i].is_ascii_digit() || chars.get(i + 1).is_some_and(|c| c.is_ascii_digit()) {
            return false;
        }
        let after: String = chars[i + 1..].iter().collect();
        let after = after.strip_prefix(' ').unwrap_or(&after);
        units.iter().any(|unit| {
            after.strip_prefix(unit).is_some_and(|rest| {
                // A whole unit: `s` is not the start of `seconds` here.
                !rest.starts_with(|c: char| c.is_alphanumeric())
            })
        })
    })
}

/// Whether `text` names a claim: `C1` ... `C18`.
fn names_a_claim(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len()).any(|i| {
        chars[i] == 'C'
            && (i == 0 || !chars[i - 1].is_alphanumeric())
            && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit())
    })
}

/// The text after the first word `compare` in `text` (the command, not
/// `compare_exchange`).
fn after_compare(text: &str) -> Option<&str> {
    text.match_indices("compare").find_map(|(at, word)| {
        let before = text[..at].chars().next_back();
        let rest = &text[at + word.len()..];
        let after = rest.chars().next();
        let alone = |c: Option<char>| !c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        (alone(before) && alone(after)).then_some(rest)
    })
}

/// The figures of a run that `page` types by hand, instead of including
/// them from `book/src/lab-13/quotes/`: one line per paragraph or list
/// item at fault, saying what is wrong.
fn typed_figures(page: &str) -> Vec<String> {
    const FRACTIONS: [&str; 8] = [
        "a third",
        "a quarter",
        "a fifth",
        "a tenth",
        "a twentieth",
        "a twenty-fifth",
        "a hundredth",
        "order of magnitude",
    ];
    const VERDICTS: [&str; 5] = [
        "confirms",
        "qualifies",
        "refutes",
        "within noise",
        "not judged",
    ];
    let mut found = Vec::new();
    for block in blocks(page) {
        let lower = block.to_lowercase();
        let mut say = |what: &str| found.push(format!("{what}: \"{}\"", block.trim()));
        if number_before(&block, &["×", "x", "times"]) {
            say("a ratio typed by hand");
        }
        if let Some(words) = FRACTIONS.iter().find(|w| lower.contains(*w)) {
            say(&format!("a ratio in words (\"{words}\") typed by hand"));
        }
        if lower.contains("settle") {
            say(
                "\"settles\": the scoreboard's verdicts are confirms, qualifies, refutes, within noise or not judged, and some claims get none",
            );
        }
        if let Some(after) = after_compare(&lower)
            && number_before(after, &["s", "ms", "min", "seconds", "minutes"])
        {
            say("a time of `compare` typed by hand");
        }
        if lower.contains("connection") && number_before(&block, &["KiB", "MiB", "bytes"]) {
            say("a memory figure of a connection typed by hand");
        }
        if names_a_claim(&block) && VERDICTS.iter().any(|v| lower.contains(v)) {
            say("a verdict on a claim typed by hand");
        }
    }
    found
}

#[test]
fn the_check_for_typed_figures_finds_each_kind() {
    let wrong = [
        "Tasks cost 18.4× less.",
        "Rayon ran 1.9 times as fast.",
        "Tasks cost a tenth of threads' memory.",
        "A task costs about a\ntwenty-fifth of a thread.",
        "- **Demo**: `compare --size tiny`\n  (24 s), then the tables.",
        "It settles claims C1 and C2.",
        "**C2** confirms: rayon is fast.",
        "At 10,000 connections, 16 KiB each.",
    ];
    for page in wrong {
        assert_eq!(
            typed_figures(page).len(),
            1,
            "{page}: {:?}",
            typed_figures(page)
        );
    }
    let right = [
        "**Tests C2**: {{#include lab-13/quotes/c2.md}}.",
        "- **Demo** (10 min): `compare --size tiny` ({{#include lab-13/quotes/smoke-seconds.md}}).",
        "Everyone: `cargo test -p lab-13` (24 s).",
        "Checked by `compare_exchange` tests: 8.7 s.",
        "the loom half of the chapter",
        "N cores run it N times as fast.",
        "Disk: 11 GiB for the prepared workspace.",
    ];
    for page in right {
        assert!(
            typed_figures(page).is_empty(),
            "{page}: {:?}",
            typed_figures(page)
        );
    }
}

#[test]
fn the_instructors_pages_type_no_figure_of_a_run_by_hand() {
    let mut faults = Vec::new();
    for (page, text) in instructors_pages() {
        for fault in typed_figures(&text) {
            faults.push(format!("{page}: {fault}"));
        }
    }
    assert!(
        faults.is_empty(),
        "quote the scoreboard and the runs with {{{{#include lab-13/quotes/NAME.md}}}} \
         (labs/13-choosing/src/quotes.rs makes them) instead:\n{}",
        faults.join("\n")
    );
}

/// The width the harness wraps a trace to (`PAGE_WIDTH` in
/// `harness/src/render.rs`), read from its source.
fn page_width() -> usize {
    let source = std::fs::read_to_string(root().join("harness/src/render.rs")).unwrap();
    let line = source
        .lines()
        .find_map(|l| l.strip_prefix("pub const PAGE_WIDTH: usize = "))
        .expect("render.rs defines PAGE_WIDTH");
    line.trim_end_matches(';').parse().expect("a number")
}

/// The widest line of each `.txt` file in `dir` (in characters).
fn widths(dir: &str) -> Vec<(PathBuf, usize)> {
    let mut widths = Vec::new();
    let mut dirs = vec![root().join(dir)];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "txt") {
                let text = std::fs::read_to_string(&path).unwrap();
                let widest = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
                widths.push((path, widest));
            }
        }
    }
    widths
}

/// What "The trace on a projector" says: every trace is at most
/// `PAGE_WIDTH` columns, every table of `compare` at most 100; and the
/// page says so with those numbers.
#[test]
fn the_projector_advice_gives_the_widths_the_book_s_traces_and_tables_have() {
    let page_width = page_width();
    for (path, widest) in widths("book/src/traces") {
        assert!(
            widest <= page_width,
            "{} is {widest} columns wide",
            path.display()
        );
    }
    for (path, widest) in widths("book/src/lab-13") {
        assert!(widest <= 100, "{} is {widest} columns wide", path.display());
    }
    let page =
        std::fs::read_to_string(root().join("book/src/instructors-running-a-lab.md")).unwrap();
    for columns in [page_width, 100] {
        assert!(
            page.contains(&format!("{columns} columns")),
            "instructors-running-a-lab.md does not give {columns} columns"
        );
    }
    // And no other width: every "N columns" it says is one of the two.
    let words: Vec<&str> = page.split_whitespace().collect();
    for pair in words.windows(2) {
        if pair[1].starts_with("columns")
            && let Ok(n) = pair[0].trim_start_matches("**").parse::<usize>()
        {
            assert!(
                n == page_width || n == 100,
                "instructors-running-a-lab.md says {n} columns: the traces are at most \
                 {page_width}, the tables at most 100"
            );
        }
    }
}
