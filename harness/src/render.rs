//! Printing a verdict: the failing interleaving as one column per thread,
//! time going down, each step with its values and source line.

use crate::record::{Event, Op, Trace};
use crate::source::source_statement;
use crate::verdict::{Explored, Failure, FailureKind, Verdict};
use std::collections::BTreeSet;
use std::path::Path;

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
    format!("{}\n{}", headline(lab, verdict), render_details(verdict))
}

/// The verdict in one line: `lab-01 · racy counter · loom found a failing
/// interleaving`.
pub fn headline(lab: &str, verdict: &Verdict) -> String {
    let lab = if lab.is_empty() {
        String::new()
    } else {
        format!("{lab} · ")
    };
    let title = &verdict.explored().title;
    format!("{lab}{title} · {}", verdict_text(verdict))
}

/// What a verdict says, in a few words. A pass under a preemption bound
/// says so: loom looked only at executions with at most that many
/// preemptions, not at every interleaving.
pub(crate) fn verdict_text(verdict: &Verdict) -> String {
    match verdict {
        Verdict::Passed(explored) => match explored.preemption_bound {
            Some(bound) => format!("no failing execution within preemption bound {bound}"),
            None => String::from("no failing interleaving"),
        },
        Verdict::Failed(failure) if failure.kind == FailureKind::LoomLimit => {
            String::from("loom stopped an execution that went past its limits")
        }
        Verdict::Failed(_) => String::from("loom found a failing interleaving"),
    }
}

/// What follows the headline: what was explored, and the failing execution.
fn render_details(verdict: &Verdict) -> String {
    let explored = explored_text(verdict.explored());
    match verdict {
        Verdict::Passed(_) => format!("explored {explored}: every one passed"),
        Verdict::Failed(failure) => {
            // A check exploring past failures went on after this one.
            let went_on = failure.went_on.map_or(String::new(), |w| {
                let executions = if w.executions == 1 {
                    "execution"
                } else {
                    "executions"
                };
                format!(
                    "\nloom went on past it: {} {executions} in all, {} of them failing",
                    w.executions, w.failed
                )
            });
            format!(
                "explored {explored}; the last one failed:{went_on}\n\n{}",
                render_failure(failure)
            )
        }
    }
}

/// One row of the table: consecutive operations of one thread on one line,
/// each with how many times in a row it happened.
#[derive(Clone, PartialEq)]
struct Row {
    thread: usize,
    ops: Vec<(String, usize)>,
    location: String,
}

impl Row {
    fn text(&self) -> String {
        let ops: Vec<String> = self
            .ops
            .iter()
            .map(|(op, times)| {
                if *times > 1 {
                    format!("{op} ×{times}")
                } else {
                    op.clone()
                }
            })
            .collect();
        ops.join(", ")
    }
}

fn render_failure(failure: &Failure) -> String {
    let trace = &failure.trace;
    let mut out = table(trace, &rows(trace));

    let mut lines: Vec<(String, u32)> = Vec::new();
    for event in trace.events.iter().filter(|e| shown(trace, e)) {
        let key = (event.file.clone(), event.line);
        if !lines.contains(&key) {
            lines.push(key);
        }
    }
    let width = lines
        .iter()
        .map(|(f, l)| short(f, *l).chars().count())
        .max()
        .unwrap_or(0);
    for (file, line) in &lines {
        let code = source_statement(file, *line).unwrap_or_default();
        let entry = format!(" {:<width$}  {code}", short(file, *line));
        out.push_str(&hanging(entry.trim_end(), width + 3));
    }
    if !lines.is_empty() {
        out.push('\n');
    }
    let notes = notes(trace);
    if notes.stale {
        out.push_str(
            " (stale): the load returned an older value than the latest store above it, as its\n \
             memory ordering allows: the rows are the order loom ran the threads in, not the order\n \
             memory took.\n",
        );
        if notes.stale_seq_cst {
            out.push_str(
                " loom runs SeqCst as AcqRel (a limit its documentation states), so this execution\n \
                 may be one that SeqCst forbids.\n",
            );
        }
        out.push('\n');
    }
    if !failure.printed.is_empty() {
        out.push_str(" the model printed, in this execution:\n");
        for line in failure.printed.lines().take(20) {
            out.push_str(&hanging(&format!("   {line}"), 3));
        }
        if failure.printed.lines().count() > 20 {
            out.push_str("   …\n");
        }
        out.push('\n');
    }
    for line in verdict_lines(failure).lines() {
        let indent = line.len() - line.trim_start().len();
        // "     at lab.rs:12  assert!(...)": go on under the code.
        let indent = match line.trim_start().strip_prefix("at ") {
            Some(rest) => indent + 3 + rest.find("  ").map_or(0, |i| i + 2),
            None if line.trim_start().starts_with("failed: ") => indent + "failed: ".len(),
            None => indent,
        };
        out.push_str(&hanging(line, indent));
    }
    out
}

