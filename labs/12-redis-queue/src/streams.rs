//! The same queue with Redis's own machinery: a stream and a consumer
//! group (`XADD`, `XREADGROUP`, `XACK`, `XAUTOCLAIM`), beside the lists
//! the chapter builds by hand. What the hand-built queue keeps in lists
//! and hashes, the group keeps for itself:
//!
//! | the lists (`fixed.rs`, `real.rs`)          | the stream's consumer group          |
//! |--------------------------------------------|--------------------------------------|
//! | `BLMOVE jobs processing:NAME`              | `XREADGROUP GROUP workers NAME … >`  |
//! | `LREM processing:NAME 1 job`: the ack      | `XACK stream:jobs workers ID`        |
//! | a lease key per worker, renewed            | each entry's idle time, reset when it is delivered |
//! | the reaper: a dead worker's list, back     | `XAUTOCLAIM …` an entry idle past the lease |
//! | the hash `deliveries`                      | the pending list's delivery count     |
//! | the list `dead`                            | the stream `stream:dead`, by this code |
//!
//! No reaper runs: each worker, once a tenth of the lease has passed,
//! claims for itself an entry some worker took and has not acknowledged
//! for longer than the lease (`XAUTOCLAIM`), and sets it aside if it has
//! been delivered more than [`MAX_DELIVERIES`] times, each to a worker
//! that died holding it. The lease is per entry, not per worker: a worker
//! whose job outlasts the lease must claim it again for itself (`XCLAIM`
//! resets its idle time) or lose it to another worker; the lab's jobs are
//! far shorter.

use crate::real::{EVENTS, RealRedis, parse_job, report_round_trips, retrying};
use crate::{DONE, JobId, MAX_DELIVERIES, StreamCommands};
use redis::Value;
use std::time::{Duration, Instant};

/// The stream producers add jobs to.
pub const STREAM: &str = "stream:jobs";
/// The consumer group every worker reads the stream in.
pub const GROUP: &str = "workers";
/// The dead-letter stream: each entry a job (or a payload that is none)
/// with its delivery count and why it was set aside.
pub const DEAD_STREAM: &str = "stream:dead";

/// An entry a worker holds: its stream ID, and the payload of its `job`
/// field (empty if it has none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The entry's ID in the stream, e.g. `1700000000000-0`.
    pub id: String,
    /// What its `job` field holds.
    pub payload: Vec<u8>,
}

/// Creates the consumer group (and the stream) if missing, reading from
/// the stream's start, so jobs added before it are delivered too.
pub fn create_group(redis: &RealRedis) -> redis::RedisResult<()> {
    let create = redis::cmd("XGROUP")
        .arg("CREATE")
        .arg(STREAM)
        .arg(GROUP)
        .arg("0")
        .arg("MKSTREAM")
        .clone();
    match redis.query::<()>(&create) {
        Err(error) if error.code() == Some("BUSYGROUP") => Ok(()), // there already
        other => other,
    }
}

/// Adds the jobs `jobs` to the stream, in order, in one round trip.
pub fn push_jobs(redis: &RealRedis, jobs: std::ops::Range<JobId>) -> redis::RedisResult<()> {
    for job in jobs {
        redis.send_later(
            redis::cmd("XADD")
                .arg(STREAM)
                .arg("*")
                .arg("job")
                .arg(job)
                .clone(),
        );
    }
    redis.ping().map(|_| ())
}

/// Adds one entry whose `job` field is `payload`, whatever it holds (the
/// tests' malformed job).
pub fn push_payload(redis: &RealRedis, payload: &[u8]) -> redis::RedisResult<String> {
    redis.query(
        redis::cmd("XADD")
            .arg(STREAM)
            .arg("*")
            .arg("job")
            .arg(payload),
    )
}

