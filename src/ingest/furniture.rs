//! Page furniture: whole lines a scraper left in that are not the article.
//!
//! A line is furniture when it has a known shape (see [`known_shape`]) or when the same short
//! line, not ending like a sentence, stands in many articles of one run ([`Repeats`]). The
//! sentence test keeps syndicated copies' short content lines ("He declined to comment.")
//! searchable: repeated furniture ("Subscribe to our newsletter", a related link's headline)
//! does not end in `.`, `!` or `?`. Furniture is kept out of passages
//! and so out of search, but the stored text is unchanged, and what was removed is recorded
//! per article (`byline show --json`) and counted in the index summary.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// Why a line was taken for furniture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// "Read more", "Related", "Advertisement" and other link labels.
    LinkLabel,
    /// "error: Content is protected !!" (a copy-protection plugin's message).
    CopyProtection,
    /// A language switcher such as "en_USEnglish".
    LanguageSwitcher,
    /// An outlet's app promotion, "Get the … app on your smartphone:".
    AppPromotion,
    /// A photo caption with its credit, "… (AP Photo/…)".
    PhotoCaption,
    /// Share buttons: "Share", "Tweet", "Share on Facebook".
    ShareLine,
    /// The scraper's leading "date YYYY-MM-DD".
    DateLine,
    /// A short line repeated verbatim across articles of the run.
    Repeated,
}

/// Short lines, at most this many words, can be furniture by repetition.
pub const REPEAT_MAX_WORDS: usize = 10;
/// A short line in this many articles of one known outlet is furniture.
pub const REPEAT_MIN_SAME_OUTLET: u32 = 3;
/// A short line in this many articles of the run, whatever their outlets, is furniture.
pub const REPEAT_MIN_CORPUS: u32 = 5;

const LINK_LABELS: &[&str] = &[
    "read more",
    "read more:",
    "related",
    "related:",
    "related articles",
    "related stories",
    "advertisement",
    "more on this story",
    "recommended",
    "see also",
    "continue reading",
];
const SHARE_WORDS: &[&str] = &[
    "share",
    "share this",
    "share this:",
    "share this article",
    "tweet",
    "email",
    "print",
    "facebook",
    "twitter",
    "whatsapp",
    "telegram",
    "linkedin",
    "copy link",
    "share on facebook",
    "share on x",
    "share on twitter",
    "share on whatsapp",
];
const PHOTO_CREDITS: &[&str] = &[
    "ap photo",
    "photo:",
    "photo by",
    "photo credit",
    "reuters/",
    "afp",
    "getty images",
    "epa",
    "file photo",
];

/// The furniture shape of one line (already trimmed of its line break), if it has one.
pub fn known_shape(line: &str) -> Option<Reason> {
    let t = line.trim();
    if t.is_empty() {
        return None;
    }
    let lower = t.to_lowercase();
    if LINK_LABELS.contains(&lower.as_str()) {
        return Some(Reason::LinkLabel);
    }
    if SHARE_WORDS.contains(&lower.as_str()) {
        return Some(Reason::ShareLine);
    }
    if lower.contains("content is protected") && t.split_whitespace().count() <= 8 {
        return Some(Reason::CopyProtection);
    }
    if is_language_switcher(t) {
        return Some(Reason::LanguageSwitcher);
    }
    if super::metadata::sign_off_outlet(t).is_some() {
        return Some(Reason::AppPromotion);
    }
    if is_photo_caption(&lower) {
        return Some(Reason::PhotoCaption);
    }
    None
}

/// "en_USEnglish", "fr_FRFrançais": a locale code glued to a language name.
fn is_language_switcher(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() > 6
        && b[..2].iter().all(u8::is_ascii_lowercase)
        && b[2] == b'_'
        && b[3..5].iter().all(u8::is_ascii_uppercase)
        && t[5..].chars().all(char::is_alphabetic)
        && t[5..].starts_with(char::is_uppercase)
}

/// A line ending in a parenthesised photo credit: "… (AP Photo/Alex Brandon)".
fn is_photo_caption(lower: &str) -> bool {
    let Some(body) = lower.strip_suffix(')') else {
        return false;
    };
    let Some(open) = body.rfind('(') else {
        return false;
    };
    let credit = body[open + 1..].trim_start();
    PHOTO_CREDITS.iter().any(|c| credit.starts_with(c))
}

/// Counts of short lines across the articles of one run, to find repeated furniture.
#[derive(Debug, Default)]
pub struct Repeats {
    /// line hash → (articles containing it, articles per outlet key).
    lines: HashMap<u64, LineCount>,
}

