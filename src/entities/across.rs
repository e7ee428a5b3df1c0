//! People across spellings and scripts: which person named in another script (Βολοντίμιρ Ζελένσκι,
//! Алексея Навального, 泽连斯基) is a person named in Latin letters (Volodymyr Zelensky), by the
//! cross-script keys of their names ([`crate::analysis::script`]).
//!
//! A person named in another script joins the Latin-script person whose surname shares a key
//! with its surname (the last word), and whose first name does too when both print one; among
//! several, the one most articles mention. Names in other scripts are never merged with each
//! other without a Latin one, nor places and organisations, whose names are translated, not
//! transliterated.

use std::collections::HashMap;

use super::Kind;
use crate::analysis::{fold, normalize, script};

/// For each entity (kind, name, articles) that is a person named in another script, the index
/// of the Latin-script person it is, when there is one.
pub fn latin_person_of(entities: &[(Kind, &str, u64)]) -> HashMap<usize, usize> {
    // Latin persons by the keys of their surnames.
    let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
    let mut latin_first: HashMap<usize, Vec<String>> = HashMap::new();
    for (i, (kind, name, _)) in entities.iter().enumerate() {
        if *kind != Kind::Person || !script::is_latin(name) {
            continue;
        }
        let words: Vec<&str> = name.split_whitespace().collect();
        let Some(last) = words.last() else { continue };
        for key in script::query_keys(&latin_word(last)).keys {
            by_key.entry(key).or_default().push(i);
        }
        if words.len() > 1 {
            latin_first.insert(i, script::query_keys(&latin_word(words[0])).keys);
        }
    }
    let mut out = HashMap::new();
    for (i, (kind, name, _)) in entities.iter().enumerate() {
        if *kind != Kind::Person || script::is_latin(name) {
            continue;
        }
        let words: Vec<&str> = name.split_whitespace().collect();
        let Some(last) = words.last() else { continue };
        let surname = printed_keys(last);
        let first = (words.len() > 1).then(|| printed_keys(words[0]));
        let best = surname
            .iter()
            .filter_map(|k| by_key.get(k))
            .flatten()
            .filter(|j| match (&first, latin_first.get(j)) {
                // A first name too short for a key (JD) says nothing either way.
                (Some(mine), Some(theirs)) if !mine.is_empty() && !theirs.is_empty() => {
                    mine.iter().any(|k| theirs.contains(k))
                }
                _ => true,
            })
            // Keys of three consonants are shared by unrelated words (Украины, "of Ukraine",
            // and Greene): the names must also begin alike, first names too where both have
            // one (Юлия Галямина is not Brian Glenn).
            .filter(|j| {
                let theirs: Vec<&str> = entities[**j].1.split_whitespace().collect();
                let begin_alike = |a: Option<&&str>, b: Option<&&str>| match (a, b) {
                    (Some(a), Some(b)) => same_initial(a, b),
                    _ => true,
                };
                begin_alike(theirs.last(), words.last())
                    && (theirs.len() < 2
                        || words.len() < 2
                        || begin_alike(theirs.first(), words.first()))
            })
            .max_by_key(|j| (entities[**j].2, std::cmp::Reverse(**j)));
        if let Some(j) = best {
            out.insert(i, *j);
        }
    }
    out
}

/// Whether two names, one in Latin letters and one in another script, are the same person:
/// their surnames (last words) share a cross-script key, and their first names do too when
/// both print one with a key. ("Zelensky" is "Βολοντίμιρ Ζελένσκι"; "Volodymyr Zelensky" is
/// "Владимир Зеленский"; "Yulia Navalnaya" is not "Алексей Навальный".)
pub fn same_person(a: &str, b: &str) -> bool {
    let (latin, other) = match (script::is_latin(a), script::is_latin(b)) {
        (true, false) => (a, b),
        (false, true) => (b, a),
        _ => return false,
    };
    let lw: Vec<&str> = latin.split_whitespace().collect();
    let ow: Vec<&str> = other.split_whitespace().collect();
    let (Some(l_last), Some(o_last)) = (lw.last(), ow.last()) else {
        return false;
    };
    let shares = |l: &str, o: &str| {
        let theirs = printed_keys(o);
        script::query_keys(&latin_word(l))
            .keys
            .iter()
            .any(|k| theirs.contains(k))
    };
    if !shares(l_last, o_last) {
        return false;
    }
    if lw.len() > 1 && ow.len() > 1 {
        let (l_first, o_first) = (lw[0], ow[0]);
        let keyed = !script::query_keys(&latin_word(l_first)).keys.is_empty()
            && !printed_keys(o_first).is_empty();
        return !keyed || shares(l_first, o_first);
    }
    true
}

