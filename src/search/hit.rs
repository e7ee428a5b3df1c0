//! The JSON contract of results: the types `byline search --json`, `show --json`,
//! `articles --json`, `entities --json` and the HTTP API serialise, and the one description
//! of their records that [`crate::output`] and the README's "JSON output" section point to.
//!
//! JSON Lines records (one object per line, each with a `type`):
//! - `hit` ([`Hit`]): one article: `rank`, `score`, the [`ArticleInfo`] fields (`id`,
//!   `outlet`, `outlet_source`, `site`, `date` (`YYYY-MM-DD`, or `YYYY-MM` / `YYYY` when only
//!   that is known), `date_source`, `url`, `title`, `author` (a list), `lang`, `lang_source`,
//!   `origin`), and `passages` ([`PassageHit`]: `passage`, `score`, `start`, `end`, `text`,
//!   `highlights` of `{start, end}`, `matched_as` of `{word, form, how}` with `how` one of
//!   `exact`, `stem`, `fold`, `edit:N`, `alias`, `script`). A passage's `start`/`end` are UTF-8 byte
//!   offsets into the article's text (`byline show ID --json`); highlight offsets are UTF-8
//!   byte offsets into the passage's `text`.
//! - `summary` ([`Summary`]): closes each query: `query`, `articles`, `passages` (matching,
//!   all pages), `total_exact`, `returned`, `offset`, `limit`, `exact` (variants off),
//!   `elapsed_ms`, `warnings`, and with facets asked, `facets` (dimension → `[{value, count}]`).
//! - `article` ([`ArticleView`]): `byline show --json`: the [`ArticleInfo`] fields plus
//!   `note`, `extra` (metadata keys byline does not read, values as given), `passages` (a
//!   count), `furniture` (`start`, `end`, `reason`), `entities` (`kind`, `name`, `forms`) and
//!   `text`; `byline articles --json` leaves out `note`, `extra`, `furniture`, `entities` and
//!   `text`.
//! - `entity` ([`EntitySummary`]): `kind`, `name`, `forms`, `articles`.
//! - `facets`: `query` (when given), `articles`, `facets` as in the summary.
//! - `error` (batch mode): `query`, `message`, for a query that could not run.
//!
//! In batch mode every record also carries `line` (1-based line of stdin), and `hit` and
//! `error` records carry the `query`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tantivy::Score;

use crate::date::Date;
use crate::document::{self, StoredArticle};
use crate::entities::{Entity, Kind};
use crate::facets::FacetValue;
use crate::highlight::{Matched, Span};
use crate::ingest::metadata::Source;
use crate::ingest::Furniture;

/// What is known of an article, with provenance. Shared by hits and `show`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ArticleInfo {
    /// Stable id (file stem or record id).
    pub id: String,
    /// Outlet name, or null.
    pub outlet: Option<String>,
    /// `metadata`, `text` or `unknown`.
    pub outlet_source: Source,
    /// Outlet site, or null.
    pub site: Option<String>,
    /// Publication date: `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` when only that is known; null.
    pub date: Option<Date>,
    /// `metadata`, `text` or `unknown`.
    pub date_source: Source,
    /// Address, or null.
    pub url: Option<String>,
    /// Headline, or null.
    pub title: Option<String>,
    /// Authors, as the metadata names them (empty when it names none).
    pub author: Vec<String>,
    /// Language code (`en`, `de`, `zh`; `und` when not known).
    pub lang: String,
    /// `metadata`, `text` (detected) or `unknown`.
    pub lang_source: Source,
    /// The file (or `file:line` of a record) it was indexed from.
    pub origin: String,
}

impl ArticleInfo {
    /// What a stored record says of article `id`.
    pub(crate) fn new(id: String, stored: &StoredArticle) -> ArticleInfo {
        let m = &stored.meta;
        ArticleInfo {
            id,
            outlet: m.outlet.as_ref().map(|o| o.value.clone()),
            outlet_source: m.outlet.as_ref().map_or(Source::Unknown, |o| o.source),
            site: m.site.clone(),
            date: m.date.as_ref().map(|d| d.value),
            date_source: m.date.as_ref().map_or(Source::Unknown, |d| d.source),
            url: m.url.as_ref().map(|u| with_scheme(&u.value)),
            title: m.title.as_ref().map(|t| t.value.clone()),
            author: m.author.clone(),
            lang: document::article_lang(m).to_string(),
            lang_source: m.lang.as_ref().map_or(Source::Unknown, |l| l.source),
            origin: stored.origin.clone(),
        }
    }
}

