//! The JSON contract, pinned: real output must deserialize into exactly these fields
//! (`deny_unknown_fields`), for every JSON Lines record `byline` writes (`hit`, `summary`,
//! `error`, `article`, `entity`, `facets`) and every JSON body the HTTP service answers.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;
use tower::ServiceExt;

use crate::util::{seeds_engine, shared_seeds, S001, S003};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Hit {
    r#type: String,
    rank: u64,
    score: f64,
    id: String,
    outlet: Option<String>,
    outlet_source: String,
    site: Option<String>,
    date: Option<String>,
    date_source: String,
    url: Option<String>,
    title: Option<String>,
    author: Vec<String>,
    lang: String,
    lang_source: String,
    origin: String,
    headline: String,
    passages: Vec<Passage>,
    copies: u64,
    also_in: Vec<AlsoIn>,
}

/// A copy listed under a hit or an article.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct AlsoIn {
    id: String,
    outlet: Option<String>,
    site: Option<String>,
    date: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Passage {
    passage: u64,
    score: f64,
    start: u64,
    end: u64,
    text: String,
    highlights: Vec<Span>,
    matched_as: Vec<Matched>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Matched {
    word: String,
    form: String,
    how: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Span {
    start: u64,
    end: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Summary {
    r#type: String,
    query: String,
    articles: u64,
    stories: u64,
    collapse: bool,
    sort: String,
    passages: u64,
    total_exact: bool,
    returned: u64,
    offset: u64,
    limit: u64,
    exact: bool,
    elapsed_ms: f64,
    warnings: Vec<String>,
    #[serde(default)]
    facets: Option<std::collections::BTreeMap<String, Vec<FacetValue>>>,
    /// Cursor searches only.
    #[serde(default)]
    next_cursor: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct FacetValue {
    value: String,
    count: u64,
}

#[test]
fn search_json_is_exactly_the_documented_schema() {
    let idx = shared_seeds();
    let run = idx.search("Iravani", &["--passages", "2"]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 5);
    for line in &lines[..4] {
        let hit: Hit = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert_eq!(hit.r#type, "hit");
        assert!(["metadata", "text", "unknown"].contains(&hit.date_source.as_str()));
        // The seeds are English, detected from their text.
        assert_eq!(
            (hit.lang.as_str(), hit.lang_source.as_str()),
            ("en", "text")
        );
    }
    let summary: Summary = serde_json::from_str(lines[4]).unwrap();
    assert_eq!(
        (summary.r#type.as_str(), summary.articles, summary.returned),
        ("summary", 4, 4)
    );
    let with_facets = idx.search("Iravani", &["--facets", "outlet,date,person,org,place"]);
    let last = with_facets.stdout.lines().last().unwrap();
    let summary: Summary = serde_json::from_str(last).unwrap();
    let facets = summary.facets.unwrap();
    assert_eq!(
        facets.keys().collect::<Vec<_>>(),
        ["date", "org", "outlet", "person", "place"]
    );
}

/// `error`: a batch query that could not run.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Error {
    r#type: String,
    line: u64,
    query: String,
    message: String,
}

/// `article` of `byline show --json` (and, without `type`, of `GET /articles/{id}`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Article {
    r#type: String,
    id: String,
    outlet: Option<String>,
    outlet_source: String,
    site: Option<String>,
    date: Option<String>,
    date_source: String,
    url: Option<String>,
    title: Option<String>,
    author: Vec<String>,
    lang: String,
    lang_source: String,
    origin: String,
    note: Option<String>,
    extra: BTreeMap<String, Value>,
    passages: u64,
    furniture: Vec<Furniture>,
    entities: Vec<ArticleEntity>,
    text: String,
    original: String,
    copies: u64,
    also_in: Vec<AlsoIn>,
    /// Only when asked with a query.
    #[serde(default)]
    highlights: Option<Vec<Span>>,
    #[serde(default)]
    matched_as: Option<Vec<Matched>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Furniture {
    start: u64,
    end: u64,
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ArticleEntity {
    kind: String,
    name: String,
    forms: Vec<String>,
}

/// `copies` of `byline copies ID --json`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Copies {
    r#type: String,
    id: String,
    cluster: String,
    original: String,
    copies: Vec<Copy>,
}

/// One member of `copies`: an article's fields and how close it is.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Copy {
    id: String,
    outlet: Option<String>,
    outlet_source: String,
    site: Option<String>,
    date: Option<String>,
    date_source: String,
    url: Option<String>,
    title: Option<String>,
    author: Vec<String>,
    lang: String,
    lang_source: String,
    origin: String,
    containment: f64,
    jaccard: f64,
}

/// `article` of `byline articles --json`: the metadata and the passage count, no text.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ListedArticle {
    r#type: String,
    id: String,
    outlet: Option<String>,
    outlet_source: String,
    site: Option<String>,
    date: Option<String>,
    date_source: String,
    url: Option<String>,
    title: Option<String>,
    author: Vec<String>,
    lang: String,
    lang_source: String,
    origin: String,
    passages: u64,
    original: String,
    copies: u64,
}

/// `entity` of `byline entities --json` (and, without `type`, of `GET /entities`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Entity {
    r#type: String,
    kind: String,
    name: String,
    forms: Vec<String>,
    articles: u64,
}

/// `facets` of `byline facets [QUERY] --json`; `query` only when one was given.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Facets {
    r#type: String,
    #[serde(default)]
    query: Option<String>,
    articles: u64,
    facets: BTreeMap<String, Vec<FacetValue>>,
}

/// Parses `line` as `T`, saying which line failed.
fn pinned<T: DeserializeOwned>(line: &str) -> T {
    serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"))
}

/// `record` as `T` once the fields `tags` are taken out: each must be there, with the
/// value given.
fn untagged<T: DeserializeOwned>(record: &str, tags: &[(&str, Value)]) -> T {
    let mut value: Value = pinned(record);
    let map = value.as_object_mut().unwrap();
    for (key, want) in tags {
        assert_eq!(map.remove(*key).as_ref(), Some(want), "{key} in {record}");
    }
    serde_json::from_value(value).unwrap_or_else(|e| panic!("{e}: {record}"))
}

#[test]
fn batch_records_are_the_plain_ones_tagged_with_their_line_and_query() {
    let run = shared_seeds().run_with_stdin(
        &["search", "--batch", "--passages", "2"],
        "Iraq\nAND OR (\"\n",
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    let line1 = ("line", Value::from(1));
    let hit: Hit = untagged(lines[0], &[line1.clone(), ("query", Value::from("Iraq"))]);
    assert_eq!((hit.r#type.as_str(), hit.id.as_str()), ("hit", S001));
    let summary: Summary = untagged(lines[1], &[line1]);
    assert_eq!(
        (
            summary.r#type.as_str(),
            summary.query.as_str(),
            summary.articles
        ),
        ("summary", "Iraq", 1)
    );
    let error: Error = pinned(lines[2]);
    assert_eq!(
        (error.r#type.as_str(), error.line, error.query.as_str()),
        ("error", 2, "AND OR (\"")
    );
    assert!(
        error.message.starts_with("bad query: nothing in"),
        "{}",
        error.message
    );
}

#[test]
fn article_entity_and_facets_json_are_exactly_the_documented_schema() {
    let idx = shared_seeds();
    let show = idx.run(&["show", S001, "--json"]);
    assert_eq!(show.code, 0, "{}", show.stderr);
    let article: Article = pinned(show.stdout.trim_end());
    assert_eq!(
        (
            article.r#type.as_str(),
            article.id.as_str(),
            article.furniture.len()
        ),
        ("article", S001, 3)
    );
    assert!(
        article
            .entities
            .iter()
            .any(|e| e.kind == "person" && e.name == "Amir Saeid Iravani"),
        "{}",
        show.stdout
    );

    let list = idx.run(&["articles", "--json"]);
    let listed: Vec<ListedArticle> = list.stdout.lines().map(pinned).collect();
    assert_eq!(listed.len(), 5);
    assert!(listed.iter().all(|a| a.r#type == "article"));
    assert_eq!(listed[1].id, S001);

    let with_copies =
        crate::util::TestIndex::of(&[
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/copies/articles")
        ]);
    let copies = with_copies.run(&["copies", "rewrite", "--json"]);
    let group: Copies = pinned(copies.stdout.trim_end());
    assert_eq!(
        (
            group.r#type.as_str(),
            group.original.as_str(),
            group.copies.len()
        ),
        ("copies", "agency", 2)
    );

    let ents = idx.run(&["entities", "--json", "--kind", "person"]);
    let entities: Vec<Entity> = ents.stdout.lines().map(pinned).collect();
    let musk = entities.iter().find(|e| e.name == "Elon Musk").unwrap();
    assert_eq!(
        (musk.r#type.as_str(), musk.kind.as_str(), musk.articles),
        ("entity", "person", 5)
    );

    let all = idx.run(&["facets", "--json"]);
    let all: Facets = pinned(all.stdout.trim_end());
    assert_eq!(
        (all.r#type.as_str(), all.query, all.articles),
        ("facets", None, 5)
    );
    assert_eq!(
        all.facets.keys().collect::<Vec<_>>(),
        ["date", "lang", "org", "outlet", "person", "place"]
    );
    let some = idx.run(&["facets", "Iravani", "--facets", "person", "--json"]);
    let some: Facets = pinned(some.stdout.trim_end());
    assert_eq!((some.query.as_deref(), some.articles), (Some("Iravani"), 4));
    assert_eq!(some.facets.keys().collect::<Vec<_>>(), ["person"]);
}

/// `{"error": {"code", "message"}}`: every HTTP error.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ErrorDetail {
    code: String,
    message: String,
}

/// `GET /search`: the CLI's `hit` and `summary` objects, without `type`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SearchBody {
    hits: Vec<Value>,
    summary: Value,
}

/// `GET /facets`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FacetsBody {
    articles: u64,
    facets: BTreeMap<String, Vec<FacetValue>>,
}

/// `GET /entities`: the CLI's `entity` records, without `type`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntitiesBody {
    total: u64,
    entities: Vec<Value>,
}

/// `GET /healthz`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Health {
    status: String,
    articles: u64,
    passages: u64,
}

/// `GET /readyz`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Ready {
    status: String,
    articles: u64,
    passages: u64,
    running: u64,
    waiting: u64,
    max_concurrent: u64,
    max_queued: u64,
}

/// An HTTP object that is a JSON Lines record without its `type`: `T` once `type` is added.
fn typed<T: DeserializeOwned>(object: &Value, kind: &str) -> T {
    let mut object = object.clone();
    let map = object.as_object_mut().unwrap();
    assert!(map.get("type").is_none(), "{object}");
    map.insert("type".into(), Value::from(kind));
    serde_json::from_value(object.clone()).unwrap_or_else(|e| panic!("{e}: {object}"))
}

#[tokio::test]
async fn http_bodies_are_exactly_the_documented_schema() {
    let app = byline::server::router(
        Arc::new(seeds_engine().clone()),
        byline::server::ServerOptions::default(),
    );
    let get = |uri: &str| {
        let app = app.clone();
        let request = Request::get(uri).body(Body::empty()).unwrap();
        async move {
            let response = app.oneshot(request).await.unwrap();
            let status = response.status();
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            (status, String::from_utf8(bytes.to_vec()).unwrap())
        }
    };

    let (status, body) = get("/search?q=Iravani&passages=2&facets=outlet,person").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let search: SearchBody = pinned(&body);
    let hits: Vec<Hit> = search.hits.iter().map(|h| typed(h, "hit")).collect();
    assert_eq!(hits.len(), 4);
    assert_eq!(hits[1].id, S003);
    let summary: Summary = typed(&search.summary, "summary");
    assert_eq!((summary.articles, summary.returned), (4, 4));
    assert_eq!(
        summary.facets.unwrap().keys().collect::<Vec<_>>(),
        ["outlet", "person"]
    );

    for (uri, status, code) in [
        (
            "/search?q=AND+OR+(%22",
            StatusCode::BAD_REQUEST,
            "bad_query",
        ),
        ("/articles/nope", StatusCode::NOT_FOUND, "not_found"),
        ("/no/such/route", StatusCode::NOT_FOUND, "not_found"),
    ] {
        let (got, body) = get(uri).await;
        assert_eq!(got, status, "{uri}: {body}");
        let error: ErrorBody = pinned(&body);
        assert_eq!(error.error.code, code, "{uri}: {}", error.error.message);
    }

    let (status, body) = get(&format!("/articles/{S001}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let article: Article = typed(&pinned(&body), "article");
    assert_eq!((article.id.as_str(), article.furniture.len()), (S001, 3));

    let (_, body) = get("/facets?facets=person,date").await;
    let facets: FacetsBody = pinned(&body);
    assert_eq!(facets.articles, 5);
    assert_eq!(facets.facets.keys().collect::<Vec<_>>(), ["date", "person"]);

    let (_, body) = get("/entities?kind=org&limit=2").await;
    let entities: EntitiesBody = pinned(&body);
    let listed: Vec<Entity> = entities
        .entities
        .iter()
        .map(|e| typed(e, "entity"))
        .collect();
    assert_eq!(listed.len(), 2);
    assert!(entities.total > 2, "{body}");
    assert!(listed.iter().all(|e| e.kind == "org"));

    let (_, body) = get("/healthz").await;
    let health: Health = pinned(&body);
    assert_eq!(
        (health.status.as_str(), health.articles, health.passages),
        ("ok", 5, 54)
    );
    let (_, body) = get("/readyz").await;
    let ready: Ready = pinned(&body);
    assert_eq!(
        (
            ready.status.as_str(),
            ready.running,
            ready.waiting,
            ready.max_queued
        ),
        ("ready", 0, 0, 64)
    );
}

/// `alert` of `byline alerts run --json`, after the alert's `hit` records.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Alert {
    r#type: String,
    name: String,
    query: String,
    first_run: bool,
    previous_run: Option<String>,
    #[serde(default)]
    matching_now: Option<u64>,
    articles: u64,
    warnings: Vec<String>,
}

/// `error` of `byline alerts run --json`: an alert that could not run.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct AlertError {
    r#type: String,
    alert: String,
    message: String,
}

/// `alert_def` of `byline alerts list --json`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct AlertDef {
    r#type: String,
    name: String,
    search: SavedSearch,
    added: String,
    #[serde(default)]
    last_run: Option<Mark>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct SavedSearch {
    query: String,
    #[serde(default)]
    outlets: Vec<String>,
    #[serde(default)]
    dates: Vec<String>,
    since: Option<String>,
    until: Option<String>,
    #[serde(default)]
    undated: bool,
    #[serde(default)]
    entities: Vec<String>,
    #[serde(default)]
    langs: Vec<String>,
    #[serde(default)]
    all: bool,
    #[serde(default)]
    exact: bool,
    #[serde(default)]
    no_scripts: bool,
    #[serde(default)]
    no_collapse: bool,
    sort: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Mark {
    at: String,
    batch: u64,
}

#[test]
fn alert_records_are_exactly_the_documented_schema() {
    let idx = crate::util::TestIndex::seeds();
    let add = idx.run(&[
        "alerts",
        "add",
        "musk",
        "Musk",
        "--since",
        "2024-11",
        "--undated",
        "--entity",
        "person:Iravani",
        "--all",
        "--sort",
        "-date",
    ]);
    assert_eq!(add.code, 0, "{}", add.stderr);
    assert_eq!(idx.run(&["alerts", "add", "broken", "Iravani"]).code, 0);
    let first = idx.run(&["alerts", "run", "musk", "--json"]);
    let alert: Alert = pinned(first.stdout.trim_end());
    assert_eq!((alert.first_run, alert.matching_now), (true, Some(4)));
    let defs = idx.run(&["alerts", "list", "--json"]);
    let lines: Vec<&str> = defs.stdout.lines().collect();
    let def: AlertDef = pinned(lines[0]);
    assert_eq!(def.search.entities, ["person:Iravani"]);
    assert_eq!(def.search.sort.as_deref(), Some("-date"));
    assert_eq!(def.last_run.map(|m| m.batch), Some(1));
    let never: AlertDef = pinned(lines[1]);
    assert!(never.last_run.is_none());

    let more = crate::util::folder(&[(
        "again.txt",
        b"Elon Musk met Iran's ambassador Amir Saeid Iravani again in New York on Tuesday, \
          officials said, and both described the talks as constructive and agreed to meet once more next month."
            as &[u8],
    )]);
    assert_eq!(idx.index(&[more.path().to_path_buf()]).code, 0);
    let file = idx.path().join("alerts.json");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace(
            r#""query": "Iravani""#,
            r#""query": "Iravani", "langs": ["xx"]"#,
        ),
    )
    .unwrap();
    let run = idx.run(&["alerts", "run", "--json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    let hit: Hit = untagged(lines[0], &[("alert", Value::from("musk"))]);
    assert_eq!((hit.r#type.as_str(), hit.id.as_str()), ("hit", "again"));
    let alert: Alert = pinned(lines[1]);
    assert_eq!((alert.first_run, alert.articles), (false, 1));
    let error: AlertError = pinned(lines[2]);
    assert_eq!(error.alert, "broken");
    assert!(
        error.message.contains("\"xx\" is not a valid language"),
        "{}",
        error.message
    );
}
