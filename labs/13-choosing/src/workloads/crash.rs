//! `crash`: one job in a hundred aborts the process it runs in (claim
//! C10). Each model runs in a child process of its own (`lab-13
//! crash-child`), which prints `done N` as each job finishes: the parent
//! counts what finished before the end, and reads how the child ended.
//! Threads share their process, so the abort takes every one of them;
//! a worker process takes only itself.

use super::{Ctx, Figures, Fit, Outcome, Progress, run_jobs};
use crate::jobs::Task;
use crate::models::{Model, Size, Workload};
use std::io::{self, BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Which job aborts: one in a hundred.
pub const FATAL: u64 = 37;

/// The jobs of `workload` (`crash` or `panic`): 100 of them, each about
/// 2 ms of work on one core here (a tenth of that in the smoke test), one
/// fatal: it aborts, or it panics.
pub fn tasks(workload: Workload, size: Size, rounds_per_ms: u64) -> Vec<Task> {
    let rounds = match size {
        Size::Tiny => rounds_per_ms / 5,
        _ => rounds_per_ms * 2,
    };
    (0..100)
        .map(|index| {
            let fatal = index == FATAL;
            match workload {
                Workload::Panic => Task::MaybePanic {
                    index,
                    rounds,
                    fatal,
                },
                _ => Task::MaybeAbort {
                    index,
                    rounds,
                    fatal,
                },
            }
        })
        .collect()
}

/// Whether `model` fits, and what the reader should know of a row.
fn fit(workload: Workload, model: Model) -> Fit {
    match (workload, model) {
        (Workload::Crash, Model::RedisQueue) => Fit::RunsBut(QUEUE_NOTE),
        (Workload::Panic, Model::RedisQueue) => Fit::NotApplicable(
            "a job that panics ends its worker process as an abort does (lab-13's worker does \
             not catch it): the crash table's Redis row shows what the queue does then",
        ),
        (Workload::Crash, Model::PoolThreads | Model::EventLoop) => Fit::RunsBut(
            "hands back its results when the whole batch is done: the abort took the ones it \
             had finished too",
        ),
        (Workload::Panic, Model::Threads) => {
            Fit::RunsBut("the panic ends its thread; `join` returns it as an Err")
        }
        (Workload::Panic, Model::PoolThreads) => {
            Fit::RunsBut("lab-09's pool catches each job's panic (`catch_unwind`)")
        }
        (Workload::Panic, Model::Tokio | Model::TokioBlocking) => {
            Fit::RunsBut("tokio returns the panic as the task's `JoinError`")
        }
        _ => Fit::Runs,
    }
}

/// Every row of the table of `workload` (`crash` or `panic`). Each row's
/// child runs at the same time as the others': a row counts jobs, it is
/// not timed, so they need not take turns.
pub fn rows(workload: Workload, ctx: &Ctx, progress: Progress) -> Vec<(Model, Outcome)> {
    let total = tasks(workload, ctx.size, ctx.rounds_per_ms).len() as u64;
    std::thread::scope(|scope| {
        let rows: Vec<_> = workload
            .models()
            .into_iter()
            .map(|model| {
                let note = match fit(workload, model) {
                    Fit::NotApplicable(reason) => return Err((model, Outcome::na(reason))),
                    Fit::RunsBut(note) => Some(note),
                    Fit::Runs => None,
                };
                if model == Model::RedisQueue
                    && let Err(why) = &ctx.redis
                {
                    let reason = format!("no Redis server: {why}");
                    return Err((model, Outcome::na(&reason)));
                }
                let bar = progress(model, total);
                Ok(scope.spawn(move || {
                    let ran = in_a_child(workload, model, ctx, &bar);
                    bar.finish_and_clear();
                    (model, row(workload, model, total, note, ran))
                }))
            })
            .collect();
        rows.into_iter()
            .map(|row| match row {
                Ok(running) => running.join().expect("a crash row's thread"),
                Err(not_applicable) => not_applicable,
            })
            .collect()
    })
}

/// A row, from what its child reported.
fn row(
    workload: Workload,
    model: Model,
    total: u64,
    note: Option<&str>,
    ran: io::Result<(Vec<u64>, String, bool)>,
) -> Outcome {
    match ran {
        Ok((finished, ended, survived)) => {
            let lost: Vec<u64> = (0..total).filter(|job| !finished.contains(job)).collect();
            let done = finished.len() as u64;
            let mut figures = Figures {
                jobs: done,
                finished: Some(done),
                survived: Some(survived),
                lost: Some(lost.len() as u64),
                lines: super::lines(workload, model),
                ..Figures::default()
            };
            let ended = match lost.as_slice() {
                [] => ended,
                [job] => format!("{ended}; lost: job {job}"),
                _ => format!("{ended}; lost: {} jobs", lost.len()),
            };
            figures.lost_jobs = Some(lost);
            figures.note = Some(match note {
                Some(note) => format!("{ended}; {note}"),
                None => ended,
            });
            Outcome::Measured(Box::new(figures))
        }
        Err(error) => Outcome::Failed {
            error: error.to_string(),
        },
    }
}

/// The Redis queue's crash row: what becomes of the job that aborts. The
/// count is lab-12's `MAX_DELIVERIES` (a test holds it to it).
const QUEUE_NOTE: &str = "the reaper takes the aborting job back once its worker's lease runs \
     out, and a new worker takes the dead one's place; after 3 deliveries, 3 workers dead, the job \
     goes to the dead-letter list, and every other job is done";

// ANCHOR: child
/// Runs `model` on the crash jobs in `lab-13 crash-child`; returns which
/// jobs it reported finished and how the child ended. A child that has not ended
/// 120 s after its last line of output is killed, and the row says so.
fn in_a_child(
    workload: Workload,
    model: Model,
    ctx: &Ctx,
    bar: &indicatif::ProgressBar,
) -> io::Result<(Vec<u64>, String, bool)> {
    let model_name = serde_json::to_string(&model)?;
    let size_name = serde_json::to_string(&ctx.size)?;
    let mut command = Command::new(std::env::current_exe()?);
    command
        .args(["crash-child", "--workload", workload.name()])
        .args(["--model", model_name.trim_matches('"')])
        .args(["--size", size_name.trim_matches('"')])
        .args(["--rounds-per-ms", &ctx.rounds_per_ms.to_string()]);
    if let (Model::RedisQueue, Ok(url)) = (model, &ctx.redis) {
        command.args(["--redis", url]);
    }
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped()) // its last words, if it says any
        .env("RUST_BACKTRACE", "0")
        .spawn()
        .map_err(|e| io::Error::new(e.kind(), format!("cannot start a crash child: {e}")))?;
    let stderr = child.stderr.take().expect("piped");
    let last_words = std::thread::spawn(move || {
        let lines = BufReader::new(stderr).lines().map_while(Result::ok);
        // Skip the panic hook's "note: run with RUST_BACKTRACE=1".
        let said = |line: &String| !line.trim().is_empty() && !line.starts_with("note: ");
        lines.filter(said).last()
    });
    let stdout = child.stdout.take().expect("piped");
    let (line, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for text in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = line.send(text);
        }
    });
    let (mut finished, mut survived) = (Vec::new(), false);
    loop {
        match lines.recv_timeout(Duration::from_secs(120)) {
            Ok(text) if text.starts_with("done ") => {
                finished.extend(text["done ".len()..].parse::<u64>().ok());
                bar.inc(1);
            }
            Ok(text) => survived |= text == "survived",
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let _ = child.kill();
                let _ = child.wait();
                let error = format!("{} said nothing for 120 s; killed", model.label());
                return Err(io::Error::other(error));
            }
        }
    }
    let status = child.wait()?;
    let survived = survived && status.success();
    let ended = if survived {
        String::from("the program survived")
    } else {
        match last_words.join().ok().flatten() {
            Some(words) => format!("the program died ({status}); its last words: {words}"),
            None => format!("the program died ({status})"),
        }
    };
    Ok((finished, ended, survived))
}
// ANCHOR_END: child

/// `lab-13 crash-child`: runs the crash jobs in `model`, printing `done N`
/// as each finishes, then `survived` if the program is still alive.
pub fn crash_child(workload: Workload, model: Model, ctx: &Ctx) -> io::Result<()> {
    use std::io::Write;
    let tasks = tasks(workload, ctx.size, ctx.rounds_per_ms);
    let stdout = std::sync::Mutex::new(io::stdout());
    let done = |index: usize| {
        let mut out = stdout.lock().expect("no panic holds it");
        let _ = writeln!(out, "done {index}");
        let _ = out.flush();
    };
    let parallel = ctx.cores;
    let (outcome, _) = run_jobs(model, (&tasks, workload), parallel, ctx, None, &done);
    if let Outcome::Failed { error } = outcome {
        eprintln!("{error}");
    }
    let mut out = stdout.lock().expect("no panic holds it");
    writeln!(out, "survived")?;
    out.flush()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_queue_note_gives_lab_12s_retry_limit() {
        let limit = lab_12::MAX_DELIVERIES;
        let said = format!("after {limit} deliveries, {limit} workers dead");
        assert!(super::QUEUE_NOTE.contains(&said), "{}", super::QUEUE_NOTE);
    }
}