/// `line` wrapped to [`PAGE_WIDTH`], its later lines indented by `indent`
/// spaces; each line ends with a newline.
fn hanging(line: &str, indent: usize) -> String {
    if line.chars().count() <= PAGE_WIDTH {
        return format!("{line}\n");
    }
    let indent = indent.min(PAGE_WIDTH / 2);
    let head: String = line.chars().take(indent).collect();
    let body: String = line.chars().skip(indent).collect();
    let mut out = String::new();
    for (i, part) in wrap(&body, PAGE_WIDTH - indent).iter().enumerate() {
        let lead = if i == 0 {
            head.clone()
        } else {
            " ".repeat(indent)
        };
        out.push_str(format!("{lead}{}", part.trim_start()).trim_end());
        out.push('\n');
    }
    out
}

/// Whether an event gets a place in the table: a request for a lock or a
/// join is shown only when the thread never got further (it is blocked there).
fn shown(trace: &Trace, event: &Event) -> bool {
    if !matches!(event.op, Op::WantLock | Op::WantJoin { .. }) {
        return true;
    }
    let last = trace.events.iter().rposition(|e| e.thread == event.thread);
    last.is_some_and(|i| std::ptr::eq(&trace.events[i], event))
}

/// The trace's rows, one per step, loops not collapsed: `(thread, what it
/// did, where)`, for the explorer and the stepper.
pub(crate) fn steps(trace: &Trace) -> Vec<(usize, String, String)> {
    uncollapsed_rows(trace)
        .into_iter()
        .map(|row| (row.thread, row.text(), row.location))
        .collect()
}

/// The trace's table alone, as a failure prints it.
pub(crate) fn table_of(trace: &Trace) -> String {
    table(trace, &rows(trace))
}

/// Events with their index in the trace.
type Numbered<'a> = Vec<(usize, &'a Event)>;

fn rows(trace: &Trace) -> Vec<Row> {
    collapse_loops(uncollapsed_rows(trace))
}

