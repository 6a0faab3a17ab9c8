//! The claims scoreboard: each of the book's 18 claims, what the folklore
//! says, and either what a `compare` run measured with the verdict a rule
//! computes from it, or, for a claim `compare` does not measure, where
//! the book shows it (in a column of its own, with no verdict).
//!
//! A measured claim's verdict is computed by its rule below, never
//! written by hand, and is trusted only as far as the run allows:
//!
//! - a run that cannot be judged (a busy machine, `--size tiny`, a debug
//!   build: [`Report::judged`]) gets "not judged", with the reason;
//! - the rule is applied to the medians, and to each measured run alone;
//!   if any run alone would give another verdict, the margin lies within
//!   the noise, and the verdict says "within noise" instead of choosing.
//!
//! Each rule has tests that feed it a table that confirms the claim and
//! one that does not.

use crate::compare::Report;
use crate::models::{Model, Workload};
use crate::workloads::Figures;
use lab_12::machines::{MachinesReport, median};
use std::fmt::Write as _;

/// What a measurement says of a claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The measurement agrees.
    Confirms,
    /// True, but not as strongly, or not always, as the folklore says.
    Qualifies,
    /// The measurement disagrees.
    Refutes,
    /// The runs disagree with each other: the margin is within the noise.
    WithinNoise,
    /// Measured, but the run cannot carry a verdict (a busy machine, the
    /// smoke test, a debug build).
    NotJudged,
    /// This run did not measure it.
    NotMeasured,
}

impl Verdict {
    /// The verdict as the tables write it.
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Confirms => "confirms",
            Verdict::Qualifies => "qualifies",
            Verdict::Refutes => "refutes",
            Verdict::WithinNoise => "within noise",
            Verdict::NotJudged => "not judged",
            Verdict::NotMeasured => "not measured",
        }
    }
}

/// One line of the scoreboard.
pub struct Line {
    /// C1 ... C18.
    pub claim: &'static str,
    /// What the folklore says, shortly.
    pub folklore: &'static str,
    /// What this run measured (none for a claim `compare` does not
    /// measure).
    pub evidence: Option<String>,
    /// The verdict on what was measured (`NotMeasured` for a claim that
    /// `compare` does not measure).
    pub verdict: Verdict,
    /// Where the book shows a claim `compare` does not measure, and what
    /// it shows; no verdict goes with it.
    pub shown: Option<&'static str>,
    /// Whether it is judged from a `lab-12 machines` run rather than from
    /// `compare`'s (C17).
    pub from_machines: bool,
    /// The chapters that test it.
    pub chapters: &'static [u8],
}

fn figures(report: &Report, workload: Workload, model: Model) -> Option<&Figures> {
    report
        .tables
        .iter()
        .find(|t| t.workload == workload)?
        .rows
        .iter()
        .find(|r| r.model == model)?
        .outcome
        .figures()
}

/// A rule: the evidence and the verdict, from a run's figures; `None` if
/// the run lacks the rows.
pub type Rule = fn(&Report) -> Option<(String, Verdict)>;

// ANCHOR: judge
/// Applies `rule` to `report` as the module's documentation says: not
/// judged on a run that cannot be, within noise if any run alone
/// disagrees with the medians.
pub fn judge(report: &Report, rule: Rule) -> (Option<String>, Verdict) {
    let Some((evidence, verdict)) = rule(report) else {
        let hint = "this run lacks the rows: run `compare` with every workload";
        return (Some(hint.to_string()), Verdict::NotMeasured);
    };
    if let Err(reason) = report.judged() {
        return (Some(format!("{evidence} ({reason})")), Verdict::NotJudged);
    }
    let runs = report.runs.max(1);
    let disagreeing: Vec<usize> = (0..runs)
        .filter(|&k| rule(&report.run(k)).is_some_and(|(_, alone)| alone != verdict))
        .collect();
    if disagreeing.is_empty() {
        (Some(evidence), verdict)
    } else {
        let note = format!(
            "{evidence} (the medians say \"{}\", but {} of {runs} runs alone {} otherwise)",
            verdict.word(),
            disagreeing.len(),
            if disagreeing.len() == 1 {
                "says"
            } else {
                "say"
            }
        );
        (Some(note), Verdict::WithinNoise)
    }
}
// ANCHOR_END: judge

fn ms(seconds: f64) -> String {
    crate::compare::seconds(seconds)
}

/// The tail latency a table shows for a row: p99, or the max of a few.
fn tail(f: &Figures) -> Option<f64> {
    f.latency.map(|l| l.tail_s()).or(f.p99_s)
}

