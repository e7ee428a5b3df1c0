//! Copies: one agency story run by three outlets (verbatim with a dateline and a link line,
//! and with its last paragraph rewritten), another story on the same man by one of them, and a
//! one-line brief. Which articles are copies, which is the original, how search collapses
//! them, and that clusters hold when articles come later or go.

use std::path::{Path, PathBuf};

use axum::http::StatusCode;
use serde_json::Value;

use crate::util::{folder, http_app, http_get, TestIndex};

fn articles() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/copies/articles")
}

fn hits(run: &crate::util::Run) -> Vec<Value> {
    run.records()
        .into_iter()
        .filter(|r| r["type"] == "hit")
        .collect()
}

fn ids(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect()
}

#[test]
fn search_shows_one_hit_per_story_and_says_who_else_ran_it() {
    let idx = TestIndex::of(&[articles()]);
    let run = idx.search("Navalny prison", &[]);
    let found = hits(&run);
    let shown: Vec<&str> = found.iter().map(|h| h["id"].as_str().unwrap()).collect();
    // The three copies score alike; one stands for them, the rest are under it.
    assert_eq!(shown, ["brief", "reprint", "funeral"]);
    let story = &found[1];
    assert_eq!(story["copies"], 2);
    // Earliest first, the undated one last.
    assert_eq!(ids(&story["also_in"]), ["agency", "rewrite"]);
    assert_eq!(story["also_in"][0]["outlet"], "Agency Wire");
    assert_eq!(story["also_in"][0]["date"], "2024-02-16");
    assert_eq!(story["also_in"][1]["date"], Value::Null);
    assert_eq!(
        (&found[0]["copies"], &found[2]["copies"]),
        (&0.into(), &0.into())
    );
    let summary = run.records().pop().unwrap();
    assert_eq!(
        (
            &summary["articles"],
            &summary["stories"],
            &summary["collapse"]
        ),
        (&5.into(), &3.into(), &true.into())
    );
    let text = idx.run(&["search", "Navalny prison"]);
    assert!(
        text.stdout
            .contains("also in 2: Agency Wire (2024-02-16), Evening Herald (date unknown)"),
        "{}",
        text.stdout
    );
    assert!(
        text.stderr
            .contains("5 articles (3 stories, one hit each), 8 passages matched"),
        "{}",
        text.stderr
    );
    // Every article, on request: still saying where else each ran.
    let every = idx.search("Navalny prison", &["--no-collapse"]);
    assert_eq!(
        every.hit_ids(),
        ["brief", "reprint", "agency", "rewrite", "funeral"]
    );
    assert_eq!(ids(&hits(&every)[2]["also_in"]), ["reprint", "rewrite"]);
    assert_eq!(every.records().pop().unwrap()["collapse"], false);
}

#[test]
fn a_page_past_the_first_counts_stories() {
    let idx = TestIndex::of(&[articles()]);
    let second = idx.search("Navalny prison", &["--limit", "1", "--offset", "1"]);
    assert_eq!(second.hit_ids(), ["reprint"]);
    let third = idx.search("Navalny prison", &["--limit", "1", "--offset", "2"]);
    assert_eq!(third.hit_ids(), ["funeral"]);
    let past = idx.search("Navalny prison", &["--limit", "1", "--offset", "3"]);
    assert_eq!((past.code, past.hit_ids().len()), (1, 0));
}

