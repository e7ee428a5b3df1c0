//! What the name fields keep: words printed with a capital that are not common words, and
//! their transliteration keys ([`crate::variants::fold_key`]), the predicates and rewrite
//! that [`super::names`] and [`super::name_keys`] put in their chains.

use tantivy::tokenizer::Token;

use crate::variants;

/// Whether a token is printed with a capital. Judged before lowercasing, so the name chains
/// apply it first.
pub(super) fn starts_upper(t: &Token) -> bool {
    t.text.starts_with(char::is_uppercase)
}

/// Whether a (lowercased, folded) token is not a common word ([`variants::is_common`]): a
/// capital at a sentence's start does not make "meanwhile" a name.
pub(super) fn uncommon(t: &Token) -> bool {
    !variants::is_common(&t.text)
}

/// A [`super::Rewrite`] function: a name's transliteration key ("arghachi" → "arkchi").
/// Only plain ASCII letters have one; any other word is left as it is.
pub(super) fn transliteration_key(word: &str, out: &mut String) -> bool {
    let ascii = word.bytes().all(|b| b.is_ascii_lowercase());
    if ascii {
        out.push_str(&variants::fold_key(word));
    }
    ascii
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{name_keys, names, terms, TextAnalyzer};

    fn words(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        terms(analyzer, text).into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn names_are_capitalised_uncommon_words_and_fold_to_keys() {
        let text = "Meanwhile, Foreign Minister Abbas Arghachi met the U.N. chief in Tehran.";
        assert_eq!(
            words(&mut names(), text),
            ["abbas", "arghachi", "un", "tehran"]
        );
        assert_eq!(
            words(&mut name_keys(), "Abbas Arghachi and Qassem"),
            ["abs", "arkchi", "ksm"]
        );
    }

    #[test]
    fn only_plain_ascii_names_have_a_key() {
        let mut out = String::new();
        assert!(transliteration_key("arghachi", &mut out));
        assert_eq!(out, "arkchi");
        let mut out = String::new();
        assert!(!transliteration_key("پزشکیان", &mut out));
        assert_eq!(out, "");
        let token = |text: &str| Token {
            text: text.into(),
            ..Token::default()
        };
        assert!(starts_upper(&token("Musk")) && !starts_upper(&token("musk")));
        assert!(uncommon(&token("musk")) && !uncommon(&token("meanwhile")));
    }
}
