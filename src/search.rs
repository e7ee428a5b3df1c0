//! Searching: ranked passages grouped by article, with highlights and byte offsets.
//!
//! An article ranks by its best passage. The best `passages` of each article are kept.
//!
//! Two ways to get there:
//! - **Pruned** (a plain query of bare words, no facets, no entity filter): the query's flat
//!   term union runs with block-max WAND, which skips passages that cannot beat the current
//!   top articles, so cost follows the page size, not the number of matches. The chosen
//!   articles (more of them when proximity boosts may reorder a multi-word query) are then
//!   scored with the full query. Totals come from a counting pass without scores that stops
//!   at [`Limits::exact_total`] articles (10,000, as Elasticsearch's `track_total_hits`);
//!   past it the summary says the totals are lower bounds.
//! - **Exhaustive** (everything else): every matching passage is scored and grouped by
//!   article in a collector over the `article_key` fast field; totals are exact, and facet
//!   counts cover every matching article.
//!
//! The returned types are the JSON contract of `byline search --json` (see the README's
//! "JSON output" section).

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::{BooleanQuery, ConstScoreQuery, EnableScoring, Occur, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::DocSet;
use tantivy::{DocId, IndexReader, Score, SegmentOrdinal, SegmentReader, Term};

use crate::alias::Aliases;
use crate::date::Date;
use crate::document::{self, field, StoredArticle};
use crate::entities::{Entity, Kind};
use crate::error::{Error, Result};
use crate::facets::{self, FacetValue};
use crate::highlight::{Highlighter, Matched, Span};
use crate::ingest::metadata::Source;
use crate::ingest::Furniture;
use crate::query::{self, AnchoredStats, Filters, Limits, QueryOptions};
use crate::schema::{KeyMap, KeySet};
use crate::store::Store;

/// Candidate articles a pruned multi-word search rescores with the full query, per article
/// asked: the all-words and proximity boosts can lift an article from below the page. This
/// is a rescoring window (as Elasticsearch's rescore): an article the plain word scores put
/// below the window is not lifted. On the 400-article test corpus a window of 50 already
/// changed "nuclear ambassador"'s page; 100 matches scoring every passage.
const RESCORE_POOL: usize = 4;
/// Fewest candidate articles a pruned multi-word search rescores.
const RESCORE_MIN: usize = 100;

/// One search: the query, filters and result window.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// The query, in byline's query syntax.
    pub query: String,
    /// Restrictions on outlets and dates.
    pub filters: Filters,
    /// Articles per page.
    pub limit: usize,
    /// Articles to skip.
    pub offset: usize,
    /// Passages per article.
    pub passages: usize,
    /// Require every word (AND) instead of the default, where every word counts but none
    /// is required.
    pub all_words: bool,
    /// Turn name variants and aliases off: only exact and stemmed forms match.
    pub exact: bool,
    /// Facet dimensions to count (`outlet`, `date`, `person`, `org`, `place`).
    pub facets: Vec<String>,
    /// Values listed per facet dimension.
    pub facet_limit: usize,
}

impl SearchRequest {
    /// A request with the default window: 10 articles, best passage each.
    pub fn new(query: impl Into<String>) -> Self {
        SearchRequest {
            query: query.into(),
            filters: Filters::default(),
            limit: 10,
            offset: 0,
            passages: 1,
            all_words: false,
            exact: false,
            facets: Vec::new(),
            facet_limit: facets::TOP_VALUES,
        }
    }
}

/// What is known of an article, with provenance. Shared by hits and `show`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ArticleInfo {
    /// Stable id (file stem or record id).
    pub id: String,
    /// Outlet name, or null.
    pub outlet: Option<String>,
    /// `metadata`, `text` or `unknown`.
    pub outlet_source: Source,
    /// Outlet site, or null.
    pub site: Option<String>,
    /// Publication date: `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` when only that is known; null.
    pub date: Option<Date>,
    /// `metadata`, `text` or `unknown`.
    pub date_source: Source,
    /// Address, or null.
    pub url: Option<String>,
    /// Headline, or null.
    pub title: Option<String>,
    /// Authors, as the metadata names them (empty when it names none).
    pub author: Vec<String>,
    /// Language code (`en`, `de`, `zh`; `und` when not known).
    pub lang: String,
    /// `metadata`, `text` (detected) or `unknown`.
    pub lang_source: Source,
    /// The file (or `file:line` of a record) it was indexed from.
    pub origin: String,
}

