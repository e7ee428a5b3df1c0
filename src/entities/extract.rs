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

use rustc_hash::FxHashSet;
use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use super::gazetteer::{normalize, Gazetteer};
use super::given;
use super::Kind;
use crate::analysis::is_cjk;
use crate::variants;

/// Words that end an organisation's name.
static ORG_CUES: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| word_list(include_str!("org_cues.txt")));

/// Roles and honorifics, lowercased without dots; the first word of a multi-word role is
/// enough to split, and the following role words are skipped too.
static ROLES: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| word_list(include_str!("roles.txt")));

/// Role words that only qualify the next one ("National Security Adviser", "Deputy Prime
/// Minister"): a role when another role word follows, else an ordinary word.
const QUALIFIERS: &[&str] = &[
    "acting", "crown", "defence", "defense", "deputy", "foreign", "former", "interior", "national",
    "prime", "security", "supreme", "vice",
];

/// A Roman numeral (III), which follows a monarch's name, not a first name alone ("Perang
/// Dunia III", the third world war, is not a person "Dunia").
fn roman(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| "IVXLCDM".contains(c))
}

/// Function words English headlines capitalise ("With", "In"), never inside a name.
const HEADLINE_WORDS: &[&str] = &[
    "with", "in", "on", "at", "to", "from", "by", "as", "after", "over", "against", "about",
    "into", "is", "was", "are", "vs",
];

/// Verbs of headlines printed in title case, which end a name before them.
const NAME_BREAKS: &[&str] = &[
    "is", "was", "are", "were", "has", "have", "had", "says", "said", "will", "dies", "died", "vs",
    "versus", "with", "after", "over", "against",
];

/// Small words allowed inside a name ("Department of Government Efficiency").
static CONNECTORS: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| word_list(include_str!("connectors.txt")));

/// The words of a word-list file: one a line, `#` lines and blank lines skipped.
fn word_list(text: &'static str) -> FxHashSet<&'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// Function words of other languages than English ([`variants::is_common`] has English's):
/// never the first word of a name.
static FUNCTION_WORDS: LazyLock<FxHashSet<&'static str>> =
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
    /// Two or more capitalised words with no sign of a person (no role before them, no given
    /// name first): a person only if the run names the same person with such a sign elsewhere.
    Unconfirmed,
    /// One unknown capitalised word, to resolve against the corpus.
    Single,
}

#[derive(Debug, Clone)]
struct Word<'a> {
    range: Range<usize>,
    text: &'a str,
    /// Lowercased, without dots; borrowed when the word is so already (most words).
    lower: Cow<'a, str>,
    /// A possessive "’s" followed the word.
    possessive: bool,
    /// Punctuation between this word and the next breaks a name.
    break_after: bool,
    /// First word of a sentence.
    sentence_start: bool,
}

fn words(text: &str, para: Range<usize>) -> Vec<Word<'_>> {
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
            let next_alnum = || chars.get(j + 1).is_some_and(|(_, n)| n.is_alphanumeric());
            if (d.is_alphanumeric() && !glued(&chars[i..j], d, &chars[j..]))
                || (matches!(d, '-' | '\'' | '’' | '.') && next_alnum())
            {
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
        let mut start = start;
        // Only in Latin letters: Ukrainian writes an apostrophe inside words (прем'єр).
        let split = word
            .split_once(['\'', '’'])
            .filter(|_| crate::analysis::script::is_latin(word));
        if let Some((before, after)) = split {
            let short_lower =
                |part: &str| part.chars().count() <= 5 && part.chars().all(char::is_lowercase);
            if short_lower(before) && after.starts_with(char::is_uppercase) {
                // An elided article or preposition: d'Alexeï, l'Ukraine, dell'Ucraina.
                start += before.len()
                    + word[before.len()..]
                        .chars()
                        .next()
                        .map_or(0, char::len_utf8);
                word = &s[start..end];
            } else if short_lower(after) && before.starts_with(char::is_uppercase) {
                // A case suffix after an apostrophe ends the name: Trump'ın, Zelensky'ye.
                end = start + before.len();
                word = before;
                possessive = true;
            }
        }
        let was_start = sentence_start && !abbreviation;
        sentence_start = false;
        out.push(Word {
            range: para.start + start..para.start + end,
            text: word,
            lower: if word.chars().any(|c| c.is_uppercase() || c == '.') {
                Cow::Owned(word.to_lowercase().replace('.', ""))
            } else {
                Cow::Borrowed(word)
            },
            possessive,
            break_after: false,
            sentence_start: was_start,
        });
        i = k;
    }
    out
}

