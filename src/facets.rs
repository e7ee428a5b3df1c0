//! Facets: article counts by outlet, date, language and entity. (Filtering on them is
//! [`crate::query`]'s.)
//!
//! Each article document carries its facets (`/outlet/…`, `/date/YYYY/MM/DD` or
//! `/date/unknown`, `/person/…`, `/org/…`, `/place/…`); passage documents carry the entities
//! they mention (`entity` field). Counts are of **articles**, never passages: a collector runs
//! over the article documents of the articles a query matched.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::fastfield::FacetReader;
use tantivy::query::TermQuery;
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader, Term};

use crate::document::field;
use crate::error::{Error, Result};
use crate::schema::{Fields, DATE_UNKNOWN, KIND_ARTICLE};

/// The facet dimensions a search can count.
pub const DIMENSIONS: &[&str] = &["outlet", "date", "lang", "person", "org", "place"];
/// Values listed per dimension by default (the date histogram lists every bucket).
pub const TOP_VALUES: usize = 20;
/// Most values a dimension may list (`--facet-limit`).
pub const MAX_VALUES: usize = 1000;

/// One value of a dimension and the number of articles that have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetValue {
    /// The value: an outlet, an entity's canonical name, or a date bucket (`2024-11-15`,
    /// `2024-11`, or `unknown`).
    pub value: String,
    /// Articles with it.
    pub count: u64,
}

/// Checks the number of values asked per dimension: 1 to [`MAX_VALUES`].
pub fn check_limit(n: usize) -> Result<usize> {
    if (1..=MAX_VALUES).contains(&n) {
        Ok(n)
    } else {
        Err(Error::InvalidArgument(format!(
            "facet_limit {n} is out of range: 1 to {MAX_VALUES}"
        )))
    }
}

/// Parses a `--facets` list such as `outlet,date,person`.
pub fn parse_dimensions(list: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for d in list.split(',').map(str::trim).filter(|d| !d.is_empty()) {
        if !DIMENSIONS.contains(&d) {
            return Err(Error::InvalidArgument(format!(
                "unknown facet {d:?}: choose from {}",
                DIMENSIONS.join(", ")
            )));
        }
        if !out.iter().any(|o| o == d) {
            out.push(d.to_string());
        }
    }
    Ok(out)
}

/// Counts articles per facet, over the article documents of `keys` (all articles if None).
pub fn count(
    searcher: &Searcher,
    fields: &Fields,
    keys: Option<std::sync::Arc<HashSet<u64>>>,
) -> Result<HashMap<String, u64>> {
    Ok(joined(count_paths(searcher, fields, field::FACET, keys)?))
}

/// Counts articles per value of the article documents' facet field `field`, over the
/// articles of `keys` (all if None), each value as its path's segments as written.
pub fn count_paths(
    searcher: &Searcher,
    fields: &Fields,
    field: &'static str,
    keys: Option<std::sync::Arc<HashSet<u64>>>,
) -> Result<HashMap<Vec<String>, u64>> {
    let articles = TermQuery::new(
        Term::from_field_text(fields.kind, KIND_ARTICLE),
        IndexRecordOption::Basic,
    );
    Ok(searcher.search(&articles, &FacetCounter { keys, field })?)
}

/// Paths as `/a/b`, segments as written: `to_path_string` would escape a `/` inside a value
/// ("AP\/Reuters"), which no filter would then match.
fn joined(counts: HashMap<Vec<String>, u64>) -> HashMap<String, u64> {
    counts
        .into_iter()
        .map(|(path, n)| (format!("/{}", path.join("/")), n))
        .collect()
}

/// The entity facets of the passages `query` matches, each with how many passages carry it:
/// what is mentioned alongside (`byline entities --with`).
pub fn count_entities_in(
    searcher: &Searcher,
    query: &dyn tantivy::query::Query,
) -> Result<HashMap<String, u64>> {
    Ok(joined(searcher.search(
        query,
        &FacetCounter {
            keys: None,
            field: field::ENTITY,
        },
    )?))
}

struct FacetCounter {
    keys: Option<std::sync::Arc<HashSet<u64>>>,
    /// The facet field counted.
    field: &'static str,
}

