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
//! The returned types ([`hit`]) are the JSON contract of `byline search --json`; the
//! request ([`SearchRequest`]) is checked before any work; grouping and ranking live in
//! `collect`.

pub mod cache;
mod collect;
mod copies;
pub mod cursor;
mod export;
pub mod hit;
mod layout;
mod request;
pub mod similar;
pub mod timeline;

pub use copies::{CopyGroup, CopyView};
pub use hit::{
    AlsoIn, ArticleInfo, ArticleView, EntitySummary, FacetCounts, Hit, PassageHit, SearchResults,
    Summary, ALSO_IN,
};
pub use request::{SearchRequest, Sort};

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::Instant;

use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur};
use tantivy::{IndexReader, Term};

use crate::alias::Aliases;
use crate::document::{self, field};
use crate::entities::Kind;
use crate::error::{Error, Result};
use crate::facets;
use crate::highlight::Highlighter;
use crate::query::{self, AnchoredStats, Limits};
use crate::store::Store;
use cache::ResultCache;
use collect::{count_matches, top_articles, Group, GroupByArticle, Scored, Totals};
use cursor::{Cursor, Position};
use layout::Layouts;

/// Candidate articles a pruned multi-word search rescores with the full query, per article
/// asked: the all-words and proximity boosts can lift an article from below the page. This
/// is a rescoring window (as Elasticsearch's rescore): an article the plain word scores put
/// below the window is not lifted. On the 400-article test corpus a window of 50 already
/// changed "nuclear ambassador"'s page; 100 matches scoring every passage.
pub(crate) const RESCORE_POOL: usize = 4;
/// Deepest page end (offset + limit) the pruned path serves: past it, rescoring a pool four
/// times the depth costs more than scoring every match (at 100k articles, `said` at offset
/// 10,000 took 252 ms pruned against 65 ms scoring every match).
const PRUNED_DEPTH: usize = 2_000;
/// Fewest candidate articles a pruned multi-word search rescores.
pub(crate) const RESCORE_MIN: usize = 100;

/// Most articles a collapsed pruned search takes to fill a page with distinct stories: past
/// it, a page may hold fewer stories than asked (one story run by more outlets than this).
pub(crate) const MAX_COLLAPSE_POOL: usize = 10_000;

/// What a search found elsewhere (on a cluster): its totals and facet counts.
#[derive(Debug, Default)]
pub struct Found {
    /// Matching articles.
    pub articles: u64,
    /// Matching stories (copy clusters).
    pub stories: u64,
    /// Matching passages.
    pub passages: u64,
    /// Whether the counts are exact.
    pub exact: bool,
    /// The facet counts asked, if any.
    pub facets: Option<std::collections::BTreeMap<String, Vec<crate::facets::FacetValue>>>,
}

/// A query as planned by an index ([`Engine::plan`]).
pub struct Plan {
    /// Each word's forms.
    pub words: Vec<query::WordPlan>,
    /// The whole query: what matches, the ranking boosts, the filters.
    pub query: Box<dyn tantivy::query::Query>,
    /// Terms that score with another document frequency than their own (variants, stems
    /// pooled across languages, [`AnchoredStats`]): that idf over their own.
    pub idf_ratios: HashMap<Term, f32>,
    /// Only these articles (by key), from entity and batch filters.
    pub articles: Option<HashSet<u64>>,
    /// What the parser ignored.
    pub warnings: Vec<String>,
}

/// Ranked groups and what a page of them is presented with.
struct Page<'a> {
    grouped: collect::Grouped,
    totals: Totals,
    facets: Option<std::collections::BTreeMap<String, Vec<crate::facets::FacetValue>>>,
    /// Where the articles' texts are read.
    texts: &'a tantivy::Searcher,
    plan: &'a [query::WordPlan],
    warnings: Vec<String>,
}