/// Whether `next` starts a new word glued to the letters before it by a scraper that lost
/// a space: Han or kana against Latin letters (Navalny1976年), digits after a lowercase word
/// (Navalny1976; G20 and MH17 stay whole), or a capitalised common word after a lowercase
/// letter (NavalnyThe; McDonald, YouTube stay whole).
fn glued(before: &[(usize, char)], next: char, rest: &[(usize, char)]) -> bool {
    let Some(&(_, prev)) = before.last() else {
        return false;
    };
    if is_cjk(prev) != is_cjk(next) {
        return true;
    }
    let digits = prev.is_alphabetic() && next.is_numeric();
    let camel = prev.is_lowercase() && next.is_uppercase();
    // Asked for every letter of every word: the scan of the word so far only when it matters.
    if !digits && !camel {
        return false;
    }
    let lowercase_word = before.len() >= 3 && before.iter().any(|(_, c)| c.is_lowercase());
    if digits && lowercase_word {
        return true;
    }
    if camel && lowercase_word {
        let word: String = rest
            .iter()
            .map(|(_, c)| *c)
            .take_while(|c| c.is_alphabetic())
            .collect();
        return variants::is_common(&word.to_lowercase());
    }
    false
}

fn capitalised(w: &Word) -> bool {
    w.text.starts_with(char::is_uppercase)
}

/// Finds the mentions in an article's content paragraphs.
pub fn find(text: &str, paragraphs: &[Range<usize>], gazetteer: &Gazetteer) -> Vec<Found> {
    let mut out = Vec::new();
    for para in paragraphs {
        let ws = words(text, para.clone());
        let from = out.len();
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
                        if CONNECTORS.contains(&n.lower.as_ref())
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
        // In a headline in title case ("Trump and Vance Clash With Zelensky in Oval Office")
        // a capital says nothing: only known names and lone words resolved later count.
        if title_case(&ws) {
            let kept: Vec<Found> = out
                .drain(from..)
                .filter(|f| matches!(f.class, Class::Known(..) | Class::Single))
                .collect();
            out.extend(kept);
        }
    }
    out
}

/// Whether a paragraph is a headline in title case: fifteen words at most, three of them of
/// four letters or more in a cased script, and three in four of those capitalised.
fn title_case(words: &[Word]) -> bool {
    if words.len() > 15 {
        return false;
    }
    let long: Vec<&Word> = words
        .iter()
        .filter(|w| {
            w.text.chars().count() >= 4
                && w.text.chars().all(char::is_alphabetic)
                && w.text.chars().any(|c| c.is_uppercase() || c.is_lowercase())
        })
        .collect();
    let capitalised = long.iter().filter(|w| capitalised(w)).count();
    long.len() >= 3 && capitalised * 4 >= long.len() * 3
}

/// Cuts a run at roles, demonyms and common words, and classifies each piece.
fn classify_run(text: &str, run: &[Word], gazetteer: &Gazetteer, out: &mut Vec<Found>) {
    // The whole run may be a known name ("The New York Times", "Department of Government Efficiency").
    if let Some(found) = known(text, span(run), gazetteer) {
        out.push(found);
        return;
    }
    // A headline in capitals ("ALEKSEY NAVALNİ KİMDİR") is not a name unless known.
    if run.len() >= 2 && run.iter().all(|w| !w.text.chars().any(char::is_lowercase)) {
        return;
    }
    // A function word with a capital inside the run is a headline's title case ("Vance Clash
    // With Zelensky"): only known names and lone words count there.
    if run
        .iter()
        .skip(1)
        .any(|w| capitalised(w) && HEADLINE_WORDS.contains(&w.lower.as_ref()))
    {
        let from = out.len();
        classify_run_words(text, run, gazetteer, out);
        let kept: Vec<Found> = out
            .drain(from..)
            .filter(|f| matches!(f.class, Class::Known(..) | Class::Single))
            .collect();
        out.extend(kept);
        return;
    }
    classify_run_words(text, run, gazetteer, out);
}

