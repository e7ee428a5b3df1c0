//! The one text analyzer: how article text and queries become terms.
//!
//! Defined once here and registered on every index open ([`register`]), because tantivy
//! forgets custom tokenizers between opens. Indexing, query parsing and highlighting all go
//! through the analyzers named here, so a word is cut the same way everywhere.
//!
//! The chain: [`WordTokenizer`] (letters and digits; "U.S." and "U.N." as one token "US"/"UN";
//! a possessive "’s" dropped) → long-token guard → [`normalize`] (NFKC, lower case, letter
//! forms of every script) → ASCII folding (accents, so "Pezeshkián" = "pezeshkian") → for the
//! stemmed field, each article's language's stemmer ([`Stems`], over byline's guarded
//! [`stem::Stemmer`]). The name analyzers ([`NAME`], [`NAME_FOLD`]) keep only capitalised,
//! uncommon words, and the second turns each into its transliteration key.
//! Curly quotes and non-breaking spaces are separators here; the stored text is never changed.
//!
//! One concept a file, as tantivy's `tokenizer/`: `tokenizer.rs` cuts words, `normalize.rs`
//! normalises and folds them, `stem.rs` guards the stemmers, `stemmed.rs` makes the stemmed
//! field's `LANG:stem` terms, `names.rs` says what a name is and its key, and `keep_if.rs`
//! and `rewrite.rs` are the two token filters the chains are built from. This file names the
//! analyzers, registers them and builds their chains.
//!
//! # Which analyzer serves which field
//!
//! [`FIELD_ANALYZERS`] pins the table below to [`crate::schema`] (a test checks it).
//!
//! | Field | Analyzer name | Indexed with | Queried with |
//! |---|---|---|---|
//! | `text` | [`STEMMED`] (`byline_stem`) | [`stemmed_index`]: [`stemmed_value`]s cut by [`normalized_index`], made `LANG:stem` terms by [`Stems`] | [`normalized`]'s words made terms by [`Stems::term`] |
//! | `text_exact` | [`EXACT`] (`byline_exact`) | [`exact_index`] | [`exact`] |
//! | `name` | [`NAME`] (`byline_name`) | [`names`] | a query word's [`exact`] form |
//! | `name_fold` | [`NAME_FOLD`] (`byline_name_fold`) | [`name_keys`] | [`crate::variants::fold_key`] of that form |
//! | `name_script` | [`NAME_SCRIPT`] (`byline_name_script`) | [`name_scripts`] | [`script::query_keys`] of that form |
//!
//! Highlights re-cut the stored passage with [`normalized_index`], then compare each word
//! [`fold`]ed (as [`exact_index`] gives it) and stemmed (as [`Stems`] does).

mod keep_if;
mod names;
mod normalize;
mod rewrite;
pub mod script;
mod script_keys;
pub mod stem;
mod stemmed;
mod tokenizer;

pub use keep_if::{KeepIf, KeepIfStream, KeepIfWrapper};
pub use normalize::{fold, normalize};
pub use rewrite::{Rewrite, RewriteStream, RewriteWrapper};
pub use script_keys::{ScriptKeys, ScriptKeysStream, ScriptKeysWrapper};
pub use stemmed::{stem_filter, stemmed_value, StemmedStream, StemmedTokenizer, Stems, LANG_MARK};
/// tantivy's analyzer type, which every analyzer here is.
pub use tantivy::tokenizer::TextAnalyzer;
pub use tokenizer::{is_cjk, Cut, WordTokenStream, WordTokenizer};

use tantivy::tokenizer::{AsciiFoldingFilter, RemoveLongFilter, Token, Tokenizer};

use stem::Algorithm;

/// Analyzer name for the stemmed text field ([`StemmedTokenizer`]: each value carries its
/// language, [`stemmed_value`]).
pub const STEMMED: &str = "byline_stem";
/// Analyzer name for the unstemmed ("exact form") text field.
pub const EXACT: &str = "byline_exact";
/// Analyzer name for the names field: capitalised, uncommon words, exact form.
pub const NAME: &str = "byline_name";
/// Analyzer name for the names' transliteration keys.
pub const NAME_FOLD: &str = "byline_name_fold";
/// Analyzer name for the names' cross-script keys ([`script`]).
pub const NAME_SCRIPT: &str = "byline_name_script";

