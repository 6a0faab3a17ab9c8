//! Printing a verdict: the failing interleaving as one column per thread,
//! time going down, each step with its values and source line.

use crate::check::{Explored, Failure, FailureKind, Verdict};
use crate::record::{Event, Op, Trace};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// `12 executions (preemption bound 2)`.
pub(crate) fn explored_text(explored: &Explored) -> String {
    let n = explored.executions;
    let executions = if n == 1 { "execution" } else { "executions" };
    match explored.preemption_bound {
        Some(bound) => format!("{n} {executions} (preemption bound {bound})"),
        None => format!("{n} {executions} (no preemption bound: every interleaving)"),
    }
}

/// The whole text a check prints.
pub fn render(lab: &str, verdict: &Verdict) -> String {
    let explored = verdict.explored();
    let lab = if lab.is_empty() {
        String::new()
    } else {
        format!("{lab} · ")
    };
    match verdict {
        Verdict::Passed(_) => format!(
            "{lab}{} · no failing interleaving\nexplored {}: every one passed",
            explored.title,
            explored_text(explored)
        ),
        Verdict::Failed(failure) => format!(
            "{lab}{} · loom found a failing interleaving\nexplored {}; the last one failed:\n\n{}",
            explored.title,
            explored_text(explored),
            render_failure(failure)
        ),
    }
}

/// One row of the table: consecutive operations of one thread on one line.
struct Row {
    thread: usize,
    text: String,
    location: String,
}

fn render_failure(failure: &Failure) -> String {
    let trace = &failure.trace;
    let rows = rows(trace);
    let mut out = table(trace.threads.max(1), &rows);

    let mut lines: Vec<(String, u32)> = Vec::new();
    for event in &trace.events {
        let key = (event.file.clone(), event.line);
        if !lines.contains(&key) && shown(trace, event) {
            lines.push(key);
        }
    }
    if !lines.is_empty() {
        let width = lines
            .iter()
            .map(|(f, l)| short(f, *l).chars().count())
            .max()
            .unwrap_or(0);
        for (file, line) in &lines {
            let code = source_line(file, *line).unwrap_or_default();
            let entry = format!(" {:<width$}  {code}", short(file, *line));
            out.push_str(entry.trim_end());
            out.push('\n');
        }
        out.push('\n');
    }
    out.push_str(&verdict_lines(failure));
    out
}

/// Whether an event gets a place in the table: a request for a lock is
/// shown only when the thread never got further (it is blocked there).
fn shown(trace: &Trace, event: &Event) -> bool {
    if event.op != Op::WantLock {
        return true;
    }
    let last = trace.events.iter().rposition(|e| e.thread == event.thread);
    last.map(|i| std::ptr::eq(&trace.events[i], event))
        .unwrap_or(false)
}

fn rows(trace: &Trace) -> Vec<Row> {
    let touched: BTreeSet<usize> = trace.events.iter().filter_map(|e| e.object).collect();
    let labels = touched.len() > 1;
    let mut rows: Vec<Row> = Vec::new();
    let mut last_object: Option<usize> = None;
    for event in trace.events.iter().filter(|e| shown(trace, e)) {
        let location = short(&event.file, event.line);
        let mut text = op_text(trace, &event.op);
        let same_row = rows
            .last()
            .map(|row| row.thread == event.thread && row.location == location)
            .unwrap_or(false);
        if labels && event.object.is_some() && (!same_row || event.object != last_object) {
            let object = &trace.objects[event.object.unwrap_or_default()];
            text = format!("{}: {text}", object.label());
        }
        last_object = event.object;
        match rows.last_mut() {
            Some(row) if same_row => {
                row.text.push_str(", ");
                row.text.push_str(&text);
            }
            _ => rows.push(Row {
                thread: event.thread,
                text,
                location,
            }),
        }
    }
    rows
}

fn op_text(trace: &Trace, op: &Op) -> String {
    let _ = trace;
    match op {
        Op::Spawn { child } => format!("spawn thread {child}"),
        Op::Join { child } => format!("join thread {child}"),
        Op::WantLock => String::from("waits for the lock"),
        Op::Lock => String::from("lock"),
        Op::ReadLock => String::from("read-lock"),
        Op::Unlock => String::from("unlock"),
        Op::Read { value } => format!("read → {value}"),
        Op::Write { value } => format!("write ← {value}"),
        Op::Load { value } => format!("load → {value}"),
        Op::Store { value } => format!("store ← {value}"),
        Op::Update {
            method,
            args,
            returned,
        } => format!("{method}({args}) → {returned}"),
        Op::Wait => String::from("wait (unlocks)"),
        Op::Woken => String::from("woken (locks)"),
        Op::Notify { all: false } => String::from("notify_one"),
        Op::Notify { all: true } => String::from("notify_all"),
        Op::Yield => String::from("yield"),
        Op::CellRead => String::from("cell read"),
        Op::CellWrite => String::from("cell write"),
    }
}

