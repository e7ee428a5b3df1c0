//! The word tokenizer: where a word starts and ends in text of any script, before any
//! normalisation.
//!
//! Curly quotes and non-breaking spaces are separators here; the text itself is never
//! changed, so every token's offsets are UTF-8 byte offsets into the text as printed.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Han ideographs (CJK unified, extension A, compatibility).
pub(super) fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{2a6df}')
}

/// Characters of scripts written without spaces between words, or cut like them: Han, kana,
/// Hangul. A run of them is indexed as overlapping bigrams.
pub fn is_cjk(c: char) -> bool {
    // Below U+1100 (Hangul Jamo, the lowest range here) nothing is: most text ends here.
    if c < '\u{1100}' {
        return false;
    }
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
    /// Names across scripts ([`super::script`]): as `Query` for alphabetic words, but a CJK
    /// run is cut where its kind of character changes and each piece is one token: a run of
    /// katakana or Hangul whole, a run of the Han characters used to spell foreign names
    /// ([`super::script::is_name_han`]) whole; hiragana and other Han characters are no
    /// tokens.
    Names,
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
        if self.cut == Cut::Names {
            return self.cjk_names(start);
        }
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

    /// A run of CJK characters from `start`, for [`Cut::Names`]: each piece of one kind whole.
    fn cjk_names(&mut self, start: usize) {
        #[derive(PartialEq)]
        enum Kind {
            NameHan,
            OtherHan,
            Hiragana,
            Other,
        }
        let kind = |c: char| {
            if is_han(c) {
                if super::script::is_name_han(c) {
                    Kind::NameHan
                } else {
                    Kind::OtherHan
                }
            } else if matches!(c, '\u{3040}'..='\u{309f}') {
                Kind::Hiragana
            } else {
                Kind::Other
            }
        };
        let text = self.text;
        let mut at = start;
        while let Some(c) = char_at(text, at).filter(|c| is_cjk(*c)) {
            let k = kind(c);
            let end = text[at..]
                .char_indices()
                .find(|(_, d)| {
                    !is_cjk(*d) || kind(*d) != k || (k == Kind::Other && is_cjk_kind_change(c, *d))
                })
                .map_or(text.len(), |(i, _)| at + i);
            if matches!(k, Kind::NameHan | Kind::Other) {
                let p = self.position;
                self.push(&text[at..end], at, end, p);
            }
            self.position += 1;
            at = end;
        }
        self.pos = at;
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
        while self.pending.is_empty() {
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
            // A run can leave nothing (Cut::Names skips some): look further.
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

/// Whether two CJK characters that are neither Han nor hiragana belong to different
/// scripts (katakana and Hangul).
fn is_cjk_kind_change(a: char, b: char) -> bool {
    let hangul = |c: char| matches!(c, '\u{ac00}'..='\u{d7af}' | '\u{1100}'..='\u{11ff}' | '\u{3130}'..='\u{318f}');
    hangul(a) != hangul(b)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{exact, exact_index, terms, TextAnalyzer};

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
    fn the_tokenizer_alone_keeps_the_printed_letters() {
        // Case and accents are left to the filters; the acronym's dots and the possessive go.
        let text = "Iran’s U.S. envoy Pezeshkián";
        let got = terms(&mut TextAnalyzer::from(WordTokenizer::default()), text);
        let got: Vec<(&str, &str)> = got
            .iter()
            .map(|(t, r)| (t.as_str(), &text[r.clone()]))
            .collect();
        assert_eq!(
            got,
            [
                ("Iran", "Iran"),
                ("US", "U.S."),
                ("envoy", "envoy"),
                ("Pezeshkián", "Pezeshkián")
            ]
        );
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
    fn curly_quotes_and_nbsp_separate_words() {
        let text = "“positive”\u{a0}and ‘peace through strength’";
        assert_eq!(
            words(&mut exact(), text),
            ["positive", "and", "peace", "through", "strength"]
        );
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
}
