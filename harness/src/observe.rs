//! Observed on this machine: a lab's model compiled on std's types and run
//! on real threads many times, its outcomes counted, to set beside the
//! outcomes loom explored for the same model.
//!
//! Loom says what *can* happen (every interleaving within a bound); a real
//! run says what *does*, on this CPU, how often. A lab lists its models in
//! `src/observed.rs` (each under the title of the loom check that runs the
//! same code), its `examples/observe.rs` calls [`main`], and
//! `cargo xtask explore NN --real [RUNS]` prints both side by side.
//!
//! A run that makes no progress for [`STALL`] is counted as hung (a deadlock
//! or a lost wake-up, what loom calls "no thread can go on"): its threads
//! cannot be killed, so they are left blocked, and after the budget's hangs
//! ([`MAX_HANGS`] by default, 1 in tests) the model stops early and says so.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once, mpsc};
use std::time::{Duration, Instant};

/// How long a run may make no progress before it is counted as hung. A run
/// takes microseconds; two seconds is far beyond any scheduling delay.
pub const STALL: Duration = Duration::from_secs(2);

/// Hung runs after which a model stops, by default: each leaves threads
/// blocked for good.
pub const MAX_HANGS: u64 = 3;

/// What loom calls a run where no thread can go on; a hung real run is
/// named the same, so the two tables meet.
pub const HUNG: &str = "a deadlock: no thread can go on";

/// One of a lab's models, on std's types.
pub struct Model {
    /// The title of the loom check that explores the same model.
    pub title: &'static str,
    /// One run: builds its own objects, spawns its threads, joins them, and
    /// names its outcome with [`crate::outcome`] or fails an assertion.
    pub run: fn(),
    /// The same bug with a wider window, where one run shows it too rarely.
    pub wider: Option<Wider>,
}

/// The same bug given more chances per run, and what changed.
pub struct Wider {
    /// What widens the window, for the reader: "each thread increments
    /// 10,000 times instead of once".
    pub how: &'static str,
    /// One run of the wider version.
    pub run: fn(),
}

/// How much to run each model: whichever of the two ends first.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    /// Runs at most.
    pub runs: u64,
    /// Seconds at most (the wider version gets the same again), not
    /// counting the waits that found a run hung.
    pub seconds: f64,
    /// Hung runs at most: each leaves its threads blocked for good, and
    /// costs [`STALL`] to find.
    pub hangs: u64,
}

impl Budget {
    /// What `--real` runs without a count: a few seconds per model.
    pub const DEFAULT: Budget = Budget {
        runs: 100_000,
        seconds: 3.0,
        hangs: MAX_HANGS,
    };
}

/// How many runs ended in one outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counted {
    /// The outcome the run named, its failure's message, or [`HUNG`].
    pub outcome: String,
    /// Whether the run failed (an assertion, a panic, or hung).
    pub failed: bool,
    /// Runs that ended this way.
    pub runs: u64,
}

/// One model's runs on real threads.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Observation {
    /// The loom check's title.
    pub title: String,
    /// Runs finished or hung.
    pub runs: u64,
    /// Wall-clock seconds the runs took.
    pub seconds: f64,
    /// Outcomes, the most frequent first.
    pub outcomes: Vec<Counted>,
    /// Why the runs stopped before the budget, if they did.
    pub stopped: Option<String>,
    /// The wider version's runs, if the model has one.
    pub wider: Option<WiderObservation>,
}

impl Observation {
    /// Runs that failed (an assertion, a panic, or hung).
    pub fn failed_runs(&self) -> u64 {
        self.outcomes
            .iter()
            .filter(|c| c.failed)
            .map(|c| c.runs)
            .sum()
    }
}

/// The wider version's runs.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WiderObservation {
    /// What widens the window.
    pub how: String,
    /// Its runs.
    pub observed: Box<Observation>,
}

/// The machine the runs were on.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Machine {
    /// `x86_64`, `aarch64`...
    pub arch: String,
    /// Logical CPUs this process may use.
    pub cpus: usize,
    /// The CPU's model name, from `/proc/cpuinfo` where there is one.
    pub cpu: String,
}

