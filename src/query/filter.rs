//! Restrictions: every filter a search can carry compiles here, on one path.
//!
//! From [`Filters`] (CLI flags, HTTP parameters): outlets, date buckets, languages and
//! `since`/`until` become constant-score clauses on every passage document (each carries
//! its article's outlet key, language and date); `--entity` becomes the set of articles whose
//! article document names the entity. From the query text ([`field_term`]): `outlet:`,
//! `author:` and `lang:` restrict like the flags; `person:`/`org:`/`place:` match the
//! passages that mention the entity. Entity names resolve the same way in both
//! ([`resolve_entity`]): the same words in order, compared exactly or by fold key.

use std::collections::HashSet;
use std::ops::Bound;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader, Term};

use crate::date::Date;
use crate::document::field;
use crate::entities::gazetteer::{fold, normalize};
use crate::entities::Kind;
use crate::error::{Error, Result};
use crate::schema::{Fields, DATE_UNKNOWN, KIND_ARTICLE};

/// Restrictions on which articles a search may return.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// Keep only these outlets (name or site, any case; `unknown`: articles without an
    /// outlet, as the facet bucket of that name counts them); empty keeps all.
    pub outlets: Vec<String>,
    /// Keep only articles in these date buckets, as the date facet returns them: a day, a
    /// month, a year, or `unknown`; empty keeps all.
    pub dates: Vec<DateBucket>,
    /// Keep articles dated on or after this day.
    pub since: Option<Date>,
    /// Keep articles dated on or before this day.
    pub until: Option<Date>,
    /// With `since`/`until`, also keep articles whose date is unknown.
    pub undated: bool,
    /// Keep only articles that mention every one of these entities (`person`, "Ali Khamenei").
    pub entities: Vec<(Kind, String)>,
    /// Keep only articles that mention, for each kind listed here, at least one of its
    /// entities here: any of the people, and any of the places (a facet's values picked
    /// together widen it; facets picked together narrow).
    pub any_of: Vec<(Kind, String)>,
    /// Keep only articles in these languages (codes, see [`crate::lang`]); empty keeps all.
    /// The query is then analysed for these languages only.
    pub langs: Vec<String>,
    /// Keep only articles written by the commits numbered in this range
    /// ([`crate::store::Store::batch`]): an alert's "indexed since its last run".
    pub batches: Option<std::ops::RangeInclusive<u64>>,
}

impl Filters {
    /// Whether these keep every article.
    pub fn is_empty(&self) -> bool {
        self.outlets.is_empty()
            && self.dates.is_empty()
            && self.since.is_none()
            && self.until.is_none()
            && self.entities.is_empty()
            && self.any_of.is_empty()
            && self.langs.is_empty()
            && self.batches.is_none()
    }
}

/// A value of the date facet, as a filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateBucket {
    /// Articles dated within this day, month or year.
    Within(Date),
    /// Articles whose date is unknown.
    Unknown,
}

impl DateBucket {
    /// Reads `2024-11-15`, `2024-11`, `2024` or `unknown`.
    pub fn parse(s: &str) -> Option<DateBucket> {
        let s = s.trim();
        if s.eq_ignore_ascii_case(DATE_UNKNOWN) {
            return Some(DateBucket::Unknown);
        }
        Date::parse(s).map(DateBucket::Within)
    }
}

/// The languages a query is analysed for: those `--lang` names, else every language in
/// the index (read from the `lang` field's terms; an empty index gives `und`).
pub fn languages(searcher: &Searcher, f: &Fields, filters: &Filters) -> Result<Vec<String>> {
    if !filters.langs.is_empty() {
        return Ok(filters.langs.clone());
    }
    let mut found = std::collections::BTreeSet::new();
    for segment in searcher.segment_readers() {
        let index = segment.inverted_index(f.lang)?;
        let mut terms = index
            .terms()
            .stream()
            .map_err(tantivy::TantivyError::from)?;
        while terms.advance() {
            found.insert(String::from_utf8_lossy(terms.key()).into_owned());
        }
    }
    if found.is_empty() {
        found.insert(crate::lang::UNKNOWN.to_string());
    }
    Ok(found.into_iter().collect())
}

