//! Helpers for the integration tests: the shared seeds index, temp indexes, CLI runners and
//! in-process searches.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;
use byline::{Engine, SearchRequest};
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

/// JSON Lines as records.
fn records(lines: &str) -> Vec<Value> {
    lines
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// Ids of the `hit` records, in order.
fn hit_ids(records: &[Value]) -> Vec<String> {
    records
        .iter()
        .filter(|r| r["type"] == "hit")
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

impl Run {
    /// stdout as JSON Lines records.
    pub fn records(&self) -> Vec<Value> {
        records(&self.stdout)
    }

    /// Ids of the `hit` records, in order.
    pub fn hit_ids(&self) -> Vec<String> {
        hit_ids(&self.records())
    }
}

impl TestIndex {
    /// A fresh index of the repository's seeds, for a test that writes to it (one that only
    /// reads uses [`shared_seeds`]).
    pub fn seeds() -> TestIndex {
        TestIndex::of(&[seeds()])
    }

    /// An index of the given paths (the run must index without skips).
    pub fn of(paths: &[PathBuf]) -> TestIndex {
        TestIndex::of_in(tempfile::tempdir().unwrap(), paths)
    }

    fn of_in(dir: TempDir, paths: &[PathBuf]) -> TestIndex {
        let t = TestIndex { dir };
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

/// A folder for data built once per test binary and shared by the tests that only read
/// it, under cargo's `CARGO_TARGET_TMPDIR`, named after this process. Statics are never
/// dropped, so it outlives the run: the next run removes the folders of processes that
/// are gone.
pub fn process_dir(name: &str) -> TempDir {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    sweep(tmp, name);
    tempfile::Builder::new()
        .prefix(&format!("{name}-{}-", std::process::id()))
        .tempdir_in(tmp)
        .unwrap()
}

/// An index built once per test binary and shared by the tests that only read it (no test
/// may write to it: one that does builds its own).
fn shared(name: &str, cell: &'static OnceLock<TestIndex>, paths: &[PathBuf]) -> &'static TestIndex {
    cell.get_or_init(|| TestIndex::of_in(process_dir(name), paths))
}

/// Removes the `{name}-{pid}-*` folders of processes no longer running (Linux: where
/// `/proc` tells; elsewhere they stay, under `target/`).
fn sweep(tmp: &Path, name: &str) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name
            .to_str()
            .and_then(|n| n.strip_prefix(&format!("{name}-")))
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The seeds index, built once per test binary, for tests that only read.
pub fn shared_seeds() -> &'static TestIndex {
    static SEEDS: OnceLock<TestIndex> = OnceLock::new();
    shared("seeds-index", &SEEDS, &[seeds()])
}

/// The shared seeds index, opened in-process once per test binary.
pub fn seeds_engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::open(shared_seeds().path()).unwrap())
}

/// The ten-language articles of `tests/lang/articles`, indexed once per test binary, for
/// tests that only read.
pub fn shared_languages() -> &'static TestIndex {
    static LANGUAGES: OnceLock<TestIndex> = OnceLock::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lang/articles");
    shared("lang-index", &LANGUAGES, &[dir])
}

/// A search's results as the JSON Lines `byline search --json` writes them, made in-process.
pub struct Lines(pub String);

impl Lines {
    /// The records, one per line.
    pub fn records(&self) -> Vec<Value> {
        records(&self.0)
    }

    /// Ids of the `hit` records, in order.
    pub fn hit_ids(&self) -> Vec<String> {
        hit_ids(&self.records())
    }
}

/// Runs `req` on `engine` in-process (the search must succeed), rendered as `search --json`
/// renders it.
pub fn search_with(engine: &Engine, req: &SearchRequest) -> Lines {
    let results = engine
        .search(req)
        .unwrap_or_else(|e| panic!("{:?}: {e}", req.query));
    let mut out = Vec::new();
    byline::output::write_json(&mut out, &results, None).unwrap();
    Lines(String::from_utf8(out).unwrap())
}

/// Searches the shared seeds index in-process: `query` with `passages` per article and the
/// other defaults of `byline search` (10 articles).
pub fn search_seeds(query: &str, passages: usize) -> Lines {
    let mut req = SearchRequest::new(query);
    req.passages = passages;
    search_with(seeds_engine(), &req)
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

/// Ids as a set of `&str`.
pub fn set(ids: &[String]) -> BTreeSet<&str> {
    ids.iter().map(String::as_str).collect()
}

/// Byte-slices a highlight out of a passage, as a JSON consumer would.
pub fn cut(text: &str, h: &Value) -> String {
    let (s, e) = (
        h["start"].as_u64().unwrap() as usize,
        h["end"].as_u64().unwrap() as usize,
    );
    text[s..e].to_string()
}

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

/// The HTTP service on an index, in-process (no socket).
pub fn http_app(idx: &TestIndex) -> axum::Router {
    byline::server::router(
        std::sync::Arc::new(Engine::open(idx.path()).unwrap()),
        byline::server::ServerOptions::default(),
    )
}

/// `GET uri` through the service: the status and the JSON body.
pub async fn http_get(app: &axum::Router, uri: &str) -> (axum::http::StatusCode, Value) {
    let (status, _, bytes) = http_get_raw(app, uri).await;
    (status, serde_json::from_slice(&bytes).unwrap())
}

/// A GET's status, content type and body bytes, in process.
pub async fn http_get_raw(
    app: &axum::Router,
    uri: &str,
) -> (axum::http::StatusCode, String, Vec<u8>) {
    send(
        app,
        axum::http::Request::get(uri)
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await
}

/// A POST of `body`: its status, content type and body bytes, in process.
pub async fn http_post(
    app: &axum::Router,
    uri: &str,
    body: &str,
) -> (axum::http::StatusCode, String, Vec<u8>) {
    let body = axum::body::Body::from(body.to_string());
    send(app, axum::http::Request::post(uri).body(body).unwrap()).await
}

/// Sends one request to the app: the status, content type and body bytes.
async fn send(
    app: &axum::Router,
    request: axum::http::Request<axum::body::Body>,
) -> (axum::http::StatusCode, String, Vec<u8>) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let kind = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, kind, bytes.to_vec())
}
