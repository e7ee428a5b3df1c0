//! Passages: the units a search returns, as byte ranges into an article's original text.
//!
//! Each content paragraph is a passage. A paragraph longer than [`MAX_WORDS`] is split at
//! sentence ends, packing whole sentences into passages of at most [`MAX_WORDS`] where it can
//! (a single longer sentence stays whole). A sentence ends at `.`, `!` or `?` (and any closing
//! quotes or brackets) followed by white space and a capital, digit or opening quote, unless
//! the word before the dot is an abbreviation ("Sen.", "Nov."), a dotted acronym ("U.S.") or
//! an initial ("J.").
//!
//! No passage is longer than [`MAX_BYTES`]: a longer one (a page flattened to one line, a
//! CJK paragraph, which has no spaces for words) is cut at the last sentence end (`。！？`
//! included) or else the last white space in the second half of the window, or else between
//! two characters. So a hit never carries more than a few KB of text, and marking it costs
//! bounded work. Paragraphs over [`SCAN_BYTES`] are cut that way without looking for
//! sentences at all.

use std::ops::Range;

/// Paragraphs longer than this many words are split at sentence ends.
pub const MAX_WORDS: usize = 70;
/// No passage is longer than this many bytes.
pub const MAX_BYTES: usize = 1500;
/// Paragraphs longer than this many bytes are cut by [`MAX_BYTES`] alone.
pub const SCAN_BYTES: usize = 64 * 1024;

/// Abbreviations that do not end a sentence (compared without the dot, case-insensitively).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "capt",
    "cmdr", "adm", "maj", "pres", "sr", "jr", "st", "rev", "hon", "amb", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "vs", "etc", "inc",
    "corp", "co", "ltd", "dept", "univ", "fla", "calif", "mass", "ariz", "penn", "wash", "mich",
    "approx", "est", "fig",
];

/// Splits an article's content paragraphs into passage ranges, in text order.
pub fn split(text: &str, paragraphs: &[Range<usize>]) -> Vec<Range<usize>> {
    let by_sentences = split_sentences(text, paragraphs);
    let mut out = Vec::with_capacity(by_sentences.len());
    for range in by_sentences {
        if range.len() <= MAX_BYTES {
            out.push(range);
        } else {
            cut(text, range, &mut out);
        }
    }
    out
}

/// Cuts `range` into pieces of at most [`MAX_BYTES`] (see the module doc), trimmed.
fn cut(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let mut start = range.start;
    while range.end - start > MAX_BYTES {
        let mut limit = start + MAX_BYTES;
        while !text.is_char_boundary(limit) {
            limit -= 1;
        }
        let window = &text[start..limit];
        let half = window.len() / 2;
        let after_sentence = window
            .char_indices()
            .rev()
            .take_while(|&(i, _)| i > half)
            .find(|&(_, c)| matches!(c, '。' | '！' | '？' | '.' | '!' | '?'))
            .map(|(i, c)| i + c.len_utf8());
        let at_space = || {
            window
                .char_indices()
                .rev()
                .take_while(|&(i, _)| i > half)
                .find(|&(_, c)| c.is_whitespace())
                .map(|(i, _)| i)
        };
        let end = start + after_sentence.or_else(at_space).unwrap_or(window.len());
        push_trimmed_abs(text, out, start..end);
        start = end;
    }
    push_trimmed_abs(text, out, start..range.end);
}

fn push_trimmed_abs(text: &str, out: &mut Vec<Range<usize>>, range: Range<usize>) {
    let s = &text[range.clone()];
    let t = s.trim_start();
    let from = range.start + (s.len() - t.len());
    let t = t.trim_end();
    if !t.is_empty() {
        out.push(from..from + t.len());
    }
}

/// Paragraphs as passages of whole sentences, at most [`MAX_WORDS`] where sentences allow.
fn split_sentences(text: &str, paragraphs: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for para in paragraphs {
        let body = &text[para.clone()];
        if para.len() > SCAN_BYTES || word_count(body) <= MAX_WORDS {
            out.push(para.clone());
            continue;
        }
        let mut chunk_start = para.start;
        let mut chunk_words = 0;
        let mut prev_end = para.start;
        for sentence in sentences(body) {
            let s = para.start + sentence.start..para.start + sentence.end;
            let words = word_count(&text[s.clone()]);
            if chunk_words > 0 && chunk_words + words > MAX_WORDS {
                out.push(chunk_start..prev_end);
                chunk_start = s.start;
                chunk_words = 0;
            }
            chunk_words += words;
            prev_end = s.end;
        }
        out.push(chunk_start..prev_end);
    }
    out
}

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

/// Sentence ranges within `para` (byte offsets into `para`), trimmed of white space.
pub fn sentences(para: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = para.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        i += 1;
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        // Closing punctuation that belongs to the sentence.
        let mut j = i;
        while j < chars.len()
            && matches!(
                chars[j].1,
                '"' | '\'' | '”' | '’' | ')' | ']' | '.' | '!' | '?'
            )
        {
            j += 1;
        }
        let end = chars.get(j).map_or(para.len(), |&(o, _)| o);
        let mut k = j;
        while k < chars.len() && chars[k].1.is_whitespace() {
            k += 1;
        }
        if k == j || k == chars.len() {
            continue; // no space after, or the paragraph's end (handled below)
        }
        let next = chars[k].1;
        let starts_sentence = next.is_uppercase()
            || next.is_ascii_digit()
            || matches!(next, '"' | '“' | '‘' | '\'' | '(');
        if !starts_sentence || (c == '.' && !ends_sentence_at_dot(&para[..at])) {
            continue;
        }
        push_trimmed(&mut out, para, start..end);
        start = chars[k].0;
        i = k;
    }
    push_trimmed(&mut out, para, start..para.len());
    out
}