impl ArticleInfo {
    /// What a stored record says of article `id`.
    fn new(id: String, stored: &StoredArticle) -> ArticleInfo {
        let m = &stored.meta;
        ArticleInfo {
            id,
            outlet: m.outlet.as_ref().map(|o| o.value.clone()),
            outlet_source: m.outlet.as_ref().map_or(Source::Unknown, |o| o.source),
            site: m.site.clone(),
            date: m.date.as_ref().map(|d| d.value),
            date_source: m.date.as_ref().map_or(Source::Unknown, |d| d.source),
            url: m.url.as_ref().map(|u| u.value.clone()),
            title: m.title.as_ref().map(|t| t.value.clone()),
            author: m.author.clone(),
            lang: document::article_lang(m).to_string(),
            lang_source: m.lang.as_ref().map_or(Source::Unknown, |l| l.source),
            origin: stored.origin.clone(),
        }
    }
}

/// Every entity of the index, with the [`crate::variants::segments_key`] it was made for.
type EntityList = (u64, std::sync::Arc<Vec<EntitySummary>>);
/// Articles and passages, keyed by the segments they were counted in.
type Counts = (u64, (u64, u64));

/// One article in the results, with its best passages.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hit {
    /// 1-based rank across pages.
    pub rank: usize,
    /// The article's score: its best passage's.
    pub score: Score,
    /// The article.
    #[serde(flatten)]
    pub article: ArticleInfo,
    /// The best passages, best first.
    pub passages: Vec<PassageHit>,
}

/// One matching passage.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PassageHit {
    /// Passage number within the article, from 0.
    pub passage: u64,
    /// BM25 score with byline's boosts.
    pub score: Score,
    /// Start, UTF-8 byte offset into the article's text (`byline show ID`).
    pub start: usize,
    /// End (exclusive), UTF-8 byte offset into the article's text.
    pub end: usize,
    /// The passage text: the article's text from `start` to `end`.
    pub text: String,
    /// Matched words, as UTF-8 byte ranges into `text`.
    pub highlights: Vec<Span>,
    /// For each query word, the forms that matched in this passage and how.
    pub matched_as: Vec<Matched>,
}

/// Totals and notes for one search.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Summary {
    /// The query as given.
    pub query: String,
    /// Articles matching, over all pages.
    pub articles: u64,
    /// Passages matching, over all pages.
    pub passages: u64,
    /// Whether `articles` and `passages` are exact. False when the search stopped counting
    /// at [`Limits::exact_total`] articles: then they are lower bounds.
    pub total_exact: bool,
    /// Hits on this page.
    pub returned: usize,
    /// The page's offset.
    pub offset: usize,
    /// The page's limit.
    pub limit: usize,
    /// Whether variants and aliases were off (`--exact`).
    pub exact: bool,
    /// Time spent searching, in milliseconds.
    pub elapsed_ms: f64,
    /// Parts of the query that were ignored, and other notes.
    pub warnings: Vec<String>,
    /// Article counts per facet value, for the dimensions asked (`--facets`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<BTreeMap<String, Vec<FacetValue>>>,
}

/// The result of one search.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// One page of hits.
    pub hits: Vec<Hit>,
    /// Totals.
    pub summary: Summary,
}

/// One article in full, for `byline show`.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleView {
    /// The article's metadata.
    #[serde(flatten)]
    pub article: ArticleInfo,
    /// Free note from the metadata.
    pub note: Option<String>,
    /// Metadata keys byline does not read, with their values as given.
    pub extra: std::collections::BTreeMap<String, serde_json::Value>,
    /// Number of passages.
    pub passages: u64,
    /// What was kept out of passages as furniture (byte ranges into `text`).
    pub furniture: Vec<Furniture>,
    /// The people, organisations and places it mentions, with the forms it printed.
    pub entities: Vec<Entity>,
    /// The original text, byte for byte.
    pub text: String,
}

impl ArticleView {
    fn new(read: document::Read) -> ArticleView {
        let document::Read { id, text, stored } = read;
        ArticleView {
            article: ArticleInfo::new(id, &stored),
            note: stored.meta.note,
            extra: stored.meta.extra,
            passages: stored.passages,
            furniture: stored.furniture,
            entities: stored.entities,
            text,
        }
    }
}

