//! The loom models: workers as loom threads on the in-memory Redis
//! (`store.rs`, on loom's types), with a worker's death injected.
//!
//! Each function here is a loom model: a test hands it to `harness::Check`,
//! which runs it under `loom::model::Builder`, once per class of equivalent
//! interleavings within the check's bound, recording what each thread did.

use crate::on_loom::store::MemoryRedis;
use crate::{
    Commands, DEAD, JOBS, JobId, MAX_DELIVERIES, Pipelined, Protocol, REAPING, StreamCommands,
    processing,
};
use harness::sync::loom::{Arc, Mutex, Named, thread};

/// A worker process's connection: once the process is killed, its
/// commands stop reaching the server. A command already sent when the kill
/// lands still runs, as on a real server.
struct Connection<'a> {
    redis: &'a MemoryRedis,
    killed: &'a Mutex<bool>,
}

impl Connection<'_> {
    fn dead(&self) -> bool {
        *self.killed.lock().unwrap()
    }
}

impl Commands for Connection<'_> {
    fn lpush(&self, list: &str, job: JobId) {
        if !self.dead() {
            self.redis.lpush(list, job)
        }
    }
    fn rpop(&self, list: &str) -> Option<JobId> {
        (!self.dead()).then(|| self.redis.rpop(list)).flatten()
    }
    fn peek(&self, list: &str) -> Option<JobId> {
        (!self.dead()).then(|| self.redis.peek(list)).flatten()
    }
    fn lrem(&self, list: &str, job: JobId) -> bool {
        !self.dead() && self.redis.lrem(list, job)
    }
    fn lmove(&self, from: &str, to: &str) -> Option<JobId> {
        (!self.dead()).then(|| self.redis.lmove(from, to)).flatten()
    }
    fn llen(&self, list: &str) -> usize {
        if self.dead() {
            0
        } else {
            self.redis.llen(list)
        }
    }
    fn count_done(&self, job: JobId) {
        if !self.dead() {
            self.redis.count_done(job)
        }
    }
    fn count_delivery(&self, job: JobId) -> u64 {
        if self.dead() {
            0
        } else {
            self.redis.count_delivery(job)
        }
    }
}

/// A pipeline is not a transaction: its commands run one by one, each a
/// step, with a death possible before any of them (the default).
impl Pipelined for Connection<'_> {}

/// One worker's life: claim, do, acknowledge, until the queue is empty
/// (or, killed, until its commands stop reaching the server). As the real
/// worker (`real.rs`) sends them: the work's effect and the ack pipelined
/// with the next claim.
fn work<P: Protocol>(redis: &MemoryRedis, worker: &str, killed: &Mutex<bool>) {
    let connection = Connection { redis, killed };
    let mut claimed = P::claim(&connection, worker);
    while let Some(job) = claimed {
        connection.pipelined(|connection| {
            connection.count_done(job); // the work, and its effect
            P::ack(connection, worker, job);
        });
        claimed = P::claim(&connection, worker);
    }
}

// ANCHOR: kill_model
/// Jobs 1 and 2. Worker `w1` works on its own thread; at any moment, the
/// supervisor kills it, reaps it, and works as `w2` until the queue is
/// empty. No job may be lost: each must be done at least once.
pub fn kill_a_worker<P: Protocol>() {
    thread::name_current("supervisor");
    let redis = Arc::new(MemoryRedis::new());
    redis.lpush(JOBS, 1);
    redis.lpush(JOBS, 2);
    let killed = Arc::new(Mutex::new(false).named("killed"));
    let w1 = {
        let (redis, killed) = (Arc::clone(&redis), Arc::clone(&killed));
        thread::spawn(move || {
            thread::name_current("worker w1");
            work::<P>(&redis, "w1", &killed);
        })
    };
    *killed.lock().unwrap() = true; // kill -9 w1
    w1.join().unwrap(); // its process is gone
    P::reap(&*redis, "w1");
    work::<P>(&redis, "w2", &Mutex::new(false).named("w2 killed"));
    assert_jobs_done(&redis, &[1, 2]);
    assert_all_acknowledged(&*redis);
}
// ANCHOR_END: kill_model