impl Machine {
    /// This machine.
    pub fn this() -> Machine {
        let cpu = std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|info| {
                info.lines()
                    .find(|l| l.starts_with("model name"))
                    .and_then(|l| l.split_once(':'))
                    .map(|(_, name)| name.trim().to_string())
            })
            .unwrap_or_else(|| String::from("unknown CPU"));
        Machine {
            arch: std::env::consts::ARCH.to_string(),
            cpus: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cpu,
        }
    }

    /// "x86_64, 2 CPUs (AMD EPYC 7B13)".
    pub fn describe(&self) -> String {
        format!("{}, {} CPUs ({})", self.arch, self.cpus, self.cpu)
    }
}

/// A lab's observations, as `--json` writes them and the book keeps its
/// reference run (`book/src/observed/lab-NN.json`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Report {
    /// `lab-01`.
    pub lab: String,
    /// Where the runs were made.
    pub machine: Machine,
    /// One per model, in the lab's order.
    pub observations: Vec<Observation>,
}

/// Set while runs are observed: the panic hook keeps the models' panics
/// quiet (they are counted, not printed) and keeps the first one's message.
static OBSERVING: AtomicBool = AtomicBool::new(false);
static FIRST_PANIC: Mutex<Option<String>> = Mutex::new(None);
/// One model observed at a time in a process: the panic slot is shared.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
/// The name of the thread that runs the observed runs.
const WORKER: &str = "observed run";

fn install_panic_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            // Only the observed runs' threads: the worker, named, and the
            // threads its model spawns, unnamed. Other tests of the same
            // process (libtest names their threads) and loom's models keep
            // the hook they had.
            let observed_thread = std::thread::current()
                .name()
                .is_none_or(|name| name == WORKER);
            if !OBSERVING.load(Ordering::SeqCst) || !observed_thread || crate::check::in_model() {
                return previous(info);
            }
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| String::from("the model panicked with no message"));
            let mut first = FIRST_PANIC.lock().unwrap_or_else(|e| e.into_inner());
            first.get_or_insert(message);
        }));
    });
}

/// Runs `run` on real threads until `budget` ends, counting its outcomes.
pub fn observe(title: &str, run: fn(), budget: Budget) -> Observation {
    observe_with_stall(title, run, budget, STALL)
}

/// [`observe`], with a run counted as hung after `stall` without progress.
fn observe_with_stall(title: &str, run: fn(), budget: Budget, stall: Duration) -> Observation {
    install_panic_hook();
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    OBSERVING.store(true, Ordering::SeqCst);
    let started = Instant::now();
    let mut counts: BTreeMap<(String, bool), u64> = BTreeMap::new();
    let mut runs = 0u64;
    let mut hangs = 0u64;
    let mut stopped = None;
    // The time budget counts the runs, not the waits that found a run hung
    // (each `stall` long): a model that hangs often still gets its runs.
    let over = |runs: u64, hangs: u64| {
        let waited = stall.as_secs_f64() * hangs as f64;
        runs >= budget.runs || started.elapsed().as_secs_f64() - waited >= budget.seconds
    };
    'workers: while !over(runs, hangs) {
        // One worker runs the model again and again and reports each run; a
        // run that hangs keeps its worker, and a new worker goes on.
        let (report, reports) = mpsc::channel::<(String, bool)>();
        let go_on = std::sync::Arc::new(AtomicBool::new(true));
        let worker_goes_on = std::sync::Arc::clone(&go_on);
        // Runs this worker may start: never more than the budget's runs.
        let allowed = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(budget.runs - runs));
        let worker_allowed = std::sync::Arc::clone(&allowed);
        let worker = std::thread::Builder::new()
            .name(String::from(WORKER))
            .spawn(move || {
                while worker_goes_on.load(Ordering::SeqCst)
                    && worker_allowed
                        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                        .is_ok()
                {
                    *FIRST_PANIC.lock().unwrap_or_else(|e| e.into_inner()) = None;
                    crate::explore::take_outcome();
                    let result = panic::catch_unwind(AssertUnwindSafe(run));
                    let named = crate::explore::take_outcome();
                    let panicked = FIRST_PANIC.lock().unwrap_or_else(|e| e.into_inner()).take();
                    let ended = match (result, panicked) {
                        (Ok(()), None) => (named.unwrap_or_else(|| String::from("passed")), false),
                        (_, message) => (
                            named.or(message).unwrap_or_else(|| {
                                String::from("the model panicked with no message")
                            }),
                            true,
                        ),
                    };
                    if report.send(ended).is_err() {
                        return;
                    }
                }
            })
            .expect("a thread for the observed runs");
        loop {
            match reports.recv_timeout(stall) {
                Ok(ended) => {
                    *counts.entry(ended).or_default() += 1;
                    runs += 1;
                    if over(runs, hangs) {
                        go_on.store(false, Ordering::SeqCst);
                        // Its run in progress ends (and is counted) before
                        // the next model starts, so no two runs share the
                        // panic slot.
                        match reports.recv_timeout(stall) {
                            Ok(ended) => {
                                *counts.entry(ended).or_default() += 1;
                                runs += 1;
                                let _ = worker.join();
                            }
                            Err(mpsc::RecvTimeoutError::Disconnected) => {
                                let _ = worker.join();
                            }
                            Err(mpsc::RecvTimeoutError::Timeout) => {
                                runs += 1;
                                *counts.entry((String::from(HUNG), true)).or_default() += 1;
                            }
                        }
                        break 'workers;
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    // The worker ran all the runs it was allowed.
                    let _ = worker.join();
                    break 'workers;
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    runs += 1;
                    hangs += 1;
                    *counts.entry((String::from(HUNG), true)).or_default() += 1;
                    if hangs >= budget.hangs {
                        stopped = Some(format!(
                            "stopped after {hangs} hung runs: each leaves its threads blocked for good"
                        ));
                        break 'workers;
                    }
                    continue 'workers;
                }
            }
        }
    }
    OBSERVING.store(false, Ordering::SeqCst);
    let mut outcomes: Vec<Counted> = counts
        .into_iter()
        .map(|((outcome, failed), runs)| Counted {
            outcome,
            failed,
            runs,
        })
        .collect();
    outcomes.sort_by(|a, b| b.runs.cmp(&a.runs).then(a.outcome.cmp(&b.outcome)));
    Observation {
        title: title.to_string(),
        runs,
        seconds: started.elapsed().as_secs_f64(),
        outcomes,
        stopped,
        wider: None,
    }
}

