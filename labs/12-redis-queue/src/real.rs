//! The queues on a real Redis server: the server the tests and tools start
//! (and stop), a connection that speaks the `Commands`, worker processes,
//! the reaper that takes back a dead worker's jobs (and sets aside a job
//! that killed [`MAX_DELIVERIES`](crate::MAX_DELIVERIES) of them), and
//! events by pub/sub.

use crate::on_std::fixed::DeadLetterQueue;
use crate::{
    Commands, DEAD, DELIVERIES, DONE, JOBS, JobId, Pipelined, Protocol, REAPING, processing,
};
use std::fmt;
use std::io;
use std::net::TcpListener;
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

/// The channel workers and the reaper publish their events on.
pub const EVENTS: &str = "events";

/// The hash of job results, for workers whose work returns one.
pub const RESULTS: &str = "results";

/// The hash that says, for a payload in the dead-letter list that is no
/// job at all, why: the error its reading gave.
pub const ERRORS: &str = "errors";

/// The hash of each worker's round trips to the server and jobs done so
/// far, `TRIPS JOBS`, written with its lease renewal (no round trip of its
/// own), for `lab-12 measure`.
pub const ROUND_TRIPS: &str = "round-trips";

/// Queues the report of `worker`'s round trips and jobs done so far.
pub fn report_round_trips(redis: &RealRedis, worker: &str, jobs_done: u64) {
    let report = format!("{} {jobs_done}", redis.round_trips());
    redis.send_later(
        redis::cmd("HSET")
            .arg(ROUND_TRIPS)
            .arg(worker)
            .arg(report)
            .clone(),
    );
}

/// The key a worker keeps alive while it lives: its lease.
pub fn heartbeat(worker: &str) -> String {
    format!("heartbeat:{worker}")
}

/// Why no Redis server could be started.
#[derive(Debug)]
pub enum NoRedis {
    /// `redis-server` is not installed: what to run.
    NotInstalled,
    /// It is, but did not start or answer.
    Failed(String),
}

impl fmt::Display for NoRedis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NoRedis::NotInstalled => f.write_str(
                "redis-server is not installed. Install it (Debian or Ubuntu: \
                 `sudo apt-get install redis-server`; macOS: `brew install redis`) \
                 and run this again. The lab's loom tests run without it.",
            ),
            NoRedis::Failed(why) => write!(f, "redis-server did not start: {why}"),
        }
    }
}

// ANCHOR: server
/// A `redis-server` of our own on 127.0.0.1, on a free port, with nothing
/// saved to disk; stopped when dropped.
pub struct RedisServer {
    process: Child,
    /// The URL to connect to, `redis://127.0.0.1:<port>/`.
    pub url: String,
    /// Its port.
    pub port: u16,
}

