//! The copies of articles, as the engine answers for them: the members of an article's copy
//! cluster ([`crate::copies::Clusterer`] assigns them at index time), the original among
//! them, and how close each is.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, Term};

use super::hit::{AlsoIn, ArticleInfo};
use super::layout::Layouts;
use super::Engine;
use crate::copies::{self, Overlap};
use crate::document;
use crate::error::Result;
use crate::schema::{self, Fields};

/// An article and the articles that print the same text.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename = "copies")]
pub struct CopyGroup {
    /// The article asked about.
    pub id: String,
    /// The cluster's stable id: the key of its first-indexed member, as 16 hex digits.
    pub cluster: String,
    /// The original: the earliest-dated member of the cluster (the article included); among
    /// undated ones, the first indexed.
    pub original: String,
    /// The other members, earliest first (undated last).
    pub copies: Vec<CopyView>,
}

/// One copy of an article.
#[derive(Debug, Clone, Serialize)]
pub struct CopyView {
    /// The copy's metadata.
    #[serde(flatten)]
    pub article: ArticleInfo,
    /// Shared shingles over all shingles of the two.
    pub jaccard: f64,
    /// Shared shingles over the shorter text's.
    pub containment: f64,
}

/// Who ran an article's text.
pub(super) struct Ran {
    /// The original's id (the article's own when it is the original).
    pub(super) original: String,
    /// How many other articles print it.
    pub(super) copies: usize,
    /// The first of them, earliest first.
    pub(super) also_in: Vec<AlsoIn>,
}

/// A member of a cluster, as the fast fields tell it: enough to order the members without
/// reading their stored records.
struct Member {
    address: DocAddress,
    key: u64,
    /// Seconds since the epoch; None when undated.
    date: Option<i64>,
}

/// The members of cluster `cluster`, the original first: dated ones by date, then undated;
/// among equals the first-indexed member (whose key is the cluster's) first, then by key.
fn members(
    searcher: &Searcher,
    f: &Fields,
    cluster: u64,
    layouts: &Layouts,
) -> Result<Vec<Member>> {
    let query = TermQuery::new(
        Term::from_field_u64(f.copy_member, cluster),
        IndexRecordOption::Basic,
    );
    let mut out = Vec::new();
    for address in searcher.search(&query, &DocSetCollector)? {
        let layout = layouts.of(searcher.segment_reader(address.segment_ord))?;
        let row = layout.row(address.doc_id);
        out.push(Member {
            address,
            key: row.key,
            date: row.date(),
        });
    }
    out.sort_by_key(|m| (m.date.is_none(), m.date, m.key != cluster, m.key));
    Ok(out)
}

impl Engine {
    /// The copies of one article: the other members of its cluster, each with how much text
    /// it shares with the article.
    pub fn copies(&self, id: &str) -> Result<CopyGroup> {
        let searcher = self.reader.searcher();
        let f = self.store.fields();
        let read = document::load(&searcher, f, Term::from_field_text(f.id, id), id)?;
        let key = schema::article_key(&read.id);
        let cluster = read.stored.cluster;
        let mine = copies::shingles_of(&read).all();
        let members = members(&searcher, f, cluster, &self.layouts)?;
        let mut original = read.id.clone();
        let mut found = Vec::new();
        for (i, m) in members.iter().enumerate() {
            let other = if m.key == key {
                None
            } else {
                Some(document::read(f, &searcher.doc(m.address)?)?)
            };
            if i == 0 {
                original = other.as_ref().map_or(read.id.clone(), |o| o.id.clone());
            }
            let Some(other) = other else {
                continue;
            };
            let Overlap {
                jaccard,
                containment,
            } = copies::overlap(&mine, &copies::shingles_of(&other).all());
            found.push(CopyView {
                article: ArticleInfo::new(other.id.clone(), &other.stored),
                jaccard,
                containment,
            });
        }
        Ok(CopyGroup {
            id: read.id,
            cluster: format!("{cluster:016x}"),
            original,
            copies: found,
        })
    }

    /// Every pair of articles in one cluster, each pair once (`a < b`).
    pub fn copy_pairs(&self) -> Result<BTreeSet<(String, String)>> {
        let searcher = self.reader.searcher();
        let mut clusters: BTreeMap<u64, Vec<String>> = BTreeMap::new();
        document::each(&searcher, self.store.fields(), |read| {
            clusters
                .entry(read.stored.cluster)
                .or_default()
                .push(read.id);
        })?;
        let mut pairs = BTreeSet::new();
        for ids in clusters.values() {
            for (i, a) in ids.iter().enumerate() {
                for b in &ids[i + 1..] {
                    pairs.insert(if a < b {
                        (a.clone(), b.clone())
                    } else {
                        (b.clone(), a.clone())
                    });
                }
            }
        }
        Ok(pairs)
    }

    /// Where article `id` (key `key`) also ran: the other members of its cluster, earliest
    /// first, at most `cap` of them listed.
    pub(super) fn also_in(
        &self,
        searcher: &Searcher,
        id: &str,
        cluster: u64,
        cap: usize,
    ) -> Result<Ran> {
        let f = self.store.fields();
        let key = schema::article_key(id);
        let members = members(searcher, f, cluster, &self.layouts)?;
        let first_is_me = members.first().is_none_or(|m| m.key == key);
        let others: Vec<&Member> = members.iter().filter(|m| m.key != key).collect();
        let mut listed = Vec::with_capacity(cap.min(others.len()));
        for m in others.iter().take(cap.max(1)) {
            let read = document::read(f, &searcher.doc(m.address)?)?;
            let info = ArticleInfo::new(read.id, &read.stored);
            listed.push(AlsoIn {
                id: info.id,
                outlet: info.outlet,
                site: info.site,
                date: info.date,
            });
        }
        let original = match listed.first() {
            Some(first) if !first_is_me => first.id.clone(),
            _ => id.to_string(),
        };
        listed.truncate(cap);
        Ok(Ran {
            original,
            copies: others.len(),
            also_in: listed,
        })
    }
}
