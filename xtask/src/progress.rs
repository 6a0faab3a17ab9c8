//! `cargo xtask progress`: where a learner is in the thirteen exercises.
//!
//! An exercise whose `src/exercise.rs` still has its starter's fingerprint
//! (recorded in the lab's `tests/exercise.rs`) is not started: no build is
//! needed to say so. An edited one is checked with its lab's exercise check
//! alone; it has passed or it is in progress. Nothing is remembered: the
//! repository's files are the record.

use crate::fingerprint::fingerprint;
use std::path::Path;

/// Where a learner is in one exercise.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// `src/exercise.rs` is the starter, untouched.
    NotStarted,
    /// Edited, and the check does not pass yet (the reason, e.g. "does
    /// not compile yet").
    InProgress(&'static str),
    /// Edited, and the check passes.
    Passed,
}

/// What an exercise check said.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// Every model passed.
    Passes,
    /// Loom found an interleaving in which it fails (or it hung).
    Fails,
    /// rustc rejected it.
    DoesNotCompile,
}

/// The starter's fingerprint, from `Exercise::new("src/exercise.rs", 0x…)`
/// in a lab's `tests/exercise.rs`.
pub fn starter_fingerprint(tests: &str) -> Option<u64> {
    let rest = tests.split("Exercise::new(\"src/exercise.rs\",").nth(1)?;
    let hex = rest.trim_start().strip_prefix("0x")?;
    let end = hex
        .find(|c: char| !(c.is_ascii_hexdigit() || c == '_'))
        .unwrap_or(hex.len());
    u64::from_str_radix(&hex[..end].replace('_', ""), 16).ok()
}

/// The status of an exercise whose file reads `exercise` and whose starter
/// has the fingerprint `starter`; `check` runs its exercise check, and is
/// called only if the file was edited.
pub fn status(exercise: &str, starter: u64, check: impl FnOnce() -> Check) -> Status {
    if fingerprint(exercise) == starter {
        return Status::NotStarted;
    }
    match check() {
        Check::Passes => Status::Passed,
        Check::Fails => Status::InProgress("does not pass yet"),
        Check::DoesNotCompile => Status::InProgress("does not compile yet"),
    }
}

/// The exercise to do next: the first in progress, else the first not
/// started; `None` when every one has passed.
pub fn next(statuses: &[Status]) -> Option<usize> {
    statuses
        .iter()
        .position(|s| matches!(s, Status::InProgress(_)))
        .or_else(|| statuses.iter().position(|s| *s == Status::NotStarted))
}

/// Judges a finished `cargo test` of an exercise check from its exit
/// status and its output.
pub fn judge(success: bool, output: &str) -> Check {
    if success {
        Check::Passes
    } else if output.contains("could not compile") || output.contains("error[E") {
        Check::DoesNotCompile
    } else {
        Check::Fails
    }
}

/// Each chapter's number, title and file, from the book's SUMMARY.md
/// lines `- [Title](NN-slug.md)`: the one place the titles are written.
pub fn chapters(summary: &str) -> Vec<Chapter> {
    summary
        .lines()
        .filter_map(|line| {
            let rest = line.trim().strip_prefix("- [")?;
            let (title, link) = rest.split_once("](")?;
            let file = link.strip_suffix(')')?;
            let number = file.get(..2)?;
            (number.chars().all(|c| c.is_ascii_digit()) && file.get(2..3) == Some("-")).then(|| {
                Chapter {
                    number: number.to_string(),
                    title: title.to_string(),
                    file: file.to_string(),
                }
            })
        })
        .collect()
}

/// A chapter of the book, as SUMMARY.md lists it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Chapter {
    /// `01`, as the labs are numbered.
    pub number: String,
    /// Its title.
    pub title: String,
    /// Its file in book/src: `01-lost-update.md`.
    pub file: String,
}

impl Chapter {
    /// Its page in the book that `cargo xtask serve` serves.
    pub fn url(&self) -> String {
        format!(
            "http://{}:{}/{}",
            crate::BOOK_HOST,
            crate::BOOK_PORT,
            self.file.replace(".md", ".html")
        )
    }
}