pub(super) fn term(field: tantivy::schema::Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

/// Documents of articles from this outlet (name or site, any case). `unknown` is also the
/// articles without an outlet: the facet counts them in a bucket of that name.
fn outlet(f: &Fields, name: &str) -> Box<dyn Query> {
    let key = name.trim().to_lowercase();
    let named = term(f.outlet_key, &key);
    if key != DATE_UNKNOWN {
        return named;
    }
    // Every document of an article with an outlet carries its `outlet` facet.
    let without: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
        (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
        (Occur::MustNot, super::shape::exists(field::OUTLET)),
    ]));
    Box::new(BooleanQuery::new(vec![
        (Occur::Should, named),
        (Occur::Should, without),
    ]))
}

/// Documents of articles in a date bucket.
fn date_bucket(f: &Fields, bucket: DateBucket) -> Box<dyn Query> {
    match bucket {
        DateBucket::Unknown => term(f.date_source, DATE_UNKNOWN),
        DateBucket::Within(d) => days(f, d.timestamp_secs(), d.last_day().timestamp_secs()),
    }
}

/// Documents of articles dated from `first` to `last` (seconds since the epoch, both
/// included): a date bucket, or the window of days a date-sorted search looks in first.
pub fn days(f: &Fields, first: i64, last: i64) -> Box<dyn Query> {
    super::shape::days(f.date, Some(first), Some(last))
}

/// A clause that restricts without adding score.
pub(super) fn filter(q: Box<dyn Query>) -> Box<dyn Query> {
    super::shape::constant(q, 0.0)
}

fn clauses(
    f: &Fields,
    filters: &Filters,
    warnings: &mut Vec<String>,
) -> Result<Vec<(Occur, Box<dyn Query>)>> {
    let mut out = Vec::new();
    let outlets: Vec<&String> = filters
        .outlets
        .iter()
        .filter(|o| !o.trim().is_empty())
        .collect();
    if !outlets.is_empty() {
        let any = outlets
            .iter()
            .map(|o| (Occur::Should, outlet(f, o)))
            .collect();
        out.push((Occur::Must, filter(Box::new(BooleanQuery::new(any)))));
    }
    if !filters.dates.is_empty() {
        let any = filters
            .dates
            .iter()
            .map(|d| (Occur::Should, date_bucket(f, *d)))
            .collect();
        out.push((Occur::Must, filter(Box::new(BooleanQuery::new(any)))));
    }
    if !filters.langs.is_empty() {
        let any = filters
            .langs
            .iter()
            .map(|l| (Occur::Should, term(f.lang, l)))
            .collect();
        out.push((Occur::Must, filter(Box::new(BooleanQuery::new(any)))));
    }
    if let (Some(since), Some(until)) = (filters.since, filters.until) {
        if since > until.last_day() {
            return Err(Error::InvalidArgument(format!(
                "since {since} is after until {until}"
            )));
        }
    }
    if filters.since.is_none() && filters.until.is_none() {
        if filters.undated {
            warnings.push("undated has no effect without since or until".into());
        }
        return Ok(out);
    }
    // A month or year as `until` includes its last day; stored partial dates sit on their
    // first day (see crate::date).
    let until = filters.until.map(crate::date::Date::last_day);
    let range: Box<dyn Query> = super::shape::days(
        f.date,
        filters.since.map(Date::timestamp_secs),
        until.map(Date::timestamp_secs),
    );
    let dates = if filters.undated {
        Box::new(BooleanQuery::new(vec![
            (Occur::Should, range),
            (Occur::Should, term(f.date_source, DATE_UNKNOWN)),
        ]))
    } else {
        range
    };
    out.push((Occur::Must, filter(dates)));
    Ok(out)
}

