//! Stemming behind byline's own type: rust-stemmers' Snowball algorithms, guarded so that a
//! word a stemmer cannot handle is kept unstemmed instead of aborting a run or a search.
//!
//! rust-stemmers 1.2.0 panics on some real words (the Greek `ισαισα`, Snowball issue #204):
//! an index out of bounds inside the generated code. byline stems in tantivy's writer
//! threads, where a panic kills the whole commit, and while parsing queries, where it would
//! end the process or answer 500. [`Stemmer::stem`] catches the panic, gives the word back
//! as it is, keeps no panic message on the terminal, and records the word: once per run
//! ([`take_failures`], for `index`'s report) and on the calling thread ([`take_thread_failures`],
//! for a query's warnings).

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// A Snowball stemming algorithm, one for each language byline stems ([`crate::lang`]'s
/// table names these). byline's own type, so that only this file names rust-stemmers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// Arabic (`ar`).
    Arabic,
    /// Danish (`da`).
    Danish,
    /// Dutch (`nl`).
    Dutch,
    /// English (`en`).
    English,
    /// Finnish (`fi`).
    Finnish,
    /// French (`fr`).
    French,
    /// German (`de`).
    German,
    /// Greek (`el`).
    Greek,
    /// Hungarian (`hu`).
    Hungarian,
    /// Italian (`it`).
    Italian,
    /// Norwegian (`no`).
    Norwegian,
    /// Portuguese (`pt`).
    Portuguese,
    /// Romanian (`ro`).
    Romanian,
    /// Russian (`ru`).
    Russian,
    /// Spanish (`es`).
    Spanish,
    /// Swedish (`sv`).
    Swedish,
    /// Tamil (`ta`).
    Tamil,
    /// Turkish (`tr`).
    Turkish,
}

impl Algorithm {
    /// rust-stemmers' algorithm of the same name.
    fn snowball(self) -> rust_stemmers::Algorithm {
        match self {
            Algorithm::Arabic => rust_stemmers::Algorithm::Arabic,
            Algorithm::Danish => rust_stemmers::Algorithm::Danish,
            Algorithm::Dutch => rust_stemmers::Algorithm::Dutch,
            Algorithm::English => rust_stemmers::Algorithm::English,
            Algorithm::Finnish => rust_stemmers::Algorithm::Finnish,
            Algorithm::French => rust_stemmers::Algorithm::French,
            Algorithm::German => rust_stemmers::Algorithm::German,
            Algorithm::Greek => rust_stemmers::Algorithm::Greek,
            Algorithm::Hungarian => rust_stemmers::Algorithm::Hungarian,
            Algorithm::Italian => rust_stemmers::Algorithm::Italian,
            Algorithm::Norwegian => rust_stemmers::Algorithm::Norwegian,
            Algorithm::Portuguese => rust_stemmers::Algorithm::Portuguese,
            Algorithm::Romanian => rust_stemmers::Algorithm::Romanian,
            Algorithm::Russian => rust_stemmers::Algorithm::Russian,
            Algorithm::Spanish => rust_stemmers::Algorithm::Spanish,
            Algorithm::Swedish => rust_stemmers::Algorithm::Swedish,
            Algorithm::Tamil => rust_stemmers::Algorithm::Tamil,
            Algorithm::Turkish => rust_stemmers::Algorithm::Turkish,
        }
    }
}

/// The words known to make a rust-stemmers 1.2.0 stemmer panic, as byline gives them to it
/// (normalised, lowercased): `(language code, word)`. Found by Snowball issue #204 and the
/// stemmer sweep (`benches/stemmer_sweep.sh`); the fuzz targets fail on any other.
pub const KNOWN_FAILURES: &[(&str, &str)] = &[
    // Snowball #204, in r_steps3.
    ("el", "ισαισα"),
    // The joined form byline indexes for the idiom "ίσα-ίσα" ("exactly"), same bug.
    ("el", "ίσαίσα"),
    // The sweep (218.7 M words in 18 languages): five Greek -ετε forms, all in r_step5c.
    ("el", "ανεύρετε"),
    ("el", "αντίθετε"),
    ("el", "ανυπέρθετε"),
    ("el", "εμπύρετε"),
    ("el", "παγαίνετε"),
];

