//! Screening a watch-list: every entry of a list of names (or queries) against the index, each
//! with the articles that mention it, as search finds them (spelling variants, other scripts).
//!
//! A list is either plain text, one entry per line (blank lines and `#` comments skipped), or
//! CSV with a header that has a `name` column, whose other columns are carried through to the
//! output (an id, a category, a note).

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Error, Result};
use crate::search::{Engine, Hit, SearchRequest};

/// One entry of a watch-list.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Its line in the file (1-based; the header of a CSV is line 1).
    pub line: usize,
    /// The name or query.
    pub name: String,
    /// The CSV's other columns, by header.
    pub fields: BTreeMap<String, String>,
}

/// Reads a watch-list: CSV when its first line is a header with a `name` column, else one
/// entry per line.
pub fn read_entries(path: &Path) -> Result<Vec<Entry>> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    parse_entries(&bytes, path)
}

/// A watch-list's entries from its bytes (`path` names it in errors), as [`read_entries`].
pub fn parse_entries(bytes: &[u8], path: &Path) -> Result<Vec<Entry>> {
    let text = String::from_utf8_lossy(bytes);
    let first = text.lines().next().unwrap_or("");
    let is_csv = first
        .split(',')
        .any(|h| h.trim().trim_matches('"').eq_ignore_ascii_case("name"));
    if is_csv {
        return read_csv(path, text.as_bytes());
    }
    Ok(text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|(n, l)| Entry {
            line: n + 1,
            name: l.trim().to_string(),
            fields: BTreeMap::new(),
        })
        .collect())
}

fn read_csv(path: &Path, bytes: &[u8]) -> Result<Vec<Entry>> {
    let bad = |e: csv::Error| Error::InvalidArgument(format!("{}: {e}", path.display()));
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers: Vec<String> = reader
        .headers()
        .map_err(bad)?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let Some(name_at) = headers.iter().position(|h| h.eq_ignore_ascii_case("name")) else {
        return Err(Error::InvalidArgument(format!(
            "{}: the CSV header has no name column",
            path.display()
        )));
    };
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(bad)?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let name = record.get(name_at).unwrap_or("").trim().to_string();
        if name.is_empty() {
            continue;
        }
        let fields = headers
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != name_at)
            .map(|(i, h)| (h.clone(), record.get(i).unwrap_or("").to_string()))
            .collect();
        out.push(Entry { line, name, fields });
    }
    Ok(out)
}

/// Every article that mentions one entry, best first, each with its best passage, handed to
/// `each` with the number of articles found (all of them: an export, not pages of a search;
/// one article in memory at a time); returns that number. Every word of an entry is required
/// (each in any of its forms): a list of names asks for articles that name the person, not
/// those that print a first name alone.
pub fn screen(
    engine: &Engine,
    entry: &Entry,
    shape: &dyn Fn(&mut SearchRequest),
    each: &mut dyn FnMut(Hit, usize) -> Result<()>,
) -> Result<usize> {
    let mut req = SearchRequest::new(&entry.name);
    shape(&mut req);
    req.all_words = true;
    req.collapse = false;
    Ok(engine.export(&req, each)?.returned)
}
