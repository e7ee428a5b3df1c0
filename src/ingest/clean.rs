//! Cleaning one article: furniture out of its passages, text-given metadata read, entity
//! mentions found, its language detected.

use std::ops::Range;

use super::furniture::{self, Reason, Repeats};
use super::metadata::{self, Known, Source};
use super::{Article, Furniture, RawArticle};

/// Entities are looked for in an article's first this many bytes: far beyond any real
/// article, and it bounds the work and memory a runaway file (a whole site flattened into
/// one "article") costs; its later passages carry no entity facets.
pub const ENTITY_BYTES: usize = 1024 * 1024;

/// The paragraphs within [`ENTITY_BYTES`], the last one cut there (at a char boundary).
pub(super) fn entity_paragraphs(text: &str, paragraphs: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut limit = ENTITY_BYTES.min(text.len());
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    paragraphs
        .iter()
        .filter(|p| p.start < limit)
        .map(|p| p.start..p.end.min(limit))
        .collect()
}

/// Finds furniture and text-given metadata in a raw article.
pub fn clean(raw: RawArticle, repeats: &Repeats) -> Article {
    let RawArticle {
        id,
        origin,
        source,
        text,
        mut meta,
        warnings,
    } = raw;
    let mut furniture = Vec::new();
    let mut paragraphs = Vec::new();
    let mut content_from = 0;
    if let Some((date, range)) = metadata::leading_date(&text) {
        if meta.date.is_none() {
            meta.date = Some(Known {
                value: date,
                source: Source::Text,
            });
        }
        content_from = range.end;
        furniture.push(Furniture {
            start: range.start,
            end: range.end,
            reason: Reason::DateLine,
        });
    }
    let mut line_start = 0;
    // LF, CRLF and CR-only line ends alike (a CRLF leaves an empty line, which is skipped).
    for line in text.split_inclusive(['\n', '\r']) {
        let line_end = line_start + line.len();
        let from = line_start.max(content_from);
        line_start = line_end;
        if from >= line_end {
            continue;
        }
        let Some(range) = trimmed(&text, from..line_end) else {
            continue;
        };
        let content = &text[range.clone()];
        let reason = furniture::known_shape(content)
            .or_else(|| repeats.is_repeated(content).then_some(Reason::Repeated));
        match reason {
            Some(reason) => {
                if reason == Reason::AppPromotion && meta.outlet.is_none() {
                    if let Some(name) = metadata::sign_off_outlet(content) {
                        meta.outlet = Some(Known {
                            value: name.to_string(),
                            source: Source::Text,
                        });
                    }
                }
                furniture.push(Furniture {
                    start: range.start,
                    end: range.end,
                    reason,
                });
            }
            None => paragraphs.push(range),
        }
    }
    Article {
        id,
        origin,
        source,
        text,
        meta,
        paragraphs,
        passages: Vec::new(),
        shingles: Default::default(),
        furniture,
        mentions: Vec::new(),
        warnings,
    }
}

/// Detects an article's language from its paragraphs, unless its metadata gave one.
pub fn detect_language(article: &mut Article) {
    if article.meta.lang.is_some() {
        return;
    }
    let content: String = article
        .paragraphs
        .iter()
        .take_while(|r| r.start < 8192)
        .map(|r| &article.text[r.clone()])
        .collect::<Vec<_>>()
        .join("\n");
    article.meta.lang = crate::lang::detect(&content).map(|code| Known {
        value: code.to_string(),
        source: Source::Text,
    });
}

/// The range without leading and trailing whitespace (including NBSP), or None if blank.
fn trimmed(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let s = &text[range.clone()];
    let t = s.trim_start();
    let start = range.start + (s.len() - t.len());
    let t = t.trim_end();
    (!t.is_empty()).then(|| start..start + t.len())
}
