//! One `Pool` interface, two implementations: threads, or worker processes
//! (the lab's own binary run as `lab-09 worker`). Which one runs is a
//! configuration value, not a code change.

use crate::jobs::{Job, Reply, RequestRef, Work};
use crate::ledger::Book;
use crate::{JobId, WorkerId};
use crossbeam::channel::{self, Receiver, RecvTimeoutError, Sender};
use std::collections::HashMap;
use std::fmt;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::os::unix::process::CommandExt;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// Why a job has no result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JobError {
    /// The job panicked in a pool thread (the panic was caught).
    Panicked(String),
    /// Every attempt to run the job ended with its worker process lost;
    /// `last` says how the last one went.
    Failed {
        /// How many times the job was started.
        attempts: u32,
        /// What happened to the worker the last time.
        last: String,
    },
    /// The job tests worker processes (`Garbage`, `CloseEarly`, `Hang`): a
    /// thread has no pipe to break.
    NotForThreads,
}

impl fmt::Display for JobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JobError::Panicked(message) => write!(f, "panicked: {message}"),
            JobError::Failed { attempts, last } => {
                write!(f, "failed after {attempts} attempts; last: {last}")
            }
            JobError::NotForThreads => f.write_str("only a worker process can run this job"),
        }
    }
}

/// One result per job, in the order the jobs were given.
pub type Results<T = u64> = Vec<Result<T, JobError>>;

// ANCHOR: pool
/// Runs jobs on workers. The caller does not know what a worker is.
pub trait Pool<J: Work = Job> {
    /// Runs every job; one result per job, in order. An error only if the
    /// pool itself cannot work (no worker process can be started).
    fn run(&mut self, jobs: &[J]) -> io::Result<Results<J::Output>>;
}

/// Which pool to build: the configuration value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PoolKind {
    /// Worker threads in this process.
    Threads,
    /// Worker processes: the lab's binary, run as `lab-09 worker`.
    Processes,
}

/// Everything a pool is built from.
#[derive(Clone, Debug)]
pub struct PoolConfig {
    /// Threads or processes.
    pub kind: PoolKind,
    /// How many workers.
    pub workers: usize,
    /// The program a worker process runs (`lab-09`, with `worker`).
    pub program: PathBuf,
    /// How long a worker process may take over one job before the pool
    /// declares it dead.
    pub patience: Duration,
    /// How many times a job is started before the pool gives up on it.
    pub attempts: u32,
}

/// Builds the pool the configuration asks for.
pub fn build(config: &PoolConfig) -> Box<dyn Pool> {
    build_for::<Job>(config)
}

/// The same, for jobs of any kind (`program worker` must serve them).
pub fn build_for<J: Work>(config: &PoolConfig) -> Box<dyn Pool<J>> {
    match config.kind {
        PoolKind::Threads => Box::new(ThreadPool::new(config.workers)),
        PoolKind::Processes => Box::new(ProcessPool::new(config.clone())),
    }
}
// ANCHOR_END: pool

/// A pool of threads in this process.
pub struct ThreadPool {
    threads: usize,
}

impl ThreadPool {
    /// A pool of `threads` threads (at least one).
    pub fn new(threads: usize) -> Self {
        Self {
            threads: threads.max(1),
        }
    }
}

