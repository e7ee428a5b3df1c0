//! Name variants: how a query word also finds the other spellings of a name.
//!
//! A query word of 5 or more letters that is not a common word is *eligible*. It then also
//! matches, in the `name` fields (words printed with a capital, not common words):
//! - its **fold** key ([`fold_key`]): transliteration variants such as Qassem / Qasem /
//!   Ghassem or Araghchi / Arghachi fold to the same key;
//! - **edit** variants: names in the index within Damerau distance 1 (5–7 letters) or 2
//!   (8 or more), found with a Levenshtein automaton over the `name` term dictionary.
//!
//! Words under 5 letters are never varied, so "Iran" never matches "Iraq" and "Musk" never
//! matches "Mask".

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::{Mutex, OnceLock};

use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use crate::error::Result;

/// Shortest word (in letters) that gets variants.
pub const MIN_LETTERS: usize = 5;
/// Words of this many letters or more get edit distance 2; shorter eligible ones, 1.
pub const DISTANCE_TWO_FROM: usize = 8;
/// Most edit variants kept per query word.
pub const MAX_EDITS: usize = 32;

static COMMON: OnceLock<rustc_hash::FxHashSet<&'static str>> = OnceLock::new();

/// Whether a (lowercased, accent-folded) word is a common English word.
pub fn is_common(word: &str) -> bool {
    COMMON
        .get_or_init(|| {
            include_str!("common_words.txt")
                .lines()
                .filter(|l| !l.starts_with('#'))
                .flat_map(str::split_whitespace)
                .collect()
        })
        .contains(word)
}

/// Whether a query word (already analyzed: lowercase, folded) gets variants.
pub fn is_eligible(word: &str) -> bool {
    word.chars().count() >= MIN_LETTERS
        && word.chars().all(|c| c.is_ascii_alphabetic())
        && !is_common(word)
}

/// The edit distance allowed for an eligible word.
pub fn max_distance(word: &str) -> u8 {
    if word.chars().count() >= DISTANCE_TWO_FROM {
        2
    } else {
        1
    }
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// The transliteration key of a lowercase ASCII word.
///
/// In order: `ph`→f, `gh`/`kh`/`q`/`ck`→k, `c` (not before h)→k, `w`→v, `y`→i, `dh`→d;
/// inside a run of vowels `e`→i and `o`→u (so ee/ei/ie → i, ou/oo → u); doubled letters
/// collapse; a single vowel between two consonants is dropped. Araghchi, Arghachi, Araqchi →
/// "arkchi"; Qassem, Qasem, Ghassem → "ksm"; Iravani, Irvani, Iravany → "irvni".
pub fn fold_key(word: &str) -> String {
    let b = word.as_bytes();
    let mut s: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let next = b.get(i + 1).copied();
        let (out, step): (&[u8], usize) = match (b[i], next) {
            (b'p', Some(b'h')) => (b"f", 2),
            (b'g' | b'k', Some(b'h')) => (b"k", 2),
            (b'c', Some(b'k')) => (b"k", 2),
            (b'd', Some(b'h')) => (b"d", 2),
            (b'c', Some(b'h')) => (b"ch", 2),
            (b'q' | b'c', _) => (b"k", 1),
            (b'w', _) => (b"v", 1),
            (b'y', _) => (b"i", 1),
            _ => (&b[i..i + 1], 1),
        };
        s.extend_from_slice(out);
        i += step;
    }
    // Vowel runs: e→i, o→u inside runs of two or more.
    let mut i = 0;
    while i < s.len() {
        if !is_vowel(s[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < s.len() && is_vowel(s[i]) {
            i += 1;
        }
        if i - start >= 2 {
            for c in &mut s[start..i] {
                *c = match *c {
                    b'e' => b'i',
                    b'o' => b'u',
                    other => other,
                };
            }
        }
    }
    s.dedup();
    // Drop single vowels between consonants (not the first or last letter).
    let mut out = Vec::with_capacity(s.len());
    for (i, &c) in s.iter().enumerate() {
        let between =
            i > 0 && i + 1 < s.len() && is_vowel(c) && !is_vowel(s[i - 1]) && !is_vowel(s[i + 1]);
        if !between {
            out.push(c);
        }
    }
    String::from_utf8(out).unwrap_or_default()
}

/// Damerau (optimal string alignment) distance between two words, by chars.
pub fn damerau(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[n][m]
}

/// Terms of `field` within `distance` of `word` (transpositions cost one), other than `word`
/// itself, with their distances: closest first, then alphabetical; at most [`MAX_EDITS`].
pub fn edit_variants(
    searcher: &Searcher,
    field: Field,
    word: &str,
    distance: u8,
) -> Result<Vec<(String, u8)>> {
    if distance == 0 {
        return Ok(Vec::new());
    }
    // Walking the dictionary with a Levenshtein automaton is the costly part of a short
    // query, and a server sees the same names again and again. Segments never change, so
    // the answer for a set of segments (by id, with their deletes) can be kept.
    let key = (
        segments_key(searcher),
        field.field_id(),
        word.to_string(),
        distance,
    );
    let cache = VARIANTS.get_or_init(Default::default);
    if let Some(found) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(found);
    }
    let found = find_edit_variants(searcher, field, word, distance)?;
    if let Ok(mut c) = cache.lock() {
        if c.len() >= VARIANT_CACHE {
            c.clear();
        }
        c.insert(key, found.clone());
    }
    Ok(found)
}

/// Queries whose variants the process keeps (then it starts over).
const VARIANT_CACHE: usize = 4096;

/// Variants found, by (segments, field, word, distance).
type VariantCache = Mutex<HashMap<(u64, u32, String, u8), Vec<(String, u8)>>>;
static VARIANTS: OnceLock<VariantCache> = OnceLock::new();

fn find_edit_variants(
    searcher: &Searcher,
    field: Field,
    word: &str,
    distance: u8,
) -> Result<Vec<(String, u8)>> {
    let automaton_query =
        FuzzyTermQuery::new(Term::from_field_text(field, word), distance.min(2), true);
    let mut found: HashSet<String> = HashSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let automaton = automaton_query.automaton()?;
        let mut stream = inverted
            .terms()
            .search(automaton)
            .into_stream()
            .map_err(|e| crate::Error::Tantivy(e.into()))?;
        while stream.advance() {
            if let Ok(term) = std::str::from_utf8(stream.key()) {
                if term != word {
                    found.insert(term.to_string());
                }
            }
        }
    }
    let mut out: Vec<(String, u8)> = found
        .into_iter()
        .map(|t| {
            let d = damerau(word, &t).min(usize::from(u8::MAX)) as u8;
            (t, d)
        })
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    out.truncate(MAX_EDITS);
    Ok(out)
}

