//! Highlights and explanations: which bytes of a passage matched, as what, and why.
//!
//! The passage is re-analyzed and each word compared with every query word's plan (the
//! forms [`crate::query::compile`] built the query from): exact form, stem, transliteration
//! key, edit variant or alias. Ranges are UTF-8 byte offsets into the passage text and cover
//! the word as printed ("U.S." for the query "US", "Arghachi" for "Araghchi").

use serde::{Deserialize, Serialize};
use tantivy::tokenizer::TextAnalyzer;

use crate::analysis::{self, Stems};
use crate::query::WordPlan;
use crate::variants;

/// A highlighted byte range `[start, end)` of a passage's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// Start, UTF-8 byte offset into the passage text.
    pub start: usize,
    /// End (exclusive), UTF-8 byte offset into the passage text.
    pub end: usize,
}

/// One query word's match in a passage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Matched {
    /// The query word (or alias phrase) as typed.
    pub word: String,
    /// The form printed in the passage.
    pub form: String,
    /// How it matched: `exact`, `stem`, `fold`, `edit:N`, `alias` or `script`.
    pub how: String,
}

/// Marks a query's words in passage texts.
pub struct Highlighter<'p> {
    plan: &'p [WordPlan],
    /// [`analysis::normalized_index`]: the unfolded words, which the stemmers read; each
    /// folded is the exact word.
    normalized: TextAnalyzer,
    /// Stemmers by language code, made as passages in each language come.
    stems: std::collections::HashMap<String, Stems>,
    /// [`analysis::name_scripts`], when some word of the plan has cross-script keys.
    scripts: Option<TextAnalyzer>,
}

impl<'p> Highlighter<'p> {
    /// A highlighter for a compiled query's plan.
    pub fn new(plan: &'p [WordPlan]) -> Highlighter<'p> {
        Highlighter {
            plan,
            normalized: analysis::normalized_index(),
            stems: std::collections::HashMap::new(),
            scripts: plan
                .iter()
                .any(|w| !w.scripts.is_empty())
                .then(analysis::name_scripts),
        }
    }

    /// The matched ranges of `text`, a passage in language `lang` (sorted, merged), and what
    /// matched how (first seen first).
    pub fn mark(&mut self, text: &str, lang: &str) -> (Vec<Span>, Vec<Matched>) {
        let stems = self
            .stems
            .entry(lang.to_string())
            .or_insert_with(|| Stems::new(lang));
        // One pass: the unfolded words, and each folded as the exact analyzer would.
        let raws = analysis::terms(&mut self.normalized, text);
        let tokens: Vec<(String, std::ops::Range<usize>)> = raws
            .iter()
            .map(|(raw, range)| (analysis::fold(raw).into_owned(), range.clone()))
            .collect();
        let mut ranges = Vec::new();
        let mut matched: Vec<Matched> = Vec::new();
        let mut note = |word: &str, form: &str, how: String| {
            let m = Matched {
                word: word.to_string(),
                form: form.to_string(),
                how,
            };
            if !matched.contains(&m) {
                matched.push(m);
            }
        };
        for (i, (term, range)) in tokens.iter().enumerate() {
            let printed = &text[range.clone()];
            let stem = stems.stem(&raws[i].0);
            let name_like = printed.starts_with(char::is_uppercase) && !variants::is_common(term);
            for w in self.plan {
                let how = if !w.exact.is_empty() && w.exact == *term {
                    Some("exact".to_string())
                } else if w.stems.iter().any(|(code, s)| code == lang && s == &stem) {
                    Some("stem".to_string())
                } else if name_like
                    && w.fold
                        .as_deref()
                        .is_some_and(|f| f == variants::fold_key(term))
                {
                    Some("fold".to_string())
                } else {
                    w.edits
                        .iter()
                        .find(|(v, _)| v == term)
                        .map(|(_, d)| format!("edit:{d}"))
                };
                if let Some(how) = how {
                    ranges.push(range.clone());
                    note(&w.query, printed, how);
                }
            }
        }
        if let Some(analyzer) = self.scripts.as_mut() {
            for (key, range) in analysis::terms(analyzer, text) {
                for w in self.plan.iter().filter(|w| w.scripts.contains(&key)) {
                    note(&w.query, &text[range.clone()], "script".into());
                    ranges.push(range.clone());
                }
            }
        }
        for w in self.plan {
            for form in &w.aliases {
                let n = form.words.len();
                for window in tokens.windows(n) {
                    if window.iter().map(|(t, _)| t).eq(form.words.iter()) {
                        let range = window[0].1.start..window[n - 1].1.end;
                        note(&w.query, &text[range.clone()], "alias".into());
                        ranges.push(range);
                    }
                }
            }
        }
        ranges.sort_by_key(|r| (r.start, r.end));
        let mut spans: Vec<Span> = Vec::new();
        for r in ranges {
            match spans.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => spans.push(Span {
                    start: r.start,
                    end: r.end,
                }),
            }
        }
        (spans, matched)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alias::Form;

    fn plan(query: &str, exact: &str) -> WordPlan {
        WordPlan {
            query: query.into(),
            exact: exact.into(),
            stems: vec![("en".into(), Stems::new("en").stem(exact))],
            fold: variants::is_eligible(exact).then(|| variants::fold_key(exact)),
            edits: Vec::new(),
            aliases: Vec::new(),
            scripts: Vec::new(),
        }
    }

    fn cut<'a>(text: &'a str, spans: &[Span]) -> Vec<&'a str> {
        spans.iter().map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn marks_printed_forms_of_stems_and_acronyms() {
        let text =
            "Iranian officials suggested Musk seek sanctions exemptions from the U.S. Treasury";
        let p = [plan("sanction", "sanction"), plan("US", "us")];
        let (spans, matched) = Highlighter::new(&p).mark(text, "en");
        assert_eq!(cut(text, &spans), ["sanctions", "U.S."]);
        assert_eq!(
            matched[0],
            Matched {
                word: "sanction".into(),
                form: "sanctions".into(),
                how: "stem".into()
            }
        );
        assert_eq!(
            matched[1],
            Matched {
                word: "US".into(),
                form: "U.S.".into(),
                how: "exact".into()
            }
        );
    }

