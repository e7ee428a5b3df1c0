//! Ingest: from files on disk to clean [`Article`]s with metadata and provenance.
//!
//! Inputs are folders (read recursively, hidden entries skipped) or files: `.txt` articles,
//! each folder's optional `metadata.toml`, and `.jsonl`/`.ndjson` record files. Other files
//! are ignored. An input that cannot be used becomes a [`Skip`] with its path and reason;
//! everything else goes on. Ingest runs in two passes over the inputs: the first counts short
//! lines to find repeated furniture, the second cleans and hands each article on.

mod clean;
mod file;
pub mod furniture;
pub mod metadata;
pub mod records;

pub use clean::{clean, detect_language, ENTITY_BYTES};
pub use file::{absolute, decode_text};

use clean::entity_paragraphs;
use file::readable;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::entities::extract::{self, Found};
use crate::entities::{Gazetteer, Mention, Registry};
use furniture::{Reason, Repeats};
use metadata::{FolderMetadata, Known, Metadata, Source, METADATA_FILE};

/// An input that was not indexed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skip {
    /// The file, `file:line` for a record, or the metadata entry.
    pub origin: String,
    /// Why it was skipped.
    pub reason: String,
}

impl Skip {
    /// A skip of `origin` for `reason`.
    pub fn new(origin: impl fmt::Display, reason: impl Into<String>) -> Skip {
        Skip {
            origin: origin.to_string(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.origin, self.reason)
    }
}

/// An article as read, before furniture is found.
#[derive(Debug, Clone)]
pub struct RawArticle {
    /// Stable id: the file stem, or the record's id.
    pub id: String,
    /// Where it was read from (`path` or `path:line`).
    pub origin: String,
    /// The file it was read from, as an absolute path (for `index --prune`).
    pub source: PathBuf,
    /// The original text, unchanged.
    pub text: String,
    /// What the metadata file or record says.
    pub meta: Metadata,
    /// What in its metadata could not be read (that field is left unknown).
    pub warnings: Vec<String>,
}

/// A removed span of furniture: UTF-8 byte offsets into the article's original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Furniture {
    /// Start byte offset.
    pub start: usize,
    /// End byte offset (exclusive).
    pub end: usize,
    /// Why it is furniture.
    pub reason: Reason,
}

/// A clean article, ready to split into passages.
#[derive(Debug, Clone)]
pub struct Article {
    /// Stable id.
    pub id: String,
    /// Where it was read from.
    pub origin: String,
    /// The file it was read from, as an absolute path.
    pub source: PathBuf,
    /// The original text, byte for byte.
    pub text: String,
    /// Metadata with provenance.
    pub meta: Metadata,
    /// Content paragraphs (one per non-furniture line), as byte ranges into `text`.
    pub paragraphs: Vec<Range<usize>>,
    /// Passages ([`crate::passage::split`] of the paragraphs), as byte ranges into `text`
    /// (set as a run finishes the article, after cleaning).
    pub passages: Vec<Range<usize>>,
    /// The passages' shingles, to find copies ([`crate::copies`]; set with `passages`).
    pub shingles: crate::copies::Shingles,
    /// What was removed as furniture.
    pub furniture: Vec<Furniture>,
    /// Entity mentions in the content paragraphs, resolved for this run (empty when entity
    /// extraction is off).
    pub mentions: Vec<Mention>,
    /// What in its metadata could not be read (that field is left unknown).
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Records,
}

/// Why a file in a folder is not read: its extension (or `(no extension)`).
fn unread_key(path: &Path) -> String {
    path.extension().map_or("(no extension)".into(), |e| {
        format!(".{}", e.to_string_lossy().to_lowercase())
    })
}

#[derive(Debug, Clone)]
struct InputFile {
    path: PathBuf,
    kind: Kind,
}

/// The inputs of one run: every file to read, with each folder's metadata.
#[derive(Debug, Default)]
pub struct Corpus {
    files: Vec<InputFile>,
    folders: HashMap<PathBuf, FolderMetadata>,
    /// Problems found while listing the inputs (missing paths, broken metadata).
    pub problems: Vec<Skip>,
    /// The language of articles whose metadata names none, given by the user (`index
    /// --lang`); it counts as metadata, and nothing is detected. None detects each one's.
    pub default_lang: Option<String>,
    /// Files in the folders that are not read, by extension (`.html` → 12).
    pub unread: BTreeMap<String, u64>,
    /// The largest article file, or record, read; larger ones are skipped.
    pub max_file_bytes: u64,
    /// What was read but not used (unknown top-level keys of metadata files).
    pub notes: Vec<String>,
    /// Set (non-zero) when reading should stop: no further file is read.
    pub stop: Option<std::sync::Arc<std::sync::atomic::AtomicUsize>>,
}