/// What [`Filters`] compile to.
pub(super) struct Restriction {
    /// Clauses every matching passage must satisfy (constant score 0).
    pub clauses: Vec<(Occur, Box<dyn Query>)>,
    /// Only these articles (by key), when `--entity` filters are set: entities are facets of
    /// the article document, so they restrict articles, not passages.
    pub articles: Option<HashSet<u64>>,
}

/// Compiles the filters, adding what had no effect to `warnings`.
pub(super) fn compile(
    searcher: &Searcher,
    f: &Fields,
    filters: &Filters,
    warnings: &mut Vec<String>,
) -> Result<Restriction> {
    let clauses = clauses(f, filters, warnings)?;
    let mut articles: Option<HashSet<u64>> = None;
    for (kind, name) in &filters.entities {
        let found = resolve_entity(searcher, f.facet, *kind, name)?;
        if found.is_empty() {
            warnings.push(format!("no {} named {name:?} in the index", kind.name()));
        }
        let keys = article_keys(searcher, f, any_facet(f.facet, &found))?;
        articles = Some(match articles {
            None => keys,
            Some(prev) => prev.intersection(&keys).copied().collect(),
        });
    }
    for kind in [Kind::Person, Kind::Org, Kind::Place] {
        let names: Vec<&String> = filters
            .any_of
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, n)| n)
            .collect();
        if names.is_empty() {
            continue;
        }
        let mut found = Vec::new();
        for name in names {
            let these = resolve_entity(searcher, f.facet, kind, name)?;
            if these.is_empty() {
                warnings.push(format!("no {} named {name:?} in the index", kind.name()));
            }
            found.extend(these);
        }
        let keys = article_keys(searcher, f, any_facet(f.facet, &found))?;
        articles = Some(match articles {
            None => keys,
            Some(prev) => prev.intersection(&keys).copied().collect(),
        });
    }
    if let Some(batches) = &filters.batches {
        let at = |n: u64| Bound::Included(Term::from_field_u64(f.batch, n));
        let written = Box::new(RangeQuery::new(at(*batches.start()), at(*batches.end())));
        let keys = article_keys(searcher, f, written)?;
        articles = Some(match articles {
            None => keys,
            Some(prev) => prev.intersection(&keys).copied().collect(),
        });
    }
    Ok(Restriction { clauses, articles })
}

/// What a `field:value` term of the query text means.
pub(super) enum FieldTerm {
    /// A restriction on the article (`outlet:`, `author:`, `lang:`): it holds on the
    /// article's documents, so the query must be held to passages.
    Article(Box<dyn Query>),
    /// The passages mentioning an entity (`person:`, `org:`, `place:`).
    Mentions(Box<dyn Query>),
    /// Known field, but nothing to restrict by (the warning says why).
    Ignored,
    /// Not a field byline knows.
    Unknown,
}

/// Compiles a `field:value` term of the query text, adding a warning where it is ignored.
pub(super) fn field_term(
    searcher: &Searcher,
    f: &Fields,
    name: &str,
    value: &str,
    warnings: &mut Vec<String>,
) -> Result<FieldTerm> {
    Ok(match name {
        "outlet" => FieldTerm::Article(filter(outlet(f, value))),
        "author" => FieldTerm::Article(filter(term(
            f.author_key,
            &crate::document::author_key(value),
        ))),
        "lang" => match crate::lang::code(value) {
            Some(code) => FieldTerm::Article(filter(term(f.lang, code))),
            None => {
                warnings.push(format!(
                    "{value:?} is not a language byline knows: lang:{value} ignored"
                ));
                FieldTerm::Ignored
            }
        },
        _ => match Kind::parse(name) {
            Some(kind) => {
                let found = resolve_entity(searcher, f.entity, kind, value)?;
                if found.is_empty() {
                    warnings.push(format!("no {name} named {value:?} in the index"));
                    FieldTerm::Ignored
                } else {
                    FieldTerm::Mentions(any_facet(f.entity, &found))
                }
            }
            None => FieldTerm::Unknown,
        },
    })
}