/// The entries in a reply's list of `[ID, [field, value, …]]`.
fn entries(list: &Value) -> Vec<Entry> {
    let Value::Array(items) = list else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| match item {
            Value::Array(pair) => match pair.as_slice() {
                [Value::BulkString(id), fields] => Some(Entry {
                    id: String::from_utf8_lossy(id).into_owned(),
                    payload: job_field(fields),
                }),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// The value of the field `job` among `[field, value, …]`; empty if none.
fn job_field(fields: &Value) -> Vec<u8> {
    match fields {
        Value::Array(fields) => field(fields, b"job").unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// The value of the field `name` among `[field, value, …]`.
fn field(fields: &[Value], name: &[u8]) -> Option<Vec<u8>> {
    fields.chunks(2).find_map(|pair| match pair {
        [Value::BulkString(key), Value::BulkString(value)] if key == name => Some(value.clone()),
        _ => None,
    })
}

/// `XREADGROUP GROUP workers NAME COUNT 1 BLOCK 100 STREAMS stream:jobs >`:
/// an entry no worker of the group has been given yet, waiting up to 0.1 s.
pub fn read_new(redis: &RealRedis, worker: &str) -> redis::RedisResult<Option<Entry>> {
    let reply: Value = redis.query(
        redis::cmd("XREADGROUP")
            .arg("GROUP")
            .arg(GROUP)
            .arg(worker)
            .arg("COUNT")
            .arg(1)
            .arg("BLOCK")
            .arg(100)
            .arg("STREAMS")
            .arg(STREAM)
            .arg(">"),
    )?;
    // [[stream, [[ID, fields]]]], or nil when the wait ran out.
    let Value::Array(streams) = reply else {
        return Ok(None);
    };
    Ok(streams.iter().find_map(|stream| match stream {
        Value::Array(pair) if pair.len() == 2 => entries(&pair[1]).into_iter().next(),
        _ => None,
    }))
}

// ANCHOR: claim_stale
/// `XAUTOCLAIM stream:jobs workers NAME <lease> 0-0 COUNT 1`: an entry
/// another worker was given and has not acknowledged for longer than
/// `lease`, now this worker's; with its delivery count, this delivery
/// included (`XPENDING`).
pub fn claim_stale(
    redis: &RealRedis,
    worker: &str,
    lease: Duration,
) -> redis::RedisResult<Option<(Entry, u64)>> {
    let reply: Vec<Value> = redis.query(
        redis::cmd("XAUTOCLAIM")
            .arg(STREAM)
            .arg(GROUP)
            .arg(worker)
            .arg(lease.as_millis() as u64)
            .arg("0-0")
            .arg("COUNT")
            .arg(1),
    )?;
    // [next cursor, [[ID, fields]], deleted IDs]
    let Some(entry) = reply
        .get(1)
        .and_then(|list| entries(list).into_iter().next())
    else {
        return Ok(None);
    };
    // [[ID, consumer, idle ms, deliveries]]
    let pending: Vec<(String, String, u64, u64)> = redis.query(
        redis::cmd("XPENDING")
            .arg(STREAM)
            .arg(GROUP)
            .arg(&entry.id)
            .arg(&entry.id)
            .arg(1),
    )?;
    let deliveries = pending.first().map_or(1, |p| p.3);
    Ok(Some((entry, deliveries)))
}
// ANCHOR_END: claim_stale

/// `XACK stream:jobs workers ID`, queued for the next round trip: the
/// entry leaves the pending list.
fn ack_later(redis: &RealRedis, entry: &Entry) {
    redis.send_later(
        redis::cmd("XACK")
            .arg(STREAM)
            .arg(GROUP)
            .arg(&entry.id)
            .clone(),
    );
}

// ANCHOR: finish
/// A worker has done `job`, which it holds as `entry`: count it done, then
/// acknowledge it. In that order: a worker that dies between the two
/// leaves the entry done and still pending, to be claimed after the lease
/// and done again (at-least-once); acknowledged first, a death between
/// the two would leave it acknowledged and never counted: lost. The loom
/// model `kill_a_stream_worker` (`checks.rs`) runs this very function.
pub fn finish<R: StreamCommands>(redis: &R, entry: &R::Entry, job: JobId) {
    redis.count_done(job);
    redis.ack(entry);
}
// ANCHOR_END: finish

/// A real server's commands, queued to go out with the worker's next
/// round trip.
struct Queued<'a>(&'a RealRedis);

impl StreamCommands for Queued<'_> {
    type Entry = Entry;
    fn count_done(&self, job: JobId) {
        self.0
            .send_later(redis::cmd("HINCRBY").arg(DONE).arg(job).arg(1).clone());
    }
    fn ack(&self, entry: &Entry) {
        ack_later(self.0, entry);
    }
}

// ANCHOR: dead_letter
/// Sets `entry` aside: added to the dead-letter stream with its delivery
/// count and `why`, and acknowledged, in one transaction (`MULTI` …
/// `EXEC`), so that a death in the middle leaves it pending, to be claimed
/// and set aside again, never in both places. Queued to go out with the
/// worker's next round trip.
pub fn dead_letter(redis: &RealRedis, worker: &str, entry: &Entry, deliveries: u64, why: &str) {
    redis.send_later(redis::cmd("MULTI"));
    redis.send_later(
        redis::cmd("XADD")
            .arg(DEAD_STREAM)
            .arg("*")
            .arg("job")
            .arg(&entry.payload)
            .arg("deliveries")
            .arg(deliveries)
            .arg("error")
            .arg(why)
            .clone(),
    );
    ack_later(redis, entry);
    redis.send_later(redis::cmd("EXEC"));
    let event = format!("dead-lettered by {worker}: {why}");
    redis.send_later(redis::cmd("PUBLISH").arg(EVENTS).arg(event).clone());
}
// ANCHOR_END: dead_letter

/// The dead-letter stream's entries: (payload, deliveries, error).
pub fn dead_letters(redis: &RealRedis) -> redis::RedisResult<Vec<(Vec<u8>, u64, String)>> {
    let reply: Value = redis.query(redis::cmd("XRANGE").arg(DEAD_STREAM).arg("-").arg("+"))?;
    let Value::Array(items) = reply else {
        return Ok(Vec::new());
    };
    Ok(items
        .iter()
        .filter_map(|item| match item {
            Value::Array(pair) => match pair.as_slice() {
                [_, Value::Array(fields)] => Some((
                    field(fields, b"job").unwrap_or_default(),
                    field(fields, b"deliveries")
                        .and_then(|d| String::from_utf8_lossy(&d).parse().ok())
                        .unwrap_or(0),
                    String::from_utf8_lossy(&field(fields, b"error").unwrap_or_default())
                        .into_owned(),
                )),
                _ => None,
            },
            _ => None,
        })
        .collect())
}

/// The jobs in the dead-letter stream (payloads that are no job left out).
pub fn dead_jobs(redis: &RealRedis) -> redis::RedisResult<Vec<JobId>> {
    Ok(dead_letters(redis)?
        .iter()
        .filter_map(|(payload, _, _)| parse_job(payload).ok())
        .collect())
}

/// Entries not yet acknowledged: given to a worker and pending, or not yet
/// given to any (the group's `lag`, Redis 7 or newer).
pub fn unfinished(redis: &RealRedis) -> redis::RedisResult<u64> {
    let groups: Vec<Value> = redis.query(redis::cmd("XINFO").arg("GROUPS").arg(STREAM))?;
    let number = |fields: &[Value], name: &str| {
        fields.chunks(2).find_map(|pair| match pair {
            [Value::BulkString(key), Value::Int(n)] if key == name.as_bytes() => Some(*n as u64),
            _ => None,
        })
    };
    for group in &groups {
        if let Value::Array(fields) = group
            && let (Some(pending), Some(lag)) = (number(fields, "pending"), number(fields, "lag"))
        {
            return Ok(pending + lag);
        }
    }
    Err(redis::RedisError::from((
        redis::ErrorKind::UnexpectedReturnType,
        "XINFO GROUPS gave no group with `pending` and `lag` (Redis 7 or newer has them)",
    )))
}

// ANCHOR: worker
/// A worker process's life on the stream: read an entry, do its job, then
/// in one round trip count it done, acknowledge it, tell the world, and
/// read the next; once a tenth of `lease` has passed, first look for an
/// entry another worker has held past the lease. Until it is killed; if
/// the server goes away, it tries again and again, for `retry_for`
/// ([`retrying`]). What it held stays pending in the group, to be claimed
/// once idle past the lease, by whichever worker looks first.
pub fn run_worker_retrying(
    url: &str,
    name: &str,
    lease: Duration,
    retry_for: Duration,
    mut work: impl FnMut(JobId) -> Option<u64>,
) -> redis::RedisResult<()> {
    let mut jobs_done = 0;
    retrying(url, name, retry_for, |redis| {
        create_group(redis)?;
        let mut looked_for_stale: Option<Instant> = None;
        let mut held: Option<(Entry, JobId)> = None;
        loop {
            let done = held.take().map(|(entry, job)| (entry, job, work(job)));
            jobs_done += u64::from(done.is_some());
            // Sent without waiting: these go out with the next round trip.
            if let Some((entry, job, result)) = done {
                if let Some(value) = result {
                    redis.send_later(
                        redis::cmd("HSET")
                            .arg(crate::real::RESULTS)
                            .arg(job)
                            .arg(value)
                            .clone(),
                    );
                }
                // Counted, then acknowledged: see `finish`.
                finish(&Queued(redis), &entry, job);
                let event = format!("done {job} by {name}");
                redis.send_later(redis::cmd("PUBLISH").arg(EVENTS).arg(event).clone());
            }
            let mut claimed = None;
            if looked_for_stale.is_none_or(|at| at.elapsed() >= lease / 10) {
                looked_for_stale = Some(Instant::now());
                report_round_trips(redis, name, jobs_done);
                if let Some((entry, deliveries)) = claim_stale(redis, name, lease)? {
                    if deliveries > MAX_DELIVERIES {
                        let why = format!(
                            "delivered {deliveries} times: the {} workers before held it past the \
                             lease without acknowledging it (died, or too slow)",
                            deliveries - 1
                        );
                        dead_letter(redis, name, &entry, deliveries, &why);
                        continue;
                    }
                    claimed = Some((entry, deliveries));
                }
            }
            let claimed = match claimed {
                Some(stale) => Some(stale),
                None => read_new(redis, name)?.map(|entry| (entry, 1)),
            };
            let Some((entry, deliveries)) = claimed else {
                continue;
            };
            match parse_job(&entry.payload) {
                Ok(job) => held = Some((entry, job)),
                // Not a job: set aside now, with its error; the worker lives on.
                Err(error) => dead_letter(redis, name, &entry, deliveries, &error),
            }
        }
    })
}
// ANCHOR_END: worker