fn uncollapsed_rows(trace: &Trace) -> Vec<Row> {
    // An object is named only when its kind has more than one in the trace:
    // with one mutex, "lock" is clear; with two, "mutex 2: lock".
    let touched: BTreeSet<usize> = trace.events.iter().filter_map(|e| e.object).collect();
    let of_kind = |kind: &str| {
        touched
            .iter()
            .filter(|&&o| trace.objects[o].kind == kind)
            .count()
    };
    let named = |object: usize| {
        trace.objects[object].name.is_some() || of_kind(&trace.objects[object].kind) > 1
    };
    let labels = touched.iter().any(|&o| named(o));
    // A request a thread is still blocked on when the execution stops goes
    // last: loom may run other threads between the request and the block.
    let (blocked, ran): (Numbered, Numbered) = trace
        .events
        .iter()
        .enumerate()
        .filter(|(_, e)| shown(trace, e))
        .partition(|(_, e)| matches!(e.op, Op::WantLock | Op::WantJoin { .. }));
    let notes = notes(trace);
    let mut rows: Vec<Row> = Vec::new();
    let mut last_object: Option<usize> = None;
    let mut alone = false; // the previous operation wants a row to itself
    for (index, event) in ran.into_iter().chain(blocked) {
        let location = match event.op {
            // A guard unlocks where it is dropped, which the harness cannot
            // see: after its last use, at the end of its scope.
            Op::Unlock => String::from("end of scope"),
            _ => short(&event.file, event.line),
        };
        let own_row = matches!(event.op, Op::Wait { .. } | Op::Woken { .. });
        let mut text = op_text(trace, &event.op, labels) + &notes.text[index];
        let same_row = !own_row
            && !alone
            && rows.last().is_some_and(|row| {
                row.thread == event.thread && (row.location == location || event.op == Op::Unlock)
            });
        alone = own_row;
        // Two objects can share a name (a pipe's mutex and its condvar).
        let label = |object: Option<usize>| object.map(|o| trace.objects[o].label());
        if let Some(object) = event.object
            && named(object)
            && (!same_row || label(event.object) != label(last_object))
        {
            text = format!("{}: {text}", trace.objects[object].label());
        } else if let Some(object) = event.object
            && same_row
            && event.op == Op::Unlock
            && label(event.object) != label(last_object)
        {
            // "store ← true, unlock" would read as unlocking the atomic.
            text = format!("{}: {text}", trace.objects[object].kind);
        }
        last_object = event.object;
        match rows.last_mut() {
            Some(row) if same_row => match row.ops.last_mut() {
                Some((last, times)) if *last == text => *times += 1,
                _ => row.ops.push((text, 1)),
            },
            _ => rows.push(Row {
                thread: event.thread,
                ops: vec![(text, 1)],
                location,
            }),
        }
    }
    rows
}

/// A thread spinning in a loop repeats the same few rows: keep one copy of
/// the loop's rows and say how many times it went round again.
fn collapse_loops(rows: Vec<Row>) -> Vec<Row> {
    const LONGEST_LOOP: usize = 4;
    let mut out = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let repeated = (1..=LONGEST_LOOP).find_map(|period| {
            let block = rows.get(i..i + period)?;
            let times = rows[i..]
                .chunks_exact(period)
                .take_while(|chunk| *chunk == block)
                .count();
            (times >= 3).then_some((period, times))
        });
        match repeated {
            Some((period, times)) => {
                out.extend_from_slice(&rows[i..i + period]);
                out.push(Row {
                    thread: rows[i].thread,
                    ops: vec![(
                        match period {
                            1 => format!("(the row above, {} more times)", times - 1),
                            _ => format!("(the {period} rows above, {} more times)", times - 1),
                        },
                        1,
                    )],
                    location: String::new(),
                });
                i += period * times;
            }
            None => {
                out.push(rows[i].clone());
                i += 1;
            }
        }
    }
    out
}

/// What an operation's own text cannot say, from the events before it:
/// whom a notify woke, and which loads returned an older value than the
/// latest store above them.
struct Notes {
    /// By event: text to add after the operation's own (or nothing).
    text: Vec<String>,
    /// Whether some load is marked stale.
    stale: bool,
    /// Whether a stale load, or the store it missed, is `SeqCst`.
    stale_seq_cst: bool,
}

/// Marks a load that missed the latest store above it: allowed by weak
/// memory orderings, and the table is loom's schedule, not memory's order.
const STALE: &str = " (stale)";