/// Tokens longer than this many bytes are dropped (they are never words a user types).
const MAX_TOKEN_BYTES: usize = 100;

/// Which analyzer each analysed field of [`crate::schema`] is indexed with, `(field name,
/// analyzer name)`: the module doc's table. The analyzer names are stored in every index's
/// schema, so they never change.
pub const FIELD_ANALYZERS: &[(&str, &str)] = &[
    ("text", STEMMED),
    ("text_exact", EXACT),
    ("name", NAME),
    ("name_fold", NAME_FOLD),
    ("name_script", NAME_SCRIPT),
];

/// byline's analyzers with the names they are registered under: what [`register`] installs
/// and so what indexing runs (the fuzz targets run these too).
pub fn registered() -> [(&'static str, TextAnalyzer); 5] {
    [
        (STEMMED, stemmed_index()),
        (EXACT, exact_index()),
        (NAME, names()),
        (NAME_FOLD, name_keys()),
        (NAME_SCRIPT, name_scripts()),
    ]
}

/// Registers byline's analyzers ([`registered`]) on an index. Call on every open and create.
pub fn register(index: &tantivy::Index) {
    let manager = index.tokenizers();
    for (name, analyzer) in registered() {
        manager.register(name, analyzer);
    }
}

/// Names: words printed with a capital that are not common words, lowercased and folded.
/// "Iravani met Musk" → "iravani", "musk"; "The" and "Meanwhile" are left out.
pub fn names() -> TextAnalyzer {
    name_words().build()
}

/// Names' transliteration keys ([`crate::variants::fold_key`]): "Arghachi" → "arkchi".
pub fn name_keys() -> TextAnalyzer {
    name_words()
        .filter(Rewrite(names::transliteration_key))
        .build()
}

/// Names' cross-script keys ([`script`]): "Navalny" → `lnbrn`, "Навальный" → `xnbrn`.
pub fn name_scripts() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer { cut: Cut::Names })
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(ScriptKeys)
        .build()
}

/// The chain both name analyzers share: capitalised words only, then as [`words`], less
/// the common ones. (The capital is judged before lowercasing, so it comes first.)
fn name_words() -> tantivy::tokenizer::TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(KeepIf(names::starts_upper))
        .filter(Rewrite(normalize))
        .filter(KeepIf(not_empty))
        .filter(AsciiFoldingFilter)
        .filter(KeepIf(names::uncommon))
}

/// Whether normalisation left anything of a token (a word of only the marks it removes
/// leaves nothing).
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
/// one is for tests.)
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

/// The stemmed field's analyzer ([`StemmedTokenizer`]), as [`register`] installs it.
pub fn stemmed_index() -> TextAnalyzer {
    TextAnalyzer::from(StemmedTokenizer::new())
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
    fn the_registered_analyzers_index_each_field_as_the_table_says() {
        let (schema, _) = crate::schema::Fields::build();
        for (field, analyzer) in FIELD_ANALYZERS {
            let entry = schema.get_field_entry(schema.get_field(field).expect("a schema field"));
            let tokenizer = match entry.field_type() {
                tantivy::schema::FieldType::Str(options) => options
                    .get_indexing_options()
                    .map(|i| i.tokenizer().to_string()),
                _ => None,
            };
            assert_eq!(tokenizer.as_deref(), Some(*analyzer), "{field}");
        }
        let registered_names: Vec<&str> = registered().iter().map(|(name, _)| *name).collect();
        assert_eq!(
            registered_names,
            [
                "byline_stem",
                "byline_exact",
                "byline_name",
                "byline_name_fold",
                "byline_name_script"
            ]
        );
        let index = tantivy::Index::create_in_ram(schema);
        register(&index);
        let mut stemmed = index.tokenizers().get(STEMMED).expect("registered");
        assert_eq!(
            words(&mut stemmed, &stemmed_value("en", "Sanctions")),
            ["en:sanction"]
        );
        let text = "Die Musk-Treffen";
        for (name, mut analyzer) in registered() {
            let mut by_name = index.tokenizers().get(name).expect("registered");
            assert_eq!(
                words(&mut by_name, text),
                words(&mut analyzer, text),
                "{name}"
            );
        }
    }
}
