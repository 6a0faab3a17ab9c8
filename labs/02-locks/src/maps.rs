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

#[cfg(test)]
mod tests {
    use super::*;

    /// What `read_mostly` returns on one thread, worked out on a plain map.
    fn one_thread_sum(operations: u64, keys: u64) -> u64 {
        let mut map: HashMap<u64, u64> = (0..keys).map(|key| (key, key)).collect();
        let mut sum = 0;
        for i in 0..operations {
            let key = (i * 7) % keys;
            if i % 10 == 0 {
                map.insert(key, i);
            } else {
                sum += map[&key];
            }
        }
        sum
    }

    /// Each map holds `key → key`, reads back what is written, and knows
    /// no key it was not given; on one thread the benchmark's workload sums
    /// to what a plain map gives; on four, every key ends with its first
    /// value or one a worker wrote to it.
    fn behaves_like_a_map<M: SharedMap>() {
        let map = M::with_keys(100);
        for key in 0..100 {
            assert_eq!(map.get(key), Some(key), "key {key} after with_keys");
        }
        assert_eq!(map.get(100), None, "a key never inserted");
        map.insert(37, 1_000);
        assert_eq!(map.get(37), Some(1_000), "a key just written");
        assert_eq!(map.get(38), Some(38), "its neighbour, untouched");
        map.insert(500, 5);
        assert_eq!(map.get(500), Some(5), "a new key");

        let map = M::with_keys(64);
        assert_eq!(read_mostly(&map, 1, 1_000, 64), one_thread_sum(1_000, 64));

        let (threads, operations, keys) = (4, 1_000, 64);
        let map = M::with_keys(keys);
        read_mostly(&map, threads, operations, keys);
        for key in 0..keys {
            let value = map.get(key).expect("every key stays");
            let written = (0..threads).any(|worker| {
                (0..operations)
                    .any(|i| i % 10 == 0 && i == value && (i * 7 + worker * 13) % keys == key)
            });
            assert!(
                value == key || written,
                "key {key} holds {value}, which no one wrote to it"
            );
        }
    }

    #[test]
    fn the_mutex_map_is_a_map() {
        behaves_like_a_map::<MutexMap>();
    }

    #[test]
    fn the_rwlock_map_is_a_map() {
        behaves_like_a_map::<RwLockMap>();
    }

    #[test]
    fn the_sharded_map_is_a_map() {
        behaves_like_a_map::<ShardedMap>();
    }

    #[test]
    fn the_sharded_map_spreads_keys_over_every_shard() {
        let map = ShardedMap::with_keys(SHARDS * 4);
        for (shard, lock) in map.0.iter().enumerate() {
            let keys = lock.lock().unwrap().len();
            assert_eq!(keys, 4, "shard {shard} holds {keys} of {} keys", SHARDS * 4);
        }
    }
}
