//! `byline search --engine URL`: a search run on a cluster's `byline` index ([`super::push`]),
//! answered in the local contract (the same `hit` and `summary` records).
//!
//! The query is planned by the local index (each word's exact form, stems by language, and
//! for names the spelling key, the edit variants the index holds and the keys of forms in
//! other scripts, as a local search finds them) and each form becomes a term query on the
//! field that holds it, with byline's weights; the words are summed, filters are filters.
//! Passages are grouped by article with `collapse` and `inner_hits`; scores use statistics
//! of every shard (`dfs_query_then_fetch`). Highlights and `matched_as` are computed here,
//! from the returned text, as locally.
//!
//! What differs from a local search (first version): a variant scores with its own
//! statistics (locally it scores with its query word's, [`crate::query::AnchoredStats`]);
//! no bonus for all words or for words close together; multi-word aliases and phrases are
//! not sent; facets, cursors, sorting by date and copies are not answered yet.

use std::time::Instant;

use serde_json::{json, Value};

use super::push::Cluster;
use super::INDEX;
use crate::document::StoredArticle;
use crate::error::{Error, Result};
use crate::highlight::Highlighter;
use crate::query::{edit_boost, WordPlan, EXACT_BOOST, FOLD_BOOST, SCRIPT_BOOST};
use crate::search::hit::{headline, ArticleInfo, Hit, PassageHit, SearchResults, Summary};
use crate::search::{Engine, SearchRequest, Sort};

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

/// The search body for `req` with the local plan `plan`.
fn body(req: &SearchRequest, plan: &[WordPlan]) -> Result<Value> {
    let f = &req.filters;
    if !req.facets.is_empty()
        || req.cursor.is_some()
        || req.sort != Sort::Relevance
        || !f.entities.is_empty()
        || !f.any_of.is_empty()
        || !f.dates.is_empty()
        || f.batches.is_some()
    {
        return Err(Error::InvalidArgument(
            "on a cluster, searches take outlet, lang, since and until filters for now; \
             facets, entity and date-bucket filters, cursors and date order are not there yet"
                .into(),
        ));
    }
    let words: Vec<Value> = plan.iter().map(word_query).collect();
    let mut filter = vec![json!({"term": {"kind": crate::schema::KIND_PASSAGE}})];
    if !f.outlets.is_empty() {
        let keys: Vec<String> = f.outlets.iter().map(|o| o.to_lowercase()).collect();
        filter.push(json!({"terms": {"outlet_key": keys}}));
    }
    if !f.langs.is_empty() {
        filter.push(json!({"terms": {"lang": f.langs}}));
    }
    if f.since.is_some() || f.until.is_some() {
        let mut range = serde_json::Map::new();
        if let Some(d) = f.since {
            range.insert("gte".into(), json!(d.to_string()));
        }
        if let Some(d) = f.until {
            range.insert("lte".into(), json!(d.to_string()));
        }
        let dated = json!({"range": {"date": range}});
        filter.push(if f.undated {
            json!({"bool": {"should": [dated, {"bool": {"must_not": {"exists": {"field": "date"}}}}]}})
        } else {
            dated
        });
    }
    let query = if req.all_words {
        json!({"bool": {"must": words, "filter": filter}})
    } else {
        json!({"bool": {"should": words, "minimum_should_match": 1, "filter": filter}})
    };
    Ok(json!({
        "query": query,
        "size": req.limit,
        "from": req.offset,
        "track_total_hits": true,
        "_source": ["article"],
        "collapse": {"field": "article_key", "inner_hits": {
            "name": "passages", "size": req.passages, "_source": ["passage", "start", "end"],
            "sort": [{"_score": "desc"}, {"passage": "asc"}]}},
        "sort": [{"_score": "desc"}, {"article_key": "asc"}],
        "aggs": {"articles": {"cardinality": {"field": "article_key",
                                              "precision_threshold": 40000}}},
    }))
}