#[test]
fn copies_lists_the_cluster_with_the_original_and_how_close_each_is() {
    let idx = TestIndex::of(&[articles()]);
    let run = idx.run(&["copies", "rewrite", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let record = &run.records()[0];
    assert_eq!(record["type"], "copies");
    assert_eq!(record["original"], "agency");
    assert_eq!(record["cluster"].as_str().unwrap().len(), 16);
    assert_eq!(ids(&record["copies"]), ["agency", "reprint"]);
    // The rewrite shares its first three paragraphs of four with each.
    for copy in record["copies"].as_array().unwrap() {
        let containment = copy["containment"].as_f64().unwrap();
        assert!((0.75..0.85).contains(&containment), "{copy}");
    }
    let text = idx.run(&["copies", "reprint"]);
    assert_eq!(
        text.stdout.lines().next().unwrap(),
        "reprint: 2 other articles print its text; the original is agency"
    );
    // Another story on the same man, and a text too short to judge, copy nothing: exit 1.
    for id in ["funeral", "brief"] {
        let run = idx.run(&["copies", id, "--json"]);
        assert_eq!(run.code, 1, "{id}");
        assert_eq!(run.records()[0]["copies"], Value::Array(vec![]));
    }
    let missing = idx.run(&["copies", "nope"]);
    assert_eq!(missing.code, 1);
    assert!(missing.stderr.contains("no article with id \"nope\""));
    let shown = idx.run(&["show", "rewrite", "--json"]);
    let article = &shown.records()[0];
    assert_eq!(
        (&article["original"], &article["copies"]),
        (&"agency".into(), &2.into())
    );
    assert_eq!(ids(&article["also_in"]), ["agency", "reprint"]);
    let shown = idx.run(&["show", "rewrite"]);
    assert!(shown.stdout.contains(
        "copies:  also in 2: Agency Wire (2024-02-16), Daily Times (2024-02-17); the original is agency"
    ));
}

/// The feed's records, as separate one-line files.
fn record(id: &str) -> String {
    let feed = std::fs::read_to_string(articles().join("feed.jsonl")).unwrap();
    feed.lines()
        .find(|l| l.contains(&format!("\"id\": \"{id}\"")))
        .unwrap()
        .to_string()
}

#[test]
fn later_articles_join_the_cluster_and_a_deleted_original_passes_it_on() {
    let first = format!("{}\n{}\n", record("agency"), record("funeral"));
    let later = format!("{}\n{}\n", record("reprint"), record("rewrite"));
    let dir = folder(&[("first.jsonl", first.as_bytes())]);
    let idx = TestIndex::of(&[dir.path().to_path_buf()]);
    let more = folder(&[("later.jsonl", later.as_bytes())]);
    assert_eq!(idx.index(&[more.path().to_path_buf()]).code, 0);
    let run = idx.run(&["copies", "agency", "--json"]);
    assert_eq!(ids(&run.records()[0]["copies"]), ["reprint", "rewrite"]);
    // Committed one by one, the same.
    let one_by_one = TestIndex::of(&[]);
    for id in ["agency", "funeral", "reprint", "rewrite"] {
        let f = folder(&[("one.jsonl", format!("{}\n", record(id)).as_bytes())]);
        assert_eq!(one_by_one.index(&[f.path().to_path_buf()]).code, 0);
    }
    let run = one_by_one.run(&["copies", "rewrite", "--json"]);
    assert_eq!(ids(&run.records()[0]["copies"]), ["agency", "reprint"]);
    // The original goes: the others stay one story, and the earliest left is the original.
    assert_eq!(idx.run(&["delete", "agency"]).code, 0);
    let run = idx.run(&["copies", "rewrite", "--json"]);
    let record = &run.records()[0];
    assert_eq!(ids(&record["copies"]), ["reprint"]);
    assert_eq!(record["original"], "reprint");
    let search = idx.search("Navalny prison", &[]);
    assert_eq!(search.records().pop().unwrap()["stories"], 2);
}

#[tokio::test]
async fn http_collapses_unless_asked_not_to() {
    let idx = TestIndex::of(&[articles()]);
    let app = http_app(&idx);
    let get = |uri| http_get(&app, uri);
    let (status, body) = get("/search?q=Navalny+prison").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["hits"].as_array().unwrap().len(), 3);
    assert_eq!(body["hits"][1]["copies"], 2);
    let (_, body) = get("/search?q=Navalny+prison&collapse=false").await;
    assert_eq!(body["hits"].as_array().unwrap().len(), 5);
    let (status, body) = get("/search?q=Navalny+prison&collapse=maybe").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["error"]["message"],
        "collapse must be true or false, not \"maybe\""
    );
    let (_, body) = get("/articles/reprint").await;
    assert_eq!(
        (&body["original"], &body["copies"]),
        (&"agency".into(), &2.into())
    );
}

/// A server keeps each article's key, cluster and date in memory (`Engine::keep_layouts`);
/// every way a search reads them (the pruned path, facets, date order, collapsed or not)
/// must answer as the columns do.
#[test]
fn articles_columns_kept_in_memory_answer_as_the_columns_do() {
    let idx = TestIndex::of(&[articles(), crate::util::seeds()]);
    let columns = byline::Engine::open(idx.path()).unwrap();
    let kept = byline::Engine::open(idx.path()).unwrap();
    kept.keep_layouts().unwrap();
    let request = |q: &str, f: &dyn Fn(&mut byline::SearchRequest)| {
        let mut req = byline::SearchRequest::new(q);
        f(&mut req);
        req
    };
    let cases = [
        request("Navalny prison", &|_| {}),
        request("Navalny prison", &|r| r.collapse = false),
        request("Navalny prison", &|r| r.facets = vec!["outlet".into()]),
        request("Navalny prison", &|r| {
            r.sort = byline::search::Sort::NewestFirst
        }),
        request("Musk Iravani", &|r| r.sort = byline::search::Sort::Date),
        request("Iravani", &|r| r.offset = 1),
    ];
    let page = |r: &byline::search::SearchResults| {
        let ids: Vec<String> = r.hits.iter().map(|h| h.article.id.clone()).collect();
        let copies: Vec<usize> = r.hits.iter().map(|h| h.copies).collect();
        (ids, copies, r.summary.articles, r.summary.stories)
    };
    let mut pages = Vec::new();
    for req in &cases {
        let (a, b) = (columns.search(req).unwrap(), kept.search(req).unwrap());
        assert_eq!(page(&a), page(&b), "{}", req.query);
        assert_eq!(a.summary.facets, b.summary.facets, "{}", req.query);
        pages.push(page(&b));
    }
    // The values themselves: one hit per story, the copies under it, dates in order.
    let ids = |i: usize| pages[i].0.clone();
    assert_eq!(ids(0), ["brief", "reprint", "funeral"]);
    assert_eq!(
        (pages[0].1.clone(), pages[0].2, pages[0].3),
        (vec![0, 2, 0], 5, 3)
    );
    assert_eq!(ids(1), ["brief", "reprint", "agency", "rewrite", "funeral"]);
    assert_eq!(ids(3)[0], "funeral");
}