impl RedisServer {
    /// Starts a server and waits (a few seconds at most) until it answers.
    pub fn start() -> Result<Self, NoRedis> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map_err(|error| NoRedis::Failed(error.to_string()))?
            .port();
        Self::start_on(port)
    }

    /// The same on `port`: a server started again where one was stopped
    /// (the tests' restart), empty.
    pub fn start_on(port: u16) -> Result<Self, NoRedis> {
        Self::start_bound(port, "127.0.0.1")
    }

    /// A server on every address of the network namespace it is started
    /// in (on a free port): for the machines' runs, whose namespaces only
    /// reach each other (`machines.rs`). Never in the host's namespace.
    pub fn start_for_machines() -> Result<Self, NoRedis> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map_err(|error| NoRedis::Failed(error.to_string()))?
            .port();
        Self::start_bound(port, "0.0.0.0")
    }

    fn start_bound(port: u16, bind: &str) -> Result<Self, NoRedis> {
        let process = Command::new("redis-server")
            .args(["--bind", bind, "--port", &port.to_string()])
            .args(["--protected-mode", "no"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .spawn()
            .map_err(|error| match error.kind() {
                io::ErrorKind::NotFound => NoRedis::NotInstalled,
                _ => NoRedis::Failed(error.to_string()),
            })?;
        let server = Self {
            process,
            url: format!("redis://127.0.0.1:{port}/"),
            port,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(redis) = RealRedis::connect(&server.url)
                && redis.ping().is_ok()
            {
                return match redis.version() {
                    Some((major, minor)) if (major, minor) >= (6, 2) => Ok(server),
                    version => Err(NoRedis::Failed(format!(
                        "redis-server {version:?} is too old: BLMOVE needs 6.2 or newer"
                    ))),
                };
            }
            thread::sleep(Duration::from_millis(20));
        }
        Err(NoRedis::Failed(format!("no answer on port {port}")))
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}
// ANCHOR_END: server

/// A connection to a real server, speaking [`Commands`]. A command that
/// fails (the server went away) is remembered, not panicked on: the
/// [`Commands`] answer "nothing", and [`RealRedis::failure`] says why.
/// Commands sent [`pipelined`](Pipelined::pipelined) wait in the
/// connection and go out with the next command that waits for its answer.
pub struct RealRedis {
    link: Mutex<Link>,
    failure: Mutex<Option<redis::RedisError>>,
    malformed: Mutex<Vec<Malformed>>,
}

/// A payload a command took that is no job: the list it is in now (none
/// if the command took it out of every list), and why it is no job.
struct Malformed {
    list: Option<String>,
    payload: Vec<u8>,
    error: String,
}

/// The job a payload holds: its number, in decimal, as `LPUSH jobs 7`
/// stores it; or why it holds none.
pub fn parse_job(payload: &[u8]) -> Result<JobId, String> {
    let text = String::from_utf8_lossy(payload);
    text.parse()
        .map_err(|error| format!("{text:?} is not a job number: {error}"))
}

/// The connection, and the commands waiting to go out with the next one.
struct Link {
    connection: redis::Connection,
    /// Round trips made so far.
    round_trips: u64,
    waiting: Vec<redis::Cmd>,
    /// Inside [`Pipelined::pipelined`]: commands wait rather than go out.
    pipelining: bool,
}

impl Link {
    /// Sends the waiting commands and `command`, in one round trip;
    /// `command`'s answer.
    fn round_trip<T: redis::FromRedisValue>(
        &mut self,
        command: &redis::Cmd,
    ) -> redis::RedisResult<T> {
        self.round_trips += 1;
        if self.waiting.is_empty() {
            return command.query(&mut self.connection);
        }
        let mut pipeline = redis::pipe();
        for waiting in self.waiting.drain(..) {
            pipeline.add_command(waiting).ignore();
        }
        let (answer,): (T,) = pipeline
            .add_command(command.clone())
            .query(&mut self.connection)?;
        Ok(answer)
    }
}

impl RealRedis {
    /// Connects to `url`.
    pub fn connect(url: &str) -> redis::RedisResult<Self> {
        let connection = redis::Client::open(url)?.get_connection()?;
        Ok(Self {
            link: Mutex::new(Link {
                connection,
                round_trips: 0,
                waiting: Vec::new(),
                pipelining: false,
            }),
            failure: Mutex::new(None),
            malformed: Mutex::new(Vec::new()),
        })
    }

    fn link(&self) -> std::sync::MutexGuard<'_, Link> {
        self.link.lock().expect("no panic holds it")
    }

    /// Runs one command (after any that wait to go out with it, in the
    /// same round trip).
    pub fn query<T: redis::FromRedisValue>(&self, command: &redis::Cmd) -> redis::RedisResult<T> {
        self.link().round_trip(command)
    }

    /// Queues `command` to go out with the next command that waits for
    /// its answer, in the same round trip; its own answer is not awaited
    /// (an error is, with that next command's).
    pub fn send_later(&self, command: redis::Cmd) {
        self.link().waiting.push(command);
    }

    /// Runs one command for [`Commands`]: on failure, remembers why and
    /// answers `T::default()` (no job, nothing removed). Inside
    /// [`Pipelined::pipelined`], queues it and answers the same.
    fn run<T: redis::FromRedisValue + Default>(&self, command: &redis::Cmd) -> T {
        let mut link = self.link();
        if link.pipelining {
            link.waiting.push(command.clone());
            return T::default();
        }
        link.round_trip(command).unwrap_or_else(|error| {
            self.failure
                .lock()
                .expect("no panic holds it")
                .get_or_insert(error);
            T::default()
        })
    }

    /// Runs a command for [`Commands`] that answers a job it moved into
    /// `into` (or took out of every list: `None`), or nothing. A payload
    /// that is no job is not an error of the connection: it is answered
    /// as "nothing", and kept for [`RealRedis::dead_letter_malformed`].
    fn run_job(&self, command: &redis::Cmd, into: Option<&str>) -> Option<JobId> {
        let payload: Vec<u8> = self.run::<Option<Vec<u8>>>(command)?;
        parse_job(&payload)
            .map_err(|error| {
                let list = into.map(String::from);
                let malformed = Malformed {
                    list,
                    payload,
                    error,
                };
                self.malformed
                    .lock()
                    .expect("no panic holds it")
                    .push(malformed);
            })
            .ok()
    }

    // ANCHOR: malformed
    /// Moves each payload that came back from a claim (or a reap) and is
    /// no job to the dead-letter list, with its error in the hash
    /// `errors`, and says so on `events`: in one transaction (`MULTI` ...
    /// `EXEC`), so a death in the middle leaves it where it was, and
    /// queued to go out with the next command, as [`Pipelined`] commands
    /// are. How many.
    pub fn dead_letter_malformed(&self, by: &str) -> usize {
        let malformed = std::mem::take(&mut *self.malformed.lock().expect("no panic holds it"));
        for Malformed {
            list,
            payload,
            error,
        } in &malformed
        {
            self.send_later(redis::cmd("MULTI"));
            if let Some(list) = list {
                self.send_later(redis::cmd("LREM").arg(list).arg(1).arg(payload).clone());
            }
            self.send_later(redis::cmd("LPUSH").arg(DEAD).arg(payload).clone());
            self.send_later(
                redis::cmd("HSET")
                    .arg(ERRORS)
                    .arg(payload)
                    .arg(error)
                    .clone(),
            );
            self.send_later(redis::cmd("EXEC"));
            let event = format!("dead-lettered by {by}: {error}");
            self.send_later(redis::cmd("PUBLISH").arg(EVENTS).arg(event).clone());
        }
        malformed.len()
    }
    // ANCHOR_END: malformed

    /// The first command that failed, if one did: then the server is gone
    /// (or refused us), and the work cannot go on.
    pub fn failure(&self) -> redis::RedisResult<()> {
        match self.failure.lock().expect("no panic holds it").take() {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    /// How many round trips this connection has made to the server.
    pub fn round_trips(&self) -> u64 {
        self.link().round_trips
    }

    /// `PING`.
    pub fn ping(&self) -> redis::RedisResult<String> {
        self.query(&redis::cmd("PING"))
    }

    /// The server's version, from `INFO server`.
    pub fn version(&self) -> Option<(u32, u32)> {
        let info: String = self.query(redis::cmd("INFO").arg("server")).ok()?;
        let version = info
            .lines()
            .find_map(|l| l.strip_prefix("redis_version:"))?;
        let mut parts = version.trim().split('.').map(|p| p.parse().ok());
        Some((parts.next()??, parts.next()??))
    }

    /// Pushes jobs `0..count` onto the queue, in one round trip.
    pub fn push_jobs(&self, count: JobId) -> redis::RedisResult<()> {
        self.push_job_range(0..count)
    }

    /// Pushes the jobs `jobs` onto the queue, in order, in one round trip.
    pub fn push_job_range(&self, jobs: std::ops::Range<JobId>) -> redis::RedisResult<()> {
        for job in jobs {
            self.send_later(redis::cmd("LPUSH").arg(JOBS).arg(job).clone());
        }
        self.query(&redis::cmd("PING")) // and the PING's answer, once all are in
            .map(|_: String| ())
    }

    /// The results workers kept (`HGETALL results`), by job.
    pub fn results(&self) -> redis::RedisResult<std::collections::HashMap<JobId, u64>> {
        self.query(redis::cmd("HGETALL").arg(RESULTS))
    }

    /// The jobs in the dead-letter list (`LRANGE dead 0 -1`); payloads
    /// that are no job are left out (the hash `errors` says what they were).
    pub fn dead_jobs(&self) -> redis::RedisResult<Vec<JobId>> {
        let dead: Vec<Vec<u8>> = self.query(redis::cmd("LRANGE").arg(DEAD).arg(0).arg(-1))?;
        Ok(dead
            .iter()
            .filter_map(|payload| parse_job(payload).ok())
            .collect())
    }

    /// How many times each job was done (`HGETALL done`).
    pub fn done(&self) -> redis::RedisResult<std::collections::HashMap<JobId, u64>> {
        self.query(redis::cmd("HGETALL").arg(DONE))
    }
}

impl Pipelined for RealRedis {
    fn pipelined(&self, batch: impl FnOnce(&Self)) {
        self.link().pipelining = true;
        batch(self);
        self.link().pipelining = false;
    }
}

impl Commands for RealRedis {
    fn lpush(&self, list: &str, job: JobId) {
        self.run::<()>(redis::cmd("LPUSH").arg(list).arg(job))
    }
    fn rpop(&self, list: &str) -> Option<JobId> {
        self.run_job(redis::cmd("RPOP").arg(list), None)
    }
    fn peek(&self, list: &str) -> Option<JobId> {
        self.run_job(redis::cmd("LINDEX").arg(list).arg(-1), Some(list))
    }
    fn lrem(&self, list: &str, job: JobId) -> bool {
        self.run::<u64>(redis::cmd("LREM").arg(list).arg(1).arg(job)) == 1
    }
    fn lmove(&self, from: &str, to: &str) -> Option<JobId> {
        let command = redis::cmd("LMOVE")
            .arg(from)
            .arg(to)
            .arg("RIGHT")
            .arg("LEFT")
            .clone();
        self.run_job(&command, Some(to))
    }
    fn blmove(&self, from: &str, to: &str) -> Option<JobId> {
        // Waits up to 0.1 s for a job, rather than polling an empty queue.
        let command = redis::cmd("BLMOVE")
            .arg(from)
            .arg(to)
            .arg("RIGHT")
            .arg("LEFT")
            .arg(0.1)
            .clone();
        self.run_job(&command, Some(to))
    }
    fn llen(&self, list: &str) -> usize {
        self.run(redis::cmd("LLEN").arg(list))
    }
    fn count_done(&self, job: JobId) {
        self.run::<u64>(redis::cmd("HINCRBY").arg(DONE).arg(job).arg(1));
    }
    fn count_delivery(&self, job: JobId) -> u64 {
        self.run(redis::cmd("HINCRBY").arg(DELIVERIES).arg(job).arg(1))
    }
}

// ANCHOR: worker
/// A worker process's life: claim a job, do it, then in one round trip
/// count it done, ack it, tell the world, set aside a payload that was no
/// job, renew the lease if due, and claim the next; until it is killed.
/// If the server goes away, it tries again and again (see [`retrying`]).
pub fn run_worker(url: &str, name: &str, lease: Duration) -> redis::RedisResult<()> {
    run_worker_doing(url, name, lease, |_| None)
}

/// The same, doing `work` for each job: its result, if it has one, is
/// kept in the hash `results` before the job is counted done and acked.
pub fn run_worker_doing(
    url: &str,
    name: &str,
    lease: Duration,
    work: impl FnMut(JobId) -> Option<u64>,
) -> redis::RedisResult<()> {
    run_worker_retrying(url, name, lease, RETRY_FOR, work)
}

/// The same, giving up when the server has been gone `retry_for`.
pub fn run_worker_retrying(
    url: &str,
    name: &str,
    lease: Duration,
    retry_for: Duration,
    mut work: impl FnMut(JobId) -> Option<u64>,
) -> redis::RedisResult<()> {
    let mut lease = Lease::new(name, lease);
    let mut jobs_done = 0;
    retrying(url, name, retry_for, |redis| {
        // Back after losing the server: what this worker held (if the
        // server kept it) goes back to the queue, for whoever is first.
        hand_back_held(redis, name)?;
        lease.renewed = None; // renewed with the first round trip
        let mut claimed = None;
        loop {
            let done = claimed.map(|job| (job, work(job)));
            jobs_done += u64::from(done.is_some());
            // Sent without waiting: these go out with the claim below.
            redis.pipelined(|redis| {
                if let Some((job, result)) = done {
                    if let Some(value) = result {
                        redis.send_later(
                            redis::cmd("HSET").arg(RESULTS).arg(job).arg(value).clone(),
                        );
                    }
                    redis.count_done(job); // the work's effect: this count
                    DeadLetterQueue::ack(redis, name, job);
                    let event = format!("done {job} by {name}");
                    redis.send_later(redis::cmd("PUBLISH").arg(EVENTS).arg(event).clone());
                }
                redis.dead_letter_malformed(name); // the last claim's, if no job
                lease.renew_if_due(redis, jobs_done);
            });
            claimed = DeadLetterQueue::claim(redis, name); // the round trip
            redis.failure()?; // the server went away: `retrying` takes over
        }
    })
}
// ANCHOR_END: worker

/// How long a worker keeps trying to reach a server it lost, by default.
pub const RETRY_FOR: Duration = Duration::from_secs(30);

/// Moves what `worker` holds in its processing list back to the queue.
fn hand_back_held(redis: &RealRedis, worker: &str) -> redis::RedisResult<()> {
    let back = redis::cmd("LMOVE")
        .arg(processing(worker))
        .arg(JOBS)
        .arg("RIGHT")
        .arg("LEFT")
        .clone();
    while redis.query::<Option<Vec<u8>>>(&back)?.is_some() {}
    Ok(())
}

// ANCHOR: retrying
/// Runs `session` on a connection to `url`; when it ends (it ends only
/// when a command failed: the server went away, or answered an error),
/// connects again and runs it again. Between tries it waits, longer each
/// time (50 ms, doubling, at most 2 s, a little less for some workers than
/// others so that they do not all knock at once), and says so on stderr
/// and, once back, on `events`. A session that ends within a second of its
/// start counts as one more failed try: an error that comes back at once
/// is never retried in a spin. Gives up, with the last error, once the
/// failures have gone on for `retry_for`; or at once if the very first
/// connection fails: then the URL is wrong, or no server was ever there.
pub fn retrying(
    url: &str,
    name: &str,
    retry_for: Duration,
    mut session: impl FnMut(&RealRedis) -> redis::RedisResult<std::convert::Infallible>,
) -> redis::RedisResult<()> {
    const SHORT: Duration = Duration::from_secs(1);
    let mut redis = RealRedis::connect(url)?;
    // The failures in a row, and when the first of them came.
    let mut failing: Option<(u32, Instant)> = None;
    loop {
        let started = Instant::now();
        let Err(error) = session(&redis);
        eprintln!("lab-12 worker {name}: lost the server at {url}: {error}");
        let (mut tries, since) = match failing {
            Some(streak) if started.elapsed() < SHORT => streak,
            _ => (0, Instant::now()),
        };
        let mut last = error;
        redis = loop {
            if since.elapsed() >= retry_for {
                let gone = since.elapsed();
                eprintln!("lab-12 worker {name}: gave up after {tries} tries in {gone:?}");
                return Err(last);
            }
            tries += 1;
            let wait = Duration::from_millis(50 << (tries - 1).min(6)).min(Duration::from_secs(2));
            // 0 to 3/16 less, by the worker's name: spread, not random.
            let spread = name.bytes().map(u32::from).sum::<u32>() % 4;
            let wait = wait - wait / 16 * spread;
            eprintln!("lab-12 worker {name}: try {tries} in {wait:?} ({last})");
            thread::sleep(wait);
            match RealRedis::connect(url) {
                Ok(back) => break back,
                Err(error) => last = error,
            }
        };
        failing = Some((tries, since));
        let back = format!(
            "{name} back on the server after {tries} tries, {:?}",
            since.elapsed()
        );
        eprintln!("lab-12 worker {back}");
        // Its own round trip: nothing may wait to go out with the
        // session's first command, whose error the session reads.
        let _ = redis.query::<u64>(redis::cmd("PUBLISH").arg(EVENTS).arg(back));
    }
}
// ANCHOR_END: retrying

// ANCHOR: lease
/// A worker's lease, the key `heartbeat:NAME` that expires unless renewed.
/// It is renewed once a tenth of it has passed, with the next round trip
/// the worker makes anyway: never a round trip of its own, nor a command
/// a job. So a live worker is taken for dead only if a claim's wait (0.1
/// s at most) and one job's work together take more than 0.9 of it.
struct Lease {
    key: String,
    length: Duration,
    renewed: Option<Instant>,
}

impl Lease {
    fn new(worker: &str, length: Duration) -> Self {
        Self {
            key: heartbeat(worker),
            length,
            renewed: None,
        }
    }

    /// `SET heartbeat:NAME 1 PX <lease>`, queued, if a tenth has passed;
    /// with it, the worker's count of round trips and jobs done.
    fn renew_if_due(&mut self, redis: &RealRedis, jobs_done: u64) {
        if self
            .renewed
            .is_some_and(|at| at.elapsed() < self.length / 10)
        {
            return;
        }
        let ms = self.length.as_millis() as u64;
        redis.send_later(
            redis::cmd("SET")
                .arg(&self.key)
                .arg(1)
                .arg("PX")
                .arg(ms)
                .clone(),
        );
        // Queued now, sent in a moment: the key lives at least `length`
        // from here.
        self.renewed = Some(Instant::now());
        report_round_trips(redis, self.key.trim_start_matches("heartbeat:"), jobs_done);
    }
}
// ANCHOR_END: lease

// ANCHOR: reaper
/// Takes back the jobs of every worker whose lease has run out; returns
/// how many were taken back (queued again, or dead-lettered: a job's
/// [`MAX_DELIVERIES`](crate::MAX_DELIVERIES)th death). A worker that was
/// only slow is reaped too: its job may be done twice (at-least-once),
/// never lost. One reaper at a time: the list `reaping` is its own.
pub fn reap_dead_workers(redis: &RealRedis) -> redis::RedisResult<usize> {
    // A reaper that died between its steps left a job in `reaping`: queue
    // it again (its death counted or not: at most one delivery more).
    let back_from_reaping = redis::cmd("LMOVE")
        .arg(REAPING)
        .arg(JOBS)
        .arg("RIGHT")
        .arg("LEFT")
        .clone();
    while redis
        .query::<Option<Vec<u8>>>(&back_from_reaping)?
        .is_some()
    {}
    let mut taken_back = 0;
    for worker in workers_holding_jobs(redis)? {
        let alive: bool = redis.query(redis::cmd("EXISTS").arg(heartbeat(&worker)))?;
        if alive {
            continue;
        }
        let jobs = DeadLetterQueue::reap(redis, &worker);
        redis.failure()?;
        // A payload that is no job stopped the reap in `reaping`: set
        // aside, with its error (the rest of the list: next time).
        redis.dead_letter_malformed("the reaper");
        let event = format!("{worker} died: {jobs} jobs taken back");
        redis.query::<()>(redis::cmd("PUBLISH").arg(EVENTS).arg(event))?;
        taken_back += jobs;
    }
    Ok(taken_back)
}
// ANCHOR_END: reaper

/// The workers with a processing list, found by its key. (`KEYS` walks
/// every key: fine for a lab; a production reaper would use `SCAN`.)
fn workers_holding_jobs(redis: &RealRedis) -> redis::RedisResult<Vec<String>> {
    let keys: Vec<String> = redis.query(redis::cmd("KEYS").arg(processing("*")))?;
    let prefix = processing("");
    Ok(keys
        .iter()
        .filter_map(|key| key.strip_prefix(&prefix))
        .map(String::from)
        .collect())
}

/// Jobs still queued or claimed and not yet acknowledged.
pub fn unfinished(redis: &RealRedis) -> redis::RedisResult<u64> {
    let mut count: u64 = redis.query(redis::cmd("LLEN").arg(JOBS))?;
    count += redis.query::<u64>(redis::cmd("LLEN").arg(REAPING))?;
    for worker in workers_holding_jobs(redis)? {
        count += redis.query::<u64>(redis::cmd("LLEN").arg(processing(&worker)))?;
    }
    Ok(count)
}

/// What a run of the queue came to.
#[derive(Debug, Clone, PartialEq)]
pub struct RunReport {
    /// Jobs pushed.
    pub jobs: u64,
    /// Jobs neither done nor still queued or claimed nor dead-lettered:
    /// gone.
    pub lost: u64,
    /// Jobs still queued or claimed (or not yet pushed) when the run gave
    /// up (patience).
    pub unfinished: u64,
    /// Extra times jobs were done (a job done twice counts one).
    pub done_twice: u64,
    /// Workers killed with `SIGKILL` during the run.
    pub killed: u64,
    /// Jobs the reaper took back from dead workers (queued again, or
    /// dead-lettered).
    pub requeued: u64,
    /// Jobs in the dead-letter list at the end, not done: each delivered
    /// [`MAX_DELIVERIES`](crate::MAX_DELIVERIES) times, every worker that
    /// took it dead before its ack.
    pub dead: u64,
    /// Workers that died by a signal the run did not send (a job killed
    /// them), each replaced by a new one.
    pub crashed: u64,
    /// From the first worker's start to the last job's acknowledgement.
    pub elapsed: Duration,
    /// Round trips a job: the workers' round trips over the jobs they
    /// had done, as each last reported both (with its lease renewal, or
    /// its look for stale entries: the last tenth of a lease's worth of
    /// each worker's work is not in it).
    pub round_trips_a_job: f64,
}

/// Worker processes of `program` (`lab-12 worker ...`) on `url`.
/// How a run starts a worker process named `name`.
pub trait Launch {
    /// Starts it.
    fn launch(&self, name: &str) -> io::Result<Child>;
    /// What it starts, for an error message.
    fn describe(&self) -> String;
}

/// Workers on this machine: `program args... --redis URL --name NAME`.
pub struct Here<'a> {
    /// The worker program.
    pub program: &'a std::path::Path,
    /// Its arguments before `--redis`.
    pub args: &'a [&'a str],
    /// The server's URL.
    pub url: &'a str,
}

impl Here<'_> {
    /// The command that starts worker `name`, with where it connects.
    pub fn command(&self, name: &str, url: &str) -> Command {
        let mut command = Command::new(self.program);
        command
            .args(self.args)
            .args(["--redis", url, "--name", name])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        command
    }
}