fn notes(trace: &Trace) -> Notes {
    let mut text = vec![String::new(); trace.events.len()];
    let (mut stale, mut stale_seq_cst) = (false, false);
    // By atomic: the latest value stored, and its ordering, while known.
    let mut stored: Vec<Option<(String, Option<String>)>> = vec![None; trace.objects.len()];
    // By condition variable: the threads waiting on it, first first, and
    // the mutex each released.
    let mut waiting: Vec<Vec<(usize, Option<usize>)>> = vec![Vec::new(); trace.objects.len()];
    // By thread: the locks it holds.
    let mut held: Vec<Vec<usize>> = vec![Vec::new(); trace.threads.max(1)];
    for (index, event) in trace.events.iter().enumerate() {
        if let Some(locks) = held.get_mut(event.thread) {
            match (&event.op, event.object) {
                (Op::Lock | Op::ReadLock, Some(lock)) => locks.push(lock),
                (Op::Unlock, Some(lock)) => {
                    if let Some(at) = locks.iter().rposition(|&l| l == lock) {
                        locks.remove(at);
                    }
                }
                (Op::Wait { mutex: Some(lock) }, _) => locks.retain(|&l| l != *lock),
                (Op::Woken { mutex: Some(lock) }, _) => locks.push(*lock),
                _ => {}
            }
        }
        let Some(object) = event.object.filter(|&o| o < trace.objects.len()) else {
            continue;
        };
        match &event.op {
            Op::Store { value, order } => stored[object] = Some((value.clone(), order.clone())),
            Op::Update { method, args, .. } if method == "swap" => {
                let value = args.split(", ").next().unwrap_or_default().to_string();
                stored[object] = Some((value, None));
            }
            Op::Update { .. } => stored[object] = None, // its new value is not recorded
            Op::Load { value, order } => {
                if let Some((latest, store_order)) = &stored[object]
                    && latest != value
                {
                    text[index] = String::from(STALE);
                    stale = true;
                    let seq_cst = |o: &Option<String>| o.as_deref() == Some("SeqCst");
                    stale_seq_cst |= seq_cst(order) || seq_cst(store_order);
                }
            }
            Op::Wait { mutex } => waiting[object].push((event.thread, *mutex)),
            Op::Woken { .. } => waiting[object].retain(|&(t, _)| t != event.thread),
            Op::Notify { all } => {
                let had_waiters = !waiting[object].is_empty();
                // A waiter whose mutex the notifier holds has surely joined
                // the condition variable's queue: it let go of the mutex
                // only after joining. One whose mutex is free may not have
                // joined yet (loom's wait is a scheduling point before it
                // joins), so a lock-free notify wakes it only if it does
                // wake later. loom's `notify_one` wakes the first waiter.
                let notifier_holds = |mutex: Option<usize>| {
                    mutex.is_some_and(|m| held.get(event.thread).is_some_and(|h| h.contains(&m)))
                };
                let wakes_later = |thread: usize| {
                    trace.events[index + 1..].iter().any(|e| {
                        e.thread == thread
                            && e.object == Some(object)
                            && matches!(e.op, Op::Woken { .. })
                    })
                };
                let wakes = |&(t, m): &(usize, Option<usize>)| notifier_holds(m) || wakes_later(t);
                let woken: Vec<usize> = if *all {
                    let (woken, left): (Vec<_>, Vec<_>) = std::mem::take(&mut waiting[object])
                        .into_iter()
                        .partition(wakes);
                    waiting[object] = left;
                    woken.into_iter().map(|(t, _)| t).collect()
                } else {
                    match waiting[object].iter().position(wakes) {
                        Some(at) => vec![waiting[object].remove(at).0],
                        None => Vec::new(),
                    }
                };
                text[index] = if !woken.is_empty() {
                    let names: Vec<String> = woken.iter().map(|&t| trace.thread_label(t)).collect();
                    format!(" → wakes {}", names.join(", "))
                } else if had_waiters {
                    String::from(" (wakes no one: no thread is waiting yet)")
                } else {
                    String::from(" (no one waits)")
                };
            }
            _ => {}
        }
    }
    Notes {
        text,
        stale,
        stale_seq_cst,
    }
}

