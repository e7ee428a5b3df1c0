//! Given names: a capitalised run that begins with one is a person's name ("Olaf Scholz"),
//! and a run holding one after other words starts a name there ("Präsident Wolodymyr
//! Selenskyj", "ABD Başkanı Donald Trump").
//!
//! The names come from a first-name dictionary of 54 countries and languages
//! (`given_names.txt`, written by `given_names.py`, which says where from and what is kept),
//! compared with w and v, y and i folded, so spelling variants match (Wolodymyr, Volodimir). A name
//! in Cyrillic, Greek or Armenian letters is romanised first (Дональд → Donald), and a word
//! not found as printed is tried without a Slavic case ending (Владимира, Wołodymyra).

use rustc_hash::FxHashSet;
use std::sync::LazyLock;

use super::gazetteer::normalize;
use crate::analysis::script;

static KEYS: LazyLock<FxHashSet<String>> = LazyLock::new(|| {
    include_str!("given_names.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|name| key(&normalize(name)))
        .collect()
});

/// Case endings of Slavic names, longest first, tried when the printed form is not known
/// (romanised, so one list serves Polish and Cyrillic text).
const ENDINGS: &[&str] = &["ego", "emu", "owi", "em", "om", "ym", "a", "u", "y", "e"];

/// Whether a printed word is a known given name.
pub fn is_given_name(printed: &str) -> bool {
    let latin = if script::is_latin(printed) {
        normalize(printed)
    } else {
        // Soft and hard signs come out as apostrophes: Дональд → Donal'd.
        normalize(&any_ascii::any_ascii(printed).replace(['\'', '"'], ""))
    };
    if latin.chars().count() < 3 || latin.contains(' ') {
        return false;
    }
    if KEYS.contains(&key(&latin)) {
        return true;
    }
    ENDINGS.iter().any(|ending| {
        latin
            .strip_suffix(ending)
            .filter(|stem| stem.len() >= 4)
            .is_some_and(|stem| KEYS.contains(&key(stem)))
    })
}

/// Names compared with the letters that spell one sound in several languages folded
/// (Wolodymyr, Volodimir); stricter than the fold key of name variants, which keeps only a
/// word's skeleton and would take "Casa" for "Kosa".
fn key(normalized: &str) -> String {
    normalized
        .chars()
        .map(|c| match c {
            'w' => 'v',
            'y' => 'i',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn given_names_in_any_spelling_script_and_case() {
        for name in [
            "Donald",
            "Olaf",
            "Volodymyr",
            "Wolodymyr",
            "Wołodymyra",
            "Дональд",
            "Владимира",
            "Алексея",
            "Kamala",
        ] {
            assert!(is_given_name(name), "{name}");
        }
        for word in [
            "Casa", "Estados", "Augen", "World", "Truth", "Умер", "Ab", "Real",
        ] {
            assert!(!is_given_name(word), "{word}");
        }
    }
}
