//! The JSON Lines contract, pinned: real output must deserialize into exactly these fields.

use serde::Deserialize;

use crate::util::shared_seeds;

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
    passages: Vec<Passage>,
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
