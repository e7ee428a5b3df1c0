//! Export: every article a query matches, handed over one at a time, for files and feeds
//! that want all of them (a search's pages stop at its deepest offset).
//!
//! The whole match set is scored once and grouped by article, as a search does without its
//! pruned path; what stays in memory is a small record per matching article (its key, copy
//! cluster, date and its best passages' numbers and scores). Texts are read, highlighted and
//! handed on one article at a time, so an export of a million articles holds one text.

use std::time::Instant;

use super::collect::{GroupByArticle, Grouped, Totals};
use super::{stories, Engine, Hit, SearchRequest, Summary};
use crate::error::Result;
use crate::highlight::Highlighter;
use crate::query;

impl Engine {
    /// Every article `req` matches, with its filters, order and collapse (its limit and
    /// offset do not apply), each with its best `req.passages` passages (any number), handed
    /// to `each` in order with the number of articles to be handed over; an error from
    /// `each` stops the export and is returned. The summary counts what was handed over
    /// (`returned`; `limit` is the same number).
    pub fn export(
        &self,
        req: &SearchRequest,
        each: &mut dyn FnMut(Hit, usize) -> Result<()>,
    ) -> Result<Summary> {
        let started = Instant::now();
        let searcher = self.reader.searcher();
        let (mut grouped, compiled) = self.every_match(&searcher, req, req.passages)?;
        let totals = Totals::of(&grouped);
        req.sort.apply(&mut grouped.groups);
        let shown: Vec<_> = if req.collapse {
            stories(&grouped.groups)
        } else {
            grouped.groups.iter().collect()
        };
        let mut highlighter = Highlighter::new(&compiled.plan);
        for (i, group) in shown.iter().enumerate() {
            each(
                self.hit(&searcher, &searcher, group, i + 1, &mut highlighter)?,
                shown.len(),
            )?;
        }
        Ok(Summary {
            query: req.query.clone(),
            articles: totals.articles,
            stories: totals.stories,
            collapse: req.collapse,
            sort: req.sort,
            passages: totals.passages,
            total_exact: true,
            returned: shown.len(),
            offset: 0,
            limit: shown.len(),
            exact: req.exact,
            elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
            warnings: compiled.warnings,
            facets: None,
            next_cursor: None,
        })
    }

    /// Every article `req` matches (its query and filters; no page window), each with its
    /// best `per_article` passages, ranked by relevance; and the compiled query. The
    /// request's checks apply, bar the page window and the passage cap.
    pub(super) fn every_match(
        &self,
        searcher: &tantivy::Searcher,
        req: &SearchRequest,
        per_article: usize,
    ) -> Result<(Grouped, query::Compiled)> {
        let mut checked = req.clone();
        (checked.limit, checked.offset, checked.passages) = (1, 0, 1);
        checked.validate(&self.limits)?;
        let compiled = self.compile(searcher, req)?;
        let stats = compiled.stats(searcher);
        let grouped = searcher.search_with_statistics_provider(
            &compiled.query,
            &GroupByArticle {
                per_article: per_article.max(1),
                allowed: compiled.articles.clone().map(std::sync::Arc::new),
                layouts: &self.layouts,
            },
            &stats,
        )?;
        Ok((grouped, compiled))
    }
}