/// What a person named in Latin letters is called in every language's spelling and case
/// (Alexei Navalny, Aleksiej Nawalny, Alexej Nawalny, Aleksieja Nawalnego): the consonant
/// skeletons of the first name and the surname, Slavic case endings cut. `None` for a name of
/// one word or not in Latin letters.
pub fn spelling_key(name: &str) -> Option<(String, String)> {
    if !script::is_latin(name) {
        return None;
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    let (first, last) = match words.as_slice() {
        [first, .., last] => (first, last),
        _ => return None,
    };
    let skeleton = |word: &str| {
        let latin = glide_as_y(&latin_word(word));
        script::skeleton(without_case_ending(&latin), false)
    };
    let surname = skeleton(last);
    // A first name's y is a glide some spellings write and some do not (Yulia, Julija).
    let first = skeleton(first).replace('y', "");
    (surname.len() >= 2).then_some((first, surname))
}

/// The j that German, Polish and Slavic spellings write for an English y before a vowel
/// (Julia, Nawalnaja), as y.
fn glide_as_y(word: &str) -> String {
    let b = word.as_bytes();
    word.char_indices()
        .map(|(i, c)| {
            let vowel_next = b.get(i + 1).is_some_and(|n| b"aeiou".contains(n));
            if c == 'j' && vowel_next {
                'y'
            } else {
                c
            }
        })
        .collect()
}

/// The initials of a name's given names and whether it prints only initials: "J. D. Vance"
/// and "JD Vance" are ("jd", true), "James David Vance" ("jd", false). `None` for one word.
pub fn initials(name: &str) -> Option<(String, bool)> {
    let words: Vec<&str> = name.split_whitespace().collect();
    let (_, given) = words.split_last()?;
    if given.is_empty() {
        return None;
    }
    let letters = |w: &str| w.chars().filter(|c| c.is_alphabetic()).collect::<String>();
    let only = given.iter().all(|w| {
        let l = letters(w);
        l.chars().count() == 1 || (l.chars().count() <= 3 && l.chars().all(char::is_uppercase))
    });
    let out = if only {
        given.iter().map(|w| letters(w).to_lowercase()).collect()
    } else {
        given
            .iter()
            .filter_map(|w| letters(w).chars().next())
            .flat_map(char::to_lowercase)
            .collect()
    };
    Some((out, only))
}

/// Whether two names begin alike, romanised: both with a vowel, or consonants of one class;
/// an h (silent in many spellings, Х as Kh) goes with anything.
fn same_initial(a: &str, b: &str) -> bool {
    let initial = |w: &str| {
        let latin = any_ascii::any_ascii(&script::greek_stops(&w.to_lowercase())).to_lowercase();
        let c = latin.chars().find(char::is_ascii_alphabetic)?;
        Some(match c {
            'a' | 'e' | 'i' | 'o' | 'u' | 'y' => 'V',
            'h' => 'H',
            _ => {
                // The affricate of J written as two or three letters (Τζέι, Джей) is j's class.
                let start: String = latin.chars().take(3).collect();
                let classes = script::skeleton(&start, false);
                if classes.starts_with("ts") {
                    's'
                } else {
                    classes.chars().next().unwrap_or('H')
                }
            }
        })
    };
    match (initial(a), initial(b)) {
        (Some(x), Some(y)) => x == y || x == 'H' || y == 'H',
        _ => true,
    }
}

/// A Latin-letter name without the consonant-bearing case ending Polish, Czech and the like
/// add to it (Nawalnego, Trumpowi, Zełenskim → nawaln, trump, zelensk); vowel endings need no
/// cutting, as skeletons drop vowels.
fn without_case_ending(word: &str) -> &str {
    const ENDINGS: [&str; 8] = ["ego", "emu", "owi", "em", "im", "om", "ym", "ą"];
    ENDINGS
        .iter()
        .find_map(|e| {
            word.strip_suffix(e)
                .filter(|rest| rest.chars().count() >= 4)
        })
        .unwrap_or(word)
}

/// A Latin word as query keys read it: normalised, accents folded.
pub(super) fn latin_word(word: &str) -> String {
    let mut out = String::new();
    if !normalize(word, &mut out) {
        out.push_str(word);
    }
    fold(&out).into_owned()
}

/// The cross-script keys of a word of another script, as printed.
fn printed_keys(word: &str) -> Vec<String> {
    let mut keys = Vec::new();
    script::index_keys(word, &mut keys);
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_named_in_other_scripts_join_the_latin_person() {
        let entities = [
            (Kind::Person, "Volodymyr Zelensky", 70),
            (Kind::Person, "Βολοντίμιρ Ζελένσκι", 13),
            (Kind::Person, "Алексея Навального", 7),
            (Kind::Person, "Alexei Navalny", 53),
            (Kind::Person, "Yulia Navalnaya", 9),
            (Kind::Person, "Ντόναλντ Τραμπ", 10),
            (Kind::Person, "Donald Trump", 79),
            (Kind::Place, "Λευκό Οίκο", 7),
            (Kind::Person, "Ελευθέριος Βενιζέλος", 2),
            (Kind::Person, "JD Vance", 44),
            (Kind::Person, "Vance", 3),
            (Kind::Person, "Τζέι Ντι Βανς", 5),
            (Kind::Person, "Marjorie Taylor Greene", 5),
            (Kind::Person, "Украины", 5),
            (Kind::Person, "Brian Glenn", 9),
            (Kind::Person, "Юлия Галямина", 1),
        ];
        let got = latin_person_of(&entities);
        assert_eq!(got.get(&1), Some(&0), "{got:?}");
        assert_eq!(got.get(&2), Some(&3));
        assert_eq!(got.get(&5), Some(&6));
        // JD is too short for a key: the surname decides, and the best-known Vance wins.
        // (Marjorie Taylor Greene and Украины share the key krn, but do not begin alike.)
        assert_eq!(got.get(&11), Some(&9));
        // A place is not merged; a Greek person with no Latin counterpart stays himself.
        assert_eq!(got.len(), 4, "{got:?}");
    }

    #[test]
    fn one_person_in_every_latin_spelling_and_case() {
        let key = |n| spelling_key(n).unwrap();
        for other in [
            "Aleksiej Nawalny",
            "Alexej Nawalny",
            "Aleksieja Nawalnego",
            "Alexeï Navalni",
        ] {
            assert_eq!(key(other), key("Alexei Navalny"), "{other}");
        }
        assert_eq!(key("Wołodymyra Zełenskiego"), key("Volodymyr Zelensky"));
        assert_eq!(key("Donaldowi Trumpowi"), key("Donald Trump"));
        assert_ne!(key("Yulia Navalnaya"), key("Alexei Navalny"));
        assert_ne!(key("Jill Biden"), key("Joe Biden"));
        assert_eq!(key("Julija Nawalnaja"), key("Yulia Navalnaya"));
        assert_ne!(key("Julia Nawalna"), key("Alexei Navalny"));
        assert_eq!(spelling_key("Navalny"), None);
        assert_eq!(initials("J. D. Vance"), Some(("jd".into(), true)));
        assert_eq!(initials("JD Vance"), Some(("jd".into(), true)));
        assert_eq!(initials("James David Vance"), Some(("jd".into(), false)));
        assert_eq!(spelling_key("Алексей Навальный"), None);
    }

    #[test]
    fn the_same_person_across_scripts_by_surname_and_first_name() {
        assert!(same_person("Zelensky", "Βολοντίμιρ Ζελένσκι"));
        assert!(same_person("Владимир Зеленский", "Volodymyr Zelensky"));
        assert!(!same_person("Yulia Navalnaya", "Алексей Навальный"));
        assert!(!same_person("Alexei Navalny", "Юлия Навальная"));
        assert!(!same_person("Zelensky", "Volodymyr Zelensky"));
    }
}
