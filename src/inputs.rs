//! What a run's inputs looked like, so that a re-run over the same unchanged inputs reads
//! nothing.
//!
//! After a complete run, `index` records in the index folder (`byline-inputs.json`) a hash of
//! every input file's path, size and modification time (metadata files included), keyed by
//! the run's paths and options, with the index's commit stamp. A later run with the same
//! paths and options finds every file as recorded and the index untouched since (same
//! stamp): nothing changed, so nothing is read. Any difference (a file added, removed,
//! touched or resized, another run, a `delete`) makes a full run, where each article's
//! content hash decides what is written: furniture and entities depend on the whole corpus,
//! so a changed run reads every file.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// The record's file name in the index folder.
pub const FILE: &str = "byline-inputs.json";

/// One recorded run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recorded {
    /// Hash of every input file's path, size and modification time.
    pub files: u64,
    /// The index's commit stamp after the run.
    pub opstamp: u64,
    /// Articles the run read.
    pub articles: u64,
}

/// Recorded runs by the hash of their paths and options.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Record {
    runs: BTreeMap<String, Recorded>,
}

/// The hash of files' paths, sizes and modification times (`files` in any order; a file
/// that cannot be read contributes its path alone, so it is never taken as unchanged).
pub fn fingerprint<'a>(files: impl Iterator<Item = &'a Path>) -> u64 {
    let mut lines: Vec<String> = files
        .map(|path| match std::fs::metadata(path) {
            Ok(m) => {
                let modified = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                format!("{}\t{}\t{modified}", path.display(), m.len())
            }
            Err(_) => format!("{}\t?", path.display()),
        })
        .collect();
    lines.sort();
    crate::schema::content_hash(&[lines.join("\n").as_bytes()])
}

/// The run recorded under `key` in index folder `dir`, if any.
pub fn recorded(dir: &Path, key: &str) -> Option<Recorded> {
    let bytes = std::fs::read(dir.join(FILE)).ok()?;
    let record: Record = serde_json::from_slice(&bytes).ok()?;
    record.runs.get(key).copied()
}

/// Records a run under `key` (replacing the file atomically). Failing to record only costs
/// the next run its shortcut, so errors are ignored.
pub fn record(dir: &Path, key: &str, run: Recorded) {
    let mut record: Record = std::fs::read(dir.join(FILE))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    record.runs.insert(key.to_string(), run);
    let Ok(json) = serde_json::to_vec_pretty(&record) else {
        return;
    };
    let tmp = dir.join(format!("{FILE}.tmp"));
    if std::fs::write(&tmp, json).is_ok() {
        let _ = std::fs::rename(&tmp, dir.join(FILE));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_touched_or_resized_file_changes_the_fingerprint() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.txt");
        std::fs::write(&a, "one").unwrap();
        let first = fingerprint([a.as_path()].into_iter());
        assert_eq!(fingerprint([a.as_path()].into_iter()), first);
        std::fs::write(&a, "two!").unwrap();
        assert_ne!(fingerprint([a.as_path()].into_iter()), first);
        let run = Recorded {
            files: 1,
            opstamp: 2,
            articles: 3,
        };
        record(dir.path(), "k", run);
        assert_eq!(recorded(dir.path(), "k"), Some(run));
        assert_eq!(recorded(dir.path(), "other"), None);
    }
}
