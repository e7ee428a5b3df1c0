//! Indexing under failure: a read-only and a full disk; searching while an index run writes.

use std::path::Path;
use std::process::Command;

use crate::scale::corpus;
use crate::util::{S000, S001, S002, S003};

/// Whether this machine lets an unprivileged process mount a filesystem in its own mount
/// namespace (`unshare -rm`), which the disk test needs.
fn private_mounts() -> bool {
    Command::new("unshare")
        .args(["-rm", "true"])
        .status()
        .is_ok_and(|s| s.success())
}

/// One step of `disk.sh`: its exit code, stdout and stderr.
/// A step's exit code, stdout and stderr; stderr without progress lines, which a run
/// prints only when it is slow (a loaded machine).
fn step(out: &Path, name: &str) -> (i32, String, String) {
    let read = |ext: &str| std::fs::read_to_string(out.join(format!("{name}.{ext}"))).unwrap();
    let err: String = read("err")
        .lines()
        .filter(|l| !(l.starts_with("byline: ") && l.contains(" articles read, ")))
        .map(|l| format!("{l}\n"))
        .collect();
    (read("code").trim().parse().unwrap(), read("out"), err)
}

fn hit_ids(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|r| r["type"] == "hit")
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

/// On a 1 MiB tmpfs: a read-only remount, then a disk too small for the corpus. Each failed
/// run exits 2 naming the cause and what the index kept; the seeds' commit stays searchable;
/// once the disk has room, the next run completes the corpus.
#[test]
fn a_read_only_or_full_disk_is_a_clear_error_and_the_last_commit_stays_searchable() {
    if !private_mounts() {
        eprintln!("skipped: `unshare -rm` is not allowed here, so no tmpfs can be mounted");
        return;
    }
    const N: usize = 300;
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    corpus::generate(
        &root.join("seeds"),
        N,
        corpus::SEED,
        &dir.path().join("corpus"),
    );
    let (mnt, out) = (dir.path().join("mnt"), dir.path().join("out"));
    std::fs::create_dir_all(&mnt).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    let status = Command::new("unshare")
        .arg("-rm")
        .arg("bash")
        .arg(root.join("tests/reliability/disk.sh"))
        .arg(assert_cmd::cargo::cargo_bin("byline"))
        .arg(root.join("seeds"))
        .arg(dir.path().join("corpus/articles.ndjson"))
        .arg(&mnt)
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success(), "disk.sh: {status}");
    let index = mnt.join("index");
    let kept = String::from(
        "The index keeps its last commit (5 articles), searchable as before; fix the cause and run `byline index` again (it skips the articles already indexed)"
    );
    // Iravani's four articles, in the order the seed index ranks them.
    let four = [S002, S003, S001, S000];

    assert_eq!(step(&out, "seeds").0, 0);

    let (code, _, err) = step(&out, "ro-index");
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        err.trim(),
        format!(
            "byline: error: cannot write the index at {}: .tantivy-writer.lock: Read-only file system (os error 30). {kept}",
            index.display()
        )
    );
    let (code, stdout, err) = step(&out, "ro-search");
    assert_eq!(code, 0, "search on a read-only disk: {err}");
    assert_eq!(hit_ids(&stdout), four);

    let (code, _, err) = step(&out, "full-index");
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        err.trim(),
        format!(
            "byline: error: cannot write the index at {}: No space left on device (os error 28). {kept}",
            index.display()
        )
    );
    let (code, stdout, _) = step(&out, "full-search");
    assert_eq!(code, 0);
    assert_eq!(hit_ids(&stdout), four);
    assert_eq!(step(&out, "full-articles").1.lines().count(), 5);

    let (code, stdout, err) = step(&out, "grown-index");
    assert_eq!(code, 0, "{err}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    // The generated corpus starts with the five seeds, under the same ids: they replace the
    // committed ones (their origin differs, so their hash does too).
    assert_eq!(report["index_articles"], N as u64);
    assert_eq!(report["articles"], N as u64);
    let (code, stdout, _) = step(&out, "grown-search");
    assert_eq!(code, 0);
    assert!(
        hit_ids(&stdout).len() > 4,
        "the corpus's story articles name Iravani too"
    );
}

