//! Cursors: deep pages without offsets. A search asked with `cursor=*` (CLI `--cursor '*'`)
//! answers its first page and a `next_cursor`; the same search with that cursor answers the
//! page after it, and so on to the last, whose `next_cursor` is null. Solr's `cursorMark` and
//! Elasticsearch's `search_after` work this way.
//!
//! A cursor is the position of the page's last article in the search's order (its sort key:
//! date, best score, article key, which no two articles share), not a count: the next page
//! starts after that position, found by a binary search in the ordered match set, so a page at
//! depth one million costs what the first costs, and an offset's ceiling does not apply.
//! Cursor searches score every match, as sorted and faceted ones do: the pruned path's top
//! articles are an estimate, and a cursor must walk one exact order. A commit between pages
//! re-scores the rest, as a search_after without a point in time does.
//!
//! The cursor carries a fingerprint of the search (query, filters, matching options, order,
//! collapse): a cursor handed to another search is refused, not silently misread.

use std::cmp::Ordering;

use super::collect::{Group, Scored};
use super::{SearchRequest, Sort};
use crate::error::{Error, Result};

/// Where a cursor search starts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cursor {
    /// The first page (`*`).
    Start,
    /// After this position.
    After(Position),
}

/// The sort key of the last article of a page, and the search it belongs to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Position {
    fingerprint: u64,
    score: f32,
    date: Option<i64>,
    key: u64,
}

/// Version of the encoding, first byte of every cursor.
const VERSION: u8 = 1;
/// Bytes of an encoded position.
const LEN: usize = 1 + 8 + 4 + 1 + 8 + 8;

impl Cursor {
    /// Reads `*` or a `next_cursor` as a search returned it.
    pub fn parse(s: &str) -> Result<Cursor> {
        let s = s.trim();
        if s == "*" {
            return Ok(Cursor::Start);
        }
        let bad = || {
            Error::InvalidArgument(format!(
                "cursor must be * (the first page) or a next_cursor a search returned, not {s:?}"
            ))
        };
        let bytes = decode_hex(s).filter(|b| b.len() == LEN).ok_or_else(bad)?;
        let u64_at = |at: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&bytes[at..at + 8]);
            u64::from_be_bytes(b)
        };
        if bytes[0] != VERSION {
            return Err(bad());
        }
        let mut score = [0u8; 4];
        score.copy_from_slice(&bytes[9..13]);
        let date = match bytes[13] {
            0 => None,
            1 => Some(u64_at(14) as i64),
            _ => return Err(bad()),
        };
        Ok(Cursor::After(Position {
            fingerprint: u64_at(1),
            score: f32::from_be_bytes(score),
            date,
            key: u64_at(22),
        }))
    }
}

impl Position {
    /// The position of `group` in the search `req`.
    pub(super) fn of(req: &SearchRequest, group: &Group) -> Position {
        Position {
            fingerprint: fingerprint(req),
            score: group.best(),
            date: group.date,
            key: group.key,
        }
    }

    /// The cursor's text: hex, so it needs no escaping in a URL.
    pub(super) fn encode(&self) -> String {
        let mut bytes = Vec::with_capacity(LEN);
        bytes.push(VERSION);
        bytes.extend(self.fingerprint.to_be_bytes());
        bytes.extend(self.score.to_be_bytes());
        bytes.push(u8::from(self.date.is_some()));
        bytes.extend((self.date.unwrap_or(0) as u64).to_be_bytes());
        bytes.extend(self.key.to_be_bytes());
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Where the page after this position starts in `shown` (ordered by `req.sort`); an
    /// error if the cursor came from another search.
    pub(super) fn start_in(&self, req: &SearchRequest, shown: &[&Group]) -> Result<usize> {
        if self.fingerprint != fingerprint(req) {
            return Err(Error::InvalidArgument(
                "this cursor belongs to another search (query, filters, sort or collapse \
                 differ): start again with cursor=*"
                    .into(),
            ));
        }
        let at = Group {
            key: self.key,
            cluster: 0,
            date: self.date,
            passages: vec![Scored {
                score: self.score,
                passage: 0,
            }],
        };
        Ok(shown.partition_point(|g| req.sort.compare(g, &at) != Ordering::Greater))
    }
}

/// What fixes a search's order and match set: its query, filters, matching options, order
/// and collapse (not its page size or passages).
fn fingerprint(req: &SearchRequest) -> u64 {
    let what = format!(
        "{:?}",
        (
            &req.query,
            &req.filters,
            req.all_words,
            req.exact,
            req.no_scripts,
            req.sort == Sort::Relevance,
            req.sort == Sort::Date,
            req.collapse
        )
    );
    crate::fnv::hash(what.as_bytes())
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.is_ascii() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(key: u64, score: f32, date: Option<i64>) -> Group {
        Group {
            key,
            cluster: key,
            date,
            passages: vec![Scored { score, passage: 0 }],
        }
    }

    #[test]
    fn a_cursor_reads_back_as_written() {
        let req = SearchRequest::new("Iravani");
        for g in [group(7, 2.5, Some(-86_400)), group(u64::MAX, 0.0, None)] {
            let p = Position::of(&req, &g);
            let text = p.encode();
            assert_eq!(text.len(), 2 * LEN);
            assert_eq!(Cursor::parse(&text).unwrap(), Cursor::After(p));
        }
        assert_eq!(Cursor::parse(" * ").unwrap(), Cursor::Start);
        for bad in ["", "xyz", "0102", &"zz".repeat(LEN), &"02".repeat(LEN)] {
            let err = Cursor::parse(bad).unwrap_err().to_string();
            assert!(
                err.starts_with("cursor must be * (the first page)"),
                "{err}"
            );
        }
    }

    #[test]
    fn the_next_page_starts_after_the_position_in_each_order() {
        let groups = [
            group(1, 3.0, Some(200)),
            group(2, 2.0, None),
            group(3, 2.0, Some(100)),
            group(4, 1.0, Some(100)),
        ];
        for sort in [Sort::Relevance, Sort::Date, Sort::NewestFirst] {
            let mut req = SearchRequest::new("q");
            req.sort = sort;
            let mut shown: Vec<&Group> = groups.iter().collect();
            shown.sort_by(|a, b| sort.compare(a, b));
            for (i, g) in shown.iter().enumerate() {
                let p = Position::of(&req, g);
                assert_eq!(p.start_in(&req, &shown).unwrap(), i + 1, "{sort:?} {i}");
            }
        }
        // Another search's cursor is refused.
        let req = SearchRequest::new("q");
        let p = Position::of(&req, &groups[0]);
        let mut other = SearchRequest::new("q");
        other.collapse = false;
        let shown: Vec<&Group> = groups.iter().collect();
        let err = p.start_in(&other, &shown).unwrap_err().to_string();
        assert!(err.contains("belongs to another search"), "{err}");
    }
}
