//! `mixed`: latency-sensitive requests while CPU jobs run in the same
//! program (claims C14, C16). A tokio runtime (one worker thread per core)
//! serves echo requests (lab-11's task-per-connection server); a task on
//! the same runtime keeps one CPU job per core running, placed:
//!
//! - nowhere (the baseline: no CPU work);
//! - inline, in a task on the runtime's own threads;
//! - in `spawn_blocking`, on tokio's blocking threads;
//! - on rayon, its answer awaited;
//! - in lab-09's process pool, driven from `spawn_blocking`.
//!
//! Meanwhile a client on a thread of its own sends echo requests one at a
//! time and times each: the table's p50 and p99. When it is done, the CPU
//! jobs are stopped through a [`Gate`]: closed, then drained, so that no
//! job of this row still runs in the next (the capstone's race is in this
//! hand-over; see `racy.rs`).

use super::{Ctx, Figures, Outcome, Progress};
use crate::Gate;
use crate::jobs::{Task, crunch};
use crate::measure::{measured, percentiles};
use crate::models::{Model, Size, Workload};
use lab_09::pools::{Pool, PoolConfig, PoolKind, ProcessPool};
use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The gate the tool uses: the fixed one.
pub type CpuGate = crate::on_std::fixed::OneLock;

/// One CPU job: about 20 ms of `crunch` on one core (release build).
const ROUNDS: u64 = 13_000_000;

/// A CPU job's rounds at `size`: at `tiny` (the tests' size, in a debug
/// build) a tenth, so that a worker thread stuck on CPU jobs still starves
/// the echo task for many milliseconds, not for seconds.
fn rounds(size: Size) -> u64 {
    match size {
        Size::Tiny => ROUNDS / 10,
        Size::Default | Size::Large => ROUNDS,
    }
}

/// How long each row sends echo requests for (one every 2 ms, each after
/// the previous one's answer).
pub fn probe_time(size: Size) -> Duration {
    match size {
        Size::Tiny => Duration::from_millis(300),
        Size::Default => Duration::from_secs(6),
        Size::Large => Duration::from_secs(20),
    }
}

/// Where the CPU jobs run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    Nowhere,
    /// One CPU job at a time, inline: the other workers are idle.
    OneTask,
    Inline,
    Blocking,
    Rayon,
    /// On a rayon pool of one thread fewer than the cores.
    RayonSpare,
    Processes,
}

/// Every row of the table.
pub fn rows(ctx: &Ctx, progress: Progress) -> Vec<(Model, Outcome)> {
    Workload::Mixed
        .models()
        .into_iter()
        .map(|model| {
            let place = match model {
                Model::TokioAlone => Place::Nowhere,
                Model::TokioOneTask => Place::OneTask,
                Model::Tokio => Place::Inline,
                Model::TokioBlocking => Place::Blocking,
                Model::TokioRayon => Place::Rayon,
                Model::TokioRayonSpare => Place::RayonSpare,
                _ => Place::Processes,
            };
            let bar = progress(model, probe_time(ctx.size).as_millis() as u64 / 100);
            let (result, cost) = measured(|| run::<CpuGate>(place, ctx, &bar));
            bar.finish_and_clear();
            let outcome = match result {
                Ok((times, cpu_jobs)) => {
                    let echoes = times.len();
                    let mut figures = Figures::from_cost(cost, cpu_jobs, None);
                    figures.per_second = cpu_jobs as f64 / cost.wall.max(1e-9);
                    let (p50, p99) = percentiles(times).unwrap_or_default();
                    figures.p50_s = Some(p50);
                    figures.p99_s = Some(p99);
                    figures.lines = super::lines(Workload::Mixed, model);
                    let echoes = match echoes {
                        1 => String::from("1 echo timed (its p50 and p99 are that one)"),
                        n => format!("{n} echoes timed"),
                    };
                    figures.note = Some(format!(
                        "{echoes}, {cpu_jobs} CPU jobs of {} done meanwhile",
                        match ctx.size {
                            Size::Tiny => "~2 ms (a tenth of the default size's)",
                            Size::Default | Size::Large => "~20 ms",
                        }
                    ));
                    Outcome::Measured(Box::new(figures))
                }
                Err(error) => Outcome::Failed {
                    error: error.to_string(),
                },
            };
            (model, outcome)
        })
        .collect()
}

/// Runs one row: the echo server and the CPU jobs on one runtime, the
/// timed client beside it; the echo times, and how many CPU jobs ran.
fn run<G: Gate>(
    place: Place,
    ctx: &Ctx,
    bar: &indicatif::ProgressBar,
) -> io::Result<(Vec<Duration>, u64)> {
    let runtime = crate::run::runtime(ctx.cores)?;
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?;
    listener.set_nonblocking(true)?;
    runtime.spawn(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        lab_11::echo::serve_with_tasks(listener).await
    });
    let gate = Arc::new(G::new());
    let jobs_done = Arc::new(AtomicU64::new(0));
    if place != Place::Nowhere {
        let (gate, jobs_done) = (Arc::clone(&gate), Arc::clone(&jobs_done));
        let pools = process_pools(place, ctx)?;
        runtime.spawn(keep_cpu_busy(
            place,
            ctx.cores,
            rounds(ctx.size),
            gate,
            jobs_done,
            pools,
        ));
    }
    let times = time_echoes(address, probe_time(ctx.size), bar);
    // Stop the CPU jobs, and wait for the ones admitted, before the next
    // row: none may run on into it.
    gate.close_and_drain();
    runtime.shutdown_timeout(Duration::from_secs(10));
    Ok((times?, jobs_done.load(Ordering::Relaxed)))
}

