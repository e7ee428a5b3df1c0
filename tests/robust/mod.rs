//! Real scraped input never breaks a run: words a stemmer cannot read, metadata as scrapers
//! write it, record files of every common shape, and hostile files.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::util::{folder, TestIndex};

/// A real Greek word form that makes rust-stemmers 1.2.0's Greek stemmer panic (Snowball
/// issue #204), in a real-looking Greek sentence.
const GREEK: &str = "Η λέξη ισαισα εμφανίζεται στο κείμενο της πολιτικής ανάλυσης.\n\
                     Η κυβέρνηση ανακοίνωσε νέα μέτρα για την οικονομία.\n";

#[tokio::test]
async fn a_word_that_panics_a_stemmer_is_indexed_and_searched_unstemmed() {
    let mut files: Vec<(String, Vec<u8>)> = (0..40)
        .map(|i| {
            (
                format!("en{i:02}.txt"),
                format!("Article {i} on the ministers' meeting about sanctions.\n").into_bytes(),
            )
        })
        .collect();
    files.push(("greek.txt".into(), GREEK.as_bytes().to_vec()));
    let files: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let dir = folder(&files);
    let idx = TestIndex {
        dir: tempfile::tempdir().unwrap(),
    };
    let run = idx.index(&[dir.path().to_path_buf()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = &run.records()[0];
    assert_eq!(report["articles"], 41);
    assert_eq!(
        report["warnings"][0],
        "a stemmer failed on 1 word occurrence(s), indexed unstemmed: Greek \"ισαισα\""
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);

    let found = idx.search("ισαισα", &[]);
    assert_eq!(found.code, 0, "{}", found.stderr);
    assert_eq!(found.hit_ids(), ["greek"]);
    let summary = found.records().pop().unwrap();
    assert_eq!(
        summary["warnings"][0],
        "the Greek stemmer cannot read \"ισαισα\": searched unstemmed"
    );
    assert!(!found.stderr.contains("panicked"), "{}", found.stderr);
    // Other Greek words are still stemmed: the genitive finds the article by its stem.
    assert_eq!(idx.search("πολιτική", &[]).hit_ids(), ["greek"]);

    let app = byline::server::router(
        Arc::new(byline::Engine::open(idx.path()).unwrap()),
        byline::server::ServerOptions::default(),
    );
    let response = app
        .oneshot(
            Request::get("/search?q=%CE%B9%CF%83%CE%B1%CE%B9%CF%83%CE%B1")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["hits"][0]["id"], "greek");
}

/// `(id, date, lang)` of every article, from `articles --json`.
fn dates_and_langs(idx: &TestIndex) -> Vec<(String, String, String)> {
    idx.run(&["articles", "--json"])
        .records()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap_or("").to_string(),
                r["date"].as_str().unwrap_or("-").to_string(),
                r["lang"].as_str().unwrap_or("-").to_string(),
            )
        })
        .collect()
}

fn indexed(files: &[(&str, &[u8])]) -> (TestIndex, crate::util::Run) {
    let dir = folder(files);
    let idx = TestIndex {
        dir: tempfile::tempdir().unwrap(),
    };
    let run = idx.index(&[dir.path().to_path_buf()]);
    (idx, run)
}

