//! From what the user typed to a tantivy query: limits, lenient parsing, ranking boosts and
//! filters.
//!
//! The query syntax is tantivy's grammar (AND, OR, NOT, `+`/`-`, `"phrase"`, `"phrase"~N`,
//! `word~N`, `outlet:name`, `^boost`), turned into queries here rather than by tantivy's
//! QueryParser, so that each word can carry its variants. A bare word matches its exact form
//! (weighted [`EXACT_BOOST`]), its stem, and, when [`variants::is_eligible`], its
//! transliteration key and edit variants among the index's names, plus its aliases; variants
//! score with the word's own statistics and lower weights ([`AnchoredStats`]), so they never
//! outrank the exact form. By default every word counts and none is required.
//! For a plain query of several words (no operators, quotes or fields), passages holding all
//! the words, and holding them within a few words of each other, get extra score.
//!
//! Before anything reaches tantivy the query is checked against [`Limits`]: its parser
//! overflows the stack on deeply nested brackets (killing the process), and huge top-k values
//! make it allocate without bound.

use std::ops::Bound;

use std::collections::HashMap;

use tantivy::query::{
    AllQuery, Bm25StatisticsProvider, BooleanQuery, BoostQuery, ConstScoreQuery, ExistsQuery,
    Occur, PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::query_grammar::{self, Delimiter, UserInputAst, UserInputLeaf, UserInputLiteral};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DateTime, Searcher, Term};

use crate::alias::{Aliases, Form};
use crate::analysis::{self, Stems};
use crate::date::Date;
use crate::entities::Kind;
use crate::error::{Error, Result};
use crate::facets;
use crate::schema::{Fields, DATE_UNKNOWN, KIND_PASSAGE};
use crate::store::Store;
use crate::variants;

/// Boost of the exact (unstemmed) field over the stemmed one.
pub const EXACT_BOOST: f32 = 1.5;
/// Extra weight for passages holding every word of a plain multi-word query.
pub const ALL_WORDS_BOOST: f32 = 1.0;
/// Extra weight for passages holding the words within [`PROXIMITY_SLOP`] of each other.
pub const PROXIMITY_BOOST: f32 = 1.0;
/// How far apart (in words) the words of a plain query may stand to count as close.
pub const PROXIMITY_SLOP: u32 = 3;

/// Hard limits on a query and its result window. Defaults are documented in the README.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Longest query, in bytes.
    pub max_query_bytes: usize,
    /// Deepest bracket nesting.
    pub max_depth: usize,
    /// Most words (whitespace-separated items) in a query.
    pub max_words: usize,
    /// Largest `limit` (articles per page).
    pub max_limit: usize,
    /// Largest `offset`.
    pub max_offset: usize,
    /// Most passages per article.
    pub max_passages: usize,
    /// Totals are counted exactly up to this many articles (where counting is not free);
    /// past it they are lower bounds.
    pub exact_total: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_query_bytes: 4096,
            max_depth: 16,
            max_words: 256,
            max_limit: 1000,
            max_offset: 100_000,
            max_passages: 50,
            exact_total: 10_000,
        }
    }
}

impl Limits {
    /// Checks a query's text against the limits.
    pub fn check_query(&self, q: &str) -> Result<()> {
        if q.len() > self.max_query_bytes {
            return Err(Error::Query(format!(
                "query is {} bytes long; the limit is {}",
                q.len(),
                self.max_query_bytes
            )));
        }
        let words = q.split_whitespace().count();
        if words > self.max_words {
            return Err(Error::Query(format!(
                "query has {words} words; the limit is {}",
                self.max_words
            )));
        }
        let depth = nesting_depth(q);
        if depth > self.max_depth {
            return Err(Error::Query(format!(
                "brackets nest {depth} deep; the limit is {}",
                self.max_depth
            )));
        }
        Ok(())
    }