/// An address as a link: scrapers often keep `outlet.com/path` without its scheme, which a
/// browser would read as a path on the current site; such an address gets `https://`.
pub fn with_scheme(url: &str) -> String {
    let url = url.trim();
    let has_scheme = url.split_once(':').is_some_and(|(scheme, rest)| {
        !scheme.is_empty()
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
            && (rest.starts_with("//") || matches!(scheme, "mailto" | "urn" | "data"))
    });
    if has_scheme || url.is_empty() {
        url.to_string()
    } else if let Some(rest) = url.strip_prefix("//") {
        format!("https://{rest}")
    } else {
        format!("https://{url}")
    }
}

/// One article in the results, with its best passages.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hit {
    /// 1-based rank across pages.
    pub rank: usize,
    /// The article's score: its best passage's.
    pub score: Score,
    /// The article.
    #[serde(flatten)]
    pub article: ArticleInfo,
    /// What to show as its headline: the title, else the first sentence of its text (at
    /// most [`HEADLINE_CHARS`] characters, cut at a word with "…").
    pub headline: String,
    /// The best passages, best first.
    pub passages: Vec<PassageHit>,
    /// How many other articles print the same text (its copy cluster, all of it, whether or
    /// not they matched).
    pub copies: usize,
    /// The first [`ALSO_IN`] of those copies, earliest first: who else ran the story.
    pub also_in: Vec<AlsoIn>,
}

/// Longest headline made from an article's first sentence, in characters.
pub const HEADLINE_CHARS: usize = 160;

/// The headline of an article: its title, else the first sentence of `first` (its first
/// passage's text), cut at a word past [`HEADLINE_CHARS`] characters.
pub fn headline(title: Option<&str>, first: &str) -> String {
    if let Some(t) = title.map(str::trim).filter(|t| !t.is_empty()) {
        return t.to_string();
    }
    let sentence = crate::passage::sentences(first)
        .into_iter()
        .next()
        .and_then(|r| first.get(r))
        .unwrap_or(first)
        .trim();
    let flat: String = sentence.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= HEADLINE_CHARS {
        return flat;
    }
    let cut: String = flat.chars().take(HEADLINE_CHARS).collect();
    let at_word = cut
        .rfind(' ')
        .filter(|&i| i > HEADLINE_CHARS / 2)
        .unwrap_or(cut.len());
    format!("{}…", cut[..at_word].trim_end_matches([',', ';', ':', ' ']))
}

/// The headline of an article as read from the index: its title, else the first sentence
/// of its first passage.
pub fn headline_of(read: &document::Read) -> String {
    let first = read
        .stored
        .ranges
        .first()
        .and_then(|&[start, end]| read.text.get(start..end))
        .unwrap_or(&read.text);
    headline(
        read.stored.meta.title.as_ref().map(|t| t.value.as_str()),
        first,
    )
}

/// Copies listed under a hit; `copies` gives the total.
pub const ALSO_IN: usize = 10;

/// Another article that prints a hit's text.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AlsoIn {
    /// The copy's id.
    pub id: String,
    /// Its outlet, or null.
    pub outlet: Option<String>,
    /// Its site, or null.
    pub site: Option<String>,
    /// Its date, or null.
    pub date: Option<Date>,
}

/// One matching passage.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PassageHit {
    /// Passage number within the article, from 0.
    pub passage: u64,
    /// BM25 score with byline's boosts.
    pub score: Score,
    /// Start, UTF-8 byte offset into the article's text (`byline show ID`).
    pub start: usize,
    /// End (exclusive), UTF-8 byte offset into the article's text.
    pub end: usize,
    /// The passage text: the article's text from `start` to `end`.
    pub text: String,
    /// Matched words, as UTF-8 byte ranges into `text`.
    pub highlights: Vec<Span>,
    /// For each query word, the forms that matched in this passage and how.
    pub matched_as: Vec<Matched>,
}

