//! Indexing runs: reading the inputs, writing each article ([`crate::document::write`]),
//! committing durably, and reporting.
//!
//! Re-indexing an article replaces it: all documents with its key (the hash of its id) are
//! deleted before its new
//! ones are added, in the same commit, so running `byline index` twice leaves the same
//! counts. Commits land every [`COMMIT_EVERY`] articles (`--commit-every`) and at the end, each carrying the
//! schema version; what a commit published stays searchable whatever happens after it. After
//! each commit the index folder is synced, so a commit also survives a power loss.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::Serialize;
use tantivy::directory::error::LockError;
use tantivy::{IndexWriter, TantivyDocument, TantivyError};

use crate::document;
use crate::entities::{entities_of, Gazetteer};
use crate::error::{Error, Result};
use crate::ingest::{Corpus, Skip};
use crate::schema::{self, KeyMap, SCHEMA_VERSION};
use crate::store::Store;

/// Articles per commit: a crash loses at most this many articles' work.
pub const COMMIT_EVERY: u64 = 10_000;
/// Default indexing memory budget, in MiB, shared by the writer threads.
pub const DEFAULT_MEMORY_MIB: usize = 512;
/// Default bound on one article file or record, in MiB: far above any real article, low
/// enough that one runaway file cannot exhaust memory.
pub const DEFAULT_MAX_FILE_MIB: u64 = 32;

/// What to index and how.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// Folders and files to read.
    pub paths: Vec<PathBuf>,
    /// Writer memory budget in MiB (at least 15 per thread).
    pub memory_mib: usize,
    /// Writer threads; 0 picks the number of cores (at most 8).
    pub threads: usize,
    /// Draw a progress bar on stderr (only where stderr is a terminal).
    pub progress: bool,
    /// Index the name fields that spelling variants match against. Without them the index
    /// is smaller and faster to build, and only exact, stem and alias forms can match.
    pub names: bool,
    /// Find entities (people, organisations, places) and index them as facets.
    pub entities: bool,
    /// A gazetteer file to add to the built-in one.
    pub gazetteer: Option<PathBuf>,
    /// Rewrite every article, even those the index holds unchanged.
    pub force: bool,
    /// Articles per commit (at least 1).
    pub commit_every: u64,
    /// The language of articles whose metadata names none (no detection); None detects.
    pub lang: Option<String>,
    /// The largest article file or record read, in bytes; larger ones are skipped.
    pub max_file_bytes: u64,
    /// Remove the articles from under `paths` that this run did not read ([`crate::delete`]).
    pub prune: bool,
    /// Set (to the signal's number) when the run should stop: it stops at the next
    /// article, commits what it wrote, and reports [`IndexReport::stopped`].
    pub stop: Option<std::sync::Arc<std::sync::atomic::AtomicUsize>>,
}

impl IndexOptions {
    /// Checks that the paths hold something to index, before anything is written: a path
    /// that does not exist, or paths with no article or record file, are an error.
    pub fn check_inputs(&self) -> Result<()> {
        let corpus = Corpus::collect(&self.paths);
        if corpus.file_count() > 0 {
            return Ok(());
        }
        let why: Vec<String> = corpus.problems.iter().map(ToString::to_string).collect();
        let shown: Vec<String> = self.paths.iter().map(|p| p.display().to_string()).collect();
        Err(Error::InvalidArgument(if why.is_empty() {
            format!(
                "nothing to index in {}: no article (.txt) or record file (.jsonl, .ndjson, .jl, .json, each also .gz)",
                shown.join(", ")
            )
        } else {
            format!("nothing to index: {}", why.join("; "))
        }))
    }
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            paths: vec![PathBuf::from("seeds")],
            memory_mib: DEFAULT_MEMORY_MIB,
            threads: 0,
            progress: false,
            names: true,
            entities: true,
            gazetteer: None,
            force: false,
            commit_every: COMMIT_EVERY,
            lang: None,
            max_file_bytes: DEFAULT_MAX_FILE_MIB * 1024 * 1024,
            prune: false,
            stop: None,
        }
    }
}

