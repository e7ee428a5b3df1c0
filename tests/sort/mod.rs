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

#[test]
fn cursor_pages_walk_the_same_order_as_one_page_in_every_sort() {
    let idx = index();
    for (sort, collapse) in [
        ("relevance", false),
        ("date", false),
        ("-date", false),
        ("date", true),
    ] {
        let mut args = vec!["--sort", sort];
        if !collapse {
            args.push("--no-collapse");
        }
        let whole = idx.search("Navalny", &args).hit_ids();
        let (mut walked, mut cursor, mut ranks) = (Vec::new(), "*".to_string(), Vec::new());
        loop {
            let mut page_args = args.clone();
            page_args.extend(["--limit", "2", "--cursor", &cursor]);
            let run = idx.search("Navalny", &page_args);
            assert_eq!(run.code, 0, "{}", run.stderr);
            let records = run.records();
            walked.extend(run.hit_ids());
            ranks.extend(
                records
                    .iter()
                    .filter(|r| r["type"] == "hit")
                    .map(|r| r["rank"].as_u64().unwrap()),
            );
            let summary = records.last().unwrap();
            match summary["next_cursor"].as_str() {
                Some(next) => cursor = next.to_string(),
                None => {
                    assert!(summary["next_cursor"].is_null(), "{summary}");
                    break;
                }
            }
        }
        assert_eq!(walked, whole, "{sort} collapse {collapse}");
        assert_eq!(ranks, (1..=whole.len() as u64).collect::<Vec<_>>());
    }
    // Offset paging carries no cursor.
    let plain = idx.search("Navalny", &[]).records();
    assert!(plain.last().unwrap().get("next_cursor").is_none());
}

#[test]
fn a_cursor_from_another_search_or_with_an_offset_is_refused() {
    let idx = index();
    let first = idx.search("Navalny", &["--limit", "1", "--cursor", "*"]);
    let summary = first.records().pop().unwrap();
    let next = summary["next_cursor"].as_str().unwrap().to_string();
    let other = idx.search(
        "Navalny",
        &["--limit", "1", "--cursor", &next, "--no-collapse"],
    );
    assert_eq!(other.code, 2);
    assert!(
        other
            .stderr
            .contains("this cursor belongs to another search"),
        "{}",
        other.stderr
    );
    let both = idx.search("Navalny", &["--cursor", &next, "--offset", "1"]);
    assert_eq!(both.code, 2);
    assert!(both.stderr.contains("offset and cursor do not go together"));
    let bad = idx.search("Navalny", &["--cursor", "next"]);
    assert_eq!(bad.code, 2);
    assert!(bad
        .stderr
        .contains("cursor must be * (the first page) or a next_cursor"));
}

#[tokio::test]
async fn http_pages_by_cursor() {
    use axum::http::StatusCode;

    let idx = index();
    let app = crate::util::http_app(&idx);
    let get = |uri: String| {
        let app = app.clone();
        async move { crate::util::http_get(&app, &uri).await }
    };
    let (mut walked, mut cursor) = (Vec::<String>::new(), "*".to_string());
    loop {
        let (status, body) = get(format!(
            "/search?q=Navalny&sort=-date&collapse=false&limit=2&cursor={cursor}"
        ))
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        walked.extend(
            body["hits"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h["id"].as_str().unwrap().to_string()),
        );
        match body["summary"]["next_cursor"].as_str() {
            Some(next) => cursor = next.to_string(),
            None => break,
        }
    }
    assert_eq!(walked, ["funeral", "reprint", "brief", "agency", "rewrite"]);
    let (status, body) = get("/search?q=Navalny&cursor=zz&offset=0".into()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "bad_request");
}