/// Observes a model and, if it has one, its wider version.
pub fn observe_model(model: &Model, budget: Budget) -> Observation {
    let mut observed = observe(model.title, model.run, budget);
    if let Some(wider) = &model.wider {
        observed.wider = Some(WiderObservation {
            how: wider.how.to_string(),
            observed: Box::new(observe(model.title, wider.run, budget)),
        });
    }
    observed
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "3 of 100,000 runs" for each outcome, most frequent first.
pub fn describe(observed: &Observation) -> String {
    let mut text = String::new();
    for counted in &observed.outcomes {
        text.push_str(&format!(
            "  {:>9} of {} runs: {}{}\n",
            thousands(counted.runs),
            thousands(observed.runs),
            first_line(&counted.outcome),
            if counted.failed { "  (fails)" } else { "" }
        ));
    }
    if let Some(why) = &observed.stopped {
        text.push_str(&format!("  ({why})\n"));
    }
    text
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

/// One model's outcomes as `cargo xtask explore NN --real` prints them:
/// loom's executions beside this machine's runs, an outcome a row.
pub fn beside(loom: &crate::explore::Exploration, observed: &Observation) -> String {
    let mut out = format!(
        "\n{} · on real threads: {} runs in {:.1} s\n",
        observed.title,
        thousands(observed.runs),
        observed.seconds
    );
    out.push_str(&format!("  {:<44}  {:<34}  observed\n", "outcome", "loom"));
    // Loom's outcomes in its order, then any only the real runs showed.
    let mut rows: Vec<(String, bool)> = loom
        .outcomes
        .iter()
        .map(|o| (o.outcome.clone(), o.failed))
        .collect();
    for counted in &observed.outcomes {
        if !rows
            .iter()
            .any(|(o, f)| *o == counted.outcome && *f == counted.failed)
        {
            rows.push((counted.outcome.clone(), counted.failed));
        }
    }
    let loom_fails = loom.outcomes.iter().any(|o| o.failed);
    for (outcome, failed) in rows {
        let possible = match loom
            .outcomes
            .iter()
            .find(|o| o.outcome == outcome && o.failed == failed)
        {
            Some(o) => format!("possible ({} of {})", o.executions, loom.executions),
            None if loom_fails => String::from("not reached: stops at 1st failure"),
            None => match loom.preemption_bound {
                Some(n) => format!("not within bound {n}"),
                None => String::from("never"),
            },
        };
        let runs = observed
            .outcomes
            .iter()
            .find(|c| c.outcome == outcome && c.failed == failed)
            .map_or(0, |c| c.runs);
        let label = format!(
            "{}{}",
            if failed { "FAILS: " } else { "" },
            first_line(&outcome)
        );
        out.push_str(&format!(
            "  {:<44}  {possible:<34}  {} of {} runs\n",
            clip(&label, 44),
            thousands(runs),
            thousands(observed.runs)
        ));
    }
    if let Some(why) = &observed.stopped {
        out.push_str(&format!("  (the runs {why})\n"));
    }
    if loom_fails && observed.failed_runs() == 0 {
        out.push_str(&format!(
            "  Possible, yet not seen once in {} runs on this machine: running it did not \
             show this race; loom does.\n",
            thousands(observed.runs)
        ));
    }
    if let Some(wider) = &observed.wider {
        out.push_str(&format!(
            "  With a wider window ({}): {} of {} runs failed.\n",
            wider.how,
            thousands(wider.observed.failed_runs()),
            thousands(wider.observed.runs)
        ));
    }
    out
}

fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        let mut clipped: String = text.chars().take(width - 1).collect();
        clipped.push('…');
        clipped
    }
}

