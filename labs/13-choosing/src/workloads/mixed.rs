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
//! Meanwhile a client on threads of its own sends an echo request every
//! 2 ms on a fixed schedule (an open loop: it never waits for an answer
//! before sending the next), and times each answer from when its request
//! was due, so a stall of the server shows in the tail rather than
//! delaying the requests after it. When the schedule ends, the CPU jobs
//! are stopped through a [`Gate`]: closed, then drained, so that no job of
//! this row still runs in the next (the capstone's race is in this
//! hand-over; see `racy.rs`).

use super::{Ctx, Figures, Outcome, Progress, Repeated, repeat};
use crate::Gate;
use crate::jobs::{Task, crunch};
use crate::measure::Latencies;
use crate::models::{Model, Size, Workload};
use lab_09::pools::{Pool, PoolConfig, PoolKind, ProcessPool};
use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The gate the tool uses: the fixed one.
pub type CpuGate = crate::on_std::fixed::OneLock;

/// A CPU job, in milliseconds of one core here: 20 ms at the default
/// size; at `tiny` (the tests' size) 2 ms, so that a worker thread stuck
/// on CPU jobs still starves the echo task for milliseconds, not seconds.
fn job_ms(size: Size) -> f64 {
    match size {
        Size::Tiny => 2.0,
        Size::Default | Size::Large => 20.0,
    }
}

/// How often the client sends an echo request.
pub const EVERY: Duration = Duration::from_millis(2);

/// How long each run of a row sends echo requests for.
pub fn probe_time(size: Size) -> Duration {
    match size {
        Size::Tiny => Duration::from_millis(80),
        Size::Default => Duration::from_millis(1500),
        Size::Large => Duration::from_secs(6),
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
            let bar = progress(model, 1 + ctx.runs as u64);
            let once = |rig: &mut Rig| {
                let ran = run_once::<CpuGate>(rig, place, ctx).map_err(|e| e.to_string());
                bar.inc(1);
                ran
            };
            let measured = repeat(
                ctx,
                (0, false),
                || start(place, ctx).map_err(|e| e.to_string()),
                once,
            );
            bar.finish_and_clear();
            let outcome = match measured {
                Ok(Repeated {
                    mut samples,
                    results,
                    startup_s,
                }) => {
                    let mut pooled = Latencies::new();
                    for (sample, (latencies, cpu_jobs)) in samples.iter_mut().zip(&results) {
                        sample.latency = latencies.summary();
                        sample.per_second = *cpu_jobs as f64 / sample.wall_s.max(1e-9);
                        pooled.add(latencies);
                    }
                    let cpu_jobs = results.iter().map(|(_, jobs)| jobs).sum::<u64>();
                    let figures = Figures::from_samples(samples, cpu_jobs, None);
                    let mut figures = figures.with_pooled(&pooled);
                    figures.startup_s = Some(startup_s);
                    figures.lines = super::lines(Workload::Mixed, model);
                    figures.note = note(place, ctx);
                    Outcome::Measured(Box::new(figures))
                }
                Err(error) => Outcome::Failed { error },
            };
            (model, outcome)
        })
        .collect()
}

/// What a row's reader should know.
fn note(place: Place, ctx: &Ctx) -> Option<String> {
    let job = format!("~{:.0} ms", job_ms(ctx.size));
    match place {
        Place::OneTask => Some(format!(
            "one CPU job of {job} at a time, inline: the other {} idle",
            crate::compare::counted(ctx.cores.saturating_sub(1), "worker")
        )),
        Place::RayonSpare => Some(format!(
            "{} for {} cores: one core is always free",
            crate::compare::counted(ctx.cores.saturating_sub(1).max(1), "rayon thread"),
            ctx.cores
        )),
        Place::Nowhere => None,
        _ => Some(format!("{} CPU jobs of {job} at a time", ctx.cores)),
    }
}

/// What a row starts before its clock: a runtime serving echoes (lab-11's
/// task-per-connection server), and the pools the CPU jobs run on.
struct Rig {
    runtime: tokio::runtime::Runtime,
    address: SocketAddr,
    pools: Pools,
    spare: Arc<rayon::ThreadPool>,
}

