//! Every model, written once: each takes a workload's jobs and returns
//! their answers, in order. What differs between the `cpu`, `io`, `tiny`
//! and `crash` workloads is only the jobs; what differs between the rows
//! of a table is only which function below ran them. Each model sits
//! between anchors named after it: the chapter shows them, and `compare`
//! counts their lines.
//!
//! `done(i)` is called as each job finishes (the progress bar; the crash
//! workload's count of what finished before the process died).
//!
//! What a model needs before its first job (a pool's workers, a runtime's
//! threads) is started by [`start`], before the clock starts: a row times
//! the jobs, and its start-up is a column of its own.

use crate::jobs::{Answer, Task};
use crate::models::Model;
use lab_09::pools::{Pool, PoolConfig, PoolKind, ProcessPool, ThreadPool};
use rayon::prelude::*;
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// What a model returns: the answers in order, or why it has none.
pub type Answers = Result<Vec<Answer>, String>;

/// Called with a job's index as it finishes.
pub type Done<'a> = &'a (dyn Fn(usize) + Sync);

fn failed(index: usize, error: io::Error) -> String {
    format!("job {index}: {error}")
}

// ANCHOR: sequential
/// One job after another, on this thread.
pub fn sequential(tasks: &[Task], done: Done) -> Answers {
    let mut answers = Vec::with_capacity(tasks.len());
    for (index, task) in tasks.iter().enumerate() {
        answers.push(task.try_run().map_err(|e| failed(index, e))?);
        done(index);
    }
    Ok(answers)
}
// ANCHOR_END: sequential

// ANCHOR: threads
/// `threads` scoped threads, each taking the next job until none is left.
pub fn threads(tasks: &[Task], threads: usize, done: Done) -> Answers {
    taking_turns(tasks, threads, |index, task| {
        let answer = task.try_run();
        done(index);
        answer
    })
}

/// `threads` scoped threads, each calling `run` on the next job until none
/// is left; the answers in the jobs' order. A job that panics ends its
/// thread, and `join` returns that panic as an `Err`: the other threads
/// go on taking jobs, and only the job that panicked has no answer.
fn taking_turns(
    tasks: &[Task],
    threads: usize,
    run: impl Fn(usize, &Task) -> io::Result<Answer> + Sync,
) -> Answers {
    let next = AtomicUsize::new(0);
    let answers: Vec<Mutex<Option<io::Result<Answer>>>> =
        tasks.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.max(1))
            .map(|_| {
                scope.spawn(|| {
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(task) = tasks.get(index) else { break };
                        let answer = run(index, task);
                        *answers[index]
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner) = Some(answer);
                    }
                })
            })
            .collect();
        for worker in workers {
            // A thread that panicked comes back as an `Err` here: caught.
            // Its job alone has no answer, and the program goes on.
            let _ = worker.join();
        }
    });
    let answers = answers.into_iter().map(|a| {
        a.into_inner()
            .unwrap_or_else(PoisonError::into_inner)
            .unwrap_or_else(|| Err(io::Error::other("its thread panicked")))
    });
    collect(answers.map(Some).collect())
}
// ANCHOR_END: threads

// ANCHOR: rayon
/// rayon's global pool: one thread per core, work stealing.
pub fn rayon(tasks: &[Task], done: Done) -> Answers {
    tasks
        .par_iter()
        .enumerate()
        .map(|(index, task)| {
            let answer = task.try_run().map_err(|e| failed(index, e));
            done(index);
            answer
        })
        .collect()
}
// ANCHOR_END: rayon

// ANCHOR: pool
/// lab-09's pool: threads or worker processes, a configuration value (C7).
/// A worker process is this lab's binary, run as `lab-13 worker`.
pub fn pool_config(kind: PoolKind, workers: usize, program: &Path) -> PoolConfig {
    PoolConfig {
        kind,
        workers,
        program: program.to_path_buf(),
        patience: Duration::from_secs(30),
        attempts: 2,
    }
}

/// Runs the jobs on a pool that [`start`] built from [`pool_config`].
pub fn pool(pool: &mut dyn Pool<Task>, tasks: &[Task], done: Done) -> Answers {
    let results = pool.run(tasks).map_err(|error| error.to_string())?;
    let answers: Vec<_> = results.into_iter().enumerate().collect();
    for (index, _) in answers.iter().filter(|(_, result)| result.is_ok()) {
        done(*index);
    }
    answers
        .into_iter()
        .map(|(index, result)| result.map_err(|error| format!("job {index}: {error}")))
        .collect()
}
// ANCHOR_END: pool

