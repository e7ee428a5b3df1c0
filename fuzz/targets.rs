//! What each fuzz target checks, shared by the cargo-fuzz targets (`fuzz/fuzz_targets/`) and by
//! `cargo test`, which runs every kept input (`fuzz/seeds/`, `fuzz/regressions/`) through
//! the same function. Each function panics when byline breaks a promise on that input: a
//! panic in byline itself, an internal error where a clear refusal is due, an offset that does
//! not point into the text.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use byline::ingest::furniture::Repeats;
use byline::ingest::metadata::parse_folder_metadata;
use byline::ingest::{clean, decode_text, detect_language, records, RawArticle};
use byline::{analysis, passage, Engine, Error, SearchRequest};

/// A target: checks byline on one input.
pub type Target = fn(&[u8]);

/// The targets, by name, as `fuzz/run.sh` and the regression test know them.
pub const TARGETS: &[(&str, Target)] = &[
    ("query", query),
    ("http_query", http_query),
    ("article", article),
    ("metadata", metadata),
    ("records", records),
];

/// The repository's root (this file is built from the repository and from `fuzz/`, whose
/// own `seeds/` holds fuzz inputs, not articles).
fn root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    if here.join("fuzz/targets.rs").is_file() {
        here.to_path_buf()
    } else {
        here.join("..")
    }
}

/// The repository's seed articles.
fn seeds() -> PathBuf {
    root().join("seeds")
}

/// An engine over the seeds and one article in each language byline stems
/// (`fuzz/languages.jsonl`), so every query is analysed by every stemmer; built once per
/// process in a temporary folder.
fn engine() -> Arc<Engine> {
    static ENGINE: OnceLock<Arc<Engine>> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            let dir = std::env::temp_dir().join(format!("byline-fuzz-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            let languages = root().join("fuzz/languages.jsonl");
            let store = byline::Store::open_or_create(&dir).expect("fuzz index folder");
            let options = byline::IndexOptions {
                paths: vec![seeds(), languages],
                ..byline::IndexOptions::default()
            };
            let report = byline::index(&store, &options, &mut |s| panic!("{s}")).expect("index");
            assert_eq!(report.articles, 5 + 18);
            Arc::new(Engine::open(&dir).expect("seed engine"))
        })
        .clone()
}

/// Fails when a stemmer failed somewhere other than a known site
/// ([`analysis::stem::KNOWN_SITES`]): the guard kept byline up, but that is a new bug in
/// rust-stemmers, to be listed with its word.
fn only_known_stem_failures() {
    for failed in analysis::stem::take_thread_failures() {
        assert!(
            analysis::stem::is_known(&failed),
            "the {} stemmer fails at a new place, {}, on {:?}",
            failed.lang,
            failed.site,
            failed.word
        );
    }
}

/// Query parsing and search over the seed index. The first byte picks the options; the rest
/// is the query. A search either answers, with passages that are the article's text at their
/// offsets and highlights inside them, or refuses with a query or argument error.
pub fn query(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let mut request = SearchRequest::new(String::from_utf8_lossy(rest));
    request.exact = flags & 1 != 0;
    request.all_words = flags & 2 != 0;
    request.passages = 1 + (flags as usize >> 2 & 3);
    if flags & 16 != 0 {
        request.facets = vec!["outlet".into(), "person".into()];
    }
    let engine = engine();
    analysis::stem::take_thread_failures();
    let searched = engine.search(&request);
    only_known_stem_failures();
    match searched {
        Ok(results) => {
            for hit in &results.hits {
                let text = engine
                    .article(&hit.article.id)
                    .expect("a hit's article")
                    .text;
                for p in &hit.passages {
                    assert_eq!(text.get(p.start..p.end), Some(p.text.as_str()));
                    for h in &p.highlights {
                        assert!(h.start < h.end && p.text.get(h.start..h.end).is_some());
                    }
                }
            }
        }
        Err(Error::Query(_) | Error::InvalidArgument(_)) => {}
        Err(e) => panic!("query {:?}: {e}", request.query),
    }
}

/// The HTTP service over the seed index. The first byte picks the route; the rest is the query
/// string (or the article id). Every answer has a documented status, never 500, and every
/// error is the JSON error document.
pub fn http_query(data: &[u8]) {
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    static ROUTER: OnceLock<axum::Router> = OnceLock::new();
    let Some((&route, rest)) = data.split_first() else {
        return;
    };
    let rest = String::from_utf8_lossy(rest);
    let uri = match route % 4 {
        0 => format!("/search?{rest}"),
        1 => format!("/facets?{rest}"),
        2 => format!("/entities?{rest}"),
        _ => format!("/articles/{rest}"),
    };
    // What the HTTP library refuses to parse never reaches byline.
    let Ok(request) = Request::get(uri.as_str()).body(Body::empty()) else {
        return;
    };
    let runtime = RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
    });
    let router = ROUTER
        .get_or_init(|| byline::server::router(engine(), byline::server::ServerOptions::default()));
    runtime.block_on(async {
        let response = router.clone().oneshot(request).await.expect("infallible");
        let status = response.status();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        assert!(
            [
                StatusCode::OK,
                StatusCode::BAD_REQUEST,
                StatusCode::NOT_FOUND,
                StatusCode::URI_TOO_LONG,
            ]
            .contains(&status),
            "{uri}: {status}"
        );
        if status != StatusCode::OK {
            let doc: serde_json::Value = serde_json::from_slice(&body).expect("a JSON error");
            assert!(doc["error"]["code"].is_string(), "{uri}: {doc}");
        }
    });
}

