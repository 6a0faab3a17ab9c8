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

use crate::explore::Exploration;
use crate::verdict::Verdict;
use std::cell::RefCell;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const CHILD: &str = "RACE_HARNESS_CHILD";
const REPORT: &str = "RACE_HARNESS_REPORT";
const PRIOR: &str = "RACE_HARNESS_PRIOR";
const PROGRESS: &str = "RACE_HARNESS_PROGRESS";

/// The longest a child may run one model before it is stopped: the
/// course's longest check takes seconds, so ten minutes means a model far
/// too big for its bound.
const TIME_LIMIT: Duration = Duration::from_secs(600);

/// The longest one execution may take, by default, before the child is
/// stopped as blocked. Loom runs an execution in microseconds to milliseconds, and it
/// never blocks for real (a blocked loom thread is a deadlock it reports);
/// an execution with no end after 20 s has a thread blocked on something
/// loom does not control.
pub(crate) const STALL_LIMIT: Duration = Duration::from_secs(20);

/// How often the child writes how many executions it has started.
const PROGRESS_EVERY: Duration = Duration::from_millis(250);

/// What the current process does with the check numbered `index` in its test.
pub(crate) enum Role {
    /// Run it in a child process, here the parent (a libtest test thread).
    Parent {
        /// The libtest name of the running test.
        test: String,
    },
    /// This is the child, and this is the check it was started for.
    Run,
    /// This is the child, and this check ran earlier in the parent: its
    /// verdict, and its exploration if it was recorded for the test to read.
    Replay(Box<Earlier>),
    /// Not under libtest (a plain binary): run it in this process.
    Alone,
}

/// A check the current test ran before: what a child running a later one
/// replays in its place.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Earlier {
    pub verdict: Verdict,
    /// Kept only for a check whose exploration the test reads
    /// (`run_recorded`): the code after it runs in the child too.
    pub exploration: Option<Exploration>,
}

thread_local! {
    /// The checks the current test has run so far.
    static EARLIER: RefCell<Vec<Earlier>> = const { RefCell::new(Vec::new()) };
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
        let prior: Vec<Earlier> =
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

/// Remembers a check of the current test, for the children of its later
/// checks: its verdict, and its exploration if the test reads it.
pub(crate) fn remember(verdict: &Verdict, exploration: Option<&Exploration>) {
    let earlier = Earlier {
        verdict: verdict.clone(),
        exploration: exploration.cloned(),
    };
    EARLIER.with(|all| all.borrow_mut().push(earlier));
}

/// Separates one execution's output from the next in the child's stdout:
/// the parent shows what the failing execution printed.
const EXECUTION_MARK: &str = "\u{1e}race-harness: next execution\u{1e}";

/// In the child: marks the start of an execution in its stdout.
pub(crate) fn mark_execution() {
    if std::env::var_os(CHILD).is_some() {
        use std::io::Write;
        let mut stdout = std::io::stdout().lock();
        let _ = write!(stdout, "\n{EXECUTION_MARK}\n");
        let _ = stdout.flush();
    }
}

/// What execution `n` (from 1) printed, from the child's whole stdout:
/// the failing one, which is the last unless the check explored past
/// failures; the last if there were fewer.
fn execution_output(stdout: &str, n: usize) -> String {
    match stdout.split(EXECUTION_MARK).nth(n) {
        Some(that) => that.trim().to_string(),
        None => match stdout.rsplit_once(EXECUTION_MARK) {
            Some((_, last)) => last.trim().to_string(),
            None => String::new(),
        },
    }
}

/// In the child: until the returned guard is dropped, writes how many
/// executions have started (`executions`) where the parent reads it, so the
/// parent can tell a model that is slow from one that is blocked.
pub(crate) fn report_progress(executions: Arc<AtomicUsize>) -> Option<ProgressReporter> {
    let path = std::env::var_os(PROGRESS)?;
    let done = Arc::new(AtomicBool::new(false));
    let stop = Arc::clone(&done);
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            let _ = fs::write(&path, executions.load(Ordering::Relaxed).to_string());
            std::thread::sleep(PROGRESS_EVERY);
        }
    });
    Some(ProgressReporter(done))
}

/// Stops [`report_progress`]'s thread when dropped.
pub(crate) struct ProgressReporter(Arc<AtomicBool>);

