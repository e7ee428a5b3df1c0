//! The one text analyzer: how article text and queries become terms.
//!
//! Defined once here and registered on every index open ([`register`]), because tantivy
//! forgets custom tokenizers between opens. Indexing, query parsing and highlighting all go
//! through the analyzers named here, so a word is cut the same way everywhere.
//!
//! The chain: [`WordTokenizer`] (letters and digits; "U.S." and "U.N." as one token "US"/"UN";
//! a possessive "’s" dropped) → long-token guard → lowercasing → ASCII folding (accents, so
//! "Pezeshkián" = "pezeshkian") → for [`STEMMED`] only, English stemming with rust-stemmers
//! ([`stem_filter`]). The name analyzers ([`NAME`], [`NAME_FOLD`]) keep only capitalised,
//! uncommon words, and the second turns each into its transliteration key.
//! Curly quotes and non-breaking spaces are separators here; the stored text is never changed.

use std::sync::Arc;

use rust_stemmers::{Algorithm, Stemmer};

use crate::variants;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, TextAnalyzer, Token, TokenFilter,
    TokenStream, Tokenizer,
};

/// Analyzer name for the stemmed text field.
pub const STEMMED: &str = "byline_stem";
/// Analyzer name for the unstemmed ("exact form") text field.
pub const EXACT: &str = "byline_exact";
/// Analyzer name for the names field: capitalised, uncommon words, exact form.
pub const NAME: &str = "byline_name";
/// Analyzer name for the names' transliteration keys.
pub const NAME_FOLD: &str = "byline_name_fold";

/// Tokens longer than this many bytes are dropped (they are never words a user types).
const MAX_TOKEN_BYTES: usize = 100;

/// Registers byline's analyzers on an index. Call on every open and create.
pub fn register(index: &tantivy::Index) {
    let manager = index.tokenizers();
    manager.register(STEMMED, stemmed());
    manager.register(EXACT, exact());
    manager.register(NAME, names());
    manager.register(NAME_FOLD, name_keys());
}

/// Names: words printed with a capital that are not common words, lowercased and folded.
/// "Iravani met Musk" → "iravani", "musk"; "The" and "Meanwhile" are left out.
pub fn names() -> TextAnalyzer {
    name_words().build()
}

/// Names' transliteration keys ([`variants::fold_key`]): "Arghachi" → "arkchi".
pub fn name_keys() -> TextAnalyzer {
    name_words()
        .filter(Rewrite(|word: &str, out: &mut String| {
            let ascii = word.bytes().all(|b| b.is_ascii_lowercase());
            if ascii {
                out.push_str(&variants::fold_key(word));
            }
            ascii
        }))
        .build()
}

/// The chain both name analyzers share: capitalised words only, then as [`words`], less
/// the common ones. (The capital is judged before lowercasing, so it comes first.)
fn name_words() -> tantivy::tokenizer::TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(WordTokenizer)
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(KeepIf(starts_upper))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(KeepIf(|t: &Token| !variants::is_common(&t.text)))
}

fn starts_upper(t: &Token) -> bool {
    t.text.starts_with(char::is_uppercase)
}

/// The unstemmed analyzer: words lowercased and folded.
pub fn exact() -> TextAnalyzer {
    words().build()
}

/// The stemmed analyzer: [`exact`] plus English stemming.
pub fn stemmed() -> TextAnalyzer {
    words().filter(stem_filter(Algorithm::English)).build()
}

/// The chain every analyzer starts with: words, no overlong ones, lowercased, folded.
fn words() -> tantivy::tokenizer::TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(WordTokenizer)
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
}

/// Splits text into words: maximal runs of letters and digits.
///
/// Two cases read further than a run: single letters joined by dots ("U.S.", "U.N.", "U.S")
/// become one token of those letters, and a possessive "'s"/"’s" after a word is not a token.
#[derive(Clone, Copy, Debug, Default)]
pub struct WordTokenizer;

/// Token stream of [`WordTokenizer`].
pub struct WordTokenStream<'a> {
    text: &'a str,
    pos: usize,
    token: Token,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        WordTokenStream {
            text,
            pos: 0,
            token: Token::default(),
        }
    }
}

