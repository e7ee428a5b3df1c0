//! Recent searches' results, for one generation of the index: a page reloaded, a facet
//! toggled back, Back and Forward, or a monitor polling the same query are answered without
//! searching again. Bounded by entries and by the size of each result (first in, first
//! out); a new commit or deletion (another set of segments) empties it. The server turns it
//! on (`serve --result-cache N`); a CLI process, which runs one search, does not.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use super::hit::SearchResults;
use super::request::SearchRequest;

/// Results with more hits than this are not kept: a big page costs its memory many times
/// over, and is rarely asked twice.
pub const MAX_HITS: usize = 20;

/// The default number of searches a server keeps.
pub const DEFAULT_ENTRIES: usize = 256;

/// Kept results by request, for one index generation.
#[derive(Debug, Default)]
pub struct ResultCache {
    capacity: usize,
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    generation: u64,
    entries: HashMap<String, SearchResults>,
    order: VecDeque<String>,
}

impl ResultCache {
    /// Keeps up to `capacity` searches (0: none).
    pub fn new(capacity: usize) -> ResultCache {
        ResultCache {
            capacity,
            inner: Mutex::default(),
        }
    }

    /// Searches it keeps at most.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The key of a request: every field, as its Debug form prints it.
    pub fn key(req: &SearchRequest) -> String {
        format!("{req:?}")
    }

    /// The kept results of `key` in index generation `generation`.
    pub fn get(&self, generation: u64, key: &str) -> Option<SearchResults> {
        if self.capacity == 0 {
            return None;
        }
        let inner = self.lock();
        (inner.generation == generation)
            .then(|| inner.entries.get(key).cloned())
            .flatten()
    }

    /// Keeps `results` for `key` in generation `generation` (a newer generation drops
    /// everything kept before it).
    pub fn put(&self, generation: u64, key: String, results: &SearchResults) {
        if self.capacity == 0 || results.hits.len() > MAX_HITS {
            return;
        }
        let mut inner = self.lock();
        if inner.generation != generation {
            inner.entries.clear();
            inner.order.clear();
            inner.generation = generation;
        }
        if inner.entries.contains_key(&key) {
            return;
        }
        while inner.order.len() >= self.capacity {
            if let Some(old) = inner.order.pop_front() {
                inner.entries.remove(&old);
            }
        }
        inner.order.push_back(key.clone());
        inner.entries.insert(key, results.clone());
    }

    /// Searches kept now.
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // Every change leaves the map and the order consistent before the next statement
        // can panic, so a poisoned lock still holds a usable cache.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results(query: &str) -> SearchResults {
        SearchResults {
            hits: Vec::new(),
            summary: crate::search::hit::Summary {
                query: query.into(),
                articles: 0,
                stories: 0,
                collapse: true,
                sort: crate::search::Sort::Relevance,
                passages: 0,
                total_exact: true,
                returned: 0,
                offset: 0,
                limit: 10,
                exact: false,
                elapsed_ms: 0.0,
                warnings: Vec::new(),
                facets: None,
                next_cursor: None,
            },
        }
    }

    #[test]
    fn keeps_the_newest_entries_of_one_generation() {
        let cache = ResultCache::new(2);
        cache.put(7, "a".into(), &results("a"));
        cache.put(7, "b".into(), &results("b"));
        cache.put(7, "c".into(), &results("c"));
        assert!(cache.get(7, "a").is_none(), "the oldest went first");
        assert_eq!(cache.get(7, "c").map(|r| r.summary.query), Some("c".into()));
        assert!(
            cache.get(8, "c").is_none(),
            "another generation sees nothing"
        );
        cache.put(8, "d".into(), &results("d"));
        assert_eq!(cache.len(), 1, "a new generation empties the cache");
        assert!(ResultCache::new(0).get(8, "d").is_none());
    }
}