/// An index in a folder the user may read but not write (an archive shared read-only):
/// searching works, and indexing exits 2 naming the lock it could not take. Run as root,
/// the commands drop to `nobody` (root writes anywhere).
#[test]
fn a_read_only_folder_is_searchable_and_indexing_it_is_a_clear_error() {
    use std::os::unix::fs::PermissionsExt;
    let t = crate::util::TestIndex::seeds();
    let as_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout == b"0\n");
    let mode = |path: &Path, bits: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(bits)).unwrap()
    };
    for entry in std::fs::read_dir(t.path()).unwrap() {
        mode(&entry.unwrap().path(), 0o444);
    }
    mode(t.path(), 0o555);
    // The binary and an input, where `nobody` can reach them (the checkout may sit in a
    // folder only its owner can enter).
    let shared = tempfile::tempdir().unwrap();
    mode(shared.path(), 0o755);
    let bin = shared.path().join("byline");
    std::fs::copy(assert_cmd::cargo::cargo_bin("byline"), &bin).unwrap();
    mode(&bin, 0o755);
    let input = shared.path().join("article.txt");
    std::fs::write(&input, "Iravani met Musk in New York.").unwrap();
    mode(&input, 0o644);
    let run = |args: &[&str]| {
        let mut cmd = if as_root {
            let mut c = Command::new("setpriv");
            c.args(["--reuid", "65534", "--regid", "65534", "--clear-groups"])
                .arg(&bin);
            c
        } else {
            Command::new(&bin)
        };
        let out = cmd
            .arg("--index")
            .arg(t.path())
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (code, stdout, err) = run(&["search", "Iravani", "--json"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(hit_ids(&stdout), [S002, S003, S001, S000]);
    let (code, _, err) = run(&["index", input.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert_eq!(
        err.trim(),
        format!(
            "byline: error: cannot write the index at {}: .tantivy-writer.lock: Permission denied (os error 13). The index keeps its last commit (5 articles), searchable as before; fix the cause and run `byline index` again (it skips the articles already indexed)",
            t.path().display()
        )
    );
    mode(t.path(), 0o755); // so the temporary folder can be removed
}

/// A running `byline serve`, stopped when dropped.
struct Server {
    child: std::process::Child,
    addr: String,
}

impl Server {
    fn start(index: &Path, extra: &[&str]) -> Server {
        use std::io::BufRead;
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("byline"))
            .env_remove("BYLINE_INDEX")
            .env_remove("BYLINE_API_KEY")
            .arg("--index")
            .arg(index)
            .args(["serve", "--port", "0"])
            .args(extra)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        let stderr = child.stderr.take().unwrap();
        std::io::BufReader::new(stderr)
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .trim()
            .strip_prefix("byline: serving http://")
            .and_then(|a| a.strip_suffix('/'))
            .unwrap_or_else(|| panic!("serve said {line:?}"))
            .to_string();
        Server { child, addr }
    }

    /// GET `path`: the status line and the body.
    fn get(&self, path: &str) -> (String, String) {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(&self.addr).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let (head, body) = response.split_once("\r\n\r\n").unwrap();
        (head.lines().next().unwrap().to_string(), body.to_string())
    }

    fn articles(&self) -> u64 {
        let (status, body) = self.get("/healthz");
        assert_eq!(status, "HTTP/1.1 200 OK", "{body}");
        let health: serde_json::Value = serde_json::from_str(&body).unwrap();
        health["articles"].as_u64().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// While an index run writes a corpus in commits of 25 articles, `byline search` and a
/// running `byline serve` answer every request, each sees only whole commits and never goes
/// back, both see a commit land during the run, and the server sees the last one.
///
/// The run is made in-process so that the test can pause it: the corpus holds a malformed
/// line after every 25th record, and the run waits in its skip callback until the test has
/// looked. Skips are reported as lines are read, and articles are written in batches of
/// 256 read (the ingest's `BATCH`), so the pause after record 275 comes after the commits
/// up to 250 and before the last ones.
#[test]
fn search_and_serve_answer_during_an_index_run_and_see_its_commits() {
    const N: u64 = 300;
    const BATCH: u64 = 25;
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    corpus::generate(
        &root.join("seeds"),
        N as usize,
        corpus::SEED,
        &dir.path().join("corpus"),
    );
    let ndjson = dir.path().join("corpus/articles.ndjson");
    let records = std::fs::read_to_string(&ndjson).unwrap();
    let mut paced = String::new();
    for (i, line) in records.lines().enumerate() {
        paced.push_str(line);
        paced.push('\n');
        if (i + 1) % BATCH as usize == 0 && i + 1 < N as usize {
            paced.push_str("{malformed\n");
        }
    }
    std::fs::write(&ndjson, paced).unwrap();
    let index = dir.path().join("index");
    let bin = assert_cmd::cargo::cargo_bin("byline");
    let byline = |args: &[&str]| {
        let mut cmd = Command::new(&bin);
        cmd.env_remove("BYLINE_INDEX")
            .arg("--index")
            .arg(&index)
            .args(args);
        cmd
    };
    let seeded = byline(&["index"]).arg(root.join("seeds")).output().unwrap();
    assert!(seeded.status.success());
    let server = Server::start(&index, &[]);
    assert_eq!(server.articles(), 5);

    let (paused, pauses) = std::sync::mpsc::channel::<()>();
    let (resume, resumed) = std::sync::mpsc::channel::<()>();
    let run = {
        let (index, ndjson) = (index.clone(), ndjson.clone());
        std::thread::spawn(move || {
            let store = byline::Store::open(&index).unwrap();
            let options = byline::IndexOptions {
                paths: vec![ndjson],
                commit_every: BATCH,
                ..byline::IndexOptions::default()
            };
            byline::index(&store, &options, &mut |_skip| {
                paused.send(()).unwrap();
                resumed.recv().unwrap();
            })
        })
    };
    // The corpus starts with the seeds, so the index holds 5, then each commit's total.
    let whole = |n: u64| n == 5 || (n.is_multiple_of(BATCH) && n <= N);
    let between = |seen: &[u64]| seen.iter().filter(|&&n| n > 5 && n < N).count();
    let (mut served, mut searched) = (vec![5u64], vec![5u64]);
    let serve = |served: &mut Vec<u64>| {
        let n = server.articles();
        assert!(
            whole(n) && n >= *served.last().unwrap(),
            "served {n} after {served:?}"
        );
        served.push(n);
        n
    };
    let mut stops = 0;
    loop {
        let finished = run.is_finished();
        let stopped = pauses.try_recv().is_ok();
        serve(&mut served);
        let (status, body) = server.get("/search?q=Iravani&limit=3");
        assert_eq!(status, "HTTP/1.1 200 OK", "{body}");
        let out = byline(&["articles", "--json"]).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        let n = String::from_utf8(out.stdout).unwrap().lines().count() as u64;
        assert!(
            whole(n) && n >= *searched.last().unwrap(),
            "searched {n} after {searched:?}"
        );
        searched.push(n);
        let out = byline(&["search", "Iravani", "--json"]).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        if stopped {
            stops += 1;
            // Paused mid-run on a commit: the server reloads to it while nothing else lands.
            if n > 5 && n < N && between(&served) == 0 {
                let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
                while serve(&mut served) != n {
                    assert!(
                        std::time::Instant::now() < deadline,
                        "serve still at {served:?}, a minute after commit {n}"
                    );
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
            }
            resume.send(()).unwrap();
        }
        if finished {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let report = run.join().unwrap().unwrap();
    assert_eq!(
        (
            report.articles,
            report.skipped.len(),
            report.index_articles,
            stops
        ),
        (N, 11, N, 11)
    );
    assert!(
        between(&searched) > 0,
        "search saw no commit land: {searched:?}"
    );
    assert!(between(&served) > 0, "serve saw no commit land: {served:?}");
    assert_eq!(*searched.last().unwrap(), N);
    // The server reloads after the last commit lands.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while serve(&mut served) != N {
        assert!(
            std::time::Instant::now() < deadline,
            "serve still at {served:?}, a minute after the run"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Reads until the server closes the connection (or resets it): what it sent, and how long
/// that took. A connection still open after a minute fails the test: the server never cut
/// it off.
fn until_closed(stream: &mut std::net::TcpStream) -> (Vec<u8>, std::time::Duration) {
    use std::io::{ErrorKind, Read};
    let started = std::time::Instant::now();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(60)))
        .unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if e.kind() == ErrorKind::ConnectionReset => break,
            Err(e) => panic!(
                "still open after {:?} ({e}), having sent {:?}",
                started.elapsed(),
                String::from_utf8_lossy(&got)
            ),
        }
    }
    (got, started.elapsed())
}

/// Slow and idle clients: with `--header-timeout-ms 300`, a client that sends part of its
/// headers, nothing at all, or its headers a byte at a time is disconnected without an
/// answer once 300 ms pass (never before), as is a kept-alive connection left idle; a
/// request whose body never comes is answered at once (no route reads a body).
#[test]
fn slow_and_idle_clients_are_disconnected_after_the_header_timeout() {
    use std::io::{Read, Write};
    use std::time::Duration;
    let t = crate::util::shared_seeds();
    let server = Server::start(t.path(), &["--header-timeout-ms", "300"]);
    let connect = || std::net::TcpStream::connect(&server.addr).unwrap();
    let limit = Duration::from_millis(300);

    let mut partial = connect();
    partial
        .write_all(b"GET /search?q=Iravani HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let (got, took) = until_closed(&mut partial);
    assert!(
        got.is_empty() && took >= limit - Duration::from_millis(20),
        "{took:?}: {got:?}"
    );

    let (got, took) = until_closed(&mut connect());
    assert!(
        got.is_empty() && took >= limit - Duration::from_millis(20),
        "{took:?}: {got:?}"
    );

    // A byte every 50 ms, of headers that never end: the timeout counts from the first
    // byte, so the drip is cut off however long it keeps going (a timer restarted by each
    // byte would never fire). Writes fail once the server has closed.
    let mut drip = connect();
    drip.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Drip: ")
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while drip.write_all(b"a").is_ok() {
        assert!(
            std::time::Instant::now() < deadline,
            "the dripping client was never cut off"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let (got, _) = until_closed(&mut drip);
    assert!(got.is_empty(), "{got:?}");

    let mut idle = connect();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut first = [0u8; 15];
    idle.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"HTTP/1.1 200 OK");
    let (rest, _) = until_closed(&mut idle);
    assert!(String::from_utf8_lossy(&rest).contains("\"articles\":5"));

    let mut no_body = connect();
    no_body
        .write_all(b"GET /search?q=Iravani HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n")
        .unwrap();
    let got = response(&mut no_body);
    assert!(
        got.starts_with("HTTP/1.1 200 OK") && got.contains(S002),
        "{got}"
    );
}

/// Reads one response, its head and the body its `content-length` gives (the connection
/// may stay open after it). No whole response within a minute fails the test.
fn response(stream: &mut std::net::TcpStream) -> String {
    use std::io::Read;
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(60)))
        .unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&got).to_string();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length: ")
                        .map(str::to_string)
                })
                .unwrap_or_else(|| panic!("no content-length in {head}"));
            if body.len() >= length.trim().parse().unwrap() {
                return text;
            }
        }
        match stream.read(&mut buf) {
            Ok(0) => panic!("closed after {text:?}"),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) => panic!("{e} after {text:?}"),
        }
    }
}
