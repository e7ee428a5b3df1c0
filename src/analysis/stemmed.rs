//! The stemmed field's terms: each language's words stemmed by its own stemmer and kept
//! apart as `LANG:stem`, and the language mark that tells tantivy's writer threads which
//! language a field value is in.

use std::sync::Arc;

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

use super::normalize::fold;
use super::normalized_index;
use super::rewrite::Rewrite;
use super::stem::{Algorithm, Stemmer};

/// The stemmed terms of one language: `LANG:stem`, so each language keeps its own terms and
/// statistics, and an English stem never meets a German word. Languages without a stemmer
/// (and unknown text) keep the word as it is.
pub struct Stems {
    prefix: String,
    stemmer: Option<Stemmer>,
}

impl Stems {
    /// The stems of a language code (see [`crate::lang`]).
    pub fn new(lang: &str) -> Stems {
        Stems {
            prefix: format!("{lang}:"),
            stemmer: crate::lang::stemmer(lang).map(|(code, a)| Stemmer::new(code, a)),
        }
    }

    /// The stem of a normalised word ([`super::normalized`]: stemmers read accents), folded.
    pub fn stem(&self, word: &str) -> String {
        match &self.stemmer {
            Some(s) => fold(&s.stem(word)).into_owned(),
            None => fold(word).into_owned(),
        }
    }

    /// The indexed term of a normalised word: `LANG:stem`.
    pub fn term(&self, word: &str) -> String {
        self.checked_term(word).0
    }

    /// [`Stems::term`], and whether the stemmer read the word (false when it failed on it and
    /// the word stands as it is).
    fn checked_term(&self, word: &str) -> (String, bool) {
        let mut term = String::with_capacity(self.prefix.len() + word.len());
        term.push_str(&self.prefix);
        let stemmed = match &self.stemmer {
            Some(s) => match s.try_stem(word) {
                Some(stem) => {
                    term.push_str(&fold(&stem));
                    true
                }
                None => {
                    term.push_str(&fold(word));
                    false
                }
            },
            None => {
                term.push_str(&fold(word));
                true
            }
        };
        (term, stemmed)
    }
}

/// Most terms a [`TermCache`] holds before it starts again.
const CACHE_TERMS: usize = 50_000;

/// The terms one tokenizer already made, `LANG:word` → `LANG:stem`. News repeats its words
/// (a few thousand make most of any text), so most tokens are a lookup instead of a stemmer
/// run, a fold and two allocations. Each clone (one per writer thread) starts empty; a word
/// the stemmer failed on is never kept, so each occurrence is still counted.
#[derive(Default)]
struct TermCache {
    terms: std::collections::HashMap<String, String, rustc_hash::FxBuildHasher>,
    key: String,
}

impl Clone for TermCache {
    fn clone(&self) -> Self {
        TermCache::default()
    }
}

impl TermCache {
    /// Rewrites `text`, a normalised word, into its term under `stems`.
    fn rewrite(&mut self, stems: &Stems, text: &mut String) {
        self.key.clear();
        self.key.push_str(&stems.prefix);
        self.key.push_str(text);
        if let Some(term) = self.terms.get(self.key.as_str()) {
            text.clear();
            text.push_str(term);
            return;
        }
        let (term, stemmed) = stems.checked_term(text);
        if stemmed {
            if self.terms.len() >= CACHE_TERMS {
                self.terms.clear();
            }
            self.terms.insert(self.key.clone(), term.clone());
        }
        *text = term;
    }
}

/// Marks a stemmed field value's language: `\u{E000}CODE\u{E000}` before the text
/// ([`stemmed_value`]). tantivy analyses field values in its writer threads, one per core;
/// the mark tells [`StemmedTokenizer`] there which language's stemmer to use.
pub const LANG_MARK: char = '\u{E000}';

/// The stemmed field's value for a passage in language `lang`.
pub fn stemmed_value(lang: &str, text: &str) -> String {
    let mut value = String::with_capacity(text.len() + lang.len() + 6);
    value.push(LANG_MARK);
    value.push_str(lang);
    value.push(LANG_MARK);
    value.push_str(text);
    value
}

/// The stemmed field's analyzer: reads the language mark ([`stemmed_value`]), then gives
/// [`normalized_index`]'s words as that language's `LANG:stem` terms ([`Stems`]). Positions
/// are those of [`super::exact_index`]; offsets count from after the mark (byline never reads them
/// from the index: highlights are cut from the stored text).
#[derive(Clone)]
pub struct StemmedTokenizer {
    words: TextAnalyzer,
    stems: Arc<std::collections::HashMap<&'static str, Stems>>,
    unknown: Arc<Stems>,
    cache: TermCache,
}

impl StemmedTokenizer {
    /// A tokenizer with every known language's stemmer made.
    pub fn new() -> StemmedTokenizer {
        StemmedTokenizer {
            words: normalized_index(),
            stems: Arc::new(crate::lang::codes().map(|c| (c, Stems::new(c))).collect()),
            unknown: Arc::new(Stems::new(crate::lang::UNKNOWN)),
            cache: TermCache::default(),
        }
    }
}