#[test]
fn dates_and_languages_as_scrapers_write_them_are_read() {
    let records = [
        (r#""2024-11-15T10:00:00Z""#, r#""fas""#),
        (r#""Fri, 15 Nov 2024 10:00:00 GMT""#, r#""per""#),
        (r#""2024-11-15 10:00""#, r#""nb""#),
        (r#""2024-11-15T23:30:00-05:00""#, r#""nn""#),
        (r#""2024-11""#, r#""iw""#),
        (r#""2024""#, r#""fil""#),
        (r#"1731664800"#, r#""Farsi""#),
        (r#""last Friday""#, r#""Deutsch""#),
    ];
    let lines: String = records
        .iter()
        .enumerate()
        .map(|(i, (date, lang))| {
            format!(
                "{{\"id\":\"r{i}\",\"text\":\"Report number {i} on the talks.\",\"date\":{date},\"lang\":{lang}}}\n"
            )
        })
        .collect();
    let (idx, run) = indexed(&[("a.jsonl", lines.as_bytes())]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let want = [
        ("r0", "2024-11-15", "fa"),
        ("r1", "2024-11-15", "fa"),
        ("r2", "2024-11-15", "no"),
        ("r3", "2024-11-15", "no"),
        ("r4", "2024-11", "he"),
        ("r5", "2024", "tl"),
        ("r6", "2024-11-15", "fa"),
        ("r7", "-", "de"),
    ];
    let got = dates_and_langs(&idx);
    let got: Vec<(&str, &str, &str)> = got
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    assert_eq!(got, want);
    assert_eq!(
        run.records()[0]["warnings"],
        serde_json::json!([format!(
            "{}:8: date \"last Friday\" is not a date byline reads (ISO 8601, RFC 2822, YYYY-MM-DD HH:MM, YYYY-MM, YYYY); date left unknown",
            idx_dir_file(&run, "a.jsonl")
        )])
    );
    // A month is found by its month and by a range around it, not by a day inside it.
    let by = |since: &str, until: &str| {
        let mut ids = idx
            .search(
                "talks",
                &["--since", since, "--until", until, "--limit", "20"],
            )
            .hit_ids();
        ids.sort();
        ids
    };
    assert_eq!(
        by("2024-11", "2024-11"),
        ["r0", "r1", "r2", "r3", "r4", "r6"]
    );
    assert_eq!(
        by("2024-11-15", "2024-11-15"),
        ["r0", "r1", "r2", "r3", "r6"]
    );
    assert_eq!(
        by("2024", "2024"),
        ["r0", "r1", "r2", "r3", "r4", "r5", "r6"]
    );
    let facets = idx.run(&["facets", "--facets", "date", "--json"]).records();
    assert_eq!(
        crate::util::facet_values(&facets[0], "date"),
        [
            // The dates span more than 62 days, so days are counted by month.
            ("2024".to_string(), 1),
            ("2024-11".to_string(), 6),
            ("unknown".to_string(), 1)
        ]
    );
}

/// The path `index` printed for a file of the indexed folder (a temp folder).
fn idx_dir_file(run: &crate::util::Run, name: &str) -> String {
    let w = run.records()[0]["warnings"][0]
        .as_str()
        .unwrap_or("")
        .to_string();
    let end = w.find(name).map_or(0, |at| at + name.len());
    w[..end].to_string()
}

#[test]
fn metadata_keys_byline_does_not_read_are_kept_and_author_is_read() {
    let (idx, run) = indexed(&[
        ("a.txt", b"Iravani met Musk in New York.\n"),
        (
            "metadata.toml",
            b"[[article]]\nfile = \"a.txt\"\noutlet = \"Green Watch\"\ndate = \"2024-11-15\"\nauthor = \"Staff\"\nsection = \"World\"\n",
        ),
        (
            "b.jsonl",
            br#"{"id":"b","text":"Second report.","authors":["A. One","B. Two"],"tags":["x"],"domain":"example.org"}"#,
        ),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "byline: note: metadata keys kept as extra, not searched: section (1), tags (1)"
        ),
        "{}",
        run.stderr
    );
    let a = &idx.run(&["show", "a", "--json"]).records()[0];
    assert_eq!(
        (&a["outlet"], &a["date"], &a["author"], &a["extra"]),
        (
            &serde_json::json!("Green Watch"),
            &serde_json::json!("2024-11-15"),
            &serde_json::json!(["Staff"]),
            &serde_json::json!({"section": "World"})
        )
    );
    let b = &idx.run(&["show", "b", "--json"]).records()[0];
    assert_eq!(
        (&b["author"], &b["site"], &b["extra"]),
        (
            &serde_json::json!(["A. One", "B. Two"]),
            &serde_json::json!("example.org"),
            &serde_json::json!({"tags": ["x"]})
        )
    );
    // author: finds a name whole or by a word, in any case, and restricts a search.
    assert_eq!(idx.search("author:staff", &[]).hit_ids(), ["a"]);
    assert_eq!(idx.search("author:\"b. two\"", &[]).hit_ids(), ["b"]);
    assert_eq!(idx.search("author:Two", &[]).hit_ids(), ["b"]);
    assert_eq!(
        idx.search("Iravani report author:Two", &[]).hit_ids(),
        ["b"]
    );
    assert_eq!(
        idx.search("Iravani report author:staff", &[]).hit_ids(),
        ["a"]
    );
    assert_eq!(idx.search("author:nobody", &[]).code, 1);
}

#[test]
fn record_files_of_every_common_shape_are_read_and_others_counted() {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(
        b"{\"id\":\"g1\",\"text\":\"Gzip one.\"}\n{\"id\":\"g2\",\"text\":\"Gzip two.\"}\n",
    )
    .unwrap();
    let gz = gz.finish().unwrap();
    let (idx, run) = indexed(&[
        ("s.jl", b"{\"id\":\"j1\",\"text\":\"Scrapy item.\"}\n"),
        (
            "arr.json",
            b"[{\"id\":\"a1\",\"text\":\"Array one.\"},{\"id\":\"a2\",\"text\":\"Array two.\"}]",
        ),
        ("one.json", b"{\"id\":\"o1\",\"text\":\"One object.\"}"),
        ("c.jsonl.gz", &gz),
        ("page.html", b"<html></html>"),
        ("b.html", b"<html></html>"),
        ("doc.pdf", b"%PDF"),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut ids: Vec<String> = dates_and_langs(&idx).into_iter().map(|t| t.0).collect();
    ids.sort();
    assert_eq!(ids, ["a1", "a2", "g1", "g2", "j1", "o1"]);
    assert!(
        run.stderr
            .contains("byline: note: not read: 2 .html, 1 .pdf"),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.records()[0]["not_read"],
        serde_json::json!({".html": 2, ".pdf": 1})
    );
}

#[cfg(unix)]
#[test]
fn special_files_are_never_opened_and_odd_text_is_read_as_lines() {
    let dir = folder(&[
        (
            "bom.jsonl",
            b"\xef\xbb\xbf{\"id\":\"bom1\",\"text\":\"First record after a mark.\"}\n{\"id\":\"bom2\",\"text\":\"Second.\"}\n",
        ),
        ("bomtxt.txt", b"\xef\xbb\xbf date 2024-11-15 Text after a mark.\n"),
        (
            "cr.txt",
            b"Iravani met Musk.\rRead more\rThe officials denied it.\rRead more\r",
        ),
    ]);
    let fifo = dir.path().join("pipe.txt");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    std::os::unix::fs::symlink("/dev/urandom", dir.path().join("random.jsonl")).unwrap();
    let idx = TestIndex {
        dir: tempfile::tempdir().unwrap(),
    };
    let run = idx.index(&[dir.path().to_path_buf()]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let skipped: Vec<String> = run.records()[0]["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let origin = s["origin"].as_str().unwrap();
            let name = origin.rsplit('/').next().unwrap();
            format!("{name}: {}", s["reason"].as_str().unwrap())
        })
        .collect();
    assert_eq!(
        skipped,
        [
            "pipe.txt: a named pipe (FIFO), not a regular file: not read",
            "random.jsonl: a device, not a regular file: not read"
        ]
    );
    let got = dates_and_langs(&idx);
    let ids: Vec<&str> = got.iter().map(|t| t.0.as_str()).collect();
    assert_eq!(ids, ["bom1", "bom2", "bomtxt", "cr"]);
    assert_eq!(got[2].1, "2024-11-15");
    // CR-only line ends are lines: "Read more" is furniture, each sentence its own paragraph.
    let cr = &idx.run(&["show", "cr", "--json"]).records()[0];
    let removed: Vec<&str> = cr["furniture"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["reason"].as_str().unwrap())
        .collect();
    assert_eq!(removed, ["link_label", "link_label"]);
    assert_eq!(idx.search("\"Read more\"", &[]).code, 1);
}

#[test]
fn nothing_to_index_or_no_index_is_an_error_that_creates_nothing() {
    let here = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = crate::util::byline()
            .current_dir(here.path())
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, err) = run(&["search", "Musk"]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        err.trim(),
        "byline: error: no byline index at index: build one with `byline index PATH` (run here, or with --index DIR), or point to one with --index DIR or BYLINE_INDEX"
    );
    let (code, err) = run(&["index", "/no/such/path"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.starts_with("byline: error: nothing to index: /no/such/path: cannot read:"),
        "{err}"
    );
    std::fs::create_dir(here.path().join("pages")).unwrap();
    std::fs::write(here.path().join("pages/a.html"), "<p>").unwrap();
    let (code, err) = run(&["index", "pages"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("nothing to index in pages"), "{err}");
    let left: Vec<String> = std::fs::read_dir(here.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["pages"]);
}

#[test]
fn prune_removes_exactly_the_articles_whose_files_are_gone_and_delete_removes_by_id() {
    let dir = folder(&[
        ("a.txt", b"Iravani met Musk in New York.\n"),
        ("b.txt", b"Iravani denied the meeting.\n"),
        ("sub/c.txt", b"Musk and Iravani talked for an hour.\n"),
        (
            "r.jsonl",
            b"{\"id\":\"r1\",\"text\":\"Iravani spoke.\"}\n{\"id\":\"r2\",\"text\":\"Iravani left.\"}\n",
        ),
    ]);
    let idx = TestIndex {
        dir: tempfile::tempdir().unwrap(),
    };
    assert_eq!(idx.index(&[dir.path().to_path_buf()]).code, 0);
    let engine = byline::Engine::open(idx.path()).unwrap();
    let ids = |e: &byline::Engine| -> Vec<String> {
        let mut ids: Vec<String> = e
            .search(&byline::SearchRequest::new("Iravani"))
            .unwrap()
            .hits
            .iter()
            .map(|h| h.article.id.clone())
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&engine), ["a", "b", "c", "r1", "r2"]);

    std::fs::remove_file(dir.path().join("b.txt")).unwrap();
    std::fs::write(
        dir.path().join("r.jsonl"),
        "{\"id\":\"r1\",\"text\":\"Iravani spoke.\"}\n",
    )
    .unwrap();
    let path = dir.path().display().to_string();
    let run = idx.run(&["index", "--prune", "--json", &path]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = &run.records()[0];
    assert_eq!(report["pruned"], serde_json::json!(["b", "r2"]));
    assert_eq!(report["unchanged"], 3);
    assert!(
        run.stderr.contains("byline: pruned 2: b, r2"),
        "{}",
        run.stderr
    );
    // Without --prune, or for another folder, nothing is removed.
    let other = folder(&[("z.txt", b"Zelensky spoke.\n")]);
    let run = idx.run(&[
        "index",
        "--prune",
        "--json",
        &other.path().display().to_string(),
    ]);
    assert_eq!(run.records()[0]["pruned"], serde_json::json!([]));

    let run = idx.run(&["delete", "c", "nope", "--json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.records()[0],
        serde_json::json!({"deleted": ["c"], "unknown": ["nope"]})
    );
    assert!(
        run.stderr.contains("no article with id nope"),
        "{}",
        run.stderr
    );
    // A new process (a restart) and the engine opened before both see the removals.
    assert_eq!(idx.search("Iravani", &[]).hit_ids().len(), 2);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while ids(&engine) != ["a", "r1"] && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(ids(&engine), ["a", "r1"]);
    assert_eq!(idx.run(&["delete", "c"]).code, 1);
}

#[cfg(unix)]
#[test]
fn sigterm_during_index_commits_what_was_written_and_exits_143() {
    let lines: String = (0..3000)
        .map(|i| {
            format!(
                "{{\"id\":\"a{i}\",\"text\":\"Report {i}: the envoy met the minister in New York to discuss sanctions and the talks.\\n\\nA second paragraph on the ministers, the envoy and the sanctions.\"}}\n"
            )
        })
        .collect();
    let dir = folder(&[("a.jsonl", lines.as_bytes())]);
    let idx = tempfile::tempdir().unwrap();
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("byline"))
        .args([
            "--index",
            &idx.path().display().to_string(),
            "index",
            "--json",
        ])
        .args(["--commit-every", "100"])
        .arg(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Stop it once the first batch is committed: not by a clock, which a fast machine beats.
    let meta = idx.path().join("meta.json");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let committed = |m: String| {
        serde_json::from_str::<serde_json::Value>(&m)
            .is_ok_and(|v| v["segments"].as_array().is_some_and(|s| !s.is_empty()))
    };
    while !std::fs::read_to_string(&meta).is_ok_and(committed)
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let pid = child.id().to_string();
    assert!(std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(143), "{stderr}");
    assert!(
        stderr.contains("byline: stopped by SIGTERM: what was indexed is committed"),
        "{stderr}"
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let written = report["articles"].as_u64().unwrap();
    assert!(written < 3000, "{report}");
    assert_eq!(report["stopped"], 15);
    assert_eq!(report["index_articles"], written);
    // The next run goes on where it stopped.
    let idx = TestIndex { dir: idx };
    let run = idx.index(&[dir.path().to_path_buf()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.records()[0]["unchanged"], written);
    assert_eq!(run.records()[0]["index_articles"], 3000);
}

#[test]
fn every_greek_word_known_to_panic_the_stemmer_is_indexed_and_found() {
    // The sweep's five words and the idiom ίσα-ίσα, whose joined form panics too.
    let text = "Ο ίσα-ίσα λόγος. Ανεύρετε, αντίθετε, ανυπέρθετε, εμπύρετε, παγαίνετε.\n";
    let (idx, run) = indexed(&[("el.txt", text.as_bytes())]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warning = run.records()[0]["warnings"][0]
        .as_str()
        .unwrap_or("")
        .to_string();
    for word in [
        "ίσαίσα",
        "ανεύρετε",
        "αντίθετε",
        "ανυπέρθετε",
        "εμπύρετε",
        "παγαίνετε",
    ] {
        assert!(warning.contains(&format!("Greek \"{word}\"")), "{warning}");
        assert_eq!(idx.search(word, &[]).hit_ids(), ["el"], "{word}");
    }
    assert_eq!(idx.search("ίσα-ίσα", &[]).hit_ids(), ["el"]);
}

#[test]
fn a_rerun_over_unchanged_inputs_reads_nothing_and_any_change_reads_everything() {
    let dir = folder(&[
        ("a.txt", b"Iravani met Musk in New York.\n"),
        ("b.txt", b"Iravani denied the meeting.\n"),
    ]);
    let idx = TestIndex {
        dir: tempfile::tempdir().unwrap(),
    };
    let path = dir.path().to_path_buf();
    assert_eq!(
        idx.index(std::slice::from_ref(&path)).records()[0]["articles"],
        2
    );
    let again = idx.index(std::slice::from_ref(&path));
    assert_eq!(again.code, 0, "{}", again.stderr);
    let report = &again.records()[0];
    assert_eq!(
        (&report["articles"], &report["unchanged"]),
        (&serde_json::json!(0), &serde_json::json!(2))
    );
    assert!(
        again
            .stderr
            .contains("no input changed since the last run over these paths: 2 files not read"),
        "{}",
        again.stderr
    );
    // A deleted article comes back on the next run: the index changed since.
    assert_eq!(idx.run(&["delete", "b"]).code, 0);
    let after_delete = idx.index(std::slice::from_ref(&path)).records()[0].clone();
    assert_eq!(
        (&after_delete["articles"], &after_delete["unchanged"]),
        (&serde_json::json!(1), &serde_json::json!(1))
    );
    // A new or changed file makes a full run, where content hashes decide.
    std::fs::write(dir.path().join("c.txt"), "Musk spoke.\n").unwrap();
    let changed = idx.index(std::slice::from_ref(&path)).records()[0].clone();
    assert_eq!(
        (&changed["articles"], &changed["unchanged"]),
        (&serde_json::json!(1), &serde_json::json!(2))
    );
    // Other options are another run.
    let other = idx.run(&[
        "index",
        "--json",
        "--lang",
        "en",
        &path.display().to_string(),
    ]);
    assert_eq!(other.records()[0]["unchanged"], 0);
}
