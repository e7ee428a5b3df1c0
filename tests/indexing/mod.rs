//! Indexing into an index of the test's own: re-runs write only what changed, bad inputs
//! are skipped and reported, and a second writer is refused.

use crate::util::{folder, seed, TestIndex, S000, S001};

#[test]
fn indexing_twice_replaces_and_never_duplicates() {
    let idx = TestIndex::seeds();
    let counts = |run: &crate::util::Run| {
        let r: serde_json::Value = serde_json::from_str(run.stdout.trim()).unwrap();
        (
            r["articles"].as_u64(),
            r["index_articles"].as_u64(),
            r["index_passages"].as_u64(),
            r["furniture"].as_u64(),
        )
    };
    // Unchanged articles are not written again.
    let again = idx.index(&[crate::util::seeds()]);
    assert_eq!(again.code, 0);
    assert_eq!(counts(&again), (Some(0), Some(5), Some(54), Some(0)));
    let report: serde_json::Value = serde_json::from_str(again.stdout.trim()).unwrap();
    assert_eq!(report["unchanged"], 5);
    // --force writes them all again, and still nothing is duplicated.
    let forced = idx.run(&[
        "index",
        "--json",
        "--force",
        &crate::util::seeds().display().to_string(),
    ]);
    assert_eq!(forced.code, 0);
    assert_eq!(counts(&forced), (Some(5), Some(5), Some(54), Some(6)));
    assert_eq!(idx.search("Iravani", &[]).hit_ids().len(), 4);
}

#[test]
fn a_rerun_writes_only_the_articles_that_changed() {
    let names = [S000, S001];
    let files: Vec<(String, Vec<u8>)> = names
        .iter()
        .map(|n| (format!("{n}.txt"), seed(&format!("{n}.txt"))))
        .collect();
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let dir = crate::util::folder(&refs);
    let idx = TestIndex::of(&[dir.path().to_path_buf()]);
    let mut changed = seed(&format!("{S001}.txt"));
    changed.extend_from_slice(b"\n\nA correction was appended by the editors of Zanzibarian.\n");
    std::fs::write(dir.path().join(format!("{S001}.txt")), changed).unwrap();
    let run = idx.index(&[dir.path().to_path_buf()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(run.stdout.trim()).unwrap();
    assert_eq!(
        (report["articles"].as_u64(), report["unchanged"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(report["index_articles"], 2);
    assert_eq!(
        idx.search("Zanzibarian", &[]).hit_ids(),
        vec![S001.to_string()]
    );
}

#[test]
fn bad_inputs_are_reported_skipped_and_the_rest_indexed() {
    let dir = folder(&[
        ("good.txt", b"Iravani met Musk in New York."),
        ("latin1.txt", b"Caf\xe9 society"),
        ("empty.txt", b""),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\0\0\0"),
        (
            "sub/metadata.toml",
            b"[[article]]\nfile = \"x.txt\"\ndate = 2024-99-99\n",
        ),
        ("sub/x.txt", b"Qassem Soleimani was killed in 2020."),
        (
            "feed.jsonl",
            b"{\"id\":\"r1\",\"text\":\"Arghachi spoke.\",\"outlet\":\"Wire\"}\n{broken\n",
        ),
    ]);
    let idx = TestIndex {
        dir: tempfile::tempdir().unwrap(),
    };
    let run = idx.index(&[dir.path().to_path_buf()]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let skipped: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("byline: skipped"))
        .collect();
    assert_eq!(skipped.len(), 5, "{}", run.stderr);
    for (file, reason) in [
        ("sub/metadata.toml", "malformed metadata file"),
        ("binary.txt", "binary file"),
        ("empty.txt", "empty file"),
        ("feed.jsonl:2", "malformed JSON record"),
        ("latin1.txt", "not UTF-8 text (invalid byte at offset 3)"),
    ] {
        assert!(
            skipped
                .iter()
                .any(|l| l.contains(file) && l.contains(reason)),
            "{file}: {reason} not in {skipped:?}"
        );
    }
    let report: serde_json::Value = serde_json::from_str(run.stdout.trim()).unwrap();
    assert_eq!(report["index_articles"], 3);
    assert_eq!(idx.search("Iravani", &[]).hit_ids(), ["good"]);
    assert_eq!(idx.search("Soleimani", &[]).hit_ids(), ["x"]);
    assert_eq!(idx.search("Arghachi", &[]).records()[0]["outlet"], "Wire");
}

#[test]
fn a_second_writer_is_refused_with_the_lock_named_and_nothing_changed() {
    let idx = TestIndex::seeds();
    let store = byline::Store::open(idx.path()).unwrap();
    let writer: tantivy::IndexWriter<tantivy::TantivyDocument> =
        store.index().writer(50_000_000).unwrap();
    let dir = folder(&[("extra.txt", b"Another article about Iravani.")]);
    let run = idx.index(&[dir.path().to_path_buf()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("locked by another `byline index`")
            && run.stderr.contains(".tantivy-writer.lock"),
        "{}",
        run.stderr
    );
    drop(writer);
    // Nothing changed, and the index takes the article once the lock is free.
    assert_eq!(idx.search("Iravani", &[]).hit_ids().len(), 4);
    assert_eq!(idx.index(&[dir.path().to_path_buf()]).code, 0);
    assert_eq!(idx.search("Iravani", &[]).hit_ids().len(), 5);
}
