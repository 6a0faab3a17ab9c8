//! Checks of the book as a whole: every lab has its chapter, every listing
//! is included from a file and anchor that exist, every internal link
//! lands, and every trace the harness wrote is shown.
//!
//! That the traces are *current* is checked where they are made: `cargo
//! xtask test` runs every check with `RACE_HARNESS_BOOK=check`, and a check
//! whose output differs from its copy in `book/src/traces/` fails.

use decisions::real_decisions;
use harness::Exploration;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

mod decisions;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The book's pages: (path relative to book/src, text).
fn pages() -> Vec<(String, String)> {
    let src = root().join("book/src");
    let mut pages: Vec<(String, String)> = fs::read_dir(&src)
        .unwrap()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, read(&path))
        })
        .collect();
    pages.sort();
    pages
}

/// The labs' folders, e.g. `01-lost-update`.
fn labs() -> Vec<String> {
    let mut labs: Vec<String> = fs::read_dir(root().join("labs"))
        .unwrap()
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    labs.sort();
    labs
}

/// Every `{{#include …}}` in a page: the path and what follows it.
fn includes(text: &str) -> Vec<(String, Option<String>)> {
    text.split("{{#include ")
        .skip(1)
        .map(|rest| {
            let spec = rest.split("}}").next().unwrap().trim();
            match spec.split_once(':') {
                Some((path, selector)) => (path.to_string(), Some(selector.to_string())),
                None => (spec.to_string(), None),
            }
        })
        .collect()
}

/// Every link target `](…)` in a page.
fn links(text: &str) -> Vec<String> {
    text.split("](")
        .skip(1)
        .map(|rest| rest.split(')').next().unwrap().to_string())
        .collect()
}

/// The id mdbook gives a heading: lower case, spaces to dashes, most
/// punctuation dropped.
fn heading_id(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

#[test]
fn every_lab_has_its_chapter_in_the_summary_naming_its_package() {
    let summary = read(&root().join("book/src/SUMMARY.md"));
    for lab in labs() {
        let chapter = format!("{lab}.md");
        assert!(
            summary.contains(&format!("]({chapter})")),
            "SUMMARY.md does not link {chapter}"
        );
        let text = read(&root().join("book/src").join(&chapter));
        let package = format!("lab-{}", &lab[..2]);
        assert!(text.contains(&package), "{chapter} never names `{package}`");
    }
}

#[test]
fn the_summary_lists_all_thirteen_chapters_of_the_curriculum() {
    let summary = read(&root().join("book/src/SUMMARY.md"));
    for number in 1..=13 {
        let prefix = format!("]({number:02}-");
        assert!(
            summary.contains(&prefix),
            "chapter {number:02} is missing from SUMMARY.md"
        );
    }
}

#[test]
fn every_include_names_a_file_and_anchor_that_exist() {
    let src = root().join("book/src");
    let mut count = 0;
    for (page, text) in pages() {
        for (path, selector) in includes(&text) {
            count += 1;
            let file = src.join(&path);
            let content = read(&file);
            match selector {
                // `file:5:9` is a range of lines.
                Some(range) if range.chars().next().is_some_and(|c| c.is_ascii_digit()) => {
                    let last: usize = range.rsplit(':').next().unwrap().parse().unwrap();
                    assert!(
                        content.lines().count() >= last,
                        "{page}: {path} has fewer than {last} lines"
                    );
                }
                Some(anchor) => {
                    for marker in [format!("ANCHOR: {anchor}"), format!("ANCHOR_END: {anchor}")] {
                        assert!(
                            content.contains(&marker),
                            "{page}: {path} has no `{marker}`"
                        );
                    }
                }
                None => {}
            }
        }
    }
    assert!(count > 0, "the book includes nothing");
}

#[test]
fn every_rust_listing_is_included_from_a_compiled_file() {
    for (page, text) in pages() {
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            if line.starts_with("```rust") {
                let body: Vec<&str> = lines
                    .by_ref()
                    .take_while(|l| !l.starts_with("```"))
                    .collect();
                // The labs, the templates for one's own code, the
                // loom-and-shuttle comparison and the puzzle trail: all tested.
                assert!(
                    body.len() == 1
                        && [
                            "{{#include ../../labs/",
                            "{{#include ../../templates/",
                            "{{#include ../../shuttle-vs-loom/",
                            "{{#include ../../puzzles/",
                        ]
                        .iter()
                        .any(|prefix| body[0].starts_with(prefix)),
                    "{page}: a Rust listing must be one include of a lab's, a template's, \
                     shuttle-vs-loom's or a puzzle's file, found {body:?}"
                );
                assert!(
                    line.contains("ignore"),
                    "{page}: mark included Rust `ignore` for `mdbook test`"
                );
            }
        }
    }
}

