//! Finding entity mentions in an article's content paragraphs, by rules.
//!
//! A mention starts as a run of capitalised words (with "of", "for", "al", "bin", "de", "von"
//! and the like allowed between them), broken at punctuation and after a possessive. The run
//! is then cut: leading common words ("The", "According") and demonyms ("Iranian") are not
//! part of a name, and roles ("Foreign Minister", "Sen.", "President-elect") split it and mark
//! what follows as a person. Each piece is classified by the gazetteer, then by cues: after a
//! role → person; ending in an organisation word ("Ministry", "Agency", "Times") or an acronym
//! → org; two or more name-like words → person. A lone capitalised word not in the gazetteer
//! is kept as a *single* mention, to be resolved against the corpus (Musk → Elon Musk) or
//! dropped. Only content paragraphs are read: furniture and photo credits never count.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use super::gazetteer::{normalize, Gazetteer};
use super::Kind;
use crate::variants;

/// Words that end an organisation's name.
static ORG_CUES: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| word_list(include_str!("org_cues.txt")));

/// Roles and honorifics, lowercased without dots; the first word of a multi-word role is
/// enough to split, and the following role words are skipped too.
static ROLES: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| word_list(include_str!("roles.txt")));

/// Small words allowed inside a name ("Department of Government Efficiency").
static CONNECTORS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| word_list(include_str!("connectors.txt")));

/// The words of a word-list file: one a line, `#` lines and blank lines skipped.
fn word_list(text: &'static str) -> HashSet<&'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// Function words of other languages than English ([`variants::is_common`] has English's):
/// never the first word of a name.
static FUNCTION_WORDS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| word_list(include_str!("function_words.txt")));

/// A mention as found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Byte range in the article text.
    pub range: Range<usize>,
    /// The words as printed.
    pub surface: String,
    /// Normalized form (exact-analyzer words joined by spaces).
    pub normalized: String,
    /// What the rules decided.
    pub class: Class,
}

/// The rules' verdict on a mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Class {
    /// Known to the gazetteer: its kind and canonical name.
    Known(Kind, String),
    /// Classified by cues; its canonical name is decided per corpus.
    Cued(Kind),
    /// One unknown capitalised word, to resolve against the corpus.
    Single,
}

#[derive(Debug, Clone)]
struct Word {
    range: Range<usize>,
    text: String,
    lower: String,
    /// A possessive "’s" followed the word.
    possessive: bool,
    /// Punctuation between this word and the next breaks a name.
    break_after: bool,
    /// First word of a sentence.
    sentence_start: bool,
}

fn words(text: &str, para: Range<usize>) -> Vec<Word> {
    let s = &text[para.clone()];
    let mut out: Vec<Word> = Vec::new();
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut i = 0;
    let mut sentence_start = true;
    while i < chars.len() {
        let (start, c) = chars[i];
        if !c.is_alphanumeric() {
            if matches!(c, '.' | '!' | '?') {
                sentence_start = true;
            }
            if !c.is_whitespace() {
                if let Some(last) = out.last_mut() {
                    last.break_after = true;
                }
            }
            i += 1;
            continue;
        }
        let mut j = i;
        // Letters, digits, inner hyphens and apostrophes, and dots of abbreviations.
        while j < chars.len() {
            let (_, d) = chars[j];
            let next_alnum = chars.get(j + 1).is_some_and(|(_, n)| n.is_alphanumeric());
            if d.is_alphanumeric() || (matches!(d, '-' | '\'' | '’' | '.') && next_alnum) {
                j += 1;
            } else {
                break;
            }
        }
        let mut end = chars.get(j).map_or(s.len(), |&(o, _)| o);
        let mut word = &s[start..end];
        // A final dot belongs to "U.S." and "Sen.", not to a sentence's last word.
        let abbreviation = chars.get(j).is_some_and(|&(_, d)| d == '.')
            && (word.contains('.')
                || ROLES.contains(&word.to_lowercase().as_str())
                || word.len() == 1);
        let mut k = j;
        if abbreviation {
            end += 1;
            k += 1;
            word = &s[start..end];
        }
        let mut possessive = false;
        for suffix in ["'s", "’s", "'S", "’S"] {
            if let Some(stem) = word.strip_suffix(suffix) {
                end = start + stem.len();
                word = stem;
                possessive = true;
            }
        }
        let was_start = sentence_start && !abbreviation;
        sentence_start = false;
        out.push(Word {
            range: para.start + start..para.start + end,
            text: word.to_string(),
            lower: word.to_lowercase().replace('.', ""),
            possessive,
            break_after: false,
            sentence_start: was_start,
        });
        i = k;
    }
    out
}

