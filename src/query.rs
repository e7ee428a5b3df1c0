//! From what the user typed to a tantivy query: limits, lenient parsing, ranking boosts and
//! filters.
//!
//! The query syntax is tantivy's (AND, OR, NOT, `+`/`-`, `"phrase"`, `"phrase"~N`,
//! `field:term`), over the stemmed and the exact text fields, the exact field boosted so that
//! an exact form outranks a stem match. By default every word counts and none is required.
//! For a plain query of several words (no operators, quotes or fields), passages holding all
//! the words, and holding them within a few words of each other, get extra score.
//!
//! Before anything reaches tantivy the query is checked against [`Limits`]: its parser
//! overflows the stack on deeply nested brackets (killing the process), and huge top-k values
//! make it allocate without bound.

use std::ops::Bound;

use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query, QueryParser,
    RangeQuery, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DateTime, Term};

use crate::analyzer;
use crate::date::Date;
use crate::error::{Error, Result};
use crate::schema::{Fields, DATE_UNKNOWN, KIND_PASSAGE};
use crate::store::Store;

/// Boost of the exact (unstemmed) field over the stemmed one.
pub const EXACT_BOOST: f32 = 1.5;
/// Extra weight for passages holding every word of a plain multi-word query.
pub const ALL_WORDS_BOOST: f32 = 1.0;
/// Extra weight for passages holding the words within [`PROXIMITY_SLOP`] of each other.
pub const PROXIMITY_BOOST: f32 = 1.0;
/// How far apart (in words) the words of a plain query may stand to count as close.
pub const PROXIMITY_SLOP: u32 = 3;

/// Hard limits on a query and its result window. Defaults are documented in the README.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Longest query, in bytes.
    pub max_query_bytes: usize,
    /// Deepest bracket nesting.
    pub max_depth: usize,
    /// Most words (whitespace-separated items) in a query.
    pub max_words: usize,
    /// Largest `limit` (articles per page).
    pub max_limit: usize,
    /// Largest `offset`.
    pub max_offset: usize,
    /// Most passages per article.
    pub max_passages: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_query_bytes: 4096,
            max_depth: 16,
            max_words: 256,
            max_limit: 1000,
            max_offset: 100_000,
            max_passages: 50,
        }
    }
}

impl Limits {
    /// Checks a query's text against the limits.
    pub fn check_query(&self, q: &str) -> Result<()> {
        if q.len() > self.max_query_bytes {
            return Err(Error::Query(format!(
                "query is {} bytes long; the limit is {}",
                q.len(),
                self.max_query_bytes
            )));
        }
        let words = q.split_whitespace().count();
        if words > self.max_words {
            return Err(Error::Query(format!(
                "query has {words} words; the limit is {}",
                self.max_words
            )));
        }
        let depth = nesting_depth(q);
        if depth > self.max_depth {
            return Err(Error::Query(format!(
                "brackets nest {depth} deep; the limit is {}",
                self.max_depth
            )));
        }
        Ok(())
    }

    /// Checks a result window against the limits.
    pub fn check_window(&self, limit: usize, offset: usize, passages: usize) -> Result<()> {
        let bad = |what: &str, value: usize, range: String| {
            Err(Error::InvalidArgument(format!(
                "{what} {value} is out of range: {range}"
            )))
        };
        if limit == 0 || limit > self.max_limit {
            return bad("limit", limit, format!("1 to {}", self.max_limit));
        }
        if offset > self.max_offset {
            return bad("offset", offset, format!("0 to {}", self.max_offset));
        }
        if passages == 0 || passages > self.max_passages {
            return bad("passages", passages, format!("1 to {}", self.max_passages));
        }
        Ok(())
    }
}

