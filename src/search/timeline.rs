//! Timelines: how many articles each of several queries matches per day, week or month, beside
//! how many articles the index holds in that bucket (attention over time, as Media Cloud
//! reports it: a share, so that a week with twice the news does not read as twice the
//! attention).
//!
//! Buckets come from the articles' date facets, which keep a date's precision: an article
//! dated only to its month counts in its month, and under `day` or `week` in the `unknown`
//! bucket with the undated ones (it cannot be placed on a day).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use super::{Engine, SearchRequest};
use crate::date::Date;
use crate::error::{Error, Result};
use crate::facets;

/// A timeline's bucket size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum By {
    /// Calendar days, `2024-11-15`.
    Day,
    /// ISO weeks (Monday to Sunday, the week of the year's first Thursday is week 1),
    /// `2024-W46`.
    Week,
    /// Calendar months, `2024-11`.
    Month,
}

impl By {
    /// Reads `day`, `week` or `month`.
    pub fn parse(s: &str) -> Result<By> {
        match s {
            "day" => Ok(By::Day),
            "week" => Ok(By::Week),
            "month" => Ok(By::Month),
            _ => Err(Error::InvalidArgument(format!(
                "by must be day, week or month, not {s:?}"
            ))),
        }
    }

    /// The bucket of a date facet value (`2024/11/15`, `2024/11`, `2024` or `unknown`).
    fn bucket(self, value: &str) -> String {
        let parts: Vec<&str> = value.split('/').collect();
        let day = || -> Option<Date> {
            match parts.as_slice() {
                [y, m, d] => Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?),
                _ => None,
            }
        };
        let named = match (self, parts.as_slice()) {
            (By::Month, [y, m, ..]) => Some(format!("{y}-{m}")),
            (By::Day, [y, m, d]) => Some(format!("{y}-{m}-{d}")),
            (By::Week, _) => day().map(iso_week),
            _ => None,
        };
        named.unwrap_or_else(|| UNKNOWN.to_string())
    }
}

/// The bucket of articles with no date (or none as fine as the buckets).
pub const UNKNOWN: &str = "unknown";

/// `2024-W46`: the ISO week of a day.
fn iso_week(day: Date) -> String {
    let days = day.days_since_epoch();
    // 1970-01-01 was a Thursday; Monday is 0.
    let weekday = (days + 3).rem_euclid(7);
    let thursday = days - weekday + 3;
    let jan1 = |y: i32| Date::new(y, 1, 1).map_or(i64::MIN, Date::days_since_epoch);
    let mut year = i32::try_from((1970 + thursday.div_euclid(365)).clamp(1, 9999)).unwrap_or(1970);
    // The estimate is at most a year off either way.
    while year < 9999 && jan1(year + 1) <= thursday {
        year += 1;
    }
    while year > 1 && jan1(year) > thursday {
        year -= 1;
    }
    format!("{year}-W{:02}", (thursday - jan1(year)) / 7 + 1)
}

/// Counts per bucket for each query.
#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    /// The bucket size.
    pub by: By,
    /// The queries, in the order given.
    pub queries: Vec<String>,
    /// Articles each query matched in all (every bucket).
    pub totals: Vec<u64>,
    /// Every bucket that holds an article, in time order, `unknown` last.
    pub buckets: Vec<Bucket>,
    /// Warnings about the queries (as search gives them), prefixed with the query.
    pub warnings: Vec<String>,
}

/// One bucket of a timeline.
#[derive(Debug, Clone, Serialize)]
pub struct Bucket {
    /// `2024-11-15`, `2024-W46`, `2024-11` or `unknown`.
    pub bucket: String,
    /// Articles the index holds in the bucket.
    pub articles: u64,
    /// Per query, in order: articles it matched in the bucket.
    pub counts: Vec<u64>,
}

impl Engine {
    /// The timeline of `requests` (one per query; their filters apply to their counts, not
    /// to the bucket's total, which counts every article of the index).
    pub fn timeline(&self, requests: &[SearchRequest], by: By) -> Result<Timeline> {
        let searcher = self.reader.searcher();
        let f = self.store.fields();
        let per_bucket = |counts: &HashMap<String, u64>| {
            let mut out: HashMap<String, u64> = HashMap::new();
            for (path, n) in counts {
                if let Some(value) = path.strip_prefix("/date/") {
                    *out.entry(by.bucket(value)).or_default() += n;
                }
            }
            out
        };
        let all = per_bucket(&facets::count(&searcher, f, None)?);
        let mut matched = Vec::new();
        let mut warnings = Vec::new();
        for req in requests {
            let (grouped, compiled) = self.every_match(&searcher, req, 1)?;
            warnings.extend(
                compiled
                    .warnings
                    .iter()
                    .map(|w| format!("{}: {w}", req.query)),
            );
            let keys: HashSet<u64> = grouped.groups.iter().map(|g| g.key).collect();
            let counts = if keys.is_empty() {
                HashMap::new()
            } else {
                per_bucket(&facets::count(
                    &searcher,
                    f,
                    Some(std::sync::Arc::new(keys)),
                )?)
            };
            matched.push(counts);
        }
        let ordered: BTreeMap<(bool, String), u64> = all
            .into_iter()
            .map(|(bucket, n)| ((bucket == UNKNOWN, bucket), n))
            .collect();
        let buckets = ordered
            .into_iter()
            .map(|((_, bucket), articles)| Bucket {
                counts: matched
                    .iter()
                    .map(|m| m.get(&bucket).copied().unwrap_or(0))
                    .collect(),
                bucket,
                articles,
            })
            .collect();
        Ok(Timeline {
            by,
            queries: requests.iter().map(|r| r.query.clone()).collect(),
            totals: matched.iter().map(|m| m.values().sum()).collect(),
            buckets,
            warnings,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_follow_the_calendar_and_iso_weeks() {
        assert_eq!(By::Day.bucket("2024/11/15"), "2024-11-15");
        assert_eq!(By::Month.bucket("2024/11/15"), "2024-11");
        assert_eq!(By::Month.bucket("2024/11"), "2024-11");
        assert_eq!(By::Day.bucket("2024/11"), UNKNOWN);
        assert_eq!(By::Month.bucket("2024"), UNKNOWN);
        assert_eq!(By::Week.bucket("unknown"), UNKNOWN);
        assert_eq!(By::Week.bucket("2024/11/15"), "2024-W46");
        // Week 1 of 2025 starts on Monday 30 December 2024; 1 January 2021 is in 2020's week 53.
        assert_eq!(By::Week.bucket("2024/12/30"), "2025-W01");
        assert_eq!(By::Week.bucket("2021/01/01"), "2020-W53");
        assert_eq!(By::Week.bucket("2021/01/04"), "2021-W01");
        assert_eq!(
            By::parse("year").unwrap_err().to_string(),
            "by must be day, week or month, not \"year\""
        );
    }
}
