//! The library's one error type: everything that stops an operation as a whole.
//!
//! Problems with single inputs (an unreadable file, a bad JSON line) are not errors: ingest
//! reports them as [`crate::ingest::Skip`] and goes on with the rest.

use std::path::PathBuf;

/// Result alias used across the library.
pub type Result<T> = std::result::Result<T, Error>;

/// Why an operation failed. Each variant prints as one readable line.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder concerned.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// There is no index at the given location.
    #[error("no index at {0}: run `byline index` first")]
    IndexMissing(PathBuf),
    /// The index was written by another version of byline's schema.
    #[error("the index at {path} was written by {found}; this byline needs schema {expected}: delete the folder's index files and run `byline index` again")]
    IncompatibleIndex {
        /// The index folder.
        path: PathBuf,
        /// What the index says it is.
        found: String,
        /// What this build writes.
        expected: String,
    },
    /// Another process holds the index's writer lock.
    #[error("the index at {0} is locked by another `byline index` (tantivy's .tantivy-writer.lock): wait for it to finish")]
    IndexLocked(PathBuf),
    /// The query could not be used at all.
    #[error("bad query: {0}")]
    Query(String),
    /// An option or parameter has a value that cannot be used.
    #[error("{0}")]
    InvalidArgument(String),
    /// No article has this id.
    #[error("no article with id {0:?}")]
    ArticleNotFound(String),
    /// The search engine underneath failed.
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
