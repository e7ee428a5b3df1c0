//! Similar articles: the articles closest to one by its most significant terms and the
//! entities it mentions ("more like this"), its own copies set apart.
//!
//! The terms are the article's own text analysed as its passages were (stems of its
//! language) plus its entity facets, weighed by frequency in the article times rarity in the
//! index (tantivy's `MoreLikeThisQuery`, the method of Lucene's); the 30 best make a query
//! over the passages, and articles rank by their best passage, as a search's do. An article
//! of the same copy cluster prints the same text: it is listed under `copies`, not ranked.

use serde::Serialize;
use tantivy::query::MoreLikeThisQuery;
use tantivy::schema::OwnedValue;
use tantivy::Term;

use super::collect::GroupByArticle;
use super::{ArticleInfo, Engine};
use crate::document;
use crate::error::{Error, Result};

/// Terms a similarity query is made of.
const TERMS: usize = 30;

/// The articles most like one.
#[derive(Debug, Clone, Serialize)]
pub struct Similar {
    /// The article asked about.
    pub id: String,
    /// Its copies (the same text elsewhere), by id.
    pub copies: Vec<String>,
    /// The closest others, best first.
    pub similar: Vec<SimilarArticle>,
}

/// One article like another.
#[derive(Debug, Clone, Serialize)]
pub struct SimilarArticle {
    /// 1-based rank.
    pub rank: usize,
    /// Its best passage's score under the similarity query.
    pub score: f32,
    /// The article.
    #[serde(flatten)]
    pub article: ArticleInfo,
    /// Its headline, as a hit's ([`super::hit::headline`]).
    pub headline: String,
}

impl Engine {
    /// The `limit` articles most like article `id`, and its copies apart.
    pub fn similar(&self, id: &str, limit: usize) -> Result<Similar> {
        if limit == 0 || limit > self.limits.max_limit {
            return Err(Error::InvalidArgument(format!(
                "limit {limit} is out of range: 1 to {}",
                self.limits.max_limit
            )));
        }
        let searcher = self.reader.searcher();
        let f = self.store.fields();
        let read = document::load(&searcher, f, Term::from_field_text(f.id, id), id)?;
        let lang = document::article_lang(&read.stored.meta).to_string();
        let mut fields = vec![(
            f.text,
            vec![OwnedValue::Str(crate::analysis::stemmed_value(
                &lang, &read.text,
            ))],
        )];
        let entities: Vec<OwnedValue> = read
            .stored
            .entities
            .iter()
            .map(|e| {
                OwnedValue::Facet(tantivy::schema::Facet::from_path([
                    e.kind.name(),
                    e.name.as_str(),
                ]))
            })
            .collect();
        if !entities.is_empty() {
            fields.push((f.entity, entities));
        }
        let query = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(1)
            .with_min_term_frequency(1)
            .with_max_query_terms(TERMS)
            .with_min_word_length(2)
            .with_document_fields(fields);
        let grouped = searcher.search(
            &query,
            &GroupByArticle {
                per_article: 1,
                allowed: None,
                layouts: &self.layouts,
            },
        )?;
        let cluster = read.stored.cluster;
        let copies: Vec<String> = self
            .copies(id)?
            .copies
            .into_iter()
            .map(|c| c.article.id)
            .collect();
        let mut similar = Vec::new();
        for group in grouped.groups.iter().filter(|g| g.cluster != cluster) {
            if similar.len() == limit {
                break;
            }
            let other = document::load(
                &searcher,
                f,
                Term::from_field_u64(f.article_key, group.key),
                &group.key.to_string(),
            )?;
            similar.push(SimilarArticle {
                rank: similar.len() + 1,
                score: group.best(),
                headline: super::hit::headline_of(&other),
                article: ArticleInfo::new(other.id, &other.stored),
            });
        }
        Ok(Similar {
            id: read.id,
            copies,
            similar,
        })
    }
}