/// How rust-stemmers 1.2.0 is known to fail, `(language code, part of what)`
/// ([`StemFailure::site`]): every word of [`KNOWN_FAILURES`] fails so (Greek steps that slice
/// past the end of a word they have shortened; the wording after "out of bounds" differs
/// between toolchains). The fuzz targets fail on any other failure, which would be a new
/// bug; a new word reaching a known one is no news.
pub const KNOWN_SITES: &[(&str, &str)] = &[("el", "byte index # is out of bounds")];

/// Whether a failure is a known one ([`KNOWN_SITES`]).
pub fn is_known(failure: &StemFailure) -> bool {
    KNOWN_SITES
        .iter()
        .any(|(lang, what)| *lang == failure.lang && failure.site.contains(what))
}

/// Distinct failing words kept for a report; more are counted, not listed.
const KEEP_FAILURES: usize = 64;

/// A word a stemmer failed on, kept unstemmed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct StemFailure {
    /// The language code whose stemmer failed.
    pub lang: &'static str,
    /// The word as given to the stemmer.
    pub word: String,
    /// What went wrong, with the numbers and the word left out ("end byte index # is out
    /// of bounds of ``"): the bug, as opposed to the word that reached it. (The panic's
    /// location would name the toolchain's own string code, which moves between versions.)
    pub site: String,
}

/// One language's stemmer. Never panics: see the module doc.
pub struct Stemmer {
    lang: &'static str,
    inner: rust_stemmers::Stemmer,
}

impl Stemmer {
    /// The stemmer of language `lang` (a code of [`crate::lang`], named in failure reports).
    pub fn new(lang: &'static str, algorithm: Algorithm) -> Stemmer {
        Stemmer {
            lang,
            inner: rust_stemmers::Stemmer::create(algorithm.snowball()),
        }
    }

    /// The stem of `word`, or `word` itself when the stemmer fails on it.
    pub fn stem<'a>(&self, word: &'a str) -> Cow<'a, str> {
        self.try_stem(word).unwrap_or(Cow::Borrowed(word))
    }

    /// The stem of `word`, or None when the stemmer fails on it (the failure is recorded).
    pub fn try_stem<'a>(&self, word: &'a str) -> Option<Cow<'a, str>> {
        match crate::guard::catch(|| self.inner.stem(word)) {
            Ok(stem) => Some(stem),
            Err(panic) => {
                self.record(word, &panic);
                None
            }
        }
    }

    fn record(&self, word: &str, panic: &crate::guard::Panic) {
        let failure = StemFailure {
            lang: self.lang,
            word: word.to_string(),
            site: bug_of(&panic.message),
        };
        THREAD_FAILURES.with(|f| {
            let mut f = f.borrow_mut();
            if f.len() < KEEP_FAILURES && !f.contains(&failure) {
                f.push(failure.clone());
            }
        });
        let mut run = RUN_FAILURES.lock().unwrap_or_else(|e| e.into_inner());
        let kept = run.len();
        match run.get_mut(&failure) {
            Some(n) => *n += 1,
            None if kept < KEEP_FAILURES => {
                run.insert(failure, 1);
            }
            None => *run.entry(overflow()).or_insert(0) += 1,
        }
    }
}

/// The words stemmers failed on since the last call, with how often, across every thread
/// (tantivy's writer threads included); the process-wide list is emptied. Past
/// [`KEEP_FAILURES`] distinct words, the rest are counted under an empty word.
pub fn take_failures() -> Vec<(StemFailure, u64)> {
    let mut run = RUN_FAILURES.lock().unwrap_or_else(|e| e.into_inner());
    std::mem::take(&mut *run).into_iter().collect()
}