/// One entity of the index, for `byline entities`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EntitySummary {
    /// person, org or place.
    pub kind: Kind,
    /// Canonical name.
    pub name: String,
    /// Every form the articles printed, sorted.
    pub forms: Vec<String>,
    /// Articles that mention it.
    pub articles: u64,
}

/// An opened index, ready to answer searches. Cheap to share between threads.
#[derive(Clone)]
pub struct Engine {
    store: Store,
    reader: IndexReader,
    limits: Limits,
    aliases: Aliases,
    /// Every entity, as of the segments whose key it holds (listing them reads every
    /// article's record, so a server computes it once per commit).
    entities: std::sync::Arc<std::sync::Mutex<Option<EntityList>>>,
    /// Articles and passages, as of the segments whose key it holds: `/healthz` and
    /// `/metrics` read them without running a search.
    counts: std::sync::Arc<std::sync::Mutex<Option<Counts>>>,
}

/// A page of the entity list.
#[derive(Debug, Clone)]
pub struct Entities {
    /// Entities in the index (of the kind asked).
    pub total: usize,
    /// The first of them, most mentioned first.
    pub entities: Vec<EntitySummary>,
}

impl Engine {
    /// Opens the index in `dir`, with the built-in aliases.
    pub fn open(dir: &Path) -> Result<Engine> {
        Engine::open_with(dir, Aliases::builtin())
    }

    /// Opens the index in `dir` with the given aliases.
    pub fn open_with(dir: &Path, aliases: Aliases) -> Result<Engine> {
        let store = Store::open(dir)?;
        let reader = store.reader()?;
        Ok(Engine {
            store,
            reader,
            limits: Limits::default(),
            aliases,
            entities: Default::default(),
            counts: Default::default(),
        })
    }

