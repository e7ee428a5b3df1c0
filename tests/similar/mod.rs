//! Similar articles: the seeds (all five on Musk's meeting with Iran's UN envoy) are each
//! other's closest, an unrelated article comes after them, and a copy is set apart.

use axum::http::StatusCode;

use crate::util::{folder, http_app, http_get, seed, set, TestIndex, S000, S001, S002, S003, S004};

fn corpus() -> TestIndex {
    let weather = b"A cold front brought heavy rain to the coast on Monday. Farmers said the \
        harvest would be late this year, and the weather service expects more storms in the \
        north through the weekend, with flooding possible near the river."
        as &[u8];
    let copy = seed(&format!("{S000}.txt"));
    let dir = folder(&[
        (
            &format!("{S000}.txt") as &str,
            &seed(&format!("{S000}.txt")) as &[u8],
        ),
        (&format!("{S001}.txt"), &seed(&format!("{S001}.txt"))),
        (&format!("{S002}.txt"), &seed(&format!("{S002}.txt"))),
        (&format!("{S003}.txt"), &seed(&format!("{S003}.txt"))),
        (&format!("{S004}.txt"), &seed(&format!("{S004}.txt"))),
        ("weather.txt", weather),
        ("reprint.txt", &copy),
    ]);
    TestIndex::of(&[dir.path().to_path_buf()])
}

#[tokio::test]
async fn the_meeting_seeds_come_first_and_a_copy_is_apart() {
    let idx = corpus();
    let run = idx.run(&["similar", S000, "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let records = run.records();
    let ranked: Vec<String> = records
        .iter()
        .filter(|r| r["type"] == "similar")
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        set(&ranked[..4]),
        set(&[S001, S002, S003, S004].map(String::from))
    );
    assert_eq!(ranked.get(4).map(String::as_str), Some("weather"));
    let source = records.last().unwrap();
    assert_eq!(source["type"], "source");
    assert_eq!(source["copies"], serde_json::json!(["reprint"]));
    let one = idx.run(&["similar", S000, "--limit", "1"]);
    assert_eq!(one.stdout.lines().count(), 2, "{}", one.stdout);
    assert!(one
        .stdout
        .ends_with("copies of 000_11313b6d5c106fd1 (not ranked): reprint\n"));
    let missing = idx.run(&["similar", "nope"]);
    assert_eq!(missing.code, 1);
    assert!(missing.stderr.contains("no article with id \"nope\""));

    let app = http_app(&idx);
    let (status, body) = http_get(&app, &format!("/articles/{S000}/similar?limit=2")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["similar"].as_array().unwrap().len(), 2);
    assert_eq!(body["copies"], serde_json::json!(["reprint"]));
    let (status, _) = http_get(&app, "/articles/nope/similar").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = http_get(&app, &format!("/articles/{S000}/similar?limit=0")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
