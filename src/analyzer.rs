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

use crate::stem::{Algorithm, Stemmer};

use crate::variants;
/// tantivy's analyzer type, which every analyzer here is.
pub use tantivy::tokenizer::TextAnalyzer;
use tantivy::tokenizer::{
    AsciiFoldingFilter, RemoveLongFilter, Token, TokenFilter, TokenStream, Tokenizer,
};

/// Analyzer name for the stemmed text field ([`StemmedTokenizer`]: each value carries its
/// language, [`stemmed_value`]).
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
    manager.register(STEMMED, TextAnalyzer::from(StemmedTokenizer::new()));
    manager.register(EXACT, exact_index());
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
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(KeepIf(starts_upper))
        .filter(Rewrite(normalize))
        .filter(KeepIf(not_empty))
        .filter(AsciiFoldingFilter)
        .filter(KeepIf(|t: &Token| !variants::is_common(&t.text)))
}

fn starts_upper(t: &Token) -> bool {
    t.text.starts_with(char::is_uppercase)
}

fn not_empty(t: &Token) -> bool {
    !t.text.is_empty()
}

/// The unstemmed analyzer for queries: words normalised and folded; a hyphenated word is its
/// parts, a CJK run its bigrams.
pub fn exact() -> TextAnalyzer {
    words(Cut::Query).build()
}

/// The unstemmed analyzer for indexed text (and for marking it): as [`exact`], plus each
/// hyphenated word whole and each CJK character alone ([`Cut::Index`]).
pub fn exact_index() -> TextAnalyzer {
    words(Cut::Index).build()
}

/// The English stemmed analyzer: [`exact`] plus English stemming, without a language prefix.
/// (Indexing and queries go through [`Stems`], which knows each article's language; this
/// one is for the benches and tests.)
pub fn stemmed() -> TextAnalyzer {
    words(Cut::Query)
        .filter(stem_filter("en", Algorithm::English))
        .build()
}

/// The chain every analyzer starts with: words, no overlong ones, normalised ([`normalize`]),
/// accents folded.
fn words(cut: Cut) -> tantivy::tokenizer::TextAnalyzerBuilder<impl Tokenizer> {
    unfolded(cut).filter(AsciiFoldingFilter)
}

/// [`words`] before accents are folded: what a stemmer reads (Turkish, Spanish and French
/// suffixes carry their accents), each token in step with [`words`]' token.
fn unfolded(cut: Cut) -> tantivy::tokenizer::TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(WordTokenizer { cut })
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(Rewrite(normalize))
        .filter(KeepIf(not_empty))
}

/// Query words normalised but not folded, one for each token of [`exact`].
pub fn normalized() -> TextAnalyzer {
    unfolded(Cut::Query).build()
}

/// Indexed words normalised but not folded, one for each token of [`exact_index`].
pub fn normalized_index() -> TextAnalyzer {
    unfolded(Cut::Index).build()
}

/// Folds accents as the analyzers do ("gesprach" for "gespräch"); ASCII stays as it is.
pub fn fold(word: &str) -> std::borrow::Cow<'_, str> {
    if word.is_ascii() {
        return std::borrow::Cow::Borrowed(word);
    }
    thread_local! {
        static FOLD: std::cell::RefCell<TextAnalyzer> = std::cell::RefCell::new(
            TextAnalyzer::builder(tantivy::tokenizer::RawTokenizer::default())
                .filter(AsciiFoldingFilter)
                .build(),
        );
    }
    FOLD.with(|a| {
        let mut a = a.borrow_mut();
        let mut stream = a.token_stream(word);
        let mut out = String::new();
        while stream.advance() {
            out.push_str(&stream.token().text);
        }
        std::borrow::Cow::Owned(out)
    })
}

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

    /// The stem of a normalised word ([`normalized`]: stemmers read accents), folded.
    pub fn stem(&self, word: &str) -> String {
        match &self.stemmer {
            Some(s) => fold(&s.stem(word)).into_owned(),
            None => fold(word).into_owned(),
        }
    }

    /// The indexed term of a normalised word: `LANG:stem`.
    pub fn term(&self, word: &str) -> String {
        let mut term = String::with_capacity(self.prefix.len() + word.len());
        term.push_str(&self.prefix);
        match &self.stemmer {
            Some(s) => term.push_str(&fold(&s.stem(word))),
            None => term.push_str(&fold(word)),
        }
        term
    }
}

