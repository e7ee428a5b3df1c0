//! `byline search|facets --engine URL`: a search run on a cluster's `byline` index
//! ([`super::push`]), answered in the local contract (the same `hit` and `summary` records).
//!
//! **Finding.** The query is planned by the local index (each word's exact form, stems by
//! language, and for names the spelling key, the edit variants the index holds and the keys
//! of forms in other scripts, as a local search finds them) and each form becomes a term
//! query on the field that holds it, with byline's weights; the words are summed, filters
//! are filters (entity and batch filters as the article keys the index resolves them to).
//! Passages are grouped by article with `collapse`; scores use statistics of every shard
//! (`dfs_query_then_fetch`). The cluster returns its best articles, a window of
//! [`RESCORE_POOL`] times the page (at least [`RESCORE_MIN`]), as a local search takes its
//! candidates, with totals and facet counts as aggregations.
//!
//! **Ranking.** The window's articles (text and record from the cluster) are copied into a
//! scratch index in memory and scored by byline's own query (phrases, operators, the
//! all-words and proximity boosts) with the local index's statistics
//! ([`Engine::rank_copies`]): the scores a local search gives, so the page is the local
//! page whenever the local page's articles are in the cluster's window. The cluster's own
//! BM25 counts documents and lengths per field (byline counts every document), and so may
//! order near-ties differently at the window's edge; highlights and `matched_as` are
//! computed from the returned text, as locally.

use std::collections::HashMap;
use std::time::Instant;

use serde_json::{json, Value};
use tantivy::schema::Facet;

use super::push::Cluster;
use super::INDEX;
use crate::document::{self, StoredArticle};
use crate::error::{Error, Result};
use crate::query::{edit_boost, DateBucket, WordPlan, EXACT_BOOST, FOLD_BOOST, SCRIPT_BOOST};
use crate::search::{
    Engine, FacetCounts, Found, Plan, SearchRequest, SearchResults, Sort, MAX_COLLAPSE_POOL,
    RESCORE_MIN, RESCORE_POOL,
};
use crate::store::Store;

/// Articles counted exactly: the cardinality aggregation's precision threshold.
const EXACT_ARTICLES: u64 = 40_000;
/// Memory of the scratch index's writer (tantivy's least is 15 MB).
const SCRATCH_MEMORY: usize = 20_000_000;
/// Date buckets a facet count asks for (every day of a few years).
const DATE_VALUES: usize = 5_000;

/// The query of one word's forms, with byline's weights.
fn word_query(w: &WordPlan) -> Value {
    let term = |field: &str, value: &str, boost: f32| json!({"term": {field: {"value": value, "boost": boost}}});
    let mut should = Vec::new();
    if !w.exact.is_empty() {
        should.push(term("text_exact", &w.exact, EXACT_BOOST));
    }
    for (lang, stem) in &w.stems {
        should.push(term("text", &format!("{lang}:{stem}"), 1.0));
    }
    if let Some(fold) = &w.fold {
        should.push(term("name", &w.exact, 1.0));
        should.push(term("name_fold", fold, FOLD_BOOST));
    }
    for (form, d) in &w.edits {
        should.push(term("name", form, edit_boost(*d)));
    }
    for key in &w.scripts {
        should.push(term("name_script", key, SCRIPT_BOOST));
    }
    for alias in &w.aliases {
        if let [one] = alias.words.as_slice() {
            should.push(term("text_exact", one, crate::query::ALIAS_BOOST));
        }
    }
    json!({"bool": {"should": should, "minimum_should_match": 1}})
}

