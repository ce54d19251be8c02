//! Caches of parsed statements: prepared statements by id, and a bounded cache of
//! unprepared QUERY strings so a hot unprepared query is not parsed again on every call.
//!
//! Ids follow `QueryProcessor.computeId` in apache/cassandra
//! (`src/java/org/apache/cassandra/cql3/QueryProcessor.java`): the MD5 of
//! `keyspace + query` when the session has a keyspace, else of the query alone.
//! Both caches are bounded; an evicted prepared statement makes the next EXECUTE answer
//! Unprepared (0x2500), and drivers then prepare it again, as with Cassandra's bounded cache.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard};

use md5::{Digest, Md5};

/// `QueryProcessor.computeId`.
pub fn statement_id(keyspace: Option<&str>, query: &str) -> [u8; 16] {
    let mut hasher = Md5::new();
    if let Some(keyspace) = keyspace {
        hasher.update(keyspace.as_bytes());
    }
    hasher.update(query.as_bytes());
    hasher.finalize().into()
}

/// A bounded map with first-in-first-out eviction, safe to share between connections.
#[derive(Debug)]
pub struct BoundedCache<K, V> {
    capacity: usize,
    inner: Mutex<Inner<K, V>>,
}

#[derive(Debug)]
struct Inner<K, V> {
    map: HashMap<K, Arc<V>>,
    order: VecDeque<K>,
}

impl<K: Hash + Eq + Clone, V> BoundedCache<K, V> {
    /// A cache holding at most `capacity` entries.
    pub fn new(capacity: usize) -> Self {
        BoundedCache {
            capacity: capacity.max(1),
            inner: Mutex::new(Inner {
                map: HashMap::new(),
                order: VecDeque::new(),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner<K, V>> {
        // A panic while holding the lock leaves the map consistent (every step is one
        // HashMap/VecDeque call), so a poisoned lock is still usable.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The entry for `key`.
    pub fn get(&self, key: &K) -> Option<Arc<V>> {
        self.lock().map.get(key).cloned()
    }

    /// Stores `value` under `key`, evicting the oldest entries beyond the capacity.
    pub fn insert(&self, key: K, value: Arc<V>) {
        let mut inner = self.lock();
        if inner.map.insert(key.clone(), value).is_none() {
            inner.order.push_back(key);
        }
        while inner.map.len() > self.capacity {
            match inner.order.pop_front() {
                Some(old) => {
                    inner.map.remove(&old);
                }
                None => break,
            }
        }
    }

    /// Drops every entry (after a schema change, cached plans may be stale).
    pub fn clear(&self) {
        let mut inner = self.lock();
        inner.map.clear();
        inner.order.clear();
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.lock().map.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_md5_of_keyspace_then_query() {
        // md5("SELECT 1") and md5("ksSELECT 1") differ; both deterministic.
        let plain = statement_id(None, "SELECT * FROM t");
        let with_ks = statement_id(Some("ks"), "SELECT * FROM t");
        assert_ne!(plain, with_ks);
        assert_eq!(with_ks, statement_id(None, "ksSELECT * FROM t"));
        // md5("") = d41d8cd98f00b204e9800998ecf8427e
        assert_eq!(
            statement_id(None, ""),
            [
                0xd4, 0x1d, 0x8c, 0xd9, 0x8f, 0x00, 0xb2, 0x04, 0xe9, 0x80, 0x09, 0x98, 0xec, 0xf8,
                0x42, 0x7e
            ]
        );
    }

    #[test]
    fn cache_evicts_oldest_first() {
        let cache = BoundedCache::new(2);
        cache.insert(1, Arc::new("a"));
        cache.insert(2, Arc::new("b"));
        cache.insert(3, Arc::new("c"));
        assert!(cache.get(&1).is_none());
        assert_eq!(cache.get(&3).as_deref(), Some(&"c"));
        assert_eq!(cache.len(), 2);
    }
}
