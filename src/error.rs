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
    /// A file or folder could not be read or written. (The reason is in the message, and on
    /// purpose not a `source`: printing the chain would repeat it.)
    #[error("{}: {reason}", path.display())]
    Io {
        /// The file or folder concerned.
        path: PathBuf,
        /// The operating system's reason.
        reason: std::io::Error,
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
    /// Writing the index failed part-way (a full or read-only disk, say). What the last
    /// commit published is untouched.
    #[error("cannot write the index at {}: {reason}. The index keeps its last commit{}, searchable as before; fix the cause and run `byline index` again (it skips the articles already indexed)", path.display(), kept.map(|n| format!(" ({n} articles)")).unwrap_or_default())]
    IndexWrite {
        /// The index folder.
        path: PathBuf,
        /// Why, as the operating system or tantivy put it.
        reason: String,
        /// Articles the index holds as of its last commit, when they could be counted.
        kept: Option<u64>,
    },
    /// The query could not be used at all.
    #[error("bad query: {0}")]
    Query(String),
    /// An option or parameter has a value that cannot be used.
    #[error("{0}")]
    InvalidArgument(String),
    /// No article has this id.
    #[error("no article with id {0:?}")]
    ArticleNotFound(String),
    /// Writing a result out failed (a closed pipe, a full disk, a client gone).
    #[error("writing the output")]
    Output(#[source] std::io::Error),
    /// A cluster (`byline push`) could not be reached or refused a request.
    #[error("the cluster at {url}: {reason}")]
    Cluster {
        /// Its address (without credentials).
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// The search engine underneath failed. (Not a `source` either: tantivy's messages
    /// already hold their causes.)
    #[error("index error: {0}")]
    Tantivy(tantivy::TantivyError),
}

impl From<serde_json::Error> for Error {
    /// Only writing JSON out can fail (every value byline writes serialises): an output error.
    fn from(e: serde_json::Error) -> Error {
        let kind = e.io_error_kind().unwrap_or(std::io::ErrorKind::Other);
        Error::Output(std::io::Error::new(kind, e))
    }
}

impl From<tantivy::TantivyError> for Error {
    /// A file tantivy could not open becomes a plain `path: reason`; the rest stays as it is.
    fn from(e: tantivy::TantivyError) -> Error {
        use tantivy::directory::error::{OpenReadError, OpenWriteError};
        use tantivy::TantivyError as T;
        let file = |io: &std::io::Error, path: &std::path::Path| Error::Io {
            path: path.to_path_buf(),
            reason: std::io::Error::new(io.kind(), io.to_string()),
        };
        match &e {
            T::OpenReadError(OpenReadError::IoError { io_error, filepath }) => {
                file(io_error, filepath)
            }
            T::OpenWriteError(OpenWriteError::IoError { io_error, filepath }) => {
                file(io_error, filepath)
            }
            _ => Error::Tantivy(e),
        }
    }
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            reason: source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreadable_index_file_is_one_plain_line() {
        use tantivy::directory::error::OpenReadError;
        let io = std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "Permission denied (os error 13)",
        );
        let e: Error = tantivy::TantivyError::OpenReadError(OpenReadError::IoError {
            io_error: std::sync::Arc::new(io),
            filepath: PathBuf::from(".managed.json"),
        })
        .into();
        assert_eq!(
            e.to_string(),
            ".managed.json: Permission denied (os error 13)"
        );
        assert!(std::error::Error::source(&e).is_none());
    }
}