// ANCHOR: rules
/// C1: thousands of idle connections cost threads far more memory than
/// tasks; do their round trips bog down?
pub fn c1(r: &Report) -> Option<(String, Verdict)> {
    use {Model::*, Workload::*};
    let (t, a) = (
        figures(r, Connections, Threads)?,
        figures(r, Connections, Tokio)?,
    );
    // The kernel's stack for each thread counts: no RSS shows it.
    let all = |f: &Figures| Some(f.rss_per_connection_bytes? + f.kernel_per_connection_bytes?);
    let memory = all(t)? / all(a)?.max(1.0);
    let evidence = format!(
        "{} idle connections: threads use {memory:.1}× the memory per connection (RSS and \
         kernel stacks), echo p99 {} (threads) vs {} (tasks)",
        t.jobs,
        ms(t.p99_s?),
        ms(a.p99_s?)
    );
    // Bogging down would be a p99 far above the tasks'.
    let bogged = t.p99_s? > 10.0 * a.p99_s?.max(1e-4) && t.p99_s? > 0.05;
    let verdict = match (bogged, memory >= 2.0) {
        (true, _) => Verdict::Confirms,
        (false, true) => Verdict::Qualifies,
        (false, false) => Verdict::Refutes,
    };
    Some((evidence, verdict))
}

/// C2: CPU-bound work runs N times as fast on N cores, with threads.
pub fn c2(r: &Report) -> Option<(String, Verdict)> {
    let cores = r.machine.cores as f64;
    let speedup = figures(r, Workload::Cpu, Model::Rayon)?.speedup?;
    let evidence = format!("rayon: {speedup:.2}× on {cores} cores");
    let verdict = if speedup >= 0.8 * cores {
        Verdict::Confirms
    } else if speedup >= 1.2 {
        Verdict::Qualifies
    } else {
        Verdict::Refutes
    };
    Some((evidence, verdict))
}

/// C3: for I/O-bound work, threads are as good as processes (pools
/// started before the clock: steady state).
pub fn c3(r: &Report) -> Option<(String, Verdict)> {
    use {Model::*, Workload::*};
    let (t, p) = (figures(r, Io, Threads)?, figures(r, Io, PoolProcesses)?);
    let evidence = format!(
        "{:.0} requests/s with threads, {:.0} with a process pool (started before the clock)",
        t.per_second, p.per_second
    );
    let verdict = if t.per_second >= 0.9 * p.per_second {
        Verdict::Confirms
    } else {
        Verdict::Refutes
    };
    Some((evidence, verdict))
}

/// C5: make shared data independent: a map per thread beats one lock.
pub fn c5(r: &Report) -> Option<(String, Verdict)> {
    use {Model::*, Workload::*};
    let (one, merged) = (
        figures(r, Shared, ThreadsOneMutex)?,
        figures(r, Shared, Threads)?,
    );
    let evidence = format!(
        "word counts: {:.2}× sequential with one Mutex, {:.2}× with a map per thread",
        one.speedup?, merged.speedup?
    );
    let verdict = if merged.speedup? > 1.1 * one.speedup? {
        Verdict::Confirms
    } else {
        Verdict::Refutes
    };
    Some((evidence, verdict))
}

/// C6: marshaling between processes is much slower than passing values
/// between threads.
pub fn c6(r: &Report) -> Option<(String, Verdict)> {
    use {Model::*, Workload::*};
    let (threads, processes) = (
        figures(r, Shared, Threads)?,
        figures(r, Shared, PoolProcesses)?,
    );
    let slower = processes.wall_s / threads.wall_s.max(1e-9);
    let evidence = format!(
        "word counts in a process pool (started before the clock) took {slower:.1}× as long \
         as in threads"
    );
    let verdict = if slower >= 1.5 {
        Verdict::Confirms
    } else if slower >= 1.05 {
        Verdict::Qualifies
    } else {
        Verdict::Refutes
    };
    Some((evidence, verdict))
}

/// C10: a crash kills only its process; in a thread, everything. True of
/// an abort; a panic, most Rust failures, is caught at a thread's join.
pub fn c10(r: &Report) -> Option<(String, Verdict)> {
    use {Model::*, Workload::*};
    let (t, p) = (
        figures(r, Crash, Threads)?,
        figures(r, Crash, PoolProcesses)?,
    );
    let aborts = p.lost? == 1 && t.lost? > 1;
    let mut evidence = format!(
        "one abort in 100 jobs: threads lost {}, a process pool lost {}",
        t.lost?, p.lost?
    );
    let panic_caught = figures(r, Panic, Threads).and_then(|panicked| {
        let _ = write!(
            evidence,
            "; one panic: threads lost {}, the program {}",
            panicked.lost?,
            if panicked.survived? {
                "survived"
            } else {
                "died"
            }
        );
        Some(panicked.survived? && panicked.lost? == 1)
    });
    let verdict = match (aborts, panic_caught) {
        (false, _) => Verdict::Refutes,
        (true, Some(true)) => Verdict::Qualifies,
        (true, _) => Verdict::Confirms,
    };
    Some((evidence, verdict))
}

