//! Where each article's documents lie in a segment.
//!
//! The indexer writes an article as one batch ([`tantivy::IndexWriter::run`]): its article
//! document, then its passages in order. tantivy puts a batch into one segment in order, and
//! merges keep documents in order, so a segment is a run of articles, each starting at its
//! article document. A matching passage's article and its number follow from its address:
//! a search reads an article's key, cluster and date once per article, not once per
//! matching passage.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tantivy::columnar::Column;
use tantivy::index::SegmentId;
use tantivy::query::{
    BitSetDocSet, ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{BitSet, DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

use crate::document::field;
use crate::schema::KIND_ARTICLE;

/// The addresses of a segment's article documents, ascending (deleted ones too: their
/// passages are deleted with them, and the boundaries stay where they were written), and the
/// segment's per-article columns, opened once: opening a column reads its block index
/// (2,700 blocks for the keys of 100,000 articles), which cost a tenth of a served search
/// when each search opened them again.
pub struct Layout {
    starts: Vec<DocId>,
    /// Article key of each document.
    keys: Column<u64>,
    /// Copy cluster of each document.
    clusters: Column<u64>,
    /// Publication date of each document (none when undated).
    dates: Column<tantivy::DateTime>,
    /// Each article's key, cluster and date, in article order, when kept in memory
    /// ([`Layouts::keep_in_memory`]): a long-running server reads them from here instead of
    /// decoding the columns' blocks once per article a search visits.
    rows: Option<Vec<Row>>,
}

/// An article's columns.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    /// Its key.
    pub key: u64,
    /// Its copy cluster (its own key when it has none).
    pub cluster: u64,
    /// Seconds since the epoch; [`UNDATED`] when the article has no date.
    date: i64,
}

impl Row {
    /// Its publication date in seconds since the epoch, if dated.
    pub fn date(&self) -> Option<i64> {
        Some(self.date).filter(|&d| d != UNDATED)
    }
}

const UNDATED: i64 = i64::MIN;

impl Layout {
    fn read(reader: &SegmentReader, kind: Field, in_memory: bool) -> tantivy::Result<Layout> {
        let index = reader.inverted_index(kind)?;
        let term = Term::from_field_text(kind, KIND_ARTICLE);
        let mut starts = Vec::new();
        if let Some(mut postings) = index.read_postings(&term, IndexRecordOption::Basic)? {
            let mut doc = postings.doc();
            while doc != TERMINATED {
                starts.push(doc);
                doc = postings.advance();
            }
        }
        let fast = reader.fast_fields();
        let mut layout = Layout {
            starts,
            keys: fast.u64(field::ARTICLE_KEY)?,
            clusters: fast.u64(field::COPY_CLUSTER)?,
            dates: fast.date(field::DATE)?,
            rows: None,
        };
        if in_memory {
            layout.rows = Some(layout.starts.iter().map(|&doc| layout.row(doc)).collect());
        }
        Ok(layout)
    }

    /// The columns of the article document at `doc`, read from the columns.
    pub fn row(&self, doc: DocId) -> Row {
        let key = self.keys.first(doc).unwrap_or(0);
        Row {
            key,
            cluster: self.clusters.first(doc).unwrap_or(key),
            date: self
                .dates
                .first(doc)
                .map_or(UNDATED, |d| d.into_timestamp_secs()),
        }
    }
}

/// Each segment's [`Layout`], read once per segment and shared by the searches on it.
pub struct Layouts {
    kind: Field,
    cache: Mutex<HashMap<SegmentId, Arc<Layout>>>,
    in_memory: AtomicBool,
}

impl Layouts {
    /// Layouts of the segments of an index whose `kind` field is `kind`.
    pub fn new(kind: Field) -> Layouts {
        Layouts {
            kind,
            cache: Mutex::new(HashMap::new()),
            in_memory: AtomicBool::new(false),
        }
    }

    /// From now on, keeps each segment's per-article columns in memory (24 bytes an article),
    /// and reads `searcher`'s segments that way now. For a server: a process that searches
    /// once would spend more reading every article's columns than its search reads.
    pub fn keep_in_memory(&self, searcher: &tantivy::Searcher) -> tantivy::Result<()> {
        self.in_memory.store(true, Ordering::Relaxed);
        for reader in searcher.segment_readers() {
            let layout = Arc::new(Layout::read(reader, self.kind, true)?);
            self.lock().insert(reader.segment_id(), layout);
        }
        Ok(())
    }

    /// The layout of `reader`'s segment.
    pub fn of(&self, reader: &SegmentReader) -> tantivy::Result<Arc<Layout>> {
        let id = reader.segment_id();
        if let Some(found) = self.lock().get(&id) {
            return Ok(found.clone());
        }
        // Read outside the lock: two searches may both read a new segment, and both agree.
        let in_memory = self.in_memory.load(Ordering::Relaxed);
        let layout = Arc::new(Layout::read(reader, self.kind, in_memory)?);
        self.lock().insert(id, layout.clone());
        Ok(layout)
    }

    /// Forgets segments `searcher` no longer has (merged or deleted away).
    pub fn retain(&self, searcher: &tantivy::Searcher) {
        let live: Vec<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(|r| r.segment_id())
            .collect();
        let mut cache = self.lock();
        if cache.keys().any(|id| !live.contains(id)) {
            cache.retain(|id, _| live.contains(id));
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SegmentId, Arc<Layout>>> {
        // A search that panicked holding the lock left the map whole: entries are inserted
        // in one step.
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A position among a segment's articles, moved by the addresses a search visits.
pub struct Walk {
    layout: Arc<Layout>,
    /// The current article's number in the segment (`start` is its address, `end` the
    /// next article's).
    at: usize,
    start: DocId,
    end: DocId,
}

impl Walk {
    /// Before the segment's first article.
    pub fn new(layout: Arc<Layout>) -> Walk {
        Walk {
            layout,
            at: 0,
            start: 0,
            end: 0,
        }
    }

    /// Moves to the article holding `doc`; true when that is another article than the one
    /// it was at. Addresses usually ascend, which keeps most calls to one comparison.
    pub fn enter(&mut self, doc: DocId) -> bool {
        if doc >= self.start && doc < self.end {
            return false;
        }
        let starts = &self.layout.starts;
        let after = starts.partition_point(|&s| s <= doc);
        self.at = after.saturating_sub(1);
        self.start = after.checked_sub(1).map_or(0, |i| starts[i]);
        self.end = starts.get(after).copied().unwrap_or(DocId::MAX);
        true
    }

    /// The current article's row, when the rows are kept in memory.
    fn kept(&self) -> Option<&Row> {
        self.layout.rows.as_ref()?.get(self.at)
    }

    /// The current article's key, copy cluster and date.
    pub fn current(&self) -> Row {
        self.kept()
            .copied()
            .unwrap_or_else(|| self.layout.row(self.start))
    }

    /// The current article's key (one column read when the rows are not in memory).
    pub fn key(&self) -> u64 {
        self.kept().map_or_else(
            || self.layout.keys.first(self.start).unwrap_or(0),
            |r| r.key,
        )
    }

    /// The current article's documents: its segment and its run of addresses.
    pub fn run(&self, segment: SegmentId) -> Run {
        Run {
            segment,
            start: self.start,
            end: self.end,
        }
    }

    /// The number in its article of the passage at `doc` (in the current article), from 0.
    pub fn passage_no(&self, doc: DocId) -> u64 {
        u64::from(doc.saturating_sub(self.start).saturating_sub(1))
    }
}

/// One article's documents in a segment: addresses `start..end` (`end` past the segment's
/// last document for its last article).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Run {
    segment: SegmentId,
    start: DocId,
    end: DocId,
}

/// Matches the documents of chosen articles, by their addresses, with a score of 0: a
/// `Must` clause that narrows a search to articles already found, without a term lookup
/// per article (a union of key terms looked up every key in every segment's dictionary,
/// which cost more than scoring the articles' passages).
#[derive(Debug, Clone)]
pub struct Runs {
    by_segment: Arc<HashMap<SegmentId, Vec<(DocId, DocId)>>>,
}

impl Runs {
    /// The documents of `runs`.
    pub fn new(runs: impl IntoIterator<Item = Run>) -> Runs {
        let mut by_segment: HashMap<SegmentId, Vec<(DocId, DocId)>> = HashMap::new();
        for run in runs {
            by_segment
                .entry(run.segment)
                .or_default()
                .push((run.start, run.end));
        }
        Runs {
            by_segment: Arc::new(by_segment),
        }
    }

    fn holds(&self, segment: SegmentId, doc: DocId) -> bool {
        self.by_segment
            .get(&segment)
            .is_some_and(|runs| runs.iter().any(|&(s, e)| (s..e).contains(&doc)))
    }
}

impl Query for Runs {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for Runs {
    fn scorer(&self, reader: &SegmentReader, _boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let max = reader.max_doc();
        let mut docs = BitSet::with_max_value(max);
        for &(start, end) in self
            .by_segment
            .get(&reader.segment_id())
            .into_iter()
            .flatten()
        {
            for doc in start..end.min(max) {
                docs.insert(doc);
            }
        }
        Ok(Box::new(ConstScorer::new(BitSetDocSet::from(docs), 0.0)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if !self.holds(reader.segment_id(), doc) {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} is not among the chosen articles"
            )));
        }
        Ok(Explanation::new("one of the chosen articles", 0.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk(starts: &[DocId]) -> Walk {
        Walk::new(Arc::new(Layout {
            starts: starts.to_vec(),
            keys: Column::build_empty_column(0),
            clusters: Column::build_empty_column(0),
            dates: Column::build_empty_column(0),
            rows: None,
        }))
    }

    #[test]
    fn addresses_find_their_article_and_passage_number() {
        // Articles at 0 (passages 1..=3), 4 (5..=6) and 7 (8..).
        let mut w = walk(&[0, 4, 7]);
        assert!(w.enter(2));
        assert_eq!((w.start, w.passage_no(2)), (0, 1));
        assert!(!w.enter(3), "same article");
        assert_eq!(w.passage_no(3), 2);
        assert!(w.enter(6));
        assert_eq!((w.start, w.passage_no(6)), (4, 1));
        assert!(w.enter(9));
        assert_eq!((w.start, w.passage_no(9)), (7, 1));
        assert!(
            !w.enter(1_000),
            "the last article runs to the segment's end"
        );
        // Backwards works too, at the cost of a search.
        assert!(w.enter(5));
        assert_eq!((w.start, w.passage_no(5)), (4, 0));
    }
}