impl Corpus {
    /// Lists the inputs under `paths`, in a stable order (sorted by name within each folder).
    pub fn collect(paths: &[PathBuf]) -> Corpus {
        let mut corpus = Corpus {
            max_file_bytes: records::DEFAULT_MAX_RECORD,
            ..Corpus::default()
        };
        for path in paths {
            match std::fs::metadata(path) {
                Ok(m) if m.is_dir() => corpus.walk(path),
                Ok(_) => match kind_of(path) {
                    Some(kind) => corpus.add_file(path, kind),
                    None => corpus.problems.push(Skip::new(
                        path.display(),
                        "not an article (.txt) or record file (.jsonl, .ndjson, .jl, .json, each also .gz)",
                    )),
                },
                Err(e) => corpus
                    .problems
                    .push(Skip::new(path.display(), format!("cannot read: {e}"))),
            }
        }
        corpus.check_metadata_entries();
        corpus
    }

    /// The signal that asked the run to stop ([`Corpus::stop`]), if one did.
    pub fn stop_signal(&self) -> Option<usize> {
        self.stop
            .as_ref()
            .map(|s| s.load(std::sync::atomic::Ordering::SeqCst))
            .filter(|&s| s != 0)
    }

    /// Whether a stop was asked for ([`Corpus::stop`]).
    pub fn stopped(&self) -> bool {
        self.stop_signal().is_some()
    }

    /// How many articles the corpus holds, when that is known without reading: every input
    /// is an article file (records are counted only by reading them).
    pub fn article_count(&self) -> Option<u64> {
        self.files
            .iter()
            .all(|f| f.kind == Kind::Text)
            .then_some(self.files.len() as u64)
    }