impl Launch for Here<'_> {
    fn launch(&self, name: &str) -> io::Result<Child> {
        self.command(name, self.url).spawn().map_err(|error| {
            let program = self.program.display();
            io::Error::new(error.kind(), format!("cannot start {program}: {error}"))
        })
    }
    fn describe(&self) -> String {
        self.program.display().to_string()
    }
}

struct Workers<'a> {
    launch: &'a dyn Launch,
    running: Vec<Child>,
    started: u64,
}

impl Workers<'_> {
    fn start_one(&mut self) -> io::Result<()> {
        self.started += 1;
        let child = self.launch.launch(&format!("w{}", self.started))?;
        self.running.push(child);
        Ok(())
    }

    /// Replaces each worker killed by a signal the run did not send (a
    /// job killed it: a crash, `kill -9`); how many. An error if a worker
    /// has exited by itself: workers run until killed, so the program is
    /// not a worker, or the server is gone.
    fn replace_crashed(&mut self) -> io::Result<u64> {
        let mut crashed = 0;
        let mut at = 0;
        while at < self.running.len() {
            match self.running[at].try_wait()? {
                None => at += 1,
                Some(status) if status.signal().is_some() => {
                    let _ = self.running.remove(at).wait(); // reaped already: its status
                    crashed += 1;
                }
                Some(status) => {
                    let program = self.launch.describe();
                    let error = format!("a worker ({program}) exited by itself ({status})");
                    return Err(io::Error::other(error));
                }
            }
        }
        for _ in 0..crashed {
            self.start_one()?;
        }
        Ok(crashed)
    }
}