// ANCHOR: thread_pool
impl<J: Work> Pool<J> for ThreadPool {
    fn run(&mut self, jobs: &[J]) -> io::Result<Results<J::Output>> {
        let (to_workers, queue) = channel::unbounded::<(usize, &J)>();
        for job in jobs.iter().enumerate() {
            to_workers.send(job).expect("the queue is open");
        }
        drop(to_workers); // workers stop when the queue is empty
        let mut results: Results<J::Output> = vec![Err(JobError::NotForThreads); jobs.len()];
        thread::scope(|scope| {
            let workers: Vec<_> = (0..self.threads)
                .map(|_| {
                    let queue = queue.clone();
                    scope.spawn(move || {
                        let mut done = Vec::new();
                        for (index, job) in queue {
                            // A panic is caught here and becomes a failed job.
                            // An abort cannot be caught: it ends the process.
                            let result = panic::catch_unwind(AssertUnwindSafe(|| job.run()));
                            let result = match result {
                                Ok(Some(value)) => Ok(value),
                                Ok(None) => Err(JobError::NotForThreads),
                                Err(panic) => Err(JobError::Panicked(panic_message(&panic))),
                            };
                            done.push((index, result));
                        }
                        done
                    })
                })
                .collect();
            for worker in workers {
                for (index, result) in worker.join().expect("panics are caught") {
                    results[index] = result;
                }
            }
        });
        Ok(results)
    }
}
// ANCHOR_END: thread_pool

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(text) = panic.downcast_ref::<&str>() {
        text.to_string()
    } else if let Some(text) = panic.downcast_ref::<String>() {
        text.clone()
    } else {
        String::from("a panic with no message")
    }
}

/// What happened in a run of the process pool, beyond the results.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Jobs sent to a worker process, counting every retry.
    pub started: u64,
    /// Replies accepted: one per job that succeeded.
    pub accepted: u64,
    /// Replies refused: a worker that had lost its job's lease reported it.
    pub refused: u64,
    /// Jobs queued again after their worker was lost.
    pub requeued: u64,
    /// Worker processes started to replace lost ones.
    pub restarts: u64,
}

/// A line from a worker process, or the end of its stdout.
enum Event {
    Line(WorkerId, String),
    Closed(WorkerId),
}

/// A worker process, the pipe the pool writes its jobs into, and where
/// the last line it wrote to stderr (a panic message) arrives at its end.
struct Worker {
    id: WorkerId,
    process: Child,
    requests: BufWriter<ChildStdin>,
    last_words: Receiver<Option<String>>,
}

/// A pool of worker processes.
pub struct ProcessPool {
    config: PoolConfig,
    slots: Vec<Option<Worker>>,
    next_id: WorkerId,
    /// Request ids are unique across runs: a reply left over from an
    /// earlier run can never be taken for one of this run's.
    next_request: JobId,
    /// Workers lost in a row without a reply accepted in between: many
    /// means workers die at start-up, and the pool gives up.
    lost_in_a_row: u32,
    events: (Sender<Event>, Receiver<Event>),
    pids: Arc<Mutex<Vec<u32>>>,
    stats: Stats,
}

impl ProcessPool {
    /// A pool that starts its workers on its first run.
    pub fn new(config: PoolConfig) -> Self {
        Self {
            slots: (0..config.workers.max(1)).map(|_| None).collect(),
            config,
            next_id: 0,
            next_request: 0,
            lost_in_a_row: 0,
            events: channel::unbounded(),
            pids: Arc::new(Mutex::new(Vec::new())),
            stats: Stats::default(),
        }
    }

    /// What happened in the runs so far.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// The process ids of the live workers, updated as they are replaced:
    /// for a test (or a reader with `kill -9`) to kill them.
    pub fn pids(&self) -> Arc<Mutex<Vec<u32>>> {
        Arc::clone(&self.pids)
    }

