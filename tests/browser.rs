//! The book in a real browser. The stepper (issue 17):
//! `book/theme/stepper.js` turns a chapter's
//! `<div class="stepper" data-explore="explore/lab-NN/<check>.json"
//! data-challenge="...">` into a widget over every execution loom ran for
//! that check. Checked here: what each page loads, that every chapter
//! showing a race (with its executions recorded) poses a challenge, and, in
//! a real headless Chromium driven by `tests/browser/stepper.py`
//! (Python Playwright), that a learner can play chapter 1's scheduler to
//! the lost update, with its trace folded until won (issue 28), predict
//! the values read, and read it at 390 px wide.
//! And every page (issue 27, `tests/browser/pages.py`): axe-core finds no
//! critical or serious violation in either theme at either width, a screen
//! reader hears chapter 1's stepper row by row, each chapter's first load
//! is within 300 KB compressed, the search index loads only with search,
//! and the charts follow the theme and the width. And the puzzle trail
//! (issue 28, `tests/browser/puzzles.py`): every level is won along its
//! recorded failing execution and not along passing ones, at 390 px.
//!
//! Without python3, its `playwright` module, Chromium's headless shell
//! (`/usr/bin/chromium-headless-shell`), axe-core (for pages.py) or mdbook
//! (to build the book), a browser test says what is missing and passes; in
//! CI (`CI` set) it fails instead. `.ci/run` installs them. All three run
//! on one built book: pages.py beside the other two, which take turns.

mod fetched;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

/// Each page's JSON, all its widgets' together.
const PAGE_JSON_LIMIT: u64 = 200 * 1024;
/// The widget's script and style together.
const WIDGET_LIMIT: u64 = 40 * 1024;
/// A browser script (on this 2-core machine, in the headless shell, alone: stepper.py about
/// 23 s, puzzles.py about 16 s, pages.py about 65 s); a hang ends here.
const DEADLINE: Duration = Duration::from_secs(240);

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The chapters, `NN-slug.md`, with their text.
fn chapters() -> Vec<(String, String)> {
    let mut chapters: Vec<(String, String)> = fs::read_dir(root().join("book/src"))
        .unwrap()
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".md") && name.as_bytes()[0].is_ascii_digit())
        .map(|name| {
            let text = read(&root().join("book/src").join(&name));
            (name, text)
        })
        .collect();
    chapters.sort();
    chapters
}

/// A chapter's widgets: (the JSON it loads, its challenge if any).
fn steppers(text: &str) -> Vec<(String, Option<String>)> {
    let attribute = |tag: &str, name: &str| {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(tag[start..start + tag[start..].find('"')?].to_string())
    };
    text.lines()
        .filter(|line| line.trim_start().starts_with("<div class=\"stepper\""))
        .map(|tag| {
            let json = attribute(tag, "data-explore")
                .unwrap_or_else(|| panic!("a stepper without data-explore: {tag}"));
            (json, attribute(tag, "data-challenge"))
        })
        .collect()
}

/// The traces a chapter includes whose check failed: `lab-01/racy-counter`.
fn failing_traces(text: &str) -> Vec<String> {
    text.split("{{#include traces/")
        .skip(1)
        .map(|rest| rest.split("}}").next().unwrap())
        .filter(|path| !path.contains(':'))
        .filter(|path| {
            let trace = read(&root().join("book/src/traces").join(path));
            trace
                .lines()
                .nth(1)
                .is_some_and(|l| l.contains("loom found a failing interleaving"))
        })
        .map(|path| path.trim_end_matches(".txt").to_string())
        .collect()
}

#[test]
fn every_stepper_loads_a_recorded_exploration_and_no_page_loads_more_than_200_kb() {
    let mut pages = 0;
    for (chapter, text) in chapters() {
        let mut bytes = 0;
        let mut seen = BTreeSet::new();
        for (json, _) in steppers(&text) {
            assert!(
                json.starts_with("explore/lab-") && json.ends_with(".json"),
                "{chapter}: data-explore=\"{json}\" is not explore/lab-NN/<check>.json"
            );
            let path = root().join("book/src").join(&json);
            let size = fs::metadata(&path)
                .unwrap_or_else(|e| panic!("{chapter}: {json}: {e}"))
                .len();
            if seen.insert(json) {
                bytes += size;
            }
        }
        if !seen.is_empty() {
            pages += 1;
        }
        assert!(
            bytes <= PAGE_JSON_LIMIT,
            "{chapter}: its steppers load {bytes} bytes of JSON, more than {PAGE_JSON_LIMIT}"
        );
    }
    assert!(pages > 0, "no chapter has a stepper");
}

