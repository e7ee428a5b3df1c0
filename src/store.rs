//! The index on disk: where it lives, creating and opening it, and checking it is ours.

use std::path::{Path, PathBuf};

use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, ReloadPolicy};

use crate::analyzer;
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
        let index = Index::open_in_dir(dir)?;
        let metas = index.load_metas()?;
        let found = metas.payload;
        let (schema, fields) = Fields::build();
        // An index created but never committed carries no payload yet.
        let ours = found.as_deref() == Some(SCHEMA_VERSION)
            || (found.is_none() && metas.segments.is_empty());
        if !ours || index.schema() != schema {
            return Err(Error::IncompatibleIndex {
                path: dir.to_path_buf(),
                found: found.unwrap_or_else(|| "another program (no byline schema)".into()),
                expected: SCHEMA_VERSION.into(),
            });
        }
        analyzer::register(&index);
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
        let index = Index::create(directory, schema, settings)?;
        analyzer::register(&index);
        Ok(Store {
            path: dir.to_path_buf(),
            index,
            fields,
        })
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