    /// The store underneath.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The limits queries are held to.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Holds queries to other limits.
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
    }

    /// Runs one search.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        let started = Instant::now();
        self.limits
            .check_window(req.limit, req.offset, req.passages)?;
        if req.facet_limit == 0 || req.facet_limit > facets::MAX_VALUES {
            return Err(Error::InvalidArgument(format!(
                "facet limit {} is out of range: 1 to {}",
                req.facet_limit,
                facets::MAX_VALUES
            )));
        }
        let searcher = self.reader.searcher();
        let options = QueryOptions {
            all_words: req.all_words,
            exact: req.exact,
        };
        let compiled = query::compile(
            &searcher,
            &self.store,
            &req.query,
            &req.filters,
            options,
            &self.aliases,
            &self.limits,
        )?;
        let mut warnings = compiled.warnings.clone();
        let allowed = self.entity_filter(&searcher, &req.filters, &mut warnings)?;
        let stats = AnchoredStats {
            searcher: &searcher,
            anchors: &compiled.anchors,
        };
        let pruned = match &compiled.flat {
            Some(flat) if req.facets.is_empty() && allowed.is_none() => Some(flat),
            _ => None,
        };
        let (grouped, totals) = match pruned {
            None => {
                let grouped = searcher.search_with_statistics_provider(
                    &compiled.query,
                    &GroupByArticle {
                        per_article: req.passages,
                        allowed: allowed.map(std::sync::Arc::new),
                    },
                    &stats,
                )?;
                let totals = (grouped.groups.len() as u64, grouped.passages, true);
                (grouped, totals)
            }
            Some(flat) => {
                let wanted = req.offset + req.limit;
                let words = compiled.plan.len();
                let pool = if words > 1 {
                    (wanted * RESCORE_POOL).max(RESCORE_MIN)
                } else {
                    wanted
                };
                let keys = top_articles(&searcher, flat.as_ref(), &stats, pool)?;
                let f = self.store.fields();
                let chosen = BooleanQuery::new(vec![
                    (Occur::Must, compiled.query.box_clone()),
                    (
                        Occur::Must,
                        // A union of term queries: a TermSetQuery would build an FST of the
                        // keys first, which costs more than the whole search.
                        Box::new(ConstScoreQuery::new(
                            Box::new(BooleanQuery::new(
                                keys.iter()
                                    .map(|k| {
                                        (
                                            Occur::Should,
                                            Box::new(TermQuery::new(
                                                Term::from_field_u64(f.article_key, *k),
                                                IndexRecordOption::Basic,
                                            ))
                                                as Box<dyn tantivy::query::Query>,
                                        )
                                    })
                                    .collect(),
                            )),
                            0.0,
                        )),
                    ),
                ]);
                let grouped = searcher.search_with_statistics_provider(
                    &chosen,
                    &GroupByArticle {
                        per_article: req.passages,
                        allowed: None,
                    },
                    &stats,
                )?;
                let totals = count_matches(
                    &searcher,
                    compiled.matches.as_ref(),
                    self.limits.exact_total,
                )?;
                (grouped, totals)
            }
        };
        let mut highlighter = Highlighter::new(&compiled.plan);
        let mut hits = Vec::new();
        for (i, group) in grouped
            .groups
            .iter()
            .skip(req.offset)
            .take(req.limit)
            .enumerate()
        {
            hits.push(self.hit(&searcher, group, req.offset + i + 1, &mut highlighter)?);
        }
        let facets = if req.facets.is_empty() {
            None
        } else {
            let keys: HashSet<u64> = grouped.groups.iter().map(|g| g.key).collect();
            let counts = facets::count(
                &searcher,
                self.store.fields(),
                Some(std::sync::Arc::new(keys)),
            )?;
            Some(facets::summarize(&counts, &req.facets, req.facet_limit))
        };
        let summary = Summary {
            query: req.query.clone(),
            articles: totals.0,
            passages: totals.1,
            total_exact: totals.2,
            returned: hits.len(),
            offset: req.offset,
            limit: req.limit,
            exact: req.exact,
            elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
            warnings,
            facets,
        };
        Ok(SearchResults { hits, summary })
    }

    fn hit(
        &self,
        searcher: &tantivy::Searcher,
        group: &Group,
        rank: usize,
        highlighter: &mut Highlighter<'_>,
    ) -> Result<Hit> {
        let f = self.store.fields();
        // One stored document per hit: the article's, which holds the text and every
        // passage's range. Passage documents store nothing.
        let key_term = Term::from_field_u64(f.article_key, group.key);
        let document::Read { id, text, stored } =
            document::load(searcher, f, key_term, &group.key.to_string())?;
        let info = ArticleInfo::new(id, &stored);
        let mut passages = Vec::with_capacity(group.passages.len());
        for &Scored { score, passage, .. } in &group.passages {
            let Some(&[start, end]) = stored.ranges.get(passage as usize) else {
                return Err(Error::InvalidArgument(format!(
                    "article {:?} has no passage {passage}; re-index it",
                    info.id
                )));
            };
            let passage_text = text.get(start..end).unwrap_or_default().to_string();
            let (highlights, matched_as) = highlighter.mark(&passage_text, &info.lang);
            passages.push(PassageHit {
                passage,
                score,
                start,
                end,
                text: passage_text,
                highlights,
                matched_as,
            });
        }
        Ok(Hit {
            rank,
            score: group.best(),
            article: info,
            passages,
        })
    }

    /// The articles allowed by `--entity` filters (each must be mentioned), or None.
    fn entity_filter(
        &self,
        searcher: &tantivy::Searcher,
        filters: &Filters,
        warnings: &mut Vec<String>,
    ) -> Result<Option<HashSet<u64>>> {
        let f = self.store.fields();
        let mut allowed: Option<HashSet<u64>> = None;
        for (kind, name) in &filters.entities {
            let found = facets::resolve_entity(searcher, f.facet, *kind, name)?;
            if found.is_empty() {
                warnings.push(format!("no {} named {name:?} in the index", kind.name()));
            }
            let keys = facets::article_keys(searcher, f, facets::any_facet(f.facet, &found))?;
            allowed = Some(match allowed {
                None => keys,
                Some(prev) => prev.intersection(&keys).copied().collect(),
            });
        }
        Ok(allowed)
    }

    /// Article counts per facet value over the whole index.
    pub fn facet_counts(
        &self,
        dimensions: &[String],
        limit: usize,
    ) -> Result<BTreeMap<String, Vec<FacetValue>>> {
        let searcher = self.reader.searcher();
        let counts = facets::count(&searcher, self.store.fields(), None)?;
        Ok(facets::summarize(&counts, dimensions, limit))
    }

    /// Every article, with its metadata and entities, sorted by id.
    pub fn articles(&self) -> Result<Vec<ArticleView>> {
        let mut out = Vec::new();
        self.each_article(|a| out.push(a))?;
        out.sort_by(|a, b| a.article.id.cmp(&b.article.id));
        Ok(out)
    }

    /// Calls `each` with every article in index order, one at a time (so a pass over all of
    /// them holds one article's text at a time).
    fn each_article(&self, mut each: impl FnMut(ArticleView)) -> Result<()> {
        let searcher = self.reader.searcher();
        document::each(&searcher, self.store.fields(), |read| {
            each(ArticleView::new(read))
        })
    }

    /// The index's entities (of one kind, or all): canonical name, every form printed, and
    /// the number of articles that mention it; most mentioned first, then by name. Only the
    /// first `limit` are copied out of the cached list.
    pub fn entities(&self, kind: Option<Kind>, limit: usize) -> Result<Entities> {
        let key = crate::variants::segments_key(&self.reader.searcher());
        let cached = self.entities.lock().ok().and_then(|c| {
            c.as_ref()
                .filter(|(k, _)| *k == key)
                .map(|(_, all)| all.clone())
        });
        let all = match cached {
            Some(all) => all,
            None => {
                let all = std::sync::Arc::new(self.all_entities()?);
                if let Ok(mut c) = self.entities.lock() {
                    *c = Some((key, all.clone()));
                }
                all
            }
        };
        let of_kind = || all.iter().filter(|e| kind.is_none_or(|k| k == e.kind));
        Ok(Entities {
            total: if kind.is_none() {
                all.len()
            } else {
                of_kind().count()
            },
            entities: of_kind().take(limit).cloned().collect(),
        })
    }

    fn all_entities(&self) -> Result<Vec<EntitySummary>> {
        let mut by_name: BTreeMap<(Kind, String), EntitySummary> = BTreeMap::new();
        self.each_article(|a| {
            for e in a.entities {
                let s = by_name
                    .entry((e.kind, e.name.clone()))
                    .or_insert_with(|| EntitySummary {
                        kind: e.kind,
                        name: e.name.clone(),
                        forms: Vec::new(),
                        articles: 0,
                    });
                s.articles += 1;
                for form in e.forms {
                    if !s.forms.contains(&form) {
                        s.forms.push(form);
                    }
                }
            }
        })?;
        let mut out: Vec<EntitySummary> = by_name.into_values().collect();
        for s in &mut out {
            s.forms.sort();
        }
        out.sort_by(|a, b| {
            b.articles
                .cmp(&a.articles)
                .then_with(|| a.kind.cmp(&b.kind))
                .then_with(|| a.name.cmp(&b.name))
        });
        Ok(out)
    }

    /// One article in full.
    pub fn article(&self, id: &str) -> Result<ArticleView> {
        let searcher = self.reader.searcher();
        let f = self.store.fields();
        Ok(ArticleView::new(document::load(
            &searcher,
            f,
            Term::from_field_text(f.id, id),
            id,
        )?))
    }

    /// Articles and passages in the index, from this engine's reader (so they agree with its
    /// searches); counted once per commit.
    pub fn counts(&self) -> Result<(u64, u64)> {
        let searcher = self.reader.searcher();
        let key = crate::variants::segments_key(&searcher);
        if let Some((_, counts)) = self
            .counts
            .lock()
            .ok()
            .and_then(|c| c.filter(|(k, _)| *k == key))
        {
            return Ok(counts);
        }
        let counts = document::counts_in(&searcher, self.store.fields())?;
        if let Ok(mut c) = self.counts.lock() {
            *c = Some((key, counts));
        }
        Ok(counts)
    }
}

