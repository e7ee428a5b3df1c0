//! Grouping and ranking: matching passages become articles ranked by their best passage.
//!
//! [`top_articles`] finds the best articles with tantivy's pruning loop (block-max WAND);
//! [`count_matches`] counts matches without scores; [`GroupByArticle`] scores every match and
//! keeps each article's best passages. Sorting and collapsing results belong here.

use std::cmp::Ordering;
use std::collections::HashSet;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::EnableScoring;
use tantivy::DocSet;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader, COLLECT_BLOCK_BUFFER_LEN};

use super::layout::{Layouts, Run, Walk};
use crate::error::Result;
use crate::query::AnchoredStats;
use crate::schema::{KeyMap, KeySet};

/// The `n` best articles by their best passage under `query`, scored by `stats`, best first:
/// each one's key and documents. Runs tantivy's pruning loop: only passages that can still
/// enter the top `n` reach the callback, and for a flat union of terms whole blocks of
/// postings are skipped.
pub(super) fn top_articles(
    searcher: &tantivy::Searcher,
    query: &dyn tantivy::query::Query,
    stats: &AnchoredStats<'_>,
    n: usize,
    layouts: &Layouts,
) -> Result<Vec<(u64, Run)>> {
    let weight = query.weight(EnableScoring::enabled_from_statistics_provider(
        stats, searcher,
    ))?;
    // The top n articles by (best score desc, key asc), each one's best score and documents.
    let mut top: Vec<(Score, u64, Run)> = Vec::with_capacity(n + 1);
    for reader in searcher.segment_readers() {
        let alive = reader.alive_bitset();
        let mut walk = Walk::new(layouts.of(reader)?);
        let segment = reader.segment_id();
        let (mut key, mut run) = (0, walk.run(segment));
        let mut floor = threshold(&top, n);
        weight.for_each_pruning(floor, reader, &mut |doc, score| {
            if alive.is_some_and(|a| !a.is_alive(doc)) {
                return floor;
            }
            if walk.enter(doc) {
                (key, run) = (walk.key(), walk.run(segment));
            }
            let before = |a: &(Score, u64, Run), b: &(Score, u64, Run)| {
                b.0.partial_cmp(&a.0)
                    .unwrap_or(Ordering::Equal)
                    .then(a.1.cmp(&b.1))
            };
            match top.iter().position(|(_, k, _)| *k == key) {
                Some(i) if top[i].0 >= score => return floor,
                Some(i) => {
                    top.remove(i);
                }
                None => {}
            }
            let entry = (score, key, run);
            let at = top.partition_point(|e| before(e, &entry) == Ordering::Less);
            top.insert(at, entry);
            top.truncate(n);
            floor = threshold(&top, n);
            floor
        })?;
    }
    Ok(top.into_iter().map(|(_, k, r)| (k, r)).collect())
}

/// The score a passage must exceed to matter: just under the n-th best article's, so that
/// ties still arrive and break by key.
fn threshold(top: &[(Score, u64, Run)], n: usize) -> Score {
    if n == 0 || top.len() < n {
        return Score::MIN;
    }
    let s = top[n - 1].0;
    s - s.abs() * 1e-6 - f32::MIN_POSITIVE
}

/// How many articles, stories (copy clusters) and passages matched, and whether the counts
/// are exact (false when counting stopped at a cap: then they are lower bounds).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Totals {
    pub(super) articles: u64,
    pub(super) stories: u64,
    pub(super) passages: u64,
    pub(super) exact: bool,
}

impl Totals {
    /// The totals of every matching article's group.
    pub(super) fn of(grouped: &Grouped) -> Totals {
        let stories: KeySet = grouped.groups.iter().map(|g| g.cluster).collect();
        Totals {
            articles: grouped.groups.len() as u64,
            stories: stories.len() as u64,
            passages: grouped.passages,
            exact: true,
        }
    }
}

/// Articles, stories and passages matching `query`, counted without scores; stops past
/// `cap` articles.
pub(super) fn count_matches(
    searcher: &tantivy::Searcher,
    query: &dyn tantivy::query::Query,
    cap: u64,
    layouts: &Layouts,
) -> Result<Totals> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let (mut articles, mut passages) = (0u64, 0u64);
    let mut stories = KeySet::with_capacity_and_hasher(1024, Default::default());
    for reader in searcher.segment_readers() {
        let alive = reader.alive_bitset();
        let mut walk = Walk::new(layouts.of(reader)?);
        let mut scorer = weight.scorer(reader, 1.0)?;
        // Taken 64 at a time: a union fills the block from its bitsets without a call a doc.
        let mut block = [0; COLLECT_BLOCK_BUFFER_LEN];
        loop {
            let n = scorer.fill_buffer(&mut block);
            for &doc in &block[..n] {
                if alive.is_some_and(|a| !a.is_alive(doc)) {
                    continue;
                }
                passages += 1;
                // A live article is one run of documents (the layout's invariant): each
                // article is entered once, and its key read once.
                if walk.enter(doc) {
                    articles += 1;
                    if articles > cap {
                        return Ok(Totals {
                            articles: cap,
                            stories: stories.len() as u64,
                            passages: passages - 1,
                            exact: false,
                        });
                    }
                    stories.insert(walk.current().cluster);
                }
            }
            if n < COLLECT_BLOCK_BUFFER_LEN {
                break;
            }
        }
    }
    Ok(Totals {
        articles,
        stories: stories.len() as u64,
        passages,
        exact: true,
    })
}