/// Totals and notes for one search.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Summary {
    /// The query as given.
    pub query: String,
    /// Articles matching, over all pages.
    pub articles: u64,
    /// Stories matching: articles, counting every copy cluster once. With copies collapsed
    /// (the default) the pages hold one hit per story.
    pub stories: u64,
    /// Whether copies were collapsed into one hit per story.
    pub collapse: bool,
    /// The order of the hits: `relevance`, `date` (oldest first) or `-date` (newest first).
    pub sort: super::Sort,
    /// Passages matching, over all pages.
    pub passages: u64,
    /// Whether `articles` and `passages` are exact. False when the search stopped counting
    /// at [`crate::query::Limits::exact_total`] articles: then they are lower bounds.
    pub total_exact: bool,
    /// Hits on this page.
    pub returned: usize,
    /// The page's offset.
    pub offset: usize,
    /// The page's limit.
    pub limit: usize,
    /// Whether variants and aliases were off (`--exact`).
    pub exact: bool,
    /// Time spent searching, in milliseconds.
    pub elapsed_ms: f64,
    /// Parts of the query that were ignored, and other notes.
    pub warnings: Vec<String>,
    /// Article counts per facet value, for the dimensions asked (`--facets`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<BTreeMap<String, Vec<FacetValue>>>,
    /// Cursor searches only: the cursor of the next page, `null` on the last
    /// ([`super::cursor`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<Option<String>>,
}

/// The result of one search.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// One page of hits.
    pub hits: Vec<Hit>,
    /// Totals.
    pub summary: Summary,
}

/// One article in full, for `byline show`.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleView {
    /// The article's metadata.
    #[serde(flatten)]
    pub article: ArticleInfo,
    /// Free note from the metadata.
    pub note: Option<String>,
    /// Metadata keys byline does not read, with their values as given.
    pub extra: std::collections::BTreeMap<String, serde_json::Value>,
    /// Number of passages.
    pub passages: u64,
    /// What was kept out of passages as furniture (byte ranges into `text`).
    pub furniture: Vec<Furniture>,
    /// The people, organisations and places it mentions, with the forms it printed.
    pub entities: Vec<Entity>,
    /// The original text, byte for byte.
    pub text: String,
    /// The id of the earliest article that prints this text (its own id when no other does,
    /// or when it is the earliest).
    pub original: String,
    /// How many other articles print this text (`byline copies ID` lists them all).
    pub copies: usize,
    /// The first [`ALSO_IN`] of them, earliest first.
    pub also_in: Vec<AlsoIn>,
    /// Asked with a query (`show ID --query Q`, `/articles/{id}?q=`): every match in
    /// `text`, as UTF-8 byte ranges into it; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub highlights: Option<Vec<Span>>,
    /// With a query: for each of its words, the forms that matched in the text and how.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched_as: Option<Vec<Matched>>,
    /// Its copy cluster's key.
    #[serde(skip)]
    pub(super) cluster: u64,
}

impl ArticleView {
    pub(super) fn new(read: document::Read) -> ArticleView {
        let document::Read { id, text, stored } = read;
        ArticleView {
            original: id.clone(),
            copies: 0,
            also_in: Vec::new(),
            cluster: stored.cluster,
            article: ArticleInfo::new(id, &stored),
            note: stored.meta.note,
            extra: stored.meta.extra,
            passages: stored.passages,
            furniture: stored.furniture,
            entities: stored.entities,
            text,
            highlights: None,
            matched_as: None,
        }
    }
}

/// Article counts per facet value, over the whole index or a query's matches (`byline
/// facets`, HTTP `/facets`).
#[derive(Debug, Clone, Serialize)]
pub struct FacetCounts {
    /// Articles counted: all of them, or those the query matched.
    pub articles: u64,
    /// Dimension → values, most articles first (dates in order).
    pub facets: BTreeMap<String, Vec<FacetValue>>,
    /// What the query's parser ignored (none without a query).
    #[serde(skip)]
    pub warnings: Vec<String>,
}

/// One entity of the index, for `byline entities`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EntitySummary {
    /// person, org or place.
    pub kind: Kind,
    /// Canonical name.
    pub name: String,
    /// Every form the articles printed, sorted.
    pub forms: Vec<String>,
    /// Articles that mention it.
    pub articles: u64,
}

#[cfg(test)]
mod tests {
    #[test]
    fn addresses_without_a_scheme_get_https_and_others_stay() {
        for (given, link) in [
            ("ynetnews.com/news/1", "https://ynetnews.com/news/1"),
            ("//cdn.example/a", "https://cdn.example/a"),
            ("http://x.example/a?b=c:d", "http://x.example/a?b=c:d"),
            ("https://x.example", "https://x.example"),
            ("localhost:8080/a", "https://localhost:8080/a"),
            (" www.bbc.co.uk/news ", "https://www.bbc.co.uk/news"),
        ] {
            assert_eq!(super::with_scheme(given), link, "{given}");
        }
    }