    /// Checks a result window against the limits.
    pub fn check_window(&self, limit: usize, offset: usize, passages: usize) -> Result<()> {
        let bad = |what: &str, value: usize, range: String| {
            Err(Error::InvalidArgument(format!(
                "{what} {value} is out of range: {range}"
            )))
        };
        if limit == 0 || limit > self.max_limit {
            return bad("limit", limit, format!("1 to {}", self.max_limit));
        }
        if offset > self.max_offset {
            return bad("offset", offset, format!("0 to {}", self.max_offset));
        }
        if passages == 0 || passages > self.max_passages {
            return bad("passages", passages, format!("1 to {}", self.max_passages));
        }
        Ok(())
    }
}

/// Deepest bracket nesting outside quotes (unbalanced closers are ignored).
pub fn nesting_depth(q: &str) -> usize {
    let (mut depth, mut max, mut quoted) = (0usize, 0usize, false);
    for c in q.chars() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => {
                depth += 1;
                max = max.max(depth);
            }
            ')' if !quoted => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// Restrictions on which articles a search may return.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// Keep only these outlets (name or site, any case; `unknown`: articles without an
    /// outlet, as the facet bucket of that name counts them); empty keeps all.
    pub outlets: Vec<String>,
    /// Keep only articles in these date buckets, as the date facet returns them: a day, a
    /// month, a year, or `unknown`; empty keeps all.
    pub dates: Vec<DateBucket>,
    /// Keep articles dated on or after this day.
    pub since: Option<Date>,
    /// Keep articles dated on or before this day.
    pub until: Option<Date>,
    /// With `since`/`until`, also keep articles whose date is unknown.
    pub undated: bool,
    /// Keep only articles that mention every one of these entities (`person`, "Ali Khamenei").
    pub entities: Vec<(Kind, String)>,
    /// Keep only articles in these languages (codes, see [`crate::lang`]); empty keeps all.
    /// The query is then analysed for these languages only.
    pub langs: Vec<String>,
}

/// A value of the date facet, as a filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateBucket {
    /// Articles dated within this day, month or year.
    Within(Date),
    /// Articles whose date is unknown.
    Unknown,
}

impl DateBucket {
    /// Reads `2024-11-15`, `2024-11`, `2024` or `unknown`.
    pub fn parse(s: &str) -> Option<DateBucket> {
        let s = s.trim();
        if s.eq_ignore_ascii_case(DATE_UNKNOWN) {
            return Some(DateBucket::Unknown);
        }
        Date::parse(s).map(DateBucket::Within)
    }
}

/// How to read a query.
#[derive(Debug, Clone, Copy, Default)]
pub struct QueryOptions {
    /// Require every word (AND) instead of "every word counts, none required".
    pub all_words: bool,
    /// No variants and no aliases: only exact and stemmed forms match.
    pub exact: bool,
}

/// What one query word (or alias n-gram) can match, and how each form is labelled.
/// Built once per query and used both to match and to explain matches.
#[derive(Debug, Clone, PartialEq)]
pub struct WordPlan {
    /// The word as typed.
    pub query: String,
    /// Its exact form (the exact analyzer's term); empty for a multi-word alias n-gram.
    pub exact: String,
    /// Its stem in each language searched, `(code, stem)`, when stems count (not inside
    /// quotes).
    pub stems: Vec<(String, String)>,
    /// Its transliteration key, when variants apply.
    pub fold: Option<String>,
    /// Other spellings in the index, with their edit distances.
    pub edits: Vec<(String, u8)>,
    /// Alias forms that also match.
    pub aliases: Vec<Form>,
}

/// A query ready to run, with what the parser had to say about it.
pub struct Compiled {
    /// The full query: user query, boosts and filters.
    pub query: Box<dyn Query>,
    /// What matches, without the ranking boosts: the user query and filters. Counting runs
    /// this one, as it needs no scores and skips the proximity clauses.
    pub matches: Box<dyn Query>,
    /// For a plain query of bare words whose every form is one term: the same terms, with
    /// the same weights, as one flat union (plus filters). Its score is the user query's
    /// score, and a flat union of terms lets tantivy skip blocks that cannot reach the top
    /// (block-max WAND), so searches find their top articles without scoring every match.
    pub flat: Option<Box<dyn Query>>,
    /// Per query word, what it matches (for highlights and `matched_as`).
    pub plan: Vec<WordPlan>,
    /// Variant terms scored with their query word's statistics (variant → anchor).
    pub anchors: HashMap<Term, Term>,
    /// Parts of the query that were ignored, and why.
    pub warnings: Vec<String>,
}

