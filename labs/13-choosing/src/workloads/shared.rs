//! `shared`: every job updates shared state, a count of each word (claims
//! C4, C5, C6). Four designs on threads, from "every update takes one
//! lock" to "nothing is shared until the end", and worker processes,
//! which cannot share the map at all: their counts are marshaled back.

use super::{Ctx, Figures, Outcome, Progress, Repeated, repeat};
use crate::jobs::{Task, count_words, merge, text};
use crate::models::{Model, Size, Workload};
use crate::run::Started;
use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Word counts.
pub type Counts = HashMap<String, u64>;

/// The text, in chunks: the jobs.
pub fn chunks(size: Size) -> Vec<String> {
    // Enough that counting them one after another takes a few tenths of
    // a second on one core: long enough to measure a speed-up.
    let words = match size {
        Size::Tiny => 300_000, // the smoke test: every design runs, untimed
        size => size.scale(12_000_000),
    };
    let chunks = 64;
    (0..chunks).map(|c| text(c + 1, words / chunks)).collect()
}

// ANCHOR: shared_sequential
/// One map, one thread.
pub fn sequential(chunks: &[String]) -> Counts {
    let mut counts = Counts::new();
    for chunk in chunks {
        for word in chunk.split_ascii_whitespace() {
            crate::jobs::count(&mut counts, word);
        }
    }
    counts
}
// ANCHOR_END: shared_sequential

/// Runs `job` on `threads` scoped threads, each taking the next chunk.
fn on_threads(chunks: &[String], threads: usize, job: impl Fn(&str) + Sync) {
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while let Some(chunk) = chunks.get(next.fetch_add(1, Ordering::Relaxed)) {
                    job(chunk);
                }
            });
        }
    });
}

// ANCHOR: shared_threads_one_mutex
/// Every word's update takes the one lock. Only the update is inside it:
/// a word seen before is a lookup and an add; a new word's key is
/// allocated outside the lock, which is then taken again.
pub fn one_mutex(chunks: &[String], threads: usize) -> Counts {
    let counts = Mutex::new(Counts::new());
    on_threads(chunks, threads, |chunk| {
        for word in chunk.split_ascii_whitespace() {
            add_under(&counts, word);
        }
    });
    counts.into_inner().expect("no panic held it")
}

/// Adds one to `word`'s count in the locked map, allocating nothing while
/// the lock is held.
fn add_under(counts: &Mutex<Counts>, word: &str) {
    if let Some(count) = counts.lock().expect("no panic holds it").get_mut(word) {
        *count += 1;
        return;
    }
    let key = word.to_string(); // a new word: its key made outside the lock
    *counts
        .lock()
        .expect("no panic holds it")
        .entry(key)
        .or_insert(0) += 1;
}
// ANCHOR_END: shared_threads_one_mutex

// ANCHOR: shared_threads_sharded
/// The map split into 64 shards, each behind its own lock: two threads
/// wait for each other only when their words land in the same shard. Each
/// shard has a cache line of its own (as dashmap's do), so that two
/// threads updating neighbouring shards do not pass one line back and
/// forth.
pub fn sharded(chunks: &[String], threads: usize) -> Counts {
    let shards: Vec<crossbeam::utils::CachePadded<Mutex<Counts>>> = (0..64)
        .map(|_| crossbeam::utils::CachePadded::new(Mutex::new(Counts::new())))
        .collect();
    let hasher = RandomState::new();
    on_threads(chunks, threads, |chunk| {
        for word in chunk.split_ascii_whitespace() {
            let shard = &shards[hasher.hash_one(word) as usize % shards.len()];
            add_under(shard, word);
        }
    });
    let mut counts = Counts::new();
    for shard in shards {
        counts.extend(shard.into_inner().into_inner().expect("no panic held it"));
    }
    counts
}
// ANCHOR_END: shared_threads_sharded

// ANCHOR: shared_threads
/// Each thread counts into a map of its own; the maps are merged at the
/// end: nothing is shared while the work runs (chapter 5).
pub fn merged(chunks: &[String], threads: usize) -> Counts {
    let next = AtomicUsize::new(0);
    let parts: Vec<Counts> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Counts::new();
                    while let Some(chunk) = chunks.get(next.fetch_add(1, Ordering::Relaxed)) {
                        merge(&mut mine, count_words(chunk));
                    }
                    mine
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("no panic"))
            .collect()
    });
    let mut counts = Counts::new();
    parts.into_iter().for_each(|part| merge(&mut counts, part));
    counts
}
// ANCHOR_END: shared_threads