fn start(place: Place, ctx: &Ctx) -> io::Result<Rig> {
    let runtime = crate::run::runtime(ctx.cores)?;
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?;
    listener.set_nonblocking(true)?;
    runtime.spawn(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        lab_11::echo::serve_with_tasks(listener).await
    });
    let spare = rayon::ThreadPoolBuilder::new()
        .num_threads(ctx.cores.saturating_sub(1).max(1))
        .build()
        .map_err(io::Error::other)?;
    if place == Place::Rayon {
        rayon::broadcast(|_| ()); // the global pool, started
    }
    Ok(Rig {
        runtime,
        address,
        pools: process_pools(place, ctx)?,
        spare: Arc::new(spare),
    })
}

/// Runs one row once: the CPU jobs on the rig's runtime, the open-loop
/// client beside it; the echo latencies, and how many CPU jobs ran.
fn run_once<G: Gate>(rig: &mut Rig, place: Place, ctx: &Ctx) -> io::Result<(Latencies, u64)> {
    let gate = Arc::new(G::new());
    let jobs_done = Arc::new(AtomicU64::new(0));
    if place != Place::Nowhere {
        let (gate, jobs_done) = (Arc::clone(&gate), Arc::clone(&jobs_done));
        let busy = keep_cpu_busy(
            place,
            ctx.cores,
            ctx.rounds_for_ms(job_ms(ctx.size)),
            gate,
            jobs_done,
            rig.pools.clone(),
            Arc::clone(&rig.spare),
        );
        rig.runtime.spawn(busy);
    }
    // Stop the CPU jobs as soon as the last request is sent, and wait for
    // the ones admitted: none may run on into the next run. The answers
    // still owed are read meanwhile; their wait counts.
    let drain = || gate.close_and_drain();
    let latencies = open_loop_echoes(rig.address, probe_time(ctx.size), drain);
    Ok((latencies?, jobs_done.load(Ordering::Relaxed)))
}

/// One process pool (one worker) per core, for `Place::Processes`, each
/// worker started and answering before the clock.
fn process_pools(place: Place, ctx: &Ctx) -> io::Result<Pools> {
    let (give, take) = crossbeam::channel::unbounded();
    if place == Place::Processes {
        for index in 0..ctx.cores as u64 {
            let config = PoolConfig {
                kind: PoolKind::Processes,
                workers: 1,
                program: ctx.program.clone(),
                patience: Duration::from_secs(30),
                attempts: 2,
            };
            let mut pool = ProcessPool::new(config);
            pool.run(&[Task::Small { index, rounds: 0 }])?;
            give.send(pool).map_err(io::Error::other)?;
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
    spare: Arc<rayon::ThreadPool>,
) {
    // One job at a time for the one-task row; one per core, or one per
    // thread of the smaller pool, for the others.
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

/// Sends an echo request every [`EVERY`] for `duration`, on a fixed
/// schedule, over one connection (the server answers a connection's lines
/// in order); then calls `finished_sending`, and reads the answers still
/// owed. Each answer's latency is counted from when its request was due,
/// not from when it was sent: a stall of the server, or of this client,
/// shows in the latencies instead of delaying the requests after it.
fn open_loop_echoes(
    address: SocketAddr,
    duration: Duration,
    finished_sending: impl FnOnce(),
) -> io::Result<Latencies> {
    let stream = TcpStream::connect_timeout(&address, Duration::from_secs(10))?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    stream.set_nodelay(true)?;
    let requests = (duration.as_micros() / EVERY.as_micros()).max(1) as u32;
    let began = Instant::now();
    let due = move |i: u32| began + EVERY * i;
    let reader = stream.try_clone()?;
    let answers = std::thread::spawn(move || -> io::Result<Latencies> {
        let mut latencies = Latencies::new();
        let mut reader = BufReader::new(reader);
        for i in 0..requests {
            let mut line = String::new();
            reader.read_line(&mut line).map_err(|error| {
                let message = format!(
                    "echo {i} of {requests}: no answer within 60 s (the runtime never served \
                     it): {error}"
                );
                io::Error::new(error.kind(), message)
            })?;
            if line != "ping\n" {
                let error = format!("the echo server answered {line:?}");
                return Err(io::Error::other(error));
            }
            latencies.record(Instant::now().saturating_duration_since(due(i)));
        }
        Ok(latencies)
    });
    let mut sent = Ok(());
    for i in 0..requests {
        std::thread::sleep(due(i).saturating_duration_since(Instant::now()));
        sent = (&stream).write_all(b"ping\n");
        if sent.is_err() {
            break;
        }
    }
    finished_sending();
    let received = answers
        .join()
        .map_err(|_| io::Error::other("the echo reader panicked"))?;
    sent?;
    received
}