#[test]
fn every_internal_link_lands_on_a_page_and_heading() {
    let pages = pages();
    for (page, text) in &pages {
        for target in links(text) {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (file, fragment) = match target.split_once('#') {
                Some((file, fragment)) => (file, Some(fragment)),
                None => (target.as_str(), None),
            };
            if file.ends_with(".svg") || file.ends_with(".png") {
                // An image: a file beside the pages, not a page.
                let image = root().join("book/src").join(file);
                assert!(
                    image.is_file(),
                    "{page}: the image `{target}` does not exist"
                );
                continue;
            }
            let linked = if file.is_empty() { page.as_str() } else { file };
            let Some((_, linked_text)) = pages.iter().find(|(name, _)| name == linked) else {
                panic!("{page}: the link `{target}` names no page of the book");
            };
            if let Some(fragment) = fragment {
                let ids: BTreeSet<String> = linked_text
                    .lines()
                    .filter(|l| l.starts_with('#'))
                    .map(|l| heading_id(l.trim_start_matches('#')))
                    .collect();
                assert!(
                    ids.contains(fragment),
                    "{page}: `{target}`: {linked} has no such heading"
                );
            }
        }
    }
}

#[test]
fn every_trace_in_book_src_traces_is_shown_and_says_how_it_was_made() {
    let src = root().join("book/src");
    let included: BTreeSet<String> = pages()
        .iter()
        .flat_map(|(_, text)| includes(text))
        .map(|(path, _)| path)
        .collect();
    let mut traces = 0;
    for lab in fs::read_dir(src.join("traces")).unwrap().flatten() {
        for trace in fs::read_dir(lab.path()).unwrap().flatten() {
            traces += 1;
            let relative = trace
                .path()
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            assert!(
                included.contains(&relative),
                "{relative} is shown by no chapter"
            );
            let first = read(&trace.path())
                .lines()
                .next()
                .unwrap_or_default()
                .to_string();
            assert!(
                first.starts_with("$ cargo test -p "),
                "{relative} does not start with its command"
            );
        }
    }
    assert!(traces > 0, "the book shows no trace");
}

#[test]
fn the_readme_gives_each_lab_its_test_command() {
    let readme = read(&root().join("README.md"));
    for lab in labs() {
        let command = format!("cargo test -p lab-{}", &lab[..2]);
        assert!(readme.contains(&command), "README.md lacks `{command}`");
    }
}

#[test]
fn every_stepper_of_a_lab_with_a_reference_run_shows_it_and_every_run_is_quoted() {
    // `cargo xtask observed` keeps each lab's runs on real threads in
    // book/src/observed/lab-NN.json; a stepper of that lab shows them in
    // its Outcomes tab only if its page names the file (data-observed), and
    // a stepper naming a file that does not exist would fetch a 404.
    let observed = root().join("book/src/observed");
    let recorded: BTreeSet<String> = fs::read_dir(&observed)
        .unwrap()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".json").map(str::to_string)
        })
        .collect();
    assert!(
        !recorded.is_empty(),
        "no reference run in book/src/observed"
    );
    let mut quoted = BTreeSet::new();
    for (page, text) in pages() {
        for div in text
            .lines()
            .filter(|l| l.starts_with("<div class=\"stepper\""))
        {
            let lab = div
                .split("data-explore=\"explore/")
                .nth(1)
                .and_then(|rest| rest.split('/').next())
                .unwrap_or_else(|| panic!("{page}: a stepper without data-explore: {div}"));
            let named = format!("data-observed=\"observed/{lab}.json\"");
            assert_eq!(
                div.contains(&named),
                recorded.contains(lab),
                "{page}: a stepper of {lab} must name observed/{lab}.json exactly when it \
                 exists: {div}"
            );
        }
        for (file, _) in includes(&text) {
            if let Some(lab) = file
                .strip_prefix("observed/")
                .and_then(|f| f.strip_suffix(".md"))
            {
                quoted.insert(lab.to_string());
            }
        }
    }
    assert_eq!(
        quoted, recorded,
        "every lab with a reference run on real threads quotes it in its chapter"
    );
}

