//! What one search asks for, checked once before any work is done.

use crate::error::{Error, Result};
use crate::facets;
use crate::query::{Filters, Limits, QueryOptions};

/// One search: the query, filters and result window.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// The query, in byline's query syntax.
    pub query: String,
    /// Restrictions on outlets and dates.
    pub filters: Filters,
    /// Articles per page.
    pub limit: usize,
    /// Articles to skip.
    pub offset: usize,
    /// Passages per article.
    pub passages: usize,
    /// Require every word (AND) instead of the default, where every word counts but none
    /// is required.
    pub all_words: bool,
    /// Turn name variants and aliases off: only exact and stemmed forms match.
    pub exact: bool,
    /// Keep spelling variants and aliases but not forms printed in another script.
    pub no_scripts: bool,
    /// Facet dimensions to count (`outlet`, `date`, `person`, `org`, `place`).
    pub facets: Vec<String>,
    /// Values listed per facet dimension.
    pub facet_limit: usize,
    /// One hit per story: an article whose copy ranks higher is left out, and the copy
    /// shown says where else it ran. On by default.
    pub collapse: bool,
    /// The order of the hits.
    pub sort: Sort,
    /// Cursor paging ([`super::cursor`]): `Some(Start)` for the first page, then each
    /// page's `next_cursor`; `None` pages by offset.
    pub cursor: Option<super::cursor::Cursor>,
}

/// The order of a search's hits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best first (the default).
    #[default]
    Relevance,
    /// Oldest first; undated articles last; relevance breaks ties.
    Date,
    /// Newest first; undated articles last; relevance breaks ties.
    #[serde(rename = "-date")]
    NewestFirst,
}

impl Sort {
    /// Puts groups ranked by relevance in this order (stable: relevance breaks ties).
    pub(super) fn apply(self, groups: &mut [super::collect::Group]) {
        if self != Sort::Relevance {
            groups.sort_by(|a, b| self.compare(a, b));
        }
    }

    /// The order of two articles: total, since article keys differ.
    pub(super) fn compare(
        self,
        a: &super::collect::Group,
        b: &super::collect::Group,
    ) -> std::cmp::Ordering {
        match self {
            Sort::Relevance => a.rank_cmp(b),
            Sort::Date => a.date_cmp(b, false),
            Sort::NewestFirst => a.date_cmp(b, true),
        }
    }

    /// Reads `relevance`, `date` or `-date`.
    pub fn parse(s: &str) -> Result<Sort> {
        match s {
            "relevance" => Ok(Sort::Relevance),
            "date" => Ok(Sort::Date),
            "-date" => Ok(Sort::NewestFirst),
            _ => Err(Error::InvalidArgument(format!(
                "sort must be relevance, date or -date, not {s:?}"
            ))),
        }
    }
}

impl SearchRequest {
    /// A request with the default window: 10 articles, best passage each.
    pub fn new(query: impl Into<String>) -> Self {
        SearchRequest {
            query: query.into(),
            filters: Filters::default(),
            limit: 10,
            offset: 0,
            passages: 1,
            all_words: false,
            exact: false,
            no_scripts: false,
            facets: Vec::new(),
            facet_limit: facets::TOP_VALUES,
            collapse: true,
            sort: Sort::Relevance,
            cursor: None,
        }
    }
}

impl SearchRequest {
    /// How the query is to be read.
    pub fn options(&self) -> QueryOptions {
        QueryOptions {
            all_words: self.all_words,
            exact: self.exact,
            no_scripts: self.no_scripts,
        }
    }

    /// Checks the result window and the facets asked against `limits`, before anything is
    /// searched. (The query's own limits are checked as it is compiled.)
    pub fn validate(&self, limits: &Limits) -> Result<()> {
        let bad = |what: &str, value: usize, range: String| {
            Err(Error::InvalidArgument(format!(
                "{what} {value} is out of range: {range}"
            )))
        };
        if self.limit == 0 || self.limit > limits.max_limit {
            return bad("limit", self.limit, format!("1 to {}", limits.max_limit));
        }
        if self.offset > limits.max_offset {
            return bad("offset", self.offset, format!("0 to {}", limits.max_offset));
        }
        if self.cursor.is_some() && self.offset > 0 {
            return Err(Error::InvalidArgument(
                "offset and cursor do not go together: a cursor says where the page starts".into(),
            ));
        }
        if self.passages == 0 || self.passages > limits.max_passages {
            return bad(
                "passages",
                self.passages,
                format!("1 to {}", limits.max_passages),
            );
        }
        facets::check_limit(self.facet_limit)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_and_facet_limit_are_checked_with_their_names() {
        let limits = Limits::default();
        let ok = SearchRequest::new("Iravani");
        assert!(ok.validate(&limits).is_ok());
        let err = |f: &dyn Fn(&mut SearchRequest)| {
            let mut r = SearchRequest::new("Iravani");
            f(&mut r);
            r.validate(&limits).unwrap_err().to_string()
        };
        assert!(err(&|r| r.limit = 0).contains("limit 0 is out of range: 1 to 1000"));
        assert!(err(&|r| r.offset = 100_001).contains("offset 100001 is out of range: 0 to 100000"));
        assert!(err(&|r| r.passages = 51).contains("passages 51 is out of range: 1 to 50"));
        assert!(err(&|r| r.facet_limit = 0).contains("facet_limit 0 is out of range: 1 to 1000"));
        assert!(err(&|r| {
            r.offset = 10;
            r.cursor = Some(super::super::cursor::Cursor::Start);
        })
        .contains("offset and cursor do not go together"));
    }
}