const USAGE: &str =
    "usage: observe [--runs N] [--seconds S] [--only TITLE] [--json FILE] [--quiet]";

/// The `observe` example of a lab: runs each of `models` on real threads
/// and prints the outcome counts (`--json FILE` also writes a [`Report`]).
/// Bad arguments exit 2 with the usage; an unknown `--only` lists the titles.
pub fn main(lab: &str, models: &[Model]) {
    let mut budget = Budget::DEFAULT;
    let mut only: Option<String> = None;
    let mut json: Option<std::path::PathBuf> = None;
    let mut quiet = false;
    let mut loom_folder: Option<std::path::PathBuf> = None;
    let mut args = std::env::args().skip(1);
    let refuse = |why: String| -> ! {
        eprintln!("{why}\n{USAGE}");
        std::process::exit(2)
    };
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .unwrap_or_else(|| refuse(format!("{name} needs a value")))
        };
        match arg.as_str() {
            "--runs" => {
                let text = value("--runs");
                budget.runs = match text.parse::<u64>() {
                    Ok(n) if n > 0 => n,
                    _ => refuse(format!("--runs takes a whole number above 0, not `{text}`")),
                };
                // A count asked for is run to the end (hangs aside).
                budget.seconds = f64::INFINITY;
            }
            "--seconds" => {
                let text = value("--seconds");
                budget.seconds = match text.parse::<f64>() {
                    Ok(s) if s > 0.0 && s.is_finite() => s,
                    _ => refuse(format!("--seconds takes a number above 0, not `{text}`")),
                };
            }
            "--only" => only = Some(value("--only")),
            "--json" => json = Some(value("--json").into()),
            "--quiet" => quiet = true,
            "--beside" => loom_folder = Some(value("--beside").into()),
            "-h" | "--help" => {
                println!("{USAGE}");
                return;
            }
            other => refuse(format!("unknown argument `{other}`")),
        }
    }
    let chosen: Vec<&Model> = models
        .iter()
        .filter(|m| only.as_deref().is_none_or(|o| m.title.contains(o)))
        .collect();
    if chosen.is_empty() {
        let titles: Vec<&str> = models.iter().map(|m| m.title).collect();
        refuse(format!(
            "no model of {lab} has `{}` in its title; its models: {}",
            only.unwrap_or_default(),
            titles.join(", ")
        ));
    }
    let machine = Machine::this();
    if !quiet {
        println!(
            "{lab}'s models on real threads, on {}:\n",
            machine.describe()
        );
    }
    let mut observations = Vec::new();
    for model in chosen {
        let observed = observe_model(model, budget);
        let loom = loom_folder.as_ref().and_then(|folder| {
            let path = folder.join(format!("{}.json", crate::book::slug(model.title)));
            let text = std::fs::read_to_string(path).ok()?;
            serde_json::from_str::<crate::explore::Exploration>(&text).ok()
        });
        if let Some(loom) = &loom {
            print!("{}", beside(loom, &observed));
        } else if !quiet {
            println!(
                "{} ({} runs in {:.1} s):",
                observed.title,
                thousands(observed.runs),
                observed.seconds
            );
            print!("{}", describe(&observed));
            if let Some(wider) = &observed.wider {
                println!("  With a wider window ({}):", wider.how);
                print!("{}", describe(&wider.observed));
            }
            println!();
        }
        observations.push(observed);
    }
    if let Some(path) = json {
        let report = Report {
            lab: lab.to_string(),
            machine,
            observations,
        };
        let text = serde_json::to_string_pretty(&report).expect("a report serialises");
        if let Err(e) = std::fs::write(&path, text + "\n") {
            eprintln!("could not write {}: {e}", path.display());
            std::process::exit(1);
        }
    }
}

