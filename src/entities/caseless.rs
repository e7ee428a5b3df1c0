//! Entities in scripts without capital letters (Arabic, Persian, Hebrew, Han, kana, Hangul,
//! Devanagari, Bengali, Thai), where no run of capitalised words shows where a name is.
//!
//! Two sources: the gazetteer's forms in those scripts (الولايات المتحدة, 美国, 미국), found
//! by one multi-pattern scan of each paragraph, longest first; and the people of the run,
//! found by the cross-script keys of their surnames ([`crate::analysis::script`]): a word
//! whose key is a known person's surname key is that person (ترامب, 特朗普, 트럼프), where the
//! article prints that word after the person's first name at least once, and the other
//! places print the same word (a clitic or particle around it allowed).

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind};

use super::{Kind, Mention};
use crate::analysis::{self, is_cjk, script};

/// Whether a letter belongs to a script without capitals.
pub fn is_caseless(c: char) -> bool {
    if c.is_ascii() {
        return false;
    }
    c.is_alphabetic() && !c.is_uppercase() && !c.is_lowercase()
}

/// Whether a text holds a letter of a script without capitals (ASCII text is skipped whole).
fn has_caseless(s: &str) -> bool {
    !s.is_ascii() && s.chars().any(is_caseless)
}

/// The gazetteer's forms in scripts without capitals, scanned for in one pass.
#[derive(Debug, Clone)]
pub struct Forms {
    scan: AhoCorasick,
    /// Per pattern: kind and canonical name.
    entries: Vec<(Kind, String)>,
}

impl Forms {
    /// Builds the scan over (printed form, kind, canonical) triples.
    pub fn new(forms: &[(String, Kind, String)]) -> Option<Forms> {
        let scan = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(forms.iter().map(|(f, _, _)| f))
            .ok()?;
        let entries = forms.iter().map(|(_, k, n)| (*k, n.clone())).collect();
        Some(Forms { scan, entries })
    }

    fn find(&self, text: &str, para: Range<usize>, out: &mut Vec<Mention>) {
        let s = &text[para.clone()];
        for m in self.scan.find_iter(s) {
            if !whole_word(s, m.start(), m.end()) {
                continue;
            }
            let (kind, name) = &self.entries[m.pattern().as_usize()];
            out.push(Mention {
                range: para.start + m.start()..para.start + m.end(),
                kind: *kind,
                name: name.clone(),
                surface: s[m.start()..m.end()].to_string(),
            });
        }
    }
}

/// Arabic proclitics (and, so, with, for, as) and Hebrew prefixes (and, the, in, to, from,
/// that, as) that print joined to the next word.
const PROCLITICS: &[char] = &['و', 'ف', 'ب', 'ل', 'ك', 'ו', 'ה', 'ב', 'ל', 'מ', 'ש', 'כ'];

/// Whether a match stands as its own word: scripts written with spaces need a non-letter
/// (or a proclitic letter or two after one) before it and a non-letter after it; Han, kana,
/// Hangul runs and Thai have no spaces to need.
fn whole_word(s: &str, start: usize, end: usize) -> bool {
    let first = s[start..].chars().next();
    if first.is_some_and(|c| is_cjk(c) || matches!(c, '\u{0e00}'..='\u{0e7f}')) {
        return true;
    }
    if s[end..].chars().next().is_some_and(char::is_alphabetic) {
        return false;
    }
    let before: Vec<char> = s[..start].chars().rev().take(3).collect();
    let letter = |i: usize| before.get(i).is_some_and(|c| c.is_alphabetic());
    let clitic = |i: usize| before.get(i).is_some_and(|c| PROCLITICS.contains(c));
    !letter(0) || (clitic(0) && !letter(1)) || (clitic(0) && clitic(1) && !letter(2))
}

/// The people of a run, by the cross-script keys of their surnames.
#[derive(Debug, Default)]
pub struct People {
    /// Surname key → the people with that key (Alexei and Yulia Navalny's may share one).
    surnames: HashMap<String, Vec<usize>>,
    /// Per person: canonical name and the keys of the first name.
    people: Vec<(String, Vec<String>)>,
}

