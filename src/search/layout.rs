//! Where each article's documents lie in a segment.
//!
//! The indexer writes an article as one batch ([`tantivy::IndexWriter::run`]): its article
//! document, then its passages in order. tantivy puts a batch into one segment in order, and
//! merges keep documents in order, so a segment is a run of articles, each starting at its
//! article document. A matching passage's article and its number follow from its address:
//! a search reads an article's key, cluster and date once per article, not once per
//! matching passage.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::columnar::Column;
use tantivy::index::SegmentId;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, SegmentReader, Term, TERMINATED};

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
    pub keys: Column<u64>,
    /// Copy cluster of each document.
    pub clusters: Column<u64>,
    /// Publication date of each document (none when undated).
    pub dates: Column<tantivy::DateTime>,
}

impl Layout {
    fn read(reader: &SegmentReader, kind: Field) -> tantivy::Result<Layout> {
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
        Ok(Layout {
            starts,
            keys: fast.u64(field::ARTICLE_KEY)?,
            clusters: fast.u64(field::COPY_CLUSTER)?,
            dates: fast.date(field::DATE)?,
        })
    }
}

/// Each segment's [`Layout`], read once per segment and shared by the searches on it.
pub struct Layouts {
    kind: Field,
    cache: Mutex<HashMap<SegmentId, Arc<Layout>>>,
}

impl Layouts {
    /// Layouts of the segments of an index whose `kind` field is `kind`.
    pub fn new(kind: Field) -> Layouts {
        Layouts {
            kind,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The layout of `reader`'s segment.
    pub fn of(&self, reader: &SegmentReader) -> tantivy::Result<Arc<Layout>> {
        let id = reader.segment_id();
        if let Some(found) = self.lock().get(&id) {
            return Ok(found.clone());
        }
        // Read outside the lock: two searches may both read a new segment, and both agree.
        let layout = Arc::new(Layout::read(reader, self.kind)?);
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
    start: DocId,
    end: DocId,
}

impl Walk {
    /// Before the segment's first article.
    pub fn new(layout: Arc<Layout>) -> Walk {
        Walk {
            layout,
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
        self.start = after.checked_sub(1).map_or(0, |i| starts[i]);
        self.end = starts.get(after).copied().unwrap_or(DocId::MAX);
        true
    }

    /// The segment's layout.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// The address of the current article's document.
    pub fn article(&self) -> DocId {
        self.start
    }

    /// The number in its article of the passage at `doc` (in the current article), from 0.
    pub fn passage_no(&self, doc: DocId) -> u64 {
        u64::from(doc.saturating_sub(self.start).saturating_sub(1))
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
        }))
    }

    #[test]
    fn addresses_find_their_article_and_passage_number() {
        // Articles at 0 (passages 1..=3), 4 (5..=6) and 7 (8..).
        let mut w = walk(&[0, 4, 7]);
        assert!(w.enter(2));
        assert_eq!((w.article(), w.passage_no(2)), (0, 1));
        assert!(!w.enter(3), "same article");
        assert_eq!(w.passage_no(3), 2);
        assert!(w.enter(6));
        assert_eq!((w.article(), w.passage_no(6)), (4, 1));
        assert!(w.enter(9));
        assert_eq!((w.article(), w.passage_no(9)), (7, 1));
        assert!(
            !w.enter(1_000),
            "the last article runs to the segment's end"
        );
        // Backwards works too, at the cost of a search.
        assert!(w.enter(5));
        assert_eq!((w.article(), w.passage_no(5)), (4, 0));
    }
}
