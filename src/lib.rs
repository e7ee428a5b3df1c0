//! byline: full-text search for collections of news articles.
//!
//! Data flows one way, one module a stage:
//!
//! 1. [`ingest`] reads folders of `.txt` articles (with an optional `metadata.toml`) and
//!    `.jsonl` records, finds page furniture and text-given metadata, and yields clean
//!    [`ingest::Article`]s, reporting each unusable input as an [`ingest::Skip`].
//! 2. [`passage`] splits each article's content into passages (byte ranges of its text).
//! 3. [`indexer`] runs the indexing: [`document`] writes an article document and one
//!    document per passage into the [`store::Store`] (a tantivy index with byline's
//!    [`schema`] and [`analysis`]), and reads them back.
//! 4. [`query`] turns what a user typed, and its filters, into a tantivy query, within
//!    [`query::Limits`].
//! 5. [`search`] checks the request, runs the query, groups passages by article and attaches
//!    [`highlight`]s; its [`search::hit`] types are the JSON contract.
//! 6. [`output`] renders hits as text or JSON Lines, [`server`] as HTTP; the binary sets the
//!    exit code.

pub mod alerts;
pub mod alias;
pub mod analysis;
pub mod cluster;
pub mod copies;
pub mod date;
pub mod delete;
pub mod document;
pub mod entities;
pub mod error;
pub mod eval;
pub mod eval_copies;
pub mod export;
pub mod facets;
pub mod fnv;
pub mod guard;
pub mod highlight;
pub mod indexer;
pub mod ingest;
pub mod inputs;
pub mod lang;
pub mod output;
pub mod passage;
pub mod query;
pub mod schema;
pub mod screen;
pub mod search;
pub mod server;
pub mod store;
pub mod terminal;
pub mod variants;

pub use error::{Error, Result};
pub use indexer::{index, IndexOptions, IndexReport};
pub use query::{Filters, Limits};
pub use search::{Engine, SearchRequest, SearchResults};
pub use store::Store;

use std::path::Path;

/// Builds the index in `index_dir` from `seeds_dir` when there is none yet: what makes the
/// README's first command work on a fresh clone. Returns the report when it built one.
pub fn ensure_index(
    index_dir: &Path,
    seeds_dir: &Path,
    on_skip: &mut dyn FnMut(&ingest::Skip),
) -> Result<Option<IndexReport>> {
    if Store::exists(index_dir) {
        return Ok(None);
    }
    let store = Store::open_or_create(index_dir)?;
    let options = IndexOptions {
        paths: vec![seeds_dir.to_path_buf()],
        ..IndexOptions::default()
    };
    index(&store, &options, on_skip).map(Some)
}