impl People {
    /// Adds a person named in Latin letters ("Donald Trump").
    pub fn add(&mut self, name: &str) {
        let words: Vec<&str> = name.split_whitespace().collect();
        let [first, .., last] = words.as_slice() else {
            return;
        };
        let keys = |w: &str| script::query_keys(&super::across::latin_word(w)).keys;
        let index = self.people.len();
        self.people.push((name.to_string(), keys(first)));
        for key in keys(last) {
            self.surnames.entry(key).or_default().push(index);
        }
    }

    /// The people an article names in text without capitals. A surname counts where the
    /// article prints it after the person's first name at least once (دونالد ترامب, then
    /// ترامب alone), as an article introduces a person before calling them by surname; a
    /// word that only shares a surname's consonants (الأمريكي, "American", and Lamarque)
    /// never follows the first name.
    fn find(&self, text: &str, paragraphs: &[Range<usize>]) -> Vec<Mention> {
        if self.people.is_empty() {
            return Vec::new();
        }
        thread_local! {
            static KEYS: std::cell::RefCell<analysis::TextAnalyzer> =
                std::cell::RefCell::new(analysis::name_scripts());
        }
        // (range, surname key) of every word keyed as someone's surname; which person each
        // key is in this article: the one whose first name it followed first.
        let mut hits: Vec<(Range<usize>, &String)> = Vec::new();
        let mut introduced: HashMap<&String, usize> = HashMap::new();
        let mut introduced_as: Vec<&str> = Vec::new();
        for para in paragraphs {
            let s = &text[para.clone()];
            if !has_caseless(s) {
                continue;
            }
            let tokens = KEYS.with(|a| analysis::terms(&mut a.borrow_mut(), s));
            for (i, (key, range)) in tokens.iter().enumerate() {
                let Some((key, people)) = self
                    .surnames
                    .get_key_value(key)
                    .or_else(|| self.surnames.get_key_value(&unstripped(key)?))
                else {
                    continue;
                };
                let word = &s[range.clone()];
                if !word.chars().any(is_caseless) {
                    continue; // cased scripts are read as runs of capitalised words
                }
                let before = tokens[..i].iter().rev().take(2).filter(|(_, r)| {
                    r.end <= range.start
                        && s[r.end..range.start]
                            .chars()
                            .all(|c| c.is_whitespace() || NAME_JOINERS.contains(&c))
                });
                for (k, _) in before {
                    let person = people.iter().find(|p| {
                        self.people
                            .get(**p)
                            .is_some_and(|(_, first)| first.iter().any(|f| same_first_name(k, f)))
                    });
                    if let Some(&person) = person {
                        introduced.entry(key).or_insert(person);
                        introduced_as.push(word);
                    }
                }
                hits.push((para.start + range.start..para.start + range.end, key));
            }
        }
        hits.into_iter()
            .filter_map(|(range, key)| {
                let person = introduced.get(key)?;
                // As introduced, or with a clitic or particle (לטראמפ, 트럼프는): a word
                // that only shares the consonants (بعدم for بوتين) is not the name.
                let word = &text[range.clone()];
                if !introduced_as.iter().any(|i| same_word(word, i)) {
                    return None;
                }
                Some(Mention {
                    surface: text[range.clone()].to_string(),
                    range,
                    kind: Kind::Person,
                    name: self.people.get(*person)?.0.clone(),
                })
            })
            .collect()
    }
}

/// Whether a printed word is the word a person was introduced as, give or take an Arabic or
/// Hebrew proclitic before it (لترامب, לטראמפ) or a Korean particle after it (트럼프는);
/// a letter added at the end elsewhere may be another person (נבלניה, Navalnaya, is not
/// נבלני, Navalny).
fn same_word(word: &str, introduced: &str) -> bool {
    if word == introduced {
        return true;
    }
    if let Some(prefix) = word.strip_suffix(introduced) {
        return prefix.chars().count() <= 2 && prefix.chars().all(|c| PROCLITICS.contains(&c));
    }
    let hangul = |w: &str| w.chars().all(|c| matches!(c, '\u{ac00}'..='\u{d7af}'));
    hangul(word)
        && hangul(introduced)
        && (word.starts_with(introduced) || introduced.starts_with(word))
}