fn op_text(trace: &Trace, op: &Op, labels: bool) -> String {
    let several_mutexes = labels && trace.objects.iter().filter(|o| o.kind == "mutex").count() > 1;
    let mutex = |mutex: &Option<usize>| match mutex {
        Some(m) if several_mutexes => format!(" {}", trace.objects[*m].label()),
        _ => String::new(),
    };
    match op {
        Op::Spawn { child } => format!("spawn {}", trace.thread_label(*child)),
        Op::WantJoin { child } => {
            format!(
                "waits for {} to finish (blocked)",
                trace.thread_label(*child)
            )
        }
        Op::Join { child } => format!("join {}", trace.thread_label(*child)),
        Op::WantLock => String::from("waits for the lock (blocked)"),
        Op::TryLockFailed => String::from("try_lock: held elsewhere"),
        Op::Lock => String::from("lock"),
        Op::ReadLock => String::from("read-lock"),
        Op::Unlock => String::from("unlock"),
        Op::Read { value } => format!("read → {value}"),
        // Filled in when the guard is next used; a deadlock can stop the
        // thread first, and then the value written is not known.
        Op::Write { value } if value.is_empty() => String::from("write"),
        Op::Write { value } => format!("write ← {value}"),
        Op::Load { value, order } => match order {
            Some(order) => format!("load({order}) → {value}"),
            None => format!("load → {value}"),
        },
        Op::Store { value, order } => match order {
            Some(order) => format!("store({value}, {order})"),
            None => format!("store ← {value}"),
        },
        Op::Update {
            method,
            args,
            returned,
            order,
        } => {
            let args = match (args.is_empty(), order) {
                (_, None) => args.clone(),
                (true, Some(order)) => order.clone(),
                (false, Some(order)) => format!("{args}, {order}"),
            };
            format!("{method}({args}) → {returned}")
        }
        Op::Wait { mutex: m } => format!("wait (unlocks{})", mutex(m)),
        Op::Woken { mutex: m } => format!("woken (locks{})", mutex(m)),
        Op::Notify { all: false } => String::from("notify_one"),
        Op::Notify { all: true } => String::from("notify_all"),
        Op::Yield => String::from("yield"),
        Op::CellRead => String::from("cell read"),
        Op::CellWrite => String::from("cell write"),
    }
}

/// The widest a trace's line may be: what the book's content column holds
/// at 1280 px with the sidebar open.
pub const PAGE_WIDTH: usize = 119;

/// The narrowest a thread's column gets, however many threads there are.
const NARROWEST: usize = 18;

/// The table: a step number, one column per thread (only the thread that
/// acts in a row has text in it), and the row's source line last, once.
/// A cell too wide for its column wraps inside it, at a comma if it can.
fn table(trace: &Trace, rows: &[Row]) -> String {
    let threads = trace.threads.max(1);
    let thread_name = |thread: usize| trace.thread_label(thread);
    let len = |s: &str| s.chars().count();
    let texts: Vec<String> = rows.iter().map(Row::text).collect();
    let at_width = rows
        .iter()
        .map(|row| len(&row.location))
        .chain([len("at")])
        .max()
        .unwrap_or(0);
    // " step │ ", then each column and the " │ " after it, then the line.
    let fixed = 8 + 3 * threads + at_width;
    let room = PAGE_WIDTH.saturating_sub(fixed);
    let mut natural = vec![0; threads];
    for (row, text) in rows.iter().zip(&texts) {
        natural[row.thread] = natural[row.thread].max(len(text));
    }
    for (t, width) in natural.iter_mut().enumerate() {
        *width = (*width).max(len(&thread_name(t)));
    }
    let width = fit(&natural, room);

    let line = |cells: &[String], step: &str, at: &str| -> String {
        let cells: Vec<String> = cells
            .iter()
            .zip(&width)
            .map(|(cell, w)| format!("{cell}{}", " ".repeat(w.saturating_sub(len(cell)))))
            .collect();
        format!(" {step:>4} │ {} │ {at}", cells.join(" │ "))
            .trim_end()
            .to_string()
            + "\n"
    };
    let rule = |joint: &str| -> String {
        let parts: Vec<String> = width.iter().map(|w| "─".repeat(w + 2)).collect();
        format!(
            "──────{joint}{}{joint}{}\n",
            parts.join(joint),
            "─".repeat(at_width + 1)
        )
    };

    let names: Vec<String> = (0..threads).map(thread_name).collect();
    let mut out = line(&names, "step", "at");
    out.push_str(&rule("┼"));
    for (step, (row, text)) in rows.iter().zip(&texts).enumerate() {
        let wrapped = wrap(text, width[row.thread]);
        for (i, part) in wrapped.iter().enumerate() {
            let cells: Vec<String> = (0..threads)
                .map(|t| {
                    if t == row.thread {
                        part.clone()
                    } else {
                        String::new()
                    }
                })
                .collect();
            let (step, at) = if i == 0 {
                ((step + 1).to_string(), row.location.as_str())
            } else {
                (String::new(), "")
            };
            out.push_str(&line(&cells, &step, at));
        }
    }
    out.push_str(&rule("┴"));
    out
}

