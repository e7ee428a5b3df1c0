//! Sorting by date: oldest or newest first, undated last, relevance breaking ties, stable
//! across pages, with collapse and facets; on the copies fixture (tests/copies/articles: two
//! articles of 2024-02-16, one of 02-17, one of 03-01, one undated).

use std::path::Path;

use crate::util::TestIndex;

fn index() -> TestIndex {
    TestIndex::of(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/copies/articles")])
}

#[test]
fn date_orders_oldest_or_newest_first_with_undated_last_and_relevance_breaking_ties() {
    let idx = index();
    let every = |sort: &str| {
        idx.search("Navalny", &["--sort", sort, "--no-collapse"])
            .hit_ids()
    };
    // brief and agency share 2024-02-16: the one-line brief is the better match for the name.
    assert_eq!(
        every("date"),
        ["brief", "agency", "reprint", "funeral", "rewrite"]
    );
    assert_eq!(
        every("-date"),
        ["funeral", "reprint", "brief", "agency", "rewrite"]
    );
    let relevance = idx.search("Navalny", &["--no-collapse"]).hit_ids();
    assert_eq!(every("relevance"), relevance);
    // Collapsed, a story stands at its first member in that order.
    let stories = idx.search("Navalny", &["--sort", "date"]);
    assert_eq!(stories.hit_ids(), ["brief", "agency", "funeral"]);
    let summary = stories.records().pop().unwrap();
    assert_eq!(summary["sort"], "date");
    // Pages follow the same order.
    let page = |offset: &str| {
        idx.search(
            "Navalny",
            &[
                "--sort",
                "-date",
                "--no-collapse",
                "--limit",
                "2",
                "--offset",
                offset,
            ],
        )
        .hit_ids()
    };
    assert_eq!([page("0"), page("2"), page("4")].concat(), every("-date"));
    // With facets the order is the same.
    let faceted = idx.search(
        "Navalny",
        &["--sort", "date", "--no-collapse", "--facets", "outlet"],
    );
    assert_eq!(faceted.hit_ids(), every("date"));
}

#[test]
fn a_bad_sort_is_refused_with_the_choices() {
    let idx = index();
    let run = idx.run(&["search", "Navalny", "--sort", "oldest"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("sort must be relevance, date or -date, not \"oldest\""),
        "{}",
        run.stderr
    );
}

#[tokio::test]
async fn http_sorts_by_date_and_refuses_other_orders() {
    use axum::http::StatusCode;

    let idx = index();
    let app = crate::util::http_app(&idx);
    let get = |uri| crate::util::http_get(&app, uri);
    let (status, body) = get("/search?q=Navalny&sort=-date&collapse=false").await;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<&str> = body["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["funeral", "reprint", "brief", "agency", "rewrite"]);
    assert_eq!(body["summary"]["sort"], "-date");
    let (status, body) = get("/search?q=Navalny&sort=newest").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["error"]["message"],
        "sort must be relevance, date or -date, not \"newest\""
    );
}