/// The search body for `req` with the local plan `plan`: the best `window` articles, their
/// totals, and the facets `req` asks.
fn body(req: &SearchRequest, plan: &Plan, window: usize) -> Result<Value> {
    let f = &req.filters;
    if req.cursor.is_some() || req.sort != Sort::Relevance {
        return Err(Error::InvalidArgument(
            "on a cluster, searches rank by relevance and page by offset for now: \
             cursors and date order are not there yet"
                .into(),
        ));
    }
    let words: Vec<Value> = plan.words.iter().map(word_query).collect();
    let mut filter = vec![json!({"term": {"kind": crate::schema::KIND_PASSAGE}})];
    if !f.outlets.is_empty() {
        let keys: Vec<String> = f.outlets.iter().map(|o| o.to_lowercase()).collect();
        filter.push(json!({"terms": {"outlet_key": keys}}));
    }
    if !f.langs.is_empty() {
        filter.push(json!({"terms": {"lang": f.langs}}));
    }
    if !f.dates.is_empty() {
        let buckets: Vec<Value> = f
            .dates
            .iter()
            .flat_map(|b| {
                let path = match b {
                    DateBucket::Within(d) => format!("/date/{}", d.to_string().replace('-', "/")),
                    DateBucket::Unknown => format!("/date/{}", crate::schema::DATE_UNKNOWN),
                };
                [
                    json!({"term": {"facets": path}}),
                    json!({"prefix": {"facets": format!("{path}/")}}),
                ]
            })
            .collect();
        filter.push(json!({"bool": {"should": buckets, "minimum_should_match": 1}}));
    }
    if f.since.is_some() || f.until.is_some() {
        let mut range = serde_json::Map::new();
        if let Some(d) = f.since {
            range.insert("gte".into(), json!(d.to_string()));
        }
        if let Some(d) = f.until {
            range.insert("lte".into(), json!(d.last_day().to_string()));
        }
        let dated = json!({"range": {"date": range}});
        filter.push(if f.undated {
            json!({"bool": {"should": [dated, {"bool": {"must_not": {"exists": {"field": "date"}}}}]}})
        } else {
            dated
        });
    }
    if let Some(keys) = &plan.articles {
        let mut keys: Vec<String> = keys.iter().map(|k| format!("{k:020}")).collect();
        keys.sort();
        filter.push(json!({"terms": {"article_key": keys}}));
    }
    let query = if words.is_empty() {
        json!({"bool": {"filter": filter}})
    } else if req.all_words {
        json!({"bool": {"must": words, "filter": filter}})
    } else {
        json!({"bool": {"should": words, "minimum_should_match": 1, "filter": filter}})
    };
    let articles = |field: &str| json!({"cardinality": {"field": field, "precision_threshold": EXACT_ARTICLES}});
    let mut aggs = serde_json::Map::new();
    aggs.insert("articles".into(), articles("article_key"));
    aggs.insert("stories".into(), articles("copy_cluster"));
    for dim in &req.facets {
        let size = if dim == "date" {
            DATE_VALUES
        } else {
            req.facet_limit
        };
        aggs.insert(
            format!("facet:{dim}"),
            json!({"terms": {"field": "facets", "include": format!("/{dim}/.*"),
                             "size": size, "shard_size": (size * 10).max(1000),
                             "order": [{"articles": "desc"}, {"_key": "asc"}]},
                   "aggs": {"articles": articles("article_key")}}),
        );
    }
    Ok(json!({
        "query": query,
        "size": window,
        "track_total_hits": true,
        "_source": ["article"],
        "collapse": {"field": "article_key"},
        "sort": [{"_score": "desc"}, {"article_key": "asc"}],
        "aggs": aggs,
    }))
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
            let (Some(key), Some(n)) = (b["key"].as_str(), b["articles"]["value"].as_u64()) else {
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

/// Asks the cluster for `req`'s best `window` articles (their ids, best first) and what it
/// found in all.
fn ask(
    cluster: &Cluster,
    req: &SearchRequest,
    plan: &Plan,
    window: usize,
) -> Result<(Vec<String>, Found)> {
    let answer = cluster.json(
        "POST",
        &format!("{INDEX}/_search?search_type=dfs_query_then_fetch"),
        &body(req, plan, window)?,
        "search",
    )?;
    let ids: Vec<String> = answer["hits"]["hits"]
        .as_array()
        .map(|hits| {
            hits.iter()
                .filter_map(|h| h["_source"]["article"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let count = |name: &str| answer["aggregations"][name]["value"].as_u64().unwrap_or(0);
    let articles = count("articles");
    let found = Found {
        articles,
        stories: count("stories"),
        passages: answer["hits"]["total"]["value"].as_u64().unwrap_or(0),
        exact: articles < EXACT_ARTICLES,
        facets: (!req.facets.is_empty()).then(|| {
            crate::facets::summarize(
                &facet_counts(&answer, &req.facets),
                &req.facets,
                req.facet_limit,
            )
        }),
    };
    Ok((ids, found))
}

/// Runs `req` on the cluster at `url`, planned and ranked by `engine`'s index.
pub fn search(engine: &Engine, req: &SearchRequest, url: &str) -> Result<SearchResults> {
    let started = Instant::now();
    let plan = engine.plan(req)?;
    let cluster = Cluster::new(url)?;
    let wanted = req.offset + req.limit;
    let mut window = (wanted * RESCORE_POOL).max(RESCORE_MIN);
    loop {
        let (ids, found) = ask(&cluster, req, &plan, window)?;
        let copies = copy_articles(&cluster, &ids)?;
        let mut results = engine.rank_copies(req, &copies, found)?;
        // Collapsed, a window of copies may hold fewer stories than the page needs:
        // widen it while the cluster has more articles, as a local search does.
        let short = req.collapse
            && ids.len() == window
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

/// The articles `ids` read from the cluster, copied into a scratch index in memory.
fn copy_articles(cluster: &Cluster, ids: &[String]) -> Result<Store> {
    let copies = Store::in_ram();
    if ids.is_empty() {
        return Ok(copies);
    }
    let got = cluster.json(
        "POST",
        &format!("{INDEX}/_mget?_source_includes=body,record"),
        &json!({ "ids": ids }),
        "fetching articles",
    )?;
    let docs = got["docs"].as_array().cloned().unwrap_or_default();
    // One thread: each article's documents stay together, in order, in one segment.
    let mut writer = copies.index().writer_with_num_threads(1, SCRATCH_MEMORY)?;
    for (id, doc) in ids.iter().zip(&docs) {
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
        document::write_copy(&writer, copies.fields(), &read, |_| true)?;
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
    let (_, found) = ask(&Cluster::new(url)?, &req, &plan, 0)?;
    Ok(FacetCounts {
        articles: found.articles,
        facets: found.facets.unwrap_or_default(),
        warnings: plan.warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> WordPlan {
        WordPlan {
            query: "Araghchi".into(),
            exact: "araghchi".into(),
            stems: vec![("en".into(), "araghchi".into())],
            fold: Some("arghchi".into()),
            edits: vec![("arghachi".into(), 1)],
            aliases: vec![],
            scripts: vec!["arkshy".into()],
        }
    }

    #[test]
    fn a_word_asks_each_of_its_forms_in_the_field_that_holds_it() {
        let q = word_query(&plan());
        let clauses: Vec<(String, String, f64)> = q["bool"]["should"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let (field, v) = c["term"].as_object().unwrap().iter().next().unwrap();
                (
                    field.clone(),
                    v["value"].as_str().unwrap().to_string(),
                    (v["boost"].as_f64().unwrap() * 100.0).round() / 100.0,
                )
            })
            .collect();
        let c = |f: &str, v: &str, b: f64| (f.to_string(), v.to_string(), b);
        assert_eq!(
            clauses,
            [
                c("text_exact", "araghchi", 1.5),
                c("text", "en:araghchi", 1.0),
                c("name", "araghchi", 1.0),
                c("name_fold", "arghchi", 0.6),
                c("name", "arghachi", 0.5),
                c("name_script", "arkshy", 0.45),
            ]
        );
    }

    fn planned(words: Vec<WordPlan>, articles: Option<&[u64]>) -> Plan {
        Plan {
            words,
            articles: articles.map(|a| a.iter().copied().collect()),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn filters_become_filters_and_what_is_not_there_yet_says_so() {
        let mut req = SearchRequest::new("Araghchi");
        req.filters.outlets = vec!["Ynetnews".into()];
        req.filters.since = crate::date::Date::parse("2024-11");
        req.filters.until = crate::date::Date::parse("2024-11");
        req.filters.dates = vec![DateBucket::parse("2024-11").unwrap(), DateBucket::Unknown];
        let b = body(&req, &planned(vec![plan()], Some(&[7, 3])), 100).unwrap();
        assert_eq!(
            b["query"]["bool"]["filter"],
            json!([{"term": {"kind": "passage"}}, {"terms": {"outlet_key": ["ynetnews"]}},
                   {"bool": {"should": [{"term": {"facets": "/date/2024/11"}},
                                        {"prefix": {"facets": "/date/2024/11/"}},
                                        {"term": {"facets": "/date/unknown"}},
                                        {"prefix": {"facets": "/date/unknown/"}}],
                             "minimum_should_match": 1}},
                   {"range": {"date": {"gte": "2024-11", "lte": "2024-11-30"}}},
                   {"terms": {"article_key": ["00000000000000000003", "00000000000000000007"]}}])
        );
        assert_eq!(b["collapse"]["field"], "article_key");
        assert_eq!(b["size"], 100);
        req.sort = Sort::NewestFirst;
        let err = body(&req, &planned(vec![plan()], None), 100)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("cursors and date order are not there yet"),
            "{err}"
        );
    }

    #[test]
    fn facets_are_counted_in_articles_and_read_back_as_paths() {
        let mut req = SearchRequest::new("Araghchi");
        req.facets = vec!["outlet".into(), "date".into()];
        req.facet_limit = 5;
        let b = body(&req, &planned(vec![plan()], None), 0).unwrap();
        let outlet = &b["aggs"]["facet:outlet"];
        assert_eq!(outlet["terms"]["include"], "/outlet/.*");
        assert_eq!(outlet["terms"]["size"], 5);
        assert_eq!(
            outlet["aggs"]["articles"]["cardinality"]["field"],
            "article_key"
        );
        assert_eq!(b["aggs"]["facet:date"]["terms"]["size"], DATE_VALUES);
        let answer = json!({"aggregations": {
            "facet:outlet": {"buckets": [{"key": "/outlet/AP\\/Reuters", "doc_count": 9,
                                          "articles": {"value": 2}}]},
            "facet:date": {"buckets": [{"key": "/date/2024/11/15", "doc_count": 3,
                                        "articles": {"value": 1}}]}}});
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