    /// Every file the run depends on: the inputs, and each folder's metadata file.
    pub fn dependencies(&self) -> impl Iterator<Item = std::borrow::Cow<'_, Path>> {
        self.files
            .iter()
            .map(|f| std::borrow::Cow::Borrowed(f.path.as_path()))
            .chain(
                self.folders
                    .keys()
                    .map(|folder| std::borrow::Cow::Owned(metadata::metadata_path(folder))),
            )
    }

    /// How many files the corpus reads.
    pub fn file_count(&self) -> usize {
        self.files.len()
    }

    fn walk(&mut self, dir: &Path) {
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                return self
                    .problems
                    .push(Skip::new(dir.display(), format!("cannot read folder: {e}")))
            }
        };
        let mut paths: Vec<(PathBuf, bool)> = Vec::new();
        for entry in entries {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    self.problems
                        .push(Skip::new(dir.display(), format!("cannot list folder: {e}")));
                    continue;
                }
            };
            let path = entry.path();
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            // Symlinked folders are not followed (they can loop); symlinked files are.
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            paths.push((path, is_dir));
        }
        paths.sort();
        for (path, is_dir) in paths {
            if is_dir {
                self.walk(&path);
            } else if let Some(kind) = kind_of(&path) {
                self.add_file(&path, kind);
            } else if path.file_name().is_none_or(|n| n != METADATA_FILE) {
                *self.unread.entry(unread_key(&path)).or_default() += 1;
            }
        }
    }

    fn add_file(&mut self, path: &Path, kind: Kind) {
        if kind == Kind::Text {
            let folder = path.parent().unwrap_or(Path::new("")).to_path_buf();
            if !self.folders.contains_key(&folder) {
                let meta_path = metadata::metadata_path(&folder);
                let meta = if meta_path.is_file() {
                    metadata::read_folder_metadata(&meta_path)
                } else {
                    FolderMetadata::default()
                };
                for (at, why) in &meta.problems {
                    self.problems.push(Skip::new(at, why.clone()));
                }
                self.notes.extend(meta.notes.iter().cloned());
                self.folders.insert(folder, meta);
            }
        }
        self.files.push(InputFile {
            path: path.to_path_buf(),
            kind,
        });
    }

    /// A metadata entry for a file that is not there is most likely a typo: say so.
    fn check_metadata_entries(&mut self) {
        let present: std::collections::HashSet<&Path> =
            self.files.iter().map(|f| f.path.as_path()).collect();
        let mut missing = Vec::new();
        for (folder, meta) in &self.folders {
            let sorted: BTreeMap<_, _> = meta.entries.iter().collect();
            for name in sorted.keys() {
                let path = folder.join(name);
                if !present.contains(path.as_path()) && !path.is_file() {
                    missing.push(Skip::new(
                        metadata::metadata_path(folder).display(),
                        format!("entry for {name:?}, which is not a file in that folder"),
                    ));
                }
            }
        }
        missing.sort_by(|a, b| a.reason.cmp(&b.reason));
        self.problems.extend(missing);
    }

    /// Reads every article of the corpus, in order, giving each or the reason it was skipped.
    pub fn for_each_raw(&self, f: &mut dyn FnMut(Result<RawArticle, Skip>)) {
        let mut given = |r: Result<RawArticle, Skip>| {
            f(r.map(|mut raw| {
                if raw.meta.lang.is_none() {
                    raw.meta.lang = self.default_lang.clone().map(|value| Known {
                        value,
                        source: Source::Metadata,
                    });
                }
                raw
            }))
        };
        for file in &self.files {
            if self.stopped() {
                return;
            }
            let source = absolute(&file.path);
            let mut given = |r: Result<RawArticle, Skip>| {
                given(r.map(|mut raw| {
                    raw.source = source.clone();
                    raw
                }))
            };
            match file.kind {
                Kind::Records => {
                    if let Err(skip) = readable(&file.path) {
                        given(Err(skip));
                    } else {
                        records::read(&file.path, self.max_file_bytes, &mut given)
                    }
                }
                Kind::Text => given(self.read_text(&file.path)),
            }
        }
    }

    fn read_text(&self, path: &Path) -> Result<RawArticle, Skip> {
        let shown = path.display();
        let size = readable(path)?;
        if size > self.max_file_bytes {
            return Err(Skip::new(
                &shown,
                format!(
                    "{size} bytes, over the limit of {} bytes (index --max-file-mib)",
                    self.max_file_bytes
                ),
            ));
        }
        let bytes =
            std::fs::read(path).map_err(|e| Skip::new(&shown, format!("cannot read: {e}")))?;
        let text = decode_text(bytes, &shown)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let id = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| name.clone());
        let entry = path
            .parent()
            .and_then(|folder| self.folders.get(folder))
            .and_then(|m| m.entries.get(&name))
            .cloned()
            .unwrap_or_default();
        let warnings = entry.warnings.clone();
        Ok(RawArticle {
            id,
            origin: shown.to_string(),
            source: PathBuf::new(),
            text,
            meta: entry.into_metadata(),
            warnings,
        })
    }

    /// Reads the corpus twice (see the module doc) and hands on each clean article, and each
    /// skip (listing problems first). An id seen twice in one run is skipped the second time.
    ///
    /// With a gazetteer, entity mentions are found too: the first pass also feeds the run's
    /// [`Registry`] (on paragraphs cleaned of known-shape furniture), the second resolves
    /// each article's mentions against it.
    pub fn articles(
        &self,
        gazetteer: Option<&Gazetteer>,
        on_article: &mut dyn FnMut(Article),
        on_skip: &mut dyn FnMut(Skip),
    ) {
        for p in &self.problems {
            on_skip(p.clone());
        }
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(8);
        let mut repeats = Repeats::default();
        let mut registry = Registry::default();
        let no_repeats = Repeats::default();
        // Pass 1: repeated lines, and (in parallel batches) the run's entity registry. A
        // batch's mentions are found on worker threads while this thread reads the next
        // batch and counts its lines, so both cores stay busy; batches join the registry in
        // input order.
        std::thread::scope(|scope| {
            let mut batch: Vec<RawArticle> = Vec::with_capacity(BATCH);
            let mut pending: Option<std::thread::ScopedJoinHandle<'_, Vec<Found>>> = None;
            let no_repeats = &no_repeats;
            let mut send = |batch: Vec<RawArticle>, registry: &mut Registry| {
                if let Some(done) = pending.take() {
                    let found = done
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                    registry.add(&found);
                }
                let (Some(g), false) = (gazetteer, batch.is_empty()) else {
                    return;
                };
                pending = Some(scope.spawn(move || {
                    // An article whose analysis fails is reported in pass 2, where it fails
                    // again.
                    par_map(batch, threads, &|raw: RawArticle| {
                        crate::guard::catch(|| {
                            let a = clean(raw, no_repeats);
                            extract::find(&a.text, &entity_paragraphs(&a.text, &a.paragraphs), g)
                        })
                    })
                    .into_iter()
                    .flatten()
                    .flatten()
                    .collect()
                }));
            };
            self.for_each_raw(&mut |r| {
                if self.stopped() {
                    return;
                }
                if let Ok(raw) = r {
                    let outlet = raw.meta.outlet.as_ref().map(|o| o.value.as_str());
                    repeats.add_article(&raw.text, outlet);
                    if gazetteer.is_some() {
                        batch.push(raw);
                        if batch.len() >= BATCH {
                            send(std::mem::take(&mut batch), &mut registry);
                        }
                    }
                }
            });
            send(batch, &mut registry);
            // An empty batch only joins the one still in flight.
            send(Vec::new(), &mut registry);
        });
        if let Some(g) = gazetteer {
            registry.finish(g);
        }
        // Pass 2: clean and resolve in parallel batches, hand on in input order.
        // One article's analysis failing (a panic in a dependency or a bug) costs that
        // article only: it is skipped with the reason, and the run goes on.
        let finish = |raw: RawArticle| {
            let origin = raw.origin.clone();
            crate::guard::catch(|| {
                let mut article = clean(raw, &repeats);
                detect_language(&mut article);
                // Passages and shingles here, on the threads that finish articles, not in
                // the one that writes them.
                article.passages = crate::passage::split(&article.text, &article.paragraphs);
                article.shingles = crate::copies::shingles(&article.text, &article.passages);
                if let Some(g) = gazetteer {
                    let paragraphs = entity_paragraphs(&article.text, &article.paragraphs);
                    let found = extract::find(&article.text, &paragraphs, g);
                    article.mentions = registry.resolve(found, g);
                    registry.add_caseless(&article.text, &paragraphs, g, &mut article.mentions);
                }
                article
            })
            .map_err(|panic| Skip::new(origin, format!("analysis failed ({panic})")))
        };
        let mut seen: HashMap<String, String> = HashMap::new();
        let mut batch: Vec<RawArticle> = Vec::with_capacity(BATCH);
        let flush = |batch: &mut Vec<RawArticle>,
                     on_article: &mut dyn FnMut(Article),
                     on_skip: &mut dyn FnMut(Skip)| {
            for finished in par_map(std::mem::take(batch), threads, &finish) {
                match finished {
                    Ok(article) => on_article(article),
                    Err(skip) => on_skip(skip),
                }
            }
        };
        self.for_each_raw(&mut |r| match r {
            _ if self.stopped() => {}
            Err(skip) => on_skip(skip),
            Ok(raw) => {
                if let Some(first) = seen.get(&raw.id) {
                    on_skip(Skip::new(
                        &raw.origin,
                        format!("duplicate id {:?} (first read from {first})", raw.id),
                    ));
                    return;
                }
                seen.insert(raw.id.clone(), raw.origin.clone());
                batch.push(raw);
                if batch.len() >= BATCH {
                    flush(&mut batch, on_article, on_skip);
                }
            }
        });
        flush(&mut batch, on_article, on_skip);
    }
}

