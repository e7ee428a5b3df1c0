//! Languages: naming them, detecting an article's, and which stemmer each one gets.
//!
//! Codes are ISO 639-1 where one exists (`en`, `de`, `zh`, `fa`), else ISO 639-3; [`UNKNOWN`]
//! (`und`, ISO 639-2's "undetermined") when neither the metadata nor the text tells. Only the
//! languages rust-stemmers has an algorithm for are stemmed; every other one, and unknown
//! text, gets the language-neutral chain (never the English stemmer).

use crate::analysis::stem::Algorithm;

/// The code of an article whose language is not known.
pub const UNKNOWN: &str = "und";

/// Stretch of an article read first to detect its language, in bytes: enough for real news
/// (the dev corpus with its languages taken out of the metadata: 313 of 317 as labelled, one
/// more than with 4,096 bytes), at a quarter of the detector's time.
const DETECT_FIRST_BYTES: usize = 1024;
/// Longest stretch read when the first is not enough for a reliable answer.
const DETECT_BYTES: usize = 4096;

/// (ISO 639-1 or -3 code, whatlang's ISO 639-3 code, English name, stemmer).
const LANGUAGES: &[(&str, &str, &str, Option<Algorithm>)] = &[
    ("af", "afr", "Afrikaans", None),
    ("ak", "aka", "Akan", None),
    ("am", "amh", "Amharic", None),
    ("ar", "ara", "Arabic", Some(Algorithm::Arabic)),
    ("az", "aze", "Azerbaijani", None),
    ("be", "bel", "Belarusian", None),
    ("bg", "bul", "Bulgarian", None),
    ("bn", "ben", "Bengali", None),
    ("ca", "cat", "Catalan", None),
    ("cs", "ces", "Czech", None),
    ("cy", "cym", "Welsh", None),
    ("da", "dan", "Danish", Some(Algorithm::Danish)),
    ("de", "deu", "German", Some(Algorithm::German)),
    ("el", "ell", "Greek", Some(Algorithm::Greek)),
    ("en", "eng", "English", Some(Algorithm::English)),
    ("eo", "epo", "Esperanto", None),
    ("eu", "eus", "Basque", None),
    ("es", "spa", "Spanish", Some(Algorithm::Spanish)),
    ("et", "est", "Estonian", None),
    ("fa", "pes", "Persian", None),
    ("fi", "fin", "Finnish", Some(Algorithm::Finnish)),
    ("fr", "fra", "French", Some(Algorithm::French)),
    ("gu", "guj", "Gujarati", None),
    ("he", "heb", "Hebrew", None),
    ("hi", "hin", "Hindi", None),
    ("hr", "hrv", "Croatian", None),
    ("hu", "hun", "Hungarian", Some(Algorithm::Hungarian)),
    ("hy", "hye", "Armenian", None),
    ("id", "ind", "Indonesian", None),
    ("is", "isl", "Icelandic", None),
    ("it", "ita", "Italian", Some(Algorithm::Italian)),
    ("ja", "jpn", "Japanese", None),
    ("jv", "jav", "Javanese", None),
    ("ka", "kat", "Georgian", None),
    ("km", "khm", "Khmer", None),
    ("kn", "kan", "Kannada", None),
    ("ko", "kor", "Korean", None),
    ("la", "lat", "Latin", None),
    ("lt", "lit", "Lithuanian", None),
    ("lv", "lav", "Latvian", None),
    ("mk", "mkd", "Macedonian", None),
    ("ml", "mal", "Malayalam", None),
    ("mr", "mar", "Marathi", None),
    ("ms", "zsm", "Malay", None),
    ("my", "mya", "Burmese", None),
    ("ne", "nep", "Nepali", None),
    ("nl", "nld", "Dutch", Some(Algorithm::Dutch)),
    ("no", "nob", "Norwegian", Some(Algorithm::Norwegian)),
    ("or", "ori", "Oriya", None),
    ("pa", "pan", "Punjabi", None),
    ("pl", "pol", "Polish", None),
    ("pt", "por", "Portuguese", Some(Algorithm::Portuguese)),
    ("ro", "ron", "Romanian", Some(Algorithm::Romanian)),
    ("ru", "rus", "Russian", Some(Algorithm::Russian)),
    ("si", "sin", "Sinhala", None),
    ("sk", "slk", "Slovak", None),
    ("sl", "slv", "Slovenian", None),
    ("sn", "sna", "Shona", None),
    ("sq", "sqi", "Albanian", None),
    ("sr", "srp", "Serbian", None),
    ("sv", "swe", "Swedish", Some(Algorithm::Swedish)),
    ("sw", "swh", "Swahili", None),
    ("ta", "tam", "Tamil", Some(Algorithm::Tamil)),
    ("te", "tel", "Telugu", None),
    ("th", "tha", "Thai", None),
    ("tk", "tuk", "Turkmen", None),
    ("tl", "tgl", "Tagalog", None),
    ("tr", "tur", "Turkish", Some(Algorithm::Turkish)),
    ("uk", "ukr", "Ukrainian", None),
    ("ur", "urd", "Urdu", None),
    ("uz", "uzb", "Uzbek", None),
    ("vi", "vie", "Vietnamese", None),
    ("yi", "yid", "Yiddish", None),
    ("zh", "cmn", "Chinese", None),
    ("zu", "zul", "Zulu", None),
];

