//! Criterion benches: analysis, passage splitting, indexing and search, on fixed data.
//!
//! Data: the seeds, and a corpus of 2,000 articles generated from them (benches/common).
//! Each bench asserts the count it expects inside the loop, so a bench that stops doing its
//! work fails instead of getting fast.

#![allow(clippy::unwrap_used, missing_docs)]

#[path = "common/corpus.rs"]
mod corpus;

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use byline::ingest::Corpus;
use byline::{Engine, IndexOptions, SearchRequest, Store};

const ARTICLES: usize = 2_000;
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
    let texts: Vec<String> = seed_articles().into_iter().map(|a| a.text).collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut g = c.benchmark_group("analysis");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("stemmed analyzer, 5 seeds", |b| {
        let mut analyzer = byline::analyzer::stemmed();
        b.iter(|| {
            let tokens: usize = texts
                .iter()
                .map(|t| byline::analyzer::terms(&mut analyzer, black_box(t)).len())
                .sum();
            assert_eq!(tokens, 2_027);
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
    let generated = corpus::generate(&seeds(), ARTICLES, dir.path());
    assert_eq!(generated.articles, ARTICLES);
    let mut g = c.benchmark_group("indexing");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(generated.bytes as u64));
    for (label, names, entities) in [
        ("names and entities (default)", true, true),
        ("no name fields (--no-variants)", false, true),
        ("no entities (--no-entities)", true, false),
    ] {
        g.bench_function(format!("{ARTICLES} generated articles, {label}"), |b| {
            b.iter(|| {
                let out = tempfile::tempdir().unwrap();
                let store = Store::open_or_create(out.path()).unwrap();
                let options = IndexOptions {
                    paths: vec![dir.path().to_path_buf()],
                    names,
                    entities,
                    ..IndexOptions::default()
                };
                let report = byline::index(&store, &options, &mut |s| panic!("{s}")).unwrap();
                assert_eq!(report.index_articles, ARTICLES as u64);
            })
        });
    }
    g.finish();
}

fn searching(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let generated = corpus::generate(&seeds(), ARTICLES, dir.path());
    let index_dir = tempfile::tempdir().unwrap();
    let store = Store::open_or_create(index_dir.path()).unwrap();
    let options = IndexOptions {
        paths: vec![dir.path().to_path_buf()],
        ..IndexOptions::default()
    };
    byline::index(&store, &options, &mut |s| panic!("{s}")).unwrap();
    let engine = Engine::open(index_dir.path()).unwrap();
    let mut g = c.benchmark_group(format!("search {ARTICLES} articles"));
    for (label, query, expect) in [
        ("one name", "Iravani", generated.containing["Iravani"]),
        (
            "phrase",
            "\"peace through strength\"",
            generated.containing["peace through strength"],
        ),
        (
            "name, required",
            "+Soleimani",
            generated.containing["Soleimani"],
        ),
    ] {
        g.bench_function(label, |b| {
            let req = SearchRequest::new(query);
            b.iter(|| {
                let r = engine.search(black_box(&req)).unwrap();
                assert_eq!(r.summary.articles as usize, expect, "{query}");
            })
        });
    }
    for (label, exact, expect) in [
        (
            "misspelt name Araghchi, variants on",
            false,
            generated.containing["Arghachi"],
        ),
        ("misspelt name Araghchi, --exact", true, 0),
        (
            "exact name Arghachi, variants on",
            false,
            generated.containing["Arghachi"],
        ),
    ] {
        let query = if label.starts_with("exact") {
            "Arghachi"
        } else {
            "Araghchi"
        };
        g.bench_function(label, |b| {
            let mut req = SearchRequest::new(query);
            req.exact = exact;
            b.iter(|| {
                let r = engine.search(black_box(&req)).unwrap();
                assert_eq!(r.summary.articles as usize, expect, "{label}");
            })
        });
    }
    let since = byline::date::Date::parse("2024-01-01").unwrap();
    let expect = generated
        .docs
        .iter()
        .filter(|(date, holds)| {
            date.is_some_and(|d| d >= since)
                && (holds.contains(&"Iravani") || holds.contains(&"Musk"))
        })
        .count();
    g.bench_function("two words, since a date", |b| {
        let mut req = SearchRequest::new("Iravani Musk");
        req.filters.since = Some(since);
        b.iter(|| {
            let r = engine.search(black_box(&req)).unwrap();
            assert_eq!(r.summary.articles as usize, expect);
        })
    });
    g.finish();
}

criterion_group!(benches, analysis, indexing, searching);
criterion_main!(benches);