/// Deepest bracket nesting outside quotes (unbalanced closers are ignored).
pub fn nesting_depth(q: &str) -> usize {
    let (mut depth, mut max, mut quoted) = (0usize, 0usize, false);
    for c in q.chars() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => {
                depth += 1;
                max = max.max(depth);
            }
            ')' if !quoted => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// Restrictions on which articles a search may return.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// Keep only these outlets (name or site, any case); empty keeps all.
    pub outlets: Vec<String>,
    /// Keep articles dated on or after this day.
    pub since: Option<Date>,
    /// Keep articles dated on or before this day.
    pub until: Option<Date>,
    /// With `since`/`until`, also keep articles whose date is unknown.
    pub undated: bool,
}

/// A query ready to run, with what the parser had to say about it.
pub struct Compiled {
    /// The full query: user query, boosts and filters.
    pub query: Box<dyn Query>,
    /// The user's query alone (for highlighting).
    pub user_query: Box<dyn Query>,
    /// Parts of the query that were ignored, and why.
    pub warnings: Vec<String>,
}

/// Parses and assembles a query. Fails only when nothing of the query can be used.
pub fn compile(
    store: &Store,
    text: &str,
    filters: &Filters,
    all_words: bool,
    limits: &Limits,
) -> Result<Compiled> {
    limits.check_query(text)?;
    let f = store.fields();
    if text.trim().is_empty() {
        return Err(Error::Query("the query is empty".into()));
    }
    let mut parser = QueryParser::for_index(store.index(), vec![f.text, f.text_exact]);
    parser.set_field_boost(f.text_exact, EXACT_BOOST);
    if all_words {
        parser.set_conjunction_by_default();
    }
    let (user_query, errors) = parser.parse_query_lenient(text);
    let warnings: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    if is_empty(user_query.as_ref())
        || (!warnings.is_empty() && only_operator_words(user_query.as_ref()))
    {
        let why = if warnings.is_empty() {
            "it holds no searchable word".to_string()
        } else {
            warnings.join("; ")
        };
        return Err(Error::Query(format!(
            "nothing in {text:?} can be searched: {why}"
        )));
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, user_query.box_clone())];
    if is_plain(text) {
        clauses.extend(closeness_boosts(f, text));
    }
    clauses.push((Occur::Must, filter(term(f.kind, KIND_PASSAGE))));
    let mut warnings = warnings;
    clauses.extend(filter_clauses(f, filters, &mut warnings)?);
    Ok(Compiled {
        query: Box::new(BooleanQuery::new(clauses)),
        user_query,
        warnings,
    })
}

fn is_empty(q: &dyn Query) -> bool {
    if q.downcast_ref::<EmptyQuery>().is_some() {
        return true;
    }
    q.downcast_ref::<BooleanQuery>().is_some_and(|b| {
        b.clauses()
            .iter()
            .all(|(occur, sub)| *occur == Occur::MustNot || is_empty(sub.as_ref()))
    })
}

/// Whether the lenient parser kept nothing but stray operator keywords ("AND OR (" → "or").
fn only_operator_words(q: &dyn Query) -> bool {
    let mut only = true;
    q.query_terms(&mut |term, _| {
        let value = term.value();
        only &= value
            .as_str()
            .is_some_and(|t| matches!(t, "and" | "or" | "not"));
    });
    only
}

/// A query of bare words: no quotes, brackets, fields, operators or prefixes.
fn is_plain(text: &str) -> bool {
    !text.contains(['"', '(', ')', ':', '~', '^', '[', ']', '{', '}', '*'])
        && text
            .split_whitespace()
            .all(|w| !matches!(w, "AND" | "OR" | "NOT" | "IN") && !w.starts_with(['+', '-']))
}