/// The words stemmers failed on, on this thread, since the last call (a query's words).
pub fn take_thread_failures() -> Vec<StemFailure> {
    THREAD_FAILURES.with(|f| std::mem::take(&mut *f.borrow_mut()))
}

/// One line saying what [`take_failures`] found, for `index`'s report; None when nothing failed.
pub fn failures_line(failures: &[(StemFailure, u64)]) -> Option<String> {
    if failures.is_empty() {
        return None;
    }
    let total: u64 = failures.iter().map(|(_, n)| n).sum();
    let listed: Vec<String> = failures
        .iter()
        .filter(|(f, _)| !f.word.is_empty())
        .map(|(f, _)| format!("{} {:?}", crate::lang::name(f.lang), f.word))
        .collect();
    Some(format!(
        "a stemmer failed on {total} word occurrence(s), indexed unstemmed: {}",
        listed.join(", ")
    ))
}

/// A panic message without its location, numbers and quoted text: "end byte index 16 is
/// out of bounds of `ανευρετ` at …" → "end byte index # is out of bounds of ``".
fn bug_of(message: &str) -> String {
    let what = message
        .rsplit_once(" at ")
        .map_or(message, |(what, _)| what);
    let mut out = String::with_capacity(what.len());
    let mut quoted = false;
    for c in what.chars() {
        if c == '`' {
            quoted = !quoted;
            out.push(c);
        } else if quoted {
        } else if c.is_ascii_digit() {
            if !out.ends_with('#') {
                out.push('#');
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn overflow() -> StemFailure {
    StemFailure {
        lang: crate::lang::UNKNOWN,
        word: String::new(),
        site: String::new(),
    }
}

static RUN_FAILURES: Mutex<BTreeMap<StemFailure, u64>> = Mutex::new(BTreeMap::new());

thread_local! {
    static THREAD_FAILURES: RefCell<Vec<StemFailure>> = const { RefCell::new(Vec::new()) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_algorithm_is_its_languages_snowball_stemmer() {
        let stem = |algorithm, word| Stemmer::new("test", algorithm).stem(word).into_owned();
        assert_eq!(stem(Algorithm::German, "spannungen"), "spannung");
        assert_eq!(stem(Algorithm::English, "sanctions"), "sanction");
        assert_eq!(stem(Algorithm::Spanish, "sanciones"), "sancion");
        assert_eq!(stem(Algorithm::Greek, "πολιτικής"), "πολιτικ");
    }

    #[test]
    fn a_word_that_panics_the_stemmer_comes_back_unstemmed_and_is_recorded() {
        take_thread_failures();
        for &(lang, word) in KNOWN_FAILURES {
            let (lang, algorithm) =
                crate::lang::stemmer(lang).unwrap_or(("en", Algorithm::English));
            let stemmer = Stemmer::new(lang, algorithm);
            assert_eq!(stemmer.stem(word), word);
            let failed = take_thread_failures();
            assert_eq!(failed.len(), 1, "{word}");
            assert_eq!((failed[0].lang, failed[0].word.as_str()), (lang, word));
            assert!(is_known(&failed[0]), "{word} fails at {}", failed[0].site);
        }
        // The stemmer still works after a failure.
        let greek = Stemmer::new("el", Algorithm::Greek);
        assert_eq!(greek.stem("ισαισα"), "ισαισα");
        assert_eq!(greek.stem("πολιτικής"), "πολιτικ");
        let failures = take_failures();
        assert!(failures
            .iter()
            .any(|(f, n)| f.lang == "el" && f.word == "ισαισα" && *n >= 2));
        let line = failures_line(&failures).unwrap_or_default();
        assert!(line.contains("Greek \"ισαισα\""), "{line}");
    }
}
