//! Screening a watch-list against the seeds: which articles each entry finds, what matched,
//! the list's own columns carried through, a bad entry reported with its line, CSV read back.

use crate::util::{folder, shared_seeds, S000, S001, S002, S003};

#[test]
fn each_entry_finds_its_articles_with_what_matched() {
    let list = folder(&[(
        "list.txt",
        b"Iravani\n\n# people of interest\nAraghchi\nNobody Atall\n" as &[u8],
    )]);
    let path = list.path().join("list.txt");
    let run = shared_seeds().run(&["screen", path.to_str().unwrap(), "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let records = run.records();
    let entries: Vec<(u64, &str, u64)> = records
        .iter()
        .filter(|r| r["type"] == "entry")
        .map(|r| {
            (
                r["line"].as_u64().unwrap(),
                r["name"].as_str().unwrap(),
                r["articles"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        [
            (1, "Iravani", 4),
            (4, "Araghchi", 1),
            (5, "Nobody Atall", 0)
        ]
    );
    let mut iravani: Vec<&str> = records
        .iter()
        .filter(|r| r["type"] == "match" && r["name"] == "Iravani")
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    iravani.sort();
    assert_eq!(iravani, [S000, S001, S002, S003]);
    let araghchi: Vec<&serde_json::Value> = records
        .iter()
        .filter(|r| r["type"] == "match" && r["name"] == "Araghchi")
        .collect();
    assert_eq!(araghchi.len(), 1);
    assert_eq!(araghchi[0]["id"], S000);
    let how = &araghchi[0]["passages"][0]["matched_as"][0];
    assert_eq!(
        (&how["form"], &how["how"]),
        (&"Arghachi".into(), &"fold".into())
    );
    let text = shared_seeds().run(&["screen", path.to_str().unwrap()]);
    assert!(text.stdout.starts_with("Iravani (line 1): 4 articles\n"));
    assert!(text.stdout.contains("matched: Araghchi → Arghachi (fold)"));
    assert!(text.stdout.ends_with("Nobody Atall (line 5): 0 articles\n"));
}

#[test]
fn a_csv_list_keeps_its_columns_and_a_bad_entry_does_not_stop_the_rest() {
    let csv_list =
        "id,name,note\n7,Iravani,envoy\n8,\"AND OR (\",broken\n9,Nobody Atall,\"a, b\"\n";
    let list = folder(&[("list.csv", csv_list.as_bytes())]);
    let path = list.path().join("list.csv");
    let run = shared_seeds().run(&["screen", path.to_str().unwrap(), "--format", "csv"]);
    // An entry failed: exit 2, the others answered.
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("byline: line 3: AND OR (: bad query"),
        "{}",
        run.stderr
    );
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        &header[..6],
        ["line", "name", "id", "note", "articles", "article"]
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    // Four rows for Iravani's articles, one (without an article) for Nobody Atall.
    assert_eq!(rows.len(), 5);
    assert!(rows[..4]
        .iter()
        .all(|r| r[..5] == ["2", "Iravani", "7", "envoy", "4"]));
    assert_eq!(rows[4][..6], ["4", "Nobody Atall", "9", "a, b", "0", ""]);
    // Python's csv module reads the same rows back.
    let script = "import csv,sys; rows=list(csv.reader(sys.stdin)); \
                  print(len(rows)-1, rows[5][3], rows[1][-1][:10])";
    let python = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn();
    if let Ok(mut child) = python {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(run.stdout.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let first = &rows[0][rows[0].len() - 1];
        let expected = format!("5 a, b {}\n", first.chars().take(10).collect::<String>());
        assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);
    }
}

#[test]
fn a_missing_list_is_a_clear_error() {
    let run = shared_seeds().run(&["screen", "/nonexistent/list.txt"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("/nonexistent/list.txt"),
        "{}",
        run.stderr
    );
}

#[tokio::test]
async fn http_screens_a_posted_list_and_refuses_an_empty_one() {
    use axum::http::StatusCode;
    let app = crate::util::http_app(shared_seeds());
    let (status, kind, body) = crate::util::http_post(
        &app,
        "/screen",
        "name,desk\nIravani,UN\nAraghchi,Tehran\nNobody Atall,none\n",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kind, "application/x-ndjson; charset=utf-8");
    let records: Vec<serde_json::Value> = String::from_utf8(body)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let entries: Vec<(&str, u64, &str)> = records
        .iter()
        .filter(|r| r["type"] == "entry")
        .map(|r| {
            (
                r["name"].as_str().unwrap(),
                r["articles"].as_u64().unwrap(),
                r["fields"]["desk"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        [
            ("Iravani", 4, "UN"),
            ("Araghchi", 1, "Tehran"),
            ("Nobody Atall", 0, "none")
        ]
    );
    let (status, _, body) = crate::util::http_post(&app, "/screen", "\n# nothing\n").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let error: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        error["error"]["message"],
        "the watch-list in the request body has no entry"
    );
    let (status, body) = crate::util::http_get(&app, "/screen").await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        body["error"]["message"],
        "method not allowed: /screen takes POST"
    );
}