/// The first group of each copy cluster, in rank order.
fn stories(groups: &[Group]) -> Vec<&Group> {
    let mut seen = crate::schema::KeySet::default();
    groups.iter().filter(|g| seen.insert(g.cluster)).collect()
}

/// The earliest and latest publication dates in the index (seconds), if any is dated.
fn date_range(searcher: &tantivy::Searcher) -> Result<Option<(i64, i64)>> {
    let mut range: Option<(i64, i64)> = None;
    for reader in searcher.segment_readers() {
        let dates = reader.fast_fields().date(crate::document::field::DATE)?;
        if dates.values.num_vals() == 0 {
            continue;
        }
        let (lo, hi) = (
            dates.min_value().into_timestamp_secs(),
            dates.max_value().into_timestamp_secs(),
        );
        range = Some(range.map_or((lo, hi), |(a, b)| (a.min(lo), b.max(hi))));
    }
    Ok(range)
}

/// Every entity of the index, with the [`crate::variants::segments_key`] it was made for.
type EntityList = (u64, std::sync::Arc<Vec<EntitySummary>>);
/// Articles and passages, keyed by the segments they were counted in.
type Counts = (u64, (u64, u64));

/// An opened index, ready to answer searches. Cheap to share between threads.
#[derive(Clone)]
pub struct Engine {
    store: Store,
    reader: IndexReader,
    limits: Limits,
    aliases: Aliases,
    /// Every entity, as of the segments whose key it holds (a pass over every article's
    /// facets, so a server computes it once per commit).
    entities: std::sync::Arc<std::sync::Mutex<Option<EntityList>>>,
    /// Articles and passages, as of the segments whose key it holds: `/healthz` and
    /// `/metrics` read them without running a search.
    counts: std::sync::Arc<std::sync::Mutex<Option<Counts>>>,
    /// Where each segment's articles start, read once per segment.
    layouts: std::sync::Arc<Layouts>,
    /// Recent searches' results (off unless [`Engine::keep_results`] turns it on), shared
    /// by clones as the reader is.
    results: std::sync::Arc<ResultCache>,
}

/// What is mentioned alongside an entity ([`Engine::co_mentioned`]).
#[derive(Debug, Clone, serde::Serialize)]
pub struct CoMentioned {
    /// The entity names the asked name resolved to.
    pub resolved: Vec<String>,
    /// Passages that mention it.
    pub passages: u64,
    /// The others, most passages first.
    pub with: Vec<CoMention>,
}

