//! Saved searches and alerts: a run reports exactly the matching articles indexed since the
//! alert's last run; the first run only sets the mark; filters and matching options are kept;
//! a broken alert is reported and the others still run.

use serde_json::Value;

use crate::util::{folder, TestIndex};

const NEW: &str = "Iran's envoy Amir Saeid Iravani met business leaders again in New York on \
    Tuesday, officials said. The meeting followed earlier talks and both sides described it as \
    constructive, agreeing to meet next month to continue the discussion.";
const OTHER: &str = "A cold front brought heavy rain to the coast on Monday. Farmers said the \
    harvest would be late this year, and the weather service expects more storms.";

fn alert_records(records: &[Value]) -> Vec<&Value> {
    records.iter().filter(|r| r["type"] == "alert").collect()
}

fn hits_of<'a>(records: &'a [Value], alert: &str) -> Vec<&'a str> {
    records
        .iter()
        .filter(|r| r["type"] == "hit" && r["alert"] == alert)
        .map(|r| r["id"].as_str().unwrap())
        .collect()
}

#[test]
fn a_run_reports_what_was_indexed_since_the_last_run_and_only_that() {
    let idx = TestIndex::seeds();
    let add = idx.run(&["alerts", "add", "iravani", "Iravani"]);
    assert_eq!(add.code, 0, "{}", add.stderr);
    // Same query, held to German articles: the new English one is not for it.
    let add = idx.run(&["alerts", "add", "German", "Iravani", "--lang", "de"]);
    assert_eq!(add.code, 0, "{}", add.stderr);
    let taken = idx.run(&["alerts", "add", "IRAVANI", "Musk"]);
    assert_eq!(taken.code, 2);
    assert!(
        taken.stderr.contains("an alert named \"iravani\" exists"),
        "{}",
        taken.stderr
    );

    // The first run sets the mark and reports nothing, saying how many match today.
    let first = idx.run(&["alerts", "run", "--json"]);
    assert_eq!(first.code, 1, "{}", first.stderr);
    let records = first.records();
    let alerts = alert_records(&records);
    assert_eq!(alerts.len(), 2);
    assert_eq!(alerts[0]["name"], "iravani");
    assert_eq!(alerts[0]["first_run"], true);
    assert_eq!(alerts[0]["matching_now"], 4);
    assert_eq!(alerts[0]["articles"], 0);
    assert_eq!(alerts[0]["previous_run"], Value::Null);
    assert_eq!(alerts[1]["matching_now"], 0);
    assert!(hits_of(&records, "iravani").is_empty());

    // One new matching article and one that does not match.
    let more = folder(&[
        ("envoy_again.txt", NEW.as_bytes()),
        ("weather.txt", OTHER.as_bytes()),
    ]);
    let run = idx.index(&[more.path().to_path_buf()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let second = idx.run(&["alerts", "run", "--json"]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    let records = second.records();
    assert_eq!(hits_of(&records, "iravani"), ["envoy_again"]);
    assert!(hits_of(&records, "German").is_empty());
    let alerts = alert_records(&records);
    assert_eq!(alerts[0]["first_run"], false);
    assert_eq!(alerts[0]["articles"], 1);
    assert!(alerts[0]["previous_run"].as_str().unwrap().ends_with('Z'));
    assert_eq!(alerts[1]["articles"], 0);
    // The hit is a search hit: its passage, offsets and what matched.
    let hit = records.iter().find(|r| r["type"] == "hit").unwrap();
    let p = &hit["passages"][0];
    assert_eq!(p["highlights"][0]["start"], 24);
    assert_eq!(p["highlights"][0]["end"], 31);

    // Nothing indexed since: nothing reported.
    let third = idx.run(&["alerts", "run", "iravani"]);
    assert_eq!(third.code, 1, "{}", third.stderr);
    assert!(
        third
            .stdout
            .starts_with("alert \"iravani\" (Iravani): 0 new articles since "),
        "{}",
        third.stdout
    );

    // Indexing the same files again writes nothing new; a changed article is new again.
    idx.index(&[more.path().to_path_buf()]);
    assert_eq!(idx.run(&["alerts", "run", "iravani"]).code, 1);
    std::fs::write(
        more.path().join("envoy_again.txt"),
        format!("{NEW} A spokesman confirmed the date."),
    )
    .unwrap();
    idx.index(&[more.path().to_path_buf()]);
    let changed = idx.run(&["alerts", "run", "iravani"]);
    assert_eq!(changed.code, 0, "{}", changed.stderr);
    assert!(changed.stdout.contains("1 new article since"));
    assert!(
        changed.stdout.contains("\n1. envoy_again "),
        "{}",
        changed.stdout
    );

    // The list shows both, with their options and marks.
    let list = idx.run(&["alerts", "list"]);
    assert_eq!(list.code, 0);
    let lines: Vec<&str> = list.stdout.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(
        lines[0].starts_with("iravani  \"Iravani\"  added "),
        "{}",
        lines[0]
    );
    assert!(lines[1].starts_with("German  \"Iravani\"  --lang de  added "));
    let defs = idx.run(&["alerts", "list", "--json"]).records();
    assert_eq!(defs[1]["type"], "alert_def");
    assert_eq!(
        defs[1]["search"],
        serde_json::json!({"query": "Iravani", "langs": ["de"]})
    );

    let gone = idx.run(&["alerts", "remove", "german"]);
    assert_eq!(gone.code, 0);
    assert!(gone.stderr.contains("alert \"German\" removed"));
    let unknown = idx.run(&["alerts", "run", "German"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown
            .stderr
            .contains("no alert named \"German\"; there are: iravani"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn a_broken_alert_is_reported_and_the_others_still_run() {
    let idx = TestIndex::seeds();
    assert_eq!(idx.run(&["alerts", "list"]).code, 1);
    assert_eq!(idx.run(&["alerts", "add", "a", "Iravani"]).code, 0);
    assert_eq!(idx.run(&["alerts", "add", "b", "Musk"]).code, 0);
    // Edited by hand into something that no longer reads.
    let file = idx.path().join("alerts.json");
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text.replacen(
        r#""query": "Iravani""#,
        r#""query": "Iravani", "since": "last week""#,
        1,
    );
    assert_ne!(edited, text);
    std::fs::write(&file, edited).unwrap();
    let run = idx.run(&["alerts", "run", "--json"]);
    assert_eq!(run.code, 2);
    let records = run.records();
    assert_eq!(records[0]["type"], "error");
    assert_eq!(records[0]["alert"], "a");
    assert!(records[0]["message"]
        .as_str()
        .unwrap()
        .contains("\"last week\" is not a valid since date"));
    assert_eq!(records[1]["type"], "alert");
    assert_eq!(records[1]["name"], "b");
    assert_eq!(records[1]["first_run"], true);
    // The broken one kept no mark; the other did.
    let defs = idx.run(&["alerts", "list", "--json"]).records();
    assert_eq!(defs[0]["last_run"], Value::Null);
    assert_eq!(defs[1]["last_run"]["batch"], 1);

    std::fs::write(&file, "{not json").unwrap();
    let run = idx.run(&["alerts", "list"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("alerts.json: not an alerts file"),
        "{}",
        run.stderr
    );
    let bad = idx.run(&["alerts", "add", "x\u{7}y", "Iravani"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("an alert name is 1 to 100 characters"));
}

#[test]
fn each_commit_numbers_the_articles_it_writes() {
    let idx = TestIndex::seeds();
    let store = byline::Store::open(idx.path()).unwrap();
    assert_eq!(store.batch().unwrap(), 1);
    let more = folder(&[("a.txt", NEW.as_bytes()), ("b.txt", OTHER.as_bytes())]);
    // One article per commit: two commits, the next numbers.
    let run = idx.run(&[
        "index",
        "--commit-every",
        "1",
        more.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(store.batch().unwrap(), 4);
    let engine = byline::Engine::open(idx.path()).unwrap();
    let mut req = byline::SearchRequest::new("Iravani OR rain OR Musk");
    req.limit = 20;
    for (batches, want) in [(1..=1, 5), (2..=3, 2), (2..=2, 1), (4..=9, 0)] {
        req.filters.batches = Some(batches.clone());
        let found = engine.search(&req).unwrap().summary.articles;
        assert_eq!(found, want, "batches {batches:?}");
    }
}

#[test]
fn kept_results_answer_the_same_search_until_the_index_changes() {
    // A server keeps recent results (serve --result-cache); a commit must never leave it
    // answering from before the commit.
    let idx = TestIndex::seeds();
    let mut engine = byline::Engine::open(idx.path()).unwrap();
    engine.keep_results(8);
    let req = byline::SearchRequest::new("Iravani");
    let ids = |r: &byline::SearchResults| -> Vec<String> {
        r.hits.iter().map(|h| h.article.id.clone()).collect()
    };
    let first = engine.search(&req).unwrap();
    let again = engine.search(&req).unwrap();
    assert_eq!(ids(&again), ids(&first));
    assert_eq!(again.summary.articles, first.summary.articles);
    assert!(!ids(&first).contains(&"envoy_again".to_string()));

    let more = folder(&[("envoy_again.txt", NEW.as_bytes())]);
    let run = idx.index(&[more.path().to_path_buf()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    engine.refresh().unwrap();
    let after = engine.search(&req).unwrap();
    assert_eq!(after.summary.articles, first.summary.articles + 1);
    assert!(ids(&after).contains(&"envoy_again".to_string()));
}