#[test]
fn every_chapter_showing_a_race_with_recorded_executions_has_a_stepper_with_a_challenge() {
    // A trace whose executions `cargo xtask traces` could not record (a
    // deadlock ends the check's process) has no JSON yet; the chapter
    // needs a stepper once one of its races has one.
    let mut missing = BTreeMap::new();
    for (chapter, text) in chapters() {
        let recorded: Vec<String> = failing_traces(&text)
            .into_iter()
            .filter(|trace| !trace.ends_with("exercise-the-starter"))
            .filter(|trace| {
                root()
                    .join(format!("book/src/explore/{trace}.json"))
                    .is_file()
            })
            .collect();
        if recorded.is_empty() {
            continue;
        }
        let challenged = steppers(&text).into_iter().any(|(json, challenge)| {
            challenge.is_some_and(|c| !c.trim().is_empty())
                && recorded.iter().any(|t| json == format!("explore/{t}.json"))
        });
        if !challenged {
            missing.insert(chapter, recorded);
        }
    }
    assert!(
        missing.is_empty(),
        "these chapters show a race whose executions are recorded, but no stepper with a \
         data-challenge on one of them: {missing:?}"
    );
}

#[test]
fn the_stepper_is_in_the_book_under_40_kb_and_loads_nothing_from_elsewhere() {
    let toml = read(&root().join("book/book.toml"));
    for file in ["theme/stepper.js", "theme/stepper.css"] {
        assert!(
            toml.contains(&format!("\"{file}\"")),
            "book.toml does not load {file}"
        );
    }
    let js = read(&root().join("book/theme/stepper.js"));
    let css = read(&root().join("book/theme/stepper.css"));
    let size = (js.len() + css.len()) as u64;
    assert!(
        size <= WIDGET_LIMIT,
        "stepper.js and stepper.css are {size} bytes, more than {WIDGET_LIMIT}"
    );
    assert!(
        !css.contains("url(") && !css.contains("@import"),
        "stepper.css loads a file"
    );
    // Its only address is the one it tells a learner to open.
    let addresses: Vec<&str> = js
        .match_indices("://")
        .map(|(at, _)| &js[at.saturating_sub(5)..at + 13])
        .collect();
    assert!(
        addresses.iter().all(|a| a.ends_with("://127.0.0.1:")),
        "stepper.js names an address off this machine: {addresses:?}"
    );
    assert_eq!(
        js.matches("fetch(").count(),
        2,
        "stepper.js fetches two things: its JSON, and the observed runs its page names"
    );
}

/// Says what is missing and passes, or in CI fails.
fn skip(missing: &str) {
    fetched::skip("the browser tests", missing);
}

/// The mdbook the book is built with, at the version `cargo xtask` pins:
/// on PATH, or where `cargo xtask book` installs it.
fn mdbook() -> Option<PathBuf> {
    let xtask = read(&root().join("xtask/src/main.rs"));
    let version = xtask
        .split("const MDBOOK_VERSION: &str = \"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("xtask/src/main.rs pins MDBOOK_VERSION");
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))?;
    let ours = cargo_home.join(format!("concurrency-course/mdbook-{version}/bin/mdbook"));
    [PathBuf::from("mdbook"), ours].into_iter().find(|program| {
        Command::new(program)
            .arg("--version")
            .output()
            .is_ok_and(|out| {
                String::from_utf8_lossy(&out.stdout).trim() == format!("mdbook v{version}")
            })
    })
}

fn chromium() -> PathBuf {
    std::env::var_os("STEPPER_CHROMIUM").map_or_else(
        || PathBuf::from("/usr/bin/chromium-headless-shell"),
        PathBuf::from,
    )
}

/// Runs `command` to its end: whether it succeeded, and what it printed.
/// Killed (Chromium with it: its own process group), and the test failed,
/// past `deadline`.
fn run(command: Command, what: &str, deadline: Duration) -> (bool, String) {
    let output = harness::watchdog::output_within(command, deadline, what);
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), printed)
}

/// What every browser test needs: Chromium, and the book built from the
/// sources as they are now (once, for both); or what is missing.
struct Browser {
    chromium: PathBuf,
    book: PathBuf,
}

fn browser() -> Result<&'static Browser, String> {
    static BROWSER: OnceLock<Result<Browser, String>> = OnceLock::new();
    BROWSER
        .get_or_init(find_browser)
        .as_ref()
        .map_err(Clone::clone)
}