#[derive(Debug, Default)]
struct LineCount {
    articles: u32,
    by_outlet: HashMap<u64, u32>,
}

impl Repeats {
    /// Records the short lines of one article (each line counted once per article).
    pub fn add_article(&mut self, text: &str, outlet: Option<&str>) {
        let mut seen = std::collections::HashSet::new();
        for line in text.split(['\n', '\r']) {
            let Some(h) = short_line_hash(line) else {
                continue;
            };
            if !seen.insert(h) {
                continue;
            }
            let count = self.lines.entry(h).or_default();
            count.articles += 1;
            if let Some(o) = outlet {
                *count
                    .by_outlet
                    .entry(hash(o.to_lowercase().as_bytes()))
                    .or_default() += 1;
            }
        }
    }

    /// Whether a line is furniture by repetition.
    pub fn is_repeated(&self, line: &str) -> bool {
        if ends_like_sentence(line) {
            return false;
        }
        let Some(count) = short_line_hash(line).and_then(|h| self.lines.get(&h)) else {
            return false;
        };
        count.articles >= REPEAT_MIN_CORPUS
            || count
                .by_outlet
                .values()
                .any(|&n| n >= REPEAT_MIN_SAME_OUTLET)
    }
}

/// Ends in `.`, `!` or `?`, possibly followed by closing quotes or brackets.
fn ends_like_sentence(line: &str) -> bool {
    line.trim_end()
        .trim_end_matches(['"', '\'', '”', '’', ')', ']'])
        .ends_with(['.', '!', '?'])
}

fn short_line_hash(line: &str) -> Option<u64> {
    let t = line.trim();
    let words = t.split_whitespace().count();
    (words > 0 && words <= REPEAT_MAX_WORDS).then(|| hash(t.as_bytes()))
}

fn hash(bytes: &[u8]) -> u64 {
    crate::fnv::hash(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_shapes_from_the_seeds() {
        assert_eq!(known_shape("Read more"), Some(Reason::LinkLabel));
        assert_eq!(
            known_shape("error: Content is protected !!"),
            Some(Reason::CopyProtection)
        );
        assert_eq!(known_shape("en_USEnglish"), Some(Reason::LanguageSwitcher));
        assert_eq!(
            known_shape("Get the Ynetnews app on your smartphone:"),
            Some(Reason::AppPromotion)
        );
        let caption = "Elon Musk speaks after President-elect Donald Trump spoke during an America First \
                       Policy Institute gala at his Mar-a-Lago estate, Thursday, Nov. 14, 2024, in Palm \
                       Beach, Fla. (AP Photo/Alex Brandon)";
        assert_eq!(known_shape(caption), Some(Reason::PhotoCaption));
    }

    #[test]
    fn article_lines_are_not_furniture() {
        for line in [
            "Why Iran is willing to pay any price for resisting Israel",
            "Information from the Associated Press was used in this report.",
            "The U.S. official (who requested anonymity) spoke.",
            "Musk secretly met with Iran’s UN envoy – NYT",
            "Read more about the deal in our earlier report on the talks.",
        ] {
            assert_eq!(known_shape(line), None, "{line}");
        }
    }

    #[test]
    fn short_lines_repeated_across_an_outlet_are_furniture() {
        let mut r = Repeats::default();
        for i in 0..3 {
            r.add_article(
                &format!("Story {i} body text.\nSubscribe to our newsletter\n"),
                Some("Daily"),
            );
        }
        r.add_article("Subscribe to our newsletter\n", None);
        assert!(r.is_repeated("Subscribe to our newsletter"));
        assert!(!r.is_repeated("Story 1 body text."));
        // Two articles of an outlet are not enough.
        let mut r = Repeats::default();
        r.add_article("Tehran responded\n", Some("A"));
        r.add_article("Tehran responded\n", Some("A"));
        assert!(!r.is_repeated("Tehran responded"));
    }

    #[test]
    fn repeated_sentences_are_content_not_furniture() {
        let mut r = Repeats::default();
        for _ in 0..10 {
            r.add_article(
                "Musk did not respond to a request for comment.\n“We agreed.”\n",
                Some("Wire"),
            );
        }
        assert!(!r.is_repeated("Musk did not respond to a request for comment."));
        assert!(!r.is_repeated("“We agreed.”"));
    }

    #[test]
    fn long_lines_never_count_as_repeats() {
        let mut r = Repeats::default();
        let para = "One Iranian official mentioned that Musk requested the meeting, with Iravani selecting the location.";
        for _ in 0..10 {
            r.add_article(para, Some("Syndicated"));
        }
        assert!(!r.is_repeated(para));
    }
}