/// The stemmed field's analyzer as registered ([`StemmedTokenizer`]), for tests and fuzzing.
pub fn stemmed_index() -> TextAnalyzer {
    TextAnalyzer::from(StemmedTokenizer::new())
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
/// are those of [`exact_index`]; offsets count from after the mark (byline never reads them
/// from the index: highlights are cut from the stored text).
#[derive(Clone)]
pub struct StemmedTokenizer {
    words: TextAnalyzer,
    stems: Arc<std::collections::HashMap<&'static str, Stems>>,
    unknown: Arc<Stems>,
}

impl StemmedTokenizer {
    /// A tokenizer with every known language's stemmer made.
    pub fn new() -> StemmedTokenizer {
        StemmedTokenizer {
            words: normalized_index(),
            stems: Arc::new(crate::lang::codes().map(|c| (c, Stems::new(c))).collect()),
            unknown: Arc::new(Stems::new(crate::lang::UNKNOWN)),
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
        }
    }
}

/// Token stream of [`StemmedTokenizer`].
pub struct StemmedStream<'a> {
    inner: tantivy::tokenizer::BoxTokenStream<'a>,
    stems: &'a Stems,
}

impl TokenStream for StemmedStream<'_> {
    fn advance(&mut self) -> bool {
        if !self.inner.advance() {
            return false;
        }
        let token = self.inner.token_mut();
        token.text = self.stems.term(&token.text);
        true
    }

    fn token(&self) -> &Token {
        self.inner.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.inner.token_mut()
    }
}

/// Unicode normalisation for every language, one token at a time (so offsets stay those of
/// the printed text): NFKC (full-width forms, ligatures, composed accents), lower case (and
/// the dot a Turkish "İ" leaves), Arabic and Persian letter forms (ی/ي, ک/ك, alef forms, teh
/// marbuta, alef maksura; diacritics, tatweel and joiners removed; Arabic-Indic digits),
/// Hebrew points removed,
/// then Traditional Chinese characters to Simplified.
pub fn normalize(word: &str, out: &mut String) -> bool {
    if word.is_ascii() {
        if !word.bytes().any(|b| b.is_ascii_uppercase()) {
            return false;
        }
        out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
        return true;
    }
    use unicode_normalization::UnicodeNormalization;
    let mut han = false;
    for c in word.nfkc().flat_map(char::to_lowercase) {
        let mapped = match c {
            // The dot above that lower-casing "İ" leaves after an "i".
            '\u{307}' if out.ends_with(['i', 'j']) => continue,
            '\u{64a}' | '\u{6cc}' | '\u{649}' | '\u{626}' => '\u{64a}', // ي ی ى ئ → ي
            '\u{643}' | '\u{6a9}' => '\u{643}',                         // ك ک → ك
            '\u{622}' | '\u{623}' | '\u{625}' | '\u{671}' => '\u{627}', // آ أ إ ٱ → ا
            '\u{629}' | '\u{6c0}' | '\u{6c1}' => '\u{647}',             // ة ۀ ہ → ه
            '\u{624}' => '\u{648}',                                     // ؤ → و
            '\u{660}'..='\u{669}' => char::from(b'0' + (c as u32 - 0x660) as u8),
            '\u{6f0}'..='\u{6f9}' => char::from(b'0' + (c as u32 - 0x6f0) as u8),
            // Tatweel, Arabic diacritics, superscript alef, Hebrew points and cantillation
            // marks, zero-width joiners: printed or not, the word is the same.
            '\u{640}'
            | '\u{64b}'..='\u{65f}'
            | '\u{670}'
            | '\u{591}'..='\u{5c7}'
            | '\u{200c}'
            | '\u{200d}' => continue,
            c => c,
        };
        han |= is_han(mapped);
        out.push(mapped);
    }
    if han {
        let simplified = fast2s::convert(out);
        out.clear();
        out.push_str(&simplified);
    }
    true
}

/// Han ideographs (CJK unified, extension A, compatibility).
fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{2a6df}')
}

/// Characters of scripts written without spaces between words, or cut like them: Han, kana,
/// Hangul. A run of them is indexed as overlapping bigrams.
fn is_cjk(c: char) -> bool {
    is_han(c)
        || matches!(c, '\u{3040}'..='\u{30ff}' | '\u{31f0}'..='\u{31ff}' | '\u{ac00}'..='\u{d7af}' | '\u{1100}'..='\u{11ff}' | '\u{3130}'..='\u{318f}' | '\u{ff66}'..='\u{ff9f}')
}

/// Whether `c` continues a word: a letter or digit (not CJK), a combining mark (accents,
/// Arabic diacritics, Indic vowel signs) or a zero-width joiner.
fn continues_word(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    (c.is_alphanumeric() && !is_cjk(c))
        || unicode_normalization::char::is_combining_mark(c)
        || matches!(c, '\u{200c}' | '\u{200d}')
}

/// Hyphens that join the parts of a compound ("Musk-Treffen").
fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// How a [`WordTokenizer`] cuts what is more than one run of letters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Cut {
    /// Queries and names: a hyphenated word is its parts; a CJK run is its overlapping
    /// bigrams (a lone character is itself).
    #[default]
    Query,
    /// Indexed text: as `Query`, plus the hyphenated word whole (its parts joined, at the
    /// first part's position) and each CJK character alone (so a one-character query finds
    /// it), neither moving the positions, so phrases match as in `Query`.
    Index,
}