// ANCHOR: shared_rayon
/// The same with rayon: fold into a map per piece of work, reduce by
/// merging (chapter 7).
pub fn rayon_fold(chunks: &[String]) -> Counts {
    chunks
        .par_iter()
        .map(|chunk| count_words(chunk))
        .reduce(Counts::new, |mut total, part| {
            merge(&mut total, part);
            total
        })
}
// ANCHOR_END: shared_rayon

// ANCHOR: shared_pool_processes
/// Worker processes cannot share the map: each chunk is sent to a worker
/// as JSON, its counts come back as JSON, and are merged here (C6).
pub fn processes(chunks: &[String], pool: &mut Started) -> Result<Counts, String> {
    let Started::ProcessPool(pool) = pool else {
        return Err(String::from("no process pool was started"));
    };
    let tasks: Vec<Task> = chunks
        .iter()
        .map(|chunk| Task::CountWords {
            text: chunk.clone(),
        })
        .collect();
    let answers = crate::run::pool(pool, &tasks, &|_| {})?;
    let mut counts = Counts::new();
    for answer in answers {
        match answer {
            crate::jobs::Answer::Counts(part) => merge(&mut counts, part),
            other => return Err(format!("a worker answered {other:?}, not counts")),
        }
    }
    Ok(counts)
}
// ANCHOR_END: shared_pool_processes

/// Every row of the table.
pub fn rows(ctx: &Ctx, progress: Progress) -> Vec<(Model, Outcome)> {
    let chunks = chunks(ctx.size);
    let words: u64 = chunks
        .iter()
        .map(|c| c.split_ascii_whitespace().count() as u64)
        .sum();
    let mut reference: Option<Counts> = None;
    let mut rows = Vec::new();
    for model in Workload::Shared.models() {
        let threads = ctx.cores;
        let once = |started: &mut Started| match model {
            Model::Sequential => Ok(sequential(&chunks)),
            Model::ThreadsOneMutex => Ok(one_mutex(&chunks, threads)),
            Model::ThreadsSharded => Ok(sharded(&chunks, threads)),
            Model::Threads => Ok(merged(&chunks, threads)),
            Model::Rayon => Ok(rayon_fold(&chunks)),
            Model::PoolProcesses => processes(&chunks, started),
            _ => Err(String::from("not a design of this table")),
        };
        if !matches!(
            model,
            Model::Sequential
                | Model::ThreadsOneMutex
                | Model::ThreadsSharded
                | Model::Threads
                | Model::Rayon
                | Model::PoolProcesses
        ) {
            let reason = "no I/O to wait for: tokio tasks would be the threads above, \
                          with a runtime added";
            rows.push((model, Outcome::na(reason)));
            continue;
        }
        let bar = progress(model, 1 + ctx.runs as u64);
        let start = || {
            crate::run::start(model, threads, ctx.cores, &ctx.program)
                .map_err(|error| format!("{} did not start: {error}", model.label()))
        };
        let counted = repeat(ctx, (words, true), start, |started| {
            let counts = once(started);
            bar.inc(1);
            counts
        });
        bar.finish_and_clear();
        let outcome = match counted {
            Ok(Repeated {
                samples,
                results,
                startup_s,
            }) => {
                let correct = match (&reference, model) {
                    (_, Model::Sequential) => Some(true), // the reference itself
                    (Some(reference), _) => Some(results.iter().all(|c| c == reference)),
                    (None, _) => None, // no reference to check against
                };
                let mut figures = Figures::from_samples(samples, words, correct);
                figures.lines = super::lines(Workload::Shared, model);
                if matches!(model, Model::Rayon | Model::PoolProcesses) {
                    figures.startup_s = Some(startup_s);
                }
                if model == Model::Sequential {
                    reference = results.into_iter().last();
                }
                Outcome::Measured(Box::new(figures))
            }
            Err(error) => Outcome::Failed { error },
        };
        rows.push((model, outcome));
    }
    rows
}
