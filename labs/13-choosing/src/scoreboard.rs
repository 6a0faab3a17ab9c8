//! The claims scoreboard: each of the book's 18 claims, what the folklore
//! says, what a `compare` run measured (or, where `compare` has no table
//! for it, which chapter shows it and how), and whether the measurement
//! confirms the claim, qualifies it, or refutes it. The verdicts of the
//! measured claims are computed from the run, by the rules below: the
//! reader's own run can disagree with the book's, and then says so.

use crate::compare::Report;
use crate::models::{Model, Workload};
use crate::workloads::Figures;
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
    /// This run did not measure it.
    NotMeasured,
}

impl Verdict {
    fn word(self) -> &'static str {
        match self {
            Verdict::Confirms => "confirms",
            Verdict::Qualifies => "qualifies",
            Verdict::Refutes => "refutes",
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
    /// What was measured or shown.
    pub evidence: String,
    /// The chapters that test it.
    pub chapters: &'static [u8],
    /// The verdict.
    pub verdict: Verdict,
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

/// A claim measured by `compare`: its evidence and verdict from the run,
/// or "not measured" if the run lacks the rows.
fn measured(
    report: &Report,
    rule: impl Fn(&Report) -> Option<(String, Verdict)>,
) -> (String, Verdict) {
    rule(report).unwrap_or_else(|| {
        let hint = "this run lacks the rows: run `compare` with every workload";
        (hint.to_string(), Verdict::NotMeasured)
    })
}

/// A claim `compare` does not measure: where the book shows it.
fn shown(evidence: &str, verdict: Verdict) -> (String, Verdict) {
    (evidence.to_string(), verdict)
}

// ANCHOR: rules
/// The scoreboard for `report`.
pub fn scoreboard(report: &Report) -> Vec<Line> {
    use Model::*;
    use Workload::*;
    let cores = report.machine.cores as f64;
    let ms = crate::compare::seconds;
    let line = |claim, folklore, chapters, (evidence, verdict): (String, Verdict)| Line {
        claim,
        folklore,
        evidence,
        chapters,
        verdict,
    };
    vec![
        line(
            "C1",
            "C10k: async tasks win; a few hundred threads bog down",
            &[11, 13],
            measured(report, |r| {
                let (t, a) = (
                    figures(r, Connections, Threads)?,
                    figures(r, Connections, Tokio)?,
                );
                // The kernel's stack for each thread counts: no RSS shows it.
                let all = |f: &Figures| {
                    Some(f.rss_per_connection_bytes? + f.kernel_per_connection_bytes?)
                };
                let memory = all(t)? / all(a)?.max(1.0);
                let evidence = format!(
                    "{} idle connections: threads use {memory:.1}× the memory per connection \
                     (RSS and kernel stacks), echo p99 {} (threads) vs {} (tasks)",
                    t.jobs,
                    ms(t.p99_s?),
                    ms(a.p99_s?)
                );
                // Bogging down would be a p99 far above the tasks'.
                let bogged = t.p99_s? > 10.0 * a.p99_s?.max(1e-4) && t.p99_s? > 0.05;
                Some((
                    evidence,
                    if bogged {
                        Verdict::Confirms
                    } else {
                        Verdict::Qualifies
                    },
                ))
            }),
        ),
        line(
            "C2",
            "CPU-bound work: N cores run it N times as fast, with threads in Rust",
            &[7, 13],
            measured(report, |r| {
                let rayon = figures(r, Cpu, Rayon)?;
                let speedup = rayon.speedup?;
                let evidence = format!("rayon: {speedup:.2}× on {cores} cores");
                let verdict = if speedup >= 0.8 * cores {
                    Verdict::Confirms
                } else {
                    Verdict::Qualifies
                };
                Some((evidence, verdict))
            }),
        ),
        line(
            "C3",
            "I/O-bound work: threads are as good as processes",
            &[13],
            measured(report, |r| {
                let (t, p) = (figures(r, Io, Threads)?, figures(r, Io, PoolProcesses)?);
                let evidence = format!(
                    "{:.0} requests/s with threads, {:.0} with a process pool",
                    t.per_second, p.per_second
                );
                let verdict = if t.per_second >= 0.9 * p.per_second {
                    Verdict::Confirms
                } else {
                    Verdict::Refutes
                };
                Some((evidence, verdict))
            }),
        ),
        line(
            "C4",
            "threads share everything, so races are everywhere",
            &[1, 2, 3, 4, 5],
            shown(
                "loom finds a race in every chapter's obvious code (chapters 1 to 5)",
                Verdict::Confirms,
            ),
        ),
        line(
            "C5",
            "make shared data independent or immutable",
            &[5, 13],
            measured(report, |r| {
                let (one, merged) = (
                    figures(r, Shared, ThreadsOneMutex)?,
                    figures(r, Shared, Threads)?,
                );
                let evidence = format!(
                    "word counts: {:.2}× sequential with one Mutex, {:.2}× with a map per thread",
                    one.speedup?, merged.speedup?
                );
                let verdict = if merged.speedup? > one.speedup? {
                    Verdict::Confirms
                } else {
                    Verdict::Refutes
                };
                Some((evidence, verdict))
            }),
        ),
        line(
            "C6",
            "marshaling between processes is much slower than passing values between threads",
            &[9, 13],
            measured(report, |r| {
                let (threads, processes) = (
                    figures(r, Shared, Threads)?,
                    figures(r, Shared, PoolProcesses)?,
                );
                let slower = processes.wall_s / threads.wall_s.max(1e-9);
                let evidence =
                    format!("word counts in processes took {slower:.1}× as long as in threads");
                let verdict = if slower >= 1.5 {
                    Verdict::Confirms
                } else {
                    Verdict::Qualifies
                };
                Some((evidence, verdict))
            }),
        ),
        line(
            "C7",
            "a pool lets threads and processes be swapped by configuration",
            &[9, 13],
            shown(
                "every `pool:` row of compare is one function, given `PoolKind::Threads` or `Processes`",
                Verdict::Confirms,
            ),
        ),
        line(
            "C8",
            "in an event loop, schedule periodic work on the loop, not a thread",
            &[10, 11],
            shown(
                "chapters 10 and 11 run timers on the loop; not measured here",
                Verdict::NotMeasured,
            ),
        ),
        line(
            "C9",
            "a subprocess's pipes block, and can deadlock",
            &[8],
            shown(
                "loom finds the wait-then-read deadlock, and real children hang (chapter 8)",
                Verdict::Confirms,
            ),
        ),
        line(
            "C10",
            "a crash kills only its process; in a thread, everything",
            &[9, 13],
            measured(report, |r| {
                let (t, p) = (
                    figures(r, Crash, Threads)?,
                    figures(r, Crash, PoolProcesses)?,
                );
                let evidence = format!(
                    "one abort in 100 jobs: threads lost {}, a process pool lost {}",
                    t.lost?, p.lost?
                );
                // Only the job that aborted may be lost to a worker process.
                let verdict = if p.lost? == 1 && t.lost? > 1 {
                    Verdict::Confirms
                } else {
                    Verdict::Refutes
                };
                Some((evidence, verdict))
            }),
        ),
        line(
            "C11",
            "threads start and switch faster than processes (close on Linux)",
            &[8],
            shown(
                "chapter 8 measures both: a process starts several times slower than a thread; switches are close",
                Verdict::Qualifies,
            ),
        ),
        line(
            "C12",
            "starting a process costs milliseconds: for 5 ms jobs use a pool",
            &[8, 9, 13],
            measured(report, |r| {
                let (each, pool) = (
                    figures(r, Tiny, ProcessPerJob)?,
                    figures(r, Tiny, PoolProcesses)?,
                );
                let per_job =
                    (each.wall_s - pool.wall_s).max(0.0) / each.jobs.max(1) as f64 * cores;
                let evidence = format!(
                    "a process per 5 ms job: {:.0} jobs/s, a pool: {:.0}; about {} more per job",
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
            }),
        ),
        line(
            "C13",
            "too many threads: time goes to switching; use one per core",
            &[7],
            shown(
                "chapter 7: on pure CPU work, 64 threads take about as long as one per core; under a spin lock, far longer",
                Verdict::Qualifies,
            ),
        ),
        line(
            "C14",
            "CPU-bound code in one task blocks every other task",
            &[10, 11, 13],
            measured(report, |r| {
                let (inline, blocking) =
                    (figures(r, Mixed, Tokio)?, figures(r, Mixed, TokioBlocking)?);
                let times = inline.p99_s? / blocking.p99_s?.max(1e-6);
                let evidence = format!(
                    "echo p99 {} with CPU work inline, {} in spawn_blocking ({times:.0}×)",
                    ms(inline.p99_s?),
                    ms(blocking.p99_s?)
                );
                let verdict = if times >= 10.0 {
                    Verdict::Confirms
                } else {
                    Verdict::Qualifies
                };
                Some((evidence, verdict))
            }),
        ),
        line(
            "C15",
            "mark yields explicitly (await), not implicitly (gevent)",
            &[10],
            shown(
                "a design argument: chapter 10 shows where a task can be interrupted",
                Verdict::NotMeasured,
            ),
        ),
        line(
            "C16",
            "use async where you can, threads where you must",
            &[11, 13],
            measured(report, |r| {
                let (tasks, threads) = (figures(r, Io, Tokio)?, figures(r, Io, Threads)?);
                let rayon = figures(r, Cpu, Rayon)?;
                let evidence = format!(
                    "io: tasks {:.0}/s, threads {:.0}/s; cpu: rayon's threads {:.2}×",
                    tasks.per_second, threads.per_second, rayon.speedup?
                );
                // Async wins on waiting at scale, not on computing: "where you
                // can" needs the CPU work kept off the runtime. A reading of
                // three tables, not a threshold: the one verdict not computed.
                Some((evidence, Verdict::Qualifies))
            }),
        ),
        line(
            "C17",
            "beyond one machine: a work queue on Redis",
            &[12, 13],
            measured(report, |r| {
                let queue = figures(r, Cpu, RedisQueue)?;
                let evidence = format!(
                    "the Redis queue ran every cpu job right ({:.2}×), on one machine: \
                     across machines is not measured here",
                    queue.speedup?
                );
                let verdict = if queue.correct == Some(true) {
                    Verdict::Qualifies
                } else {
                    Verdict::Refutes
                };
                Some((evidence, verdict))
            }),
        ),
        line(
            "C18",
            "understand locks and conditions before anything else",
            &[2, 3],
            shown(
                "a teaching order: every later chapter's race is one of chapters 2 and 3's",
                Verdict::NotMeasured,
            ),
        ),
    ]
}
// ANCHOR_END: rules

/// The scoreboard as a Markdown table, for the book.
pub fn markdown(report: &Report) -> String {
    let mut out = String::from("| claim | the folklore | measured | chapters | verdict |\n");
    out.push_str("|---|---|---|---|---|\n");
    for line in scoreboard(report) {
        let chapters: Vec<String> = line
            .chapters
            .iter()
            .map(|c| format!("[{c}]({})", crate::models::chapter_file(*c)))
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            line.claim,
            line.folklore,
            line.evidence,
            chapters.join(", "),
            line.verdict.word()
        );
    }
    out
}

/// The scoreboard as text, for the terminal: a claim per line, the
/// evidence below it; only the claims this run measured, and none at
/// `--size tiny`, which is too small to judge anything.
pub fn text(report: &Report) -> String {
    if report.size == crate::models::Size::Tiny {
        return String::from(
            "claims · not judged at --size tiny (too small to mean anything): run the default size\n",
        );
    }
    let mut out = String::from("claims · what this run says of the book's claims\n");
    for line in scoreboard(report) {
        if line.verdict == Verdict::NotMeasured && line.evidence.starts_with("this run lacks") {
            continue; // a workload that was not run
        }
        let _ = writeln!(
            out,
            "{:<4} {:<13} {}",
            line.claim,
            line.verdict.word(),
            line.folklore
        );
        for evidence in crate::compare::wrap(&line.evidence, 80) {
            let _ = writeln!(out, "{:18} {evidence}", "");
        }
    }
    out
}