/// Runs `req` on the cluster at `url`, planned by `engine`'s index.
pub fn search(engine: &Engine, req: &SearchRequest, url: &str) -> Result<SearchResults> {
    let started = Instant::now();
    let (plan, warnings) = engine.plan(req)?;
    let cluster = Cluster::new(url)?;
    let body = body(req, &plan)?;
    let (status, text) = cluster.send(
        "POST",
        &format!("{INDEX}/_search?search_type=dfs_query_then_fetch"),
        Some(("application/json", serde_json::to_vec(&body)?)),
    )?;
    if status != 200 {
        return Err(cluster.fail(format!(
            "search refused ({status}): {}",
            super::push::short(&text)
        )));
    }
    let answer: Value = serde_json::from_str(&text)
        .map_err(|e| cluster.fail(format!("search answer is not JSON: {e}")))?;
    let hits = answer["hits"]["hits"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    // The articles' texts and records, in one request.
    let ids: Vec<String> = hits
        .iter()
        .filter_map(|h| h["_source"]["article"].as_str().map(str::to_string))
        .collect();
    let docs = if ids.is_empty() {
        Vec::new()
    } else {
        let (status, text) = cluster.send(
            "POST",
            &format!("{INDEX}/_mget?_source_includes=body,record"),
            Some((
                "application/json",
                serde_json::to_vec(&json!({ "ids": ids }))?,
            )),
        )?;
        if status != 200 {
            return Err(cluster.fail(format!("fetching articles refused ({status})")));
        }
        let got: Value = serde_json::from_str(&text)
            .map_err(|e| cluster.fail(format!("articles answer is not JSON: {e}")))?;
        got["docs"].as_array().cloned().unwrap_or_default()
    };
    let mut highlighter = Highlighter::new(&plan);
    let mut out = Vec::with_capacity(hits.len());
    for (i, (hit, doc)) in hits.iter().zip(&docs).enumerate() {
        let id = hit["_source"]["article"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let text = doc["_source"]["body"].as_str().unwrap_or_default();
        let stored: StoredArticle = serde_json::from_value(doc["_source"]["record"].clone())
            .map_err(|e| cluster.fail(format!("article {id:?} has no byline record: {e}")))?;
        let info = ArticleInfo::new(id, &stored);
        let mut passages = Vec::new();
        for p in hit["inner_hits"]["passages"]["hits"]["hits"]
            .as_array()
            .cloned()
            .unwrap_or_default()
        {
            let s = &p["_source"];
            let (start, end) = (
                s["start"].as_u64().unwrap_or(0) as usize,
                s["end"].as_u64().unwrap_or(0) as usize,
            );
            let passage_text = text.get(start..end).unwrap_or_default().to_string();
            let (highlights, matched_as) = highlighter.mark(&passage_text, &info.lang);
            passages.push(PassageHit {
                passage: s["passage"].as_u64().unwrap_or(0),
                score: p["_score"].as_f64().unwrap_or(0.0) as f32,
                start,
                end,
                text: passage_text,
                highlights,
                matched_as,
            });
        }
        let first = stored
            .ranges
            .first()
            .and_then(|&[s, e]| text.get(s..e))
            .unwrap_or(text);
        out.push(Hit {
            rank: req.offset + i + 1,
            score: hit["_score"].as_f64().unwrap_or(0.0) as f32,
            headline: headline(info.title.as_deref(), first),
            article: info,
            passages,
            copies: 0,
            also_in: Vec::new(),
        });
    }
    let articles = answer["aggregations"]["articles"]["value"]
        .as_u64()
        .unwrap_or(0);
    let summary = Summary {
        query: req.query.clone(),
        articles,
        stories: articles,
        collapse: false,
        sort: req.sort,
        passages: answer["hits"]["total"]["value"].as_u64().unwrap_or(0),
        total_exact: articles < 40_000,
        returned: out.len(),
        offset: req.offset,
        limit: req.limit,
        exact: req.exact,
        elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
        warnings,
        facets: None,
        next_cursor: None,
    };
    Ok(SearchResults { hits: out, summary })
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

    #[test]
    fn filters_become_filters_and_what_is_not_there_yet_says_so() {
        let mut req = SearchRequest::new("Araghchi");
        req.filters.outlets = vec!["Ynetnews".into()];
        req.filters.since = crate::date::Date::parse("2024-11");
        req.passages = 3;
        let b = body(&req, &[plan()]).unwrap();
        assert_eq!(
            b["query"]["bool"]["filter"],
            json!([{"term": {"kind": "passage"}}, {"terms": {"outlet_key": ["ynetnews"]}},
                   {"range": {"date": {"gte": "2024-11"}}}])
        );
        assert_eq!(b["collapse"]["field"], "article_key");
        assert_eq!(b["collapse"]["inner_hits"]["size"], 3);
        req.facets = vec!["outlet".into()];
        let err = body(&req, &[plan()]).unwrap_err().to_string();
        assert!(
            err.starts_with("on a cluster, searches take outlet, lang"),
            "{err}"
        );
    }
}
