//! The index on disk: where it lives, creating and opening it, and checking it is ours.

use std::path::{Path, PathBuf};

use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle,
    WritePtr, META_LOCK,
};
use tantivy::{Index, IndexReader, ReloadPolicy};

use crate::analysis;
use crate::error::{Error, Result};
use crate::schema::{Fields, SCHEMA_VERSION};

/// zstd level for the document store.
const DOCSTORE_ZSTD_LEVEL: i32 = 3;
/// Document store block size, in bytes.
const DOCSTORE_BLOCK: usize = 32 * 1024;

/// The default index folder, relative to the working directory.
pub const DEFAULT_INDEX_DIR: &str = "index";
/// Environment variable naming another index folder.
pub const INDEX_ENV: &str = "BYLINE_INDEX";

/// What byline writes into each commit's payload: its schema version and the commit's batch
/// number ([`Store::batch`]), as `byline-schema-14 batch 7`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Payload<'a> {
    /// The schema version ([`SCHEMA_VERSION`] for ours).
    pub schema: &'a str,
    /// The commit's batch number (0 when the payload has none).
    pub batch: u64,
}

impl<'a> Payload<'a> {
    /// Reads a payload; one without a batch number has batch 0.
    pub fn parse(payload: &'a str) -> Payload<'a> {
        let (schema, rest) = payload.split_once(' ').unwrap_or((payload, ""));
        let batch = rest
            .strip_prefix("batch ")
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0);
        Payload { schema, batch }
    }

    /// Our payload for a commit of this batch.
    pub fn ours(batch: u64) -> String {
        format!("{SCHEMA_VERSION} batch {batch}")
    }
}

/// An opened byline index: the tantivy index with byline's analyzers registered.
#[derive(Clone)]
pub struct Store {
    path: PathBuf,
    index: Index,
    fields: Fields,
}

impl Store {
    /// Whether `dir` holds an index (a committed `meta.json`).
    pub fn exists(dir: &Path) -> bool {
        dir.join("meta.json").is_file()
    }

    /// Opens the index in `dir`, checking that byline's schema version wrote it.
    pub fn open(dir: &Path) -> Result<Store> {
        if !Store::exists(dir) {
            return Err(Error::IndexMissing(dir.to_path_buf()));
        }
        let directory = MmapDirectory::open(dir)
            .map_err(|e| Error::InvalidArgument(format!("{}: {e}", dir.display())))?;
        let index = Index::open(ReadableDirectory::new(directory, dir))?;
        let metas = index.load_metas()?;
        let found = metas.payload;
        let (schema, fields) = Fields::build();
        // An index created but never committed carries no payload yet.
        let ours = found.as_deref().map(|p| Payload::parse(p).schema) == Some(SCHEMA_VERSION)
            || (found.is_none() && metas.segments.is_empty());
        if !ours || index.schema() != schema {
            let found = match found {
                // The same version with other fields: a build between two versions.
                Some(p) if ours => format!("{p} with other field settings"),
                Some(p) => p,
                None => "another program (no byline schema)".into(),
            };
            return Err(Error::IncompatibleIndex {
                path: dir.to_path_buf(),
                found,
                expected: SCHEMA_VERSION.into(),
            });
        }
        analysis::register(&index);
        Ok(Store {
            path: dir.to_path_buf(),
            index,
            fields,
        })
    }

    /// Opens the index in `dir`, creating the folder and an empty index when there is none.
    pub fn open_or_create(dir: &Path) -> Result<Store> {
        if Store::exists(dir) {
            return Store::open(dir);
        }
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let (schema, fields) = Fields::build();
        let directory = MmapDirectory::open(dir)
            .map_err(|e| Error::InvalidArgument(format!("{}: {e}", dir.display())))?;
        let settings = tantivy::IndexSettings {
            // Article text is most of an index. zstd stores it in about half of lz4's space;
            // a hit decompresses one block of this size.
            docstore_compression: tantivy::store::Compressor::Zstd(
                tantivy::store::ZstdCompressor {
                    compression_level: Some(DOCSTORE_ZSTD_LEVEL),
                },
            ),
            docstore_blocksize: DOCSTORE_BLOCK,
            ..tantivy::IndexSettings::default()
        };
        let index = Index::create(ReadableDirectory::new(directory, dir), schema, settings)?;
        analysis::register(&index);
        Ok(Store {
            path: dir.to_path_buf(),
            index,
            fields,
        })
    }