#[test]
fn the_book_loads_no_web_font() {
    // mdBook's stock theme loads about 340 KB of fonts on every page; the
    // book's own fonts.css replaces it with nothing (system fonts), so a
    // page on a phone loads none (issue 27).
    let css = read(&root().join("book/theme/fonts/fonts.css"));
    assert!(
        !css.contains("@font-face") && !css.contains("url("),
        "book/theme/fonts/fonts.css loads a font: {css}"
    );
}

/// Every `.md` under book/src, pages and the fragments they include.
fn markdown_files(folder: &Path, found: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(folder).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            markdown_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "md") {
            found.push(path);
        }
    }
}

#[test]
fn every_code_block_language_is_in_the_books_cut_highlight_js() {
    // book/theme/highlight.js is mdBook's bundle cut to the languages the
    // book uses (`cargo xtask highlight`, issue 27: 25 KB instead of 137
    // KB on every page). A code block in another language would show
    // unhighlighted: add it to xtask/src/highlight.rs's KEPT and run it.
    let bundle = read(&root().join("book/theme/highlight.js"));
    let registered = |language: &str| {
        bundle.contains(&format!("registerLanguage(\"{language}\""))
            || bundle.contains(&format!("\"{language}\""))
    };
    let mut files = Vec::new();
    markdown_files(&root().join("book/src"), &mut files);
    let mut used = BTreeSet::new();
    for file in &files {
        for line in read(file).lines() {
            if let Some(info) = line.trim_start().strip_prefix("```") {
                let language = info.split(',').next().unwrap_or_default().trim();
                if !language.is_empty() {
                    used.insert(language.to_string());
                }
            }
        }
    }
    assert!(used.contains("rust"), "no rust code block found: {used:?}");
    let missing: Vec<&String> = used.iter().filter(|l| !registered(l)).collect();
    assert!(
        missing.is_empty(),
        "code blocks in {missing:?}, which book/theme/highlight.js does not highlight: add \
         them to KEPT in xtask/src/highlight.rs and run `cargo xtask highlight`"
    );
}

/// Where an `attribute="…"` of an HTML tag starts its value, and the value.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(&tag[start..start + tag[start..].find('"')?])
}

#[test]
fn every_challenge_comes_before_its_failing_trace_which_is_folded_until_solved() {
    // Puzzles first (issue 28): a chapter poses its stepper's challenge
    // before it shows loom's failing trace, so the learner finds the race
    // before being shown it. The trace and the prose that explains it sit
    // in the `<details class="answer" open>` right after the widget, which
    // stepper.js folds while the learner plays and opens when they win;
    // `open` in the page keeps it readable with no script and in print, a
    // blank line after the summary lets mdBook render the markdown inside,
    // and its summary is the visible way to see the answer without winning.
    let mut folds = 0;
    let chapters = pages()
        .into_iter()
        .filter(|(page, _)| page.as_bytes()[0].is_ascii_digit());
    for (page, text) in chapters {
        let lines: Vec<&str> = text.lines().collect();
        for (at, tag) in lines.iter().enumerate() {
            if !tag.starts_with("<div class=\"stepper\"")
                || attribute(tag, "data-challenge").is_none()
            {
                continue;
            }
            let json = attribute(tag, "data-explore")
                .unwrap_or_else(|| panic!("{page}: a stepper without data-explore: {tag}"));
            let check = json
                .strip_prefix("explore/")
                .and_then(|j| j.strip_suffix(".json"))
                .unwrap_or_else(|| panic!("{page}: {json} is not explore/lab-NN/<check>.json"));
            let trace = format!("traces/{check}.txt");
            let path = root().join("book/src").join(&trace);
            if !path.is_file()
                || !read(&path)
                    .lines()
                    .nth(1)
                    .is_some_and(|l| l.contains("loom found a failing interleaving"))
            {
                continue; // a fix's widget: there is no failure to give away
            }
            let shown: Vec<usize> = (0..lines.len())
                .filter(|&i| lines[i].contains(&format!("{{{{#include {trace}}}}}")))
                .collect();
            assert!(
                !shown.is_empty(),
                "{page}: the challenge on {check} is not followed by its trace, {trace}"
            );
            assert!(
                shown.iter().all(|&i| i > at),
                "{page}: {trace} is shown before the challenge on {check}: the stepper must come first"
            );
            let next = lines[at + 1..]
                .iter()
                .position(|l| !l.trim().is_empty())
                .map(|i| at + 1 + i)
                .unwrap_or_else(|| panic!("{page}: nothing follows the stepper on {check}"));
            assert_eq!(
                lines[next], "<details class=\"answer\" open>",
                "{page}: the stepper on {check} is not followed by its answer's fold"
            );
            let summary = lines[next + 1];
            assert!(
                summary.starts_with("<summary>Show me the answer")
                    && summary.ends_with("</summary>")
                    && lines[next + 2].trim().is_empty(),
                "{page}: the fold after {check} must open with `<summary>Show me the answer…</summary>` \
                 and a blank line, not {summary:?}"
            );
            let end = lines[next..]
                .iter()
                .position(|l| l.trim() == "</details>")
                .map(|i| next + i)
                .unwrap_or_else(|| panic!("{page}: the fold after {check} is never closed"));
            assert!(
                lines[end - 1].trim().is_empty(),
                "{page}: a blank line must come before the </details> of {check}'s fold"
            );
            assert!(
                shown.iter().all(|&i| next < i && i < end),
                "{page}: {trace} is outside the fold after the stepper on {check}"
            );
            folds += 1;
        }
    }
    assert!(
        folds > 0,
        "no chapter folds a failing trace after its challenge"
    );
}