/// Weight of a fold (transliteration) match, relative to the exact name.
pub const FOLD_BOOST: f32 = 0.6;
/// Weight of an alias form.
pub const ALIAS_BOOST: f32 = 0.8;

/// Weight of an edit variant at distance `d`.
pub fn edit_boost(d: u8) -> f32 {
    if d <= 1 {
        0.5
    } else {
        0.35
    }
}

/// Parses and assembles a query. Fails only when nothing of the query can be used.
pub fn compile(
    searcher: &Searcher,
    store: &Store,
    text: &str,
    filters: &Filters,
    options: QueryOptions,
    aliases: &Aliases,
    limits: &Limits,
) -> Result<Compiled> {
    limits.check_query(text)?;
    let f = store.fields();
    if text.trim().is_empty() {
        return Err(Error::Query("the query is empty".into()));
    }
    let (ast, errors) = query_grammar::parse_query_lenient(text);
    crate::analysis::stem::take_thread_failures();
    let mut builder = Builder {
        searcher,
        fields: f,
        options,
        aliases,
        plan: Vec::new(),
        anchors: HashMap::new(),
        warnings: errors
            .iter()
            .map(|e| format!("{} (at character {})", e.message, e.pos))
            .collect(),
        normalized: analysis::normalized(),
        unfolded: HashMap::new(),
        stems: languages(searcher, f, filters)?
            .iter()
            .map(|code| (code.clone(), Stems::new(code)))
            .collect(),
        flat: Vec::new(),
        flat_ok: true,
        needs_kind: false,
    };
    let user_query = builder.convert(&ast)?;
    let only_operators = !builder.warnings.is_empty()
        && builder
            .plan
            .iter()
            .all(|w| matches!(w.exact.as_str(), "and" | "or" | "not"));
    let Some(user_query) = user_query.filter(|_| !only_operators) else {
        let why = if builder.warnings.is_empty() {
            "it holds no searchable word".to_string()
        } else {
            builder.warnings.join("; ")
        };
        return Err(Error::Query(format!(
            "nothing in {text:?} can be searched: {why}"
        )));
    };
    let mut warnings = std::mem::take(&mut builder.warnings);
    for failed in crate::analysis::stem::take_thread_failures() {
        warnings.push(format!(
            "the {} stemmer cannot read {:?}: searched unstemmed",
            crate::lang::name(failed.lang),
            failed.word
        ));
    }
    // Text terms only ever match passages; the kind filter is for what else could match.
    let mut restrictions = filter_clauses(f, filters, &mut warnings)?;
    if builder.needs_kind {
        restrictions.push((Occur::Must, filter(term(f.kind, KIND_PASSAGE))));
    }
    // Built once; each query below takes its own copy.
    let restrict = || -> Vec<(Occur, Box<dyn Query>)> {
        restrictions
            .iter()
            .map(|(occur, q)| (*occur, q.box_clone()))
            .collect()
    };
    let mut matches: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, user_query.box_clone())];
    matches.extend(restrict());
    let plain = is_plain(&ast);
    let flat = (plain && builder.flat_ok && !options.all_words && !builder.flat.is_empty())
        .then(|| -> Result<Box<dyn Query>> {
            let union: Vec<(Occur, Box<dyn Query>)> = builder
                .flat
                .iter()
                .map(|(t, boost)| (Occur::Should, weighted(t.clone(), *boost)))
                .collect();
            if restrictions.is_empty() {
                return Ok(Box::new(BooleanQuery::new(union)) as Box<dyn Query>);
            }
            // Beside a must clause, should clauses only score: the union goes in as one must.
            let mut clauses: Vec<(Occur, Box<dyn Query>)> =
                vec![(Occur::Must, Box::new(BooleanQuery::new(union)))];
            clauses.extend(restrict());
            Ok(Box::new(BooleanQuery::new(clauses)))
        })
        .transpose()?;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, user_query)];
    if plain {
        for (_, stems) in &builder.stems {
            let terms: Vec<Term> = builder
                .plan
                .iter()
                .filter(|w| !w.stems.is_empty())
                .map(|w| Term::from_field_text(f.text, &stems.term(builder.raw(&w.exact))))
                .collect();
            clauses.extend(closeness_boosts(terms));
        }
    }
    clauses.extend(restrict());
    Ok(Compiled {
        query: Box::new(BooleanQuery::new(clauses)),
        matches: Box::new(BooleanQuery::new(matches)),
        flat,
        plan: builder.plan,
        anchors: builder.anchors,
        warnings,
    })
}