    #[test]
    fn a_headline_is_the_title_else_the_first_sentence_cut_at_a_word() {
        use super::headline;
        assert_eq!(
            headline(Some(" Musk met Iravani "), "Text."),
            "Musk met Iravani"
        );
        assert_eq!(
            headline(None, "Tech mogul Elon Musk met\nIravani. He left."),
            "Tech mogul Elon Musk met Iravani."
        );
        assert_eq!(headline(Some(""), "One line"), "One line");
        let long = "word ".repeat(60);
        let h = headline(None, &long);
        assert!(
            h.ends_with("word…") && h.chars().count() <= super::HEADLINE_CHARS + 1,
            "{h}"
        );
    }

    use super::*;
    use crate::ingest::furniture::Reason;

    fn info() -> ArticleInfo {
        ArticleInfo {
            id: "002_9d73244eedff589e".into(),
            outlet: Some("Israel National News".into()),
            outlet_source: Source::Metadata,
            site: Some("israelnationalnews.com".into()),
            date: Date::parse("2024-11-15"),
            date_source: Source::Metadata,
            url: Some("israelnationalnews.com/news/399220".into()),
            title: None,
            author: vec!["Hillel Fendel".into()],
            lang: "en".into(),
            lang_source: Source::Text,
            origin: "seeds/002_9d73244eedff589e.txt".into(),
        }
    }

    /// Every key of a JSON value, nested objects and arrays of objects included.
    fn keys(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    out.push(k.clone());
                    keys(v, out);
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| keys(v, out)),
            _ => {}
        }
    }

    #[test]
    fn the_readme_schema_names_every_field_of_every_record() {
        let readme = include_str!("../../README.md");
        let start = readme.find("### JSON output").unwrap();
        let end = start + readme[start..].find("**Batch**").unwrap();
        let section = &readme[start..end];
        let hit = Hit {
            rank: 1,
            score: 1.0,
            article: info(),
            headline: "One Iranian official mentioned that Musk requested the meeting.".into(),
            passages: vec![PassageHit {
                passage: 4,
                score: 1.0,
                start: 819,
                end: 919,
                text: "Iravani".into(),
                highlights: vec![Span { start: 0, end: 7 }],
                matched_as: vec![Matched {
                    word: "Iravani".into(),
                    form: "Iravani".into(),
                    how: "exact".into(),
                }],
            }],
            copies: 1,
            also_in: vec![AlsoIn {
                id: "003_2940b674167129da".into(),
                outlet: Some("Ynetnews".into()),
                site: Some("ynetnews.com".into()),
                date: Date::parse("2024-11-16"),
            }],
        };
        let summary = Summary {
            query: "Iravani".into(),
            articles: 4,
            stories: 4,
            collapse: true,
            sort: crate::search::Sort::Relevance,
            passages: 7,
            total_exact: true,
            returned: 4,
            offset: 0,
            limit: 10,
            exact: false,
            elapsed_ms: 1.0,
            warnings: vec![],
            facets: Some(BTreeMap::from([(
                "outlet".to_string(),
                vec![FacetValue {
                    value: "Ynetnews".into(),
                    count: 1,
                }],
            )])),
            next_cursor: Some(None),
        };
        let view = ArticleView {
            article: info(),
            note: None,
            extra: BTreeMap::new(),
            passages: 5,
            furniture: vec![Furniture {
                start: 0,
                end: 9,
                reason: Reason::LinkLabel,
            }],
            entities: vec![Entity {
                kind: Kind::Person,
                name: "Elon Musk".into(),
                forms: vec!["Musk".into()],
            }],
            text: "Read more".into(),
            original: "002_9d73244eedff589e".into(),
            copies: 0,
            also_in: vec![],
            highlights: Some(vec![Span { start: 0, end: 4 }]),
            matched_as: Some(vec![]),
            cluster: 0,
        };
        let entity = EntitySummary {
            kind: Kind::Person,
            name: "Elon Musk".into(),
            forms: vec!["Musk".into()],
            articles: 3,
        };
        let mut all = Vec::new();
        for v in [
            serde_json::to_value(&hit).unwrap(),
            serde_json::to_value(&summary).unwrap(),
            serde_json::to_value(&view).unwrap(),
            serde_json::to_value(&entity).unwrap(),
        ] {
            keys(&v, &mut all);
        }
        let missing: Vec<&String> = all
            .iter()
            .filter(|k| {
                !section.contains(&format!("`{k}`")) && !section.contains(&format!("\"{k}\":"))
            })
            .collect();
        assert!(
            missing.is_empty(),
            "the README's JSON output section lacks {missing:?}"
        );
    }
}