fn char_at(text: &str, at: usize) -> Option<char> {
    text.get(at..).and_then(|s| s.chars().next())
}

impl WordTokenStream<'_> {
    /// If a dotted acronym ("U.S.", "U.N", "e.g.") starts at `start`, returns its end (after a
    /// final dot, if any) and pushes its letters into the token text.
    fn dotted_acronym(&mut self, start: usize) -> Option<usize> {
        let text = self.text;
        let mut at = start;
        let mut letters = 0;
        let mut end = start;
        loop {
            let c = char_at(text, at).filter(|c| c.is_alphabetic())?;
            let after = at + c.len_utf8();
            // A component is a single letter: the next char must be a dot or a boundary.
            match char_at(text, after) {
                Some('.') => {
                    letters += 1;
                    end = after + 1;
                    match char_at(text, end) {
                        Some(n) if n.is_alphabetic() => at = end,
                        _ => break,
                    }
                }
                Some(n) if n.is_alphanumeric() => {
                    if letters == 0 {
                        return None;
                    }
                    // "U.Sa": the last run is not a single letter, so the acronym stops before it.
                    break;
                }
                _ => {
                    if letters == 0 {
                        return None;
                    }
                    letters += 1;
                    end = after;
                    break;
                }
            }
        }
        if letters < 2 {
            return None;
        }
        self.token.text.clear();
        self.token
            .text
            .extend(text[start..end].chars().filter(|c| c.is_alphabetic()));
        Some(end)
    }
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let text = self.text;
        // Skip to the start of the next word.
        let Some((offset, _)) = text[self.pos..]
            .char_indices()
            .find(|(_, c)| c.is_alphanumeric())
        else {
            self.pos = text.len();
            return false;
        };
        let start = self.pos + offset;
        let end = match self.dotted_acronym(start) {
            Some(end) => end,
            None => {
                let run = text[start..]
                    .char_indices()
                    .find(|(_, c)| !c.is_alphanumeric())
                    .map_or(text.len(), |(i, _)| start + i);
                self.token.text.clear();
                self.token.text.push_str(&text[start..run]);
                run
            }
        };
        self.pos = skip_possessive(text, end);
        self.token.offset_from = start;
        self.token.offset_to = end;
        self.token.position = self.token.position.wrapping_add(1);
        self.token.position_length = 1;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// After a word ending at `end`, skips "'s" or "’s" when it closes the word.
fn skip_possessive(text: &str, end: usize) -> usize {
    let rest = &text[end..];
    for apostrophe in ["'", "\u{2019}"] {
        if let Some(after) = rest.strip_prefix(apostrophe) {
            if let Some(after_s) = after.strip_prefix(['s', 'S']) {
                if !after_s.starts_with(char::is_alphanumeric) {
                    return text.len() - after_s.len();
                }
            }
        }
    }
    end
}

/// A filter stemming each token with a rust-stemmers algorithm.
pub fn stem_filter(
    algorithm: Algorithm,
) -> Rewrite<impl Fn(&str, &mut String) -> bool + Clone + Send + Sync + 'static> {
    let stemmer = Arc::new(Stemmer::create(algorithm));
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

/// Keeps the tokens a predicate accepts. Offsets and positions are never changed.
#[derive(Clone, Copy)]
pub struct KeepIf(pub fn(&Token) -> bool);

impl TokenFilter for KeepIf {
    type Tokenizer<T: Tokenizer> = KeepIfWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> KeepIfWrapper<T> {
        KeepIfWrapper {
            keep: self.0,
            inner: tokenizer,
        }
    }
}

/// [`KeepIf`] applied to a tokenizer.
#[derive(Clone)]
pub struct KeepIfWrapper<T> {
    keep: fn(&Token) -> bool,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for KeepIfWrapper<T> {
    type TokenStream<'a> = KeepIfStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        KeepIfStream {
            keep: self.keep,
            tail: self.inner.token_stream(text),
        }
    }
}