/// "All words" and "close together" boosts for a plain query of two or more words.
fn closeness_boosts(f: &Fields, text: &str) -> Vec<(Occur, Box<dyn Query>)> {
    let mut seen = std::collections::HashSet::new();
    let words: Vec<String> = analyzer::terms(&mut analyzer::stemmed(), text)
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    let terms: Vec<Term> = words
        .iter()
        .map(|w| Term::from_field_text(f.text, w))
        .collect();
    let distinct: Vec<Term> = terms
        .iter()
        .filter(|t| seen.insert((*t).clone()))
        .cloned()
        .collect();
    if distinct.len() < 2 {
        return Vec::new();
    }
    let all: Vec<(Occur, Box<dyn Query>)> = distinct
        .into_iter()
        .map(|t| {
            (
                Occur::Must,
                Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs)) as Box<dyn Query>,
            )
        })
        .collect();
    let mut near = PhraseQuery::new(terms);
    near.set_slop(PROXIMITY_SLOP);
    vec![
        (
            Occur::Should,
            Box::new(BoostQuery::new(
                Box::new(BooleanQuery::new(all)),
                ALL_WORDS_BOOST,
            )),
        ),
        (
            Occur::Should,
            Box::new(BoostQuery::new(Box::new(near), PROXIMITY_BOOST)),
        ),
    ]
}

fn term(field: tantivy::schema::Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

/// A clause that restricts without adding score.
fn filter(q: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(q, 0.0))
}

fn filter_clauses(
    f: &Fields,
    filters: &Filters,
    warnings: &mut Vec<String>,
) -> Result<Vec<(Occur, Box<dyn Query>)>> {
    let mut out = Vec::new();
    let outlets: Vec<String> = filters
        .outlets
        .iter()
        .map(|o| o.trim().to_lowercase())
        .filter(|o| !o.is_empty())
        .collect();
    if !outlets.is_empty() {
        let any = outlets
            .iter()
            .map(|o| (Occur::Should, term(f.outlet_key, o)))
            .collect();
        out.push((Occur::Must, filter(Box::new(BooleanQuery::new(any)))));
    }
    if let (Some(since), Some(until)) = (filters.since, filters.until) {
        if since > until {
            return Err(Error::InvalidArgument(format!(
                "--since {since} is after --until {until}"
            )));
        }
    }
    if filters.since.is_none() && filters.until.is_none() {
        if filters.undated {
            warnings.push("--undated has no effect without --since or --until".into());
        }
        return Ok(out);
    }
    let bound = |d: Option<Date>| match d {
        Some(d) => Bound::Included(Term::from_field_date_for_search(
            f.date,
            DateTime::from_timestamp_secs(d.timestamp_secs()),
        )),
        None => Bound::Unbounded,
    };
    let range: Box<dyn Query> =
        Box::new(RangeQuery::new(bound(filters.since), bound(filters.until)));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_brackets_outside_quotes() {
        assert_eq!(nesting_depth("a (b (c)) (d)"), 2);
        assert_eq!(nesting_depth("\"((((\" x"), 0);
        assert_eq!(nesting_depth(")))((("), 3);
    }

    #[test]
    fn limits_refuse_before_parsing() {
        let l = Limits::default();
        let deep = format!("{}x{}", "(".repeat(2000), ")".repeat(2000));
        assert!(matches!(l.check_query(&deep), Err(Error::Query(m)) if m.contains("2000 deep")));
        assert!(l.check_query(&"a ".repeat(10_000)).is_err());
        assert!(l.check_query(&"x".repeat(5000)).is_err());
        assert!(l.check_query("Iravani AND (Musk OR Cheung)").is_ok());
        assert!(l.check_window(10_000_000_000, 0, 1).is_err());
        assert!(l.check_window(10, 0, 0).is_err());
        assert!(l.check_window(10, 0, 3).is_ok());
    }

    #[test]
    fn plain_queries_are_bare_words() {
        assert!(is_plain("US sanctions"));
        assert!(!is_plain("\"peace through strength\""));
        assert!(!is_plain("Iran AND Musk"));
        assert!(!is_plain("+Iran Musk"));
        assert!(!is_plain("outlet:Ynetnews"));
    }
}