/// Cuts a run at roles, headline verbs and given names, and classifies each piece.
fn classify_run_words(text: &str, run: &[Word], gazetteer: &Gazetteer, out: &mut Vec<Found>) {
    let mut piece: Vec<&Word> = Vec::new();
    let mut after_role = false;
    let flush = |piece: &mut Vec<&Word>, after_role: bool, out: &mut Vec<Found>| {
        if !piece.is_empty() {
            classify_piece(text, piece, after_role, gazetteer, out);
            piece.clear();
        }
    };
    for (i, w) in run.iter().enumerate() {
        let is_role = ROLES.contains(&w.lower.as_ref())
            && !(piece.len() >= 2 && w.lower == "general")
            // "National Security Adviser" is a role, "Munich Security Conference" is not.
            && (!QUALIFIERS.contains(&w.lower.as_ref())
                || run
                    .get(i + 1)
                    .is_some_and(|n| ROLES.contains(&n.lower.as_ref())));
        // A given name followed by another word starts a name: the words before it are a
        // title or a place ("Präsident", "ABD Başkanı", "Украины"), never part of the name.
        if !is_role
            && !piece.is_empty()
            && !CONNECTORS.contains(&w.lower.as_ref())
            && run
                .get(i + 1)
                .is_some_and(|n| !CONNECTORS.contains(&n.lower.as_ref()) && !roman(n.text))
            && piece.last().is_some_and(|p| !given::is_given_name(p.text))
            && given::is_given_name(w.text)
        {
            flush(&mut piece, false, out);
        }
        let norm = normalize(w.text);
        // A common word that opens a known name is part of it ("New York Post").
        let opens_known = || {
            piece.is_empty()
                && (2..=3).any(|n| {
                    run.get(i..i + n)
                        .and_then(|words| known(text, span(words), gazetteer))
                        .is_some()
                })
        };
        let is_filler = ((variants::is_common(&w.lower)
            || FUNCTION_WORDS.contains(w.lower.as_ref()))
            && gazetteer.lookup(&norm).is_none()
            && !opens_known())
            || gazetteer.is_demonym(&norm);
        if is_role {
            flush(&mut piece, after_role, out);
            after_role = true;
        } else if NAME_BREAKS.contains(&w.lower.as_ref()) {
            // A verb in headline case ends a name: "Alexei Navalny Is Dead".
            flush(&mut piece, after_role, out);
            after_role = false;
        } else if is_filler && piece.is_empty() {
            // Leading "The", "According", "Iranian": not part of a name.
        } else if CONNECTORS.contains(&w.lower.as_ref()) && piece.is_empty() {
        } else {
            piece.push(w);
        }
    }
    flush(&mut piece, after_role, out);
}

fn known(text: &str, range: Option<Range<usize>>, gazetteer: &Gazetteer) -> Option<Found> {
    let range = range?;
    let normalized = normalize(&text[range.clone()]);
    let (kind, canonical) = gazetteer.lookup(&normalized)?;
    Some(Found {
        surface: text[range.clone()].to_string(),
        range,
        normalized,
        class: Class::Known(kind, canonical.to_string()),
    })
}