/// Token stream of [`KeepIfWrapper`].
pub struct KeepIfStream<T> {
    keep: fn(&Token) -> bool,
    tail: T,
}

impl<T: TokenStream> TokenStream for KeepIfStream<T> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            if (self.keep)(self.tail.token()) {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Rewrites each token's text: the function writes the new text into a reused buffer and
/// returns true, or returns false to leave the token as it is. Offsets are never moved.
#[derive(Clone, Copy)]
pub struct Rewrite<F>(pub F);

impl<F: Fn(&str, &mut String) -> bool + Clone + Send + Sync + 'static> TokenFilter for Rewrite<F> {
    type Tokenizer<T: Tokenizer> = RewriteWrapper<T, F>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> RewriteWrapper<T, F> {
        RewriteWrapper {
            rewrite: self.0,
            inner: tokenizer,
            buffer: String::new(),
        }
    }
}

/// [`Rewrite`] applied to a tokenizer.
#[derive(Clone)]
pub struct RewriteWrapper<T, F> {
    rewrite: F,
    inner: T,
    buffer: String,
}

impl<T: Tokenizer, F: Fn(&str, &mut String) -> bool + Clone + Send + Sync + 'static> Tokenizer
    for RewriteWrapper<T, F>
{
    type TokenStream<'a> = RewriteStream<'a, T::TokenStream<'a>, F>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        RewriteStream {
            rewrite: &self.rewrite,
            tail: self.inner.token_stream(text),
            buffer: &mut self.buffer,
        }
    }
}

/// Token stream of [`RewriteWrapper`].
pub struct RewriteStream<'a, T, F> {
    rewrite: &'a F,
    tail: T,
    buffer: &'a mut String,
}

impl<T: TokenStream, F: Fn(&str, &mut String) -> bool> TokenStream for RewriteStream<'_, T, F> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        self.buffer.clear();
        let token = self.tail.token_mut();
        if (self.rewrite)(&token.text, self.buffer) {
            // The old text becomes the next token's scratch space.
            std::mem::swap(&mut token.text, self.buffer);
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Runs an analyzer over `text`, returning `(term, byte range)` for each token.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let t = stream.token();
        out.push((t.text.clone(), t.offset_from..t.offset_to));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        terms(analyzer, text).into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn dotted_acronyms_are_one_token_equal_to_the_bare_form() {
        let mut a = exact();
        assert_eq!(
            words(&mut a, "from the U.S. Treasury"),
            ["from", "the", "us", "treasury"]
        );
        assert_eq!(
            words(&mut a, "Iran’s U.N. Ambassador"),
            ["iran", "un", "ambassador"]
        );
        assert_eq!(words(&mut a, "US and UN"), ["us", "and", "un"]);
        // 004 prints "U.S elections" without the final dot.
        assert_eq!(
            words(&mut a, "the U.S elections"),
            ["the", "us", "elections"]
        );
        // A single initial is not an acronym.
        assert_eq!(words(&mut a, "J. Smith"), ["j", "smith"]);
    }

    #[test]
    fn offsets_cover_the_printed_form() {
        let text = "in the U.S. Treasury and Iran’s mission";
        let got = terms(&mut exact(), text);
        let us = &got[2];
        assert_eq!((us.0.as_str(), &text[us.1.clone()]), ("us", "U.S."));
        let iran = &got[5];
        assert_eq!((iran.0.as_str(), &text[iran.1.clone()]), ("iran", "Iran"));
        assert_eq!(&text[got[6].1.clone()], "mission");
    }

    #[test]
    fn folds_case_and_accents_and_stems() {
        assert_eq!(
            words(&mut exact(), "Pezeshkián SANCTIONS"),
            ["pezeshkian", "sanctions"]
        );
        assert_eq!(
            words(&mut stemmed(), "sanctions negotiations"),
            ["sanction", "negoti"]
        );
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
    fn curly_quotes_and_nbsp_separate_words() {
        let text = "“positive”\u{a0}and ‘peace through strength’";
        assert_eq!(
            words(&mut exact(), text),
            ["positive", "and", "peace", "through", "strength"]
        );
    }
}
