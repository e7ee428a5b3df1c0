//! From what the user typed to a tantivy query: limits, lenient parsing, ranking boosts and
//! filters.
//!
//! The query syntax is tantivy's grammar (AND, OR, NOT, `+`/`-`, `"phrase"`, `"phrase"~N`,
//! `word~N`, `outlet:name`, `^boost`), turned into queries here rather than by tantivy's
//! QueryParser, so that each word can carry its variants. A bare word matches its exact form
//! (weighted [`EXACT_BOOST`]), its stem, and, when [`crate::variants::is_eligible`], its
//! transliteration key and edit variants among the index's names, plus its aliases; variants
//! score with the word's own statistics and lower weights ([`AnchoredStats`]), so they never
//! outrank the exact form. By default every word counts and none is required.
//! For a plain query of several words (no operators, quotes or fields), passages holding all
//! the words, and holding them within a few words of each other, get extra score.
//!
//! Before anything reaches tantivy the query is checked against [`Limits`]: its parser
//! overflows the stack on deeply nested brackets (killing the process), and huge top-k values
//! make it allocate without bound.

mod build;
mod filter;
mod rank;
pub mod shape;

pub use filter::{any_facet, days, languages, mentions, DateBucket, Filters};
pub use rank::{
    edit_boost, AnchoredStats, ALIAS_BOOST, ALL_WORDS_BOOST, EXACT_BOOST, FOLD_BOOST,
    PROXIMITY_BOOST, PROXIMITY_SLOP, QUERY_LANGUAGE_BOOST, SCRIPT_BOOST,
};

use std::collections::{HashMap, HashSet};

use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::query_grammar::{self, Delimiter, UserInputAst, UserInputLeaf};
use tantivy::{Searcher, Term};

use crate::alias::{Aliases, Form};
use crate::analysis::{self, Stems};
use crate::error::{Error, Result};
use crate::schema::KIND_PASSAGE;
use crate::store::Store;
use build::Builder;
use rank::{closeness_boosts, weighted};

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
    /// A date-sorted search matching at least this many articles looks for its page in
    /// windows of the newest (or oldest) days first; below it, it scores every match.
    pub date_window_from: u64,
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
            date_window_from: 5_000,
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

/// How to read a query.
#[derive(Debug, Clone, Copy, Default)]
pub struct QueryOptions {
    /// Require every word (AND) instead of "every word counts, none required".
    pub all_words: bool,
    /// No variants and no aliases: only exact and stemmed forms match.
    pub exact: bool,
    /// Spelling variants and aliases, but no forms printed in another script.
    pub no_scripts: bool,
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
    /// Cross-script keys looked up ([`crate::analysis::script`]): forms printed in another
    /// script that have them match.
    pub scripts: Vec<String>,
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
    /// Stem term → the same word's stem terms in every language searched ([`AnchoredStats`]).
    pub pools: HashMap<Term, Vec<Term>>,
    /// Only these articles (by key), from `--entity` filters; applied while grouping.
    pub articles: Option<HashSet<u64>>,
    /// Parts of the query that were ignored, and why.
    pub warnings: Vec<String>,
}

impl Compiled {
    /// The statistics this query scores with on `searcher` ([`AnchoredStats`]).
    pub fn stats<'a>(&'a self, searcher: &'a Searcher) -> AnchoredStats<'a> {
        AnchoredStats {
            searcher,
            anchors: &self.anchors,
            pools: &self.pools,
        }
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
        pools: HashMap::new(),
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
        quiet_function_words: build::mixes_function_words(text),
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
    let filter::Restriction {
        clauses: mut restrictions,
        articles,
    } = filter::compile(searcher, f, filters, &mut warnings)?;
    if builder.needs_kind {
        restrictions.push((
            Occur::Must,
            filter::filter(filter::term(f.kind, KIND_PASSAGE)),
        ));
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
    // A query whose letters show its language (Persian's ی, Arabic's ي) prefers articles in
    // it over equally good matches in a language folded onto it.
    let prefer = if filters.langs.is_empty() {
        crate::lang::of_query(text)
            .filter(|code| builder.stems.iter().any(|(searched, _)| searched == code))
    } else {
        None
    };
    let plain = is_plain(&ast);
    // The preference is not in the flat union, so such a query is scored in full.
    let flat = (plain
        && prefer.is_none()
        && builder.flat_ok
        && !options.all_words
        && !builder.flat.is_empty())
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
    if let Some(code) = prefer {
        clauses.push((
            Occur::Should,
            shape::constant(filter::term(f.lang, code), QUERY_LANGUAGE_BOOST),
        ));
    }
    clauses.extend(restrict());
    Ok(Compiled {
        query: Box::new(BooleanQuery::new(clauses)),
        matches: Box::new(BooleanQuery::new(matches)),
        flat,
        plan: builder.plan,
        anchors: builder.anchors,
        pools: builder.pools,
        articles,
        warnings,
    })
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
pub(super) fn explicit_distance(phrase: &str) -> Option<(&str, Option<u8>)> {
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