// ANCHOR: process_per_job
/// A new process for every job (`lab-13 run-task JOB`), `parallel` at a
/// time: the job goes in as an argument, the answer comes back on stdout.
pub fn process_per_job(tasks: &[Task], parallel: usize, program: &Path, done: Done) -> Answers {
    let run_one = |index: usize, task: &Task| -> io::Result<Answer> {
        let output = std::process::Command::new(program)
            .arg("run-task")
            .arg(serde_json::to_string(task)?)
            .output()?;
        if !output.status.success() {
            let error = format!("its process ended with {}", output.status);
            return Err(io::Error::other(error));
        }
        let answer = serde_json::from_slice(&output.stdout)?;
        done(index);
        Ok(answer)
    };
    // A thread per process running at once: it waits for its child.
    taking_turns(tasks, parallel, run_one)
}
// ANCHOR_END: process_per_job

/// A multi-threaded tokio runtime with one worker thread per core.
pub fn runtime(cores: usize) -> io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores.max(1))
        .enable_all()
        .build()
}

/// How a tokio model runs a job's CPU part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CpuPart {
    /// In the task itself, on a runtime thread.
    Inline,
    /// On tokio's blocking pool (`spawn_blocking`).
    Blocking,
    /// On rayon's pool, the answer sent back over a oneshot channel.
    Rayon,
}

// ANCHOR: tokio
/// A tokio task per job, `in_flight` at a time, on a runtime [`start`]
/// built; a request is async I/O on the runtime, a CPU job runs where
/// `cpu` says. A task that panics is a `JoinError` for its job alone.
pub fn tokio(
    runtime: &tokio::runtime::Runtime,
    tasks: &[Task],
    in_flight: usize,
    cpu: CpuPart,
    done: Done,
) -> Answers {
    let permits = Arc::new(tokio::sync::Semaphore::new(in_flight.max(1)));
    runtime.block_on(async {
        let handles: Vec<_> = tasks
            .iter()
            .cloned()
            .map(|task| {
                let permits = Arc::clone(&permits);
                tokio::spawn(async move {
                    let _permit = permits.acquire_owned().await.expect("never closed");
                    match (task, cpu) {
                        (Task::Request { server, n }, _) => request_async(server, n).await,
                        (task, CpuPart::Inline) => task.try_run(),
                        (task, CpuPart::Blocking) => {
                            tokio::task::spawn_blocking(move || task.try_run()).await?
                        }
                        (task, CpuPart::Rayon) => {
                            let (answer, answered) = tokio::sync::oneshot::channel();
                            rayon::spawn(move || {
                                let _ = answer.send(task.try_run());
                            });
                            answered.await.map_err(io::Error::other)?
                        }
                    }
                })
            })
            .collect();
        let mut answers = Vec::with_capacity(handles.len());
        for (index, handle) in handles.into_iter().enumerate() {
            answers.push(match handle.await {
                Ok(Ok(answer)) => {
                    done(index);
                    Ok(answer)
                }
                Ok(Err(error)) => Err(failed(index, error)),
                Err(join_error) => Err(format!("job {index}: {join_error}")),
            });
        }
        answers.into_iter().collect()
    })
}

// ANCHOR_END: tokio

// ANCHOR: request_async
/// One request to the delay server, with tokio's sockets: the task waits
/// for the answer without holding a thread.
pub async fn request_async(server: std::net::SocketAddr, n: u64) -> io::Result<Answer> {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
    let start = std::time::Instant::now();
    let connect = tokio::net::TcpStream::connect(server);
    let mut stream = tokio::time::timeout(Duration::from_secs(10), connect).await??;
    stream.set_nodelay(true)?;
    stream.write_all(format!("{n}\n").as_bytes()).await?;
    let mut line = String::new();
    let mut reader = tokio::io::BufReader::new(stream);
    tokio::time::timeout(Duration::from_secs(10), reader.read_line(&mut line)).await??;
    let answer = line.trim().parse().map_err(|_| {
        let error = format!("the delay server answered {line:?} to {n}");
        io::Error::new(io::ErrorKind::InvalidData, error)
    })?;
    let seconds = start.elapsed().as_secs_f64();
    Ok(Answer::Reply {
        value: answer,
        seconds,
    })
}
// ANCHOR_END: request_async