/// C12: a process start costs milliseconds: for 5 ms jobs, use a pool.
pub fn c12(r: &Report) -> Option<(String, Verdict)> {
    use {Model::*, Workload::*};
    let cores = r.machine.cores as f64;
    let (each, pool) = (
        figures(r, Tiny, ProcessPerJob)?,
        figures(r, Tiny, PoolProcesses)?,
    );
    let per_job = (each.wall_s - pool.wall_s).max(0.0) / each.jobs.max(1) as f64 * cores;
    let evidence = format!(
        "a process per 5 ms job: {:.0} jobs/s, a pool (started before the clock): {:.0}; about \
         {} more per job",
        each.per_second,
        pool.per_second,
        ms(per_job)
    );
    let verdict = if pool.per_second >= 1.1 * each.per_second {
        if per_job >= 1e-3 {
            Verdict::Confirms
        } else {
            Verdict::Qualifies
        }
    } else {
        Verdict::Refutes
    };
    Some((evidence, verdict))
}

/// C14: CPU-bound code in one task blocks every other task. Tested as
/// stated (one CPU task, the other workers idle) and with every worker
/// busy.
pub fn c14(r: &Report) -> Option<(String, Verdict)> {
    use {Model::*, Workload::*};
    let alone = tail(figures(r, Mixed, TokioAlone)?)?;
    let one = tail(figures(r, Mixed, TokioOneTask)?)?;
    let inline = tail(figures(r, Mixed, Tokio)?)?;
    let blocking = tail(figures(r, Mixed, TokioBlocking)?)?;
    let evidence = format!(
        "echo p99 {} with no CPU work, {} beside one CPU task (other workers idle), {} with \
         every worker running CPU work, {} with it in spawn_blocking",
        ms(alone),
        ms(one),
        ms(inline),
        ms(blocking)
    );
    let one_blocks = one >= 10.0 * alone.max(1e-3);
    let all_block = inline >= 10.0 * blocking.max(1e-3);
    let verdict = match (one_blocks, all_block) {
        (true, _) => Verdict::Confirms,
        (false, true) => Verdict::Qualifies,
        (false, false) => Verdict::Refutes,
    };
    Some((evidence, verdict))
}

/// C16: use async where you can, threads where you must.
pub fn c16(r: &Report) -> Option<(String, Verdict)> {
    use {Model::*, Workload::*};
    let (tasks, threads) = (figures(r, Io, Tokio)?, figures(r, Io, Threads)?);
    let inline = tail(figures(r, Mixed, Tokio)?)?;
    let offloaded = tail(figures(r, Mixed, TokioRayon)?)?;
    let evidence = format!(
        "io: tasks {:.0}/s, threads {:.0}/s; mixed: echo p99 {} with CPU work inline on the \
         runtime, {} with it on rayon",
        tasks.per_second,
        threads.per_second,
        ms(inline),
        ms(offloaded)
    );
    // Async keeps up on waiting; "where you can" then needs the CPU work
    // kept off the runtime, or the waiting tasks pay for it.
    let keeps_up = tasks.per_second >= 0.9 * threads.per_second;
    let must_offload = inline >= 10.0 * offloaded.max(1e-3);
    let verdict = match (keeps_up, must_offload) {
        (false, _) => Verdict::Refutes,
        (true, true) => Verdict::Qualifies,
        (true, false) => Verdict::Confirms,
    };
    Some((evidence, verdict))
}
// ANCHOR_END: rules

// ANCHOR: c17
/// C17: beyond one machine, a work queue on Redis. Judged from a
/// `lab-12 machines` run, not from `compare`: two machines simulated with
/// network namespaces. A lost or stranded job, when a machine is killed
/// or cut off, refutes it on any machine. Otherwise the question is
/// whether more workers hide the network's round trips: a worker waits
/// one a job, so four workers a machine could do four times the jobs of
/// one if the server and the network kept up; at least twice, at every
/// added round trip, confirms; less qualifies (the queue carries the
/// work, but the round trips bound it).
pub fn c17(m: &MachinesReport) -> Option<(String, Verdict)> {
    let (killed, cut) = (&m.machine_killed, &m.cut_off);
    let stranded = killed.lost + killed.unfinished + cut.lost + cut.unfinished;
    let mut gains = Vec::new();
    for rtt in [1, 5] {
        let one = median(m.rates(rtt, 1)?)?;
        let four = median(m.rates(rtt, 4)?)?;
        gains.push((rtt, four / one.max(1e-9)));
    }
    let rtts: Vec<String> = gains.iter().map(|(rtt, _)| format!("{rtt} ms")).collect();
    let ratios: Vec<String> = gains
        .iter()
        .map(|(_, gain)| format!("{gain:.1}×"))
        .collect();
    let evidence = format!(
        "2 machines simulated (`lab-12 machines`): one killed, {} of {} jobs lost or stranded; \
         one cut off, {} of {} ({} done twice); with {} added to each round trip, 4 workers a \
         machine did {} the jobs/s of 1",
        killed.lost + killed.unfinished,
        killed.jobs,
        cut.lost + cut.unfinished,
        cut.jobs,
        cut.done_twice,
        rtts.join(" and "),
        ratios.join(" and ")
    );
    let verdict = if stranded > 0 {
        Verdict::Refutes
    } else if gains.iter().all(|&(_, gain)| gain >= 2.0) {
        Verdict::Confirms
    } else {
        Verdict::Qualifies
    };
    Some((evidence, verdict))
}
// ANCHOR_END: c17

