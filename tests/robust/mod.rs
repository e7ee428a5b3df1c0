//! Real scraped input never breaks a run: words a stemmer cannot read, metadata as scrapers
//! write it, record files of every common shape, and hostile files.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::util::{folder, TestIndex};

/// A real Greek word form that makes rust-stemmers 1.2.0's Greek stemmer panic (Snowball
/// issue #204), in a real-looking Greek sentence.
const GREEK: &str = "Η λέξη ισαισα εμφανίζεται στο κείμενο της πολιτικής ανάλυσης.\n\
                     Η κυβέρνηση ανακοίνωσε νέα μέτρα για την οικονομία.\n";

#[tokio::test]
async fn a_word_that_panics_a_stemmer_is_indexed_and_searched_unstemmed() {
    let mut files: Vec<(String, Vec<u8>)> = (0..40)
        .map(|i| {
            (
                format!("en{i:02}.txt"),
                format!("Article {i} on the ministers' meeting about sanctions.\n").into_bytes(),
            )
        })
        .collect();
    files.push(("greek.txt".into(), GREEK.as_bytes().to_vec()));
    let files: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let dir = folder(&files);
    let idx = TestIndex {
        dir: tempfile::tempdir().unwrap(),
    };
    let run = idx.index(&[dir.path().to_path_buf()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = &run.records()[0];
    assert_eq!(report["articles"], 41);
    assert_eq!(
        report["warnings"][0],
        "a stemmer failed on 1 word occurrence(s), indexed unstemmed: Greek \"ισαισα\""
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);

    let found = idx.search("ισαισα", &[]);
    assert_eq!(found.code, 0, "{}", found.stderr);
    assert_eq!(found.hit_ids(), ["greek"]);
    let summary = found.records().pop().unwrap();
    assert_eq!(
        summary["warnings"][0],
        "the Greek stemmer cannot read \"ισαισα\": searched unstemmed"
    );
    assert!(!found.stderr.contains("panicked"), "{}", found.stderr);
    // Other Greek words are still stemmed: the genitive finds the article by its stem.
    assert_eq!(idx.search("πολιτική", &[]).hit_ids(), ["greek"]);

    let app = byline::server::router(
        Arc::new(byline::Engine::open(idx.path()).unwrap()),
        byline::server::ServerOptions::default(),
    );
    let response = app
        .oneshot(
            Request::get("/search?q=%CE%B9%CF%83%CE%B1%CE%B9%CF%83%CE%B1")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["hits"][0]["id"], "greek");
}