fn capitalised(w: &Word) -> bool {
    w.text.starts_with(char::is_uppercase)
}

/// Finds the mentions in an article's content paragraphs.
pub fn find(text: &str, paragraphs: &[Range<usize>], gazetteer: &Gazetteer) -> Vec<Found> {
    let mut out = Vec::new();
    for para in paragraphs {
        let ws = words(text, para.clone());
        let mut i = 0;
        while i < ws.len() {
            if !capitalised(&ws[i]) {
                i += 1;
                continue;
            }
            // A run of capitalised words, connectors inside, broken by punctuation or a possessive.
            let mut j = i;
            loop {
                if ws[j].break_after || ws[j].possessive {
                    break;
                }
                match ws.get(j + 1) {
                    Some(n) if capitalised(n) => j += 1,
                    Some(n)
                        if CONNECTORS.contains(&n.lower.as_str())
                            && ws.get(j + 2).is_some_and(capitalised)
                            && !n.break_after =>
                    {
                        j += 2
                    }
                    _ => break,
                }
            }
            classify_run(text, &ws[i..=j], gazetteer, &mut out);
            i = j + 1;
        }
    }
    out
}

/// Cuts a run at roles, demonyms and common words, and classifies each piece.
fn classify_run(text: &str, run: &[Word], gazetteer: &Gazetteer, out: &mut Vec<Found>) {
    // The whole run may be a known name ("The New York Times", "Department of Government Efficiency").
    if let Some(found) = known(text, run, gazetteer) {
        out.push(found);
        return;
    }
    let mut piece: Vec<&Word> = Vec::new();
    let mut after_role = false;
    let flush = |piece: &mut Vec<&Word>, after_role: bool, out: &mut Vec<Found>| {
        if !piece.is_empty() {
            classify_piece(text, piece, after_role, gazetteer, out);
            piece.clear();
        }
    };
    for w in run {
        let is_role =
            ROLES.contains(&w.lower.as_str()) && !(piece.len() >= 2 && w.lower == "general");
        let norm = normalize(&w.text);
        let is_filler = ((variants::is_common(&w.lower)
            || FUNCTION_WORDS.contains(w.lower.as_str()))
            && gazetteer.lookup(&norm).is_none())
            || gazetteer.is_demonym(&norm);
        if is_role {
            flush(&mut piece, after_role, out);
            after_role = true;
        } else if is_filler && piece.is_empty() {
            // Leading "The", "According", "Iranian": not part of a name.
        } else if CONNECTORS.contains(&w.lower.as_str()) && piece.is_empty() {
        } else {
            piece.push(w);
        }
    }
    flush(&mut piece, after_role, out);
}

fn known(text: &str, words: &[Word], gazetteer: &Gazetteer) -> Option<Found> {
    let (first, last) = (words.first()?, words.last()?);
    let range = first.range.start..last.range.end;
    let normalized = normalize(&text[range.clone()]);
    let (kind, canonical) = gazetteer.lookup(&normalized)?;
    Some(Found {
        surface: text[range.clone()].to_string(),
        range,
        normalized,
        class: Class::Known(kind, canonical.to_string()),
    })
}