/// The languages a query is analysed for: those `--lang` names, else every language in
/// the index (read from the `lang` field's terms; an empty index gives `und`).
pub fn languages(searcher: &Searcher, f: &Fields, filters: &Filters) -> Result<Vec<String>> {
    if !filters.langs.is_empty() {
        return Ok(filters.langs.clone());
    }
    let mut found = std::collections::BTreeSet::new();
    for segment in searcher.segment_readers() {
        let index = segment.inverted_index(f.lang)?;
        let mut terms = index
            .terms()
            .stream()
            .map_err(tantivy::TantivyError::from)?;
        while terms.advance() {
            found.insert(String::from_utf8_lossy(terms.key()).into_owned());
        }
    }
    if found.is_empty() {
        found.insert(crate::lang::UNKNOWN.to_string());
    }
    Ok(found.into_iter().collect())
}

/// A term query scaled by `boost`. (A boosted term is still a term scorer to tantivy, so a
/// union of them keeps block-max WAND.)
fn weighted(t: Term, boost: f32) -> Box<dyn Query> {
    let q = Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs));
    if boost == 1.0 {
        q
    } else {
        Box::new(BoostQuery::new(q, boost))
    }
}

/// Whether an item is a field term: `outlet:`, `lang:`, `person:`, `org:`, `place:`.
fn is_filter_field(ast: &UserInputAst) -> bool {
    match ast {
        UserInputAst::Leaf(leaf) => matches!(leaf.as_ref(), UserInputLeaf::Literal(l)
            if l.field_name.as_deref().is_some_and(|f| f == "outlet" || f == "lang" || f == "author" || Kind::parse(f).is_some())),
        _ => false,
    }
}

/// A query of bare words: no operators, quotes, fields, boosts or distances.
fn is_plain(ast: &UserInputAst) -> bool {
    let bare = |a: &UserInputAst| match a {
        UserInputAst::Leaf(leaf) => matches!(leaf.as_ref(), UserInputLeaf::Literal(l)
            if l.field_name.is_none() && l.delimiter == Delimiter::None && l.slop == 0 && !l.prefix
                && explicit_distance(&l.phrase).is_none()),
        _ => false,
    };
    match ast {
        UserInputAst::Clause(items) => items.iter().all(|(occur, a)| occur.is_none() && bare(a)),
        other => bare(other),
    }
}

/// `word~N` (N from 0 to 2) or `word~` (the distance its length allows): tantivy's grammar
/// keeps the suffix inside an unquoted literal.
fn explicit_distance(phrase: &str) -> Option<(&str, Option<u8>)> {
    let (word, n) = phrase.rsplit_once('~')?;
    if word.is_empty() || word.contains(char::is_whitespace) {
        return None;
    }
    match n {
        "" => Some((word, None)),
        "0" | "1" | "2" => Some((word, n.parse().ok())),
        _ => None,
    }
}