/// Every job of `jobs` was done at least once: none lost.
#[track_caller]
fn assert_jobs_done(redis: &MemoryRedis, jobs: &[JobId]) {
    let done = redis.done();
    let lost: Vec<_> = jobs.iter().filter(|j| !done.contains_key(j)).collect();
    assert!(lost.is_empty(), "jobs lost: {lost:?}; done: {done:?}");
}

/// Once every job is done, every list is empty: nothing queued, nothing
/// left in a worker's (or the reaper's) processing list, nothing set aside
/// as dead. An acknowledgement that counts a
/// job done but leaves it in the processing list loses nothing, and the
/// next reap hands the job out again: only this catches it.
fn assert_all_acknowledged(redis: &impl Commands) {
    let lists = [JOBS, &processing("w1"), &processing("w2"), REAPING, DEAD];
    let left: Vec<(String, usize)> = lists
        .into_iter()
        .map(String::from)
        .map(|list| {
            let len = redis.llen(&list);
            (list, len)
        })
        .filter(|(_, len)| *len > 0)
        .collect();
    assert!(
        left.is_empty(),
        "every job is done, yet lists still hold jobs: {left:?}"
    );
}

// ANCHOR: live_model
/// Jobs 1 and 2. Worker `w1` is only slow, not dead, but its lease ran
/// out: the supervisor reaps it while it works, then works as `w2`. No
/// job may be lost, and the run must end (some may be done twice).
pub fn reap_a_live_worker<P: Protocol>() {
    thread::name_current("supervisor");
    let redis = Arc::new(MemoryRedis::new());
    redis.lpush(JOBS, 1);
    redis.lpush(JOBS, 2);
    let w1 = {
        let redis = Arc::clone(&redis);
        thread::spawn(move || {
            thread::name_current("worker w1");
            work::<P>(&redis, "w1", &Mutex::new(false).named("w1 killed"));
        })
    };
    P::reap(&*redis, "w1"); // its lease expired: declared dead
    work::<P>(&redis, "w2", &Mutex::new(false).named("w2 killed"));
    w1.join().unwrap();
    P::reap(&*redis, "w1"); // anything it claimed after the first reap
    work::<P>(&redis, "w2", &Mutex::new(false).named("w2 killed"));
    assert_jobs_done(&redis, &[1, 2]);
    assert_all_acknowledged(&*redis);
}
// ANCHOR_END: live_model

// ANCHOR: two_workers_model
/// One job, two workers, no deaths: the job must be done exactly once.
pub fn two_workers_one_job<P: Protocol>() {
    thread::name_current("worker w1");
    let redis = Arc::new(MemoryRedis::new());
    redis.lpush(JOBS, 1);
    let never = || Arc::new(Mutex::new(false).named("never killed"));
    let w2 = {
        let (redis, alive) = (Arc::clone(&redis), never());
        thread::spawn(move || {
            thread::name_current("worker w2");
            work::<P>(&redis, "w2", &alive);
        })
    };
    work::<P>(&redis, "w1", &never());
    w2.join().unwrap();
    let times = redis.done().get(&1).copied().unwrap_or(0);
    assert!(times == 1, "job 1 was done {times} times");
}
// ANCHOR_END: two_workers_model

// ANCHOR: repeats_model
/// What a death costs, counted: jobs 1 and 2, worker `w1` killed at any
/// moment, reaped, and the queue finished by `w2`, as in the kill model;
/// but now the jobs done twice are counted too. None may be lost, and at
/// most `most` done twice.
pub fn kill_a_worker_redoing_at_most<P: Protocol>(most: usize) {
    thread::name_current("supervisor");
    let redis = Arc::new(MemoryRedis::new());
    redis.lpush(JOBS, 1);
    redis.lpush(JOBS, 2);
    let killed = Arc::new(Mutex::new(false).named("killed"));
    let w1 = {
        let (redis, killed) = (Arc::clone(&redis), Arc::clone(&killed));
        thread::spawn(move || {
            thread::name_current("worker w1");
            work::<P>(&redis, "w1", &killed);
        })
    };
    *killed.lock().unwrap() = true; // kill -9 w1
    w1.join().unwrap();
    P::reap(&*redis, "w1");
    work::<P>(&redis, "w2", &Mutex::new(false).named("w2 killed"));
    let done = redis.done();
    assert!(done.len() == 2, "jobs lost; done: {done:?}");
    let twice: Vec<_> = done
        .iter()
        .filter(|&(_, &n)| n > 1)
        .map(|(j, _)| j)
        .collect();
    assert!(
        twice.len() <= most,
        "jobs done twice: {twice:?}, more than {most}; done: {done:?}"
    );
}
// ANCHOR_END: repeats_model

