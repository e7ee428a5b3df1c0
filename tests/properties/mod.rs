//! Property tests (proptest): passages, highlights and offsets hold for any Unicode text.
//!
//! Texts are built from words in every script (any alphanumeric `char`) and separators
//! (white space, punctuation, symbols, emoji, combining marks, zero-width and control
//! characters), so the properties see what scraped pages hold. A "word" is what byline's
//! tokenizer documents: a run of letters, digits and combining marks. Dots and apostrophes are left out
//! of the separators: "U.S." and "Iran's" are read further than a run, and tested by example.

use std::ops::Range;

use byline::ingest::furniture::Repeats;
use byline::ingest::metadata::Metadata;
use byline::ingest::{clean, RawArticle};
use byline::{passage, Engine, IndexOptions, SearchRequest, Store};
use proptest::prelude::*;

/// Characters between words.
const SEPARATORS: &[char] = &[
    ' ', ' ', ' ', '\n', '\n', '\t', '\r', ',', ';', ':', '!', '?', '-', '—', '«', '»', '"', '“',
    '”', '(', ')', '/', '#', '%', '&', '*', '\u{a0}', '\u{3000}', '\u{200b}', '\u{301}', '\u{0}',
    '\u{1b}', '🙂', '€', '•', '|',
];

/// Letters and digits of many scripts: Latin with its supplements (ß, İ, ı), Greek,
/// Cyrillic, Hebrew, Arabic, Devanagari, Thai, Hangul, kana, CJK ideographs, and digits.
const LETTERS: &[std::ops::RangeInclusive<char>] = &[
    'a'..='z',
    'A'..='Z',
    '0'..='9',
    '\u{c0}'..='\u{17f}',
    '\u{391}'..='\u{3c9}',
    '\u{400}'..='\u{45f}',
    '\u{5d0}'..='\u{5ea}',
    '\u{621}'..='\u{64a}',
    '\u{6a9}'..='\u{6cc}',
    '\u{905}'..='\u{939}',
    '\u{e01}'..='\u{e30}',
    '\u{ac00}'..='\u{d7a3}',
    '\u{3041}'..='\u{30ff}',
    '\u{4e00}'..='\u{9fff}',
    '\u{660}'..='\u{669}',
];

fn word() -> impl Strategy<Value = String> {
    let letter = prop_oneof![
        9 => prop::char::ranges(LETTERS.into()),
        1 => prop::char::any(),
    ];
    prop::collection::vec(
        letter.prop_filter("a letter or digit", |c| c.is_alphanumeric()),
        1..10,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

fn separator() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(SEPARATORS), 1..4)
        .prop_map(|chars| chars.into_iter().collect())
}

/// A text of 1 to 60 words with separators before, between and after them.
fn text() -> impl Strategy<Value = String> {
    (
        separator(),
        prop::collection::vec((word(), separator()), 1..60),
    )
        .prop_map(|(lead, words)| {
            let mut text = lead;
            for (w, sep) in words {
                text.push_str(&w);
                text.push_str(&sep);
            }
            text
        })
}

fn cleaned(text: &str) -> byline::ingest::Article {
    clean(
        RawArticle {
            id: "p".into(),
            origin: "prop".into(),
            source: Default::default(),
            text: text.to_string(),
            meta: Metadata::default(),
            warnings: Vec::new(),
        },
        &Repeats::default(),
    )
}

/// The words of `text[range]` with 3 or more letters or digits, as byline's tokenizer
/// documents a word: it starts with a letter or digit and runs on through letters, digits,
/// combining marks and zero-width joiners.
fn words_in(text: &str, range: Range<usize>) -> Vec<String> {
    let continues = |c: char| {
        c.is_alphanumeric()
            || unicode_normalization::char::is_combining_mark(c)
            || matches!(c, '\u{200c}' | '\u{200d}')
    };
    let mut words = Vec::new();
    let mut word = String::new();
    for c in text[range].chars().chain([' ']) {
        if continues(c) && (!word.is_empty() || c.is_alphanumeric()) {
            word.push(c);
        } else if !word.is_empty() {
            if word.chars().filter(|c| c.is_alphanumeric()).count() >= 3 {
                words.push(std::mem::take(&mut word));
            }
            word.clear();
        }
    }
    words
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// Passages lie in content paragraphs, in order, never overlap, cut on char boundaries,
    /// never start or end in white space, and miss no word of a paragraph.
    #[test]
    fn passages_tile_the_paragraphs_in_order(text in text()) {
        let article = cleaned(&text);
        let ranges = passage::split(&article.text, &article.paragraphs);
        let mut last_end = 0;
        for r in &ranges {
            prop_assert!(r.start < r.end && r.end <= text.len(), "{r:?}");
            prop_assert!(r.start >= last_end, "{r:?} overlaps the one before");
            prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            prop_assert!(
                article.paragraphs.iter().any(|p| p.start <= r.start && r.end <= p.end),
                "{r:?} is not inside a paragraph"
            );
            let body = &text[r.clone()];
            prop_assert_eq!(body.trim(), body);
            last_end = r.end;
        }
        for p in &article.paragraphs {
            let mut covered = String::new();
            for r in ranges.iter().filter(|r| p.start <= r.start && r.end <= p.end) {
                covered.push_str(&text[r.clone()]);
                covered.push(' ');
            }
            for w in words_in(&text, p.clone()) {
                prop_assert!(covered.contains(&w), "{w:?} of {p:?} is in no passage");
            }
        }
    }
}

proptest! {
    // Each case builds an index, so fewer cases.
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Any text indexes without error, and each of its content words of 3+ letters finds it.
    /// Every passage of a hit is the stored text at its offsets, and every highlight lies
    /// inside its passage on char boundaries.
    #[test]
    fn any_text_is_found_by_each_of_its_words(text in text()) {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.ndjson");
        let record = serde_json::json!({"id": "p", "text": text});
        std::fs::write(&input, format!("{record}\n")).unwrap();
        let index = dir.path().join("index");
        let store = Store::open_or_create(&index).unwrap();
        let options = IndexOptions { paths: vec![input], ..IndexOptions::default() };
        let mut skipped = Vec::new();
        let report = byline::index(&store, &options, &mut |s| skipped.push(s.to_string()));
        let report = report.map_err(|e| TestCaseError::fail(e.to_string()))?;
        let article = cleaned(&text);
        let words: Vec<String> = article
            .paragraphs
            .iter()
            .flat_map(|p| words_in(&text, p.clone()))
            .collect();
        if words.is_empty() {
            return Ok(());
        }
        prop_assert_eq!(report.index_articles, 1, "skipped: {:?}", skipped);
        let engine = Engine::open(&index).unwrap();
        let stored = engine.article("p").unwrap().text;
        prop_assert_eq!(&stored, &text);
        for w in words.iter().take(12) {
            let query = format!("\"{w}\"");
            let found = engine
                .search(&SearchRequest::new(query.clone()))
                .map_err(|e| TestCaseError::fail(format!("{query}: {e}")))?;
            prop_assert_eq!(found.hits.len(), 1, "{} found nothing", query);
            for p in &found.hits[0].passages {
                prop_assert_eq!(&stored[p.start..p.end], p.text.as_str());
                prop_assert!(!p.highlights.is_empty(), "{} highlights nothing", query);
                for h in &p.highlights {
                    prop_assert!(h.start < h.end && h.end <= p.text.len(), "{h:?}");
                    prop_assert!(
                        p.text.is_char_boundary(h.start) && p.text.is_char_boundary(h.end),
                        "{h:?} cuts a char"
                    );
                }
            }
        }
    }
}