fn thread_name(thread: usize) -> String {
    if thread == 0 {
        String::from("main")
    } else {
        format!("thread {thread}")
    }
}

fn table(threads: usize, rows: &[Row]) -> String {
    let len = |s: &str| s.chars().count();
    let mut text_width = vec![0; threads];
    let mut location_width = vec![0; threads];
    for row in rows {
        text_width[row.thread] = text_width[row.thread].max(len(&row.text));
        location_width[row.thread] = location_width[row.thread].max(len(&row.location));
    }
    let width: Vec<usize> = (0..threads)
        .map(|t| (text_width[t] + 2 + location_width[t]).max(len(&thread_name(t))))
        .collect();

    let line = |cells: Vec<String>, step: &str| -> String {
        let cells: Vec<String> = cells
            .iter()
            .zip(&width)
            .map(|(cell, w)| format!("{cell}{}", " ".repeat(w - len(cell))))
            .collect();
        format!(" {step:>4} │ {}", cells.join(" │ "))
            .trim_end()
            .to_string()
            + "\n"
    };
    let rule = |joint: &str| -> String {
        let parts: Vec<String> = width.iter().map(|w| "─".repeat(w + 2)).collect();
        format!("──────{joint}{}\n", parts.join(joint))
    };

    let mut out = line((0..threads).map(thread_name).collect(), "step");
    out.push_str(&rule("┼"));
    for (step, row) in rows.iter().enumerate() {
        let cells = (0..threads)
            .map(|t| {
                if t != row.thread {
                    return String::new();
                }
                let pad = text_width[t] - len(&row.text) + 2;
                format!("{}{}{}", row.text, " ".repeat(pad), row.location)
            })
            .collect();
        out.push_str(&line(cells, &(step + 1).to_string()));
    }
    out.push_str(&rule("┴"));
    out
}

fn verdict_lines(failure: &Failure) -> String {
    let trace = &failure.trace;
    match failure.kind {
        FailureKind::Deadlock => {
            let mut out = String::from(" failed: deadlock: every thread is waiting for another\n");
            for (thread, held, waiting) in trace.lock_state() {
                let held: Vec<String> = held.iter().map(|&o| trace.objects[o].label()).collect();
                let held = if held.is_empty() {
                    String::from("nothing")
                } else {
                    held.join(" and ")
                };
                let waiting = match waiting {
                    Some(o) => format!(", waits for {}", trace.objects[o].label()),
                    None => String::new(),
                };
                out.push_str(&format!(
                    "   {} holds {held}{waiting}\n",
                    thread_name(thread)
                ));
            }
            for thread in 0..trace.threads {
                let last = trace.events.iter().rev().find(|e| e.thread == thread);
                if last.map(|e| e.op == Op::Wait).unwrap_or(false) {
                    out.push_str(&format!(
                        "   {} waits on a condition variable no one will notify\n",
                        thread_name(thread)
                    ));
                }
            }
            out
        }
        FailureKind::Panic | FailureKind::LoomLimit => {
            let mut message = failure.message.lines();
            let mut out = format!(" failed: {}\n", message.next().unwrap_or_default());
            for more in message {
                out.push_str(&format!("         {more}\n"));
            }
            if failure.kind == FailureKind::LoomLimit {
                out.push_str(
                    "         (one of loom's limits: the model is too big, or loops without end)\n",
                );
            }
            if let Some(code) = source_line(&failure.file, failure.line) {
                out.push_str(&format!(
                    "     at {}  {code}\n",
                    short(&failure.file, failure.line)
                ));
            }
            out
        }
    }
}

/// `racy.rs:14`: a file's name and a line, short enough for a cell.
fn short(file: &str, line: u32) -> String {
    let name = Path::new(file)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.to_string());
    format!("{name}:{line}")
}

/// The workspace root: source paths in `Location`s are relative to it.
pub(crate) fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the harness lives in the workspace")
        .to_path_buf()
}

/// The text of a line of the course's own code (not loom's or std's).
fn source_line(file: &str, line: u32) -> Option<String> {
    if file.is_empty() || Path::new(file).is_absolute() || file.starts_with('/') {
        return None;
    }
    let text = std::fs::read_to_string(workspace_root().join(file)).ok()?;
    let code = text.lines().nth(line.checked_sub(1)? as usize)?.trim();
    Some(code.to_string())
}