/// A matching passage: its score, its number in the article, where it is.
#[derive(Debug, Clone, Copy)]
pub(super) struct Scored {
    pub(super) score: Score,
    pub(super) passage: u64,
}

/// Higher score first; on a tie, the earlier passage. Never the document address: that
/// depends on which writer thread took the document, so ties would flip between builds.
fn better(a: &Scored, b: &Scored) -> bool {
    match a.score.partial_cmp(&b.score) {
        Some(Ordering::Greater) => true,
        Some(Ordering::Less) => false,
        _ => a.passage < b.passage,
    }
}

/// One article's best passages, best first.
#[derive(Debug, Clone)]
pub(super) struct Group {
    pub(super) key: u64,
    /// The article's copy cluster.
    pub(super) cluster: u64,
    /// Its publication date, seconds since the epoch; None when undated.
    pub(super) date: Option<i64>,
    pub(super) passages: Vec<Scored>,
}

impl Group {
    pub(super) fn best(&self) -> Score {
        self.passages.first().map_or(0.0, |p| p.score)
    }

    /// Keeps the passage if it is among the best `n`.
    fn offer(&mut self, p: Scored, n: usize) {
        if self.passages.len() == n && self.passages.last().is_some_and(|l| !better(&p, l)) {
            return;
        }
        let at = self.passages.partition_point(|q| better(q, &p));
        self.passages.insert(at, p);
        self.passages.truncate(n);
    }

    /// Date order, oldest first (`newest`: newest first), undated last; relevance breaks
    /// ties ([`Group::rank_cmp`]).
    pub(super) fn date_cmp(&self, other: &Group, newest: bool) -> Ordering {
        let by_date = match (self.date, other.date) {
            (Some(a), Some(b)) if newest => b.cmp(&a),
            (Some(a), Some(b)) => a.cmp(&b),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        by_date.then_with(|| self.rank_cmp(other))
    }

    /// Article order: the best passage's score, then (on a tie) the stable hash of the id.
    pub(super) fn rank_cmp(&self, other: &Group) -> Ordering {
        other
            .best()
            .partial_cmp(&self.best())
            .unwrap_or(Ordering::Equal)
            .then(self.key.cmp(&other.key))
    }
}

/// Matching passages grouped by article.
pub(super) struct Grouped {
    pub(super) groups: Vec<Group>,
    pub(super) passages: u64,
}

/// Collects every matching passage into per-article groups.
pub(super) struct GroupByArticle<'a> {
    pub(super) per_article: usize,
    /// Only these articles (from `--entity` filters), when set.
    pub(super) allowed: Option<std::sync::Arc<HashSet<u64>>>,
    pub(super) layouts: &'a Layouts,
}

pub(super) struct GroupSegment {
    walk: Walk,
    per_article: usize,
    groups: KeyMap<Group>,
    /// The article being collected (None when it is not allowed).
    current: Option<Group>,
    passages: u64,
    allowed: Option<std::sync::Arc<HashSet<u64>>>,
}

impl GroupSegment {
    /// Files the current article's group with the others.
    fn flush(&mut self) {
        let Some(group) = self.current.take() else {
            return;
        };
        match self.groups.get_mut(&group.key) {
            None => {
                self.groups.insert(group.key, group);
            }
            // Met again (addresses out of order): one group still.
            Some(into) => {
                for p in group.passages {
                    into.offer(p, self.per_article);
                }
            }
        }
    }
}

impl Collector for GroupByArticle<'_> {
    type Fruit = Grouped;
    type Child = GroupSegment;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<GroupSegment> {
        Ok(GroupSegment {
            walk: Walk::new(self.layouts.of(reader)?),
            per_article: self.per_article,
            allowed: self.allowed.clone(),
            groups: KeyMap::default(),
            current: None,
            passages: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<(KeyMap<Group>, u64)>) -> tantivy::Result<Grouped> {
        let mut merged: KeyMap<Group> = KeyMap::default();
        let mut passages = 0;
        for (groups, n) in fruits {
            passages += n;
            for (key, group) in groups {
                match merged.get_mut(&key) {
                    None => {
                        merged.insert(key, group);
                    }
                    Some(into) => {
                        for p in group.passages {
                            into.offer(p, self.per_article);
                        }
                    }
                }
            }
        }
        let mut groups: Vec<Group> = merged.into_values().collect();
        groups.sort_by(Group::rank_cmp);
        Ok(Grouped { groups, passages })
    }
}

impl SegmentCollector for GroupSegment {
    type Fruit = (KeyMap<Group>, u64);

    fn collect(&mut self, doc: DocId, score: Score) {
        if self.walk.enter(doc) {
            self.flush();
            let row = self.walk.current();
            if self.allowed.as_ref().is_none_or(|a| a.contains(&row.key)) {
                self.current = Some(Group {
                    key: row.key,
                    cluster: row.cluster,
                    date: row.date(),
                    passages: Vec::with_capacity(self.per_article.min(8)),
                });
            }
        }
        let passage = self.walk.passage_no(doc);
        if let Some(group) = self.current.as_mut() {
            self.passages += 1;
            group.offer(Scored { score, passage }, self.per_article);
        }
    }

    fn harvest(mut self) -> Self::Fruit {
        self.flush();
        (self.groups, self.passages)
    }
}