    #[test]
    fn a_variant_spelling_is_marked_and_explained() {
        let text = "Foreign Minister Abbas Arghachi have hinted at a potential diplomatic opening.";
        let p = [plan("Araghchi", "araghchi")];
        let (spans, matched) = Highlighter::new(&p).mark(text, "en");
        assert_eq!(cut(text, &spans), ["Arghachi"]);
        assert_eq!(
            matched,
            [Matched {
                word: "Araghchi".into(),
                form: "Arghachi".into(),
                how: "fold".into()
            }]
        );
    }

    #[test]
    fn edit_variants_and_aliases_are_labelled() {
        let text = "the United Nations and Qassem";
        let mut w = plan("Qasem", "qasem");
        w.fold = None;
        w.edits = vec![("qassem".into(), 1)];
        let mut un = plan("UN", "un");
        un.aliases = vec![Form {
            words: vec!["united".into(), "nations".into()],
            text: "United Nations".into(),
        }];
        let p = [w, un];
        let (spans, matched) = Highlighter::new(&p).mark(text, "en");
        assert_eq!(cut(text, &spans), ["United Nations", "Qassem"]);
        let how: Vec<&str> = matched.iter().map(|m| m.how.as_str()).collect();
        assert_eq!(how, ["edit:1", "alias"]);
    }

    #[test]
    fn a_lower_case_word_never_matches_by_fold() {
        // "said" folds like "Saeid", but a common lower-case word is not a name.
        let text = "Iranian sources said.";
        let (spans, _) = Highlighter::new(&[plan("Saeid", "saeid")]).mark(text, "en");
        assert!(spans.is_empty());
    }
}
