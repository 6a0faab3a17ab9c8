//! Running a loom model as a check, and what it found.

use crate::explore::{self, Exploration};
use crate::place::lab_name;
use crate::record::{self, Trace};
use crate::verdict::{Explored, Failure, FailureKind, Verdict, WentOn};
use crate::{book, child, render};
use std::cell::{Cell, RefCell};
use std::io::Write;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A loom model to run, with the bound it is explored to and how its result
/// is shown.
///
/// ```no_run
/// # fn two_increments() {}
/// let race = harness::Check::new("racy counter")
///     .preemption_bound(1)
///     .must_fail(two_increments);
/// assert!(race.trace.events.len() > 0);
/// ```
#[derive(Clone, Debug)]
pub struct Check {
    title: String,
    preemption_bound: Option<usize>,
    in_book: bool,
    quiet: bool,
    stall_limit: std::time::Duration,
    record_all: bool,
    past_failures: bool,
}

impl Check {
    /// A check titled `title` (shown in its output), explored to the
    /// default preemption bound of 2, as tokio's CI does.
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            preemption_bound: Some(2),
            in_book: false,
            quiet: false,
            stall_limit: child::STALL_LIMIT,
            record_all: false,
            past_failures: false,
        }
    }

    /// Stops the check as blocked if one execution runs longer than
    /// `limit` (default 20 s: loom runs one in milliseconds, so a longer one
    /// has a thread blocked on something loom does not control).
    pub fn stall_limit(mut self, limit: std::time::Duration) -> Self {
        self.stall_limit = limit;
        self
    }

    /// Explores executions with at most `bound` preemptions each: switches
    /// away from a thread that could have gone on.
    pub fn preemption_bound(mut self, bound: usize) -> Self {
        self.preemption_bound = Some(bound);
        self
    }

    /// Explores every interleaving, with no preemption bound: only for
    /// models small enough to finish.
    pub fn every_interleaving(mut self) -> Self {
        self.preemption_bound = None;
        self
    }

    /// Publishes this check's output in the book, as
    /// `book/src/traces/<package>/<title>.txt`, for `cargo xtask traces` to
    /// write and `cargo xtask test` to compare.
    pub fn in_book(mut self) -> Self {
        self.in_book = true;
        self
    }

    /// Prints only the verdict's headline, not the interleaving: for checks
    /// that exist to show another check can fail, whose traces would bury
    /// the ones the learner came for. The book's copy is always whole.
    pub fn quiet(mut self) -> Self {
        self.quiet = true;
        self
    }

    /// Goes on exploring past a failing execution, so that a recorded run
    /// (the book's stepper, `cargo xtask explore`) holds every execution
    /// within the bound, each failing one marked, not only those loom ran
    /// before the first failure. The verdict is unchanged: the first
    /// failing execution, with its trace and the count of executions up
    /// to it, as a check that stops there reports.
    ///
    /// Only failures the model judges with [`require!`](crate::require)
    /// let loom go on: the model keeps running and the failure is noted.
    /// A panic (an `assert!`, loom's report of a data race) or a deadlock
    /// still ends the exploration where it happens: loom raises both from
    /// inside a thread's step, unwinding the coroutine it runs the thread
    /// on, and cannot resume its search after that; catching the panic
    /// would leave loom's state half-unwound. So a model whose bug is a
    /// deadlock keeps the executions up to its first failure.
    ///
    /// Why the model judges rather than the harness catching an
    /// `assert!`'s panic: a spawned thread's panic unwinds out of its
    /// coroutine into loom's scheduler, past any `catch_unwind` in the
    /// model; and while a thread unwinds, loom relaxes its own checks
    /// (`thread::panicking()`), so the rest of that execution would be
    /// explored by other rules. A judged failure is noted where it
    /// happens, on any thread, and the execution ends as a passing one.
    pub fn explore_past_failures(mut self) -> Self {
        self.past_failures = true;
        self
    }

    /// Runs `model` recording every execution, as `cargo xtask explore`
    /// does: the verdict, and every execution's steps and outcome.
    pub fn run_recorded<F>(mut self, model: F) -> (Verdict, Exploration)
    where
        F: Fn() + Send + Sync + 'static,
    {
        self.record_all = true;
        let verdict = self.run(model);
        let exploration = LAST_EXPLORATION
            .with(|last| last.borrow_mut().take())
            .expect("a recorded run keeps its exploration");
        (verdict, exploration)
    }

    /// The check's title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// Whether the book shows this check's output.
    pub fn is_in_book(&self) -> bool {
        self.in_book
    }

    /// Runs `model` in every execution loom explores, prints the verdict
    /// (and the failing interleaving, if any) where the learner sees it,
    /// and returns it.
    ///
    /// Under `cargo test` the model runs in a child process (this test
    /// binary, run again on this one test), so a deadlock or an abort in
    /// the model cannot take the other tests down.
    pub fn run<F>(&self, model: F) -> Verdict
    where
        F: Fn() + Send + Sync + 'static,
    {
        let index = next_check_index();
        let (verdict, exploration) = match child::role(index) {
            child::Role::Replay(earlier) => {
                let child::Earlier {
                    verdict,
                    exploration,
                } = *earlier;
                LAST_EXPLORATION.with(|last| *last.borrow_mut() = exploration);
                return verdict;
            }
            child::Role::Run => {
                let (verdict, exploration) = run_here(self, model);
                child::report_and_exit(&verdict, exploration.as_ref())
            }
            child::Role::Parent { test } => child::run(&test, index, self.stall_limit),
            child::Role::Alone => run_here(self, model),
        };
        if let Some(exploration) = &exploration {
            explore::publish(self.in_book, exploration);
        }
        child::remember(&verdict, exploration.as_ref().filter(|_| self.record_all));
        LAST_EXPLORATION.with(|last| *last.borrow_mut() = exploration);
        let text = render::render(&lab_name(), &verdict);
        if self.quiet {
            show_to_learner(&format!(
                "{} · explored {}",
                render::headline(&lab_name(), &verdict),
                render::explored_text(verdict.explored())
            ));
        } else {
            show_to_learner(&text);
        }
        book::publish(&self.title, self.in_book, &text);
        verdict
    }

    /// Runs a model that must fail: returns the failure loom found, and
    /// fails the test if loom found none ("no race found"). An execution
    /// that only ran past loom's limits is not a race, and fails the test too.
    pub fn must_fail<F>(&self, model: F) -> Failure
    where
        F: Fn() + Send + Sync + 'static,
    {
        match self.run(model) {
            Verdict::Failed(failure) if failure.kind == FailureKind::LoomLimit => {
                fail_test(format!(
                    "no race found in `{}`: loom gave up on an execution that ran past its limits \
                 ({}), which proves nothing about a race",
                    failure.explored.title, failure.message,
                ))
            }
            Verdict::Failed(failure) => failure,
            Verdict::Passed(explored) => fail_test(format!(
                "no race found in `{}`: loom explored {} and every one passed, \
                 so this check cannot fail and proves nothing.{}",
                explored.title,
                render::explored_text(&explored),
                match explored.preemption_bound {
                    Some(bound) => format!(
                        " If the race needs more preemptions than {bound}, try \
                         `.preemption_bound({})` (each one more multiplies the executions), \
                         or `.every_interleaving()` for a small model.",
                        bound + 1
                    ),
                    None => String::from(
                        " Every interleaving was explored: the model never runs the racy code \
                         in a way that fails (is the assertion checking the right thing?).",
                    ),
                }
            )),
        }
    }

    /// Runs a model that must pass: returns what was explored, and fails the
    /// test, showing the failing interleaving, if loom found one.
    pub fn must_pass<F>(&self, model: F) -> Explored
    where
        F: Fn() + Send + Sync + 'static,
    {
        match self.run(model) {
            Verdict::Passed(explored) => explored,
            Verdict::Failed(failure) => {
                if self.quiet {
                    // A quiet check printed its headline only; a check that
                    // must pass and failed shows its trace whatever it is.
                    show_to_learner(&render::render(
                        &lab_name(),
                        &Verdict::Failed(failure.clone()),
                    ));
                }
                fail_test(format!(
                    "loom found a failing interleaving in `{}` after {} (printed above): {}",
                    failure.explored.title,
                    render::explored_text(&failure.explored),
                    failure.summary(),
                ))
            }
        }
    }
}