    /// An empty index in memory, with byline's schema and analyzers: a scratch copy of a few
    /// articles (a cluster's answer, rescored by byline).
    pub fn in_ram() -> Store {
        let (schema, fields) = Fields::build();
        let index = Index::create_in_ram(schema);
        analysis::register(&index);
        Store {
            path: PathBuf::new(),
            index,
            fields,
        }
    }

    /// The number of the last commit that wrote articles (0 before any): each indexing
    /// commit takes the next number and tags the articles it writes with it
    /// ([`Fields::batch`]), so "articles indexed after commit N" is exact, whatever commits
    /// land while a reader looks.
    pub fn batch(&self) -> Result<u64> {
        let metas = self.index.load_metas()?;
        Ok(metas
            .payload
            .as_deref()
            .map_or(0, |p| Payload::parse(p).batch))
    }

    /// The index folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The tantivy index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// The schema's field handles.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// A reader that sees each new commit as it lands.
    pub fn reader(&self) -> Result<IndexReader> {
        Ok(self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?)
    }
}

/// tantivy's folder directory, readable without write access.
///
/// A reader takes tantivy's meta lock while it opens segments, so that a writer's garbage
/// collection cannot delete them underneath; `MmapDirectory` takes it by opening
/// `.tantivy-meta.lock` for writing, which fails on a read-only disk or folder and would make
/// an archive on one unsearchable. Where the file cannot be opened for writing, this takes a
/// shared lock on it opened for reading instead (a writer's collection asks for it without
/// waiting, and skips when busy); where there is no such file at all, nobody has ever written
/// here and nobody can, so there is nothing to guard against.
#[derive(Debug, Clone)]
struct ReadableDirectory {
    inner: MmapDirectory,
    root: PathBuf,
}

impl ReadableDirectory {
    fn new(inner: MmapDirectory, root: &Path) -> Self {
        ReadableDirectory {
            inner,
            root: root.to_path_buf(),
        }
    }
}

impl Directory for ReadableDirectory {
    fn get_file_handle(
        &self,
        path: &Path,
    ) -> std::result::Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }
    fn delete(&self, path: &Path) -> std::result::Result<(), DeleteError> {
        self.inner.delete(path)
    }
    fn exists(&self, path: &Path) -> std::result::Result<bool, OpenReadError> {
        self.inner.exists(path)
    }
    fn open_write(&self, path: &Path) -> std::result::Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }
    fn atomic_read(&self, path: &Path) -> std::result::Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }
    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.inner.atomic_write(path, data)
    }
    fn sync_directory(&self) -> std::io::Result<()> {
        self.inner.sync_directory()
    }
    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(callback)
    }
    fn acquire_lock(&self, lock: &Lock) -> std::result::Result<DirectoryLock, LockError> {
        let err = match self.inner.acquire_lock(lock) {
            Ok(held) => return Ok(held),
            Err(LockError::IoError(io)) if lock.filepath == META_LOCK.filepath => io,
            Err(other) => return Err(other),
        };
        use std::io::ErrorKind::{NotFound, PermissionDenied, ReadOnlyFilesystem};
        if !matches!(err.kind(), PermissionDenied | ReadOnlyFilesystem) {
            return Err(LockError::IoError(err));
        }
        match std::fs::File::open(self.root.join(&lock.filepath)) {
            Ok(file) => {
                file.lock_shared().map_err(LockError::wrap_io_error)?;
                // Dropping the file releases the lock.
                Ok(DirectoryLock::from(Box::new(file)))
            }
            Err(e) if e.kind() == NotFound => Ok(DirectoryLock::from(Box::new(()))),
            Err(e) => Err(LockError::wrap_io_error(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_carry_the_schema_and_the_batch() {
        let ours = Payload::ours(7);
        assert_eq!(ours, format!("{SCHEMA_VERSION} batch 7"));
        assert_eq!(
            Payload::parse(&ours),
            Payload {
                schema: SCHEMA_VERSION,
                batch: 7
            }
        );
        // Older byline and other programs: a schema alone, or anything at all.
        let old = Payload::parse("byline-schema-11");
        assert_eq!((old.schema, old.batch), ("byline-schema-11", 0));
        let other = Payload::parse("written by something else");
        assert_eq!((other.schema, other.batch), ("written", 0));
    }
}