/// What one indexing run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IndexReport {
    /// Articles read and indexed (written) by this run.
    pub articles: u64,
    /// Articles read that the index already held unchanged, so were not written again.
    pub unchanged: u64,
    /// Passages written by this run.
    pub passages: u64,
    /// Furniture spans kept out of passages.
    pub furniture: u64,
    /// Inputs that were not indexed.
    pub skipped: Vec<Skip>,
    /// What was indexed, but not wholly as given: a metadata value that could not be read
    /// (`origin: what`; the field is left unknown), a word a stemmer failed on (unstemmed).
    pub warnings: Vec<String>,
    /// Metadata keys byline does not read, kept as each article's `extra`, with how many
    /// articles had each.
    pub extra_keys: std::collections::BTreeMap<String, u64>,
    /// Files in the folders read that are not articles or records, by extension.
    pub not_read: std::collections::BTreeMap<String, u64>,
    /// What was read but not used (unknown top-level keys of metadata files).
    pub notes: Vec<String>,
    /// Ids of the articles `--prune` removed, sorted.
    pub pruned: Vec<String>,
    /// The signal that stopped the run early (what was written is committed), if any.
    pub stopped: Option<usize>,
    /// Articles in the index after the run.
    pub index_articles: u64,
    /// Passages in the index after the run.
    pub index_passages: u64,
    /// Wall time.
    #[serde(serialize_with = "ser_secs")]
    pub elapsed: Duration,
}

