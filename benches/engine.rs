//! Criterion benches: analysis, passage splitting, entity extraction, indexing and search, on
//! fixed data.
//!
//! Data: the seeds, and the generated corpus of `benches/common/corpus.rs` (2,000 articles for
//! indexing; 10,000 and 100,000 for queries). Generated corpora and their indexes are built once
//! under `target/tmp/bench-data/` and reused while the schema version is the same; the first
//! `cargo bench` builds the 100k index (a few minutes). `BYLINE_BENCH_SIZES=10000` limits the
//! query benches to the sizes listed.
//!
//! Each bench asserts the count it expects inside the loop, so a bench that stops doing its
//! work fails instead of getting fast.

#![allow(clippy::unwrap_used, missing_docs)]

#[path = "common/corpus.rs"]
#[allow(dead_code)]
mod corpus;

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use byline::ingest::Corpus;
use byline::{Engine, IndexOptions, SearchRequest, Store};

/// Articles in the corpus the indexing benches build.
const ARTICLES: usize = 2_000;
/// Corpus sizes for the query benches.
const SIZES: &[usize] = &[10_000, 100_000];
/// Mentions the rules find in the five seeds' content (fixed data, so a fixed count).
const EXPECTED_MENTIONS: usize = 232;

fn seeds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

fn seed_articles() -> Vec<byline::ingest::Article> {
    let mut out = Vec::new();
    let gazetteer = byline::entities::Gazetteer::builtin();
    Corpus::collect(&[seeds()]).articles(Some(&gazetteer), &mut |a| out.push(a), &mut |s| {
        panic!("{s}")
    });
    out
}

fn analysis(c: &mut Criterion) {
    // The stemmed field's values as the indexer writes them: each passage, marked with its
    // article's language.
    let values: Vec<String> = seed_articles()
        .iter()
        .flat_map(|a| {
            let lang = byline::document::article_lang(&a.meta);
            byline::passage::split(&a.text, &a.paragraphs)
                .into_iter()
                .map(move |r| byline::analysis::stemmed_value(lang, &a.text[r]))
        })
        .collect();
    let bytes: usize = values.iter().map(String::len).sum();
    let mut g = c.benchmark_group("analysis");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("stemmed field analyzer, 5 seeds", |b| {
        let mut analyzer = byline::analysis::stemmed_index();
        b.iter(|| {
            let tokens: usize = values
                .iter()
                .map(|v| byline::analysis::terms(&mut analyzer, black_box(v)).len())
                .sum();
            assert_eq!(tokens, 1_997);
        })
    });
    g.bench_function("passage split, 5 seeds", |b| {
        let articles = seed_articles();
        b.iter(|| {
            let n: usize = articles
                .iter()
                .map(|a| byline::passage::split(black_box(&a.text), &a.paragraphs).len())
                .sum();
            assert_eq!(n, 54);
        })
    });
    g.bench_function("entity extraction, 5 seeds", |b| {
        let articles = seed_articles();
        let gazetteer = byline::entities::Gazetteer::builtin();
        b.iter(|| {
            let n: usize = articles
                .iter()
                .map(|a| {
                    byline::entities::extract::find(black_box(&a.text), &a.paragraphs, &gazetteer)
                        .len()
                })
                .sum();
            assert_eq!(n, EXPECTED_MENTIONS);
        })
    });
    g.finish();
}

fn indexing(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let generated = corpus::generate(&seeds(), ARTICLES, corpus::SEED, dir.path());
    assert_eq!(generated.articles, ARTICLES);
    let ndjson = dir.path().join("articles.ndjson");
    for (unit, throughput) in [
        ("MB", Throughput::Bytes(generated.bytes as u64)),
        ("articles", Throughput::Elements(ARTICLES as u64)),
    ] {
        let mut g = c.benchmark_group(format!("indexing ({unit}/s)"));
        g.sample_size(10);
        g.throughput(throughput);
        for (label, names, entities, lang) in [
            ("names and entities (default)", true, true, None),
            (
                "English only, nothing detected (--lang en)",
                true,
                true,
                Some("en"),
            ),
            ("no name fields (--no-variants)", false, true, None),
            ("no entities (--no-entities)", true, false, None),
        ] {
            g.bench_function(format!("{ARTICLES} generated articles, {label}"), |b| {
                b.iter(|| {
                    let out = tempfile::tempdir().unwrap();
                    let store = Store::open_or_create(out.path()).unwrap();
                    let options = IndexOptions {
                        paths: vec![ndjson.clone()],
                        names,
                        entities,
                        lang: lang.map(str::to_string),
                        ..IndexOptions::default()
                    };
                    let report = byline::index(&store, &options, &mut |s| panic!("{s}")).unwrap();
                    assert_eq!(report.index_articles, ARTICLES as u64);
                })
            });
        }
        g.finish();
    }
}

