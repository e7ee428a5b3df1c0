//! Normalisation: how one printed word of any script becomes the form byline compares, and
//! how accents are folded.
//!
//! Both work on a token's text alone, so a token's offsets stay those of the printed word.

use tantivy::tokenizer::{AsciiFoldingFilter, TextAnalyzer};

use super::tokenizer::is_han;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{exact, terms};

    fn words(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        terms(analyzer, text).into_iter().map(|(t, _)| t).collect()
    }

    fn normalized(word: &str) -> Option<String> {
        let mut out = String::new();
        normalize(word, &mut out).then_some(out)
    }

    #[test]
    fn a_word_already_normal_is_left_as_it_is() {
        assert_eq!(normalized("iran"), None);
        assert_eq!(normalized("Iran"), Some("iran".into()));
        assert_eq!(normalized("ＵＮ"), Some("un".into()));
        assert_eq!(normalized("會談"), Some("会谈".into()));
        assert_eq!(fold("gespräch"), "gesprach");
        assert!(matches!(fold("musk"), std::borrow::Cow::Borrowed("musk")));
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
}
