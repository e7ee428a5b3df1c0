//! Removing articles from the index: by id (`byline delete`), and those whose files are gone
//! from the folders a run reads (`index --prune`).
//!
//! Every document of an article carries its key ([`schema::article_key`]), so one delete
//! term removes the article and its passages. Both commit once, durably, like `index`; a
//! running server sees the change at its next reload.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tantivy::schema::Value;
use tantivy::{IndexWriter, TantivyDocument, Term};

use crate::document::{field, StoredArticle};
use crate::error::Result;
use crate::indexer;
use crate::schema;
use crate::store::Store;

/// What `byline delete` did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DeleteReport {
    /// Ids removed.
    pub deleted: Vec<String>,
    /// Ids the index does not hold.
    pub unknown: Vec<String>,
}

/// Removes the articles with these ids, and commits once. Unknown ids are listed, not
/// an error.
pub fn delete_ids(store: &Store, ids: &[String]) -> Result<DeleteReport> {
    let live = indexer::live_keys(store)?;
    let mut writer = indexer::open_writer(store, 1, 15)?;
    let mut report = DeleteReport::default();
    let mut done = HashSet::new();
    for id in ids {
        let key = schema::article_key(id);
        if !live.contains(&key) {
            report.unknown.push(id.clone());
        } else if done.insert(key) {
            writer.delete_term(Term::from_field_u64(store.fields().article_key, key));
            report.deleted.push(id.clone());
        }
    }
    if !report.deleted.is_empty() {
        indexer::commit_durably(&mut writer, store)?;
    }
    Ok(report)
}

/// An article as stored: its key, id and the file it came from.
struct Source {
    key: u64,
    id: String,
    file: PathBuf,
}

/// Every article's key, id and source file, as of the last commit (reads each stored
/// article: a cost paid by `--prune` only).
fn sources(store: &Store) -> Result<Vec<Source>> {
    let f = store.fields();
    let searcher = store.reader()?.searcher();
    let mut out = Vec::new();
    for reader in searcher.segment_readers() {
        let docs = reader
            .get_store_reader(16)
            .map_err(|e| crate::Error::Tantivy(e.into()))?;
        // Only article documents carry a content hash.
        let hashes = reader.fast_fields().u64(field::CONTENT_HASH)?;
        for doc in 0..reader.max_doc() {
            let alive = reader.alive_bitset().is_none_or(|a| a.is_alive(doc));
            if !alive || hashes.first(doc).is_none() {
                continue;
            }
            let d: TantivyDocument = docs.get(doc)?;
            let id = d
                .get_first(f.id)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            let stored: Option<StoredArticle> = d
                .get_first(f.meta)
                .and_then(|v| v.as_str())
                .and_then(|m| serde_json::from_str(m).ok());
            let file = stored.map(|s| s.source).unwrap_or_default();
            out.push(Source {
                key: schema::article_key(&id),
                id,
                file,
            });
        }
    }
    Ok(out)
}

/// For `index --prune`: deletes (in `writer`, uncommitted) every article from a file under
/// `under` that this run did not read (its key not in `seen`). When `missing_only`, only
/// articles whose file no longer exists go: a run that skipped inputs cannot tell a record
/// that is gone from one it failed to read. Returns the ids deleted, sorted.
pub(crate) fn prune(
    store: &Store,
    writer: &IndexWriter<TantivyDocument>,
    under: &[PathBuf],
    seen: &HashSet<u64>,
    missing_only: bool,
) -> Result<Vec<String>> {
    let roots: Vec<PathBuf> = under.iter().map(|p| crate::ingest::absolute(p)).collect();
    let mut gone = Vec::new();
    for s in sources(store)? {
        let under_root =
            !s.file.as_os_str().is_empty() && roots.iter().any(|r| s.file.starts_with(r));
        if !under_root || seen.contains(&s.key) {
            continue;
        }
        if missing_only && exists(&s.file) {
            continue;
        }
        writer.delete_term(Term::from_field_u64(store.fields().article_key, s.key));
        gone.push(s.id);
    }
    gone.sort();
    Ok(gone)
}

fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}