// ANCHOR: tokio_processes
/// tokio handing the jobs to lab-09's process pool: the pool is
/// synchronous, so one `spawn_blocking` drives it over all of them, and
/// the task awaits the answers (and gets the pool back, for the next run).
pub fn tokio_processes(
    runtime: &tokio::runtime::Runtime,
    pool_slot: &mut Option<ProcessPool>,
    tasks: &[Task],
    done: Done,
) -> Answers {
    let mut started = pool_slot.take().ok_or("the process pool was lost")?;
    let tasks = tasks.to_vec();
    let (answers, finished, started) = runtime.block_on(async move {
        let run = move || {
            let finished = Mutex::new(Vec::new());
            let record = |index| finished.lock().expect("no panic holds it").push(index);
            let answers = pool(&mut started, &tasks, &record);
            (
                answers,
                finished.into_inner().expect("no panic held it"),
                started,
            )
        };
        tokio::task::spawn_blocking(run)
            .await
            .map_err(|e| e.to_string())
    })?;
    *pool_slot = Some(started);
    finished.into_iter().for_each(done);
    answers
}
// ANCHOR_END: tokio_processes

// ANCHOR: event_loop
/// lab-10's event loop: one thread, a task per job. A CPU job runs on the
/// loop's only thread, so the tasks take turns.
pub fn event_loop(tasks: &[Task], done: Done) -> Answers {
    let event_loop = lab_10::executor::EventLoop::new().map_err(|e| e.to_string())?;
    let handle = event_loop.handle();
    let tasks = tasks.to_vec();
    let answers = event_loop.run(async move {
        let results = Arc::new(std::sync::Mutex::new(Vec::new()));
        for (index, task) in tasks.into_iter().enumerate() {
            let results = Arc::clone(&results);
            handle.spawn(async move {
                let answer = task.try_run();
                results
                    .lock()
                    .expect("no panic holds it")
                    .push((index, answer));
            });
        }
        results
    });
    let mut answers = std::mem::take(&mut *answers.lock().expect("the loop is done"));
    answers.sort_by_key(|(index, _)| *index);
    answers
        .into_iter()
        .map(|(index, answer)| {
            done(index);
            answer.map_err(|e| failed(index, e))
        })
        .collect()
}
// ANCHOR_END: event_loop

// ANCHOR: redis_queue
/// lab-12's reliable queue on a real Redis server: the jobs' numbers go on
/// the queue, `workers` worker processes (`lab-13 worker --tasks JSON
/// --redis URL --name NAME`) claim, run and acknowledge them, keeping each
/// answer in the hash `results`. A job that killed
/// [`MAX_DELIVERIES`](lab_12::MAX_DELIVERIES) workers is in the
/// dead-letter list: its answer is an error that says so.
pub fn redis_queue(
    tasks: &[Task],
    workers: usize,
    program: &Path,
    url: &str,
    done: Done,
) -> Answers {
    let json = serde_json::to_string(tasks).map_err(|e| e.to_string())?;
    let args = ["worker", "--tasks", json.as_str()];
    let jobs = tasks.len() as u64;
    let patience = Duration::from_secs(120);
    let report = lab_12::real::run_queue_with(program, &args, url, workers, jobs, None, patience)
        .map_err(|e| e.to_string())?;
    if report.unfinished > 0 || report.lost > 0 {
        return Err(format!(
            "{} jobs unfinished after {patience:?}, {} lost",
            report.unfinished, report.lost
        ));
    }
    let redis = lab_12::real::RealRedis::connect(url).map_err(|e| e.to_string())?;
    let results = redis.results().map_err(|e| e.to_string())?;
    let dead = redis.dead_jobs().map_err(|e| e.to_string())?;
    // Every job's answer (each done one counted), then the first error.
    let answers: Vec<Result<Answer, String>> = (0..jobs)
        .map(|job| match results.get(&job) {
            Some(value) => {
                done(job as usize);
                Ok(Answer::Number(*value))
            }
            None if dead.contains(&job) => Err(format!(
                "job {job} is in the dead-letter list: it killed {} workers",
                lab_12::MAX_DELIVERIES
            )),
            None => Err(format!("job {job} has no result")),
        })
        .collect();
    answers.into_iter().collect()
}
// ANCHOR_END: redis_queue