/// Whether a dot after `before` ends a sentence, judging by the word before it.
fn ends_sentence_at_dot(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || matches!(c, '(' | '"' | '“' | '‘'))
        .next()
        .unwrap_or("");
    if word.is_empty() {
        return true;
    }
    // "U.S", "U.N", "e.g": a dotted acronym (the final dot is the one being judged).
    if word.contains('.') && word.split('.').all(|p| p.chars().count() <= 1) {
        return false;
    }
    // An initial: one capital letter.
    let mut cs = word.chars();
    if let (Some(c), None) = (cs.next(), cs.next()) {
        if c.is_uppercase() {
            return false;
        }
    }
    !ABBREVIATIONS.contains(&word.to_lowercase().as_str())
}

fn push_trimmed(out: &mut Vec<Range<usize>>, para: &str, r: Range<usize>) {
    let s = &para[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let t = s.trim();
    if !t.is_empty() {
        out.push(r.start + lead..r.start + lead + t.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Vec<&str> {
        let whole: Range<usize> = 0..text.len();
        split(text, std::slice::from_ref(&whole))
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn a_paragraph_with_no_sentence_end_is_cut_at_white_space_under_the_limit() {
        let text = "word ".repeat(1000);
        let got = pieces(&text);
        assert_eq!(got.len(), 4);
        assert!(
            got.iter()
                .all(|p| p.len() <= MAX_BYTES && !p.ends_with(' ')),
            "{got:?}"
        );
        assert_eq!(
            got.iter().map(|p| p.split(' ').count()).sum::<usize>(),
            1000
        );
    }

    #[test]
    fn a_cjk_paragraph_is_cut_after_a_full_stop_or_between_characters() {
        // 伊拉瓦尼 (Iravani) sentences with no spaces, as Chinese news prints them.
        let sentence = "伊拉瓦尼大使否认与马斯克会面的报道。";
        let text = sentence.repeat(60);
        let got = pieces(&text);
        assert!(got.len() > 1);
        assert!(
            got.iter()
                .all(|p| p.len() <= MAX_BYTES && p.ends_with('。')),
            "{got:?}"
        );
        assert_eq!(got.concat(), text);
        let run = "伊".repeat(1000);
        let got = pieces(&run);
        assert_eq!(
            got.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [1500, 1500]
        );
    }

    fn sentence_texts(p: &str) -> Vec<&str> {
        sentences(p).into_iter().map(|r| &p[r]).collect()
    }

    #[test]
    fn us_and_un_do_not_end_sentences() {
        let p = "The U.S. official, who requested anonymity, spoke. The U.N. mission declined. Then Iran's U.N. Ambassador met Musk.";
        assert_eq!(
            sentence_texts(p),
            [
                "The U.S. official, who requested anonymity, spoke.",
                "The U.N. mission declined.",
                "Then Iran's U.N. Ambassador met Musk."
            ]
        );
    }

    #[test]
    fn dates_titles_and_initials_do_not_end_sentences() {
        let p = "He spoke Thursday, Nov. 14, 2024, in Palm Beach. Sen. Marco Rubio and Rep. Mike Waltz were named. J. Smith agreed.";
        assert_eq!(
            sentence_texts(p),
            [
                "He spoke Thursday, Nov. 14, 2024, in Palm Beach.",
                "Sen. Marco Rubio and Rep. Mike Waltz were named.",
                "J. Smith agreed."
            ]
        );
    }

    #[test]
    fn quotes_close_their_sentence() {
        let p = "Trump said, “We do not comment.” Musk did not respond. “Positive,” they said!";
        assert_eq!(
            sentence_texts(p),
            [
                "Trump said, “We do not comment.”",
                "Musk did not respond.",
                "“Positive,” they said!"
            ]
        );
    }

    #[test]
    fn a_lower_case_continuation_is_not_a_new_sentence() {
        assert_eq!(
            sentence_texts("It was 3.5 percent. and more"),
            ["It was 3.5 percent. and more"]
        );
    }

    #[test]
    fn short_paragraphs_stay_whole_and_long_ones_split_at_sentences() {
        let short = "One Iranian official mentioned that Musk requested the meeting.";
        let long_sentence = "Word ".repeat(40);
        let long = format!(
            "{}end. {}end. {}end.",
            long_sentence, long_sentence, long_sentence
        );
        let text = format!("{short}\n{long}");
        let paras = [0..short.len(), short.len() + 1..text.len()];
        let got = split(&text, &paras);
        assert_eq!(got[0], paras[0]);
        assert_eq!(got.len(), 4, "{got:?}");
        // Passages tile the long paragraph's sentences and stay within it.
        assert_eq!(got[1].start, paras[1].start);
        assert_eq!(got[3].end, text.len());
        assert!(got.windows(2).all(|w| w[0].end <= w[1].start));
        for r in &got[1..] {
            assert!(text[r.clone()].ends_with("end."));
            assert_eq!(word_count(&text[r.clone()]), 41);
        }
    }
}
