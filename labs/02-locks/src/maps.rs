//! Three ways to share one map between threads, for the benchmark: one
//! `Mutex`, one `RwLock`, or a `Mutex` per shard of the keys.

use crossbeam::utils::CachePadded;
use std::collections::HashMap;
use std::sync::{Mutex, RwLock};
use std::thread;

/// A map of `u64` to `u64` that threads share.
pub trait SharedMap: Sync {
    /// A map holding `key → key` for every key below `keys`.
    fn with_keys(keys: u64) -> Self;
    /// The value of `key`, if any.
    fn get(&self, key: u64) -> Option<u64>;
    /// Sets `key` to `value`.
    fn insert(&self, key: u64, value: u64);
}

fn filled(keys: impl Iterator<Item = u64>) -> HashMap<u64, u64> {
    keys.map(|key| (key, key)).collect()
}

// ANCHOR: maps
/// One lock for the whole map: readers wait for readers too.
pub struct MutexMap(Mutex<HashMap<u64, u64>>);

/// One reader-writer lock: readers share it, a writer has it alone.
pub struct RwLockMap(RwLock<HashMap<u64, u64>>);

/// One lock per shard: threads touching different shards never wait.
/// Each shard gets a cache line of its own: two locks side by side would
/// share one, and every lock taken would steal it from the other core
/// ("false sharing"), contention again by another name.
pub struct ShardedMap(Vec<CachePadded<Mutex<HashMap<u64, u64>>>>);

const SHARDS: u64 = 16;

impl ShardedMap {
    fn shard(&self, key: u64) -> &Mutex<HashMap<u64, u64>> {
        &self.0[(key % SHARDS) as usize]
    }
}
// ANCHOR_END: maps

impl SharedMap for MutexMap {
    fn with_keys(keys: u64) -> Self {
        Self(Mutex::new(filled(0..keys)))
    }
    fn get(&self, key: u64) -> Option<u64> {
        self.0.lock().unwrap().get(&key).copied()
    }
    fn insert(&self, key: u64, value: u64) {
        self.0.lock().unwrap().insert(key, value);
    }
}

impl SharedMap for RwLockMap {
    fn with_keys(keys: u64) -> Self {
        Self(RwLock::new(filled(0..keys)))
    }
    fn get(&self, key: u64) -> Option<u64> {
        self.0.read().unwrap().get(&key).copied()
    }
    fn insert(&self, key: u64, value: u64) {
        self.0.write().unwrap().insert(key, value);
    }
}

impl SharedMap for ShardedMap {
    fn with_keys(keys: u64) -> Self {
        let shards = (0..SHARDS)
            .map(|shard| {
                CachePadded::new(Mutex::new(filled(
                    (0..keys).filter(|key| key % SHARDS == shard),
                )))
            })
            .collect();
        Self(shards)
    }
    fn get(&self, key: u64) -> Option<u64> {
        self.shard(key).lock().unwrap().get(&key).copied()
    }
    fn insert(&self, key: u64, value: u64) {
        self.shard(key).lock().unwrap().insert(key, value);
    }
}

// ANCHOR: workload
/// The benchmark's workload: `threads` threads each make `operations`
/// operations on one shared map of `keys` keys, nine reads to one write.
/// Returns the sum of the values read, so no read can be optimised away.
pub fn read_mostly<M: SharedMap>(map: &M, threads: u64, operations: u64, keys: u64) -> u64 {
    thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|worker| {
                scope.spawn(move || {
                    let mut sum = 0;
                    for i in 0..operations {
                        let key = (i * 7 + worker * 13) % keys;
                        if i % 10 == 0 {
                            map.insert(key, i);
                        } else {
                            sum += map.get(key).unwrap_or(0);
                        }
                    }
                    sum
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    })
}
// ANCHOR_END: workload