/// A key for what a searcher sees: its segments, by id, with their deletes. Segments never
/// change, so an answer computed for one key holds until a commit changes the key.
pub fn segments_key(searcher: &Searcher) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for segment in searcher.segment_readers() {
        segment.segment_id().hash(&mut h);
        segment.num_deleted_docs().hash(&mut h);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_name_share_a_fold_key() {
        for group in [
            &["araghchi", "arghachi", "araqchi", "arakchi"][..],
            &["qassem", "qasem", "ghassem", "kasem"],
            &["iravani", "irvani", "iravany"],
            &["saeid", "saeed", "said"],
            &["baghaei", "baqaei"],
        ] {
            let keys: HashSet<String> = group.iter().map(|w| fold_key(w)).collect();
            assert_eq!(keys.len(), 1, "{group:?} → {keys:?}");
        }
        assert_eq!(fold_key("araghchi"), "arkchi");
        assert_eq!(fold_key("qassem"), "ksm");
    }

    #[test]
    fn different_names_keep_different_keys() {
        assert_ne!(fold_key("iran"), fold_key("iraq"));
        // "musk" and "mask" share a key ("msk"); words under 5 letters are never varied.
        assert!(!is_eligible("musk") && !is_eligible("mask"));
        assert_ne!(fold_key("soleimani"), fold_key("suleiman"));
        assert_ne!(fold_key("tehran"), fold_key("tirana"));
    }

    #[test]
    fn eligibility_spares_short_and_common_words() {
        assert!(is_eligible("araghchi") && is_eligible("qasem") && is_eligible("iravani"));
        assert!(!is_eligible("iran") && !is_eligible("musk") && !is_eligible("iraq"));
        assert!(
            !is_eligible("officials") && !is_eligible("according") && !is_eligible("president")
        );
        assert_eq!(
            (
                max_distance("qasem"),
                max_distance("iravani"),
                max_distance("araghchi")
            ),
            (1, 1, 2)
        );
    }

    #[test]
    fn damerau_counts_transpositions_as_one() {
        assert_eq!(damerau("qassem", "qasem"), 1);
        assert_eq!(damerau("iravani", "irvani"), 1);
        assert_eq!(damerau("araghchi", "arghachi"), 2);
        assert_eq!(damerau("ab", "ba"), 1);
        assert_eq!(damerau("iran", "iraq"), 1);
    }
}