impl Drop for ProgressReporter {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// In the child: writes the verdict where the parent reads it, and exits.
pub(crate) fn report_and_exit(verdict: &Verdict, exploration: Option<&Exploration>) -> ! {
    save_early(verdict);
    if let Some(exploration) = exploration {
        save_exploration(exploration);
    }
    std::process::exit(0)
}

/// In the child: writes every execution recorded where the parent reads it.
pub(crate) fn save_exploration(exploration: &Exploration) {
    if let Ok(report) = std::env::var(REPORT) {
        let json = serde_json::to_string(exploration).expect("an exploration serialises");
        let _ = fs::write(format!("{report}.explore"), json);
    }
}

/// In the child: writes the verdict where the parent reads it.
pub(crate) fn save_early(verdict: &Verdict) {
    if let Ok(report) = std::env::var(REPORT) {
        let json = serde_json::to_string(verdict).expect("a verdict serialises");
        let _ = fs::write(report, json);
    }
}

/// In the parent: runs check `index` of `test` in a child and returns its verdict.
pub(crate) fn run(
    test: &str,
    index: usize,
    stall_limit: Duration,
) -> (Verdict, Option<Exploration>) {
    static UNIQUE: AtomicUsize = AtomicUsize::new(0);
    let stem = format!(
        "race-harness-{}-{}",
        std::process::id(),
        UNIQUE.fetch_add(1, Ordering::Relaxed)
    );
    let file = |suffix: &str| -> PathBuf { std::env::temp_dir().join(format!("{stem}{suffix}")) };
    let (report, prior, output, progress, printed) = (
        file(".json"),
        file("-prior.json"),
        file(".stderr"),
        file("-progress"),
        file(".stdout"),
    );

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
            // The model's own prints reach the stdout file below, where
            // the execution marks divide them.
            "--nocapture",
        ])
        .env(CHILD, index.to_string())
        .env(REPORT, &report)
        .env(PRIOR, &prior)
        .env(PROGRESS, &progress)
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(fs::File::create(&printed).expect("the temporary directory is writable"))
        .stderr(fs::File::create(&output).expect("the temporary directory is writable"))
        .spawn()
        .expect("the test binary can run itself");

    let started = Instant::now();
    // The executions the child has started, and when that last changed.
    let mut seen = (None::<String>, Instant::now());
    let ended = loop {
        if let Some(status) = child.try_wait().expect("the child can be waited for") {
            break Ended::Exited(status.to_string());
        }
        let now = fs::read_to_string(&progress).ok();
        if now.is_some() && now != seen.0 {
            seen = (now, Instant::now());
        }
        let stopped = if seen.1.elapsed() > stall_limit {
            Some(Ended::Stalled(seen.0.clone().unwrap_or_default()))
        } else if started.elapsed() > TIME_LIMIT {
            Some(Ended::TooLong(seen.0.clone().unwrap_or_default()))
        } else {
            None
        };
        if let Some(stopped) = stopped {
            let _ = child.kill();
            let _ = child.wait();
            break stopped;
        }
        std::thread::sleep(Duration::from_millis(5));
    };

    let verdict: Option<Verdict> = read_json(&report);
    let explored = PathBuf::from(format!("{}.explore", report.display()));
    let exploration: Option<Exploration> = read_json(&explored);
    let model_printed = fs::read_to_string(&printed).unwrap_or_default();
    let printed_path = printed;
    let printed = fs::read_to_string(&output).unwrap_or_default();
    for path in [
        &report,
        &prior,
        &output,
        &progress,
        &explored,
        &printed_path,
    ] {
        let _ = fs::remove_file(path);
    }
    if let Some(mut verdict) = verdict {
        if let Verdict::Failed(failure) = &mut verdict {
            failure.printed = execution_output(&model_printed, failure.explored.executions);
        }
        return (verdict, exploration);
    }
    let why = match ended {
        Ended::Stalled(executions) => format!(
            "execution {} made no progress for {} s, so loom is not in control of it: \
             a thread blocked outside loom (a std lock, a sleep, I/O or a std channel? \
             use the lab's sync types, `super::sync`, which loom schedules), or one \
             looping for ever without a lock, an atomic or anything else loom sees",
            executions.parse::<usize>().unwrap_or(0).max(1),
            stall_limit.as_secs()
        ),
        Ended::TooLong(executions) => format!(
            "it was still exploring after {} s and {executions} executions: the model is too \
             big for its bound; lower the check's preemption bound",
            TIME_LIMIT.as_secs()
        ),
        Ended::Exited(status) => format!("it ended without a verdict ({status})"),
    };
    // The message is the test's failure: no backtrace of the harness.
    let printed = printed.trim();
    let printed = if printed.is_empty() {
        String::new()
    } else {
        format!("\nIt printed:\n{printed}")
    };
    let message = format!("check {index} of `{test}` was stopped: {why}.{printed}");
    eprintln!("{message}");
    std::panic::resume_unwind(Box::new(message))
}

/// How a child without a verdict ended.
enum Ended {
    /// It exited: its exit status.
    Exited(String),
    /// One execution ran too long: the number of executions started.
    Stalled(String),
    /// The whole check ran too long: the number of executions started.
    TooLong(String),
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Option<T> {
    serde_json::from_str(&fs::read_to_string(path).ok()?).ok()
}