fn ser_secs<S: serde::Serializer>(d: &Duration, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

/// Indexes the inputs into `store`, reporting each skipped input to `on_skip` as it is found.
pub fn index(
    store: &Store,
    options: &IndexOptions,
    on_skip: &mut dyn FnMut(&Skip),
) -> Result<IndexReport> {
    let started = Instant::now();
    let threads = match options.threads {
        0 => std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .min(8),
        n => n,
    };
    let mut writer = open_writer(store, threads, options.memory_mib)?;
    let gazetteer = match (&options.entities, &options.gazetteer) {
        (false, _) => None,
        (true, Some(path)) => Some(Gazetteer::with_file(path)?),
        (true, None) => Some(Gazetteer::builtin()),
    };
    let mut corpus = Corpus::collect(&options.paths);
    corpus.default_lang = options.lang.clone();
    corpus.max_file_bytes = options.max_file_bytes;
    corpus.stop = options.stop.clone();
    // Same paths and options, every file as recorded, the index untouched since: nothing
    // changed, nothing is read (see crate::inputs).
    let run_key = run_key(options);
    let files = {
        let deps: Vec<_> = corpus.dependencies().collect();
        crate::inputs::fingerprint(deps.iter().map(|p| p.as_ref()))
    };
    let opstamp = store.index().load_metas()?.opstamp;
    if let Some(last) = crate::inputs::recorded(store.path(), &run_key) {
        let same = last.files == files && last.opstamp == opstamp;
        if same && !options.force && corpus.problems.is_empty() {
            let (articles, passages) = document::counts(store)?;
            return Ok(IndexReport {
                unchanged: last.articles,
                not_read: corpus.unread.clone(),
                notes: vec![format!(
                    "no input changed since the last run over these paths: {} files not read",
                    corpus.file_count()
                )],
                index_articles: articles,
                index_passages: passages,
                elapsed: started.elapsed(),
                ..IndexReport::default()
            });
        }
    }
    let bar = Progress::new(options.progress, corpus.article_count());
    let mut clusterer = crate::copies::Clusterer::new(store)?;
    // What the index holds already: a re-run (say after a crash) only writes what changed.
    let known = if options.force {
        KeyMap::default()
    } else {
        document::known_hashes(store)?
    };
    let mut report = IndexReport {
        articles: 0,
        unchanged: 0,
        passages: 0,
        furniture: 0,
        skipped: Vec::new(),
        warnings: Vec::new(),
        extra_keys: Default::default(),
        not_read: corpus.unread.clone(),
        notes: corpus.notes.clone(),
        pruned: Vec::new(),
        stopped: None,
        index_articles: 0,
        index_passages: 0,
        elapsed: Duration::ZERO,
    };
    let mut failure: Option<Error> = None;
    let mut pending = 0u64;
    // Each commit of this run takes the next batch number (see Store::batch).
    let mut batch = store.batch()? + 1;
    let mut seen: std::collections::HashSet<u64> = std::collections::HashSet::new();
    crate::analysis::stem::take_failures();
    corpus.articles(
        gazetteer.as_ref(),
        &mut |article| {
            if failure.is_some() || corpus.stopped() {
                return;
            }
            bar.inc();
            for w in &article.warnings {
                report.warnings.push(format!("{}: {w}", article.origin));
            }
            for key in article.meta.extra.keys() {
                *report.extra_keys.entry(key.clone()).or_default() += 1;
            }
            let entities = entities_of(&article.mentions);
            let hash = document::hash(&article, &entities);
            if options.prune {
                seen.insert(schema::article_key(&article.id));
            }
            if known.get(&schema::article_key(&article.id)) == Some(&hash) {
                report.unchanged += 1;
                return;
            }
            report.furniture += article.furniture.len() as u64;
            match document::write(
                &writer,
                &mut clusterer,
                &article,
                entities,
                options.names,
                hash,
                batch,
            ) {
                Ok(passages) => {
                    report.articles += 1;
                    report.passages += passages;
                    pending += 1;
                }
                Err(e) => failure = Some(cause(&mut writer, e)),
            }
            if failure.is_none() && pending >= options.commit_every.max(1) {
                pending = 0;
                if let Err(e) = clusterer
                    .flush()
                    .and_then(|()| commit(&mut writer, store.path(), batch))
                    .and_then(|()| clusterer.committed(store))
                {
                    failure = Some(e);
                }
                batch += 1;
            }
        },
        &mut |skip| {
            bar.inc();
            on_skip(&skip);
            report.skipped.push(skip);
        },
    );
    if let Some(e) = failure {
        return Err(write_failed(store, e));
    }
    report.stopped = corpus.stop_signal();
    // A stopped run read only part of the inputs: it cannot tell what is gone.
    if options.prune && report.stopped.is_none() {
        let missing_only = !report.skipped.is_empty();
        report.pruned = crate::delete::prune(store, &writer, &options.paths, &seen, missing_only)?;
    }
    clusterer
        .flush()
        .and_then(|()| commit(&mut writer, store.path(), batch))
        .map_err(|e| write_failed(store, e))?;
    writer
        .wait_merging_threads()
        .map_err(|e| write_failed(store, e.into()))?;
    bar.finish();
    report.warnings.extend(crate::analysis::stem::failures_line(
        &crate::analysis::stem::take_failures(),
    ));
    if report.skipped.is_empty() && report.stopped.is_none() {
        let read = report.articles + report.unchanged;
        let opstamp = store.index().load_metas()?.opstamp;
        crate::inputs::record(
            store.path(),
            &run_key,
            crate::inputs::Recorded {
                files,
                opstamp,
                articles: read,
            },
        );
    }
    let (articles, passages) = document::counts(store)?;
    report.index_articles = articles;
    report.index_passages = passages;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Progress of a run on stderr: a bar with a total and an ETA where the article count is
/// known (every input a `.txt` file), else a counter; whole-number rates. When stderr is not
/// a terminal (a log), one line every [`LOG_EVERY`] instead, so long runs are never silent.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    log: bool,
    total: Option<u64>,
    done: std::cell::Cell<u64>,
    started: Instant,
    last_line: std::cell::Cell<Instant>,
}

/// How often a progress line is written when stderr is not a terminal.
const LOG_EVERY: Duration = Duration::from_secs(10);

impl Progress {
    fn new(enabled: bool, total: Option<u64>) -> Progress {
        use std::io::IsTerminal;
        let terminal = std::io::stderr().is_terminal();
        let bar = (enabled && terminal).then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                total,
                indicatif::ProgressDrawTarget::stderr(),
            );
            let template = if total.is_some() {
                "{bar:30} {pos}/{len} articles, {msg}, {elapsed} elapsed, ETA {eta}"
            } else {
                "{spinner} {pos} articles, {msg}, {elapsed} elapsed"
            };
            let style = indicatif::ProgressStyle::with_template(template)
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner());
            bar.set_style(style);
            bar
        });
        let now = Instant::now();
        Progress {
            bar,
            log: enabled && !terminal,
            total,
            done: std::cell::Cell::new(0),
            started: now,
            last_line: std::cell::Cell::new(now),
        }
    }

    fn inc(&self) {
        let done = self.done.get() + 1;
        self.done.set(done);
        if let Some(bar) = &self.bar {
            bar.inc(1);
            if done % 64 == 1 {
                bar.set_message(format!("{}/s", self.rate()));
            }
        } else if self.log && self.last_line.get().elapsed() >= LOG_EVERY {
            self.last_line.set(Instant::now());
            let of = self.total.map(|t| format!(" of {t}")).unwrap_or_default();
            eprintln!(
                "byline: {done}{of} articles read, {}/s, {} s",
                self.rate(),
                self.started.elapsed().as_secs()
            );
        }
    }

    /// Articles a second so far, as a whole number.
    fn rate(&self) -> u64 {
        let secs = self.started.elapsed().as_secs_f64().max(0.001);
        (self.done.get() as f64 / secs).round() as u64
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish();
        }
    }
}