struct FacetSegment {
    keys: Option<std::sync::Arc<HashSet<u64>>>,
    key_column: Column<u64>,
    facets: FacetReader,
    counts: HashMap<u64, u64>,
}

impl Collector for FacetCounter {
    type Fruit = HashMap<Vec<String>, u64>;
    type Child = FacetSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<FacetSegment> {
        Ok(FacetSegment {
            // Segment collectors must be 'static: they share the key set.
            keys: self.keys.clone(),
            key_column: reader.fast_fields().u64(field::ARTICLE_KEY)?,
            facets: reader.facet_reader(self.field)?,
            counts: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<HashMap<Vec<String>, u64>>,
    ) -> tantivy::Result<HashMap<Vec<String>, u64>> {
        let mut out = HashMap::new();
        for fruit in fruits {
            for (k, v) in fruit {
                *out.entry(k).or_default() += v;
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for FacetSegment {
    type Fruit = HashMap<Vec<String>, u64>;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(keys) = &self.keys {
            if !self
                .key_column
                .first(doc)
                .is_some_and(|k| keys.contains(&k))
            {
                return;
            }
        }
        for ord in self.facets.facet_ords(doc) {
            *self.counts.entry(ord).or_default() += 1;
        }
    }

    fn harvest(self) -> HashMap<Vec<String>, u64> {
        // One pass over the dictionary in ord order: looking each ord up alone decompresses
        // its block again every time, which made facet counts cost 30 ms on 10k articles.
        let mut counted: Vec<(u64, u64)> = self.counts.into_iter().collect();
        counted.sort_unstable();
        let ords: Vec<u64> = counted.iter().map(|(ord, _)| *ord).collect();
        let mut out = HashMap::with_capacity(ords.len());
        let mut counts = counted.iter().map(|(_, n)| *n);
        let _ = self
            .facets
            .facet_dict()
            .sorted_ords_to_term_cb(&ords, |bytes| {
                let n = counts.next().unwrap_or(0);
                if let Ok(facet) = Facet::from_encoded(bytes.to_vec()) {
                    out.insert(facet.to_path().into_iter().map(String::from).collect(), n);
                }
            });
        out
    }
}

/// Turns raw counts into the requested dimensions: top values by count (then name), and for
/// `date` a histogram by day, or by month when the dates span more than 62 days, with an
/// `unknown` bucket last.
pub fn summarize(
    counts: &HashMap<String, u64>,
    dimensions: &[String],
    top_n: usize,
) -> BTreeMap<String, Vec<FacetValue>> {
    let mut out = BTreeMap::new();
    for dim in dimensions {
        let prefix = format!("/{dim}/");
        let values: Vec<(String, u64)> = counts
            .iter()
            .filter_map(|(path, n)| path.strip_prefix(&prefix).map(|v| (v.to_string(), *n)))
            .collect();
        let list = if dim == "date" {
            date_histogram(values, top_n)
        } else {
            top(values, top_n)
        };
        out.insert(dim.clone(), list);
    }
    out
}

fn top(mut values: Vec<(String, u64)>, top_n: usize) -> Vec<FacetValue> {
    values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    values.truncate(top_n);
    values
        .into_iter()
        .map(|(value, count)| FacetValue { value, count })
        .collect()
}

/// The date dimension as a histogram in date order: days when the dates span 62 days or
/// fewer, else months, else years when there are more than `limit` months; at most `limit`
/// buckets (the latest), then `unknown` when some articles are undated. Dates known only to
/// the month or the year keep a bucket of their own among days.
fn date_histogram(values: Vec<(String, u64)>, limit: usize) -> Vec<FacetValue> {
    let mut unknown = 0;
    let mut days: BTreeMap<String, u64> = BTreeMap::new();
    for (path, n) in values {
        // Leaf paths only: "2024/11/15" (the facet reader gives full paths).
        let parts: Vec<&str> = path.split('/').collect();
        match parts.as_slice() {
            [y, m, d] => *days.entry(format!("{y}-{m}-{d}")).or_default() += n,
            // Dates known to the month or the year only: their own bucket.
            [y, m] => *days.entry(format!("{y}-{m}")).or_default() += n,
            [y] if *y != DATE_UNKNOWN => *days.entry(y.to_string()).or_default() += n,
            [u] if *u == DATE_UNKNOWN => unknown += n,
            _ => {}
        }
    }
    let span_days = match (days.keys().next(), days.keys().last()) {
        (Some(first), Some(last)) => match (
            crate::date::Date::parse(first),
            crate::date::Date::parse(last),
        ) {
            (Some(a), Some(b)) => b.days_since_epoch() - a.days_since_epoch(),
            _ => 0,
        },
        _ => 0,
    };
    let coarsen = |days: &BTreeMap<String, u64>, width: usize| {
        let mut buckets: BTreeMap<String, u64> = BTreeMap::new();
        for (day, n) in days {
            *buckets
                .entry(day.get(..width).unwrap_or(day).to_string())
                .or_default() += n;
        }
        buckets
    };
    let mut buckets = if span_days > 62 {
        coarsen(&days, 7)
    } else {
        days
    };
    if buckets.len() > limit {
        buckets = coarsen(&buckets, 4);
    }
    let skip = buckets.len().saturating_sub(limit);
    let mut out: Vec<FacetValue> = buckets
        .into_iter()
        .skip(skip)
        .map(|(value, count)| FacetValue { value, count })
        .collect();
    if unknown > 0 {
        out.push(FacetValue {
            value: DATE_UNKNOWN.into(),
            count: unknown,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(pairs: &[(&str, u64)]) -> HashMap<String, u64> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn dimensions_are_checked_and_deduplicated() {
        assert_eq!(
            parse_dimensions("outlet, person,outlet").unwrap(),
            ["outlet", "person"]
        );
        assert!(parse_dimensions("outlet,colour")
            .unwrap_err()
            .to_string()
            .contains("unknown facet \"colour\""));
    }

    #[test]
    fn dates_bucket_by_day_or_month_with_unknown_last() {
        let c = counts(&[
            ("/date/2024/11/15", 2),
            ("/date/2024/11/16", 1),
            ("/date/unknown", 3),
        ]);
        let s = summarize(&c, &["date".to_string()], TOP_VALUES);
        let got: Vec<(&str, u64)> = s["date"]
            .iter()
            .map(|v| (v.value.as_str(), v.count))
            .collect();
        assert_eq!(got, [("2024-11-15", 2), ("2024-11-16", 1), ("unknown", 3)]);
        let wide = counts(&[
            ("/date/2023/01/02", 1),
            ("/date/2023/01/30", 1),
            ("/date/2024/11/15", 1),
        ]);
        let s = summarize(&wide, &["date".to_string()], TOP_VALUES);
        let got: Vec<(&str, u64)> = s["date"]
            .iter()
            .map(|v| (v.value.as_str(), v.count))
            .collect();
        assert_eq!(got, [("2023-01", 2), ("2024-11", 1)]);
        // A limit below the months: years; below the years: the latest years.
        let got = |limit| -> Vec<(String, u64)> {
            summarize(&wide, &["date".to_string()], limit)["date"]
                .iter()
                .map(|v| (v.value.clone(), v.count))
                .collect()
        };
        assert_eq!(got(1), [("2024".to_string(), 1)]);
        assert_eq!(
            got(2),
            [("2023-01".to_string(), 2), ("2024-11".to_string(), 1)]
        );
        let three_years = counts(&[
            ("/date/2022/05/01", 4),
            ("/date/2023/01/02", 1),
            ("/date/2024/11/15", 1),
            ("/date/unknown", 7),
        ]);
        let s = summarize(&three_years, &["date".to_string()], 2);
        let got: Vec<(&str, u64)> = s["date"]
            .iter()
            .map(|v| (v.value.as_str(), v.count))
            .collect();
        assert_eq!(got, [("2023", 1), ("2024", 1), ("unknown", 7)]);
    }

    #[test]
    fn top_values_by_count_then_name() {
        let c = counts(&[
            ("/person/B", 2),
            ("/person/A", 2),
            ("/person/C", 5),
            ("/org/X", 9),
        ]);
        let s = summarize(&c, &["person".to_string()], 2);
        let got: Vec<&str> = s["person"].iter().map(|v| v.value.as_str()).collect();
        assert_eq!(got, ["C", "A"]);
    }
}
