//! Ranking: the weights of exact forms, stems and variants, the statistics variants score
//! with, and the closeness boosts of plain multi-word queries.

use std::collections::HashMap;

use tantivy::query::{Bm25StatisticsProvider, BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

/// Boost of the exact (unstemmed) field over the stemmed one.
pub const EXACT_BOOST: f32 = 1.5;

/// Extra weight for passages holding every word of a plain multi-word query.
pub const ALL_WORDS_BOOST: f32 = 1.0;

/// Extra weight for passages holding the words within [`PROXIMITY_SLOP`] of each other.
pub const PROXIMITY_BOOST: f32 = 1.0;

/// How far apart (in words) the words of a plain query may stand to count as close.
pub const PROXIMITY_SLOP: u32 = 3;

/// Weight of a fold (transliteration) match, relative to the exact name.
pub const FOLD_BOOST: f32 = 0.6;

/// Weight of an alias form.
pub const ALIAS_BOOST: f32 = 0.8;

/// Extra weight of a hyphenated query word found whole (its parts side by side) over its
/// parts found apart.
pub const COMPOUND_BOOST: f32 = 2.0;

/// Score added to a passage in the language the query's letters show ([`crate::lang::of_query`]):
/// enough to put it above an equally good match in a language folded onto it (Arabic and
/// Persian share their letters once normalised), far less than a better match.
pub const QUERY_LANGUAGE_BOOST: f32 = 0.5;

/// Weight of a form printed in another script ([`crate::analysis::script`]): below the
/// Latin variants, as its key is the loosest match.
pub const SCRIPT_BOOST: f32 = 0.45;

/// Weight of an English function word in a query that has other words too: a question typed
/// in full ("What did … say about …") is found by its other words, not its "did".
pub const STOP_BOOST: f32 = 0.1;

/// Weight of an edit variant at distance `d`.
pub fn edit_boost(d: u8) -> f32 {
    if d <= 1 {
        0.5
    } else {
        0.35
    }
}

/// A term query scaled by `boost`. (A boosted term is still a term scorer to tantivy, so a
/// union of them keeps block-max WAND.)
pub(super) fn weighted(t: Term, boost: f32) -> Box<dyn Query> {
    let q = Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs));
    if boost == 1.0 {
        q
    } else {
        super::shape::boost(q, boost)
    }
}

/// BM25 statistics where a variant term counts with its query word's document frequency, so
/// a rare misspelling never outscores the exact form for the same term frequency, and a
/// word's stem in one language counts with the word's frequency in every language searched,
/// so a word common in the corpus is not rare inside a language of two articles ("Musk" in
/// the one Polish article does not outrank the 92 English ones).
pub struct AnchoredStats<'a> {
    /// The searcher whose statistics are used.
    pub searcher: &'a Searcher,
    /// Variant → the term whose document frequency it takes.
    pub anchors: &'a HashMap<Term, Term>,
    /// Stem term → the stem terms of the same query word in every language searched, whose
    /// document frequencies add up to its own (an article has one language).
    pub pools: &'a HashMap<Term, Vec<Term>>,
}

impl Bm25StatisticsProvider for AnchoredStats<'_> {
    fn total_num_tokens(&self, field: tantivy::schema::Field) -> tantivy::Result<u64> {
        self.searcher.total_num_tokens(field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        self.searcher.total_num_docs()
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        if let Some(anchor) = self.anchors.get(term) {
            let df = self.searcher.doc_freq(anchor)?;
            if df > 0 {
                return Ok(df);
            }
        }
        if let Some(pool) = self.pools.get(term) {
            let mut df = 0;
            for t in pool {
                df += self.searcher.doc_freq(t)?;
            }
            return Ok(df);
        }
        self.searcher.doc_freq(term)
    }
}

/// "All words" and "close together" boosts for a plain query of two or more words.
pub(super) fn closeness_boosts(terms: Vec<Term>) -> Vec<(Occur, Box<dyn Query>)> {
    let mut seen = std::collections::HashSet::new();
    let distinct: Vec<Term> = terms
        .iter()
        .filter(|t| seen.insert((*t).clone()))
        .cloned()
        .collect();
    if distinct.len() < 2 {
        return Vec::new();
    }
    let all: Vec<(Occur, Box<dyn Query>)> = distinct
        .into_iter()
        .map(|t| {
            (
                Occur::Must,
                Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs)) as Box<dyn Query>,
            )
        })
        .collect();
    let near = super::shape::phrase(terms, PROXIMITY_SLOP);
    vec![
        (
            Occur::Should,
            super::shape::boost(Box::new(BooleanQuery::new(all)), ALL_WORDS_BOOST),
        ),
        (Occur::Should, super::shape::boost(near, PROXIMITY_BOOST)),
    ]
}