/// The `n` best articles by their best passage under `query`, scored by `stats`, best first.
/// Runs tantivy's pruning loop: only passages that can still enter the top `n` reach the
/// callback, and for a flat union of terms whole blocks of postings are skipped.
fn top_articles(
    searcher: &tantivy::Searcher,
    query: &dyn tantivy::query::Query,
    stats: &AnchoredStats<'_>,
    n: usize,
) -> Result<Vec<u64>> {
    let weight = query.weight(EnableScoring::enabled_from_statistics_provider(
        stats, searcher,
    ))?;
    // The top n articles by (best score desc, key asc), and each one's best score.
    let mut top: Vec<(Score, u64)> = Vec::with_capacity(n + 1);
    for reader in searcher.segment_readers() {
        let keys = reader.fast_fields().u64(field::ARTICLE_KEY)?;
        let alive = reader.alive_bitset();
        let mut floor = threshold(&top, n);
        weight.for_each_pruning(floor, reader, &mut |doc, score| {
            if alive.is_some_and(|a| !a.is_alive(doc)) {
                return floor;
            }
            let key = keys.first(doc).unwrap_or(0);
            let before = |a: &(Score, u64), b: &(Score, u64)| {
                b.0.partial_cmp(&a.0)
                    .unwrap_or(Ordering::Equal)
                    .then(a.1.cmp(&b.1))
            };
            match top.iter().position(|(_, k)| *k == key) {
                Some(i) if top[i].0 >= score => return floor,
                Some(i) => {
                    top.remove(i);
                }
                None => {}
            }
            let entry = (score, key);
            let at = top.partition_point(|e| before(e, &entry) == Ordering::Less);
            top.insert(at, entry);
            top.truncate(n);
            floor = threshold(&top, n);
            floor
        })?;
    }
    Ok(top.into_iter().map(|(_, k)| k).collect())
}

