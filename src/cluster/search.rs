//! `byline search|facets|serve --engine URL`: a search run on a cluster's `byline` index
//! ([`super::push`]), answered in the local contract (the same `hit` and `summary` records).
//!
//! **Finding.** The query is compiled by the local index as a local search compiles it
//! (exact forms, stems by language, spelling variants, cross-script keys, aliases, phrases,
//! operators, field terms, filters, closeness boosts) and written in OpenSearch's language
//! term for term ([`shape::to_cluster`]); entity and batch filters go as the article keys the
//! index resolves them to. Passages are children of their article document, so the cluster
//! ranks articles by their best passage (`has_child`, with every shard's statistics:
//! `dfs_query_then_fetch`), counts them exactly and counts facets over article documents.
//! It returns a window of its best articles, four times the page (at least 100: the local
//! search's rescoring pool); a second request lists the window's matching passages (with
//! the entities each mentions) and counts every match.
//!
//! **Ranking.** The window's articles (text and record from the cluster) are copied into a
//! scratch index in memory and scored by byline's own query with the local index's
//! statistics ([`Engine::rank_copies`]): the scores a local search gives, so the page is the
//! local page whenever the local page's articles are in the cluster's window. The cluster's
//! BM25 counts a field's documents and lengths over the documents holding it (byline over
//! every document) and quantizes lengths otherwise, so among near-ties its window can be cut
//! differently; highlights and `matched_as` are computed from the returned text, as locally.

use std::collections::HashMap;
use std::time::Instant;

use serde_json::{json, Value};
use tantivy::schema::{Facet, Schema};

use super::push::Cluster;
use super::INDEX;
use crate::document::{self, Copied, StoredArticle};
use crate::error::{Error, Result};
use crate::query::shape;
use crate::search::{
    Engine, FacetCounts, Found, Plan, SearchRequest, SearchResults, Sort, MAX_COLLAPSE_POOL,
    RESCORE_MIN, RESCORE_POOL,
};
use crate::store::Store;

/// Stories (copy clusters) counted exactly, near enough: the cardinality aggregation's
/// precision threshold (HyperLogLog++: a few in ten thousand off below it).
const EXACT_STORIES: u64 = 40_000;
/// Values of a facet each shard returns per value shown (plus a hundred): the top values of
/// all shards are then counted whole.
const FACET_MARGIN: usize = 5;
/// Most matching passages of a window listed: past it, every passage of the window's
/// articles is copied (analysing one costs less than listing many).
const MATCHED_PASSAGES: usize = 2_000;
/// Threads and memory of the scratch index's writer (tantivy's least is 15 MB a thread).
const SCRATCH_THREADS: usize = 2;
const SCRATCH_MEMORY: usize = 40_000_000;
/// Date buckets a facet count asks for (every day of a few years).
const DATE_VALUES: usize = 5_000;

/// What `req` matches on the cluster: the local plan's query (filters included) rendered,
/// held to passages and to the articles entity and batch filters keep.
fn query(req: &SearchRequest, plan: &Plan, schema: &Schema) -> Result<Value> {
    if req.cursor.is_some() {
        return Err(Error::InvalidArgument(
            "on a cluster, searches page by offset for now: cursors are not there yet".into(),
        ));
    }
    let matches =
        shape::to_cluster(plan.query.as_ref(), schema, &plan.idf_ratios).ok_or_else(|| {
            Error::InvalidArgument(format!(
                "part of {:?} has no form on a cluster yet",
                req.query
            ))
        })?;
    let mut filter = vec![json!({"term": {"kind": crate::schema::KIND_PASSAGE}})];
    if let Some(keys) = &plan.articles {
        let mut keys: Vec<String> = keys.iter().map(|k| format!("{k:020}")).collect();
        keys.sort();
        filter.push(json!({"terms": {"article_key": keys}}));
    }
    Ok(json!({"bool": {"must": [matches], "filter": filter}}))
}

/// The search body: the best `window` articles `query` matches, their totals, and the
/// facets `req` asks.
fn body(req: &SearchRequest, query: &Value, window: usize) -> Value {
    let mut aggs = serde_json::Map::new();
    aggs.insert(
        "stories".into(),
        json!({"cardinality": {"field": "copy_cluster", "precision_threshold": EXACT_STORIES}}),
    );
    for dim in &req.facets {
        // Over article documents: a bucket's count is its articles. The date facet lists
        // every day; the others a margin of top values per shard, so that the top values
        // of all shards are counted whole.
        let size = if dim == "date" {
            DATE_VALUES
        } else {
            req.facet_limit
        };
        aggs.insert(
            format!("facet:{dim}"),
            json!({"terms": {"field": "facets", "include": format!("/{dim}/.*"),
                             "size": size, "shard_size": size * FACET_MARGIN + 100}}),
        );
    }
    json!({
        // Articles, each scored by its best matching passage.
        "query": {"has_child": {"type": "passage", "score_mode": "max", "query": query}},
        "size": window,
        "track_total_hits": true,
        "_source": false,
        "sort": order(req.sort),
        "docvalue_fields": ["article", "article_key"],
        "aggs": aggs,
    })
}