/// What a model needs started before its clock starts.
pub enum Started {
    /// Nothing: its threads (or processes) start with each job or run.
    Nothing,
    /// rayon's global pool, started once per program.
    Rayon,
    /// lab-09's thread pool (which starts its threads in each run: they
    /// are scoped to it).
    ThreadPool(ThreadPool),
    /// lab-09's process pool, its workers started and answering.
    ProcessPool(ProcessPool),
    /// A tokio runtime, its worker threads started.
    Runtime(tokio::runtime::Runtime),
    /// A runtime and a process pool (tokio driving a process pool).
    RuntimeAndPool(tokio::runtime::Runtime, Option<ProcessPool>),
}

/// Starts what `model` needs before its first job: `workers` pool
/// workers, a runtime with a thread per core. A process pool's workers
/// are each given an empty job, so that they have started and answered
/// before the clock starts.
pub fn start(model: Model, workers: usize, cores: usize, program: &Path) -> io::Result<Started> {
    let warm_pool = || -> io::Result<ProcessPool> {
        let config = pool_config(PoolKind::Processes, workers, program);
        let mut pool = ProcessPool::new(config);
        let empty: Vec<Task> = (0..workers as u64)
            .map(|index| Task::Small { index, rounds: 0 })
            .collect();
        Pool::<Task>::run(&mut pool, &empty)?;
        Ok(pool)
    };
    Ok(match model {
        Model::Rayon => {
            rayon::broadcast(|_| ());
            Started::Rayon
        }
        Model::PoolThreads => Started::ThreadPool(ThreadPool::new(workers)),
        Model::PoolProcesses => Started::ProcessPool(warm_pool()?),
        Model::Tokio | Model::TokioBlocking | Model::TokioRayon => {
            if model == Model::TokioRayon {
                rayon::broadcast(|_| ());
            }
            Started::Runtime(runtime(cores)?)
        }
        Model::TokioProcesses => Started::RuntimeAndPool(runtime(cores)?, Some(warm_pool()?)),
        _ => Started::Nothing,
    })
}

/// Runs the jobs once in `model`, on what [`start`] started for it.
/// `parallel`: threads, workers or tasks in flight at once.
pub fn run_started(
    model: Model,
    started: &mut Started,
    tasks: &[Task],
    parallel: usize,
    program: &Path,
    redis: Option<&str>,
    done: Done,
) -> Answers {
    match (model, started) {
        (Model::Sequential, _) => sequential(tasks, done),
        (Model::Threads, _) => threads(tasks, parallel, done),
        (Model::Rayon, _) => rayon(tasks, done),
        (Model::PoolThreads, Started::ThreadPool(started)) => pool(started, tasks, done),
        (Model::PoolProcesses, Started::ProcessPool(started)) => pool(started, tasks, done),
        (Model::ProcessPerJob, _) => process_per_job(tasks, parallel, program, done),
        (Model::Tokio, Started::Runtime(runtime)) => {
            tokio(runtime, tasks, parallel, CpuPart::Inline, done)
        }
        (Model::TokioBlocking, Started::Runtime(runtime)) => {
            tokio(runtime, tasks, parallel, CpuPart::Blocking, done)
        }
        (Model::TokioRayon, Started::Runtime(runtime)) => {
            tokio(runtime, tasks, parallel, CpuPart::Rayon, done)
        }
        (Model::TokioProcesses, Started::RuntimeAndPool(runtime, pool)) => {
            tokio_processes(runtime, pool, tasks, done)
        }
        (Model::EventLoop, _) => event_loop(tasks, done),
        (Model::RedisQueue, _) => match redis {
            Some(url) => redis_queue(tasks, parallel, program, url, done),
            None => Err(String::from("no Redis server")),
        },
        (other, _) => Err(format!(
            "{} is not a way to run independent jobs, or was not started",
            other.label()
        )),
    }
}

fn collect(answers: Vec<Option<io::Result<Answer>>>) -> Answers {
    answers
        .into_iter()
        .enumerate()
        .map(|(index, answer)| match answer {
            Some(Ok(answer)) => Ok(answer),
            Some(Err(error)) => Err(failed(index, error)),
            None => Err(format!("job {index} never ran")),
        })
        .collect()
}
