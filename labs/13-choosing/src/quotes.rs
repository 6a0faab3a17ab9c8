//! What the instructors' pages quote from a `compare` run, as small
//! Markdown snippets: the scoreboard's word on each claim, the memory an
//! idle connection costs in threads against tasks, and how long a run
//! took. `tests/book.rs` writes them to `book/src/lab-13/quotes/NAME.md`
//! from the committed runs, and the pages include them inside their
//! sentences (`{{#include lab-13/quotes/NAME.md}}`), so no figure of a
//! run is typed by hand.
//!
//! A snippet has no trailing newline: mdBook puts an include's text where
//! the include stood, so a sentence around it stays one sentence.

use crate::compare::Report;
use crate::models::{Model, Size, Workload};
use crate::scoreboard::{self, Line, Verdict};
use lab_12::machines::MachinesReport;

/// The snippets a run gives, each a file name (without `.md`) and its
/// text. A `--size tiny` run is the smoke test: it gives only how long it
/// took (`smoke-seconds`), since it judges nothing. Any other run is a
/// reference run: one snippet per claim (`c1` ... `c18`), the memory per
/// idle connection (`memory-per-connection`), and how long it took
/// (`reference-seconds`).
///
/// C17's snippet comes from `machines`, a `lab-12 machines` run.
pub fn quotes(report: &Report, machines: Option<&MachinesReport>) -> Vec<(&'static str, String)> {
    if report.size == Size::Tiny {
        return vec![("smoke-seconds", took(report))];
    }
    let mut out: Vec<(&'static str, String)> = scoreboard::scoreboard(report, machines)
        .iter()
        .map(|line| (file_name(line.claim), claim(report, line)))
        .collect();
    out.push(("memory-per-connection", memory_per_connection(report)));
    out.push(("reference-seconds", took(report)));
    out
}

/// `C2` → `c2`, as a `&'static str` (the claims are C1 to C18).
fn file_name(claim: &str) -> &'static str {
    const NAMES: [&str; 18] = [
        "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", "c10", "c11", "c12", "c13", "c14",
        "c15", "c16", "c17", "c18",
    ];
    NAMES
        .into_iter()
        .find(|name| name.eq_ignore_ascii_case(claim))
        .expect("the scoreboard's claims are C1 to C18")
}

/// What the scoreboard says of one claim, in its own words: `C2:
/// qualifies — rayon: 1.93× on 2 cores`. A claim `compare` does not
/// measure says so, and quotes where the book shows it, with no verdict;
/// a run that cannot be judged says why, and gives no verdict either.
pub fn claim(report: &Report, line: &Line) -> String {
    let id = line.claim;
    if let Some(shown) = line.shown {
        return format!(
            "{id}: not measured by `compare`, so no verdict; the book shows it: {shown}"
        );
    }
    let evidence = line.evidence.clone().unwrap_or_default();
    match (line.verdict, report.judged()) {
        (Verdict::NotJudged, Err(reason)) => {
            let measured = evidence
                .strip_suffix(&format!(" ({reason})"))
                .unwrap_or(&evidence);
            format!("{id}: {reason} — measured: {measured}")
        }
        (verdict, _) => format!("{id}: {} — {evidence}", verdict.word()),
    }
}

/// How many times a thread's memory per idle connection is a task's
/// (server RSS and kernel stack, as claim C1's rule counts it), at the
/// run's connection count.
pub fn memory_per_connection(report: &Report) -> String {
    let figures = |model| {
        report
            .tables
            .iter()
            .find(|t| t.workload == Workload::Connections)?
            .rows
            .iter()
            .find(|r| r.model == model)?
            .outcome
            .figures()
            .cloned()
    };
    let all = |f: &crate::workloads::Figures| {
        Some(f.rss_per_connection_bytes? + f.kernel_per_connection_bytes?)
    };
    let ratio = figures(Model::Threads)
        .zip(figures(Model::Tokio))
        .and_then(|(t, a)| {
            let ratio = all(&t)? / all(&a)?.max(1.0);
            Some((ratio, t.jobs))
        });
    match ratio {
        Some((ratio, connections)) => format!(
            "{ratio:.1}× a task's memory per idle connection (server RSS and kernel stack, at \
             {connections} connections)"
        ),
        None => String::from("not measured by this run (it has no connections table)"),
    }
}