/// The poison job of [`poison_job`]: whoever takes it dies.
pub const POISON: JobId = 1;

/// A worker whose process dies in the work of job [`POISON`] (a crash, an
/// out-of-memory kill): it claims, does and acknowledges jobs as `work`
/// does, until the queue is empty, or until it claims the poison job;
/// then it sends nothing more, that job's ack least of all. Whether it
/// took the poison job.
fn work_until_poisoned<P: Protocol>(redis: &MemoryRedis, worker: &str) -> bool {
    let mut claimed = P::claim(redis, worker);
    while let Some(job) = claimed {
        if job == POISON {
            return true; // dead: no count, no ack, no next claim
        }
        redis.count_done(job);
        P::ack(redis, worker, job);
        claimed = P::claim(redis, worker);
    }
    false
}

// ANCHOR: poison_model
/// Job 1 is poison: every worker that takes it dies before its ack. Job 2
/// is ordinary, behind it in the queue. Workers w1 and w2 work side by
/// side; the supervisor reaps w1 once its process is gone (dead, or out
/// of work), while w2 may still claim, then reaps w2; then it starts one
/// worker at a time, reaping each once it is gone, while jobs are queued,
/// for at most `MAX_DELIVERIES` more lives (a queue with the limit needs
/// `MAX_DELIVERIES - 1` at most: w1 or w2 took the poison job at least
/// once; one more shows a limit passed by one). Then job 1 must be in the
/// dead-letter list, delivered exactly `MAX_DELIVERIES` times, job 2
/// done once, and nothing else left in any list.
///
/// Bound: every interleaving of w1, w2 and the supervisor's first reap,
/// which is where the claims of the requeued poison job and the reaper's
/// steps meet; the workers after them run one at a time, each dying only
/// where its own work kills it, as every death here does. Deaths anywhere
/// are the kill model's, reaps of a live worker the slow worker's, which
/// this protocol passes too (`tests/loom.rs`).
pub fn poison_job<P: Protocol>() {
    thread::name_current("supervisor");
    let redis = Arc::new(MemoryRedis::new());
    redis.lpush(JOBS, POISON); // first in line
    redis.lpush(JOBS, 2); // behind it
    let start = |name: &'static str| {
        let redis = Arc::clone(&redis);
        thread::spawn(move || {
            thread::name_current(&format!("worker {name}"));
            work_until_poisoned::<P>(&redis, name)
        })
    };
    let (w1, w2) = (start("w1"), start("w2"));
    let mut delivered = u64::from(w1.join().unwrap()); // w1's process is gone
    P::reap(&*redis, "w1"); // its lease ran out; w2 may still be claiming
    delivered += u64::from(w2.join().unwrap());
    P::reap(&*redis, "w2");
    for life in 3..3 + MAX_DELIVERIES {
        if redis.llen(JOBS) == 0 {
            break;
        }
        let worker = format!("w{life}");
        delivered += u64::from(work_until_poisoned::<P>(&redis, &worker));
        P::reap(&*redis, &worker);
    }
    let (done, lists) = (redis.done(), redis.lists());
    assert!(
        done.get(&2) == Some(&1) && !done.contains_key(&POISON),
        "job 2 not done once (lost, or stuck behind the poison job): done {done:?}; \
         lists {lists:?}"
    );
    let dead = lists.get(DEAD).cloned().unwrap_or_default();
    assert!(
        dead == [POISON],
        "the poison job is not in the dead-letter list after {delivered} deliveries: \
         lists {lists:?}"
    );
    assert!(
        delivered == MAX_DELIVERIES,
        "the poison job was delivered {delivered} times, not {MAX_DELIVERIES}"
    );
    let left: Vec<_> = lists.keys().filter(|list| *list != DEAD).collect();
    assert!(left.is_empty(), "lists still hold jobs: {lists:?}");
}
// ANCHOR_END: poison_model