/// What durability costs: syncing the index folder once (what byline adds to each of
/// tantivy's commits), and the same 2,000 articles committed once or every 100 articles.
fn durability(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    corpus::generate(&seeds(), ARTICLES, corpus::SEED, dir.path());
    let ndjson = dir.path().join("articles.ndjson");
    let mut g = c.benchmark_group("durability");
    g.sample_size(10);
    let index = dir.path().join("index");
    let store = Store::open_or_create(&index).unwrap();
    let options = IndexOptions {
        paths: vec![ndjson.clone()],
        ..IndexOptions::default()
    };
    byline::index(&store, &options, &mut |s| panic!("{s}")).unwrap();
    g.bench_function("index folder sync", |b| {
        b.iter(|| std::fs::File::open(&index).unwrap().sync_all().unwrap())
    });
    for every in [ARTICLES as u64, 100] {
        g.bench_function(
            format!("{ARTICLES} articles, a commit every {every}"),
            |b| {
                b.iter(|| {
                    let out = tempfile::tempdir().unwrap();
                    let store = Store::open_or_create(out.path()).unwrap();
                    let options = IndexOptions {
                        paths: vec![ndjson.clone()],
                        commit_every: every,
                        ..IndexOptions::default()
                    };
                    let report = byline::index(&store, &options, &mut |s| panic!("{s}")).unwrap();
                    assert_eq!(report.index_articles, ARTICLES as u64);
                })
            },
        );
    }
    g.finish();
}

/// What languages cost a query: 2,000 generated articles plus the ten-language test articles,
/// indexed with detection (11 languages in the index, each query stemmed for all of them)
/// and as English only (`--lang en`: one).
fn languages(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    corpus::generate(&seeds(), ARTICLES, corpus::SEED, dir.path());
    let lang_articles = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lang/articles");
    let mut g = c.benchmark_group("languages (2,010 articles)");
    for (label, lang) in [("every language", None), ("English only", Some("en"))] {
        let index = dir.path().join(label.replace(' ', "-"));
        let store = Store::open_or_create(&index).unwrap();
        let options = IndexOptions {
            paths: vec![dir.path().join("articles.ndjson"), lang_articles.clone()],
            lang: lang.map(str::to_string),
            ..IndexOptions::default()
        };
        byline::index(&store, &options, &mut |s| panic!("{s}")).unwrap();
        let engine = Engine::open(&index).unwrap();
        for query in [
            "Iravani",
            "nuclear ambassador",
            "\"peace through strength\"",
        ] {
            let req = SearchRequest::new(query);
            assert!(!engine.search(&req).unwrap().hits.is_empty());
            g.bench_function(format!("{query}, {label}"), |b| {
                b.iter(|| engine.search(black_box(&req)).unwrap())
            });
        }
    }
    g.finish();
}

/// A generated corpus of `n` articles and its index, built once and kept under target/.
fn bench_data(n: usize) -> (corpus::Generated, PathBuf) {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("bench-data")
        .join(format!("{n}-{}", byline::schema::SCHEMA_VERSION));
    // Generating is quick and gives the counts; the index is what takes time to build.
    let generated = corpus::generate(&seeds(), n, corpus::SEED, &root.join("corpus"));
    let index = root.join("index");
    let ready = root.join("index.ready");
    if !ready.exists() {
        let _ = std::fs::remove_dir_all(&index);
        eprintln!(
            "building the {n}-article bench index in {} (once)",
            index.display()
        );
        let store = Store::open_or_create(&index).unwrap();
        let options = IndexOptions {
            paths: vec![root.join("corpus").join("articles.ndjson")],
            ..IndexOptions::default()
        };
        let report = byline::index(&store, &options, &mut |s| panic!("{s}")).unwrap();
        assert_eq!(report.index_articles, n as u64);
        std::fs::write(&ready, "").unwrap();
    }
    (generated, index)
}