/// Fails the current test with `message` and no backtrace: the verdict and
/// the interleaving were printed already, and a backtrace of the harness
/// would only bury them. (`resume_unwind` skips the panic hook, which is
/// what prints backtraces; libtest shows what was `eprintln!`ed.)
fn fail_test(message: String) -> ! {
    eprintln!("{message}");
    panic::resume_unwind(Box::new(message))
}

thread_local! {
    /// The executions recorded so far by the check running on this thread.
    static RECORDED: RefCell<Option<Runs>> = const { RefCell::new(None) };
    /// The exploration of the last check run on this thread, if it recorded.
    static LAST_EXPLORATION: RefCell<Option<Exploration>> = const { RefCell::new(None) };
    /// How many checks the current test has run: identifies a check when
    /// the test is run again in a child process.
    static CHECKS_RUN: Cell<usize> = const { Cell::new(0) };
    /// Set while a model runs on this thread: its panics are the model's.
    static IN_MODEL: Cell<bool> = const { Cell::new(false) };
    /// The first panic of the model running on this thread, and what had
    /// been explored when it happened.
    static FIRST_PANIC: RefCell<Option<Failure>> = const { RefCell::new(None) };
    /// The check running on this thread and its execution count, for the
    /// panic hook.
    static RUNNING: RefCell<Option<(Explored, Arc<AtomicUsize>)>> = const { RefCell::new(None) };
    /// The failures judged so far, while a check exploring past them runs.
    static JUDGED: RefCell<Option<Judged>> = const { RefCell::new(None) };
}