/// A rule on a `lab-12 machines` run.
pub type MachinesRule = fn(&MachinesReport) -> Option<(String, Verdict)>;

/// Applies `rule` to `machines` as [`judge`] does to a `compare` run,
/// except that a refutation from lost jobs stands on any machine (a lost
/// job is not noise); any other verdict needs an optimised build on a
/// quiet machine, and every round alone agreeing.
pub fn judge_machines(
    machines: Option<&MachinesReport>,
    rule: MachinesRule,
) -> (Option<String>, Verdict) {
    let Some(m) = machines else {
        let hint = "no `lab-12 machines` run: run `sudo ./target/release/lab-12 machines` \
                    (it saves target/lab-12/machines.json)";
        return (Some(hint.to_string()), Verdict::NotMeasured);
    };
    let Some((evidence, verdict)) = rule(m) else {
        let hint = "this `lab-12 machines` run lacks a setting: run it again";
        return (Some(hint.to_string()), Verdict::NotMeasured);
    };
    if verdict == Verdict::Refutes {
        return (Some(evidence), verdict);
    }
    if let Err(reason) = m.judged() {
        return (Some(format!("{evidence} ({reason})")), Verdict::NotJudged);
    }
    let rounds = m.rounds.max(1);
    let disagreeing = (0..rounds)
        .filter(|&k| rule(&m.round(k)).is_some_and(|(_, alone)| alone != verdict))
        .count();
    if disagreeing == 0 {
        (Some(evidence), verdict)
    } else {
        let note = format!(
            "{evidence} (the medians say \"{}\", but {disagreeing} of {rounds} rounds alone {} \
             otherwise)",
            verdict.word(),
            if disagreeing == 1 { "says" } else { "say" }
        );
        (Some(note), Verdict::WithinNoise)
    }
}

/// Every claim: measured by a rule, or shown in the book.
enum Source {
    Measured(Rule),
    /// Measured by `lab-12 machines`, not by `compare`.
    OnMachines(MachinesRule),
    Shown(&'static str),
}

fn claims() -> Vec<(&'static str, &'static str, &'static [u8], Source)> {
    use Source::*;
    vec![
        (
            "C1",
            "C10k: async tasks win; a few hundred threads bog down",
            &[11, 13],
            Measured(c1),
        ),
        (
            "C2",
            "CPU-bound work: N cores run it N times as fast, with threads in Rust",
            &[7, 13],
            Measured(c2),
        ),
        (
            "C3",
            "I/O-bound work: threads are as good as processes",
            &[13],
            Measured(c3),
        ),
        (
            "C4",
            "threads share everything, so races are everywhere",
            &[1, 2, 3, 4, 5],
            Shown(
                "qualifies: race conditions, not data races, in safe Rust (the compiler \
                 refuses unsynchronised sharing; loom finds a race condition in chapters 1 to 5)",
            ),
        ),
        (
            "C5",
            "make shared data independent or immutable",
            &[5, 13],
            Measured(c5),
        ),
        (
            "C6",
            "marshaling between processes is much slower than passing values between threads",
            &[9, 13],
            Measured(c6),
        ),
        (
            "C7",
            "a pool lets threads and processes be swapped by configuration",
            &[9, 13],
            Shown(
                "every `pool:` row of compare is one function, given `PoolKind::Threads` or \
                 `Processes` (chapter 9's tests run both)",
            ),
        ),
        (
            "C8",
            "in an event loop, schedule periodic work on the loop, not a thread",
            &[10, 11],
            Shown("chapters 10 and 11 run timers on the loop"),
        ),
        (
            "C9",
            "a subprocess's pipes block, and can deadlock",
            &[8],
            Shown("loom finds the wait-then-read deadlock, and real children hang (chapter 8)"),
        ),
        (
            "C10",
            "a crash kills only its process; in a thread, everything",
            &[9, 13],
            Measured(c10),
        ),
        (
            "C11",
            "threads start and switch faster than processes (close on Linux)",
            &[8],
            Shown("chapter 8's benchmark measures a thread's start and a process's, side by side"),
        ),
        (
            "C12",
            "starting a process costs milliseconds: for 5 ms jobs use a pool",
            &[8, 9, 13],
            Measured(c12),
        ),
        (
            "C13",
            "too many threads: time goes to switching; use one per core",
            &[7],
            Shown(
                "chapter 7's benchmark: pure CPU work on 64 threads against one per core, and \
                 under a spin lock",
            ),
        ),
        (
            "C14",
            "CPU-bound code in one task blocks every other task",
            &[10, 11, 13],
            Measured(c14),
        ),
        (
            "C15",
            "mark yields explicitly (await), not implicitly (gevent)",
            &[10],
            Shown("a design argument: chapter 10 shows where a task can be interrupted"),
        ),
        (
            "C16",
            "use async where you can, threads where you must",
            &[11, 13],
            Measured(c16),
        ),
        (
            "C17",
            "beyond one machine: a work queue on Redis loses nothing when a machine dies or is \
             cut off, and more workers hide the network's round trips",
            &[12, 13],
            OnMachines(c17),
        ),
        (
            "C18",
            "understand locks and conditions before anything else",
            &[2, 3],
            Shown("a teaching order: every later chapter's race is one of chapters 2 and 3's"),
        ),
    ]
}

/// The scoreboard for `report`, with C17 judged from `machines` (a
/// `lab-12 machines` run) if there is one.
pub fn scoreboard(report: &Report, machines: Option<&MachinesReport>) -> Vec<Line> {
    claims()
        .into_iter()
        .map(|(claim, folklore, chapters, source)| {
            let from_machines = matches!(source, Source::OnMachines(_));
            let (evidence, verdict, shown) = match source {
                Source::Measured(rule) => {
                    let (evidence, verdict) = judge(report, rule);
                    (evidence, verdict, None)
                }
                Source::OnMachines(rule) => {
                    let (evidence, verdict) = judge_machines(machines, rule);
                    (evidence, verdict, None)
                }
                Source::Shown(text) => (None, Verdict::NotMeasured, Some(text)),
            };
            Line {
                claim,
                folklore,
                evidence,
                verdict,
                shown,
                from_machines,
                chapters,
            }
        })
        .collect()
}

/// The scoreboard as a Markdown table, for the book: what `compare` (or,
/// for C17, `lab-12 machines`) measured and its verdict, or where the
/// book shows the claim.
pub fn markdown(report: &Report, machines: Option<&MachinesReport>) -> String {
    let mut out = String::from(
        "| claim | the folklore | measured (by `compare`; C17 by `lab-12 machines`) | verdict | shown in the book | chapters |\n",
    );
    out.push_str("|---|---|---|---|---|---|\n");
    for line in scoreboard(report, machines) {
        let chapters: Vec<String> = line
            .chapters
            .iter()
            .map(|c| format!("[{c}]({})", crate::models::chapter_file(*c)))
            .collect();
        let dash = || String::from("–");
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            line.claim,
            line.folklore,
            line.evidence.clone().unwrap_or_else(dash),
            if line.shown.is_some() {
                dash()
            } else {
                line.verdict.word().to_string()
            },
            line.shown.map_or_else(dash, str::to_string),
            chapters.join(", "),
        );
    }
    out
}

