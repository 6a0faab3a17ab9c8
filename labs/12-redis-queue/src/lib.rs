//! Lab 12: beyond one machine, a reliable work queue on Redis. The chapter
//! is `book/src/12-redis-queue.md`; it reads these files in this order:
//!
//! - `racy.rs`: the naive queue (`RPOP`, then work: a worker that dies
//!   loses its job);
//! - `store.rs`: an in-memory Redis with the same commands, each one step,
//!   as Redis runs each command whole: what loom checks the protocols on;
//! - `checks.rs`: the loom models (workers as threads, a death injected),
//!   the stream worker's included;
//! - `fixed.rs`: the reliable queue (`LMOVE` to a processing list, ack,
//!   and a reaper that requeues a dead worker's jobs), and the same with a
//!   retry limit and a dead-letter list (a job that kills every worker
//!   that takes it is set aside after [`MAX_DELIVERIES`]);
//! - `on_std.rs` and `on_loom.rs`: the same files compiled on std and on loom;
//! - `real.rs`: the same protocols on a real Redis server, the server the
//!   tests start, the workers (one round trip a job: [`Pipelined`]), the
//!   reaper and events by pub/sub;
//! - `streams.rs`: the same queue with Redis's own consumer groups
//!   (`XREADGROUP`, `XACK`, `XAUTOCLAIM`), to set beside the lists;
//! - `exercise.rs`: your turn, a queue whose workers peek, work, then
//!   remove (`solution.rs` has the reference answer: try first).

// `on_std` and `on_loom` each compile racy.rs, fixed.rs... once: the same
// code on std's types and on loom's. That is the point, not a slip.
#![allow(
    clippy::duplicate_mod,
    reason = "each lab file is compiled on std and on loom"
)]

/// A job, as the queue holds it: its number.
pub type JobId = u64;

/// The list the producers push jobs onto.
pub const JOBS: &str = "jobs";
/// The hash that counts how many times each job was done.
pub const DONE: &str = "done";

// ANCHOR: retry_limit
/// How many deliveries a job gets: once that many workers have each taken
/// it and died before acknowledging it, the reaper moves it to [`DEAD`]
/// rather than queue it again. A job that kills its worker (a crash in its
/// work, bad input) would otherwise be taken back, and kill the next
/// worker, for ever: a **poison job**.
pub const MAX_DELIVERIES: u64 = 3;
/// The dead-letter list: jobs no worker will be given again, for a person
/// (or a tool) to look at.
pub const DEAD: &str = "dead";
/// The hash that counts, for each job, its deliveries that ended in the
/// worker's death: the reaper adds one for each job it takes back.
pub const DELIVERIES: &str = "deliveries";
/// The reaper's own processing list: a job it takes back waits here, in
/// no worker's list and in no queue, while its delivery is counted.
pub const REAPING: &str = "reaping";
// ANCHOR_END: retry_limit

/// The list a worker's claimed jobs wait in until it acknowledges them.
pub fn processing(worker: &str) -> String {
    format!("processing:{worker}")
}

// ANCHOR: commands
/// The Redis commands the queues use. Redis runs each command whole, one
/// at a time: each is one indivisible step.
pub trait Commands: Sync {
    /// `LPUSH list job`: adds a job at the head.
    fn lpush(&self, list: &str, job: JobId);
    /// `RPOP list`: takes the job at the tail, if any.
    fn rpop(&self, list: &str) -> Option<JobId>;
    /// `LINDEX list -1`: the job at the tail, left where it is.
    fn peek(&self, list: &str) -> Option<JobId>;
    /// `LREM list 1 job`: removes one `job`; whether there was one.
    fn lrem(&self, list: &str, job: JobId) -> bool;
    /// `LMOVE from to RIGHT LEFT`: moves the tail job of `from` to the head
    /// of `to`, in one step.
    fn lmove(&self, from: &str, to: &str) -> Option<JobId>;
    /// `BLMOVE from to RIGHT LEFT 0.1`: the same, but on a real server
    /// waits up to 0.1 s for a job rather than answer "none" at once.
    fn blmove(&self, from: &str, to: &str) -> Option<JobId> {
        self.lmove(from, to)
    }
    /// `LLEN list`: how many jobs it holds.
    fn llen(&self, list: &str) -> usize;
    /// `HINCRBY done job 1`: counts `job` done once more.
    fn count_done(&self, job: JobId);
    /// `HINCRBY deliveries job 1`: counts one more delivery of `job` that
    /// ended in its worker's death; the count now.
    fn count_delivery(&self, job: JobId) -> u64;
}
// ANCHOR_END: commands

// ANCHOR: pipelined
/// Commands sent together, in one round trip: a pipeline.
pub trait Pipelined: Commands + Sized {
    /// Runs the commands `batch` gives without waiting for their answers:
    /// on a real server they go out with the next command that waits for
    /// one, in the same round trip. A pipeline is not a transaction: the
    /// server runs each command whole, in order, but another client's
    /// commands may run between them, and if the sender is killed, the
    /// commands after some point may never arrive. So each is still a
    /// step of its own, with a death possible between any two: by
    /// default, and in the loom models, they simply run, one by one.
    /// `batch` must not act on their answers: on a real server, none has
    /// come back yet (each answers "nothing").
    fn pipelined(&self, batch: impl FnOnce(&Self)) {
        batch(self)
    }
}
// ANCHOR_END: pipelined

// ANCHOR: stream_commands
/// The commands a stream worker finishes an entry with (`streams.rs`): on
/// a real server queued for its next round trip, in the loom model each a
/// step of its own, with a death possible between them.
pub trait StreamCommands: Sync {
    /// What names an entry: its ID in the stream.
    type Entry;
    /// `HINCRBY done job 1`: counts `job` done once more.
    fn count_done(&self, job: JobId);
    /// `XACK stream:jobs workers ID`: the entry leaves the group's pending
    /// list, and no worker will be given it again.
    fn ack(&self, entry: &Self::Entry);
}
// ANCHOR_END: stream_commands

/// A queue protocol: how a worker claims a job, acknowledges it done, and
/// how a dead worker's jobs are taken back.
pub trait Protocol: Send + Sync + 'static {
    /// The next job for `worker`, if any.
    fn claim(redis: &impl Commands, worker: &str) -> Option<JobId>;
    /// `worker` has done `job`.
    fn ack(redis: &impl Commands, worker: &str, job: JobId);
    /// `worker` is dead: takes back what it had claimed (queued again, or
    /// set aside); how many.
    fn reap(redis: &impl Commands, worker: &str) -> usize;
}

pub mod on_loom;
pub mod on_std;

pub mod checks;
pub mod machines;
pub mod real;
pub mod streams;