/// How long a run took, on how many cores, and whether the machine was
/// busy: `32 s on 2 cores`, `192 s (3 min 12 s) on 2 cores (a busy
/// machine: about 0.6 of 2 cores free)`.
pub fn took(report: &Report) -> String {
    let cores = report.machine.cores;
    let mut text = format!("{} on {cores} cores", duration(report.seconds));
    if let Some(load) = report.load.as_ref().filter(|l| l.busy) {
        text.push_str(&format!(
            " (a busy machine: about {:.1} of {cores} cores free)",
            load.cores_free
        ));
    }
    text
}

/// `32 s`, `192 s (3 min 12 s)`: whole seconds, as `compare` ends ("the
/// whole run took 192 s"), and in minutes too as the plans write a long
/// command's time.
pub fn duration(seconds: f64) -> String {
    let whole = seconds.round() as u64;
    if whole < 60 {
        format!("{whole} s")
    } else {
        format!("{whole} s ({} min {} s)", whole / 60, whole % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::Load;

    fn report(size: Size, busy: bool) -> Report {
        let mut report = crate::compare::test_report(size, Vec::new());
        report.load = Some(Load {
            cores_free: if busy { 0.6 } else { 2.0 },
            busy,
            sequential_share: None,
        });
        (report.runs, report.seconds) = (3, 192.4);
        report
    }

    #[test]
    fn a_smoke_test_gives_only_its_time_and_says_the_machine_was_busy() {
        let quotes = quotes(&report(Size::Tiny, true), None);
        assert_eq!(quotes.len(), 1);
        assert_eq!(quotes[0].0, "smoke-seconds");
        assert_eq!(
            quotes[0].1,
            "192 s (3 min 12 s) on 2 cores (a busy machine: about 0.6 of 2 cores free)"
        );
    }

    #[test]
    fn every_claim_is_quoted_and_none_without_a_measurement_gets_a_verdict() {
        let quotes = quotes(&report(Size::Default, false), None);
        for n in 1..=18 {
            let name = format!("c{n}");
            let (_, text) = quotes.iter().find(|(q, _)| *q == name).expect("each claim");
            assert!(text.starts_with(&format!("C{n}: ")), "{text}");
            // This run has no tables: nothing may read as a verdict.
            for word in ["confirms —", "qualifies —", "refutes —", "within noise —"] {
                assert!(!text.contains(word), "{text}");
            }
        }
        let c4 = &quotes.iter().find(|(q, _)| *q == "c4").unwrap().1;
        assert!(
            c4.contains("not measured by `compare`, so no verdict"),
            "{c4}"
        );
        let c2 = &quotes.iter().find(|(q, _)| *q == "c2").unwrap().1;
        assert!(
            c2.starts_with("C2: not measured — this run lacks the rows"),
            "{c2}"
        );
    }

    #[test]
    fn a_busy_machine_s_claims_are_not_judged_and_say_why() {
        let mut busy = report(Size::Default, true);
        let figures = crate::workloads::Figures {
            speedup: Some(1.93),
            ..Default::default()
        };
        busy.tables.push(crate::compare::Table {
            workload: Workload::Cpu,
            about: String::new(),
            size: Size::Default,
            rows: vec![crate::compare::Row {
                model: Model::Rayon,
                label: String::from("rayon"),
                chapter: 7,
                outcome: crate::workloads::Outcome::Measured(Box::new(figures)),
            }],
        });
        let c2 = quotes(&busy, None)
            .into_iter()
            .find(|(q, _)| *q == "c2")
            .unwrap()
            .1;
        assert_eq!(
            c2,
            "C2: not judged: the machine was busy (about 0.6 of 2 cores were free) — measured: \
             rayon: 1.93× on 2 cores"
        );
    }

    #[test]
    fn durations_read_as_the_plans_write_them() {
        assert_eq!(duration(32.2), "32 s");
        assert_eq!(duration(126.0), "126 s (2 min 6 s)");
    }
}