fn find_browser() -> Result<Browser, String> {
    let python = Command::new("python3").arg("--version").output();
    if !python.is_ok_and(|out| out.status.success()) {
        return Err("python3 is not installed".into());
    }
    let playwright = Command::new("python3")
        .args(["-c", "import playwright"])
        .output();
    if !playwright.is_ok_and(|out| out.status.success()) {
        return Err("the Python module playwright is not installed \
             (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 python3 -m pip install --user playwright==1.65.3)"
            .into());
    }
    let chromium = chromium();
    if !chromium.is_file() {
        return Err(format!(
            "Chromium's headless shell is not at {} (sudo apt-get install chromium-headless-shell)",
            chromium.display()
        ));
    }
    let Some(mdbook) = mdbook() else {
        return Err("mdbook is not installed (`cargo xtask book` installs it)".into());
    };
    // A book of the tests' own, from the sources as they are now: never a
    // stale book/build, nor one another command is writing.
    let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    let book = scratch.join("book");
    fs::create_dir_all(&scratch).unwrap();
    let mut build = Command::new(&mdbook);
    build
        .current_dir(root())
        .args(["build", "book", "--dest-dir"])
        .arg(&book);
    let (built, output) = run(build, "mdbook build", Duration::from_secs(120));
    assert!(built, "mdbook could not build the book:\n{output}");
    Ok(Browser { chromium, book })
}

/// Runs a browser test's Python `script` with `args`, on `browser`'s
/// Chromium: whether it passed, and what it printed (shown with
/// --nocapture).
fn browser_script(browser: &Browser, script: &str, args: &[&Path]) -> (bool, String) {
    let mut command = Command::new("python3");
    command
        .current_dir(root())
        .arg(script)
        .args(args)
        .env("STEPPER_CHROMIUM", &browser.chromium)
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    let (passed, output) = run(command, script, DEADLINE);
    println!("{output}");
    (passed, output)
}

/// stepper.py and puzzles.py take turns, and pages.py runs beside them.
/// Alone, pages.py keeps about 1.8 of the 2 cores busy and the other two
/// about 1.3 each (each plays one tab, waiting on Playwright between
/// steps), so side by side the three fill the cores better (102 s against
/// 112 s one after the other: one round each on a busy machine, inside its
/// noise). This leans on libtest, which starts tests in the order of their
/// names, two at a time on two cores: the stepper's test
/// (`in_chromium_a_learner_…`) and the pages' (`in_chromium_every_page_…`)
/// start together, and the puzzles' (`…_every_puzzle_…`) waits for the
/// stepper's. A name that sorted the puzzles' before the pages' would keep
/// the pages' waiting until the stepper's ends: slower, never wrong.
static TAKING_TURNS: Mutex<()> = Mutex::new(());

#[test]
fn in_chromium_a_learner_schedules_chapter_1_to_the_lost_update_and_predicts_its_values() {
    let _turn = TAKING_TURNS.lock().unwrap_or_else(|e| e.into_inner());
    let browser = match browser() {
        Ok(browser) => browser,
        Err(missing) => return skip(&missing),
    };
    let (passed, output) = browser_script(browser, "tests/browser/stepper.py", &[&browser.book]);
    assert!(
        passed,
        "tests/browser/stepper.py failed (run it alone: python3 tests/browser/stepper.py):\n{output}"
    );
}

/// axe-core, at the version `.ci/run` fetches, where it puts it.
fn axe_core() -> Result<PathBuf, String> {
    let (version, folder) = fetched::folder("AXE_CORE_VERSION", "axe-core")?;
    let axe = folder.join("axe.min.js");
    if axe.is_file() {
        Ok(axe)
    } else {
        Err(format!(
            "axe-core {version} is not at {} (.ci/run fetches it)",
            axe.display()
        ))
    }
}

#[test]
fn in_chromium_every_page_passes_axe_in_both_themes_and_widths_and_loads_light() {
    let browser = match browser() {
        Ok(browser) => browser,
        Err(missing) => return skip(&missing),
    };
    let axe = match axe_core() {
        Ok(axe) => axe,
        Err(missing) => return skip(&missing),
    };
    let (passed, output) =
        browser_script(browser, "tests/browser/pages.py", &[&axe, &browser.book]);
    assert!(
        passed,
        "tests/browser/pages.py failed (run it alone: python3 tests/browser/pages.py {}):\n{output}",
        axe.display()
    );
}

#[test]
fn in_chromium_every_puzzle_is_won_along_its_failing_execution_and_not_along_passing_ones() {
    // The puzzle trail (issue 28), at 390 px: each level's widget, played
    // along the failing execution loom recorded, announces the win and
    // opens the folded answer; played along passing ones (all of them on a
    // small level), it ends passing and keeps the answer folded.
    let _turn = TAKING_TURNS.lock().unwrap_or_else(|e| e.into_inner());
    let browser = match browser() {
        Ok(browser) => browser,
        Err(missing) => return skip(&missing),
    };
    let (passed, output) = browser_script(browser, "tests/browser/puzzles.py", &[&browser.book]);
    assert!(
        passed,
        "tests/browser/puzzles.py failed (run it alone: python3 tests/browser/puzzles.py):\n{output}"
    );
}