fn next_check_index() -> usize {
    CHECKS_RUN.with(|n| {
        let index = n.get();
        n.set(index + 1);
        index
    })
}

/// Writes straight to the process's stderr: libtest captures `print!` and
/// `eprint!` of passing tests, and the learner must see the verdict.
pub(crate) fn show_to_learner(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(format!("\n{text}\n").as_bytes());
}

/// Runs the model in this process, under loom.
pub(crate) fn run_here<F>(check: &Check, model: F) -> (Verdict, Option<Exploration>)
where
    F: Fn() + Send + Sync + 'static,
{
    // Every execution's trace and outcome, when this run explores.
    let runs = explore::wanted(check.record_all, check.in_book)
        .then(|| Arc::new(std::sync::Mutex::new(Vec::new())));
    // The panic hook saves the exploration too, in case loom aborts while
    // it unwinds a deadlock (as it saves the verdict).
    RECORDED.with(|r| *r.borrow_mut() = runs.clone());
    let ran = run_model(check, model, runs.clone());
    RECORDED.with(|r| r.borrow_mut().take());
    let verdict = ran.verdict;
    let exploration = runs.map(|runs| {
        let mut runs = std::mem::take(&mut *runs.lock().unwrap_or_else(|e| e.into_inner()));
        if let Some(failure) = &ran.stopped_by {
            // The execution that stopped loom: its own name for its outcome,
            // if it gave one before it failed; else what failed.
            let named = explore::take_outcome().unwrap_or_else(|| failure.outcome());
            runs.push((failure.trace.clone(), Some(named), true));
        }
        let explored = Explored {
            executions: ran.executions,
            ..verdict.explored().clone()
        };
        explore::build(&explored, check.past_failures, runs)
    });
    (verdict, exploration)
}

/// Each execution's trace, the outcome it named, and whether it failed.
type Runs = Arc<std::sync::Mutex<Vec<(Trace, Option<String>, bool)>>>;

/// What running a model under loom found.
struct Ran {
    verdict: Verdict,
    /// The failure that stopped loom (a panic or a deadlock), if one did:
    /// the verdict's, unless a check exploring past failures judged one
    /// failed before it.
    stopped_by: Option<Failure>,
    /// How many executions loom ran in all.
    executions: usize,
}

