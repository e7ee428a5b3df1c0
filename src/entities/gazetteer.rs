//! The gazetteer: known names, their kind and their other forms, from a data file.
//!
//! Format: tab-separated lines `kind⇥canonical⇥other form⇥…`, `#` for comments; kind is
//! `person`, `org`, `place` or `demonym`. The built-in file (`src/entities/gazetteer.tsv`,
//! compiled into the binary) documents its source; a user file in the same format adds names
//! or corrects them (a later line for the same form wins).

use rustc_hash::{FxHashMap, FxHashSet};
use std::path::Path;

use super::{caseless, Kind};
use crate::error::{Error, Result};
use crate::variants;

/// Known names.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    /// normalized form → (kind, canonical name).
    forms: FxHashMap<String, (Kind, String)>,
    /// fold key of a person's normalized form → canonical name.
    person_keys: FxHashMap<String, String>,
    demonyms: FxHashSet<String>,
    /// A person's spelling key ([`super::across::spelling_key`]) → canonical name.
    person_spellings: FxHashMap<(String, String), String>,
    /// A person's surname skeleton → canonical name; `None` when two people share it.
    surnames: FxHashMap<String, Option<String>>,
    /// Forms printed in scripts without capitals: (form, kind, canonical).
    caseless: Vec<(String, Kind, String)>,
    /// The scan over `caseless`, built on first use.
    scan: std::sync::OnceLock<Option<caseless::Forms>>,
    /// Canonical names of the people.
    people: Vec<String>,
}

/// How forms are compared: words as the exact analyzer cuts them, joined by spaces
/// ("U.S." → "us", "Iran’s Foreign Ministry" → "iran foreign ministry").
pub fn normalize(text: &str) -> String {
    if let Some(fast) = normalize_ascii(text) {
        return fast;
    }
    thread_local! {
        // Building an analyzer costs more than running it on a name: keep one per thread.
        static EXACT: std::cell::RefCell<tantivy::tokenizer::TextAnalyzer> =
            std::cell::RefCell::new(crate::analysis::exact());
    }
    EXACT.with(|a| {
        let mut a = a.borrow_mut();
        crate::analysis::terms(&mut a, text)
            .into_iter()
            .map(|(t, _)| t)
            .collect::<Vec<_>>()
            .join(" ")
    })
}

/// The analyzer's result for plain ASCII words (letters, digits, spaces, inner hyphens),
/// without running it: lowercase, separators as single spaces. Anything else (dots,
/// apostrophes, accents) goes through the analyzer.
fn normalize_ascii(text: &str) -> Option<String> {
    let b = text.as_bytes();
    if !b
        .iter()
        .all(|c| c.is_ascii_alphanumeric() || *c == b' ' || *c == b'-')
    {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    for word in text.split([' ', '-']).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
    }
    Some(out)
}

/// The fold key of a normalized multi-word name, word by word.
pub fn fold(normalized: &str) -> String {
    normalized
        .split(' ')
        .map(variants::fold_key)
        .collect::<Vec<_>>()
        .join(" ")
}

impl Gazetteer {
    /// The built-in gazetteer.
    pub fn builtin() -> Gazetteer {
        let mut g = Gazetteer::default();
        // Built into the binary and covered by tests: it always parses.
        let _ = g.add_text(include_str!("gazetteer.tsv"), "built-in gazetteer");
        let _ = g.add_text(
            include_str!("gazetteer_world.tsv"),
            "built-in world gazetteer",
        );
        g
    }

    /// The built-in gazetteer plus a user file.
    pub fn with_file(path: &Path) -> Result<Gazetteer> {
        let mut g = Gazetteer::builtin();
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        g.add_text(&text, &path.display().to_string())?;
        Ok(g)
    }