/// Other names for the languages of [`LANGUAGES`], as metadata writes them: ISO 639-2/T and
/// /B codes, ISO 639-3 codes of a macrolanguage and its members, deprecated ISO 639-1 codes,
/// and names in English and in the language itself. (alias, code); matched in any case.
const ALIASES: &[(&str, &str)] = &[
    // ISO 639-2/B (bibliographic) codes.
    ("alb", "sq"),
    ("arm", "hy"),
    ("baq", "eu"),
    ("bur", "my"),
    ("chi", "zh"),
    ("cze", "cs"),
    ("dut", "nl"),
    ("fre", "fr"),
    ("geo", "ka"),
    ("ger", "de"),
    ("gre", "el"),
    ("ice", "is"),
    ("mac", "mk"),
    ("may", "ms"),
    ("per", "fa"),
    ("rum", "ro"),
    ("slo", "sk"),
    ("wel", "cy"),
    // ISO 639-2/T and -3 codes where the table holds another one.
    ("fas", "fa"),
    ("prs", "fa"),
    ("zho", "zh"),
    ("yue", "zh"),
    ("nor", "no"),
    ("nob", "no"),
    ("nno", "no"),
    ("ara", "ar"),
    ("arb", "ar"),
    ("msa", "ms"),
    ("est", "et"),
    ("ekk", "et"),
    ("lav", "lv"),
    ("lvs", "lv"),
    ("uzn", "uz"),
    ("swa", "sw"),
    ("swh", "sw"),
    ("fil", "tl"),
    ("srp", "sr"),
    ("hbs", "sr"),
    ("aze", "az"),
    ("azj", "az"),
    ("npi", "ne"),
    ("ori", "or"),
    ("ory", "or"),
    ("pan", "pa"),
    ("yid", "yi"),
    ("ydd", "yi"),
    ("nep", "ne"),
    // Norwegian Bokmål and Nynorsk take the Norwegian stemmer; deprecated ISO 639-1 codes.
    ("nb", "no"),
    ("nn", "no"),
    ("iw", "he"),
    ("in", "id"),
    ("ji", "yi"),
    ("jw", "jv"),
    ("mo", "ro"),
    // Names, in English and as the language names itself.
    ("Farsi", "fa"),
    ("Dari", "fa"),
    ("فارسی", "fa"),
    ("Deutsch", "de"),
    ("Français", "fr"),
    ("Francais", "fr"),
    ("Español", "es"),
    ("Espanol", "es"),
    ("Castellano", "es"),
    ("Italiano", "it"),
    ("Português", "pt"),
    ("Portugues", "pt"),
    ("Nederlands", "nl"),
    ("Dansk", "da"),
    ("Svenska", "sv"),
    ("Norsk", "no"),
    ("Bokmål", "no"),
    ("Nynorsk", "no"),
    ("Norwegian Bokmål", "no"),
    ("Norwegian Nynorsk", "no"),
    ("Suomi", "fi"),
    ("Magyar", "hu"),
    ("Română", "ro"),
    ("Romana", "ro"),
    ("Polski", "pl"),
    ("Čeština", "cs"),
    ("Slovenčina", "sk"),
    ("Hrvatski", "hr"),
    ("Srpski", "sr"),
    ("Türkçe", "tr"),
    ("Turkce", "tr"),
    ("Русский", "ru"),
    ("Українська", "uk"),
    ("Български", "bg"),
    ("Македонски", "mk"),
    ("Ελληνικά", "el"),
    ("עברית", "he"),
    ("العربية", "ar"),
    ("हिन्दी", "hi"),
    ("বাংলা", "bn"),
    ("தமிழ்", "ta"),
    ("മലയാളം", "ml"),
    ("中文", "zh"),
    ("汉语", "zh"),
    ("漢語", "zh"),
    ("Mandarin", "zh"),
    ("Cantonese", "zh"),
    ("日本語", "ja"),
    ("한국어", "ko"),
    ("Bahasa Indonesia", "id"),
    ("Bahasa Melayu", "ms"),
    ("Filipino", "tl"),
    ("Tiếng Việt", "vi"),
    ("ไทย", "th"),
    ("Հայերեն", "hy"),
    ("ქართული", "ka"),
    ("Íslenska", "is"),
    ("Eesti", "et"),
    ("Latviešu", "lv"),
    ("Lietuvių", "lt"),
    ("Slovenščina", "sl"),
    ("Català", "ca"),
    ("Euskara", "eu"),
    ("Cymraeg", "cy"),
    ("Shqip", "sq"),
    ("اردو", "ur"),
    ("Hebrew", "he"),
    ("Persian", "fa"),
];