/// Column widths that fit in `room`: each column keeps its natural width
/// if all fit; otherwise the widest are narrowed, never below
/// [`NARROWEST`], until they fit (or cannot narrow further).
fn fit(natural: &[usize], room: usize) -> Vec<usize> {
    let mut width = natural.to_vec();
    while width.iter().sum::<usize>() > room {
        let widest = *width.iter().max().unwrap_or(&0);
        if widest <= NARROWEST {
            break;
        }
        let next = width
            .iter()
            .filter(|&&w| w < widest)
            .max()
            .copied()
            .unwrap_or(0);
        let over = width.iter().sum::<usize>() - room;
        let count = width.iter().filter(|&&w| w == widest).count();
        // Narrow every widest column to the next width down, or by just
        // enough to fit, whichever is less.
        let step = (widest - next).min(over.div_ceil(count)).max(1);
        let target = (widest - step).max(NARROWEST);
        for w in width.iter_mut().filter(|w| **w == widest) {
            *w = target;
        }
    }
    width
}

/// `text` in lines of at most `width` characters: broken after a comma
/// if it can, else at a space, else anywhere.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let len = |s: &str| s.chars().count();
    let width = width.max(8); // room for the two spaces that start a continuation
    let mut lines = Vec::new();
    let mut rest = text.trim().to_string();
    while len(&rest) > width {
        let chars: Vec<char> = rest.chars().collect();
        let head: String = chars[..=width.min(chars.len() - 1)].iter().collect();
        let cut = head
            .rfind(", ")
            .map(|i| i + 1)
            .or_else(|| head.rfind(' '))
            .filter(|&i| i > 0)
            .unwrap_or_else(|| chars[..width].iter().collect::<String>().len());
        lines.push(rest[..cut].trim_end().to_string());
        rest = format!("  {}", rest[cut..].trim_start());
    }
    lines.push(rest);
    lines
}

