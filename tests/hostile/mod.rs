//! Hostile clients and hostile text: facet values that hold a `/` or are `unknown`, control
//! characters in scraped text, and a real `byline serve` process under malformed requests
//! and SIGTERM. (Abandoned queued requests are tested in `src/server/admission.rs`; the
//! timed load runs are `tests/reliability/abuse.py`.)

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::util::{facet_values, folder, TestIndex};

/// Four articles: two outlets (one with a `/` in its name), one without an outlet, one with a
/// date known only to its month, one undated.
const RECORDS: &str = r#"{"id":"ap","text":"The envoy Iravani spoke at the council on Monday about the talks.","outlet":"AP/Reuters","date":"2024-11-15"}
{"id":"wire","text":"Iravani told the council the talks would go on.","outlet":"Wire Service","date":"2024-11"}
{"id":"nobody","text":"A report without an outlet: Iravani and the council again.","date":"2024-12-02"}
{"id":"undated","text":"An undated note on Iravani and the council.","outlet":"Wire Service"}
"#;

fn ids(run: &crate::util::Run) -> Vec<String> {
    let mut v = run.hit_ids();
    v.sort();
    v
}

#[test]
fn facet_values_come_back_as_written_and_filter_exactly_as_returned() {
    let dir = folder(&[("a.jsonl", RECORDS.as_bytes())]);
    let idx = TestIndex::of(&[dir.path().to_path_buf()]);
    let run = idx.search("Iravani", &["--facets", "outlet,date", "--limit", "10"]);
    let summary = run.records().pop().unwrap();
    assert_eq!(
        facet_values(&summary, "outlet"),
        [
            ("Wire Service".to_string(), 2),
            ("AP/Reuters".to_string(), 1),
            ("unknown".to_string(), 1)
        ]
    );
    assert_eq!(
        facet_values(&summary, "date"),
        [
            ("2024-11".to_string(), 1),
            ("2024-11-15".to_string(), 1),
            ("2024-12-02".to_string(), 1),
            ("unknown".to_string(), 1)
        ]
    );
    let filtered = |args: &[&str]| {
        let mut all = vec!["--limit", "10"];
        all.extend_from_slice(args);
        ids(&idx.search("Iravani", &all))
    };
    assert_eq!(filtered(&["--outlet", "AP/Reuters"]), ["ap"]);
    assert_eq!(filtered(&["--outlet", "unknown"]), ["nobody"]);
    assert_eq!(
        filtered(&["--outlet", "unknown", "--outlet", "ap/reuters"]),
        ["ap", "nobody"]
    );
    assert_eq!(filtered(&["--date", "unknown"]), ["undated"]);
    // A month holds the articles dated within it, known to the day or to the month.
    assert_eq!(filtered(&["--date", "2024-11"]), ["ap", "wire"]);
    assert_eq!(
        filtered(&["--date", "2024-12-02", "--date", "unknown"]),
        ["nobody", "undated"]
    );
    assert_eq!(filtered(&["--date", "2024"]), ["ap", "nobody", "wire"]);
    // The `outlet:` field of a query reads the same way.
    assert_eq!(ids(&idx.search("Iravani outlet:unknown", &[])), ["nobody"]);
    let bad = idx.search("Iravani", &["--date", "soon"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr
            .contains("\"soon\" is not a date bucket (YYYY-MM-DD, YYYY-MM, YYYY or unknown)"),
        "{}",
        bad.stderr
    );
}

/// Bytes a terminal would obey: C0 controls but newline, DEL, C1 controls (as UTF-8),
/// bidirectional overrides.
fn obeyed(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| {
            (c < ' ' && c != '\n')
                || ('\u{7f}'..='\u{9f}').contains(&c)
                || ('\u{202a}'..='\u{202e}').contains(&c)
        })
        .collect()
}