/// Articles cleaned and searched for entities together, across threads.
const BATCH: usize = 256;

/// Maps `f` over `items` on up to `threads` scoped threads, keeping the input order. A panic
/// in a worker is raised again here, never swallowed.
fn par_map<T: Send, R: Send>(items: Vec<T>, threads: usize, f: &(dyn Fn(T) -> R + Sync)) -> Vec<R> {
    if threads <= 1 || items.len() < 2 {
        return items.into_iter().map(f).collect();
    }
    let per = items.len().div_ceil(threads);
    let mut chunks: Vec<Vec<T>> = Vec::with_capacity(threads);
    let mut rest = items.into_iter();
    loop {
        let chunk: Vec<T> = rest.by_ref().take(per).collect();
        if chunk.is_empty() {
            break;
        }
        chunks.push(chunk);
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| scope.spawn(move || chunk.into_iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

fn kind_of(path: &Path) -> Option<Kind> {
    let name = path.file_name()?.to_str()?;
    if name == METADATA_FILE {
        return None;
    }
    if records::shape_of(name).is_some() {
        return Some(Kind::Records);
    }
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "txt" => Some(Kind::Text),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> RawArticle {
        RawArticle {
            id: "t".into(),
            origin: "t.txt".into(),
            source: PathBuf::from("/t.txt"),
            text: text.into(),
            meta: Metadata::default(),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn seed_002_date_line_gives_date_from_text_and_is_not_content() {
        let a = clean(
            raw(" date 2024-11-15 Elon Musk met Iravani.\n\nThe officials said so.\n"),
            &Repeats::default(),
        );
        let date = a.meta.date.unwrap();
        assert_eq!(
            (date.value.to_string(), date.source),
            ("2024-11-15".into(), Source::Text)
        );
        let paras: Vec<&str> = a.paragraphs.iter().map(|r| &a.text[r.clone()]).collect();
        assert_eq!(paras, ["Elon Musk met Iravani.", "The officials said so."]);
        assert_eq!(
            a.furniture,
            [Furniture {
                start: 0,
                end: 17,
                reason: Reason::DateLine
            }]
        );
    }

    #[test]
    fn metadata_wins_over_text() {
        let mut r = raw(" date 2024-11-15 Body.\nGet the Ynetnews app on your smartphone:");
        r.meta.date = Some(Known {
            value: crate::date::Date::parse("2024-11-14").unwrap(),
            source: Source::Metadata,
        });
        r.meta.outlet = Some(Known {
            value: "Other".into(),
            source: Source::Metadata,
        });
        let a = clean(r, &Repeats::default());
        assert_eq!(a.meta.date.unwrap().value.to_string(), "2024-11-14");
        assert_eq!(a.meta.outlet.unwrap().value, "Other");
    }

    #[test]
    fn seed_000_sign_off_gives_outlet_from_text() {
        let a = clean(
            raw("Arghachi posted on X.\nGet the Ynetnews app on your smartphone:"),
            &Repeats::default(),
        );
        assert_eq!(
            a.meta.outlet,
            Some(Known {
                value: "Ynetnews".into(),
                source: Source::Text
            })
        );
        assert_eq!(a.meta.date, None);
        assert_eq!(a.paragraphs, vec![0..21usize]);
        assert_eq!(a.furniture[0].reason, Reason::AppPromotion);
        assert_eq!(
            &a.text[a.furniture[0].start..a.furniture[0].end],
            "Get the Ynetnews app on your smartphone:"
        );
    }

    #[test]
    fn seed_001_tail_furniture_and_nbsp_trimmed() {
        let text = "Iranian sources said.\u{a0}\n\nRead more\n\nWhy Iran is willing\n\nerror: Content is protected !!\nen_USEnglish";
        let a = clean(raw(text), &Repeats::default());
        let paras: Vec<&str> = a.paragraphs.iter().map(|r| &a.text[r.clone()]).collect();
        assert_eq!(paras, ["Iranian sources said.", "Why Iran is willing"]);
        let reasons: Vec<Reason> = a.furniture.iter().map(|f| f.reason).collect();
        assert_eq!(
            reasons,
            [
                Reason::LinkLabel,
                Reason::CopyProtection,
                Reason::LanguageSwitcher
            ]
        );
    }

    #[test]
    fn par_map_keeps_the_input_order() {
        let items: Vec<usize> = (0..1000).collect();
        assert_eq!(
            par_map(items.clone(), 4, &|x| x * 2),
            items.iter().map(|x| x * 2).collect::<Vec<_>>()
        );
        assert_eq!(par_map(Vec::<usize>::new(), 4, &|x| x), Vec::<usize>::new());
    }

    #[test]
    fn collect_reports_missing_paths_and_unknown_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "Text.").unwrap();
        std::fs::write(dir.path().join("notes.md"), "ignored").unwrap();
        std::fs::write(dir.path().join("empty.txt"), " \n").unwrap();
        std::fs::write(dir.path().join("bin.txt"), b"ab\0cd").unwrap();
        std::fs::write(dir.path().join("latin1.txt"), b"caf\xe9").unwrap();
        let corpus = Corpus::collect(&[dir.path().to_path_buf(), dir.path().join("nope")]);
        assert_eq!(corpus.file_count(), 4);
        let (mut ids, mut skips) = (Vec::new(), Vec::new());
        corpus.articles(None, &mut |a| ids.push(a.id), &mut |s| skips.push(s));
        assert_eq!(ids, ["a"]);
        let reasons: Vec<String> = skips.iter().map(|s| s.reason.clone()).collect();
        assert!(reasons[0].starts_with("cannot read"), "{reasons:?}");
        assert_eq!(
            reasons[1..],
            [
                "binary file (NUL byte at offset 2)",
                "empty file",
                "not UTF-8 text (invalid byte at offset 3)"
            ]
        );
    }
}