/// The failures judged by [`require!`](crate::require) while a check that
/// explores past them runs.
#[derive(Default)]
struct Judged {
    /// The first failing execution, as the verdict reports it.
    first: Option<Failure>,
    /// The running execution's failure, if it failed: its trace when it
    /// failed and its outcome then (named by the model, or what failed).
    this: Option<(Trace, String)>,
    /// How many executions failed so far.
    failed: usize,
}

/// The running check's judged failures, if it explores past them.
fn first_judged() -> Option<Failure> {
    JUDGED.with(|j| j.borrow().as_ref().and_then(|j| j.first.clone()))
}

/// Fails the running execution with `message`, as [`require!`](crate::require)
/// does when its condition is false. In a check that explores past
/// failures ([`Check::explore_past_failures`]) the failure is noted (the
/// first one of the check is its verdict) and the execution goes on, so
/// loom goes on to the next; anywhere else it panics, as `assert!` does,
/// at the caller's line.
#[track_caller]
pub fn fail(message: String) {
    let location = std::panic::Location::caller();
    let noted = JUDGED.with(|j| {
        let mut judged = j.borrow_mut();
        let Some(judged) = judged.as_mut() else {
            return false;
        };
        if judged.this.is_some() {
            return true; // this execution failed already: its first failure counts
        }
        let explored = RUNNING.with(|r| {
            r.borrow().as_ref().map(|(explored, executions)| Explored {
                executions: executions.load(Ordering::Relaxed),
                ..explored.clone()
            })
        });
        let Some(explored) = explored else {
            return false;
        };
        let failure = Failure {
            explored,
            kind: FailureKind::Panic,
            message: message.clone(),
            file: location.file().to_string(),
            line: location.line(),
            trace: record::snapshot(),
            printed: String::new(),
            went_on: None,
        };
        let named = explore::take_outcome().unwrap_or_else(|| failure.outcome());
        judged.this = Some((failure.trace.clone(), named));
        judged.failed += 1;
        judged.first.get_or_insert(failure);
        true
    });
    if !noted {
        panic!("{message}");
    }
}

fn run_model<F>(check: &Check, model: F, runs: Option<Runs>) -> Ran
where
    F: Fn() + Send + Sync + 'static,
{
    install_panic_hook();
    let executions = Arc::new(AtomicUsize::new(0));
    let explored = Explored {
        title: check.title.clone(),
        executions: 0,
        preemption_bound: check.preemption_bound,
    };
    RUNNING.with(|r| *r.borrow_mut() = Some((explored.clone(), executions.clone())));
    FIRST_PANIC.with(|p| p.borrow_mut().take());
    JUDGED.with(|j| *j.borrow_mut() = check.past_failures.then(Judged::default));

    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = check.preemption_bound;
    builder.checkpoint_file = None;
    let counter = executions.clone();
    let _progress = child::report_progress(executions.clone());
    IN_MODEL.with(|m| m.set(true));
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        builder.check(move || {
            counter.fetch_add(1, Ordering::Relaxed);
            child::mark_execution();
            record::begin_execution();
            explore::take_outcome();
            model();
            // A failure judged in this execution: it ends failed, as of
            // when it failed (what it did after is not shown).
            let judged = JUDGED.with(|j| j.borrow_mut().as_mut().and_then(|j| j.this.take()));
            let named = explore::take_outcome();
            if let Some(runs) = &runs {
                let run = match judged {
                    Some((trace, named)) => (trace, Some(named), true),
                    None => (record::snapshot(), named, false),
                };
                runs.lock().unwrap_or_else(|e| e.into_inner()).push(run);
            }
        })
    }));
    IN_MODEL.with(|m| m.set(false));
    RUNNING.with(|r| r.borrow_mut().take());
    let judged = JUDGED.with(|j| j.borrow_mut().take());
    let trace = record::finish();

    let explored = Explored {
        executions: executions.load(Ordering::Relaxed),
        ..explored
    };
    let stopped_by = match (outcome, FIRST_PANIC.with(|p| p.borrow_mut().take())) {
        (Ok(()), _) => None,
        (Err(_), Some(failure)) => Some(Failure {
            explored: explored.clone(),
            trace,
            ..failure
        }),
        (Err(_), None) => Some(Failure {
            explored: explored.clone(),
            kind: FailureKind::Panic,
            message: String::from("the model panicked with no message"),
            file: String::new(),
            line: 0,
            trace,
            printed: String::new(),
            went_on: None,
        }),
    };
    // The first failure is the verdict: a judged one, if any came before
    // what stopped loom; and if nothing stopped loom, how far it went on.
    let went_on = judged.as_ref().map(|j| WentOn {
        executions: explored.executions,
        failed: j.failed,
    });
    let verdict = match (judged.and_then(|j| j.first), &stopped_by) {
        (Some(first), None) => Verdict::Failed(Failure { went_on, ..first }),
        (Some(first), Some(_)) => Verdict::Failed(first),
        (None, Some(failure)) => Verdict::Failed(failure.clone()),
        (None, None) => Verdict::Passed(explored.clone()),
    };
    Ran {
        verdict,
        stopped_by,
        executions: explored.executions,
    }
}