fn classify_piece(
    text: &str,
    piece: &[&Word],
    after_role: bool,
    gazetteer: &Gazetteer,
    out: &mut Vec<Found>,
) {
    // Trailing common words ("Iran Monday") are not part of the name.
    let mut piece: Vec<&Word> = piece.to_vec();
    while piece.len() > 1
        && piece
            .last()
            .is_some_and(|w| variants::is_common(&w.lower) || gazetteer.is_demonym(&w.lower))
    {
        piece.pop();
    }
    let owned: Vec<Word> = piece.iter().map(|w| (*w).clone()).collect();
    if let Some(found) = known(text, &owned, gazetteer) {
        out.push(found);
        return;
    }
    // Unknown as a whole: a known name may lead ("Iran Foreign Ministry" is handled by cues).
    let (Some(first), Some(last)) = (owned.first(), owned.last()) else {
        return;
    };
    let range = first.range.start..last.range.end;
    let surface = text[range.clone()].to_string();
    let normalized = normalize(&surface);
    let all_common = owned
        .iter()
        .all(|w| variants::is_common(&w.lower) || gazetteer.is_demonym(&w.lower));
    if normalized.is_empty() || all_common || gazetteer.is_demonym(&normalized) {
        return;
    }
    let acronym = owned.len() == 1
        && last.text.len() >= 2
        && last
            .text
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase);
    let class = if ORG_CUES.contains(&last.lower.as_str()) || acronym {
        Class::Cued(Kind::Org)
    } else if after_role || owned.len() >= 2 {
        Class::Cued(Kind::Person)
    } else if first.sentence_start || first.text.chars().count() < 3 {
        // A lone capitalised word opening a sentence is most often just that.
        return;
    } else {
        Class::Single
    };
    out.push(Found {
        range,
        surface,
        normalized,
        class,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, String)> {
        let g = Gazetteer::builtin();
        find(text, std::slice::from_ref(&(0..text.len())), &g)
            .into_iter()
            .map(|f| {
                let class = match f.class {
                    Class::Known(k, name) => format!("{k:?}:{name}"),
                    Class::Cued(k) => format!("{k:?}?"),
                    Class::Single => "single".into(),
                };
                (f.surface, class)
            })
            .collect()
    }

    #[test]
    fn roles_split_and_mark_people() {
        let got = found("Iran’s Supreme Leader Ayatollah Ali Khamenei forbade talks with US President-elect Donald Trump.");
        assert_eq!(
            got,
            [
                ("Iran".to_string(), "Place:Iran".to_string()),
                ("Ali Khamenei".into(), "Person:Ali Khamenei".into()),
                ("US".into(), "Place:United States".into()),
                ("Donald Trump".into(), "Person:Donald Trump".into()),
            ]
        );
    }

    #[test]
    fn cues_classify_unknown_names() {
        let got = found("When asked, Steven Cheung spoke to the Quds Force and Iran’s Foreign Ministry, then IRNA and Cheung.");
        let names: Vec<&str> = got
            .iter()
            .map(|(s, c)| {
                if c.contains(':') {
                    &c[c.find(':').unwrap() + 1..]
                } else {
                    s.as_str()
                }
            })
            .collect();
        assert_eq!(
            names,
            [
                "Steven Cheung",
                "Quds Force",
                "Iran",
                "Foreign Ministry",
                "IRNA",
                "Cheung"
            ]
        );
        assert_eq!(got[0].1, "Person?");
        assert_eq!(got[5].1, "single");
    }

    #[test]
    fn other_languages_function_words_never_begin_a_name() {
        let got = found("Das Treffen mit Elon Musk war kurz. Dans la Russie, Alexei Navalny est mort. В Белом доме Дональд Трамп встретил Владимира Зеленского.");
        let surfaces: Vec<&str> = got.iter().map(|(s, _)| s.as_str()).collect();
        assert!(
            surfaces
                .iter()
                .all(|s| !s.starts_with("Das ") && !s.starts_with("Dans ") && !s.starts_with("В ")),
            "{surfaces:?}"
        );
        for name in ["Elon Musk", "Alexei Navalny", "Дональд Трамп"] {
            assert!(surfaces.contains(&name), "{name}: {surfaces:?}");
        }
    }

    #[test]
    fn leading_common_words_and_demonyms_are_not_names() {
        let got = found("The New York Times reported that Iranian officials met. According to the Times, Tech mogul Elon Musk agreed.");
        let surfaces: Vec<&str> = got.iter().map(|(s, _)| s.as_str()).collect();
        // A bare "Times" is a common word: the full name is what counts.
        assert_eq!(surfaces, ["The New York Times", "Elon Musk"]);
    }

    #[test]
    fn a_misspelt_office_holder_gets_the_canonical_name() {
        let got =
            found("Foreign Minister Abbas Arghachi have hinted at a potential diplomatic opening.");
        assert_eq!(
            got,
            [(
                "Abbas Arghachi".to_string(),
                "Person:Abbas Araghchi".to_string()
            )]
        );
    }
}