struct Builder<'a> {
    searcher: &'a Searcher,
    fields: &'a Fields,
    options: QueryOptions,
    aliases: &'a Aliases,
    plan: Vec<WordPlan>,
    anchors: HashMap<Term, Term>,
    warnings: Vec<String>,
    /// [`analysis::normalized`], for the unfolded forms stemmers read.
    normalized: TextAnalyzer,
    /// Exact word → the unfolded form the query printed.
    unfolded: HashMap<String, String>,
    /// The stemmers of the languages searched: those in the index, or those filtered to.
    stems: Vec<(String, Stems)>,
    /// Every term the words match, with its weight, for [`Compiled::flat`].
    flat: Vec<(Term, f32)>,
    /// False once some form is not a single term (a phrase, a multi-word alias).
    flat_ok: bool,
    /// The query can match article documents (an `outlet:` term, a pure negation), so it
    /// must be held to passages.
    needs_kind: bool,
}

impl Builder<'_> {
    fn convert(&mut self, ast: &UserInputAst) -> Result<Option<Box<dyn Query>>> {
        match ast {
            UserInputAst::Clause(items) => self.clause(items),
            UserInputAst::Boost(inner, boost) => Ok(self.convert(inner)?.map(|q| {
                Box::new(BoostQuery::new(q, boost.into_inner() as f32)) as Box<dyn Query>
            })),
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
            if field == "outlet" {
                self.needs_kind = true;
                return Ok(Some(filter(outlet(self.fields, &lit.phrase))));
            }
            if field == "author" {
                self.needs_kind = true;
                return Ok(Some(filter(term(
                    self.fields.author_key,
                    &crate::indexer::author_key(&lit.phrase),
                ))));
            }
            if field == "lang" {
                match crate::lang::code(&lit.phrase) {
                    Some(code) => {
                        self.needs_kind = true;
                        return Ok(Some(filter(term(self.fields.lang, code))));
                    }
                    None => {
                        self.warnings.push(format!(
                            "{:?} is not a language byline knows: lang:{} ignored",
                            lit.phrase, lit.phrase
                        ));
                        return Ok(None);
                    }
                }
            }
            if let Some(kind) = Kind::parse(field) {
                let found =
                    facets::resolve_entity(self.searcher, self.fields.entity, kind, &lit.phrase)?;
                if found.is_empty() {
                    self.warnings
                        .push(format!("no {field} named {:?} in the index", lit.phrase));
                    return Ok(None);
                }
                return Ok(Some(facets::any_facet(self.fields.entity, &found)));
            }
            self.warnings.push(format!(
                "there is no field {field:?} (fields: outlet, author, lang, person, org, place): {field}:{} searched as words",
                lit.phrase
            ));
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
    fn raw<'w>(&'w self, word: &'w str) -> &'w str {
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
                let mut q = PhraseQuery::new(
                    words
                        .iter()
                        .map(|w| Term::from_field_text(self.fields.text, &s.term(self.raw(w))))
                        .collect(),
                );
                q.set_slop(slop);
                (Occur::Should, Box::new(q) as Box<dyn Query>)
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
        let f = self.fields;
        let exact_term = Term::from_field_text(f.text_exact, exact);
        self.flat.push((exact_term.clone(), EXACT_BOOST));
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Should,
            Box::new(BoostQuery::new(
                Box::new(TermQuery::new(
                    exact_term.clone(),
                    IndexRecordOption::WithFreqs,
                )),
                EXACT_BOOST,
            )),
        )];
        let mut plan = WordPlan {
            query: typed.trim().to_string(),
            exact: exact.to_string(),
            stems: Vec::new(),
            fold: None,
            edits: Vec::new(),
            aliases: Vec::new(),
        };
        if mode != Mode::Quoted {
            for stem in self.stem_terms(exact) {
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
            Mode::Plain
                if !self.options.exact
                    && variants::is_eligible(exact)
                    && !self.ordinary_word(&exact_term, exact)? =>
            {
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
        if mode != Mode::Quoted && !self.options.exact {
            plan.aliases = self.aliases.others(&[exact.to_string()]);
            for form in plan.aliases.clone() {
                self.flat_single(&form.words, ALIAS_BOOST);
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(self.exact_words(&form.words), ALIAS_BOOST)),
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
            });
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, stemmed)];
        for w in words {
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(
                        Term::from_field_text(f.text_exact, w),
                        IndexRecordOption::WithFreqs,
                    )),
                    EXACT_BOOST,
                )),
            ));
        }
        Box::new(BooleanQuery::new(clauses))
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
                        Box::new(BoostQuery::new(self.exact_words(&form.words), ALIAS_BOOST))
                            as Box<dyn Query>,
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
                });
            }
        }
        out
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A bare word: exact, stem, and variants when eligible.
    Plain,
    /// Inside quotes: the exact form only.
    Quoted,
    /// `word~N`: exact, stem, and every indexed word within distance N.
    Distance(u8),
}