#[test]
fn control_sequences_in_scraped_text_are_shown_not_obeyed() {
    // A title that sets the terminal's title, a text that clears the screen, plants an OSC 8
    // link, writes the clipboard (OSC 52), rings the bell, and reverses the line.
    let record = "{\"id\":\"evil\\u001b]0;owned\\u0007\",\"title\":\"Iravani\\u001b]0;pwned\\u0007 speaks\",\"outlet\":\"Evil\\u009b2J Times\",\"text\":\"Iravani said\\u001b[2J the \\u001b]8;;http://x\\u001b\\\\talks\\u001b]8;;\\u001b\\\\ go on\\u001b]52;c;ZWNobyBoaQ==\\u0007 \\u202etxt.exe\\u0007.\\n\\nA second line on Iravani.\"}\n";
    let dir = folder(&[("a.jsonl", record.as_bytes())]);
    let idx = TestIndex::of(&[dir.path().to_path_buf()]);
    let id = "evil\u{1b}]0;owned\u{7}";
    for args in [
        vec!["search", "Iravani", "--color", "always", "--passages", "2"],
        vec!["show", id],
        vec!["articles"],
        vec!["facets"],
        vec!["entities"],
    ] {
        let run = idx.run(&args);
        // (Found or nothing found: `entities` may find none in one short article.)
        assert!(
            run.code == 0 || args == ["entities"],
            "{args:?}: {}",
            run.stderr
        );
        let printed = run
            .stdout
            .replace("\x1b[1m", "")
            .replace("\x1b[1;31m", "")
            .replace("\x1b[0m", "");
        assert_eq!(obeyed(&printed), [], "{args:?}: {printed}");
        assert_eq!(obeyed(&run.stderr), [], "{args:?}: {}", run.stderr);
    }
    let shown = idx.run(&["search", "Iravani", "--passages", "2"]).stdout;
    assert!(
        shown.starts_with("1. evil\\x1b]0;owned\\x07  Evil\\u{9b}2J Times"),
        "{shown}"
    );
    assert!(
        shown.contains("   Iravani\\x1b]0;pwned\\x07 speaks\n"),
        "{shown}"
    );
    assert!(
        shown.contains("said\\x1b[2J the \\x1b]8;;http://x\\x1b\\talks\\x1b]8;;\\x1b\\ go on\\x1b]52;c;ZWNobyBoaQ==\\x07 \\u{202e}txt.exe\\x07."),
        "{shown}"
    );
    // JSON keeps the text as stored, and its offsets point into it.
    let run = idx.search("Iravani", &["--passages", "2"]);
    let hit = &run.records()[0];
    assert_eq!(hit["id"], id);
    let passage = hit["passages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["passage"] == 0)
        .unwrap();
    let text = passage["text"].as_str().unwrap();
    assert!(text.contains("said\u{1b}[2J the"), "{text}");
    let h = &passage["highlights"][0];
    let (s, e) = (
        h["start"].as_u64().unwrap() as usize,
        h["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[s..e], "Iravani");
}

/// A `byline serve` process on `idx`: its port, and the child.
fn serve(idx: &TestIndex) -> (u16, std::process::Child) {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("byline"))
        .args([
            "--index",
            &idx.path().display().to_string(),
            "serve",
            "--port",
            "0",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = Vec::new();
    let stderr = child.stderr.as_mut().unwrap();
    let mut byte = [0u8];
    while stderr.read(&mut byte).unwrap() == 1 && byte[0] != b'\n' {
        first.push(byte[0]);
    }
    let first = String::from_utf8(first).unwrap();
    let port = first
        .strip_prefix("byline: serving http://127.0.0.1:")
        .and_then(|p| p.strip_suffix('/'))
        .unwrap_or_else(|| panic!("{first}"))
        .parse()
        .unwrap();
    (port, child)
}

/// Sends raw bytes, reads the answer to its end: status and JSON body.
fn raw(port: u16, request: &[u8]) -> (u16, Value) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let _ = s.write_all(request); // the server may answer and close before reading it all
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let out = String::from_utf8_lossy(&out).to_string();
    let (head, body) = out
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("{out:?}"));
    let status = head[9..12].parse().unwrap();
    assert!(head.contains("content-type: application/json"), "{head}");
    (
        status,
        serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body:?}")),
    )
}

#[cfg(unix)]
#[test]
fn a_real_server_answers_malformed_requests_in_json_and_drains_on_sigterm() {
    let idx = crate::util::shared_seeds();
    let (port, child) = serve(idx);
    let big = [
        &b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: "[..],
        &vec![b'a'; 1_000_000],
        b"\r\n\r\n",
    ]
    .concat();
    let cases: [(&[u8], u16, &str); 5] = [
        (&big, 431, "headers_too_large"),
        (b"GARBAGE\r\n\r\n", 400, "bad_request"),
        (
            b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n",
            400,
            "bad_request",
        ),
        (
            &[&b"GET /"[..], &vec![b'a'; 70_000], b" HTTP/1.1\r\n\r\n"].concat(),
            414,
            "uri_too_long",
        ),
        (
            b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            200,
            "",
        ),
    ];
    for (request, status, code) in cases {
        let (got, body) = raw(port, request);
        assert_eq!(got, status, "{body}");
        if status == 200 {
            assert_eq!(
                (body["status"].as_str(), body["articles"].as_u64()),
                (Some("ok"), Some(5))
            );
        } else {
            assert_eq!(body["error"]["code"], code, "{body}");
        }
    }
    let (_, metrics) = {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.write_all(b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        ((), out)
    };
    assert!(
        metrics.contains("byline_requests_total{route=\"unparsed\",status=\"431\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("byline_requests_total{route=\"unparsed\",status=\"400\"} 2"),
        "{metrics}"
    );
    assert!(Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap()
        .success());
    let out = child.wait_with_output().unwrap();
    let log = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(out.status.code(), Some(0), "{log}");
    assert_eq!(lines.len(), 2, "{log}");
    assert!(
        lines[0].starts_with("byline: SIGTERM: no longer accepting; draining ")
            && lines[0].ends_with(" for at most 11 s; a second signal stops at once"),
        "{log}"
    );
    assert!(
        lines[1].starts_with("byline: stopped: drained in "),
        "{log}"
    );
}