/// What to do next, for the exercise of `chapter`, whose file is
/// `exercise`: read the chapter in the served book, edit, check.
pub fn next_steps(verb: &str, chapter: &Chapter, exercise: &Path) -> String {
    let number = chapter.number.trim_start_matches('0');
    format!(
        "{verb} exercise {lab}, in chapter {number}, \"{title}\".\n\
         Its \"Exercise\" section says what to do, in the book:\n    {url}\n\
         (`cargo xtask serve` serves the book there; leave it running.)\n\
         Edit {file}, then check it with:\n    cargo xtask exercise {lab}",
        lab = chapter.number,
        title = chapter.title,
        url = chapter.url(),
        file = exercise.display(),
    )
}

/// Runs the check for every edited exercise, then prints the table and
/// the command for the next one.
pub fn progress(root: &Path) -> Result<(), String> {
    let summary = std::fs::read_to_string(root.join("book/src/SUMMARY.md")).unwrap_or_default();
    let chapters = chapters(&summary);
    let mut rows = Vec::new();
    for (lab, folder) in crate::labs(root) {
        let read = |file: &str| {
            let path = folder.join(file);
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))
        };
        let tests = read("tests/exercise.rs")?;
        let starter = starter_fingerprint(&tests).ok_or_else(|| {
            format!(
                "lab {lab}'s tests/exercise.rs has no `Exercise::new(\"src/exercise.rs\", 0x…)`"
            )
        })?;
        let status = status(&read("src/exercise.rs")?, starter, || check(root, &lab));
        let chapter = chapters
            .iter()
            .find(|chapter| chapter.number == lab)
            .cloned()
            .unwrap_or_else(|| Chapter {
                number: lab.clone(),
                ..Chapter::default()
            });
        rows.push((lab, folder, chapter, status));
    }
    if rows.is_empty() {
        return Err(format!(
            "no lab found under {}",
            root.join("labs").display()
        ));
    }
    if !rows.iter().any(|row| row.3 != Status::NotStarted) {
        println!("Every exercise is its starter, untouched: no check to run.");
    }
    println!();
    println!("Your exercises, labs/NN-*/src/exercise.rs (edited ones checked with loom):");
    println!();
    for (lab, _, chapter, status) in &rows {
        let shown = match status {
            Status::NotStarted => String::from("not started"),
            Status::InProgress(why) => format!("in progress: {why}"),
            Status::Passed => String::from("passed"),
        };
        println!("  {lab}  {:<46}  {shown}", cut(&chapter.title, 46));
    }
    let statuses: Vec<Status> = rows.iter().map(|row| row.3.clone()).collect();
    let passed = statuses.iter().filter(|s| **s == Status::Passed).count();
    let started = statuses
        .iter()
        .filter(|s| matches!(s, Status::InProgress(_)))
        .count();
    println!();
    println!(
        "{passed} of {} passed, {started} in progress.",
        statuses.len()
    );
    match next(&statuses) {
        None => println!("Every exercise passes. Chapter 13's decision guide is the last word."),
        Some(n) => {
            let (_, folder, chapter, status) = &rows[n];
            let file = folder
                .strip_prefix(root)
                .unwrap_or(folder)
                .join("src/exercise.rs");
            let verb = if *status == Status::NotStarted {
                "Next:"
            } else {
                "Carry on with"
            };
            println!("{}", next_steps(verb, chapter, &file));
        }
    }
    Ok(())
}

/// Runs one lab's exercise check, quietly, and says how it went.
fn check(root: &Path, lab: &str) -> Check {
    let package = format!("lab-{lab}");
    let mut command = crate::cargo(root);
    command.args([
        "test",
        "-q",
        "-p",
        &package,
        "--test",
        "exercise",
        "--",
        "--ignored",
    ]);
    // Its output is read, not shown: say what runs, as it may build first.
    println!("checking lab {lab}'s exercise (it may build first)...");
    println!("> {}", crate::shown(&command));
    match command.output() {
        Ok(out) => {
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            judge(out.status.success(), &text)
        }
        Err(_) => Check::Fails,
    }
}

fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        let kept: String = text.chars().take(width - 1).collect();
        format!("{kept}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TESTS: &str = "fn exercise() -> Exercise {\n    \
                         Exercise::new(\"src/exercise.rs\", 0x8ab75d73e3181040).preemption_bound(3)\n}";

    #[test]
    fn the_starters_fingerprint_is_read_from_the_labs_exercise_test() {
        assert_eq!(starter_fingerprint(TESTS), Some(0x8ab7_5d73_e318_1040));
        let formatted = "Exercise::new(\"src/exercise.rs\", 0x04e8_9315_0efe_37e4)";
        assert_eq!(starter_fingerprint(formatted), Some(0x04e8_9315_0efe_37e4));
        assert_eq!(starter_fingerprint("Exercise::new(FILE, 0x1)"), None);
    }

    #[test]
    fn an_untouched_starter_is_not_started_and_runs_no_check() {
        let starter = "pub fn increment() {}\n";
        let status = status(starter, fingerprint(starter), || {
            panic!("an untouched starter needs no check")
        });
        assert_eq!(status, Status::NotStarted);
        // A Windows checkout of the same file is the same starter.
        let crlf = "pub fn increment() {}\r\n";
        assert_eq!(
            super::status(crlf, fingerprint(starter), || Check::Passes),
            Status::NotStarted
        );
    }

    #[test]
    fn an_edited_file_is_passed_or_in_progress_as_its_check_says() {
        let starter = fingerprint("the starter");
        let edited = "the starter, edited";
        assert_eq!(status(edited, starter, || Check::Passes), Status::Passed);
        assert_eq!(
            status(edited, starter, || Check::Fails),
            Status::InProgress("does not pass yet")
        );
        assert_eq!(
            status(edited, starter, || Check::DoesNotCompile),
            Status::InProgress("does not compile yet")
        );
    }

    #[test]
    fn a_check_is_judged_by_its_exit_status_and_rustcs_errors() {
        assert_eq!(judge(true, "test result: ok"), Check::Passes);
        assert_eq!(
            judge(
                false,
                "error[E0308]: mismatched types\nerror: could not compile `lab-01`"
            ),
            Check::DoesNotCompile
        );
        assert_eq!(
            judge(false, "loom found a failing interleaving"),
            Check::Fails
        );
    }

    #[test]
    fn the_next_exercise_is_the_first_in_progress_else_the_first_not_started() {
        use Status::*;
        assert_eq!(next(&[Passed, NotStarted, InProgress("x")]), Some(2));
        assert_eq!(next(&[Passed, NotStarted, NotStarted]), Some(1));
        assert_eq!(next(&[Passed, Passed]), None);
    }

    #[test]
    fn chapter_titles_come_from_the_summary() {
        let summary = "# Summary\n\n[Introduction](introduction.md)\n\n# Part\n\n\
                       - [Threads and the lost update](01-lost-update.md)\n\
                       - [The guide](instructors.md)\n";
        assert_eq!(
            chapters(summary),
            [Chapter {
                number: String::from("01"),
                title: String::from("Threads and the lost update"),
                file: String::from("01-lost-update.md"),
            }]
        );
    }

    #[test]
    fn every_lab_has_a_chapter_with_a_title_in_the_book_s_summary() {
        let root = crate::workspace_root();
        let summary = std::fs::read_to_string(root.join("book/src/SUMMARY.md")).unwrap();
        let chapters = chapters(&summary);
        let labs = crate::labs(&root);
        assert!(!labs.is_empty());
        for (lab, _) in labs {
            let chapter = chapters.iter().find(|c| c.number == lab);
            let chapter = chapter.unwrap_or_else(|| panic!("lab {lab} has no chapter"));
            assert!(!chapter.title.is_empty(), "lab {lab}");
            assert!(
                root.join("book/src").join(&chapter.file).is_file(),
                "lab {lab}"
            );
        }
    }

    #[test]
    fn the_next_step_points_at_the_served_chapter_by_its_title() {
        let chapter = Chapter {
            number: String::from("01"),
            title: String::from("Threads and the lost update"),
            file: String::from("01-lost-update.md"),
        };
        let said = next_steps(
            "Next:",
            &chapter,
            Path::new("labs/01-lost-update/src/exercise.rs"),
        );
        assert!(
            said.starts_with("Next: exercise 01, in chapter 1, \"Threads and the lost update\".")
        );
        assert!(
            said.contains("http://127.0.0.1:3000/01-lost-update.html"),
            "{said}"
        );
        assert!(said.contains("`cargo xtask serve`"), "{said}");
        assert!(said.contains("cargo xtask exercise 01"), "{said}");
        assert!(!said.contains("book/src"), "{said}");
    }
}
