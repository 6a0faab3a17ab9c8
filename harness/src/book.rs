//! The book's copies of the checks' output.
//!
//! A check marked [`Check::in_book`](crate::Check::in_book) owns the file
//! `book/src/traces/<package>/<title>.txt`, which a chapter includes. Its
//! first line is the command that prints it (as the Rust Book keeps its
//! listings' output). `RACE_HARNESS_BOOK=write` (set by `cargo xtask
//! traces`) rewrites the file; `RACE_HARNESS_BOOK=check` (set by `cargo
//! xtask test`, and so by CI) fails the test if the file is stale. Unset,
//! the book is left alone, so a learner can change a lab freely.

use crate::place::{lab_name, workspace_root};
use std::path::PathBuf;

const MODE: &str = "RACE_HARNESS_BOOK";

/// The file in the book that holds a check's output, relative to the workspace.
pub fn trace_file(lab: &str, title: &str) -> PathBuf {
    PathBuf::from("book/src/traces")
        .join(lab)
        .join(format!("{}.txt", slug(title)))
}

/// `racy counter` → `racy-counter`.
pub fn slug(title: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    words.join("-")
}

/// The command a reader runs to see the current test's output.
fn command(lab: &str) -> String {
    let test = std::thread::current()
        .name()
        .unwrap_or_default()
        .to_string();
    let exe = std::env::current_exe().ok();
    let stem = exe
        .as_ref()
        .and_then(|p| p.file_stem())
        .map(|s| s.to_string_lossy().into_owned());
    // Test binaries are named `<target>-<hash>`.
    let target = stem
        .as_deref()
        .and_then(|s| s.rsplit_once('-'))
        .map(|(name, _)| name.to_string());
    match target {
        Some(target) => format!("$ cargo test -p {lab} --test {target} -- {test}"),
        None => format!("$ cargo test -p {lab} -- {test}"),
    }
}

/// Keeps the output `text` of the check titled `title` as the book's trace,
/// if the check is in the book and `RACE_HARNESS_BOOK` asks for it.
pub(crate) fn publish(title: &str, in_book: bool, text: &str) {
    if std::env::var_os(MODE).is_none() || !in_book {
        return;
    }
    let lab = lab_name();
    assert!(
        !lab.is_empty(),
        "{MODE} needs the test run by cargo, which names the package"
    );
    let relative = trace_file(&lab, title);
    let content = format!("{}\n{text}\n", command(&lab));
    keep_current(&relative, &content);
}

/// Writes (`RACE_HARNESS_BOOK=write`) or checks (`=check`) a file the book
/// includes, `relative` to the workspace, made by a command of the course:
/// traces, and any other generated text (chapter 13's tables). Unset, does
/// nothing.
pub fn keep_current(relative: &std::path::Path, content: &str) {
    let Ok(mode) = std::env::var(MODE) else {
        return;
    };
    let path = workspace_root().join(relative);
    match mode.as_str() {
        "write" => {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).expect("the book's folder can be made");
            }
            // Written beside, then renamed: a test reading the file at the
            // same moment sees the old content or the new, never half.
            let partial = path.with_extension("partial");
            std::fs::write(&partial, content).expect("the book's file can be written");
            std::fs::rename(&partial, &path).expect("the book's file can be replaced");
        }
        "check" => {
            let current = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                current == content,
                "the book's copy of this output, {}, is not what the lab prints now. \
                 Learner: you changed a lab's code, so its trace changed; `git status` shows \
                 what you changed, and `git checkout -- <file>` puts a file back as the course \
                 ships it (your exercise.rs does not cause this). Course author: run \
                 `cargo xtask traces` and commit the result",
                relative.display()
            );
        }
        other => panic!("{MODE} is `write` or `check`, not `{other}`"),
    }
}
