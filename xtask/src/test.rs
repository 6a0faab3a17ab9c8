//! `cargo xtask test`: every package's tests, the book's traces checked
//! current, and one summary line at the end.
//!
//! It runs `cargo test --workspace --no-fail-fast` (every package, even
//! after one fails), shows its output as it comes, minus the empty blocks
//! of packages with no doc tests, and ends with what passed and failed.

use crate::{cargo, shown};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

pub fn test(root: &Path) -> Result<(), String> {
    let mut command = cargo(root);
    command
        .args(["test", "--workspace", "--no-fail-fast"])
        .env("RACE_HARNESS_BOOK", "check");
    println!("> {}", shown(&command));
    // cargo writes its own lines to stderr and the tests' to stdout: one
    // pipe for both keeps them in the order they were written.
    let (reader, writer) = std::io::pipe().map_err(|e| format!("could not make a pipe: {e}"))?;
    let writer_too = writer
        .try_clone()
        .map_err(|e| format!("could not make a pipe: {e}"))?;
    let mut child = command
        .stdout(writer)
        .stderr(writer_too)
        .spawn()
        .map_err(|e| format!("could not start cargo: {e}"))?;
    // The command's copies of the pipe's writing end: EOF when cargo ends.
    command.stdout(Stdio::null()).stderr(Stdio::null());

    let mut summary = Summary::default();
    let mut filter = EmptyDocTests::default();
    let mut blank = false; // the last line shown was blank: show no second
    let mut show = |line: String| {
        let is_blank = line.trim().is_empty();
        if !(is_blank && blank) {
            println!("{line}");
        }
        blank = is_blank;
    };
    for line in BufReader::new(reader).lines() {
        let line = line.map_err(|e| format!("reading cargo's output: {e}"))?;
        summary.read(&line);
        filter.pass(line).into_iter().for_each(&mut show);
    }
    filter.finish().into_iter().for_each(&mut show);
    let status = child
        .wait()
        .map_err(|e| format!("waiting for cargo: {e}"))?;
    println!("\n{}", summary.line(status.success()));
    if status.success() {
        return Ok(());
    }
    if !summary.failed_targets.is_empty() {
        println!(
            "Failed: {}. Run one again with `cargo test <that>` to read only its output.",
            summary.failed_targets.join(", ")
        );
    }
    println!(
        "If you edited a lab and did not mean to change what it does, `git status` lists what \
         you changed and `git checkout -- <file>` puts a file back as the course ships it."
    );
    Err(String::from("some tests failed: see above"))
}

/// Counts from libtest's `test result:` lines, and cargo's list of the
/// targets that failed.
#[derive(Default)]
struct Summary {
    passed: u64,
    failed: u64,
    ignored: u64,
    failed_targets: Vec<String>,
}

impl Summary {
    fn read(&mut self, line: &str) {
        let line = line.trim();
        if let Some(counts) = line.strip_prefix("test result: ") {
            for part in counts.split(';') {
                let mut words = part.split_whitespace().rev();
                let (Some(what), Some(number)) = (words.next(), words.next()) else {
                    continue;
                };
                let Ok(number) = number.parse::<u64>() else {
                    continue;
                };
                match what {
                    "passed" => self.passed += number,
                    "failed" => self.failed += number,
                    "ignored" => self.ignored += number,
                    _ => {}
                }
            }
        } else if let Some(target) = line
            .strip_prefix("error: test failed, to rerun pass `")
            .and_then(|rest| rest.strip_suffix('`'))
        {
            self.failed_targets.push(target.to_string());
        } else if line.starts_with('`') && line.ends_with('`') && line.contains("-p ") {
            // `--no-fail-fast`'s closing list: "error: 2 targets failed:"
            // then one `-p lab-03 --test exercise` per line.
            let target = line.trim_matches('`').to_string();
            if !self.failed_targets.contains(&target) {
                self.failed_targets.push(target);
            }
        }
    }

    fn line(&self, success: bool) -> String {
        let verdict = if success && self.failed == 0 {
            "every test passed"
        } else {
            "SOME TESTS FAILED"
        };
        format!(
            "cargo xtask test: {verdict}: {} passed, {} failed, {} ignored (the ignored ones are \
             the exercises: `cargo xtask exercise NN` checks yours).",
            self.passed, self.failed, self.ignored
        )
    }
}

/// Drops the block cargo prints for a package with no doc tests:
/// `Doc-tests x`, `running 0 tests`, `test result: ok. 0 passed...`.
#[derive(Default)]
struct EmptyDocTests {
    held: Vec<String>,
}

impl EmptyDocTests {
    /// The lines to show now, given the next one.
    fn pass(&mut self, line: String) -> Vec<String> {
        let trimmed = line.trim();
        if trimmed.starts_with("Doc-tests ") {
            let out = std::mem::take(&mut self.held);
            self.held.push(line);
            return out;
        }
        if self.held.is_empty() {
            return vec![line];
        }
        if trimmed.is_empty() || trimmed == "running 0 tests" {
            self.held.push(line);
            return Vec::new();
        }
        if trimmed.starts_with("test result: ok. 0 passed; 0 failed; 0 ignored")
            && self.held.iter().any(|l| l.trim() == "running 0 tests")
        {
            self.held.clear(); // an empty block: shown as nothing
            return Vec::new();
        }
        let mut out = std::mem::take(&mut self.held);
        out.push(line);
        out
    }