/// Whether this thread is running a loom model (its threads are
/// coroutines on this one thread).
pub(crate) fn in_model() -> bool {
    IN_MODEL.with(|m| m.get())
}

/// Keeps the model's panics quiet (the harness prints them as a verdict)
/// and saves the first one, with the trace so far, before loom unwinds.
fn install_panic_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !IN_MODEL.with(|m| m.get()) {
                return previous(info);
            }
            if FIRST_PANIC.with(|p| p.borrow().is_some()) {
                return; // loom unwinding after the first failure
            }
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let kind = if message.starts_with("deadlock") {
                FailureKind::Deadlock
            } else if message.contains("Model exceeded") || message.contains("max_threads") {
                FailureKind::LoomLimit
            } else {
                FailureKind::Panic
            };
            let (file, line) = info
                .location()
                .map(|l| (l.file().to_string(), l.line()))
                .unwrap_or_default();
            let explored = RUNNING.with(|r| {
                r.borrow().as_ref().map(|(explored, executions)| Explored {
                    executions: executions.load(Ordering::Relaxed),
                    ..explored.clone()
                })
            });
            let Some(explored) = explored else { return };
            let failure = Failure {
                explored,
                kind,
                message,
                file,
                line,
                trace: record::snapshot(),
                printed: String::new(),
                went_on: None,
            };
            // A deadlock can make loom abort while it unwinds: a child
            // process saves its verdict now, while it still can.
            // (In a check exploring past failures, a failure judged
            // earlier is the verdict.)
            child::save_early(&Verdict::Failed(
                first_judged().unwrap_or_else(|| failure.clone()),
            ));
            if let Some(runs) = RECORDED.with(|r| r.borrow().clone()) {
                let mut runs = runs.lock().unwrap_or_else(|e| e.into_inner()).clone();
                let named = explore::take_outcome().unwrap_or_else(|| failure.outcome());
                explore::put_back_outcome(&named);
                runs.push((failure.trace.clone(), Some(named), true));
                let past = JUDGED.with(|j| j.borrow().is_some());
                child::save_exploration(&explore::build(&failure.explored, past, runs));
            }
            FIRST_PANIC.with(|p| *p.borrow_mut() = Some(failure));
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::{Explored, Failure, FailureKind};

    fn failure(kind: FailureKind, message: &str) -> Failure {
        Failure {
            explored: Explored {
                title: String::from("no back-out"),
                executions: 83,
                preemption_bound: None,
            },
            kind,
            message: message.to_string(),
            file: String::new(),
            line: 0,
            trace: Default::default(),
            printed: String::new(),
            went_on: None,
        }
    }

    #[test]
    fn a_deadlock_as_an_outcome_names_no_trace_and_after_a_trace_points_to_it() {
        let deadlock = failure(FailureKind::Deadlock, "deadlock; threads = [(Id(0), …)]");
        // The explorer prints outcomes with no trace above them.
        assert_eq!(deadlock.outcome(), "a deadlock: no thread can go on");
        // A failed must_pass prints its summary after the trace.
        assert!(deadlock.summary().contains("the trace above"));
        let panic = failure(FailureKind::Panic, "job 1 of row 1 ran in row 2");
        assert_eq!(panic.outcome(), "job 1 of row 1 ran in row 2");
    }
}