/// One process pool (one worker) per core, for `Place::Processes`.
fn process_pools(place: Place, ctx: &Ctx) -> io::Result<Pools> {
    let (give, take) = crossbeam::channel::unbounded();
    if place == Place::Processes {
        for _ in 0..ctx.cores {
            let config = PoolConfig {
                kind: PoolKind::Processes,
                workers: 1,
                program: ctx.program.clone(),
                patience: Duration::from_secs(30),
                attempts: 2,
            };
            give.send(ProcessPool::new(config))
                .map_err(io::Error::other)?;
        }
    }
    Ok((give, take))
}

/// A job the gate admitted: it leaves the gate when dropped, done or
/// panicked.
struct Admitted<G: Gate>(Arc<G>);

impl<G: Gate> Drop for Admitted<G> {
    fn drop(&mut self) {
        self.0.leave();
    }
}

/// Process pools, one worker each, handed out and given back.
type Pools = (
    crossbeam::channel::Sender<ProcessPool>,
    crossbeam::channel::Receiver<ProcessPool>,
);

/// Keeps one CPU job per core running, placed as `place` says, until the
/// gate closes.
async fn keep_cpu_busy(
    place: Place,
    cores: usize,
    rounds: u64,
    gate: Arc<impl Gate>,
    jobs_done: Arc<AtomicU64>,
    pools: Pools,
) {
    // One job at a time for the one-task row; one per core, or one per
    // thread of the smaller pool, for the others.
    let spare = Arc::new(
        rayon::ThreadPoolBuilder::new()
            .num_threads(cores.saturating_sub(1).max(1))
            .build()
            .expect("a rayon pool starts"),
    );
    let at_once = match place {
        Place::OneTask => 1,
        Place::RayonSpare => spare.current_num_threads(),
        _ => cores,
    };
    let slots = Arc::new(tokio::sync::Semaphore::new(at_once));
    let mut chunk = 0;
    loop {
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
            return;
        };
        if !gate.enter() {
            return; // closed: this row is over
        }
        chunk += 1;
        let (gate, jobs_done, (give, take)) =
            (Arc::clone(&gate), Arc::clone(&jobs_done), pools.clone());
        // What every job does when its work is done, wherever it ran; a
        // guard, so that a job that panics still leaves the gate (or the
        // drain would wait for it for ever).
        let admitted = Admitted(gate);
        let finish = move || {
            jobs_done.fetch_add(1, Ordering::Relaxed);
            drop(admitted);
            drop(slot);
        };
        let work = move || std::hint::black_box(crunch(chunk, rounds));
        match place {
            Place::Nowhere => unreachable!("no CPU work is started"),
            // ANCHOR: mixed_tokio_one_task
            Place::OneTask => drop(tokio::spawn(async move {
                work();
                finish();
            })),
            // ANCHOR_END: mixed_tokio_one_task
            // ANCHOR: mixed_tokio
            Place::Inline => drop(tokio::spawn(async move {
                work();
                finish();
            })),
            // ANCHOR_END: mixed_tokio
            // ANCHOR: mixed_tokio_blocking
            Place::Blocking => drop(tokio::task::spawn_blocking(move || {
                work();
                finish();
            })),
            // ANCHOR_END: mixed_tokio_blocking
            // ANCHOR: mixed_tokio_rayon
            Place::Rayon => rayon::spawn(move || {
                work();
                finish();
            }),
            // ANCHOR_END: mixed_tokio_rayon
            // ANCHOR: mixed_tokio_rayon_spare
            Place::RayonSpare => spare.spawn(move || {
                work();
                finish();
            }),
            // ANCHOR_END: mixed_tokio_rayon_spare
            // ANCHOR: mixed_tokio_processes
            Place::Processes => drop(tokio::task::spawn_blocking(move || {
                let mut pool = take.recv().expect("one pool per slot");
                let task = Task::Crunch { chunk, rounds };
                let _ = pool.run(std::slice::from_ref(&task));
                let _ = give.send(pool);
                finish();
            })),
            // ANCHOR_END: mixed_tokio_processes
        }
    }
}

/// Sends echo requests one at a time, 2 ms apart, over one connection,
/// for `duration` (and for the answer of the last one sent); returns how
/// long each took.
fn time_echoes(
    address: SocketAddr,
    duration: Duration,
    bar: &indicatif::ProgressBar,
) -> io::Result<Vec<Duration>> {
    let stream = TcpStream::connect_timeout(&address, Duration::from_secs(10))?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    stream.set_nodelay(true)?;
    let mut reader = BufReader::new(&stream);
    let mut times = Vec::new();
    let began = Instant::now();
    while began.elapsed() < duration {
        std::thread::sleep(Duration::from_millis(2));
        let start = Instant::now();
        (&stream).write_all(b"ping\n")?;
        let mut line = String::new();
        reader.read_line(&mut line).map_err(|error| {
            let message = format!("no echo within 60 s (the runtime never served it): {error}");
            io::Error::new(error.kind(), message)
        })?;
        if line != "ping\n" {
            return Err(io::Error::other(format!(
                "the echo server answered {line:?}"
            )));
        }
        times.push(start.elapsed());
        bar.set_position(began.elapsed().as_millis() as u64 / 100);
    }
    Ok(times)
}