/// The code for what a user or a metadata file wrote: a code of any ISO 639 part, a
/// deprecated code, or a name in English or in the language itself, in any case ("de",
/// "deu", "ger", "German", "Deutsch", "zh-TW" → "zh"; "nb" → "no"; "iw" → "he"). None when
/// it names no language byline knows.
pub fn code(input: &str) -> Option<&'static str> {
    let input = input.trim();
    // A region or script subtag ("zh-TW", "pt_BR") does not change the analysis.
    let base = input.split(['-', '_']).next().unwrap_or(input);
    if base.eq_ignore_ascii_case(UNKNOWN) {
        return Some(UNKNOWN);
    }
    let lower = input.to_lowercase();
    LANGUAGES
        .iter()
        .find(|(one, three, name, _)| {
            base.eq_ignore_ascii_case(one)
                || base.eq_ignore_ascii_case(three)
                || input.eq_ignore_ascii_case(name)
        })
        .map(|(one, ..)| *one)
        .or_else(|| {
            ALIASES
                .iter()
                .find(|(alias, _)| {
                    base.eq_ignore_ascii_case(alias) || lower == alias.to_lowercase()
                })
                .map(|(_, code)| *code)
        })
        .filter(|code| *code == UNKNOWN || LANGUAGES.iter().any(|(one, ..)| one == code))
}

/// Every language code byline knows (not [`UNKNOWN`]).
pub fn codes() -> impl Iterator<Item = &'static str> {
    LANGUAGES.iter().map(|(one, ..)| *one)
}

/// The English name of a code ("Unknown" for [`UNKNOWN`]).
pub fn name(code: &str) -> &'static str {
    LANGUAGES
        .iter()
        .find(|(one, ..)| *one == code)
        .map_or("Unknown", |(_, _, name, _)| name)
}

/// The stemmer of a language, if rust-stemmers has one, with the language's own code.
pub fn stemmer(code: &str) -> Option<(&'static str, Algorithm)> {
    LANGUAGES
        .iter()
        .find(|(one, ..)| *one == code)
        .and_then(|(one, .., algorithm)| algorithm.map(|a| (*one, a)))
}

/// The language a query's letters show, when only one language writes them: Persian's
/// پ چ ژ گ ک ی, Urdu's ٹ ڈ ڑ ں ے, Arabic's ة ى ك ي (with none of those), Ukrainian's і ї є ґ,
/// Hebrew, Greek, Hangul, kana (Japanese), Han without kana (Chinese), Devanagari (Hindi),
/// Bengali. None for Latin letters and other Cyrillic, which many languages share.
pub fn of_query(query: &str) -> Option<&'static str> {
    let has = |f: &dyn Fn(char) -> bool| query.chars().any(f);
    if has(&|c| matches!(c, 'پ' | 'چ' | 'ژ' | 'گ' | 'ک' | 'ی')) {
        return Some("fa");
    }
    if has(&|c| matches!(c, 'ٹ' | 'ڈ' | 'ڑ' | 'ں' | 'ے')) {
        return Some("ur");
    }
    if has(&|c| matches!(c, 'ة' | 'ى' | 'ك' | 'ي')) {
        return Some("ar");
    }
    if has(&|c| matches!(c, 'і' | 'ї' | 'є' | 'ґ' | 'І' | 'Ї' | 'Є' | 'Ґ')) {
        return Some("uk");
    }
    const SCRIPTS: [(u32, u32, &str); 7] = [
        (0x0590, 0x05ff, "he"),
        (0x0370, 0x03ff, "el"),
        (0xac00, 0xd7af, "ko"),
        (0x3040, 0x30ff, "ja"),
        (0x0900, 0x097f, "hi"),
        (0x0980, 0x09ff, "bn"),
        (0x4e00, 0x9fff, "zh"),
    ];
    SCRIPTS
        .iter()
        .find(|(lo, hi, _)| has(&|c| (*lo..=*hi).contains(&(c as u32))))
        .map(|(.., code)| *code)
}