/// The entity facets a `KIND:NAME` names ([`resolve_entity`]) and a query for the passages
/// that mention any of them.
pub fn mentions(
    searcher: &Searcher,
    f: &Fields,
    kind: Kind,
    name: &str,
) -> Result<(Vec<Facet>, Box<dyn Query>)> {
    let found = resolve_entity(searcher, f.entity, kind, name)?;
    let query = any_facet(f.entity, &found);
    Ok((found, query))
}

/// Whether `name` is a field [`field_term`] reads.
pub(super) fn is_field(name: &str) -> bool {
    matches!(name, "outlet" | "lang" | "author") || Kind::parse(name).is_some()
}

/// The facets of `field` under `/kind/` whose name matches `name`: the same words in order,
/// compared exactly or by fold key ("Iravani" → "Amir Saeid Iravani"; "Qasem Soleimani" →
/// "Qassem Soleimani"), or for people, the same person in another script
/// ([`crate::entities::across::same_person`]: "Zelensky" → "Βολοντίμιρ Ζελένσκι").
fn resolve_entity(searcher: &Searcher, field: Field, kind: Kind, name: &str) -> Result<Vec<Facet>> {
    let wanted: Vec<String> = normalize(name)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let wanted_keys: Vec<String> = wanted.iter().map(|w| fold(w)).collect();
    let prefix = Facet::from_path([kind.name()]);
    let mut lower = prefix.encoded_str().as_bytes().to_vec();
    lower.push(0);
    let mut upper = prefix.encoded_str().as_bytes().to_vec();
    upper.push(1);
    let mut out: Vec<Facet> = Vec::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted
            .terms()
            .range()
            .ge(&lower)
            .lt(&upper)
            .into_stream()
            .map_err(|e| Error::Tantivy(e.into()))?;
        while stream.advance() {
            let Ok(facet) = Facet::from_encoded(stream.key().to_vec()) else {
                continue;
            };
            let Some(candidate) = facet.to_path().get(1).map(|s| s.to_string()) else {
                continue;
            };
            let words: Vec<String> = normalize(&candidate)
                .split(' ')
                .map(str::to_string)
                .collect();
            let keys: Vec<String> = words.iter().map(|w| fold(w)).collect();
            let matches = words.windows(wanted.len()).any(|w| w == wanted.as_slice())
                || keys
                    .windows(wanted_keys.len())
                    .any(|k| k == wanted_keys.as_slice())
                || (kind == Kind::Person && crate::entities::across::same_person(name, &candidate));
            if matches && !out.contains(&facet) {
                out.push(facet);
            }
        }
    }
    Ok(out)
}

/// A query matching documents of `field` with any of the facets.
pub fn any_facet(field: Field, facets: &[Facet]) -> Box<dyn Query> {
    let clauses = facets
        .iter()
        .map(|f| {
            (
                Occur::Should,
                Box::new(TermQuery::new(
                    Term::from_facet(field, f),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>,
            )
        })
        .collect();
    Box::new(BooleanQuery::new(clauses))
}

/// The keys of the articles whose article document matches `query`.
fn article_keys(
    searcher: &Searcher,
    fields: &Fields,
    query: Box<dyn Query>,
) -> Result<HashSet<u64>> {
    let articles = BooleanQuery::new(vec![
        (Occur::Must, query),
        (
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(fields.kind, KIND_ARTICLE),
                IndexRecordOption::Basic,
            )),
        ),
    ]);
    Ok(searcher.search(&articles, &KeyCollector)?)
}

struct KeyCollector;

struct KeySegment {
    keys: Column<u64>,
    out: HashSet<u64>,
}

impl Collector for KeyCollector {
    type Fruit = HashSet<u64>;
    type Child = KeySegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<KeySegment> {
        Ok(KeySegment {
            keys: reader.fast_fields().u64(field::ARTICLE_KEY)?,
            out: HashSet::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<HashSet<u64>>) -> tantivy::Result<HashSet<u64>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for KeySegment {
    type Fruit = HashSet<u64>;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(k) = self.keys.first(doc) {
            self.out.insert(k);
        }
    }

    fn harvest(self) -> HashSet<u64> {
        self.out
    }
}