    /// Starts a worker process in `slot`; its stdout is read by a thread
    /// of its own, which turns each line into an event.
    fn start(&mut self, slot: usize) -> io::Result<()> {
        let mut process = Command::new(&self.config.program)
            .arg("worker")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .env("RUST_BACKTRACE", "0") // one line of last words is enough
            // A group of its own: killing the group kills anything the
            // worker started too (a wrapper script's real worker).
            .process_group(0)
            .spawn()
            .map_err(|error| {
                let program = self.config.program.display();
                io::Error::new(error.kind(), format!("cannot start {program}: {error}"))
            })?;
        let id = self.next_id;
        self.next_id += 1;
        let stdout = process.stdout.take().expect("stdout is piped");
        let events = self.events.0.clone();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if events.send(Event::Line(id, line)).is_err() {
                    return; // the pool is gone
                }
            }
            let _ = events.send(Event::Closed(id));
        });
        let stderr = process.stderr.take().expect("stderr is piped");
        let (words, last_words) = channel::bounded(1);
        thread::spawn(move || {
            let lines = BufReader::new(stderr).lines().map_while(Result::ok);
            // Skip the panic hook's "note: run with RUST_BACKTRACE=1".
            let said = |line: &String| !line.trim().is_empty() && !line.starts_with("note: ");
            let _ = words.send(lines.filter(said).last());
        });
        let requests = BufWriter::new(process.stdin.take().expect("stdin is piped"));
        self.slots[slot] = Some(Worker {
            id,
            process,
            requests,
            last_words,
        });
        self.publish_pids();
        Ok(())
    }

    fn publish_pids(&self) {
        let pids = self
            .slots
            .iter()
            .flatten()
            .map(|w| w.process.id())
            .collect();
        *self.pids.lock().expect("no one panics holding it") = pids;
    }

    fn slot_of(&self, worker: WorkerId) -> Option<usize> {
        self.slots
            .iter()
            .position(|w| w.as_ref().is_some_and(|w| w.id == worker))
    }

    fn send<J: Work>(worker: &mut Worker, id: JobId, job: &J) -> io::Result<()> {
        serde_json::to_writer(&mut worker.requests, &RequestRef { id, job })?;
        worker.requests.write_all(b"\n")?;
        worker.requests.flush()
    }
}

/// One run's state: the ledger, plus what the pool needs beyond it.
struct Run<'a, J: Work> {
    jobs: &'a [J],
    /// The request id of `jobs[0]`; the others follow.
    first: JobId,
    book: Book,
    attempts: Vec<u32>,
    results: Vec<Option<Result<J::Output, JobError>>>,
    deadlines: HashMap<WorkerId, Instant>,
}

// ANCHOR: supervise
impl<J: Work> Pool<J> for ProcessPool {
    fn run(&mut self, jobs: &[J]) -> io::Result<Results<J::Output>> {
        let first = self.next_request;
        self.next_request += jobs.len() as JobId;
        let ids: Vec<JobId> = (first..self.next_request).collect();
        let mut run = Run {
            jobs,
            first,
            book: Book::queued(&ids),
            attempts: vec![0; jobs.len()],
            results: vec![None; jobs.len()],
            deadlines: HashMap::new(),
        };
        while run.book.has_work() {
            self.hand_out(&mut run)?;
            let wake = run.deadlines.values().min().copied();
            let timeout = wake.map_or(self.config.patience, |at| {
                at.saturating_duration_since(Instant::now())
            });
            match self.events.1.recv_timeout(timeout) {
                Ok(Event::Line(worker, line)) => self.on_line(&mut run, worker, &line)?,
                Ok(Event::Closed(worker)) => {
                    self.lose(&mut run, worker, "it exited without answering")?
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => unreachable!("the pool holds a sender"),
            }
            // Deadlines are checked after every event, not only when none
            // came: a busy pool must not let a hung worker hide.
            let now = Instant::now();
            let late: Vec<WorkerId> = run
                .deadlines
                .iter()
                .filter(|(_, at)| **at <= now)
                .map(|(worker, _)| *worker)
                .collect();
            let patience = self.config.patience;
            for worker in late {
                let reason = format!("it did not answer within {patience:?}");
                self.lose(&mut run, worker, &reason)?;
            }
        }
        Ok(run
            .results
            .into_iter()
            .map(|r| r.expect("every job is finished or given up on"))
            .collect())
    }
}
// ANCHOR_END: supervise

impl ProcessPool {
    /// Gives every idle worker a job, starting workers where none runs.
    fn hand_out<J: Work>(&mut self, run: &mut Run<J>) -> io::Result<()> {
        for slot in 0..self.slots.len() {
            if !run.book.has_queued() {
                return Ok(()); // and start no worker that has nothing to do
            }
            if self.slots[slot].is_none() {
                self.start(slot)?;
            }
            let worker = self.slots[slot].as_mut().expect("just started");
            if run.book.running_on(worker.id).is_some() {
                continue;
            }
            let job = run.book.hand_out(worker.id).expect("one is queued");
            let index = (job - run.first) as usize;
            run.attempts[index] += 1;
            self.stats.started += 1;
            let id = worker.id;
            run.deadlines
                .insert(id, Instant::now() + self.config.patience);
            if let Err(error) = Self::send(worker, job, &run.jobs[index]) {
                self.lose(run, id, &format!("its stdin failed: {error}"))?;
            }
        }
        Ok(())
    }

