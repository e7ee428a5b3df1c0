//! Helpers for the integration tests: temp indexes built from the seeds, and CLI runners.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// The repository's seed folder.
pub fn seeds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

/// The `byline` binary, with no index set from the environment.
pub fn byline() -> Command {
    let mut cmd = Command::cargo_bin("byline").unwrap();
    cmd.env_remove("BYLINE_INDEX");
    cmd
}

/// A temporary index, deleted when dropped.
pub struct TestIndex {
    pub dir: TempDir,
}

/// What a command did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout as JSON Lines records.
    pub fn records(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }

    /// Ids of the `hit` records, in order.
    pub fn hit_ids(&self) -> Vec<String> {
        self.records()
            .iter()
            .filter(|r| r["type"] == "hit")
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect()
    }
}

impl TestIndex {
    /// An index of the repository's seeds.
    pub fn seeds() -> TestIndex {
        TestIndex::of(&[seeds()])
    }

    /// An index of the given paths (the run must index without skips).
    pub fn of(paths: &[PathBuf]) -> TestIndex {
        let t = TestIndex {
            dir: tempfile::tempdir().unwrap(),
        };
        let run = t.index(paths);
        assert_eq!(run.code, 0, "indexing failed: {}", run.stderr);
        t
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `byline --index DIR ARGS...`.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_stdin(args, "")
    }

    pub fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Run {
        let out = byline()
            .arg("--index")
            .arg(self.path())
            .args(args)
            .write_stdin(stdin)
            .output()
            .unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        }
    }

    /// `byline index --json PATHS...`.
    pub fn index(&self, paths: &[PathBuf]) -> Run {
        let mut args = vec!["index".to_string(), "--json".to_string()];
        args.extend(paths.iter().map(|p| p.display().to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        self.run(&args)
    }

    /// `byline search --json QUERY ARGS...`.
    pub fn search(&self, query: &str, extra: &[&str]) -> Run {
        let mut args = vec!["search", "--json", query];
        args.extend_from_slice(extra);
        self.run(&args)
    }
}

/// Writes files into a fresh folder: `(relative path, bytes)`.
pub fn folder(files: &[(&str, &[u8])]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    dir
}

/// The bytes of a seed file.
pub fn seed(name: &str) -> Vec<u8> {
    std::fs::read(seeds().join(name)).unwrap()
}

pub const S000: &str = "000_11313b6d5c106fd1";
pub const S001: &str = "001_220633d67de26689";
pub const S002: &str = "002_9d73244eedff589e";
pub const S003: &str = "003_2940b674167129da";
pub const S004: &str = "004_04826b823f129728";

/// A facet dimension's `(value, count)` pairs from a summary or facets record, in order.
pub fn facet_values(record: &Value, dim: &str) -> Vec<(String, u64)> {
    record["facets"][dim]
        .as_array()
        .unwrap_or_else(|| panic!("no facet {dim:?} in {record}"))
        .iter()
        .map(|v| {
            (
                v["value"].as_str().unwrap().to_string(),
                v["count"].as_u64().unwrap(),
            )
        })
        .collect()
}