/// The text from the first word to the last, if there are words.
fn span<'a, W: std::borrow::Borrow<Word<'a>>>(words: &[W]) -> Option<Range<usize>> {
    let (first, last) = (words.first()?.borrow(), words.last()?.borrow());
    Some(first.range.start..last.range.end)
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
    if let Some(found) = known(text, span(&piece), gazetteer) {
        out.push(found);
        return;
    }
    // Unknown as a whole: a known place or organisation may lead it ("Rusya Devlet",
    // "America Voice"); what follows is classified on its own. Not before an organisation
    // word, whose name a place often begins ("New York Post", "Kyiv Independent").
    let org_named = piece
        .last()
        .is_some_and(|w| ORG_CUES.contains(&w.lower.as_ref()));
    for n in (1..piece.len()).rev().filter(|_| !org_named) {
        if let Some(found) = known(text, span(&piece[..n]), gazetteer) {
            if let Class::Known(Kind::Place | Kind::Org, _) = found.class {
                out.push(found);
                classify_piece(text, &piece[n..], false, gazetteer, out);
                return;
            }
        }
    }
    let (Some(first), Some(last)) = (piece.first(), piece.last()) else {
        return;
    };
    let range = first.range.start..last.range.end;
    let surface = text[range.clone()].to_string();
    let normalized = normalize(&surface);
    let all_common = piece
        .iter()
        .all(|w| variants::is_common(&w.lower) || gazetteer.is_demonym(&w.lower));
    if normalized.is_empty() || all_common || gazetteer.is_demonym(&normalized) {
        return;
    }
    // Two letters or more (Я and É are one), all capitals, and not a Roman numeral (III).
    let acronym = piece.len() == 1
        && last.text.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && last
            .text
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
        && !roman(last.text);
    let class = if ORG_CUES.contains(&last.lower.as_ref()) || acronym {
        Class::Cued(Kind::Org)
    } else if after_role || (piece.len() >= 2 && looks_like_a_person(&piece)) {
        Class::Cued(Kind::Person)
    } else if piece.len() >= 2 {
        Class::Unconfirmed
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

/// A run of two or more words opens with a given name ("Olaf Scholz"), or is written
/// surname first with a short family name ("Xi Jinping", "Kim Jong Un").
fn looks_like_a_person(words: &[&Word]) -> bool {
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        return false;
    };
    given::is_given_name(first.text)
        || (first.text.chars().count() <= 3 && given::is_given_name(last.text))
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
                    Class::Unconfirmed => "person?".into(),
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
    fn a_name_starts_at_its_given_name_and_needs_a_sign_of_a_person() {
        let got = found("Bundeskanzler Olaf Scholz traf ABD Başkanı Donald Trump'ın. Präsident Wolodymyr Selenskyj kam. Sie sprachen über die Terceira Guerra Mundial und die Munich Security Conference.");
        assert_eq!(
            got,
            [
                ("Olaf Scholz".to_string(), "Person:Olaf Scholz".to_string()),
                // Başkanı is a title: ABD (the US in Turkish) stands alone.
                ("ABD".into(), "Place:United States".into()),
                ("Donald Trump".into(), "Person:Donald Trump".into()),
                ("Wolodymyr Selenskyj".into(), "Person?".into()),
                // No role, no given name: a person only if confirmed elsewhere in the run.
                ("Terceira Guerra Mundial".into(), "person?".into()),
                ("Munich".into(), "Place:Munich".into()),
                ("Security Conference".into(), "person?".into()),
            ]
        );
    }

    #[test]
    fn words_a_scraper_glued_or_elided_are_cut_apart() {
        let got = found("Mort d'Alexeï Navalny. Aleksei Navalny1976年6月4日 and Alexei NavalnyThe said. ALEKSEY NAVALNİ KİMDİR. Alexei Navalny Is Dead.");
        let surfaces: Vec<&str> = got.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(
            surfaces,
            [
                "Alexeï Navalny",
                "Aleksei Navalny",
                "Alexei Navalny",
                // "Alexei Navalny Is Dead" is a headline in title case ("Is"): only known
                // names and lone words count there, to be resolved against the run.
                "Dead"
            ]
        );
    }

    #[test]
    fn a_headline_in_title_case_gives_only_known_names_and_lone_words() {
        let got = found("Trump and Vance Clash With Zelensky in Oval Office");
        assert_eq!(
            got,
            [
                ("Trump".to_string(), "Person:Donald Trump".to_string()),
                ("Zelensky".into(), "Person:Volodymyr Zelensky".into()),
                // "Vance Clash" is no person, and "Oval Office" an organisation only by its
                // cue word, which a headline's capitals do not give.
            ]
        );
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
