//! Turning tantivy's parsed query into byline's: each word with its stems, variants and
//! aliases ([`WordPlan`]), field terms through [`super::filter`], and the flat term union
//! the pruned search runs ([`Compiled::flat`]).

use std::collections::HashMap;

use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, TermQuery};
use tantivy::query_grammar::{Delimiter, UserInputAst, UserInputLeaf, UserInputLiteral};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

use super::filter::{self, FieldTerm};
use super::rank::{
    edit_boost, weighted, ALIAS_BOOST, COMPOUND_BOOST, EXACT_BOOST, FOLD_BOOST, SCRIPT_BOOST,
    STOP_BOOST,
};
use super::shape;
use super::{explicit_distance, QueryOptions, WordPlan};
use crate::alias::Aliases;
use crate::analysis::{self, script, Stems};
use crate::error::Result;
use crate::schema::Fields;
use crate::variants;

/// Whether an item is a field term: `outlet:`, `lang:`, `person:`, `org:`, `place:`.
fn is_filter_field(ast: &UserInputAst) -> bool {
    match ast {
        UserInputAst::Leaf(leaf) => matches!(leaf.as_ref(), UserInputLeaf::Literal(l)
            if l.field_name.as_deref().is_some_and(filter::is_field)),
        _ => false,
    }
}

pub(super) struct Builder<'a> {
    pub(super) searcher: &'a Searcher,
    pub(super) fields: &'a Fields,
    pub(super) options: QueryOptions,
    pub(super) aliases: &'a Aliases,
    pub(super) plan: Vec<WordPlan>,
    pub(super) anchors: HashMap<Term, Term>,
    /// Stem term → the word's stem terms in every language searched.
    pub(super) pools: HashMap<Term, Vec<Term>>,
    pub(super) warnings: Vec<String>,
    /// [`analysis::normalized`], for the unfolded forms stemmers read.
    pub(super) normalized: TextAnalyzer,
    /// Exact word → the unfolded form the query printed.
    pub(super) unfolded: HashMap<String, String>,
    /// The stemmers of the languages searched: those in the index, or those filtered to.
    pub(super) stems: Vec<(String, Stems)>,
    /// Every term the words match, with its weight, for [`Compiled::flat`].
    pub(super) flat: Vec<(Term, f32)>,
    /// False once some form is not a single term (a phrase, a multi-word alias).
    pub(super) flat_ok: bool,
    /// The query can match article documents (an `outlet:` term, a pure negation), so it
    /// must be held to passages.
    pub(super) needs_kind: bool,
    /// The query mixes English function words with other words ("What did Biden say about
    /// Navalny's death?"): the function words then weigh [`STOP_BOOST`].
    pub(super) quiet_function_words: bool,
}

/// English function and question words, which a question typed in full is mostly made of.
const FUNCTION_WORDS: &[&str] = &[
    "a", "about", "an", "and", "are", "as", "at", "be", "but", "by", "did", "do", "does", "for",
    "from", "had", "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "of", "on",
    "or", "so", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was",
    "were", "what", "when", "where", "which", "who", "whom", "whose", "why", "will", "with",
];

/// Whether a query mixes [`FUNCTION_WORDS`] with others, whose weight they should not take.
pub(super) fn mixes_function_words(text: &str) -> bool {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let function = words
        .iter()
        .filter(|w| FUNCTION_WORDS.contains(&w.as_str()))
        .count();
    function > 0 && function < words.len()
}

