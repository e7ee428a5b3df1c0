//! The binary's contract: exit codes (0 found, 1 nothing found, 2 error), one-line errors
//! on stderr, batch mode, a closed pipe, and the default index built on first use.

use crate::util::{shared_seeds, TestIndex, S000, S001, S002, S003};

#[test]
fn no_hit_exits_1_with_an_empty_page() {
    let idx = shared_seeds();
    let run = idx.search("xyzzy", &[]);
    assert_eq!(run.code, 1);
    let records = run.records();
    assert_eq!(records.len(), 1);
    assert_eq!(
        (records[0]["type"].as_str(), records[0]["articles"].as_u64()),
        (Some("summary"), Some(0))
    );
    let text = idx.run(&["search", "xyzzy"]);
    assert_eq!((text.code, text.stdout.as_str()), (1, ""));
}

#[test]
fn a_query_with_nothing_valid_is_a_clear_error() {
    let idx = shared_seeds();
    let run = idx.run(&["search", "AND OR (\""]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr
            .starts_with("byline: error: bad query: nothing in"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1);
}

#[test]
fn hostile_queries_and_windows_are_refused_before_tantivy() {
    let idx = shared_seeds();
    let deep = format!("{}Musk{}", "(".repeat(2000), ")".repeat(2000));
    let thousand = format!("{}Musk{}", "(".repeat(1000), ")".repeat(1000));
    let terms = vec!["a"; 10_000].join(" ");
    let short_terms = vec!["a"; 300].join(" ");
    let cases: [(&[&str], &str); 8] = [
        (&["search", &deep], "brackets nest 2000 deep"),
        (
            &["search", &thousand],
            "brackets nest 1000 deep; the limit is 16",
        ),
        (
            &["search", &terms],
            "query is 19999 bytes long; the limit is 4096",
        ),
        (
            &["search", &short_terms],
            "query has 300 words; the limit is 256",
        ),
        (
            &["search", "Musk", "--limit", "10000000000"],
            "limit 10000000000 is out of range",
        ),
        (
            &["search", "Musk", "--offset", "99999999999"],
            "offset 99999999999 is out of range",
        ),
        (
            &["search", "Musk", "--passages", "0"],
            "passages 0 is out of range",
        ),
        (&["search", "   "], "the query is empty"),
    ];
    for (args, message) in cases {
        let run = idx.run(args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(run.stderr.contains(message), "{args:?}: {}", run.stderr);
    }
    // Wildcards are not a syntax byline has: the words run as words, and the user is told.
    let wild = idx.search("*Iravani Ira*", &[]);
    assert_eq!(wild.code, 0);
    assert_eq!(wild.hit_ids(), [S002, S003, S001, S000]);
    let summary = wild.records().last().cloned().unwrap();
    assert_eq!(
        summary["warnings"],
        serde_json::json!([
            "wildcards are not supported: *Iravani searched as iravani",
            "wildcards are not supported: Ira* searched as ira"
        ])
    );
}

#[test]
fn a_missing_or_foreign_index_is_a_clear_error() {
    let missing = TestIndex {
        dir: tempfile::tempdir().unwrap(),
    };
    let run = missing.run(&["search", "Musk"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no byline index at") && run.stderr.contains("byline index PATH"),
        "{}",
        run.stderr
    );

    let idx = TestIndex::seeds();
    let meta = idx.path().join("meta.json");
    let text = std::fs::read_to_string(&meta)
        .unwrap()
        .replace(byline::schema::SCHEMA_VERSION, "byline-schema-0");
    std::fs::write(&meta, &text).unwrap();
    let run = idx.run(&["search", "Musk"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("written by byline-schema-0")
            && run.stderr.contains("run `byline index` again"),
        "{}",
        run.stderr
    );
    // This schema's version with a field set otherwise (a build between two versions).
    let other = text
        .replace("byline-schema-0", byline::schema::SCHEMA_VERSION)
        .replacen("\"fieldnorms\": true", "\"fieldnorms\": false", 1);
    assert_ne!(
        other,
        text.replace("byline-schema-0", byline::schema::SCHEMA_VERSION)
    );
    std::fs::write(&meta, other).unwrap();
    let run = idx.run(&["search", "Musk"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(&format!(
            "written by {} batch 1 with other field settings",
            byline::schema::SCHEMA_VERSION
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn batch_answers_each_line_tagged_and_exits_by_the_worst() {
    let idx = shared_seeds();
    let run = idx.run_with_stdin(&["search", "--batch"], "Iraq\n\nxyzzy\nAND OR (\"\n");
    assert_eq!(run.code, 2);
    let r = run.records();
    let kinds: Vec<(String, u64)> = r
        .iter()
        .map(|x| {
            (
                x["type"].as_str().unwrap().to_string(),
                x["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let expect = [("hit", 1), ("summary", 1), ("summary", 3), ("error", 4)];
    assert_eq!(kinds, expect.map(|(k, l)| (k.to_string(), l)));
    assert_eq!(
        (r[0]["query"].as_str(), r[0]["id"].as_str()),
        (Some("Iraq"), Some(S001))
    );
    assert!(r[3]["message"].as_str().unwrap().starts_with("bad query"));
    let ok = idx.run_with_stdin(&["search", "--batch"], "Iraq\nxyzzy\n");
    assert_eq!(ok.code, 0);
    let none = idx.run_with_stdin(&["search", "--batch"], "xyzzy\n");
    assert_eq!(none.code, 1);
}

#[test]
fn a_closed_pipe_is_success() {
    let idx = shared_seeds();
    let bin = assert_cmd::cargo::cargo_bin("byline");
    let queries = "Musk\n".repeat(3000);
    let script = format!(
        "printf '{}' | '{}' --index '{}' search --batch --passages 20 | head -c 100 >/dev/null; echo ${{PIPESTATUS[1]}}",
        queries.replace('\n', "\\n"),
        bin.display(),
        idx.path().display()
    );
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(script)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "0");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn the_default_index_is_built_from_seeds_on_first_search() {
    let cwd = tempfile::tempdir().unwrap();
    std::fs::create_dir(cwd.path().join("seeds")).unwrap();
    for entry in std::fs::read_dir(crate::util::seeds()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(
            &path,
            cwd.path().join("seeds").join(path.file_name().unwrap()),
        )
        .unwrap();
    }
    let out = crate::util::byline()
        .current_dir(cwd.path())
        .args(["search", "Iravani", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("no index at index yet: building it from seeds/"),
        "{stderr}"
    );
    assert!(cwd.path().join("index/meta.json").is_file());
    let again = crate::util::byline()
        .current_dir(cwd.path())
        .args(["search", "Iravani"])
        .output()
        .unwrap();
    assert!(!String::from_utf8(again.stderr)
        .unwrap()
        .contains("building"));
}

#[test]
fn quiet_search_prints_nothing_and_answers_by_its_exit_code() {
    let idx = shared_seeds();
    for (query, code) in [("Iravani", 0), ("xyzzy", 1)] {
        for flag in ["-q", "--quiet"] {
            let run = idx.run(&["search", flag, query]);
            assert_eq!(
                (run.code, run.stdout.as_str(), run.stderr.as_str()),
                (code, "", ""),
                "{flag} {query}"
            );
        }
    }
    // Short flags: -n for the page size, -j for JSON Lines.
    let run = idx.run(&["search", "-j", "-n", "2", "Iravani"]);
    let records = run.records();
    assert_eq!(records.iter().filter(|r| r["type"] == "hit").count(), 2);
    let run = idx.run(&["search", "-q", "-j", "Iravani"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("cannot be used with"), "{}", run.stderr);
}

#[test]
fn completions_man_pages_and_a_version_that_names_its_commit() {
    let out = |args: &[&str]| {
        let o = crate::util::byline().args(args).output().unwrap();
        (
            o.status.code().unwrap(),
            String::from_utf8(o.stdout).unwrap(),
            String::from_utf8(o.stderr).unwrap(),
        )
    };
    let (code, bash, _) = out(&["completions", "bash"]);
    assert_eq!(code, 0);
    assert!(
        bash.contains("_byline()") && bash.contains("--facet-limit"),
        "{bash}"
    );
    for (shell, mark) in [
        ("zsh", "#compdef byline"),
        ("fish", "complete -c byline"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let (code, script, _) = out(&["completions", shell]);
        assert!(code == 0 && script.contains(mark), "{shell}: {script}");
    }
    let (code, _, err) = out(&["completions", "tcsh"]);
    assert_eq!(code, 2);
    assert!(err.contains("invalid value 'tcsh'"), "{err}");
    let (code, man, _) = out(&["man"]);
    assert_eq!(code, 0);
    assert!(
        man.starts_with(".ie \\n(.g .ds Aq") || man.contains(".TH byline 1"),
        "{man}"
    );
    assert!(
        man.contains(".TH byline 1") && man.contains("completions"),
        "{man}"
    );
    let (code, man, _) = out(&["man", "search"]);
    assert_eq!(code, 0);
    assert!(
        man.contains(".TH byline-search 1") && man.contains("\\-\\-facet\\-limit"),
        "{man}"
    );
    let (code, _, err) = out(&["man", "serch"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("byline: error: no command \"serch\": choose from index, search"),
        "{err}"
    );
    // Built from a git checkout, the version names the commit and the day it was built.
    let (code, version, _) = out(&["--version"]);
    assert_eq!(code, 0);
    let version = version.trim();
    let from_git = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(".git")
        .exists();
    let head = version
        .strip_prefix(concat!("byline ", env!("CARGO_PKG_VERSION")))
        .unwrap();
    if from_git {
        let (commit, date) = head
            .strip_prefix(" (commit ")
            .and_then(|r| r.strip_suffix(')'))
            .and_then(|r| r.split_once(", built "))
            .unwrap_or_else(|| panic!("{version}"));
        assert!(
            commit.len() >= 12 && commit[..12].chars().all(|c| c.is_ascii_hexdigit()),
            "{version}"
        );
        assert!(byline::date::Date::parse(date).is_some(), "{version}");
    } else {
        assert_eq!(head, "");
    }
}