impl Default for StemmedTokenizer {
    fn default() -> Self {
        StemmedTokenizer::new()
    }
}

impl Tokenizer for StemmedTokenizer {
    type TokenStream<'a> = StemmedStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> StemmedStream<'a> {
        let (lang, rest) = text
            .strip_prefix(LANG_MARK)
            .and_then(|t| t.split_once(LANG_MARK))
            .unwrap_or((crate::lang::UNKNOWN, text));
        let stems = self.stems.get(lang).unwrap_or(&self.unknown);
        StemmedStream {
            inner: self.words.token_stream(rest),
            stems,
            cache: &mut self.cache,
        }
    }
}

/// Token stream of [`StemmedTokenizer`].
pub struct StemmedStream<'a> {
    inner: tantivy::tokenizer::BoxTokenStream<'a>,
    stems: &'a Stems,
    cache: &'a mut TermCache,
}

impl TokenStream for StemmedStream<'_> {
    fn advance(&mut self) -> bool {
        if !self.inner.advance() {
            return false;
        }
        self.cache
            .rewrite(self.stems, &mut self.inner.token_mut().text);
        true
    }

    fn token(&self) -> &Token {
        self.inner.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.inner.token_mut()
    }
}

/// A filter stemming each token with one language's stemmer.
pub fn stem_filter(
    lang: &'static str,
    algorithm: Algorithm,
) -> Rewrite<impl Fn(&str, &mut String) -> bool + Clone + Send + Sync + 'static> {
    let stemmer = Arc::new(Stemmer::new(lang, algorithm));
    Rewrite(
        move |word: &str, out: &mut String| match stemmer.stem(word) {
            std::borrow::Cow::Owned(stem) => {
                out.push_str(&stem);
                true
            }
            std::borrow::Cow::Borrowed(_) => false,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::terms;

    fn words(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        terms(analyzer, text).into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn stems_are_per_language_and_prefixed() {
        let de = Stems::new("de");
        assert_eq!(de.term("spannungen"), "de:spannung");
        assert_eq!(Stems::new("en").term("spannungen"), "en:spannungen");
        assert_eq!(Stems::new("fa").term("تحريمها"), "fa:تحريمها");
        // Stemmers read accents: Turkish and Spanish suffixes go, then the stem is folded.
        assert_eq!(
            Stems::new("tr").term("yaptırımlar"),
            Stems::new("tr").term("yaptırımları")
        );
        assert_eq!(
            Stems::new("es").term("sanción"),
            Stems::new("es").term("sanciones")
        );
        assert_eq!(Stems::new("de").term("gespräche"), "de:gesprach");
        assert_eq!(Stems::new("und").term("sanctions"), "und:sanctions");
        let mut field = TextAnalyzer::from(StemmedTokenizer::new());
        let got = words(&mut field, &stemmed_value("de", "Die Sanktionen"));
        assert_eq!(got, ["de:die", "de:sanktion"]);
        assert_eq!(words(&mut field, "no mark"), ["und:no", "und:mark"]);
        assert_eq!(de.term("spannungen"), "de:spannung");
    }

    #[test]
    fn the_term_cache_gives_what_the_stemmer_gives_and_skips_failures() {
        let (de, el) = (Stems::new("de"), Stems::new("el"));
        let mut cache = TermCache::default();
        for _ in 0..2 {
            let mut word = "sanktionen".to_string();
            cache.rewrite(&de, &mut word);
            assert_eq!(word, "de:sanktion");
            // The Greek stemmer panics on this word (see stem::KNOWN_PANICS): it stands as
            // it is, and is not kept, so every occurrence is counted as a failure.
            let mut word = "ισαισα".to_string();
            cache.rewrite(&el, &mut word);
            assert_eq!(word, el.term("ισαισα"));
        }
        assert_eq!(cache.terms.len(), 1);
        // The same word in another language is another term.
        let mut word = "sanktionen".to_string();
        cache.rewrite(&Stems::new("en"), &mut word);
        assert_eq!(word, "en:sanktionen");
        assert_eq!(cache.terms.len(), 2);
        // A clone (a writer thread's copy) starts empty.
        assert!(cache.clone().terms.is_empty());
    }

    #[test]
    fn the_stem_of_a_word_is_folded_and_unprefixed() {
        assert_eq!(Stems::new("de").stem("gespräche"), "gesprach");
        assert_eq!(Stems::new("fa").stem("تحريمها"), "تحريمها");
    }

    #[test]
    fn offsets_count_from_after_the_language_mark() {
        let text = "Die Sanktionen";
        let got = terms(
            &mut TextAnalyzer::from(StemmedTokenizer::new()),
            &stemmed_value("de", text),
        );
        assert_eq!(
            got,
            [
                ("de:die".to_string(), 0..3),
                ("de:sanktion".to_string(), 4..14)
            ]
        );
    }
}