impl Builder<'_> {
    pub(super) fn convert(&mut self, ast: &UserInputAst) -> Result<Option<Box<dyn Query>>> {
        match ast {
            UserInputAst::Clause(items) => self.clause(items),
            UserInputAst::Boost(inner, boost) => Ok(self
                .convert(inner)?
                .map(|q| shape::boost(q, boost.into_inner() as f32))),
            UserInputAst::Leaf(leaf) => match leaf.as_ref() {
                UserInputLeaf::Literal(literal) => self.literal(literal),
                UserInputLeaf::All => {
                    self.needs_kind = true;
                    Ok(Some(Box::new(AllQuery)))
                }
                other => {
                    self.warnings
                        .push(format!("{other:?} is not supported: ignored"));
                    Ok(None)
                }
            },
        }
    }

    fn clause(
        &mut self,
        items: &[(Option<Occur>, UserInputAst)],
    ) -> Result<Option<Box<dyn Query>>> {
        let default = if self.options.all_words {
            Occur::Must
        } else {
            Occur::Should
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (occur, item) in items {
            if let Some(q) = self.convert(item)? {
                // A field term restricts ("lang:de Musk" is Musk in German articles), unless
                // an operator says otherwise.
                let unmarked = if is_filter_field(item) {
                    Occur::Must
                } else {
                    default
                };
                clauses.push((occur.unwrap_or(unmarked), q));
            }
        }
        clauses.extend(self.multiword_aliases(items));
        if clauses.is_empty() {
            return Ok(None);
        }
        if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
            // "-Iraq" alone: every passage but those.
            self.needs_kind = true;
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        if clauses.len() == 1 && clauses[0].0 != Occur::MustNot {
            return Ok(clauses.pop().map(|(_, q)| q));
        }
        Ok(Some(Box::new(BooleanQuery::new(clauses))))
    }

    fn literal(&mut self, lit: &UserInputLiteral) -> Result<Option<Box<dyn Query>>> {
        if let Some(field) = &lit.field_name {
            let compiled = filter::field_term(
                self.searcher,
                self.fields,
                field,
                &lit.phrase,
                &mut self.warnings,
            )?;
            match compiled {
                FieldTerm::Article(q) => {
                    self.needs_kind = true;
                    return Ok(Some(q));
                }
                FieldTerm::Mentions(q) => return Ok(Some(q)),
                FieldTerm::Ignored => return Ok(None),
                FieldTerm::Unknown => self.warnings.push(format!(
                    "there is no field {field:?} (fields: outlet, author, lang, person, org, place): {field}:{} searched as words",
                    lit.phrase
                )),
            }
        }
        if lit.prefix {
            self.warnings.push(format!(
                "prefix search ({}*) is not supported: searched as a word",
                lit.phrase
            ));
        }
        let quoted = lit.delimiter != Delimiter::None;
        if let (false, Some((word, n))) = (quoted, explicit_distance(&lit.phrase)) {
            let words = self.words_of(word);
            if let [one] = words.as_slice() {
                let d = n.unwrap_or_else(|| variants::max_distance(one));
                return Ok(Some(self.word(&lit.phrase, one, Mode::Distance(d))?));
            }
        }
        let words = self.words_of(&lit.phrase);
        if !quoted && lit.phrase.contains(['*', '?']) {
            // tantivy's grammar reads "Ira*" and "*ran" as plain words; say so rather than
            // let a user believe a wildcard ran.
            self.warnings.push(format!(
                "wildcards are not supported: {} searched as {}",
                lit.phrase,
                if words.is_empty() {
                    "nothing".into()
                } else {
                    words.join(" ")
                }
            ));
        }
        if !quoted && words.len() > 1 {
            if let Some(q) = self.cjk_name(&lit.phrase, &words) {
                return Ok(Some(q));
            }
            if lit.phrase.contains(['-', '\u{2010}', '\u{2011}']) {
                return self.hyphenated(&lit.phrase, &words).map(Some);
            }
        }
        match words.as_slice() {
            [] => Ok(None),
            [word] if quoted => Ok(Some(self.word(&lit.phrase, word, Mode::Quoted)?)),
            [word] if lit.slop > 0 => Ok(Some(self.word(
                &lit.phrase,
                word,
                Mode::Distance(lit.slop.min(2) as u8),
            )?)),
            [word] => Ok(Some(self.word(&lit.phrase, word, Mode::Plain)?)),
            _ => Ok(Some(self.phrase(&words, if quoted { lit.slop } else { 0 }))),
        }
    }

    /// A hyphenated word typed bare ("Musk-Treffen"): the compound as a phrase (its parts side
    /// by side, as the index holds it), or each part alone, the compound first. Where its parts
    /// are printed apart ("Treffen mit Musk") the article is still found.
    fn hyphenated(&mut self, typed: &str, words: &[String]) -> Result<Box<dyn Query>> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Should,
            shape::boost(self.phrase(words, 0), COMPOUND_BOOST),
        )];
        for word in words {
            clauses.push((Occur::Should, self.word(typed, word, Mode::Plain)?));
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// A word the index prints but never as a name ("sanctions"): its spelling variants
    /// would be other ordinary words, so none are looked for. (Finding them is the costly
    /// part of a short query: a distance-2 automaton takes milliseconds to build.)
    fn ordinary_word(&self, exact_term: &Term, exact: &str) -> Result<bool> {
        let as_name = Term::from_field_text(self.fields.name, exact);
        Ok(self.searcher.doc_freq(exact_term)? > 0 && self.searcher.doc_freq(&as_name)? == 0)
    }

    /// The exact (folded) words of a text, remembering each one's unfolded form for the
    /// stemmers ([`Builder::unfolded`]).
    fn words_of(&mut self, text: &str) -> Vec<String> {
        // One pass: the unfolded words, each folded as the exact analyzer would.
        let mut words = Vec::new();
        for (raw, _) in analysis::terms(&mut self.normalized, text) {
            let word = analysis::fold(&raw).into_owned();
            self.unfolded.entry(word.clone()).or_insert(raw);
            words.push(word);
        }
        words
    }

    /// What a stemmer reads for an exact word: its unfolded form, when the query printed one.
    pub(super) fn raw<'w>(&'w self, word: &'w str) -> &'w str {
        self.unfolded.get(word).map_or(word, String::as_str)
    }

    /// A word's stemmed terms, one per language searched.
    fn stem_terms(&self, word: &str) -> Vec<Term> {
        self.stems
            .iter()
            .map(|(_, s)| Term::from_field_text(self.fields.text, &s.term(self.raw(word))))
            .collect()
    }

    /// Words in order as a phrase on the stemmed field (within `slop`), in each language
    /// searched: one phrase query per language, any of them.
    fn stemmed_phrase(&self, words: &[String], slop: u32) -> Box<dyn Query> {
        let mut per_lang: Vec<(Occur, Box<dyn Query>)> = self
            .stems
            .iter()
            .map(|(_, s)| {
                let terms = words
                    .iter()
                    .map(|w| Term::from_field_text(self.fields.text, &s.term(self.raw(w))))
                    .collect();
                (Occur::Should, shape::phrase(terms, slop))
            })
            .collect();
        match per_lang.len() {
            1 => per_lang.remove(0).1,
            _ => Box::new(BooleanQuery::new(per_lang)),
        }
    }

    fn anchored(&mut self, variant: Term, anchor: &Term, boost: f32) -> (Occur, Box<dyn Query>) {
        self.anchors.insert(variant.clone(), anchor.clone());
        self.flat.push((variant.clone(), boost));
        (Occur::Should, weighted(variant, boost))
    }

    fn word(&mut self, typed: &str, exact: &str, mode: Mode) -> Result<Box<dyn Query>> {
        let flat_from = self.flat.len();
        let query = self.word_forms(typed, exact, mode)?;
        if mode == Mode::Plain && self.quiet_function_words && FUNCTION_WORDS.contains(&exact) {
            for (_, boost) in &mut self.flat[flat_from..] {
                *boost *= STOP_BOOST;
            }
            return Ok(shape::boost(query, STOP_BOOST));
        }
        Ok(query)
    }

    /// A word's query: its exact form, stems, variants, other scripts and aliases.
    fn word_forms(&mut self, typed: &str, exact: &str, mode: Mode) -> Result<Box<dyn Query>> {
        let f = self.fields;
        let exact_term = Term::from_field_text(f.text_exact, exact);
        self.flat.push((exact_term.clone(), EXACT_BOOST));
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Should,
            shape::boost(
                Box::new(TermQuery::new(
                    exact_term.clone(),
                    IndexRecordOption::WithFreqs,
                )),
                EXACT_BOOST,
            ),
        )];
        let mut plan = WordPlan {
            query: typed.trim().to_string(),
            exact: exact.to_string(),
            stems: Vec::new(),
            fold: None,
            edits: Vec::new(),
            aliases: Vec::new(),
            scripts: Vec::new(),
        };
        if mode != Mode::Quoted {
            let stems = self.stem_terms(exact);
            if stems.len() > 1 {
                for stem in &stems {
                    self.pools.insert(stem.clone(), stems.clone());
                }
            }
            for stem in stems {
                self.flat.push((stem.clone(), 1.0));
                clauses.push((
                    Occur::Should,
                    Box::new(TermQuery::new(stem, IndexRecordOption::WithFreqs)),
                ));
            }
            plan.stems = self
                .stems
                .iter()
                .map(|(code, s)| (code.clone(), s.stem(self.raw(exact))))
                .collect();
        }
        let name_like = mode == Mode::Plain
            && !self.options.exact
            && variants::is_eligible(exact)
            && !self.ordinary_word(&exact_term, exact)?;
        match mode {
            Mode::Distance(d) => {
                plan.edits = variants::edit_variants(self.searcher, f.text_exact, exact, d)?;
                for (v, d) in plan.edits.clone() {
                    clauses.push(self.anchored(
                        Term::from_field_text(f.text_exact, &v),
                        &exact_term,
                        edit_boost(d),
                    ));
                }
            }
            Mode::Plain if name_like => {
                let name = Term::from_field_text(f.name, exact);
                self.flat.push((name.clone(), 1.0));
                clauses.push((
                    Occur::Should,
                    Box::new(TermQuery::new(name.clone(), IndexRecordOption::WithFreqs)),
                ));
                let fold = variants::fold_key(exact);
                clauses.push(self.anchored(
                    Term::from_field_text(f.name_fold, &fold),
                    &name,
                    FOLD_BOOST,
                ));
                plan.fold = Some(fold);
                plan.edits = variants::edit_variants(
                    self.searcher,
                    f.name,
                    exact,
                    variants::max_distance(exact),
                )?;
                for (v, d) in plan.edits.clone() {
                    clauses.push(self.anchored(
                        Term::from_field_text(f.name, &v),
                        &name,
                        edit_boost(d),
                    ));
                }
            }
            _ => {}
        }
        let latin = exact.bytes().all(|b| b.is_ascii_alphabetic());
        if mode == Mode::Plain
            && !self.options.exact
            && !self.options.no_scripts
            && (name_like || !latin)
        {
            // A Latin name's forms in other scripts score with its name statistics; another
            // script's word's Latin forms with its own.
            let anchor = if latin {
                Term::from_field_text(f.name, exact)
            } else {
                exact_term.clone()
            };
            plan.scripts = self.script_keys(exact)?;
            for key in plan.scripts.clone() {
                clauses.push(self.anchored(
                    Term::from_field_text(f.name_script, &key),
                    &anchor,
                    SCRIPT_BOOST,
                ));
            }
        }
        if mode != Mode::Quoted && !self.options.exact {
            plan.aliases = self.aliases.others(&[exact.to_string()]);
            for form in plan.aliases.clone() {
                self.flat_single(&form.words, ALIAS_BOOST);
                clauses.push((
                    Occur::Should,
                    shape::boost(self.exact_words(&form.words), ALIAS_BOOST),
                ));
            }
        }
        self.plan.push(plan);
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// A word (its exact form) or a phrase (on the stemmed field, which has positions).
    fn exact_words(&self, words: &[String]) -> Box<dyn Query> {
        match words {
            [one] => Box::new(TermQuery::new(
                Term::from_field_text(self.fields.text_exact, one),
                IndexRecordOption::WithFreqs,
            )),
            _ => self.stemmed_phrase(words, 0),
        }
    }

    /// Records a form for [`Compiled::flat`]: one exact term, or a phrase, which a flat
    /// union of terms cannot hold.
    fn flat_single(&mut self, words: &[String], boost: f32) {
        match words {
            [one] => self
                .flat
                .push((Term::from_field_text(self.fields.text_exact, one), boost)),
            _ => self.flat_ok = false,
        }
    }

    /// A phrase: its stems in order (within `slop`), with extra score for each word whose
    /// exact form is there too. (The exact field keeps no positions: it would add a fifth
    /// to the index for a distinction stems in order already make.)
    fn phrase(&mut self, words: &[String], slop: u32) -> Box<dyn Query> {
        self.flat_ok = false;
        let f = self.fields;
        let stemmed = self.stemmed_phrase(words, slop);
        for w in words {
            self.plan.push(WordPlan {
                query: w.clone(),
                exact: w.clone(),
                stems: Vec::new(),
                fold: None,
                edits: Vec::new(),
                aliases: Vec::new(),
                scripts: Vec::new(),
            });
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, stemmed)];
        for w in words {
            clauses.push((
                Occur::Should,
                shape::boost(
                    Box::new(TermQuery::new(
                        Term::from_field_text(f.text_exact, w),
                        IndexRecordOption::WithFreqs,
                    )),
                    EXACT_BOOST,
                ),
            ));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// The cross-script keys a word looks up ([`script::query_keys`]), each conditional one
    /// only when its condition key is in the index.
    fn script_keys(&self, word: &str) -> Result<Vec<String>> {
        let q = script::query_keys(word);
        let mut keys = q.keys;
        for (key, condition) in q.if_found {
            let condition = Term::from_field_text(self.fields.name_script, &condition);
            if self.searcher.doc_freq(&condition)? > 0 && !keys.contains(&key) {
                keys.push(key);
            }
        }
        Ok(keys)
    }

    /// A run of Han, kana or Hangul typed as one word (a name: 纳瓦尔尼, トランプ, 트럼프): its
    /// bigram phrase, or its Latin forms by their cross-script keys. None when the run is
    /// not one script's, or has no key.
    fn cjk_name(&mut self, typed: &str, words: &[String]) -> Option<Box<dyn Query>> {
        if self.options.exact || self.options.no_scripts {
            return None;
        }
        let typed = typed.trim();
        let mut normalized = String::new();
        if !analysis::normalize(typed, &mut normalized) {
            normalized.push_str(typed);
        }
        if !script::is_one_run(typed) {
            return None;
        }
        let keys = self.script_keys(&normalized).ok()?;
        if keys.is_empty() {
            return None;
        }
        let anchor = Term::from_field_text(self.fields.text_exact, &words[0]);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Should, self.phrase(words, 0))];
        for key in &keys {
            clauses.push(self.anchored(
                Term::from_field_text(self.fields.name_script, key),
                &anchor,
                SCRIPT_BOOST,
            ));
        }
        self.plan.push(WordPlan {
            query: typed.to_string(),
            exact: String::new(),
            stems: Vec::new(),
            fold: None,
            edits: Vec::new(),
            aliases: Vec::new(),
            scripts: keys,
        });
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    /// Alias clauses for runs of two or more bare words ("United States" also finds "U.S.").
    fn multiword_aliases(
        &mut self,
        items: &[(Option<Occur>, UserInputAst)],
    ) -> Vec<(Occur, Box<dyn Query>)> {
        if self.options.exact || self.aliases.longest() < 2 {
            return Vec::new();
        }
        let mut words: Vec<(String, String)> = Vec::new();
        for (occur, item) in items {
            if let (None, UserInputAst::Leaf(leaf)) = (occur, item) {
                if let UserInputLeaf::Literal(l) = leaf.as_ref() {
                    if l.field_name.is_none() && l.delimiter == Delimiter::None {
                        for t in self.words_of(&l.phrase) {
                            words.push((t, l.phrase.clone()));
                        }
                    }
                }
            }
        }
        let mut out = Vec::new();
        for n in 2..=self.aliases.longest().min(words.len()) {
            for window in words.windows(n) {
                let key: Vec<String> = window.iter().map(|(t, _)| t.clone()).collect();
                let forms = self.aliases.others(&key);
                if forms.is_empty() {
                    continue;
                }
                for form in &forms {
                    self.flat_single(&form.words, ALIAS_BOOST);
                    out.push((
                        Occur::Should,
                        shape::boost(self.exact_words(&form.words), ALIAS_BOOST),
                    ));
                }
                let typed: Vec<&str> = window.iter().map(|(_, typed)| typed.as_str()).collect();
                self.plan.push(WordPlan {
                    query: typed.join(" "),
                    exact: String::new(),
                    stems: Vec::new(),
                    fold: None,
                    edits: Vec::new(),
                    aliases: forms,
                    scripts: Vec::new(),
                });
            }
        }
        out
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// A bare word: exact, stem, and variants when eligible.
    Plain,
    /// Inside quotes: the exact form only.
    Quoted,
    /// `word~N`: exact, stem, and every indexed word within distance N.
    Distance(u8),
}