/// What the book keeps of loom's exploration of `lab`'s check `title`
/// (`book/src/explore/<lab>/<slug>.json`, written by `cargo xtask traces`).
pub fn loom_exploration(lab: &str, title: &str) -> Result<crate::explore::Exploration, String> {
    let relative = std::path::PathBuf::from("book/src/explore")
        .join(lab)
        .join(format!("{}.json", crate::book::slug(title)));
    let path = crate::place::workspace_root().join(&relative);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "{}: {e}: a model observed on real threads must be a check in the book \
             (`.in_book()`), so that loom's outcomes are there to compare with",
            relative.display()
        )
    })?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", relative.display()))
}

/// Where a real run contradicts loom, in words; `None` where it does not.
///
/// Loom stops at its first failure, and a preemption bound leaves
/// executions out, so only what loom *passed* can be contradicted. A check
/// loom passed failed on real threads: the fix does not hold (beyond the
/// bound, if there is one), or the std copy of the model is not the code
/// loom checked. A check loom passed over every interleaving ended on real
/// threads in an outcome loom never produced: the two copies differ. An
/// outcome loom did not reach because it stopped or was bounded is no
/// contradiction; the tables mark it.
pub fn disagreement(loom: &crate::explore::Exploration, observed: &Observation) -> Option<String> {
    if loom.outcomes.iter().any(|o| o.failed) {
        return None;
    }
    let mut wrong = Vec::new();
    for counted in &observed.outcomes {
        if counted.failed {
            wrong.push(format!(
                "`{}` failed on real threads ({} of {} runs), but every execution loom explored \
                 passed",
                first_line(&counted.outcome),
                thousands(counted.runs),
                thousands(observed.runs)
            ));
        } else if loom.preemption_bound.is_none()
            && !loom.outcomes.iter().any(|o| o.outcome == counted.outcome)
        {
            wrong.push(format!(
                "`{}` ended {} real runs, and no execution of every interleaving loom explored",
                counted.outcome,
                thousands(counted.runs)
            ));
        }
    }
    (!wrong.is_empty()).then(|| format!("{}: {}", observed.title, wrong.join("; ")))
}

/// The chapter's quotes from the reference run: for each model, loom's
/// verdict and what real threads showed, between `ANCHOR: <slug>` lines so
/// a chapter includes one model's paragraph.
pub fn quotes(report: &Report, explorations: &[crate::explore::Exploration]) -> String {
    let mut text = format!(
        "<!-- Written by `cargo xtask observed`'s test from {}.json \
         (the reference run); do not edit. -->\n",
        report.lab
    );
    for observed in &report.observations {
        let Some(loom) = explorations.iter().find(|e| e.title == observed.title) else {
            continue;
        };
        let slug = crate::book::slug(&observed.title);
        text.push_str(&format!("\n<!-- ANCHOR: {slug} -->\n"));
        let loom_failures: usize = loom
            .outcomes
            .iter()
            .filter(|o| o.failed)
            .map(|o| o.executions)
            .sum();
        let bound = match loom.preemption_bound {
            Some(n) => format!("preemption bound {n}"),
            None => String::from("every interleaving"),
        };
        let loom_says = if loom_failures > 0 {
            format!(
                "loom finds the failure in {} of the {} executions it explored ({bound})",
                thousands(loom_failures as u64),
                thousands(loom.executions as u64)
            )
        } else {
            format!(
                "every one of the {} executions loom explored passes ({bound})",
                thousands(loom.executions as u64)
            )
        };
        let failed = observed.failed_runs();
        let real_says = if failed == 0 {
            format!(
                "none of {} runs on real threads failed",
                thousands(observed.runs)
            )
        } else {
            let kinds: Vec<String> = observed
                .outcomes
                .iter()
                .filter(|c| c.failed)
                .map(|c| format!("“{}” in {}", first_line(&c.outcome), thousands(c.runs)))
                .collect();
            format!(
                "of {} runs on real threads, {} failed: {}",
                thousands(observed.runs),
                thousands(failed),
                kinds.join(", ")
            )
        };
        text.push_str(&format!(
            "**Loom and real threads, “{}”.** In the model, {loom_says}; on the reference \
             machine ({}), {real_says}",
            observed.title,
            report.machine.describe(),
            real_says = real_says
        ));
        match &observed.wider {
            Some(wider) => {
                text.push_str(&format!(
                    ". With a wider window ({}), {} of {} runs failed.",
                    wider.how,
                    thousands(wider.observed.failed_runs()),
                    thousands(wider.observed.runs)
                ));
            }
            None => text.push('.'),
        }
        if let Some(why) = &observed.stopped {
            text.push_str(&format!(" (The runs {why}.)"));
        }
        text.push_str(&format!(
            " `cargo xtask explore {} --real` runs it on yours.\n",
            report.lab.trim_start_matches("lab-")
        ));
        text.push_str(&format!("<!-- ANCHOR_END: {slug} -->\n"));
    }
    text
}

