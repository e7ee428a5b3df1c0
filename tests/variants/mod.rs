//! Name variants and aliases: a query finds the spellings an article printed, says how each
//! matched, and never varies what it must not.

use std::collections::BTreeSet;

use crate::util::{
    cut, folder, search_seeds, set, shared_seeds, TestIndex, S000, S001, S002, S003, S004,
};

/// `(word, form, how)` of one `matched_as` entry.
type Match = (String, String, String);

/// `(id, [(word, form, how)])` of each hit's passages, in rank order.
fn matches(records: &[serde_json::Value]) -> Vec<(String, Vec<Match>)> {
    records
        .iter()
        .filter(|r| r["type"] == "hit")
        .map(|hit| {
            let mut m = Vec::new();
            for p in hit["passages"].as_array().unwrap() {
                for x in p["matched_as"].as_array().unwrap() {
                    let t = (
                        x["word"].as_str().unwrap().to_string(),
                        x["form"].as_str().unwrap().to_string(),
                        x["how"].as_str().unwrap().to_string(),
                    );
                    if !m.contains(&t) {
                        m.push(t);
                    }
                }
            }
            (hit["id"].as_str().unwrap().to_string(), m)
        })
        .collect()
}

fn triple(word: &str, form: &str, how: &str) -> Match {
    (word.to_string(), form.to_string(), how.to_string())
}

#[test]
fn araghchi_finds_the_article_that_printed_arghachi_and_says_so() {
    let run = search_seeds("Araghchi", 5);
    assert_eq!(
        matches(&run.records()),
        [(
            S000.to_string(),
            vec![triple("Araghchi", "Arghachi", "fold")]
        )]
    );
    let p = &run.records()[0]["passages"][0];
    let text = p["text"].as_str().unwrap();
    let marked: Vec<String> = p["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| cut(text, h))
        .collect();
    assert_eq!(marked, ["Arghachi", "Arghachi"]);
    let text_out = shared_seeds().run(&["search", "Araghchi"]);
    assert_eq!(text_out.code, 0, "{}", text_out.stderr);
    assert!(
        text_out
            .stdout
            .contains("matched: Araghchi → Arghachi (fold)"),
        "{}",
        text_out.stdout
    );
    let exact = search_seeds("Arghachi", 1);
    assert_eq!(
        matches(&exact.records()),
        [(
            S000.to_string(),
            vec![triple("Arghachi", "Arghachi", "exact")]
        )]
    );
}

#[test]
fn qasem_soleimani_finds_both_spellings_with_the_exact_one_first() {
    let run = search_seeds("Qasem Soleimani", 1);
    assert_eq!(run.hit_ids()[0], S004);
    assert_eq!(
        set(&run.hit_ids()),
        BTreeSet::from([S001, S002, S003, S004])
    );
    let m = matches(&run.records());
    assert_eq!(
        m[0].1,
        [
            triple("Qasem", "Qasem", "exact"),
            triple("Soleimani", "Soleimani", "exact")
        ]
    );
    for (_, found) in &m[1..] {
        assert_eq!(found[0], triple("Qasem", "Qassem", "fold"));
    }
    // And the other way round: the three that print "Qassem" rank above the one with "Qasem".
    let other = search_seeds("Qassem", 1).hit_ids();
    assert_eq!(other.last().map(String::as_str), Some(S004));
}

#[test]
fn misspelt_iravani_finds_the_four_articles_that_name_him() {
    for q in ["Iravany", "Irvani", "Irvani~1"] {
        let run = search_seeds(q, 1);
        assert_eq!(
            set(&run.hit_ids()),
            BTreeSet::from([S000, S001, S002, S003]),
            "{q}"
        );
        for (_, found) in matches(&run.records()) {
            assert!(
                found
                    .iter()
                    .all(|(w, form, how)| w == q && form == "Iravani" && how != "exact"),
                "{q}: {found:?}"
            );
        }
    }
}

#[test]
fn precision_guards_iran_is_not_iraq_and_common_words_are_never_varied() {
    let idx = shared_seeds();
    assert_eq!(search_seeds("Iraq", 1).hit_ids(), [S001]);
    let iran = idx.search("Iran", &["--limit", "10", "--passages", "50"]);
    for (_, found) in matches(&iran.records()) {
        assert!(
            found
                .iter()
                .all(|(_, form, how)| form == "Iran" && how == "exact"),
            "{found:?}"
        );
    }
    // "Saeid" never matches the common word "said".
    for (_, found) in matches(&search_seeds("Saeid", 50).records()) {
        assert!(
            found.iter().all(|(_, form, _)| form == "Saeid"),
            "{found:?}"
        );
    }
    let dir = folder(&[
        ("mask.txt", b"The Mask was found in a drawer."),
        ("musk.txt", b"Musk spoke at length."),
        ("typo.txt", b"Officals met in Tehran."),
    ]);
    let small = TestIndex::of(&[dir.path().to_path_buf()]);
    assert_eq!(small.search("Musk", &[]).hit_ids(), ["musk"]);
    assert_eq!(small.search("officials", &[]).code, 1);
}

#[test]
fn exact_turns_variants_and_aliases_off_and_says_so() {
    let idx = shared_seeds();
    let run = idx.search("Araghchi", &["--exact"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.records()[0]["exact"], true);
    assert_eq!(
        search_seeds("Araghchi", 1).records().last().unwrap()["exact"],
        false
    );
    assert_eq!(idx.search("Qasem", &["--exact"]).hit_ids(), [S004]);
    let text = idx.run(&["search", "Qasem", "--exact"]);
    assert!(
        text.stderr
            .contains("--exact: spelling variants and aliases were off"),
        "{}",
        text.stderr
    );
    // An explicit distance is still honoured.
    let explicit = idx.search("Qasem~1", &["--exact"]);
    assert_eq!(
        set(&explicit.hit_ids()),
        BTreeSet::from([S001, S002, S003, S004])
    );
    assert!(
        matches(&explicit.records())[1]
            .1
            .contains(&triple("Qasem~1", "Qassem", "edit:1")),
        "{:?}",
        matches(&explicit.records())
    );
}

#[test]
fn a_user_alias_file_extends_the_built_in_groups() {
    let idx = shared_seeds();
    assert_eq!(idx.search("MAGA", &[]).code, 1);
    let dir = folder(&[
        ("aliases.txt", b"# mine\nMAGA = Trump transition team\n"),
        ("bad.txt", b"MAGA\n"),
    ]);
    let file = dir.path().join("aliases.txt");
    let run = idx.run(&[
        "--aliases",
        file.to_str().unwrap(),
        "search",
        "--json",
        "MAGA",
    ]);
    assert_eq!(set(&run.hit_ids()), BTreeSet::from([S000, S003]));
    assert_eq!(matches(&run.records())[0].1[0].2, "alias");
    let bad = dir.path().join("bad.txt");
    let err = idx.run(&["--aliases", bad.to_str().unwrap(), "search", "MAGA"]);
    assert_eq!(err.code, 2);
    assert!(
        err.stderr
            .contains("bad.txt:1: an alias group needs two forms or more"),
        "{}",
        err.stderr
    );
    // Built-in: "UN" finds "United Nations".
    let un = search_seeds("UN", 20);
    assert!(matches(&un.records())
        .iter()
        .any(|(_, m)| m.contains(&triple("UN", "United Nations", "alias"))));
}