impl Drop for Workers<'_> {
    fn drop(&mut self) {
        for child in &mut self.running {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

// ANCHOR: run
/// Pushes `jobs` jobs, runs `workers` worker processes until every job is
/// done, reaping dead workers as it goes; with `kill_every`, kills one
/// worker with `SIGKILL` each time that many more jobs are done (and
/// starts a new one in its place). Gives up after `patience`, with the
/// count of what was left.
pub fn run_queue(
    program: &std::path::Path,
    url: &str,
    workers: usize,
    jobs: u64,
    kill_every: Option<u64>,
    patience: Duration,
) -> io::Result<RunReport> {
    run_queue_with(
        program,
        &["worker"],
        url,
        workers,
        jobs,
        kill_every,
        patience,
    )
}

/// The same, with workers started as `program args... --redis URL --name
/// NAME`: another program's workers (chapter 13's) on the same queue.
pub fn run_queue_with(
    program: &std::path::Path,
    args: &[&str],
    url: &str,
    workers: usize,
    jobs: u64,
    kill_every: Option<u64>,
    patience: Duration,
) -> io::Result<RunReport> {
    let run = Run {
        workers,
        jobs,
        kill_every,
        patience,
    };
    run_queue_on(Queue::Lists, program, args, url, run)
}

/// Which queue a run drives: the lists this chapter builds, or a stream's
/// consumer group ([`crate::streams`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    /// `LMOVE` to a processing list, a lease per worker, the reaper.
    Lists,
    /// `XREADGROUP`, `XACK`, and `XAUTOCLAIM` by the workers themselves.
    Streams,
}

/// How big a run is: workers, jobs, a kill each `kill_every` jobs done,
/// and how long to wait for the last job before giving up.
#[derive(Debug, Clone, Copy)]
pub struct Run {
    /// Worker processes at once.
    pub workers: usize,
    /// Jobs pushed: `0..jobs`.
    pub jobs: u64,
    /// Kill one worker with `SIGKILL` each time this many more are done.
    pub kill_every: Option<u64>,
    /// The run gives up after this long, and says what was left.
    pub patience: Duration,
}

impl Queue {
    /// Makes the queue ready on an empty server.
    fn prepare(self, redis: &RealRedis) -> redis::RedisResult<()> {
        match self {
            Queue::Lists => Ok(()),
            Queue::Streams => crate::streams::create_group(redis),
        }
    }

    /// Pushes the jobs `jobs`, in order, in one round trip.
    fn push(self, redis: &RealRedis, jobs: std::ops::Range<JobId>) -> redis::RedisResult<()> {
        match self {
            Queue::Lists => redis.push_job_range(jobs),
            Queue::Streams => crate::streams::push_jobs(redis, jobs),
        }
    }

    /// Takes back dead workers' jobs: the lists' reaper. A stream's
    /// workers claim stale entries themselves.
    fn reap(self, redis: &RealRedis) -> redis::RedisResult<usize> {
        match self {
            Queue::Lists => reap_dead_workers(redis),
            Queue::Streams => Ok(0),
        }
    }

    /// Jobs queued or held, not yet acknowledged.
    fn unfinished(self, redis: &RealRedis) -> redis::RedisResult<u64> {
        match self {
            Queue::Lists => unfinished(redis),
            Queue::Streams => crate::streams::unfinished(redis),
        }
    }

    /// The jobs set aside as poison.
    fn dead_jobs(self, redis: &RealRedis) -> redis::RedisResult<Vec<JobId>> {
        match self {
            Queue::Lists => redis.dead_jobs(),
            Queue::Streams => crate::streams::dead_jobs(redis),
        }
    }
}

/// Runs `queue` with workers started as `program args... --redis URL
/// --name NAME` (see [`run_queue`]).
pub fn run_queue_on(
    queue: Queue,
    program: &std::path::Path,
    args: &[&str],
    url: &str,
    run: Run,
) -> io::Result<RunReport> {
    let here = Here { program, args, url };
    run_queue_launched(queue, &here, url, run, &mut |_| Ok(()))
}

/// Runs `queue` with workers `launch` starts, watched from here through
/// `url`; `during` is called as the run goes, with the count of jobs done
/// (the machines' runs kill a machine, or cut its link, at some count).
pub fn run_queue_launched(
    queue: Queue,
    launch: &dyn Launch,
    url: &str,
    run: Run,
    during: &mut dyn FnMut(u64) -> io::Result<()>,
) -> io::Result<RunReport> {
    let Run {
        workers,
        jobs,
        kill_every,
        patience,
    } = run;
    if workers == 0 || jobs == 0 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "no workers, or no jobs",
        ));
    }
    let redis = RealRedis::connect(url).map_err(io::Error::other)?;
    redis
        .query::<()>(&redis::cmd("FLUSHALL"))
        .map_err(io::Error::other)?;
    queue.prepare(&redis).map_err(io::Error::other)?;
    // Killing, the queue gets `kill_every` jobs at a time, never more
    // than that past the next kill: however fast the workers (or late
    // this loop), one is killed each `kill_every` jobs done.
    let batch = kill_every.unwrap_or(jobs);
    let mut next_kill = kill_every.unwrap_or(u64::MAX);
    let mut pushed = 0;
    let mut feed = |next_kill: u64| -> io::Result<u64> {
        while pushed < jobs && pushed < next_kill.saturating_add(batch) {
            let upto = jobs.min(pushed + batch);
            queue.push(&redis, pushed..upto).map_err(io::Error::other)?;
            pushed = upto;
        }
        Ok(jobs - pushed) // not yet pushed
    };
    feed(next_kill)?;
    let mut pool = Workers {
        launch,
        running: Vec::new(),
        started: 0,
    };
    let start = Instant::now();
    for _ in 0..workers {
        pool.start_one()?;
    }
    let (mut killed, mut requeued, mut crashed) = (0, 0, 0);
    // When killing, look often, so the workers do not wait for jobs;
    // otherwise seldom, not to slow the server being measured.
    let pause = Duration::from_millis(if kill_every.is_some() { 2 } else { 20 });
    let mut unfinished_jobs;
    loop {
        thread::sleep(pause);
        crashed += pool.replace_crashed()?;
        requeued += queue.reap(&redis).map_err(io::Error::other)? as u64;
        let done: u64 = redis
            .query(redis::cmd("HLEN").arg(DONE))
            .map_err(io::Error::other)?;
        during(done)?;
        if let Some(every) = kill_every
            && done >= next_kill
        {
            next_kill += every;
            let mut victim = pool.running.remove(killed as usize % pool.running.len());
            let pid = rustix::process::Pid::from_child(&victim);
            if rustix::process::kill_process(pid, rustix::process::Signal::KILL).is_ok() {
                killed += 1;
            }
            let _ = victim.wait();
            pool.start_one()?;
        }
        let not_pushed = feed(next_kill)?;
        unfinished_jobs = queue.unfinished(&redis).map_err(io::Error::other)? + not_pushed;
        if unfinished_jobs == 0 || start.elapsed() > patience {
            break; // done, or the report says how much was left
        }
    }
    let elapsed = start.elapsed();
    let done = redis.done().map_err(io::Error::other)?;
    let dead = queue
        .dead_jobs(&redis)
        .map_err(io::Error::other)?
        .into_iter()
        .filter(|job| *job < jobs && !done.contains_key(job))
        .collect::<std::collections::BTreeSet<_>>()
        .len() as u64;
    let reports: Vec<String> = redis
        .query(redis::cmd("HVALS").arg(ROUND_TRIPS))
        .map_err(io::Error::other)?;
    let (trips, jobs_reported) = reports
        .iter()
        .filter_map(|report| report.split_once(' '))
        .filter_map(|(trips, jobs)| Some((trips.parse::<u64>().ok()?, jobs.parse::<u64>().ok()?)))
        .fold((0, 0), |(t, j), (trips, jobs)| (t + trips, j + jobs));
    let not_done = (0..jobs).filter(|job| !done.contains_key(job)).count() as u64;
    let done_twice = done.values().map(|times| times - 1).sum();
    Ok(RunReport {
        jobs,
        lost: not_done.saturating_sub(unfinished_jobs + dead),
        unfinished: unfinished_jobs,
        done_twice,
        killed,
        requeued,
        dead,
        crashed,
        elapsed,
        round_trips_a_job: trips as f64 / jobs_reported.max(1) as f64,
    })
}
// ANCHOR_END: run