/// Arbitrary bytes as an article file: decoded or refused, then cleaned, its language
/// detected, split into passages, each analysed as indexing analyses it (every registered
/// analyzer, [`analysis::registered`]) and as queries cut it ([`analysis::exact`]), and
/// searched for entities, with every offset inside the text on char boundaries.
pub fn article(data: &[u8]) {
    let Ok(text) = decode_text(data.to_vec(), "fuzz.txt") else {
        return;
    };
    let raw = RawArticle {
        id: "fuzz".into(),
        origin: "fuzz.txt".into(),
        source: Default::default(),
        text,
        meta: Default::default(),
        warnings: Vec::new(),
    };
    let mut article = clean(raw, &Repeats::default());
    detect_language(&mut article);
    let text = &article.text;
    let inside = |r: &std::ops::Range<usize>| r.start <= r.end && text.get(r.clone()).is_some();
    for f in &article.furniture {
        assert!(inside(&(f.start..f.end)), "furniture {f:?}");
    }
    let ranges = passage::split(text, &article.paragraphs);
    // The stemmed field's indexing analyzer in the article's language where it is stemmed,
    // else in one of the 18 stemmed languages picked by the input's length (so the fuzzer
    // reaches each one; all 18 per input ran 13x slower).
    let stemmed_langs: Vec<&str> = byline::lang::codes()
        .filter(|c| byline::lang::stemmer(c).is_some())
        .collect();
    let detected = article.meta.lang.as_ref().map(|l| l.value.as_str());
    let lang = detected
        .and_then(|d| stemmed_langs.iter().copied().find(|c| *c == d))
        .unwrap_or(stemmed_langs[data.len() % stemmed_langs.len()]);
    let mut analyzers = registered_analyzers();
    analyzers.push(("query", analysis::exact()));
    analysis::stem::take_thread_failures();
    let mut last = 0;
    for r in &ranges {
        assert!(inside(r) && r.start >= last, "passage {r:?}");
        last = r.end;
        let body = &text[r.clone()];
        // As the indexer gives each field its value; the stemmed field's offsets count from
        // after the language mark, so they too point into the passage.
        let stemmed_value = analysis::stemmed_value(lang, body);
        for (name, a) in &mut analyzers {
            let value = if *name == analysis::STEMMED {
                &stemmed_value
            } else {
                body
            };
            for (_, at) in analysis::terms(a, value) {
                assert!(body.get(at.clone()).is_some(), "{name} token at {at:?}");
            }
        }
    }
    only_known_stem_failures();
    let gazetteer = gazetteer();
    for found in byline::entities::extract::find(text, &article.paragraphs, gazetteer) {
        assert!(inside(&found.range), "entity {found:?}");
    }
}

/// The analyzers indexing registers, by name, made once (the stemmed field's builds every
/// language's stemmer).
fn registered_analyzers() -> Vec<(&'static str, analysis::TextAnalyzer)> {
    static REGISTERED: OnceLock<Vec<(&'static str, analysis::TextAnalyzer)>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| analysis::registered().into())
        .clone()
}

fn gazetteer() -> &'static byline::entities::Gazetteer {
    static GAZETTEER: OnceLock<byline::entities::Gazetteer> = OnceLock::new();
    GAZETTEER.get_or_init(byline::entities::Gazetteer::builtin)
}

/// Arbitrary bytes as a folder's `metadata.toml`: entries or problems, never a panic; an entry
/// always names its file, and a problem says where and why.
pub fn metadata(data: &[u8]) {
    let parsed = parse_folder_metadata(data.to_vec(), "metadata.toml");
    for (name, entry) in &parsed.entries {
        assert!(!name.trim().is_empty() && entry.file.as_deref() == Some(name.as_str()));
    }
    for (at, why) in &parsed.problems {
        assert!(at.starts_with("metadata.toml") && !why.is_empty());
    }
}

/// Arbitrary bytes as a JSON Lines file: each line an article with an id and text, or a
/// skip naming its line.
pub fn records(data: &[u8]) {
    records::read_from(data, "fuzz.jsonl", &mut |r| match r {
        Ok(raw) => {
            assert!(!raw.id.trim().is_empty() && !raw.text.trim().is_empty());
            assert!(raw.origin.starts_with("fuzz.jsonl:"));
        }
        Err(skip) => assert!(skip.origin.starts_with("fuzz.jsonl:"), "{skip}"),
    });
}