    /// Adds the lines of a gazetteer file.
    pub fn add_text(&mut self, text: &str, origin: &str) -> Result<()> {
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line
                .split('\t')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect();
            let bad = |why: &str| Error::InvalidArgument(format!("{origin}:{}: {why}", n + 1));
            let [kind, canonical, others @ ..] = cols.as_slice() else {
                return Err(bad("expected a kind and a name, separated by a tab"));
            };
            let kind = match *kind {
                "person" => Kind::Person,
                "org" => Kind::Org,
                "place" => Kind::Place,
                "demonym" => {
                    self.demonyms.insert(normalize(canonical));
                    continue;
                }
                other => {
                    return Err(bad(&format!(
                        "unknown kind {other:?} (person, org, place or demonym)"
                    )))
                }
            };
            if kind == Kind::Person && !self.people.iter().any(|p| p == canonical) {
                self.people.push(canonical.to_string());
            }
            for form in std::iter::once(canonical).chain(others) {
                // Han and kana names of two characters or more; one character is a word.
                if form.chars().any(caseless::is_caseless) && form.chars().count() >= 2 {
                    self.caseless
                        .push((form.to_string(), kind, canonical.to_string()));
                    self.scan = std::sync::OnceLock::new();
                }
                let norm = normalize(form);
                if norm.is_empty() {
                    continue;
                }
                if kind == Kind::Person && norm.contains(' ') {
                    self.person_keys.insert(fold(&norm), canonical.to_string());
                    if let Some(key) = super::across::spelling_key(form) {
                        self.surnames
                            .entry(key.1.clone())
                            .and_modify(|known| {
                                if known.as_deref() != Some(*canonical) {
                                    *known = None;
                                }
                            })
                            .or_insert_with(|| Some(canonical.to_string()));
                        self.person_spellings.insert(key, canonical.to_string());
                    }
                }
                self.forms.insert(norm, (kind, canonical.to_string()));
            }
        }
        Ok(())
    }

    /// The kind and canonical name of a normalized form, if known. A multi-word person name
    /// also matches by fold key ("abbas arghachi" → Abbas Araghchi).
    pub fn lookup(&self, normalized: &str) -> Option<(Kind, &str)> {
        if let Some((kind, name)) = self.forms.get(normalized) {
            return Some((*kind, name.as_str()));
        }
        if normalized.contains(' ') {
            return self
                .person_keys
                .get(&fold(normalized))
                .map(|n| (Kind::Person, n.as_str()));
        }
        None
    }

    /// The known person with a spelling key, if any: "Wołodymyra Zełenskiego" and
    /// "Wolodymyr Selenskyj" are Volodymyr Zelensky.
    pub fn person_by_spelling(&self, key: &(String, String)) -> Option<&str> {
        self.person_spellings.get(key).map(String::as_str)
    }

    /// The one known person whose surname is spelt this way in some language (Vance,
    /// Zelenskiy, Selenskyj), if only one is, for a lone word after a role: one word of Latin
    /// letters, three consonants or more, and the first letter of the surname's spellings.
    pub fn person_by_surname(&self, normalized: &str) -> Option<&str> {
        if normalized.contains(' ') {
            return None;
        }
        let skeleton = super::across::spelling_key(&format!("_ {normalized}"))?.1;
        if skeleton.len() < 3 {
            return None;
        }
        let name = self.surnames.get(&skeleton)?.as_deref()?;
        let initial = |s: &str| normalize(s).chars().next();
        (name.rsplit(' ').next().and_then(initial) == normalized.chars().next()).then_some(name)
    }

    /// A place or organisation printed in another grammatical case than the gazetteer's
    /// nominative, as Slavic languages print them after a title ("Prezydent Ukrainy",
    /// "Президент Украины", "w Rosji"): the word's last one or two letters replaced by a
    /// nominative ending, five letters left at least.
    pub fn inflected_place(&self, normalized: &str) -> Option<(Kind, &str)> {
        // Latin a, ja, ia; Cyrillic а, я, ия.
        const NOMINATIVE: [&str; 7] = ["", "a", "ja", "ia", "а", "я", "ия"];
        let chars: Vec<char> = normalized.chars().collect();
        if chars.len() < 6 || normalized.contains(' ') {
            return None;
        }
        // A stem of five letters at least: "Vieni" (Italian, come) is not Viena, nor
        // "Венса" (Vance's) Вена.
        (1..=2)
            .filter(|cut| chars.len() - cut >= 5)
            .find_map(|cut| {
                let stem: String = chars[..chars.len() - cut].iter().collect();
                NOMINATIVE.iter().find_map(|ending| {
                    match self.forms.get(&format!("{stem}{ending}")) {
                        Some((kind @ (Kind::Place | Kind::Org), name)) => {
                            Some((*kind, name.as_str()))
                        }
                        _ => None,
                    }
                })
            })
    }

    /// The scan for the forms printed in scripts without capitals.
    pub fn caseless_forms(&self) -> Option<&caseless::Forms> {
        self.scan
            .get_or_init(|| caseless::Forms::new(&self.caseless))
            .as_ref()
    }

    /// The canonical names of the known people.
    pub fn people(&self) -> &[String] {
        &self.people
    }

    /// Whether a normalized word is a demonym ("iranian", "american").
    pub fn is_demonym(&self, normalized: &str) -> bool {
        self.demonyms.contains(normalized)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_knows_places_orgs_and_people_by_any_form() {
        let g = Gazetteer::builtin();
        assert_eq!(g.lookup("us"), Some((Kind::Place, "United States")));
        assert_eq!(g.lookup("iaea"), Some((Kind::Org, "IAEA")));
        assert_eq!(
            g.lookup("international atomic energy agency"),
            Some((Kind::Org, "IAEA"))
        );
        assert_eq!(
            g.lookup("new york times"),
            Some((Kind::Org, "The New York Times"))
        );
        assert_eq!(g.lookup("new york"), Some((Kind::Place, "New York")));
        assert_eq!(
            g.lookup("abbas arghachi"),
            Some((Kind::Person, "Abbas Araghchi"))
        );
        assert!(g.is_demonym("iranian") && !g.is_demonym("iran"));
        assert_eq!(g.lookup("nobody here"), None);
    }

    #[test]
    fn the_ascii_fast_path_agrees_with_the_analyzer() {
        for text in [
            "Iran",
            "Mar-a-Lago",
            "New  York Times",
            "President-elect",
            "G20",
            "abc-",
        ] {
            let mut a = crate::analysis::exact();
            let slow = crate::analysis::terms(&mut a, text)
                .into_iter()
                .map(|(t, _)| t)
                .collect::<Vec<_>>()
                .join(" ");
            assert_eq!(
                normalize_ascii(text).as_deref(),
                Some(slow.as_str()),
                "{text}"
            );
        }
        assert_eq!(normalize_ascii("U.S."), None);
        assert_eq!(normalize("U.S."), "us");
    }

    #[test]
    fn places_in_other_cases_are_found_by_their_nominative() {
        let g = Gazetteer::builtin();
        for word in ["ukrainy", "украины", "россии"] {
            assert!(
                matches!(
                    g.inflected_place(word),
                    Some((Kind::Place, "Ukraine" | "Russia"))
                ),
                "{word}: {:?}",
                g.inflected_place(word)
            );
        }
        assert_eq!(g.inflected_place("putina"), None);
        assert_eq!(g.inflected_place("vieni"), None);
        assert_eq!(g.inflected_place("венса"), None);
    }

    #[test]
    fn a_bad_line_names_its_file_and_line() {
        let mut g = Gazetteer::default();
        let err = g
            .add_text("place\tOslo\nthing\tX\n", "mine.tsv")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("mine.tsv:2: unknown kind"), "{err}");
    }
}