/// Splits text into words: maximal runs of letters, digits and combining marks.
///
/// Two cases read further than a run: single letters joined by dots ("U.S.", "U.N.", "U.S")
/// become one token of those letters, and a possessive "'s"/"’s" after a word is not a token.
/// Runs of Han, kana or Hangul become overlapping bigrams; see [`Cut`] for the rest.
#[derive(Clone, Copy, Debug, Default)]
pub struct WordTokenizer {
    /// What else to emit.
    pub cut: Cut,
}

/// Token stream of [`WordTokenizer`].
pub struct WordTokenStream<'a> {
    text: &'a str,
    pos: usize,
    cut: Cut,
    /// Position of the next word.
    position: usize,
    pending: std::collections::VecDeque<Token>,
    token: Token,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        WordTokenStream {
            text,
            pos: 0,
            cut: self.cut,
            position: 0,
            pending: std::collections::VecDeque::new(),
            token: Token::default(),
        }
    }
}

fn char_at(text: &str, at: usize) -> Option<char> {
    text.get(at..).and_then(|s| s.chars().next())
}

impl WordTokenStream<'_> {
    fn push(&mut self, text: &str, from: usize, to: usize, position: usize) {
        self.pending.push_back(Token {
            offset_from: from,
            offset_to: to,
            position,
            text: text.to_string(),
            position_length: 1,
        });
    }

    /// A run of CJK characters from `start`: its bigrams (and, for [`Cut::Index`], each
    /// character; the last one shares the last bigram's position).
    fn cjk_run(&mut self, start: usize) {
        let text = self.text;
        let chars: Vec<(usize, char)> = text[start..]
            .char_indices()
            .take_while(|(_, c)| is_cjk(*c))
            .map(|(i, c)| (start + i, c))
            .collect();
        let end = |i: usize| chars[i].0 + chars[i].1.len_utf8();
        let p = self.position;
        let n = chars.len();
        if n == 1 {
            self.push(&text[start..end(0)], start, end(0), p);
            self.position += 1;
        } else {
            for i in 0..n - 1 {
                if self.cut == Cut::Index {
                    self.push(&text[chars[i].0..end(i)], chars[i].0, end(i), p + i);
                }
                self.push(&text[chars[i].0..end(i + 1)], chars[i].0, end(i + 1), p + i);
            }
            if self.cut == Cut::Index {
                let last = n - 1;
                self.push(
                    &text[chars[last].0..end(last)],
                    chars[last].0,
                    end(last),
                    p + n - 2,
                );
            }
            self.position += n - 1;
        }
        self.pos = end(n - 1);
    }

    /// Sets the current token in place (no allocation: the common case of one plain word).
    fn emit(&mut self, from: usize, to: usize, word: Option<&str>) {
        self.token.text.clear();
        self.token
            .text
            .push_str(word.unwrap_or(&self.text[from..to]));
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.position = self.position;
        self.token.position_length = 1;
        self.position += 1;
    }

    /// A word from `start`: a dotted acronym, a hyphenated compound ([`Cut::Index`]) or a run.
    /// Returns true when it set the current token itself, false when it queued tokens.
    fn word(&mut self, start: usize) -> bool {
        let text = self.text;
        if let Some((letters, end)) = self.dotted_acronym(start) {
            self.emit(start, end, Some(&letters));
            self.pos = skip_possessive(text, end);
            return true;
        }
        let run_end = |from: usize| {
            text[from..]
                .char_indices()
                .find(|(_, c)| !continues_word(*c))
                .map_or(text.len(), |(i, _)| from + i)
        };
        let mut parts: Vec<std::ops::Range<usize>> = Vec::with_capacity(2);
        parts.push(start..run_end(start));
        if self.cut == Cut::Index {
            loop {
                let after = parts[parts.len() - 1].end;
                let next = match char_at(text, after) {
                    Some(h) if is_hyphen(h) => after + h.len_utf8(),
                    _ => break,
                };
                match char_at(text, next) {
                    Some(c) if c.is_alphanumeric() && !is_cjk(c) => parts.push(next..run_end(next)),
                    _ => break,
                }
            }
        }
        if let [one] = parts.as_slice() {
            let end = one.end;
            self.emit(start, end, None);
            self.pos = skip_possessive(text, end);
            return true;
        }
        let p = self.position;
        let whole: String = parts.iter().map(|r| &text[r.clone()]).collect();
        self.push(&whole, start, parts[parts.len() - 1].end, p);
        for (i, part) in parts.iter().enumerate() {
            self.push(&text[part.clone()], part.start, part.end, p + i);
        }
        self.position += parts.len();
        self.pos = skip_possessive(text, parts[parts.len() - 1].end);
        false
    }

    /// If a dotted acronym ("U.S.", "U.N", "e.g.") starts at `start`, returns its letters and
    /// its end (after a final dot, if any).
    fn dotted_acronym(&self, start: usize) -> Option<(String, usize)> {
        let text = self.text;
        let mut at = start;
        let mut letters = 0;
        let mut end = start;
        loop {
            let c = char_at(text, at).filter(|c| c.is_alphabetic() && !is_cjk(*c))?;
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
                Some(n) if continues_word(n) => {
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
        Some((
            text[start..end]
                .chars()
                .filter(|c| c.is_alphabetic())
                .collect(),
            end,
        ))
    }
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.pending.is_empty() {
            let text = self.text;
            // Skip to the start of the next word.
            // (A tatweel is a letter to Unicode but only stretches the one before: it never
            // starts a word, or a word of nothing but tatweel would leave a gap.)
            let Some((offset, c)) = text[self.pos..]
                .char_indices()
                .find(|(_, c)| c.is_alphanumeric() && *c != '\u{640}')
            else {
                self.pos = text.len();
                return false;
            };
            let start = self.pos + offset;
            if is_cjk(c) {
                self.cjk_run(start);
            } else if self.word(start) {
                return true;
            }
        }
        match self.pending.pop_front() {
            Some(token) => {
                self.token = token;
                true
            }
            None => false,
        }
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

#[cfg(test)]
mod script_tests {
    use super::*;

    fn words(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        terms(analyzer, text).into_iter().map(|(t, _)| t).collect()
    }

    fn positioned(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, &'static str)> {
        let mut out = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.position, ""));
        }
        out
    }

    #[test]
    fn arabic_and_persian_letter_forms_meet() {
        // Persian ی and ک, Arabic ي and ك, alef with hamza, tatweel and a fatha.
        assert_eq!(
            words(&mut exact(), "ایروانی کرد"),
            words(&mut exact(), "إيرواني كرد")
        );
        assert_eq!(words(&mut exact(), "عـــقوبَات"), ["عقوبات"]);
        assert_eq!(words(&mut exact(), "تحریم‌ها ۱۴۰۳"), ["تحريمها", "1403"]);
    }

    #[test]
    fn cjk_runs_are_bigrams_and_traditional_folds_to_simplified() {
        assert_eq!(words(&mut exact(), "會談持續"), ["会谈", "谈持", "持续"]);
        assert_eq!(words(&mut exact(), "会谈持续"), ["会谈", "谈持", "持续"]);
        assert_eq!(words(&mut exact(), "談"), ["谈"]);
        // Indexing adds each character at its bigram's position; the last shares the last.
        let p: Vec<(String, usize)> = positioned(&mut exact_index(), "会谈 Musk")
            .into_iter()
            .map(|(t, p, _)| (t, p))
            .collect();
        assert_eq!(
            p,
            [
                ("会".into(), 0),
                ("会谈".into(), 0),
                ("谈".into(), 0),
                ("musk".into(), 1)
            ]
        );
        let q: Vec<usize> = positioned(&mut exact(), "会谈 Musk")
            .iter()
            .map(|t| t.1)
            .collect();
        assert_eq!(q, [0, 1]);
    }

    #[test]
    fn hyphenated_words_are_indexed_whole_and_by_their_parts() {
        assert_eq!(
            words(&mut exact_index(), "das Musk-Treffen dauerte"),
            ["das", "musktreffen", "musk", "treffen", "dauerte"]
        );
        assert_eq!(words(&mut exact(), "Musk-Treffen"), ["musk", "treffen"]);
        let positions: Vec<usize> = positioned(&mut exact_index(), "ein Musk-Treffen heute")
            .iter()
            .map(|t| t.1)
            .collect();
        assert_eq!(positions, [0, 1, 1, 2, 3]);
    }

    #[test]
    fn nfkc_case_and_marks_fold_for_every_script() {
        // A combining acute accent, full-width letters, a ligature, Turkish dotted capital I.
        assert_eq!(words(&mut exact(), "Pezeshkia\u{301}n"), ["pezeshkian"]);
        assert_eq!(words(&mut exact(), "ＵＮ ﬁle"), ["un", "file"]);
        assert_eq!(words(&mut exact(), "İravani İRAN"), ["iravani", "iran"]);
        // Greek keeps its accents (the Greek stemmer reads them), on both sides alike.
        assert_eq!(words(&mut exact(), "САНКЦИИ Ελλάδα"), ["санкции", "ελλάδα"]);
        // Devanagari vowel signs stay in their word.
        assert_eq!(words(&mut exact(), "दिल्ली में"), ["दिल्ली", "में"]);
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
}
