//! Timelines of the seeds: counts per day, week and month for several queries side by side,
//! with the index's own count per bucket and the undated ones last; the same over HTTP.

use axum::http::StatusCode;

use crate::util::{http_app, http_get, shared_seeds};

#[test]
fn musk_and_iravani_by_day_week_and_month() {
    let seeds = shared_seeds();
    let run = seeds.run(&["timeline", "Musk", "Iravani", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let records = run.records();
    // Two seeds are dated 2024-11-15, both print both names; three are undated.
    let buckets: Vec<(String, u64, u64, u64)> = records
        .iter()
        .filter(|r| r["type"] == "bucket")
        .map(|r| {
            (
                r["bucket"].as_str().unwrap().to_string(),
                r["articles"].as_u64().unwrap(),
                r["counts"][0]["articles"].as_u64().unwrap(),
                r["counts"][1]["articles"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        buckets,
        [
            ("2024-11-15".to_string(), 2, 2, 2),
            ("unknown".to_string(), 3, 3, 2)
        ]
    );
    assert_eq!(records[1]["counts"][1]["share"], 2.0 / 3.0);
    let summary = records.last().unwrap();
    assert_eq!(summary["type"], "timeline");
    assert_eq!(summary["totals"], serde_json::json!([5, 4]));
    let week = seeds.run(&["timeline", "Iravani", "--by", "week", "--format", "csv"]);
    assert_eq!(
        week.stdout,
        "bucket,articles,Iravani,Iravani share\n2024-W46,2,2,1.0000\nunknown,3,2,0.6667\n"
    );
    let text = seeds.run(&["timeline", "Musk", "--by", "month"]);
    assert_eq!(
        text.stdout.lines().nth(1).unwrap(),
        "2024-11         2  2 (100.0%)"
    );
    let none = seeds.run(&["timeline", "Nobodyatall"]);
    assert_eq!(none.code, 1);
    let bad = seeds.run(&["timeline", "Musk", "--by", "year"]);
    assert_eq!(bad.code, 2);
    assert!(bad
        .stderr
        .contains("by must be day, week or month, not \"year\""));
}

#[tokio::test]
async fn http_timeline_takes_repeated_queries() {
    let app = http_app(shared_seeds());
    let (status, body) = http_get(&app, "/timeline?q=Musk&q=Iravani&by=day").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["queries"], serde_json::json!(["Musk", "Iravani"]));
    assert_eq!(body["buckets"][0]["bucket"], "2024-11-15");
    assert_eq!(body["buckets"][0]["counts"], serde_json::json!([2, 2]));
    let (status, body) = http_get(&app, "/timeline?q=Musk&by=year").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["error"]["message"],
        "by must be day, week or month, not \"year\""
    );
}