/// The chapters' second challenges, "how bad can it get?" (issue 28: a
/// chapter's first challenge, one switch in the right place, a learner
/// called thin; chapters 7 and 8's first take none, loom's first execution
/// already fails): the page, the recorded executions, the fewest real
/// decisions its shortest win takes, and whether loom went on past
/// failures (it cannot past a deadlock: chapter 10's ends at its first).
const HARDER_CHALLENGES: [(&str, &str, usize, bool); 8] = [
    (
        "01-lost-update.md",
        "explore/lab-01/racy-counter-three-threads.json",
        4,
        true,
    ),
    (
        "02-locks.md",
        "explore/lab-02/racy-withdrawals-three-threads.json",
        3,
        true,
    ),
    (
        "05-immutable-data.md",
        "explore/lab-05/two-locks-two-updates.json",
        4,
        true,
    ),
    (
        "06-message-passing.md",
        "explore/lab-06/stop-flag-three-jobs.json",
        3,
        true,
    ),
    (
        "07-data-parallelism.md",
        "explore/lab-07/finish-then-publish.json",
        2,
        true,
    ),
    (
        "08-subprocesses.md",
        "explore/lab-08/kill-by-pid.json",
        4,
        true,
    ),
    (
        "10-event-loops.md",
        "explore/lab-10/check-then-register-two-events.json",
        2,
        false,
    ),
    (
        "11-async-tokio.md",
        "explore/lab-11/two-sections-three-tasks-two-seats.json",
        2,
        true,
    ),
];

#[test]
fn each_harder_challenge_takes_several_real_decisions_and_most_orders_do_not_win() {
    for (page, json, floor, past_failures) in HARDER_CHALLENGES {
        let text = read(&root().join("book/src").join(page));
        assert!(
            text.contains(&format!("data-explore=\"{json}\"")),
            "{page} has no stepper on {json}"
        );
        let e: Exploration = serde_json::from_str(&read(&root().join("book/src").join(json)))
            .unwrap_or_else(|e| panic!("{json}: {e}"));
        let decisions = real_decisions(&e);
        assert!(
            decisions >= floor,
            "{json}: its shortest win takes {decisions} real decisions, fewer than {floor}"
        );
        // Recorded past its failures (every execution within the bound, as
        // the chapters say) or up to the first; and fewer than half win.
        assert_eq!(e.past_failures, past_failures, "{json}: past failures?");
        let won: usize = e
            .outcomes
            .iter()
            .filter(|o| o.failed)
            .map(|o| o.executions)
            .sum();
        assert!(
            0 < won && 2 * won < e.executions,
            "{json}: {won} of {} executions win",
            e.executions
        );
    }
    // Chapter 1 says so (of its recorded executions, within bound 2).
    let chapter_1 = read(&root().join("book/src/01-lost-update.md"));
    let said = "most of the executions loom ran end at 2 or 3";
    assert!(
        chapter_1
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .contains(said),
        "chapter 1 no longer says {said:?}: update this test"
    );
}