/// The language of a text, or None when it cannot be told with confidence (a short or mixed
/// text). Reads the first [`DETECT_FIRST_BYTES`], and up to [`DETECT_BYTES`] when they leave
/// it unsure. Where the detector is unsure but the script
/// belongs to one language only (Hangul, kana, Greek, Hebrew, Thai, Georgian, Armenian), the
/// script decides.
pub fn detect(text: &str) -> Option<&'static str> {
    let prefix = |bytes: usize| {
        let mut end = text.len().min(bytes);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        &text[..end]
    };
    let first = whatlang::detect(prefix(DETECT_FIRST_BYTES));
    let info = match first {
        Some(info) if info.is_reliable() => info,
        _ if text.len() > DETECT_FIRST_BYTES => whatlang::detect(prefix(DETECT_BYTES))?,
        _ => first?,
    };
    if info.is_reliable() {
        return code(info.lang().code());
    }
    use whatlang::Script;
    match info.script() {
        Script::Hangul => Some("ko"),
        Script::Hiragana | Script::Katakana => Some("ja"),
        Script::Greek => Some("el"),
        Script::Hebrew => Some("he"),
        Script::Thai => Some("th"),
        Script::Georgian => Some("ka"),
        Script::Armenian => Some("hy"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_query_s_letters_say_its_language_only_when_one_language_writes_them() {
        assert_eq!(of_query("ایروانی"), Some("fa"));
        assert_eq!(of_query("إيرواني"), Some("ar"));
        assert_eq!(of_query("Київ"), Some("uk"));
        assert_eq!(of_query("Зеленский"), None);
        assert_eq!(of_query("ゼレンスキー 口論"), Some("ja"));
        assert_eq!(of_query("泽连斯基"), Some("zh"));
        assert_eq!(of_query("Navalny"), None);
    }

    use super::*;

    #[test]
    fn codes_names_and_subtags_all_name_the_language() {
        for input in ["de", "DE", "deu", "German", "german", "de-AT", "de_CH"] {
            assert_eq!(code(input), Some("de"), "{input}");
        }
        assert_eq!(code("zh-TW"), Some("zh"));
        assert_eq!(code("pes"), Some("fa"));
        assert_eq!(code("und"), Some(UNKNOWN));
        assert_eq!(code("klingon"), None);
        for (given, want) in [
            ("fas", "fa"),
            ("per", "fa"),
            ("prs", "fa"),
            ("Farsi", "fa"),
            ("FARSI", "fa"),
            ("nb", "no"),
            ("nn", "no"),
            ("nob", "no"),
            ("no-NO", "no"),
            ("iw", "he"),
            ("in", "id"),
            ("ji", "yi"),
            ("fil", "tl"),
            ("Deutsch", "de"),
            ("ger", "de"),
            ("gre", "el"),
            ("Ελληνικά", "el"),
            ("Русский", "ru"),
            ("中文", "zh"),
            ("chi", "zh"),
            ("zho", "zh"),
            ("Español", "es"),
            ("español", "es"),
            ("fre", "fr"),
        ] {
            assert_eq!(code(given), Some(want), "{given}");
        }
        // Each alias names a language of the table.
        for (alias, code_) in ALIASES {
            assert_eq!(code(alias), Some(*code_), "{alias}");
        }
        assert_eq!(name("fa"), "Persian");
    }

    #[test]
    fn only_languages_with_a_snowball_algorithm_are_stemmed() {
        assert!(stemmer("de").is_some() && stemmer("ar").is_some() && stemmer("tr").is_some());
        assert!(stemmer("fa").is_none() && stemmer("zh").is_none() && stemmer(UNKNOWN).is_none());
        let stemmed = LANGUAGES.iter().filter(|l| l.3.is_some()).count();
        assert_eq!(stemmed, 18);
    }
}