/// BM25 statistics where a variant term counts with its query word's document frequency, so
/// a rare misspelling never outscores the exact form for the same term frequency.
pub struct AnchoredStats<'a> {
    /// The searcher whose statistics are used.
    pub searcher: &'a Searcher,
    /// Variant → the term whose document frequency it takes.
    pub anchors: &'a HashMap<Term, Term>,
}

impl Bm25StatisticsProvider for AnchoredStats<'_> {
    fn total_num_tokens(&self, field: tantivy::schema::Field) -> tantivy::Result<u64> {
        self.searcher.total_num_tokens(field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        self.searcher.total_num_docs()
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        if let Some(anchor) = self.anchors.get(term) {
            let df = self.searcher.doc_freq(anchor)?;
            if df > 0 {
                return Ok(df);
            }
        }
        self.searcher.doc_freq(term)
    }
}

/// "All words" and "close together" boosts for a plain query of two or more words.
fn closeness_boosts(terms: Vec<Term>) -> Vec<(Occur, Box<dyn Query>)> {
    let mut seen = std::collections::HashSet::new();
    let distinct: Vec<Term> = terms
        .iter()
        .filter(|t| seen.insert((*t).clone()))
        .cloned()
        .collect();
    if distinct.len() < 2 {
        return Vec::new();
    }
    let all: Vec<(Occur, Box<dyn Query>)> = distinct
        .into_iter()
        .map(|t| {
            (
                Occur::Must,
                Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs)) as Box<dyn Query>,
            )
        })
        .collect();
    let mut near = PhraseQuery::new(terms);
    near.set_slop(PROXIMITY_SLOP);
    vec![
        (
            Occur::Should,
            Box::new(BoostQuery::new(
                Box::new(BooleanQuery::new(all)),
                ALL_WORDS_BOOST,
            )),
        ),
        (
            Occur::Should,
            Box::new(BoostQuery::new(Box::new(near), PROXIMITY_BOOST)),
        ),
    ]
}

fn term(field: tantivy::schema::Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

/// Documents of articles from this outlet (name or site, any case). `unknown` is also the
/// articles without an outlet: the facet counts them in a bucket of that name.
fn outlet(f: &Fields, name: &str) -> Box<dyn Query> {
    let key = name.trim().to_lowercase();
    let named = term(f.outlet_key, &key);
    if key != DATE_UNKNOWN {
        return named;
    }
    // Every document of an article with an outlet carries its `outlet` facet.
    let without: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
        (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
        (
            Occur::MustNot,
            Box::new(ExistsQuery::new("outlet".into(), false)),
        ),
    ]));
    Box::new(BooleanQuery::new(vec![
        (Occur::Should, named),
        (Occur::Should, without),
    ]))
}

/// Documents of articles in a date bucket.
fn date_bucket(f: &Fields, bucket: DateBucket) -> Box<dyn Query> {
    match bucket {
        DateBucket::Unknown => term(f.date_source, DATE_UNKNOWN),
        DateBucket::Within(d) => {
            let at = |d: Date| {
                Term::from_field_date_for_search(
                    f.date,
                    DateTime::from_timestamp_secs(d.timestamp_secs()),
                )
            };
            Box::new(RangeQuery::new(
                Bound::Included(at(d)),
                Bound::Included(at(d.last_day())),
            ))
        }
    }
}

/// A clause that restricts without adding score.
fn filter(q: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(q, 0.0))
}