fn searching(c: &mut Criterion) {
    let only: Option<Vec<usize>> = std::env::var("BYLINE_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect());
    for &n in SIZES {
        if only.as_ref().is_some_and(|o| !o.contains(&n)) {
            continue;
        }
        let (generated, index) = bench_data(n);
        let engine = Engine::open(&index).unwrap();
        let mut g = c.benchmark_group(format!("search {n} articles"));
        let since = byline::date::Date::parse("2024-01-01").unwrap();
        let iravani = ["iravani", "iravany"];
        // The outlet of the last article that names Iravani: a filter that keeps a few hits.
        let outlet = generated
            .docs
            .iter()
            .rev()
            .find(|d| d.holds.iter().any(|h| iravani.contains(h)))
            .and_then(|d| d.outlet.clone())
            .unwrap();
        let cases: Vec<(&str, SearchRequest, usize)> = vec![
            (
                "one name",
                SearchRequest::new("Iravani"),
                generated.any_of(&iravani),
            ),
            (
                "two words",
                SearchRequest::new("nuclear ambassador"),
                generated.any_of(&["nuclear", "ambassador"]),
            ),
            (
                "phrase",
                SearchRequest::new("\"peace through strength\""),
                generated.any_of(&["peace through strength"]),
            ),
            (
                "variant name (Araghchi finds Arghachi)",
                SearchRequest::new("Araghchi"),
                generated.any_of(&["araghchi", "arghachi"]),
            ),
            (
                "variant name, --exact",
                {
                    let mut r = SearchRequest::new("Araghchi");
                    r.exact = true;
                    r
                },
                generated.any_of(&["araghchi"]),
            ),
            (
                "name since a date",
                {
                    let mut r = SearchRequest::new("Iravani");
                    r.filters.since = Some(since);
                    r
                },
                generated
                    .docs
                    .iter()
                    .filter(|d| {
                        d.date.is_some_and(|x| x >= since)
                            && d.holds.iter().any(|h| iravani.contains(h))
                    })
                    .count(),
            ),
            (
                "name in one outlet",
                {
                    let mut r = SearchRequest::new("Iravani");
                    r.filters.outlets = vec![outlet.clone()];
                    r
                },
                generated
                    .docs
                    .iter()
                    .filter(|d| {
                        d.outlet.as_ref() == Some(&outlet)
                            && d.holds.iter().any(|h| iravani.contains(h))
                    })
                    .count(),
            ),
            (
                "name with outlet and date facet counts",
                {
                    let mut r = SearchRequest::new("Iravani");
                    r.facets = vec!["outlet".into(), "date".into()];
                    r
                },
                generated.any_of(&iravani),
            ),
        ];
        // A server keeps the articles' columns in memory (`byline serve` does at warm-up).
        let served = Engine::open(&index).unwrap();
        served.keep_layouts().unwrap();
        let as_served: Vec<(String, &Engine, &SearchRequest, usize)> = cases
            .iter()
            .map(|(label, req, expect)| (label.to_string(), &engine, req, *expect))
            .chain(cases.iter().take(2).map(|(label, req, expect)| {
                (format!("{label}, as a server"), &served, req, *expect)
            }))
            .collect();
        for (label, engine, req, expect) in as_served {
            g.bench_function(&label, |b| {
                // Past the exact-count limit a pruned search reports the limit, as a bound.
                let cap = engine.limits().exact_total as usize;
                let shown = if expect > cap && req.facets.is_empty() {
                    (cap, false)
                } else {
                    (expect, true)
                };
                b.iter(|| {
                    let r = engine.search(black_box(req)).unwrap();
                    let got = (r.summary.articles as usize, r.summary.total_exact);
                    assert_eq!(got, shown, "{label}");
                })
            });
        }
        g.finish();
    }
}

criterion_group!(benches, analysis, indexing, durability, languages, searching);
criterion_main!(benches);