/// How a stream worker finishes an entry it has done: the real worker's
/// way is [`streams::finish`](crate::streams::finish); the tests give
/// wrong ones too, to show the model catches them.
pub trait Finish: Send + Sync + 'static {
    /// `job`, held as `entry`, is done.
    fn finish<R: StreamCommands>(redis: &R, entry: &R::Entry, job: JobId);
}

/// The real worker's way: [`streams::finish`](crate::streams::finish).
pub struct CountThenAck;

impl Finish for CountThenAck {
    fn finish<R: StreamCommands>(redis: &R, entry: &R::Entry, job: JobId) {
        crate::streams::finish(redis, entry, job)
    }
}

/// A stream worker process's connection: once it is killed, its commands
/// stop reaching the server (as [`Connection`] for the lists).
struct StreamConnection<'a> {
    redis: &'a MemoryRedis,
    killed: &'a Mutex<bool>,
}

impl StreamConnection<'_> {
    fn alive(&self) -> bool {
        !*self.killed.lock().unwrap()
    }
}

impl StreamCommands for StreamConnection<'_> {
    type Entry = usize;
    fn count_done(&self, job: JobId) {
        if self.alive() {
            Commands::count_done(self.redis, job)
        }
    }
    fn ack(&self, entry: &usize) {
        if self.alive() {
            self.redis.xack(*entry)
        }
    }
}

/// One stream worker's life, as `streams.rs` runs it: claim an entry
/// another worker held past the lease, else read a new one; do its job;
/// finish it; until there is none (or, killed, until its commands stop
/// reaching the server). The real worker's claims are its own code
/// (`claim_stale`, `read_new`); what this model checks of it is their
/// order and [`Finish`].
fn stream_work<F: Finish>(redis: &MemoryRedis, worker: &str, killed: &Mutex<bool>) {
    let connection = StreamConnection { redis, killed };
    loop {
        let claimed = if connection.alive() {
            redis
                .claim_stale(worker)
                .map(|(entry, job, _deliveries)| (entry, job))
                .or_else(|| redis.read_new(worker))
        } else {
            None
        };
        let Some((entry, job)) = claimed else {
            break;
        };
        F::finish(&connection, &entry, job);
    }
}

// ANCHOR: stream_kill_model
/// Jobs 1 and 2 on a stream. Worker `w1` works on its own thread; at any
/// moment the supervisor kills it and, once its lease has run out, works
/// as `w2`, which claims what `w1` left pending before reading new
/// entries. No job may be lost, and none may stay pending.
pub fn kill_a_stream_worker<F: Finish>() {
    thread::name_current("supervisor");
    let redis = Arc::new(MemoryRedis::new());
    redis.xadd(1);
    redis.xadd(2);
    let killed = Arc::new(Mutex::new(false).named("killed"));
    let w1 = {
        let (redis, killed) = (Arc::clone(&redis), Arc::clone(&killed));
        thread::spawn(move || {
            thread::name_current("worker w1");
            stream_work::<F>(&redis, "w1", &killed);
        })
    };
    *killed.lock().unwrap() = true; // kill -9 w1
    w1.join().unwrap(); // its process is gone; its lease runs out
    stream_work::<F>(&redis, "w2", &Mutex::new(false).named("w2 killed"));
    assert_jobs_done(&redis, &[1, 2]);
    let unfinished = redis.unfinished();
    assert!(
        unfinished == 0,
        "every job is done, yet {unfinished} entries are not acknowledged"
    );
}
// ANCHOR_END: stream_kill_model