fn filter_clauses(
    f: &Fields,
    filters: &Filters,
    warnings: &mut Vec<String>,
) -> Result<Vec<(Occur, Box<dyn Query>)>> {
    let mut out = Vec::new();
    let outlets: Vec<&String> = filters
        .outlets
        .iter()
        .filter(|o| !o.trim().is_empty())
        .collect();
    if !outlets.is_empty() {
        let any = outlets
            .iter()
            .map(|o| (Occur::Should, outlet(f, o)))
            .collect();
        out.push((Occur::Must, filter(Box::new(BooleanQuery::new(any)))));
    }
    if !filters.dates.is_empty() {
        let any = filters
            .dates
            .iter()
            .map(|d| (Occur::Should, date_bucket(f, *d)))
            .collect();
        out.push((Occur::Must, filter(Box::new(BooleanQuery::new(any)))));
    }
    if !filters.langs.is_empty() {
        let any = filters
            .langs
            .iter()
            .map(|l| (Occur::Should, term(f.lang, l)))
            .collect();
        out.push((Occur::Must, filter(Box::new(BooleanQuery::new(any)))));
    }
    if let (Some(since), Some(until)) = (filters.since, filters.until) {
        if since > until.last_day() {
            return Err(Error::InvalidArgument(format!(
                "--since {since} is after --until {until}"
            )));
        }
    }
    if filters.since.is_none() && filters.until.is_none() {
        if filters.undated {
            warnings.push("--undated has no effect without --since or --until".into());
        }
        return Ok(out);
    }
    let bound = |d: Option<Date>| match d {
        Some(d) => Bound::Included(Term::from_field_date_for_search(
            f.date,
            DateTime::from_timestamp_secs(d.timestamp_secs()),
        )),
        None => Bound::Unbounded,
    };
    // A month or year as `until` includes its last day; stored partial dates sit on their
    // first day (see crate::date).
    let until = filters.until.map(crate::date::Date::last_day);
    let range: Box<dyn Query> = Box::new(RangeQuery::new(bound(filters.since), bound(until)));
    let dates = if filters.undated {
        Box::new(BooleanQuery::new(vec![
            (Occur::Should, range),
            (Occur::Should, term(f.date_source, DATE_UNKNOWN)),
        ]))
    } else {
        range
    };
    out.push((Occur::Must, filter(dates)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_brackets_outside_quotes() {
        assert_eq!(nesting_depth("a (b (c)) (d)"), 2);
        assert_eq!(nesting_depth("\"((((\" x"), 0);
        assert_eq!(nesting_depth(")))((("), 3);
    }

    #[test]
    fn limits_refuse_before_parsing() {
        let l = Limits::default();
        let deep = format!("{}x{}", "(".repeat(2000), ")".repeat(2000));
        assert!(matches!(l.check_query(&deep), Err(Error::Query(m)) if m.contains("2000 deep")));
        assert!(l.check_query(&"a ".repeat(10_000)).is_err());
        assert!(l.check_query(&"x".repeat(5000)).is_err());
        assert!(l.check_query("Iravani AND (Musk OR Cheung)").is_ok());
        assert!(l.check_window(10_000_000_000, 0, 1).is_err());
        assert!(l.check_window(10, 0, 0).is_err());
        assert!(l.check_window(10, 0, 3).is_ok());
    }

    #[test]
    fn plain_queries_are_bare_words() {
        let plain = |q: &str| is_plain(&query_grammar::parse_query_lenient(q).0);
        assert!(plain("US sanctions") && plain("Iravani"));
        assert!(!plain("\"peace through strength\""));
        assert!(!plain("Iran AND Musk"));
        assert!(!plain("+Iran Musk"));
        assert!(!plain("outlet:Ynetnews Musk"));
        assert!(!plain("Qasem~1") && !plain("Qasem~"));
        assert_eq!(explicit_distance("Qasem~1"), Some(("Qasem", Some(1))));
        assert_eq!(explicit_distance("Qasem~"), Some(("Qasem", None)));
        assert_eq!(explicit_distance("Qasem~7"), None);
    }
}