/// The scoreboard as text, for the terminal: the claims this run
/// measured, each with its evidence below it; a run that cannot be
/// judged says why, once, instead. C17 is said from `machines`, a
/// `lab-12 machines` run, if there is one.
pub fn text(report: &Report, machines: Option<&MachinesReport>) -> String {
    let judged = report.judged();
    let mut out = match &judged {
        Err(reason) => {
            let said = format!("claims · {reason}: no claim is judged from this run");
            crate::compare::wrap(&said, 96).join("\n") + "\n"
        }
        Ok(()) => String::from("claims · what this run says of the book's claims\n"),
    };
    for line in scoreboard(report, machines) {
        // A busy `compare` run judges nothing, but C17 comes from another
        // run, and a lost job refutes it on any machine.
        if judged.is_err() && !line.from_machines {
            continue;
        }
        let Some(evidence) = line.evidence.filter(|_| line.shown.is_none()) else {
            continue;
        };
        if line.verdict == Verdict::NotMeasured {
            continue; // a workload that was not run
        }
        let _ = writeln!(
            out,
            "{:<4} {:<13} {}",
            line.claim,
            line.verdict.word(),
            line.folklore
        );
        for evidence in crate::compare::wrap(&evidence, 80) {
            let _ = writeln!(out, "{:18} {evidence}", "");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    //! Each rule fed a table that confirms its claim and one that does
    //! not; and the judging: a busy machine, runs that disagree.
    use super::*;
    use crate::compare::{Load, Row, Table};
    use crate::measure::Latency;
    use crate::models::Size;
    use crate::workloads::{Figures, Outcome, Sample};

    /// A report of one workload's rows, each given as its figures.
    fn report(rows: &[(Workload, Model, Figures)]) -> Report {
        let mut tables: Vec<Table> = Vec::new();
        for (workload, model, figures) in rows {
            let row = Row {
                model: *model,
                label: model.label().to_string(),
                chapter: model.chapter(),
                outcome: Outcome::Measured(Box::new(figures.clone())),
            };
            match tables.iter_mut().find(|t| t.workload == *workload) {
                Some(table) => table.rows.push(row),
                None => tables.push(Table {
                    workload: *workload,
                    about: String::new(),
                    size: Size::Default,
                    rows: vec![row],
                }),
            }
        }
        crate::compare::test_report(Size::Default, tables)
    }

    fn speedup(s: f64) -> Figures {
        Figures {
            speedup: Some(s),
            wall_s: 1.0 / s,
            ..Figures::default()
        }
    }

    fn rate(per_second: f64) -> Figures {
        Figures {
            per_second,
            wall_s: 200.0 / per_second,
            jobs: 200,
            ..Figures::default()
        }
    }

    fn lost(lost: u64, survived: bool) -> Figures {
        Figures {
            lost: Some(lost),
            survived: Some(survived),
            ..Figures::default()
        }
    }

    fn p99(seconds: f64) -> Figures {
        let latency = Latency {
            count: 1000,
            p50_s: seconds / 2.0,
            p99_s: seconds,
            p999_s: seconds,
            max_s: seconds,
        };
        Figures {
            latency: Some(latency),
            p99_s: Some(seconds),
            ..Figures::default()
        }
    }

    fn connection(per_conn: f64, p99: f64) -> Figures {
        Figures {
            rss_per_connection_bytes: Some(per_conn),
            kernel_per_connection_bytes: Some(0.0),
            p99_s: Some(p99),
            jobs: 1000,
            ..Figures::default()
        }
    }

    fn verdict(rule: Rule, rows: &[(Workload, Model, Figures)]) -> Verdict {
        rule(&report(rows)).expect("the rows are there").1
    }

    use Model::*;
    use Workload::*;

    #[test]
    fn c1_confirms_only_when_threads_bog_down_and_refutes_when_they_cost_no_more() {
        let bogged = [
            (Connections, Threads, connection(10_000.0, 0.5)),
            (Connections, Tokio, connection(1_000.0, 0.001)),
        ];
        assert_eq!(verdict(c1, &bogged), Verdict::Confirms);
        let fine = [
            (Connections, Threads, connection(10_000.0, 0.001)),
            (Connections, Tokio, connection(1_000.0, 0.001)),
        ];
        assert_eq!(verdict(c1, &fine), Verdict::Qualifies);
        let same = [
            (Connections, Threads, connection(1_000.0, 0.001)),
            (Connections, Tokio, connection(1_000.0, 0.001)),
        ];
        assert_eq!(verdict(c1, &same), Verdict::Refutes);
    }

    #[test]
    fn c2_confirms_near_the_core_count_and_refutes_without_a_speed_up() {
        assert_eq!(
            verdict(c2, &[(Cpu, Rayon, speedup(1.9))]),
            Verdict::Confirms
        );
        assert_eq!(
            verdict(c2, &[(Cpu, Rayon, speedup(1.4))]),
            Verdict::Qualifies
        );
        assert_eq!(
            verdict(c2, &[(Cpu, Rayon, speedup(0.96))]),
            Verdict::Refutes
        );
    }

    #[test]
    fn c3_confirms_when_threads_keep_up_with_processes_and_refutes_when_not() {
        let keep_up = [
            (Io, Threads, rate(2000.0)),
            (Io, PoolProcesses, rate(2100.0)),
        ];
        assert_eq!(verdict(c3, &keep_up), Verdict::Confirms);
        let behind = [
            (Io, Threads, rate(1000.0)),
            (Io, PoolProcesses, rate(2100.0)),
        ];
        assert_eq!(verdict(c3, &behind), Verdict::Refutes);
    }

    #[test]
    fn c5_confirms_when_a_map_each_beats_one_lock_and_refutes_when_not() {
        let wins = [
            (Shared, ThreadsOneMutex, speedup(0.5)),
            (Shared, Threads, speedup(1.8)),
        ];
        assert_eq!(verdict(c5, &wins), Verdict::Confirms);
        let loses = [
            (Shared, ThreadsOneMutex, speedup(1.8)),
            (Shared, Threads, speedup(1.7)),
        ];
        assert_eq!(verdict(c5, &loses), Verdict::Refutes);
    }

    #[test]
    fn c6_confirms_a_large_marshaling_cost_and_refutes_none() {
        let slow = [
            (Shared, Threads, speedup(2.0)),
            (Shared, PoolProcesses, speedup(0.5)),
        ];
        assert_eq!(verdict(c6, &slow), Verdict::Confirms);
        let same = [
            (Shared, Threads, speedup(2.0)),
            (Shared, PoolProcesses, speedup(2.0)),
        ];
        assert_eq!(verdict(c6, &same), Verdict::Refutes);
    }

    #[test]
    fn c10_qualifies_when_threads_survive_a_panic_and_refutes_when_processes_lose_more() {
        let abort = [
            (Crash, Threads, lost(64, false)),
            (Crash, PoolProcesses, lost(1, true)),
        ];
        assert_eq!(verdict(c10, &abort), Verdict::Confirms);
        let mut with_panic = abort.to_vec();
        with_panic.push((Panic, Threads, lost(1, true)));
        assert_eq!(verdict(c10, &with_panic), Verdict::Qualifies);
        let processes_lose = [
            (Crash, Threads, lost(64, false)),
            (Crash, PoolProcesses, lost(30, true)),
        ];
        assert_eq!(verdict(c10, &processes_lose), Verdict::Refutes);
    }

    #[test]
    fn c12_confirms_a_costly_start_and_refutes_a_free_one() {
        let costly = [
            (Tiny, ProcessPerJob, rate(150.0)),
            (Tiny, PoolProcesses, rate(380.0)),
        ];
        assert_eq!(verdict(c12, &costly), Verdict::Confirms);
        let free = [
            (Tiny, ProcessPerJob, rate(380.0)),
            (Tiny, PoolProcesses, rate(380.0)),
        ];
        assert_eq!(verdict(c12, &free), Verdict::Refutes);
    }

    #[test]
    fn c14_confirms_only_if_one_task_holds_up_the_others_with_idle_workers() {
        let rows = |one: f64| {
            [
                (Mixed, TokioAlone, p99(0.000_3)),
                (Mixed, TokioOneTask, p99(one)),
                (Mixed, Tokio, p99(3.0)),
                (Mixed, TokioBlocking, p99(0.004)),
            ]
        };
        assert_eq!(verdict(c14, &rows(0.5)), Verdict::Confirms);
        assert_eq!(verdict(c14, &rows(0.000_4)), Verdict::Qualifies);
        let no_harm = [
            (Mixed, TokioAlone, p99(0.000_3)),
            (Mixed, TokioOneTask, p99(0.000_4)),
            (Mixed, Tokio, p99(0.004)),
            (Mixed, TokioBlocking, p99(0.004)),
        ];
        assert_eq!(verdict(c14, &no_harm), Verdict::Refutes);
    }

    #[test]
    fn c16_refutes_if_tasks_fall_behind_threads_and_qualifies_when_cpu_must_move() {
        let rows = |tasks: f64, inline: f64| {
            [
                (Io, Tokio, rate(tasks)),
                (Io, Threads, rate(2000.0)),
                (Mixed, Tokio, p99(inline)),
                (Mixed, TokioRayon, p99(0.004)),
            ]
        };
        assert_eq!(verdict(c16, &rows(2000.0, 3.0)), Verdict::Qualifies);
        assert_eq!(verdict(c16, &rows(2000.0, 0.004)), Verdict::Confirms);
        assert_eq!(verdict(c16, &rows(500.0, 3.0)), Verdict::Refutes);
    }

    #[test]
    fn a_busy_machine_s_run_is_not_judged_and_says_why() {
        let mut busy = report(&[(Cpu, Rayon, speedup(0.96))]);
        busy.load = Some(Load {
            cores_free: 0.9,
            busy: true,
            sequential_share: None,
        });
        let (evidence, verdict) = judge(&busy, c2);
        assert_eq!(verdict, Verdict::NotJudged);
        assert!(evidence.unwrap().contains("busy"));
        let mut smoke = report(&[(Cpu, Rayon, speedup(1.9))]);
        smoke.size = Size::Tiny;
        assert_eq!(judge(&smoke, c2).1, Verdict::NotJudged);
        assert!(text(&busy, None).contains("no claim is judged"));
        // A lost job in a `lab-12 machines` run refutes C17 all the same.
        let lost = machines([&[1500.0], &[370.0]], [&[5800.0], &[1460.0]], 1, 2.0);
        let said = text(&busy, Some(&lost));
        assert!(said.contains("no claim is judged"), "{said}");
        assert!(said.contains("C17  refutes"), "{said}");
    }

    #[test]
    fn runs_that_disagree_make_the_verdict_within_noise_and_runs_that_agree_do_not() {
        let sample = |s: f64| Sample {
            speedup: Some(s),
            ..Sample::default()
        };
        let with_runs = |runs: &[f64]| {
            let mut figures = speedup(1.62);
            figures.runs = runs.iter().map(|s| sample(*s)).collect();
            let mut r = report(&[(Cpu, Rayon, figures)]);
            r.runs = runs.len();
            r
        };
        // The threshold is 1.6 (0.8 × 2 cores): 1.62 confirms, but one run
        // alone at 1.55 would qualify.
        assert_eq!(
            judge(&with_runs(&[1.61, 1.62, 1.55]), c2).1,
            Verdict::WithinNoise
        );
        assert_eq!(
            judge(&with_runs(&[1.61, 1.62, 1.65]), c2).1,
            Verdict::Confirms
        );
    }

    #[test]
    fn claims_not_measured_have_no_verdict_and_say_where_the_book_shows_them() {
        let board = scoreboard(&report(&[]), None);
        assert_eq!(board.len(), 18);
        let c4 = board.iter().find(|l| l.claim == "C4").unwrap();
        assert!(
            c4.shown
                .unwrap()
                .starts_with("qualifies: race conditions, not data races")
        );
        let c17 = board.iter().find(|l| l.claim == "C17").unwrap();
        assert!(c17.shown.is_none() && c17.verdict == Verdict::NotMeasured);
        assert!(c17.evidence.as_ref().unwrap().contains("lab-12 machines"));
        let table = markdown(&report(&[]), None);
        assert!(table.contains("| C4 |") && table.contains("shown in the book"));
    }

    /// A `lab-12 machines` run: `rates[rtt][per_machine]`, one figure a
    /// round, for 1 and 5 ms (and 0 ms, not judged), with `lost` jobs in
    /// the killed machine's run.
    fn machines(one: [&[f64]; 2], four: [&[f64]; 2], lost: u64, cores_free: f64) -> MachinesReport {
        use lab_12::machines::{Fault, Throughput};
        let setting = |rtt_ms, per_machine, rates: &[f64]| Throughput {
            rtt_ms,
            per_machine,
            jobs: 2000,
            jobs_per_second: rates.to_vec(),
        };
        let rounds = one[0].len();
        let fault = Fault {
            jobs: 2000,
            ..Fault::default()
        };
        MachinesReport {
            jobs: 2000,
            rounds,
            cores: 2,
            cores_free,
            optimised: true,
            throughput: vec![
                setting(0, 1, &vec![30_000.0; rounds]),
                setting(0, 4, &vec![38_000.0; rounds]),
                setting(1, 1, one[0]),
                setting(1, 4, four[0]),
                setting(5, 1, one[1]),
                setting(5, 4, four[1]),
            ],
            machine_killed: Fault {
                lost,
                workers_killed: 2,
                ..fault.clone()
            },
            cut_off: Fault {
                restored: Some(true),
                done_twice: 3,
                ..fault
            },
            seconds: 60.0,
        }
    }

    fn c17_verdict(m: &MachinesReport) -> Verdict {
        judge_machines(Some(m), c17).1
    }

    #[test]
    fn c17_confirms_when_more_workers_hide_the_round_trips_and_nothing_is_lost() {
        let hidden = machines(
            [&[1500.0, 1520.0, 1490.0], &[370.0, 360.0, 372.0]],
            [&[5800.0, 5900.0, 5700.0], &[1460.0, 1400.0, 1470.0]],
            0,
            2.0,
        );
        assert_eq!(c17_verdict(&hidden), Verdict::Confirms);
        // Four times the workers, not twice the jobs at 5 ms: the round
        // trips bound it.
        let bound = machines(
            [&[1500.0, 1520.0, 1490.0], &[370.0, 360.0, 372.0]],
            [&[5800.0, 5900.0, 5700.0], &[500.0, 520.0, 510.0]],
            0,
            2.0,
        );
        assert_eq!(c17_verdict(&bound), Verdict::Qualifies);
    }

    #[test]
    fn c17_is_refuted_by_a_lost_job_even_on_a_busy_machine() {
        let lost = machines([&[1500.0], &[370.0]], [&[5800.0], &[1460.0]], 1, 2.0);
        assert_eq!(c17_verdict(&lost), Verdict::Refutes);
        let busy = machines([&[1500.0], &[370.0]], [&[5800.0], &[1460.0]], 1, 0.9);
        assert_eq!(c17_verdict(&busy), Verdict::Refutes);
        // Stranded counts as lost: a job still held when the run gave up.
        let mut stranded = machines([&[1500.0], &[370.0]], [&[5800.0], &[1460.0]], 0, 2.0);
        stranded.cut_off.unfinished = 4;
        assert_eq!(c17_verdict(&stranded), Verdict::Refutes);
    }

    #[test]
    fn c17_is_not_judged_on_a_busy_machine_or_a_debug_build_and_within_noise_when_rounds_disagree()
    {
        let busy = machines([&[1500.0], &[370.0]], [&[5800.0], &[1460.0]], 0, 0.9);
        let (evidence, verdict) = judge_machines(Some(&busy), c17);
        assert_eq!(verdict, Verdict::NotJudged);
        assert!(evidence.unwrap().contains("busy"));
        let mut debug = machines([&[1500.0], &[370.0]], [&[5800.0], &[1460.0]], 0, 2.0);
        debug.optimised = false;
        assert_eq!(c17_verdict(&debug), Verdict::NotJudged);
        // The medians give 2.2× at 5 ms, but one round alone gives 1.1×.
        let noisy = machines(
            [&[1500.0, 1500.0, 1500.0], &[360.0, 370.0, 380.0]],
            [&[5800.0, 5800.0, 5800.0], &[800.0, 810.0, 420.0]],
            0,
            2.0,
        );
        assert_eq!(c17_verdict(&noisy), Verdict::WithinNoise);
    }

    #[test]
    fn c17_without_a_machines_run_is_not_measured_and_says_how_to_measure_it() {
        let (evidence, verdict) = judge_machines(None, c17);
        assert_eq!(verdict, Verdict::NotMeasured);
        assert!(
            evidence
                .unwrap()
                .contains("sudo ./target/release/lab-12 machines")
        );
    }
}