/// A clitic-stripped key as the plain key of its kind (트럼프는 → 트럼프).
fn unstripped(key: &str) -> Option<String> {
    let mut chars = key.chars();
    let plain = script::plain_mark(chars.next()?)?;
    Some(std::iter::once(plain).chain(chars).collect())
}

/// Whether a first name printed in another script is the Latin one, loosely: it only
/// confirms a surname already matched. Long vowels written as consonant letters (دونالد's
/// و), a y, or one consonant a transliteration drops (唐纳德 for Donald) are let go.
fn same_first_name(printed: &str, latin: &str) -> bool {
    let bare = |k: &str, drop: &[char]| -> String {
        k.chars().skip(1).filter(|c| !drop.contains(c)).collect()
    };
    let (a, b) = (bare(printed, &['y']), bare(latin, &['y']));
    if a == b || bare(printed, &['y', 'b']) == bare(latin, &['y', 'b']) {
        return true;
    }
    let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
    if short.len() < 2 || long.len() != short.len() + 1 {
        return false;
    }
    let mut rest = long.chars();
    short.chars().all(|c| rest.any(|d| d == c))
}

/// What joins a first name to a surname besides a space: the middle dots of Chinese and
/// Japanese (唐纳德·特朗普, ドナルド・トランプ) and a hyphen.
const NAME_JOINERS: &[char] = &['·', '・', '‧', '-', '\u{200c}'];

/// The mentions of places, organisations and people in the paragraphs' text in scripts
/// without capitals, one per range (the first source wins), in text order.
pub fn mentions(
    text: &str,
    paragraphs: &[Range<usize>],
    forms: Option<&Forms>,
    people: &People,
) -> Vec<Mention> {
    let mut out = Vec::new();
    for para in paragraphs {
        if let Some(forms) = forms.filter(|_| has_caseless(&text[para.clone()])) {
            forms.find(text, para.clone(), &mut out);
        }
    }
    // A person's key inside a place's form found already is that place.
    let people: Vec<Mention> = people
        .find(text, paragraphs)
        .into_iter()
        .filter(|m| {
            !out.iter()
                .any(|p| p.range.start < m.range.end && m.range.start < p.range.end)
        })
        .collect();
    out.extend(people);
    out.sort_by_key(|m| m.range.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_in_text_without_capitals_once_introduced_by_first_name() {
        let mut people = People::default();
        people.add("Donald Trump");
        people.add("Kevin Lamarque");
        let text = "قال دونالد ترامب إن ترامب. 唐纳德·特朗普说。 도널드 트럼프는 트럼프. الأمريكي";
        let found: Vec<(&str, &str)> = people
            .find(text, std::slice::from_ref(&(0..text.len())))
            .iter()
            .map(|m| (&text[m.range.clone()], m.name.as_str()))
            .collect::<Vec<_>>()
            .into_iter()
            .map(|(s, n)| {
                (
                    s,
                    if n == "Donald Trump" {
                        "Trump"
                    } else {
                        "other"
                    },
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("ترامب", "Trump"),
                ("ترامب", "Trump"),
                ("特朗普", "Trump"),
                ("트럼프는", "Trump"),
                ("트럼프", "Trump"),
            ]
        );
        // Lamarque's consonants are those of الأمريكي, "American", which no first name
        // introduces.
        assert!(same_word("לטראמפ", "טראמפ") && !same_word("נבלניה", "נבלני"));
        let only = "الأمريكي ترامب";
        assert!(people
            .find(only, std::slice::from_ref(&(0..only.len())))
            .is_empty());
    }

    #[test]
    fn gazetteer_forms_are_whole_words_or_take_a_proclitic() {
        let forms = Forms::new(&[
            ("إيران".into(), Kind::Place, "Iran".into()),
            ("美国".into(), Kind::Place, "United States".into()),
        ])
        .unwrap();
        let mut out = Vec::new();
        let text = "وإيران و إيرانية 美国总统";
        forms.find(text, 0..text.len(), &mut out);
        let got: Vec<&str> = out.iter().map(|m| &text[m.range.clone()]).collect();
        assert_eq!(got, ["إيران", "美国"]);
    }
}
