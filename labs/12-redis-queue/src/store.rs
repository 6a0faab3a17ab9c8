//! An in-memory Redis: lists and a hash behind one lock, each command one
//! critical section, as the real server runs each command whole. Loom
//! checks the queue protocols on it; the real server is in `real.rs`.

use super::sync::{Mutex, Named};
use crate::{Commands, DELIVERIES, DONE, JobId};
use std::collections::{BTreeMap, VecDeque};
use std::fmt;

/// The server's data.
#[derive(Default)]
pub struct Data {
    lists: BTreeMap<String, VecDeque<JobId>>,
    done: BTreeMap<JobId, u64>,
    deliveries: BTreeMap<JobId, u64>,
    stream: Stream,
}

/// One stream and its one consumer group (`streams.rs` on a real server).
#[derive(Default)]
struct Stream {
    /// The entries, each a job; an entry's ID is its index.
    entries: Vec<JobId>,
    /// How many entries the group has handed out: a read of new entries
    /// (`>`) gets the next one.
    delivered: usize,
    /// The group's pending list: each entry handed out and not yet
    /// acknowledged, with the consumer holding it and its delivery count.
    pending: BTreeMap<usize, (String, u64)>,
}

/// Shown as the non-empty lists, then the done counts, then the delivery
/// counts if there are any: `jobs [2] processing:w1 [1] done {1:1}
/// deliveries {2:1}`.
impl fmt::Debug for Data {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (name, list) in self.lists.iter().filter(|(_, l)| !l.is_empty()) {
            let jobs: Vec<String> = list.iter().map(JobId::to_string).collect();
            write!(f, "{name} [{}] ", jobs.join(","))?;
        }
        let done: Vec<String> = self.done.iter().map(|(j, n)| format!("{j}:{n}")).collect();
        write!(f, "{DONE} {{{}}}", done.join(","))?;
        let stream = &self.stream;
        if !stream.entries.is_empty() {
            let pending: Vec<String> = stream
                .pending
                .iter()
                .map(|(id, (consumer, n))| format!("{id}:{consumer}×{n}"))
                .collect();
            write!(
                f,
                " stream {:?} handed out {} pending {{{}}}",
                stream.entries,
                stream.delivered,
                pending.join(",")
            )?;
        }
        if !self.deliveries.is_empty() {
            let counts: Vec<String> = self
                .deliveries
                .iter()
                .map(|(j, n)| format!("{j}:{n}"))
                .collect();
            write!(f, " {DELIVERIES} {{{}}}", counts.join(","))?;
        }
        Ok(())
    }
}

/// A Redis in memory.
pub struct MemoryRedis {
    data: Mutex<Data>,
}

impl MemoryRedis {
    /// An empty server.
    pub fn new() -> Self {
        Self {
            data: Mutex::new(Data::default()).named("redis"),
        }
    }

    /// How many times each job was done (`HGETALL done`).
    pub fn done(&self) -> BTreeMap<JobId, u64> {
        self.data.lock().unwrap().done.clone()
    }

    /// Each job's deliveries that ended in a death (`HGETALL deliveries`).
    pub fn deliveries(&self) -> BTreeMap<JobId, u64> {
        self.data.lock().unwrap().deliveries.clone()
    }

    /// Every list that holds a job, head first (`LRANGE list 0 -1` of
    /// each).
    pub fn lists(&self) -> BTreeMap<String, Vec<JobId>> {
        let data = self.data.lock().unwrap();
        data.lists
            .iter()
            .filter(|(_, list)| !list.is_empty())
            .map(|(name, list)| (name.clone(), list.iter().copied().collect()))
            .collect()
    }
}

/// The stream's commands (`streams.rs` sends them to a real server).
impl MemoryRedis {
    /// `XADD stream:jobs * job JOB`: a new entry at the stream's end; its ID.
    pub fn xadd(&self, job: JobId) -> usize {
        let stream = &mut self.data.lock().unwrap().stream;
        stream.entries.push(job);
        stream.entries.len() - 1
    }

    /// `XREADGROUP GROUP workers WORKER COUNT 1 STREAMS stream:jobs >`:
    /// the next entry no consumer was given, now pending with `worker`.
    pub fn read_new(&self, worker: &str) -> Option<(usize, JobId)> {
        let stream = &mut self.data.lock().unwrap().stream;
        let id = stream.delivered;
        let job = *stream.entries.get(id)?;
        stream.delivered += 1;
        stream.pending.insert(id, (worker.to_string(), 1));
        Some((id, job))
    }

    /// `XAUTOCLAIM stream:jobs workers WORKER <lease> 0-0 COUNT 1`: a
    /// pending entry idle past the lease, now `worker`'s, one delivery
    /// more. The model has no clock: a claim runs only once the consumer
    /// that held an entry is dead and its lease has run out, so every
    /// entry another consumer holds is idle past the lease.
    pub fn claim_stale(&self, worker: &str) -> Option<(usize, JobId, u64)> {
        let stream = &mut self.data.lock().unwrap().stream;
        let (&id, held) = stream
            .pending
            .iter_mut()
            .find(|(_, (consumer, _))| consumer != worker)?;
        held.0 = worker.to_string();
        held.1 += 1;
        Some((id, stream.entries[id], held.1))
    }

    /// `XACK stream:jobs workers ID`: the entry leaves the pending list.
    pub fn xack(&self, entry: usize) {
        self.data.lock().unwrap().stream.pending.remove(&entry);
    }

    /// `XINFO GROUPS`' `pending` plus `lag`: entries not yet acknowledged,
    /// handed out or not.
    pub fn unfinished(&self) -> usize {
        let stream = &self.data.lock().unwrap().stream;
        stream.pending.len() + (stream.entries.len() - stream.delivered)
    }
}

impl Default for MemoryRedis {
    fn default() -> Self {
        Self::new()
    }
}

impl Commands for MemoryRedis {
    fn lpush(&self, list: &str, job: JobId) {
        let data = &mut self.data.lock().unwrap();
        data.lists
            .entry(list.to_string())
            .or_default()
            .push_front(job);
    }

    fn rpop(&self, list: &str) -> Option<JobId> {
        let data = &mut self.data.lock().unwrap();
        data.lists.get_mut(list)?.pop_back()
    }

    fn peek(&self, list: &str) -> Option<JobId> {
        let data = &self.data.lock().unwrap();
        data.lists.get(list)?.back().copied()
    }

    fn lrem(&self, list: &str, job: JobId) -> bool {
        let data = &mut self.data.lock().unwrap();
        let Some(list) = data.lists.get_mut(list) else {
            return false;
        };
        match list.iter().position(|&j| j == job) {
            Some(at) => list.remove(at).is_some(),
            None => false,
        }
    }

    fn lmove(&self, from: &str, to: &str) -> Option<JobId> {
        let data = &mut self.data.lock().unwrap();
        let job = data.lists.get_mut(from)?.pop_back()?;
        data.lists
            .entry(to.to_string())
            .or_default()
            .push_front(job);
        Some(job)
    }

    fn llen(&self, list: &str) -> usize {
        let data = &self.data.lock().unwrap();
        data.lists.get(list).map_or(0, VecDeque::len)
    }

    fn count_done(&self, job: JobId) {
        *self.data.lock().unwrap().done.entry(job).or_default() += 1;
    }

    fn count_delivery(&self, job: JobId) -> u64 {
        let data = &mut self.data.lock().unwrap();
        let count = data.deliveries.entry(job).or_default();
        *count += 1;
        *count
    }
}