    // ANCHOR: on_line
    /// A line from `worker`: a reply, or garbage.
    fn on_line<J: Work>(
        &mut self,
        run: &mut Run<J>,
        worker: WorkerId,
        line: &str,
    ) -> io::Result<()> {
        let Ok(reply) = serde_json::from_str::<Reply<J::Output>>(line) else {
            let reason = format!("it wrote {line:?}, which is not a reply");
            return self.lose(run, worker, &reason);
        };
        if run.book.finish_if_leased(worker, reply.id) {
            self.stats.accepted += 1;
            self.lost_in_a_row = 0;
            run.results[(reply.id - run.first) as usize] = Some(Ok(reply.value));
            run.deadlines.remove(&worker);
        } else {
            // A reply for a job this worker does not hold: from a worker
            // already declared lost, a duplicate, or a leftover.
            self.stats.refused += 1;
        }
        Ok(())
    }
    // ANCHOR_END: on_line

    // ANCHOR: lose
    /// `worker` is lost (it exited, wrote garbage, or went silent): kill it
    /// if it still runs, and requeue its job or give up on it; a
    /// replacement starts when there is a job for it.
    fn lose<J: Work>(
        &mut self,
        run: &mut Run<J>,
        worker: WorkerId,
        reason: &str,
    ) -> io::Result<()> {
        let Some(slot) = self.slot_of(worker) else {
            return Ok(()); // already lost and replaced: a late event
        };
        let mut lost = self.slots[slot].take().expect("the slot holds it");
        self.publish_pids(); // before it is reaped and its pid can be reused
        let pid = rustix::process::Pid::from_child(&lost.process);
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
        let status = lost.process.wait()?;
        let mut reason = format!("{reason} (worker {}: {status})", lost.process.id());
        // Its stderr closed when it exited: its last line is on its way.
        if let Ok(Some(words)) = lost.last_words.recv_timeout(Duration::from_secs(1)) {
            reason = format!("{reason}; its last words: {words}");
        }
        run.deadlines.remove(&worker);
        match run.book.running_on(worker) {
            Some(job) => {
                let index = (job - run.first) as usize;
                let attempts = run.attempts[index];
                if attempts >= self.config.attempts {
                    run.book.give_up(worker);
                    let error = JobError::Failed {
                        attempts,
                        last: reason,
                    };
                    run.results[index] = Some(Err(error));
                } else {
                    run.book.requeue(worker);
                    self.stats.requeued += 1;
                }
            }
            None => {
                self.lost_in_a_row += 1;
                if self.lost_in_a_row > 3 * self.slots.len() as u32 {
                    let error = format!("workers keep dying before any job: the last {reason}");
                    return Err(io::Error::other(error));
                }
            }
        }
        self.stats.restarts += 1;
        Ok(()) // its replacement starts when there is a job for it
    }
    // ANCHOR_END: lose
}

impl Drop for ProcessPool {
    fn drop(&mut self) {
        for worker in self.slots.iter_mut().flatten() {
            // Killed, not asked: a worker may be hung, and the pool is done.
            let _ = worker.process.kill();
            let _ = worker.process.wait();
        }
    }
}

/// What became of a run: a count, then one line per failed job.
pub fn summary<J: Work>(kind: PoolKind, jobs: &[J], results: &Results<J::Output>) -> String {
    let failed: Vec<String> = results
        .iter()
        .zip(jobs)
        .enumerate()
        .filter_map(|(index, (result, job))| {
            let error = result.as_ref().err()?;
            Some(format!("  job {index} ({job:?}): {error}\n"))
        })
        .collect();
    let done = jobs.len() - failed.len();
    let mut text = format!(
        "{kind:?} pool: {} jobs, {done} done, {} failed\n",
        jobs.len(),
        failed.len()
    );
    text.extend(failed);
    text
}
