//! Highlights: which bytes of a passage matched the query.
//!
//! The passage is re-analyzed with the same analyzers as its fields, and a token is marked
//! when its term is one the query looks for in that field. Ranges are UTF-8 byte offsets into
//! the passage text and cover the word as printed ("U.S." for the query "US").

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use tantivy::query::Query;
use tantivy::tokenizer::TextAnalyzer;

use crate::analyzer;
use crate::schema::Fields;

/// A highlighted byte range `[start, end)` of a passage's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// Start, UTF-8 byte offset into the passage text.
    pub start: usize,
    /// End (exclusive), UTF-8 byte offset into the passage text.
    pub end: usize,
}

/// Marks a query's terms in passage texts.
pub struct Highlighter {
    stemmed_terms: HashSet<String>,
    exact_terms: HashSet<String>,
    stemmed: TextAnalyzer,
    exact: TextAnalyzer,
}

impl Highlighter {
    /// A highlighter for the terms `query` looks for in the text fields.
    pub fn new(fields: &Fields, query: &dyn Query) -> Highlighter {
        let mut stemmed_terms = HashSet::new();
        let mut exact_terms = HashSet::new();
        query.query_terms(&mut |term, _| {
            let value = term.value();
            let Some(text) = value.as_str() else { return };
            if term.field() == fields.text {
                stemmed_terms.insert(text.to_string());
            } else if term.field() == fields.text_exact {
                exact_terms.insert(text.to_string());
            }
        });
        Highlighter {
            stemmed_terms,
            exact_terms,
            stemmed: analyzer::stemmed(),
            exact: analyzer::exact(),
        }
    }

    /// The matched ranges of `text`, sorted and merged.
    pub fn spans(&mut self, text: &str) -> Vec<Span> {
        let mut ranges = Vec::new();
        for (analyzer, terms) in [
            (&mut self.stemmed, &self.stemmed_terms),
            (&mut self.exact, &self.exact_terms),
        ] {
            if terms.is_empty() {
                continue;
            }
            for (term, range) in analyzer::terms(analyzer, text) {
                if terms.contains(&term) {
                    ranges.push(range);
                }
            }
        }
        ranges.sort_by_key(|r| (r.start, r.end));
        let mut out: Vec<Span> = Vec::new();
        for r in ranges {
            match out.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => out.push(Span {
                    start: r.start,
                    end: r.end,
                }),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::query::{BooleanQuery, Occur, TermQuery};
    use tantivy::schema::IndexRecordOption;
    use tantivy::Term;

    fn query(fields: &Fields, stem: &[&str], exact: &[&str]) -> BooleanQuery {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (field, words) in [(fields.text, stem), (fields.text_exact, exact)] {
            for w in words {
                let q = TermQuery::new(Term::from_field_text(field, w), IndexRecordOption::Basic);
                clauses.push((Occur::Should, Box::new(q)));
            }
        }
        BooleanQuery::new(clauses)
    }

    #[test]
    fn marks_printed_forms_of_stems_and_acronyms() {
        let (_, fields) = Fields::build();
        let text =
            "Iranian officials suggested Musk seek sanctions exemptions from the U.S. Treasury";
        let mut h = Highlighter::new(&fields, &query(&fields, &["sanction", "us"], &[]));
        let got: Vec<&str> = h
            .spans(text)
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect();
        assert_eq!(got, ["sanctions", "U.S."]);
    }

    #[test]
    fn overlapping_matches_from_both_fields_merge() {
        let (_, fields) = Fields::build();
        let text = "Ambassador Iravani’s mission";
        let mut h = Highlighter::new(&fields, &query(&fields, &["iravani"], &["iravani"]));
        assert_eq!(h.spans(text), [Span { start: 11, end: 18 }]);
    }
}