/// What makes two runs the same run: their paths (absolute) and every option that changes
/// what is written.
fn run_key(options: &IndexOptions) -> String {
    let mut paths: Vec<String> = options
        .paths
        .iter()
        .map(|p| crate::ingest::absolute(p).display().to_string())
        .collect();
    paths.sort();
    let gazetteer = options.gazetteer.as_ref().map(|g| {
        let files = [g.as_path()];
        format!(
            "{}:{}",
            g.display(),
            crate::inputs::fingerprint(files.into_iter())
        )
    });
    let key = format!(
        "{paths:?} names={} entities={} gazetteer={gazetteer:?} lang={:?} max={} schema={SCHEMA_VERSION}",
        options.names, options.entities, options.lang, options.max_file_bytes
    );
    format!("{:016x}", schema::content_hash(&[key.as_bytes()]))
}

/// A writer on the store with `threads` threads sharing `memory_mib` MiB (at least 15 each);
/// a lock held by another writer is [`Error::IndexLocked`].
pub(crate) fn open_writer(
    store: &Store,
    threads: usize,
    memory_mib: usize,
) -> Result<IndexWriter<TantivyDocument>> {
    let memory = memory_mib.max(15 * threads) * 1024 * 1024;
    store
        .index()
        .writer_with_num_threads(threads, memory)
        .map_err(|e| match e {
            TantivyError::LockFailure(LockError::LockBusy, _) => {
                Error::IndexLocked(store.path().to_path_buf())
            }
            other => write_failed(store, other.into()),
        })
}

/// Commits durably ([`commit`]) what writes no article (deletions), keeping the batch
/// number; names what the last commit kept if it fails.
pub(crate) fn commit_durably(
    writer: &mut IndexWriter<TantivyDocument>,
    store: &Store,
) -> Result<()> {
    store
        .batch()
        .and_then(|batch| commit(writer, store.path(), batch))
        .map_err(|e| write_failed(store, e))
}

/// The keys of the articles the index holds, as of the last commit.
pub(crate) fn live_keys(store: &Store) -> Result<std::collections::HashSet<u64>> {
    Ok(document::known_hashes(store)?.into_keys().collect())
}

/// Commits, then syncs the index folder. tantivy publishes a commit by renaming `meta.json`
/// into place but does not sync the folder, so after a power loss the rename (the commit)
/// could be gone even though its files were written; syncing the folder makes it durable.
/// The payload names the schema and the commit's batch number.
fn commit(
    writer: &mut IndexWriter<TantivyDocument>,
    dir: &std::path::Path,
    batch: u64,
) -> Result<()> {
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&crate::store::Payload::ours(batch));
    prepared.commit()?;
    sync_dir(dir)
}

/// The reason behind a failed write. When a writer thread dies (on a full disk, say), tantivy
/// reports only that it died; the thread's own error comes back from the next commit, which
/// then publishes nothing.
fn cause(writer: &mut IndexWriter<TantivyDocument>, e: Error) -> Error {
    match e {
        Error::Tantivy(TantivyError::ErrorInThread(_)) => match writer.prepare_commit() {
            Err(real) => real.into(),
            Ok(_) => e,
        },
        other => other,
    }
}

/// A write error, told with what the index still holds (its last commit).
fn write_failed(store: &Store, e: Error) -> Error {
    let reason = match e {
        Error::Tantivy(TantivyError::IoError(io)) => io.to_string(),
        Error::Tantivy(TantivyError::InternalError(why)) => why,
        Error::Tantivy(TantivyError::LockFailure(LockError::IoError(io), _)) => {
            format!(".tantivy-writer.lock: {io}")
        }
        other => other.to_string(),
    };
    Error::IndexWrite {
        path: store.path().to_path_buf(),
        reason,
        kept: document::counts(store).ok().map(|(articles, _)| articles),
    }
}

/// Flushes a folder's entries (renames, new files) to disk.
fn sync_dir(dir: &std::path::Path) -> Result<()> {
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| Error::io(dir, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syncing_a_folder_works_and_a_missing_one_is_named() {
        let dir = tempfile::tempdir().unwrap();
        sync_dir(dir.path()).unwrap();
        let gone = dir.path().join("gone");
        let err = sync_dir(&gone).unwrap_err().to_string();
        assert!(err.contains(&gone.display().to_string()), "{err}");
    }
}