/// The order of the cluster's window: as `sort` orders a local search (undated articles
/// last; relevance, then the key, breaking ties).
fn order(sort: Sort) -> Value {
    let by_date = |order: &str| json!({"date": {"order": order, "missing": "_last"}});
    let ties = [json!({"_score": "desc"}), json!({"article_key": "asc"})];
    let mut keys = match sort {
        Sort::Relevance => Vec::new(),
        Sort::Date => vec![by_date("asc")],
        Sort::NewestFirst => vec![by_date("desc")],
    };
    keys.extend(ties);
    Value::Array(keys)
}

/// Article counts per facet path (`/outlet/AP`), as [`crate::facets::count`] gives them,
/// from the facet aggregations of `answer`.
fn facet_counts(answer: &Value, dims: &[String]) -> HashMap<String, u64> {
    let mut counts = HashMap::new();
    for dim in dims {
        let buckets = answer["aggregations"][format!("facet:{dim}")]["buckets"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for b in buckets {
            let (Some(key), Some(n)) = (b["key"].as_str(), b["doc_count"].as_u64()) else {
                continue;
            };
            // Written as tantivy prints facets ("/" inside a value escaped): read back to
            // its segments, joined as the local counts are.
            let path = Facet::from_text(key)
                .map(|f| format!("/{}", f.to_path().join("/")))
                .unwrap_or_else(|_| key.to_string());
            counts.insert(path, n);
        }
    }
    counts
}

/// Fails when some shard did not answer: the cluster then returns what the others found,
/// which would be taken for the whole answer.
fn whole(cluster: &Cluster, answer: &Value) -> Result<()> {
    let shards = &answer["_shards"];
    let failed = shards["failed"].as_u64().unwrap_or(0);
    if failed == 0 && answer["timed_out"] != json!(true) {
        return Ok(());
    }
    let reason = shards["failures"][0]["reason"]["reason"]
        .as_str()
        .unwrap_or("timed out");
    Err(cluster.fail(format!(
        "{failed} of {} shards did not answer ({reason}): no partial results are given",
        shards["total"].as_u64().unwrap_or(0)
    )))
}

/// An article of a cluster's window: its id and key as the cluster holds them.
struct Window {
    id: String,
    key: String,
}

/// The matching passages of each window article: passage number → the entities it
/// mentions.
type Matching = HashMap<String, HashMap<usize, Vec<Facet>>>;

/// How many passages match `query` (the rendered query, filters included), and those of
/// the `window` articles, by article id, with the entities they mention: only those can
/// score. The list is None when there are too many to list (every passage is then copied).
fn matching_passages(
    cluster: &Cluster,
    query: &Value,
    window: &[Window],
) -> Result<(u64, Option<Matching>)> {
    let keys: Vec<&str> = window.iter().map(|w| w.key.as_str()).collect();
    let body = json!({
        "query": query,
        // Aggregations see every match, hits only the window's.
        "aggs": {"passages": {"filter": {"match_all": {}}}},
        "post_filter": {"terms": {"article_key": keys}},
        "size": MATCHED_PASSAGES, "_source": false, "sort": ["_doc"],
        "docvalue_fields": ["entity"],
        "track_total_hits": MATCHED_PASSAGES + 1,
    });
    let answer = cluster.json(
        "POST",
        &format!("{INDEX}/_search"),
        &body,
        "matching passages",
    )?;
    whole(cluster, &answer)?;
    let passages = answer["aggregations"]["passages"]["doc_count"]
        .as_u64()
        .unwrap_or(0);
    if answer["hits"]["total"]["value"]
        .as_u64()
        .unwrap_or(u64::MAX)
        > MATCHED_PASSAGES as u64
    {
        return Ok((passages, None));
    }
    let mut out: Matching = HashMap::new();
    for hit in answer["hits"]["hits"].as_array().into_iter().flatten() {
        let Some((id, n)) = hit["_id"].as_str().and_then(|i| i.rsplit_once('#')) else {
            continue;
        };
        let Ok(n) = n.parse() else {
            continue;
        };
        let entities = hit["fields"]["entity"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| Facet::from_text(e.as_str()?).ok())
            .collect();
        out.entry(id.to_string()).or_default().insert(n, entities);
    }
    Ok((passages, Some(out)))
}

/// Asks the cluster for `req`'s best `window` articles (best first) and what it found in
/// all.
fn ask(
    cluster: &Cluster,
    req: &SearchRequest,
    query: &Value,
    window: usize,
) -> Result<(Vec<Window>, Found)> {
    let answer = cluster.json(
        "POST",
        &format!("{INDEX}/_search?search_type=dfs_query_then_fetch"),
        &body(req, query, window),
        "search",
    )?;
    whole(cluster, &answer)?;
    let mut best = Vec::new();
    for hit in answer["hits"]["hits"].as_array().into_iter().flatten() {
        let field = |name: &str| hit["fields"][name][0].as_str().map(str::to_string);
        if let (Some(id), Some(key)) = (field("article"), field("article_key")) {
            best.push(Window { id, key });
        }
    }
    let found = Found {
        articles: answer["hits"]["total"]["value"].as_u64().unwrap_or(0),
        stories: answer["aggregations"]["stories"]["value"]
            .as_u64()
            .unwrap_or(0),
        // Counted with the matching passages.
        passages: 0,
        exact: true,
        facets: (!req.facets.is_empty()).then(|| {
            crate::facets::summarize(
                &facet_counts(&answer, &req.facets),
                &req.facets,
                req.facet_limit,
            )
        }),
    };
    Ok((best, found))
}

/// Runs `req` on the cluster at `url`, planned and ranked by `engine`'s index.
pub fn search(engine: &Engine, req: &SearchRequest, url: &str) -> Result<SearchResults> {
    let started = Instant::now();
    let plan = engine.plan(req)?;
    let query = query(req, &plan, &engine.store().index().schema())?;
    let cluster = Cluster::new(url)?;
    let wanted = req.offset + req.limit;
    let mut window = (wanted * RESCORE_POOL).max(RESCORE_MIN);
    loop {
        let (best, mut found) = ask(&cluster, req, &query, window)?;
        // The texts and which passages match, asked at once.
        let (docs, matching) = std::thread::scope(|s| {
            let matching = s.spawn(|| matching_passages(&cluster, &query, &best));
            let docs = fetch_articles(&cluster, &best);
            let matching = matching
                .join()
                .unwrap_or_else(|_| Err(cluster.fail("asking for matching passages failed")));
            (docs, matching)
        });
        let (passages, matching) = matching?;
        found.passages = passages;
        let copies = copy_articles(&cluster, &best, &docs?, matching.as_ref())?;
        let mut results = engine.rank_copies(req, &copies, found)?;
        // Collapsed, a window of copies may hold fewer stories than the page needs:
        // widen it while the cluster has more articles, as a local search does.
        let short = req.collapse
            && best.len() == window
            && results.summary.offset + results.hits.len() < wanted
            && window < MAX_COLLAPSE_POOL;
        if short {
            window = (window * 4).min(MAX_COLLAPSE_POOL);
            continue;
        }
        results.summary.elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
        return Ok(results);
    }
}

/// The text and record of each `window` article, in order (`found: false` for one deleted
/// since).
fn fetch_articles(cluster: &Cluster, window: &[Window]) -> Result<Vec<Value>> {
    if window.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<&str> = window.iter().map(|w| w.id.as_str()).collect();
    let got = cluster.json(
        "POST",
        &format!("{INDEX}/_mget?_source_includes=body,record"),
        &json!({ "ids": ids }),
        "fetching articles",
    )?;
    Ok(got["docs"].as_array().cloned().unwrap_or_default())
}

/// The `window` articles (`docs`, as fetched) copied into a scratch index in memory, with
/// the passages `matching` lists (every passage when it is None).
fn copy_articles(
    cluster: &Cluster,
    window: &[Window],
    docs: &[Value],
    matching: Option<&Matching>,
) -> Result<Store> {
    let copies = Store::in_ram();
    // Each article's documents go in as one batch: together, in order, in one segment.
    let mut writer = copies
        .index()
        .writer_with_num_threads(SCRATCH_THREADS, SCRATCH_MEMORY)?;
    let none = HashMap::new();
    for (article, doc) in window.iter().zip(docs) {
        let id = &article.id;
        if doc["found"] != json!(true) {
            // Deleted since the search (a push running): left out.
            continue;
        }
        let stored: StoredArticle = serde_json::from_value(doc["_source"]["record"].clone())
            .map_err(|e| cluster.fail(format!("article {id:?} has no byline record: {e}")))?;
        let read = document::Read {
            id: id.clone(),
            text: doc["_source"]["body"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            stored,
        };
        let matched = matching.map(|m| m.get(id).unwrap_or(&none));
        document::write_copy(&writer, copies.fields(), &read, |n| match matched {
            None => Copied::Guessed,
            Some(m) => m
                .get(&n)
                .map_or(Copied::Empty, |facets| Copied::Mentioning(facets.clone())),
        })?;
    }
    writer.commit()?;
    Ok(copies)
}

/// Article counts per facet value of `dimensions` over the articles `req` matches on the
/// cluster at `url` (every article for a blank query), as [`Engine::facets`] counts them.
pub fn facets(
    engine: &Engine,
    req: &SearchRequest,
    dimensions: &[String],
    limit: usize,
    url: &str,
) -> Result<FacetCounts> {
    crate::facets::check_limit(limit)?;
    let mut req = req.clone();
    if req.query.trim().is_empty() {
        req.query = "*".into();
    }
    req.facets = dimensions.to_vec();
    req.facet_limit = limit;
    let plan = engine.plan(&req)?;
    let query = query(&req, &plan, &engine.store().index().schema())?;
    let (_, found) = ask(&Cluster::new(url)?, &req, &query, 0)?;
    Ok(FacetCounts {
        articles: found.articles,
        facets: found.facets.unwrap_or_default(),
        warnings: plan.warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::query::{AllQuery, TermQuery};
    use tantivy::schema::IndexRecordOption;

    fn planned(articles: Option<&[u64]>) -> Plan {
        let (_, fields) = crate::schema::Fields::build();
        Plan {
            words: Vec::new(),
            query: Box::new(TermQuery::new(
                tantivy::Term::from_field_text(fields.text_exact, "araghchi"),
                IndexRecordOption::WithFreqs,
            )),
            articles: articles.map(|a| a.iter().copied().collect()),
            idf_ratios: HashMap::new(),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn the_query_is_the_local_one_held_to_passages_and_the_filtered_articles() {
        let (schema, _) = crate::schema::Fields::build();
        let req = SearchRequest::new("Araghchi");
        let q = query(&req, &planned(Some(&[7, 3])), &schema).unwrap();
        let b = body(&req, &q, 100);
        assert_eq!(
            b["query"]["has_child"]["query"],
            json!({"bool": {"must": [{"term": {"text_exact": "araghchi"}}], "filter": [
                {"term": {"kind": "passage"}},
                {"terms": {"article_key": ["00000000000000000003", "00000000000000000007"]}}]}})
        );
        assert_eq!(b["size"], 100);
        let mut by_date = req.clone();
        by_date.sort = Sort::NewestFirst;
        assert_eq!(
            body(&by_date, &q, 10)["sort"],
            json!([{"date": {"order": "desc", "missing": "_last"}}, {"_score": "desc"},
                   {"article_key": "asc"}])
        );
        by_date.cursor = Some(crate::search::cursor::Cursor::Start);
        let err = query(&by_date, &planned(None), &schema)
            .unwrap_err()
            .to_string();
        assert!(err.contains("cursors are not there yet"), "{err}");
        let mut all = planned(None);
        all.query = Box::new(AllQuery);
        let q = query(&req, &all, &schema).unwrap();
        assert_eq!(q["bool"]["must"], json!([{"match_all": {}}]));
    }

    #[test]
    fn facets_count_article_documents_and_read_back_as_paths() {
        let (schema, _) = crate::schema::Fields::build();
        let mut req = SearchRequest::new("Araghchi");
        req.facets = vec!["outlet".into(), "date".into()];
        req.facet_limit = 5;
        let b = body(&req, &query(&req, &planned(None), &schema).unwrap(), 0);
        let outlet = &b["aggs"]["facet:outlet"];
        assert_eq!(outlet["terms"]["include"], "/outlet/.*");
        assert_eq!(outlet["terms"]["size"], 5);
        assert_eq!(outlet["terms"]["shard_size"], 125);
        assert_eq!(b["aggs"]["facet:date"]["terms"]["size"], DATE_VALUES);
        assert_eq!(b["query"]["has_child"]["score_mode"], "max");
        let answer = json!({"aggregations": {
            "facet:outlet": {"buckets": [{"key": "/outlet/AP\\/Reuters", "doc_count": 2}]},
            "facet:date": {"buckets": [{"key": "/date/2024/11/15", "doc_count": 1}]}}});
        let counts = facet_counts(&answer, &req.facets);
        assert_eq!(
            counts,
            HashMap::from([
                ("/outlet/AP/Reuters".to_string(), 2),
                ("/date/2024/11/15".to_string(), 1)
            ])
        );
    }
}
