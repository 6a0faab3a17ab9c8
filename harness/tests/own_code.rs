//! The harness on code outside the course: `templates/own-model`, the crate
//! a learner copies to check their own code, is copied into a temporary
//! folder outside the workspace and tested there with `cargo test`. The
//! trace it prints must show that crate's own source lines.
//!
//! A `Location`'s file is relative to the root of the workspace that
//! compiled the caller. The copy is put where its files' paths are those of
//! course files (`labs/01-lost-update/src/lib.rs`, `.../tests/loom.rs`), so
//! a harness that looked the file up in the course's workspace would show
//! the course's code, or nothing, where the model's code belongs.
//!
//! Measured on 2 cores shared with other builds: cold, with nothing built
//! in `target/own-code-test`, 70 to 95 s (the harness's dependencies:
//! loom, criterion, serde...); warm, 2 to 3 s (the copy rebuilt, and the
//! harness if it changed).

use harness::template::{TempFolder, copy_sources};
use harness::watchdog::output_within;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// Long enough for a cold build on a slow machine; a hang ends here.
const DEADLINE: Duration = Duration::from_secs(600);

/// Where the copy goes inside the temporary workspace: a course lab's path.
const MEMBER: &str = "labs/01-lost-update";

fn course() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the harness lives in the course's workspace")
        .to_path_buf()
}

fn template() -> PathBuf {
    course().join("templates/own-model")
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The temporary workspace: the template at [`MEMBER`], its `harness`
/// dependency pointing at this harness, its profiles moved to the
/// workspace's manifest (cargo reads them only there), and the course's
/// `Cargo.lock`, so that it builds, offline, what the course built.
fn make_workspace(root: &Path) {
    let _ = fs::remove_dir_all(root);
    let member = root.join(MEMBER);
    copy_sources(&template(), &member);
    let manifest = read(&member.join("Cargo.toml"));
    let relative = r#"harness = { path = "../../harness" }"#;
    assert!(
        manifest.contains(relative),
        "templates/own-model/Cargo.toml no longer has `{relative}`"
    );
    let harness = course().join("harness");
    let manifest = manifest.replace(
        relative,
        &format!("harness = {{ path = {:?} }}", harness.display().to_string()),
    );
    let (package, profiles) = match manifest.find("\n[profile.") {
        Some(at) => manifest.split_at(at),
        None => (manifest.as_str(), ""),
    };
    fs::write(member.join("Cargo.toml"), package).unwrap();
    fs::write(
        root.join("Cargo.toml"),
        format!("[workspace]\nmembers = [{MEMBER:?}]\nresolver = \"3\"\n{profiles}"),
    )
    .unwrap();
    fs::copy(course().join("Cargo.lock"), root.join("Cargo.lock")).unwrap();
}

/// Runs `cargo test` in `root`; returns its stderr, where the harness
/// prints. Killed, and the test failed, past [`DEADLINE`].
fn cargo_test(root: &Path) -> String {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(root)
        .args(["test", "--offline"])
        // Warm after the first run, and nothing written into the course's
        // source tree.
        .env("CARGO_TARGET_DIR", course().join("target/own-code-test"))
        // Under `cargo xtask test` this is set; the copy is a learner's
        // crate, whose checks have no place in the book.
        .env_remove("RACE_HARNESS_BOOK");
    let output = output_within(
        command,
        DEADLINE,
        &format!(
            "`cargo test` of the template's copy in {} (a build that slow, or a check of \
             the template that hangs)",
            root.display()
        ),
    );
    let printed = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        output.status.success(),
        "`cargo test` of the template's copy in {} failed ({}):\n{printed}\n{}",
        root.display(),
        output.status,
        String::from_utf8_lossy(&output.stdout)
    );
    printed
}

/// The one line of the template's `file` that contains `needle`: its
/// number and its text.
fn template_line(file: &str, needle: &str) -> (usize, String) {
    let text = read(&template().join(file));
    let found: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| line.contains(needle))
        .collect();
    assert_eq!(found.len(), 1, "{file}: `{needle}` is not on one line");
    (found[0].0 + 1, found[0].1.trim().to_string())
}

/// Asserts that `printed` names `file:line` after `prefix`, followed by
/// that line's code (wrapped or not: spaces and line breaks are compared
/// as one space).
fn assert_shows(printed: &str, prefix: &str, file: &str, needle: &str) {
    let (number, code) = template_line(file, needle);
    let name = Path::new(file).file_name().unwrap().to_string_lossy();
    let place = format!("{prefix}{name}:{number}");
    let words = |text: &str| {
        let words: Vec<&str> = text.split_whitespace().collect();
        format!(" {} ", words.join(" "))
    };
    assert!(
        words(printed).contains(&words(&format!("{place} {code}"))),
        "the trace does not show `{place}` with the template's own code `{code}`:\n{printed}"
    );
}

/// The racy counter's verdict as the harness printed it: from its headline
/// to the blank line after the failure's verdict lines.
fn racy_counter_verdict(printed: &str) -> &str {
    let start = printed
        .find("own-model · racy counter ·")
        .unwrap_or_else(|| panic!("no verdict for the racy counter:\n{printed}"));
    let verdict = start
        + printed[start..]
            .find("\n failed:")
            .expect("the racy counter failed");
    let end = verdict + printed[verdict..].find("\n\n").expect("a blank line");
    &printed[start..=end]
}

#[test]
fn a_crate_outside_the_course_is_shown_with_its_own_source_lines() {
    let root = std::env::temp_dir().join(format!("harness-own-code-{}", std::process::id()));
    let _remove = TempFolder(root.clone());
    make_workspace(&root);
    let printed = cargo_test(&root);

    // A line of the template's code, under the table...
    assert_shows(&printed, "", "src/counter.rs", "self.count.store(seen + 1");
    // ...`get`'s caller, not `get`: it is `#[track_caller]`...
    assert_shows(&printed, "", "tests/loom.rs", "counter.get()");
    // ...and where the model failed.
    assert_shows(&printed, "at ", "tests/loom.rs", "assert!(count == 2");

    // The book's page on checking your own code shows this trace.
    let verdict = racy_counter_verdict(&printed);
    harness::book::keep_current(
        Path::new("book/src/traces/own-model/racy-counter.txt"),
        &format!(
            "$ cargo test -p own-model --test loom -- the_racy_counter_loses_an_update\n{verdict}\n"
        ),
    );
}