fn verdict_lines(failure: &Failure) -> String {
    let trace = &failure.trace;
    match failure.kind {
        FailureKind::Deadlock => {
            let mut out = String::from(" failed: deadlock: no thread can go on\n");
            let locks = trace.lock_state();
            // An object the table calls by no name (the only one of its
            // kind, unnamed) is "the condvar" here too, not "condvar 1".
            let touched: BTreeSet<usize> = trace.events.iter().filter_map(|e| e.object).collect();
            let label = |object: usize| {
                let it = &trace.objects[object];
                let alone = touched
                    .iter()
                    .filter(|&&o| trace.objects[o].kind == it.kind)
                    .count()
                    <= 1;
                if it.name.is_none() && alone {
                    format!(
                        "the {}",
                        if it.kind == "mutex" {
                            "lock"
                        } else {
                            it.kind.as_str()
                        }
                    )
                } else {
                    it.label()
                }
            };
            for thread in 0..trace.threads {
                let name = trace.thread_label(thread);
                let last = trace.events.iter().rev().find(|e| e.thread == thread);
                let state = match last.map(|e| (&e.op, e.object)) {
                    Some((Op::Wait { .. }, Some(condvar))) => {
                        format!("waits on {}, which no thread will notify", label(condvar))
                    }
                    Some((Op::WantJoin { child }, _)) => {
                        format!("waits for {} to finish", trace.thread_label(*child))
                    }
                    Some((Op::WantLock, _)) => String::new(),
                    _ => String::from("has finished"),
                };
                let held = locks.iter().find(|(t, ..)| *t == thread);
                let held_text = held
                    .map(|(_, held, waiting)| {
                        let held: Vec<String> = held.iter().map(|&o| label(o)).collect();
                        let held = if held.is_empty() {
                            String::from("nothing")
                        } else {
                            held.join(" and ")
                        };
                        match waiting {
                            Some(o) => {
                                format!("holds {held}, waits for {}", label(*o))
                            }
                            None => format!("holds {held}"),
                        }
                    })
                    .unwrap_or_default();
                let parts: Vec<&str> = [held_text.as_str(), state.as_str()]
                    .into_iter()
                    .filter(|p| !p.is_empty())
                    .collect();
                out.push_str(&format!("   {name} {}\n", parts.join(", and ")));
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
                    "         This is loom giving up, not a race: a thread looped without end\n         \
                     (a spin that never sees progress), or the model is too big for loom.\n",
                );
            }
            if failure.message.starts_with("Causality violation")
                && let Some(access) = failure.trace.events.last()
            {
                // Cell accesses are recorded before loom checks them, and
                // nothing is recorded while the execution unwinds: the
                // last event is the access loom stopped at.
                out.push_str(&format!(
                    "         A data race: {}'s {} at {} is not ordered after another\n         \
                     thread's access to the cell (no happens-before between them),\n         \
                     so loom stopped the execution there.\n",
                    trace.thread_label(access.thread),
                    op_text(trace, &access.op, false),
                    short(&access.file, access.line),
                ));
            }
            if let Some(code) = source_statement(&failure.file, failure.line) {
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

#[cfg(test)]
mod tests {
    use super::{Row, collapse_loops, headline, render};
    use crate::verdict::{Explored, Verdict};

    fn row(thread: usize, text: &str) -> Row {
        Row {
            thread,
            ops: vec![(text.to_string(), 1)],
            location: String::from("lab.rs:1"),
        }
    }

    #[test]
    fn a_loop_of_one_row_or_of_several_is_told_in_words_that_agree() {
        let said = |rows: Vec<Row>| -> Vec<String> {
            collapse_loops(rows).iter().map(Row::text).collect()
        };
        let spin = vec![row(1, "load → 0"); 4];
        assert_eq!(
            said(spin),
            ["load → 0", "(the row above, 3 more times)"],
            "one row, four times"
        );
        let pair = (0..3)
            .flat_map(|_| [row(1, "lock"), row(1, "unlock")])
            .collect();
        assert_eq!(
            said(pair),
            ["lock", "unlock", "(the 2 rows above, 2 more times)"],
            "two rows, three times"
        );
    }

    fn passed(preemption_bound: Option<usize>) -> Verdict {
        Verdict::Passed(Explored {
            title: String::from("two consumers"),
            executions: 1706,
            preemption_bound,
        })
    }

    #[test]
    fn a_bounded_pass_says_its_bound_and_claims_no_more() {
        for bound in [0, 1, 3] {
            let text = render("lab-03", &passed(Some(bound)));
            let first = text.lines().next().unwrap_or_default();
            assert_eq!(
                first,
                format!(
                    "lab-03 · two consumers · no failing execution within preemption bound {bound}"
                ),
                "{text}"
            );
            assert!(
                !text.contains("interleaving"),
                "a bounded pass claims every interleaving:\n{text}"
            );
            assert!(
                text.contains(&format!("(preemption bound {bound}): every one passed")),
                "{text}"
            );
        }
    }

    #[test]
    fn an_unbounded_pass_says_every_interleaving_and_differs_from_a_bounded_one() {
        let every = render("lab-03", &passed(None));
        assert_eq!(
            every.lines().next().unwrap_or_default(),
            "lab-03 · two consumers · no failing interleaving"
        );
        assert!(
            every.contains("(no preemption bound: every interleaving): every one passed"),
            "{every}"
        );
        assert_ne!(
            headline("lab-03", &passed(None)),
            headline("lab-03", &passed(Some(2)))
        );
    }
}