/// An entity mentioned alongside another.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CoMention {
    /// person, org or place.
    pub kind: Kind,
    /// Canonical name.
    pub name: String,
    /// Passages that mention both.
    pub passages: u64,
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
        let layouts = std::sync::Arc::new(Layouts::new(store.fields().kind));
        Ok(Engine {
            store,
            reader,
            layouts,
            results: Default::default(),
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

    /// Makes the next searches see the index's last commit (searches otherwise see a new
    /// commit shortly after it lands).
    pub fn refresh(&self) -> Result<()> {
        Ok(self.reader.reload()?)
    }

    /// The limits queries are held to.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Holds queries to other limits (forgetting results kept under the old ones).
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
        self.results = std::sync::Arc::new(ResultCache::new(self.results.capacity()));
    }

    /// Keeps the results of the last `entries` searches (of at most [`cache::MAX_HITS`]
    /// hits each) until the index changes, and answers the same request from them.
    pub fn keep_results(&mut self, entries: usize) {
        self.results = std::sync::Arc::new(ResultCache::new(entries));
    }

    /// From now on keeps each segment's per-article columns (key, copy cluster, date) in
    /// memory, 24 bytes an article: for a server, whose searches would otherwise decode
    /// them from the columns' blocks for every article they visit.
    pub fn keep_layouts(&self) -> Result<()> {
        Ok(self.layouts.keep_in_memory(&self.reader.searcher())?)
    }

    /// Runs one search, or answers it from the kept results of the same request on the same
    /// generation of the index ([`Engine::keep_results`]).
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        let started = Instant::now();
        req.validate(&self.limits)?;
        let searcher = self.reader.searcher();
        if self.results.capacity() == 0 {
            return self.run(searcher, req, started);
        }
        let generation = crate::variants::segments_key(&searcher);
        let key = ResultCache::key(req);
        if let Some(mut kept) = self.results.get(generation, &key) {
            kept.summary.elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
            return Ok(kept);
        }
        let results = self.run(searcher, req, started)?;
        self.results.put(generation, key, &results);
        Ok(results)
    }

    fn run(
        &self,
        searcher: tantivy::Searcher,
        req: &SearchRequest,
        started: Instant,
    ) -> Result<SearchResults> {
        self.layouts.retain(&searcher);
        let compiled = self.compile(&searcher, req)?;
        let warnings = compiled.warnings.clone();
        let allowed = compiled.articles.clone();
        let stats = compiled.stats(&searcher);
        // Sorted by date, every match is scored and grouped: the page's articles may be any.
        let pruned = match &compiled.flat {
            Some(flat)
                if req.facets.is_empty()
                    && allowed.is_none()
                    && req.sort == Sort::Relevance
                    && req.cursor.is_none()
                    && req.offset + req.limit <= PRUNED_DEPTH =>
            {
                Some(flat)
            }
            _ => None,
        };
        // Sorted by date, a broad query's page lies in its newest (or oldest) days.
        let windowed = if req.sort != Sort::Relevance
            && req.facets.is_empty()
            && allowed.is_none()
            && req.cursor.is_none()
        {
            let totals = count_matches(
                &searcher,
                compiled.matches.as_ref(),
                self.limits.exact_total,
                &self.layouts,
            )?;
            self.date_window(&searcher, compiled.query.as_ref(), req, &stats, &totals)?
                .map(|grouped| (grouped, totals))
        } else {
            None
        };
        let (grouped, totals) = match (windowed, pruned) {
            (Some(done), _) => done,
            (None, None) => {
                let grouped = searcher.search_with_statistics_provider(
                    &compiled.query,
                    &GroupByArticle {
                        per_article: req.passages,
                        allowed: allowed.map(std::sync::Arc::new),
                        layouts: &self.layouts,
                    },
                    &stats,
                )?;
                let totals = Totals::of(&grouped);
                (grouped, totals)
            }
            (None, Some(flat)) => {
                let wanted = req.offset + req.limit;
                let words = compiled.plan.len();
                let mut pool = if words > 1 {
                    (wanted * RESCORE_POOL).max(RESCORE_MIN)
                } else {
                    wanted
                };
                let grouped = loop {
                    let top = top_articles(&searcher, flat.as_ref(), &stats, pool, &self.layouts)?;
                    let runs = layout::Runs::new(top.iter().map(|(_, run)| *run));
                    let grouped = self.rescore(&searcher, &compiled.query, runs, req, &stats)?;
                    // Collapsed, a pool of copies may hold fewer stories than the page
                    // needs: widen it while there are more articles to take.
                    let short = req.collapse
                        && top.len() == pool
                        && stories(&grouped.groups).len() < wanted
                        && pool < MAX_COLLAPSE_POOL;
                    if !short {
                        break grouped;
                    }
                    pool = (pool * 4).min(MAX_COLLAPSE_POOL);
                };
                let totals = count_matches(
                    &searcher,
                    compiled.matches.as_ref(),
                    self.limits.exact_total,
                    &self.layouts,
                )?;
                (grouped, totals)
            }
        };

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
        let page = Page {
            grouped,
            totals,
            facets,
            texts: &searcher,
            plan: &compiled.plan,
            warnings,
        };
        self.present(&searcher, page, req, started)
    }

    /// Ranks articles found elsewhere (a cluster's best matches for `req`, copied into
    /// `copies` with [`document::write_copy`]) as a search of this index would: `req`
    /// compiled on this index and scored with its statistics over the copies' passages, the
    /// page's texts read from the copies, where else each ran from this index. The totals
    /// and facets are those counted elsewhere.
    pub fn rank_copies(
        &self,
        req: &SearchRequest,
        copies: &Store,
        found: Found,
    ) -> Result<SearchResults> {
        let started = Instant::now();
        req.validate(&self.limits)?;
        if req.cursor.is_some() {
            return Err(Error::InvalidArgument(
                "cursors are not answered on a cluster yet: use offset".into(),
            ));
        }
        let searcher = self.reader.searcher();
        let compiled = self.compile(&searcher, req)?;
        let stats = compiled.stats(&searcher);
        let texts = copies.index().reader()?.searcher();
        let layouts = Layouts::new(copies.fields().kind);
        let grouped = texts.search_with_statistics_provider(
            &compiled.query,
            &GroupByArticle {
                per_article: req.passages,
                allowed: compiled.articles.clone().map(std::sync::Arc::new),
                layouts: &layouts,
            },
            &stats,
        )?;
        let stories = found.stories;
        let totals = Totals {
            articles: found.articles,
            stories,
            passages: found.passages,
            exact: found.exact,
        };
        let page = Page {
            grouped,
            totals,
            facets: found.facets,
            texts: &texts,
            plan: &compiled.plan,
            warnings: compiled.warnings.clone(),
        };
        self.present(&searcher, page, req, started)
    }

    /// The page `req` asks of ranked groups: its hits (texts from `page.texts`, copies from
    /// `searcher`) and summary.
    fn present(
        &self,
        searcher: &tantivy::Searcher,
        page: Page<'_>,
        req: &SearchRequest,
        started: Instant,
    ) -> Result<SearchResults> {
        let Page {
            mut grouped,
            totals,
            facets,
            texts,
            plan,
            warnings,
        } = page;
        req.sort.apply(&mut grouped.groups);
        let shown: Vec<&Group> = if req.collapse {
            stories(&grouped.groups)
        } else {
            grouped.groups.iter().collect()
        };
        let start = match &req.cursor {
            Some(Cursor::After(at)) => at.start_in(req, &shown)?,
            _ => req.offset,
        };
        let page = shown.iter().skip(start).take(req.limit);
        let next_cursor = req.cursor.map(|_| {
            let last = start + req.limit;
            (last < shown.len()).then(|| Position::of(req, shown[last - 1]).encode())
        });
        let mut highlighter = Highlighter::new(plan);
        let mut hits = Vec::new();
        for (i, group) in page.enumerate() {
            hits.push(self.hit(texts, searcher, group, start + i + 1, &mut highlighter)?);
        }
        let summary = Summary {
            query: req.query.clone(),
            articles: totals.articles,
            stories: totals.stories,
            collapse: req.collapse,
            sort: req.sort,
            passages: totals.passages,
            total_exact: totals.exact,
            returned: hits.len(),
            offset: start,
            limit: req.limit,
            exact: req.exact,
            elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
            warnings,
            facets,
            next_cursor,
        };
        Ok(SearchResults { hits, summary })
    }

    /// One hit: its text and record from `texts`, where else it ran from `searcher`.
    fn hit(
        &self,
        texts: &tantivy::Searcher,
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
            document::load(texts, f, key_term, &group.key.to_string())?;
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
        let ran = self.also_in(searcher, &info.id, group.cluster, ALSO_IN)?;
        let first = stored
            .ranges
            .first()
            .and_then(|&[start, end]| text.get(start..end))
            .unwrap_or(&text);
        Ok(Hit {
            rank,
            score: group.best(),
            headline: hit::headline(info.title.as_deref(), first),
            article: info,
            passages,
            copies: ran.copies,
            also_in: ran.also_in,
        })
    }

    /// Sorted by date, the matches in the newest days (oldest, for `date`), widening the
    /// window fourfold until it holds the page's stories: every article outside it comes
    /// after every article in it, so the page is exact. The first window is sized for the
    /// page from the matches' density over the index's dates; None when a window would cover
    /// every date (or the query is narrow: scoring every match is then as cheap).
    fn date_window(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn tantivy::query::Query,
        req: &SearchRequest,
        stats: &AnchoredStats<'_>,
        matching: &Totals,
    ) -> Result<Option<collect::Grouped>> {
        const DAY: i64 = 86_400;
        // Below the threshold scoring every match costs about what windows do, in one pass.
        if matching.articles < self.limits.date_window_from {
            return Ok(None);
        }
        let Some((first, last)) = date_range(searcher)? else {
            return Ok(None);
        };
        let days = (last - first) / DAY + 1;
        let wanted = (req.offset + req.limit) as i64;
        let mut span = (days * wanted * 2 / (matching.articles as i64).max(1)).max(1);
        while span < days {
            let (lo, hi) = if req.sort == Sort::NewestFirst {
                (last - (span - 1) * DAY, last)
            } else {
                (first, first + (span - 1) * DAY)
            };
            let window = BooleanQuery::new(vec![
                (Occur::Must, query.box_clone()),
                (
                    Occur::Must,
                    Box::new(ConstScoreQuery::new(
                        query::days(self.store.fields(), lo, hi),
                        0.0,
                    )),
                ),
            ]);
            let mut grouped = searcher.search_with_statistics_provider(
                &window,
                &GroupByArticle {
                    per_article: req.passages,
                    allowed: None,
                    layouts: &self.layouts,
                },
                stats,
            )?;
            req.sort.apply(&mut grouped.groups);
            let found = if req.collapse {
                stories(&grouped.groups).len()
            } else {
                grouped.groups.len()
            };
            if found as i64 >= wanted {
                return Ok(Some(grouped));
            }
            span *= 4;
        }
        Ok(None)
    }

    /// The articles of `runs` scored with the full query, grouped.
    fn rescore(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn tantivy::query::Query,
        runs: layout::Runs,
        req: &SearchRequest,
        stats: &AnchoredStats<'_>,
    ) -> Result<collect::Grouped> {
        let chosen = BooleanQuery::new(vec![
            (Occur::Must, query.box_clone()),
            (Occur::Must, Box::new(runs)),
        ]);
        Ok(searcher.search_with_statistics_provider(
            &chosen,
            &GroupByArticle {
                per_article: req.passages,
                allowed: None,
                layouts: &self.layouts,
            },
            stats,
        )?)
    }

    /// Article counts per facet value of `dimensions`, over the articles `req` matches: its
    /// query (every article when it is blank) and its filters; its page and sort are not
    /// used.
    pub fn facets(
        &self,
        req: &SearchRequest,
        dimensions: &[String],
        limit: usize,
    ) -> Result<FacetCounts> {
        facets::check_limit(limit)?;
        let blank = req.query.trim().is_empty();
        if blank && req.filters.is_empty() {
            let searcher = self.reader.searcher();
            let counts = facets::count(&searcher, self.store.fields(), None)?;
            return Ok(FacetCounts {
                articles: self.counts()?.0,
                facets: facets::summarize(&counts, dimensions, limit),
                warnings: Vec::new(),
            });
        }
        let mut req = req.clone();
        if blank {
            req.query = "*".into();
        }
        req.facets = dimensions.to_vec();
        req.facet_limit = limit;
        req.limit = 1;
        req.offset = 0;
        req.cursor = None;
        let results = self.search(&req)?;
        Ok(FacetCounts {
            articles: results.summary.articles,
            facets: results.summary.facets.unwrap_or_default(),
            warnings: results.summary.warnings,
        })
    }

    /// Every article, with its metadata and entities, sorted by id.
    pub fn articles(&self) -> Result<Vec<ArticleView>> {
        let mut out = Vec::new();
        self.each_article(|a| out.push(a))?;
        let searcher = self.reader.searcher();
        for view in &mut out {
            self.with_copies(&searcher, view)?;
        }
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

    /// The entities mentioned in the same passages as `KIND:NAME` (every entity that name
    /// resolves to, as `--entity` resolves it), most passages first, at most `limit`; and how
    /// many passages mention it.
    pub fn co_mentioned(&self, kind: Kind, name: &str, limit: usize) -> Result<CoMentioned> {
        let searcher = self.reader.searcher();
        let (found, passages) = query::mentions(&searcher, self.store.fields(), kind, name)?;
        let resolved: Vec<String> = found
            .iter()
            .filter_map(|f| f.to_path().get(1).map(|s| s.to_string()))
            .collect();
        let total = if found.is_empty() {
            0
        } else {
            searcher.search(passages.as_ref(), &tantivy::collector::Count)? as u64
        };
        let counts = if found.is_empty() {
            Default::default()
        } else {
            facets::count_entities_in(&searcher, passages.as_ref())?
        };
        let mut with: Vec<CoMention> = counts
            .into_iter()
            .filter_map(|(path, passages)| {
                let mut parts = path.trim_start_matches('/').splitn(2, '/');
                let kind = Kind::parse(parts.next()?)?;
                let name = parts.next()?.to_string();
                let own = kind == Kind::Person && resolved.contains(&name)
                    || found
                        .iter()
                        .any(|f| f.to_path() == [kind.name(), name.as_str()]);
                (!own).then_some(CoMention {
                    kind,
                    name,
                    passages,
                })
            })
            .collect();
        with.sort_by(|a, b| b.passages.cmp(&a.passages).then(a.name.cmp(&b.name)));
        with.truncate(limit);
        Ok(CoMentioned {
            resolved,
            passages: total,
            with,
        })
    }

    /// Every entity with its forms and the articles that mention it; a person named in
    /// another script counts as the Latin-script person it is ([`crate::entities::across`]).
    /// Counted from the article documents' facets (entities, and their forms): no article
    /// is read, so a server's list costs a pass over fast fields, not over the stored text.
    fn all_entities(&self) -> Result<Vec<EntitySummary>> {
        let searcher = self.reader.searcher();
        let f = self.store.fields();
        let mut list: Vec<EntitySummary> = facets::count_paths(&searcher, f, field::FACET, None)?
            .into_iter()
            .filter_map(|(path, articles)| match path.as_slice() {
                [kind, name] => Some(EntitySummary {
                    kind: Kind::parse(kind)?,
                    name: name.clone(),
                    forms: Vec::new(),
                    articles,
                }),
                _ => None,
            })
            .collect();
        list.sort_by(|a, b| a.kind.cmp(&b.kind).then_with(|| a.name.cmp(&b.name)));
        let index: HashMap<(Kind, &str), usize> = list
            .iter()
            .enumerate()
            .map(|(i, e)| ((e.kind, e.name.as_str()), i))
            .collect();
        let mut forms: Vec<Vec<String>> = vec![Vec::new(); list.len()];
        for path in facets::count_paths(&searcher, f, field::FORMS, None)?.into_keys() {
            if let [kind, name, form] = path.as_slice() {
                let found = Kind::parse(kind).and_then(|k| index.get(&(k, name.as_str())));
                if let Some(&i) = found {
                    forms[i].push(form.clone());
                }
            }
        }
        drop(index);
        for (e, mine) in list.iter_mut().zip(forms) {
            e.forms = mine;
        }
        let named: Vec<(Kind, &str, u64)> = list
            .iter()
            .map(|e| (e.kind, e.name.as_str(), e.articles))
            .collect();
        let merged = crate::entities::across::latin_person_of(&named);
        // A merged person's articles: those naming it in any script, each once.
        let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
        for (&i, &t) in &merged {
            members.entry(t).or_default().push(i);
        }
        for (&t, others) in &members {
            let facets: Vec<_> = std::iter::once(t)
                .chain(others.iter().copied())
                .map(|i| document::entity_facet(list[i].kind, &list[i].name))
                .collect();
            let any = query::any_facet(f.facet, &facets);
            list[t].articles = searcher.search(any.as_ref(), &tantivy::collector::Count)? as u64;
        }
        for (&i, &t) in &merged {
            let forms = std::mem::take(&mut list[i].forms);
            for form in forms {
                if !list[t].forms.contains(&form) {
                    list[t].forms.push(form);
                }
            }
        }
        let mut out: Vec<EntitySummary> = list
            .into_iter()
            .enumerate()
            .filter(|(i, _)| !merged.contains_key(i))
            .map(|(_, e)| e)
            .collect();
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
        let mut view = ArticleView::new(document::load(
            &searcher,
            f,
            Term::from_field_text(f.id, id),
            id,
        )?);
        self.with_copies(&searcher, &mut view)?;
        Ok(view)
    }

    /// Compiles `req`'s query and filters against this index, with its aliases and limits.
    fn compile(
        &self,
        searcher: &tantivy::Searcher,
        req: &SearchRequest,
    ) -> Result<query::Compiled> {
        query::compile(
            searcher,
            &self.store,
            &req.query,
            &req.filters,
            req.options(),
            &self.aliases,
            &self.limits,
        )
    }

    /// What `req`'s query matches word by word (its forms, stems, variants and other
    /// scripts, as this index knows them), and the articles its entity and batch filters
    /// keep: what a search on a cluster asks it ([`crate::cluster::search`]).
    pub fn plan(&self, req: &SearchRequest) -> Result<Plan> {
        req.validate(&self.limits)?;
        let searcher = self.reader.searcher();
        let compiled = self.compile(&searcher, req)?;
        // A variant scores with its query word's document frequency, a stem with the word's
        // in every language: the ratio of that idf to the term's own says it to an engine
        // that knows only the term's own.
        let stats = compiled.stats(&searcher);
        use tantivy::query::Bm25StatisticsProvider;
        let docs = stats.total_num_docs()? as f64;
        let idf = |df: u64| -> f64 {
            let df = df as f64;
            (1.0 + (docs - df + 0.5) / (df + 0.5)).ln()
        };
        let mut idf_ratios = HashMap::new();
        for term in compiled.anchors.keys().chain(compiled.pools.keys()) {
            let (own, anchored) = (searcher.doc_freq(term)?, stats.doc_freq(term)?);
            if own > 0 && own != anchored {
                idf_ratios.insert(term.clone(), (idf(anchored) / idf(own)) as f32);
            }
        }
        Ok(Plan {
            idf_ratios,
            words: compiled.plan,
            query: compiled.query,
            articles: compiled.articles,
            warnings: compiled.warnings,
        })
    }

    /// One article with every match of `req`'s query in its text marked, as a hit's
    /// passages are (the query's words, variants and forms in other scripts).
    pub fn article_marked(&self, id: &str, req: &SearchRequest) -> Result<ArticleView> {
        let mut view = self.article(id)?;
        let searcher = self.reader.searcher();
        let compiled = self.compile(&searcher, req)?;
        let (spans, matched) =
            Highlighter::new(&compiled.plan).mark(&view.text, &view.article.lang);
        view.highlights = Some(spans);
        view.matched_as = Some(matched);
        Ok(view)
    }

    /// Fills in where an article's text also ran.
    fn with_copies(&self, searcher: &tantivy::Searcher, view: &mut ArticleView) -> Result<()> {
        let ran = self.also_in(searcher, &view.article.id, view.cluster, ALSO_IN)?;
        view.original = ran.original;
        view.copies = ran.copies;
        view.also_in = ran.also_in;
        Ok(())
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