    /// What is still held when the output ends.
    fn finish(&mut self) -> Vec<String> {
        std::mem::take(&mut self.held)
    }
}

/// Runs `command` with its stdout and stderr merged, showing each line
/// `noise` does not drop; fails if the command fails.
pub fn run_filtered(command: &mut Command, noise: fn(&str) -> bool) -> Result<(), String> {
    println!("> {}", shown(command));
    let (reader, writer) = std::io::pipe().map_err(|e| format!("could not make a pipe: {e}"))?;
    let writer_too = writer
        .try_clone()
        .map_err(|e| format!("could not make a pipe: {e}"))?;
    let mut child = command
        .stdout(writer)
        .stderr(writer_too)
        .spawn()
        .map_err(|e| format!("could not start {:?}: {e}", command.get_program()))?;
    // The command's own copies of the pipe's writing end: let them go, or
    // the reading below never sees the end.
    command.stdout(Stdio::null()).stderr(Stdio::null());
    let mut blank = false; // the last line shown was blank: show no second
    for line in BufReader::new(reader).lines() {
        let line = line.map_err(|e| format!("reading the output: {e}"))?;
        let is_blank = line.trim().is_empty();
        let repeated_blank = is_blank && blank;
        if !noise(&line) && !repeated_blank {
            println!("{line}");
            blank = is_blank;
        }
    }
    let status = child.wait().map_err(|e| format!("waiting: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", shown(command)))
    }
}

/// What libtest and cargo print around an exercise's check that says
/// nothing to the learner, or misleads: the dots of `-q`, test counts, and
/// cargo's "to rerun pass `-p lab-03 --test exercise`", which would run
/// the course's tests, not the learner's (those are `--ignored`).
pub fn exercise_noise(line: &str) -> bool {
    let line = line.trim();
    (!line.is_empty() && line.chars().all(|c| matches!(c, '.' | 'i' | 'F')))
        || line.starts_with("running ")
        || line.starts_with("test result: ")
        || line.starts_with("error: test failed, to rerun pass")
        || line == "failures:"
        || line.ends_with(" --- FAILED")
        || (line.starts_with("----") && line.ends_with("stdout ----"))
        // libtest's closing list of failed tests: one name per line
        || (!line.is_empty() && line.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
}

#[cfg(test)]
mod tests {
    use super::{EmptyDocTests, Summary};

    fn filtered(text: &str) -> Vec<String> {
        let mut filter = EmptyDocTests::default();
        let mut out: Vec<String> = text
            .lines()
            .flat_map(|l| filter.pass(l.to_string()))
            .collect();
        out.extend(filter.finish());
        out
    }

    #[test]
    fn an_empty_doc_test_block_is_dropped_and_a_real_one_kept() {
        let text = "   Doc-tests lab_02\n\nrunning 0 tests\n\ntest result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n\n   Doc-tests lab_01\n\nrunning 2 tests\n..\ntest result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.14s\n";
        let out = filtered(text);
        assert!(!out.iter().any(|l| l.contains("lab_02")), "{out:?}");
        assert!(
            out.iter().any(|l| l.contains("Doc-tests lab_01")),
            "{out:?}"
        );
        assert!(out.iter().any(|l| l.contains("2 passed")), "{out:?}");
    }

    #[test]
    fn the_summary_adds_up_every_result_and_names_failed_targets() {
        let mut summary = Summary::default();
        for line in [
            "test result: ok. 3 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.02s",
            "test result: FAILED. 4 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 3.26s",
            "error: test failed, to rerun pass `-p lab-03 --test exercise`",
            "error: 1 target failed:",
            "    `-p lab-03 --test exercise`",
        ] {
            summary.read(line);
        }
        assert_eq!((summary.passed, summary.failed, summary.ignored), (7, 2, 1));
        assert_eq!(summary.failed_targets, ["-p lab-03 --test exercise"]);
        assert!(
            summary
                .line(false)
                .contains("7 passed, 2 failed, 1 ignored")
        );
    }
}

#[cfg(test)]
mod noise_tests {
    use super::exercise_noise;

    #[test]
    fn libtest_noise_is_dropped_and_the_verdict_kept() {
        for noise in [
            "..i",
            "running 2 tests",
            "error: test failed, to rerun pass `-p lab-03 --test exercise`",
            "your_mailbox_never_hands_out_a_letter_twice_or_none --- FAILED",
            "    your_mailbox_never_hands_out_a_letter_twice_or_none",
        ] {
            assert!(exercise_noise(noise), "{noise}");
        }
        for kept in [
            " failed: took a letter from an empty mailbox",
            "lab-03 · exercise: your answer, two consumers · loom found a failing interleaving",
            "    3 │ lock │ │ racy.rs:12",
        ] {
            assert!(!exercise_noise(kept), "{kept}");
        }
    }
}