/// The score a passage must exceed to matter: just under the n-th best article's, so that
/// ties still arrive and break by key.
fn threshold(top: &[(Score, u64)], n: usize) -> Score {
    if n == 0 || top.len() < n {
        return Score::MIN;
    }
    let s = top[n - 1].0;
    s - s.abs() * 1e-6 - f32::MIN_POSITIVE
}

/// Articles and passages matching `query`, counted without scores; stops past `cap`
/// articles. Returns (articles, passages, exact).
fn count_matches(
    searcher: &tantivy::Searcher,
    query: &dyn tantivy::query::Query,
    cap: u64,
) -> Result<(u64, u64, bool)> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let (mut articles, mut passages) = (0u64, 0u64);
    let mut seen = KeySet::with_capacity_and_hasher(cap.min(1 << 14) as usize, Default::default());
    for reader in searcher.segment_readers() {
        let keys = reader.fast_fields().u64(field::ARTICLE_KEY)?;
        let alive = reader.alive_bitset();
        let mut last = None;
        let mut scorer = weight.scorer(reader, 1.0)?;
        let mut doc = scorer.doc();
        while doc != tantivy::TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                passages += 1;
                let key = keys.first(doc).unwrap_or(0);
                // An article's passages are written together, so a new key is usually new.
                if last != Some(key) && seen.insert(key) {
                    articles += 1;
                    if articles > cap {
                        return Ok((cap, passages - 1, false));
                    }
                }
                last = Some(key);
            }
            doc = scorer.advance();
        }
    }
    Ok((articles, passages, true))
}

/// A matching passage: its score, its number in the article, where it is.
#[derive(Debug, Clone, Copy)]
struct Scored {
    score: Score,
    passage: u64,
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
struct Group {
    key: u64,
    passages: Vec<Scored>,
}

impl Group {
    fn best(&self) -> Score {
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

    /// Article order: the best passage's score, then (on a tie) the stable hash of the id.
    fn rank_cmp(&self, other: &Group) -> Ordering {
        other
            .best()
            .partial_cmp(&self.best())
            .unwrap_or(Ordering::Equal)
            .then(self.key.cmp(&other.key))
    }
}

/// Matching passages grouped by article.
struct Grouped {
    groups: Vec<Group>,
    passages: u64,
}

/// Collects every matching passage into per-article groups.
struct GroupByArticle {
    per_article: usize,
    /// Only these articles (from `--entity` filters), when set.
    allowed: Option<std::sync::Arc<HashSet<u64>>>,
}

struct GroupSegment {
    keys: Column<u64>,
    passage_nos: Column<u64>,
    per_article: usize,
    groups: KeyMap<Group>,
    passages: u64,
    allowed: Option<std::sync::Arc<HashSet<u64>>>,
}

impl Collector for GroupByArticle {
    type Fruit = Grouped;
    type Child = GroupSegment;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<GroupSegment> {
        Ok(GroupSegment {
            keys: reader.fast_fields().u64(field::ARTICLE_KEY)?,
            passage_nos: reader.fast_fields().u64(field::PASSAGE)?,
            per_article: self.per_article,
            allowed: self.allowed.clone(),
            groups: KeyMap::default(),
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
        let key = self.keys.first(doc).unwrap_or(0);
        if self.allowed.as_ref().is_some_and(|a| !a.contains(&key)) {
            return;
        }
        self.passages += 1;
        let passage = self.passage_nos.first(doc).unwrap_or(0);
        let scored = Scored { score, passage };
        self.groups
            .entry(key)
            .or_insert_with(|| Group {
                key,
                passages: Vec::with_capacity(self.per_article),
            })
            .offer(scored, self.per_article);
    }

    fn harvest(self) -> Self::Fruit {
        (self.groups, self.passages)
    }
}