/// How much the lab's test runs each model: enough to catch a fix that
/// fails often on real threads, short enough for CI (well under a second
/// per model). It proves nothing by itself: loom is the proof.
pub const TEST_BUDGET: Budget = Budget {
    runs: 2_000,
    seconds: 0.5,
    // One hang is as conclusive as three, and costs 2 s to find.
    hangs: 1,
};

/// A lab's test of its real-thread runs: every model is a check in the
/// book; a short run on real threads does not contradict loom (see
/// [`disagreement`]); the reference run in the book
/// (`book/src/observed/<lab>.json`) has the same models, and the chapter's
/// quotes made from it are current (`RACE_HARNESS_BOOK`, as for traces).
pub fn check_lab(lab: &str, models: &[Model]) {
    let explorations: Vec<crate::explore::Exploration> = models
        .iter()
        .map(|m| loom_exploration(lab, m.title).unwrap_or_else(|e| panic!("{e}")))
        .collect();
    for (model, loom) in models.iter().zip(&explorations) {
        let observed = observe_model(model, TEST_BUDGET);
        if let Some(wrong) = disagreement(loom, &observed) {
            panic!("real threads contradict loom: {wrong}");
        }
    }
    let relative = std::path::PathBuf::from("book/src/observed").join(format!("{lab}.json"));
    let path = crate::place::workspace_root().join(&relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}: record the reference run with `cargo xtask observed`",
            relative.display()
        )
    });
    let report: Report =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", relative.display()));
    let recorded: Vec<&str> = report
        .observations
        .iter()
        .map(|o| o.title.as_str())
        .collect();
    let listed: Vec<&str> = models.iter().map(|m| m.title).collect();
    assert_eq!(
        recorded,
        listed,
        "{} is not a run of the lab's models as they are listed now: record it again with \
         `cargo xtask observed`",
        relative.display()
    );
    for (observed, loom) in report.observations.iter().zip(&explorations) {
        if let Some(wrong) = disagreement(loom, observed) {
            panic!(
                "the reference run in {} contradicts loom: {wrong}",
                relative.display()
            );
        }
    }
    crate::book::keep_current(
        &std::path::PathBuf::from("book/src/observed").join(format!("{lab}.md")),
        &quotes(&report, &explorations),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explore::{Node, Outcome};

    const FEW: Budget = Budget {
        runs: 20,
        seconds: 5.0,
        hangs: MAX_HANGS,
    };

    fn loom_said(outcomes: &[(&str, bool)]) -> crate::explore::Exploration {
        crate::explore::Exploration {
            lab: String::from("lab-00"),
            title: String::from("a check"),
            preemption_bound: None,
            executions: outcomes.len(),
            past_failures: false,
            threads: Vec::new(),
            code: BTreeMap::new(),
            steps: Vec::new(),
            outcomes: outcomes
                .iter()
                .map(|(outcome, failed)| Outcome {
                    outcome: outcome.to_string(),
                    failed: *failed,
                    executions: 1,
                    shortest: String::new(),
                })
                .collect(),
            tree: Node(-1, 0, -1, Vec::new()),
        }
    }

    fn named_two() {
        crate::explore::outcome("count = 2");
    }

    fn fails_its_assertion() {
        crate::explore::outcome("count = 1");
        panic!("an update was lost");
    }

    fn panics_in_a_spawned_thread() {
        std::thread::spawn(|| panic!("the spawned thread failed"))
            .join()
            .unwrap();
    }

    fn blocks_for_ever() {
        loop {
            std::thread::park();
        }
    }

    #[test]
    fn every_run_is_counted_under_the_outcome_it_named() {
        let observed = observe("t", named_two, FEW);
        assert_eq!(observed.runs, 20);
        assert_eq!(
            observed.outcomes,
            vec![Counted {
                outcome: String::from("count = 2"),
                failed: false,
                runs: 20
            }]
        );
    }

    #[test]
    fn a_failed_assertion_is_a_failed_run_under_its_named_outcome() {
        let observed = observe("t", fails_its_assertion, FEW);
        assert_eq!(observed.outcomes.len(), 1, "{observed:?}");
        assert_eq!(observed.outcomes[0].outcome, "count = 1");
        assert!(observed.outcomes[0].failed);
    }

    #[test]
    fn a_spawned_threads_panic_is_the_outcome_when_none_is_named() {
        let observed = observe("t", panics_in_a_spawned_thread, FEW);
        assert_eq!(observed.outcomes.len(), 1, "{observed:?}");
        assert_eq!(observed.outcomes[0].outcome, "the spawned thread failed");
        assert!(observed.outcomes[0].failed);
    }

    #[test]
    fn a_hung_run_is_counted_and_the_model_stops_after_a_few() {
        let observed = observe_with_stall("t", blocks_for_ever, FEW, Duration::from_millis(50));
        assert_eq!(observed.runs, MAX_HANGS);
        assert_eq!(observed.outcomes[0].outcome, HUNG);
        assert!(observed.stopped.is_some());
    }

    fn seen(outcomes: &[(&str, bool, u64)]) -> Observation {
        Observation {
            title: String::from("a check"),
            runs: outcomes.iter().map(|o| o.2).sum(),
            seconds: 1.0,
            outcomes: outcomes
                .iter()
                .map(|(outcome, failed, runs)| Counted {
                    outcome: outcome.to_string(),
                    failed: *failed,
                    runs: *runs,
                })
                .collect(),
            stopped: None,
            wider: None,
        }
    }

    #[test]
    fn a_failure_on_real_threads_of_a_check_loom_passed_is_a_contradiction() {
        let loom = loom_said(&[("count = 2", false)]);
        let wrong = disagreement(
            &loom,
            &seen(&[("count = 2", false, 9), ("count = 1", true, 1)]),
        );
        assert!(wrong.is_some_and(|w| w.contains("every execution loom explored passed")));
    }

    #[test]
    fn a_passing_outcome_loom_never_produced_is_a_contradiction() {
        let loom = loom_said(&[("count = 2", false)]);
        let wrong = disagreement(&loom, &seen(&[("count = 3", false, 1)]));
        assert!(wrong.is_some_and(|w| w.contains("no execution of every interleaving")));
        // Within a bound, loom may not have reached it: no contradiction.
        let bounded = crate::explore::Exploration {
            preemption_bound: Some(2),
            ..loom_said(&[("count = 2", false)])
        };
        assert_eq!(
            disagreement(&bounded, &seen(&[("count = 3", false, 1)])),
            None
        );
    }

    #[test]
    fn nothing_contradicts_a_check_loom_failed_as_it_stops_at_its_first_failure() {
        // Loom's first execution failed: `count = 2` was never reached.
        let loom = loom_said(&[("count = 1", true)]);
        let observed = seen(&[
            ("count = 2", false, 5),
            ("count = 1", true, 3),
            (HUNG, true, 1),
        ]);
        assert_eq!(disagreement(&loom, &observed), None);
        assert_eq!(disagreement(&loom, &seen(&[("count = 2", false, 5)])), None);
    }

    #[test]
    fn a_bounded_pass_is_contradicted_by_a_real_failure() {
        let bounded = crate::explore::Exploration {
            preemption_bound: Some(2),
            ..loom_said(&[("passed", false)])
        };
        assert!(disagreement(&bounded, &seen(&[("lost", true, 1)])).is_some());
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
