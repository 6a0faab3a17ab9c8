//! Running a check in a child process: this same test binary, run again on
//! the one test that called the check.
//!
//! When loom finds a deadlock it unwinds threads that hold loom objects, and
//! those can panic again and abort the whole process (loom 0.7; always so
//! under `loom::future::block_on`). A check therefore runs its model in a
//! child: the parent runs `<test binary> --exact <test>` with the check's
//! number in `RACE_HARNESS_CHILD`; the child replays the verdicts of the
//! test's earlier checks (from `RACE_HARNESS_PRIOR`), runs that one model,
//! writes its verdict to `RACE_HARNESS_REPORT` and exits. The verdict is
//! written from the panic hook too, so it survives an abort.

use crate::check::Verdict;
use std::cell::RefCell;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const CHILD: &str = "RACE_HARNESS_CHILD";
const REPORT: &str = "RACE_HARNESS_REPORT";
const PRIOR: &str = "RACE_HARNESS_PRIOR";

/// The longest a child may run one model before it is stopped.
const TIME_LIMIT: Duration = Duration::from_secs(600);

/// What the current process does with the check numbered `index` in its test.
pub(crate) enum Role {
    /// Run it in a child process, here the parent (a libtest test thread).
    Parent {
        /// The libtest name of the running test.
        test: String,
    },
    /// This is the child, and this is the check it was started for.
    Run,
    /// This is the child, and this check ran earlier in the parent.
    Replay(Box<Verdict>),
    /// Not under libtest (a plain binary): run it in this process.
    Alone,
}

thread_local! {
    /// The verdicts of the checks the current test has run so far.
    static EARLIER: RefCell<Vec<Verdict>> = const { RefCell::new(Vec::new()) };
}

pub(crate) fn role(index: usize) -> Role {
    if let Ok(target) = std::env::var(CHILD) {
        let target: usize = target
            .parse()
            .expect("RACE_HARNESS_CHILD is a check number");
        if index == target {
            return Role::Run;
        }
        let prior = std::env::var(PRIOR).expect("RACE_HARNESS_PRIOR names the earlier verdicts");
        let prior: Vec<Verdict> =
            read_json(Path::new(&prior)).expect("the earlier verdicts are readable");
        let verdict = prior.into_iter().nth(index).unwrap_or_else(|| {
            panic!("check {index} ran in the child but not in the parent: the test must run its checks in the same order every time")
        });
        return Role::Replay(Box::new(verdict));
    }
    // libtest names each test's thread after the test; a plain program's
    // main thread is called "main".
    match std::thread::current().name() {
        Some(name) if name != "main" => Role::Parent {
            test: name.to_string(),
        },
        _ => Role::Alone,
    }
}

/// Remembers a verdict of the current test, for the children of its later checks.
pub(crate) fn remember(verdict: &Verdict) {
    EARLIER.with(|earlier| earlier.borrow_mut().push(verdict.clone()));
}

/// In the child: writes the verdict where the parent reads it, and exits.
pub(crate) fn report_and_exit(verdict: &Verdict) -> ! {
    save_early(verdict);
    std::process::exit(0)
}

/// In the child: writes the verdict where the parent reads it.
pub(crate) fn save_early(verdict: &Verdict) {
    if let Ok(report) = std::env::var(REPORT) {
        let json = serde_json::to_string(verdict).expect("a verdict serialises");
        let _ = fs::write(report, json);
    }
}

/// In the parent: runs check `index` of `test` in a child and returns its verdict.
pub(crate) fn run(test: &str, index: usize) -> Verdict {
    static UNIQUE: AtomicUsize = AtomicUsize::new(0);
    let stem = format!(
        "race-harness-{}-{}",
        std::process::id(),
        UNIQUE.fetch_add(1, Ordering::Relaxed)
    );
    let file = |suffix: &str| -> PathBuf { std::env::temp_dir().join(format!("{stem}{suffix}")) };
    let (report, prior, output) = (file(".json"), file("-prior.json"), file(".stderr"));

    let earlier = EARLIER.with(|earlier| earlier.borrow().clone());
    fs::write(
        &prior,
        serde_json::to_string(&earlier).expect("verdicts serialise"),
    )
    .expect("the temporary directory is writable");
    let exe = std::env::current_exe().expect("the test binary knows its path");
    let mut child = Command::new(exe)
        .args([
            "--exact",
            test,
            "--test-threads=1",
            "--include-ignored",
            "-q",
        ])
        .env(CHILD, index.to_string())
        .env(REPORT, &report)
        .env(PRIOR, &prior)
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(fs::File::create(&output).expect("the temporary directory is writable"))
        .spawn()
        .expect("the test binary can run itself");

    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("the child can be waited for") {
            break status.to_string();
        }
        if started.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            break format!("stopped after {} s", TIME_LIMIT.as_secs());
        }
        std::thread::sleep(Duration::from_millis(5));
    };

    let verdict: Option<Verdict> = read_json(&report);
    let printed = fs::read_to_string(&output).unwrap_or_default();
    for path in [&report, &prior, &output] {
        let _ = fs::remove_file(path);
    }
    verdict.unwrap_or_else(|| {
        panic!(
            "the child process running check {index} of `{test}` ended without a verdict \
             ({status}). If it ran out of time, lower the check's preemption bound. \
             It printed:\n{printed}"
        )
    })
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Option<T> {
    serde_json::from_str(&fs::read_to_string(path).ok()?).ok()
}
