//! What byline knows of an article, and from where: metadata, the text itself, or unknown;
//! and the furniture it kept out of passages.

use crate::util::{folder, seed, shared_seeds, TestIndex, S000, S001, S002, S004};

#[test]
fn show_reports_metadata_with_provenance_and_furniture() {
    let idx = shared_seeds();
    let show = idx.run(&["show", S001, "--json"]);
    let a: serde_json::Value = serde_json::from_str(show.stdout.trim()).unwrap();
    assert_eq!(a["type"], "article");
    assert_eq!(
        (a["outlet"].as_str(), a["outlet_source"].as_str()),
        (Some("freedomizerradio.com"), Some("metadata"))
    );
    assert_eq!(
        (a["date"].as_str(), a["date_source"].as_str()),
        (Some("2024-11-15"), Some("metadata"))
    );
    let reasons: Vec<&str> = a["furniture"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["reason"].as_str().unwrap())
        .collect();
    assert_eq!(
        reasons,
        ["link_label", "copy_protection", "language_switcher"]
    );
    let s004 = idx.run(&["show", S004, "--json"]);
    let a: serde_json::Value = serde_json::from_str(s004.stdout.trim()).unwrap();
    assert_eq!(
        (
            a["outlet"].is_null(),
            a["outlet_source"].as_str(),
            a["date"].is_null(),
            a["date_source"].as_str()
        ),
        (true, Some("unknown"), true, Some("unknown"))
    );
    let missing = idx.run(&["show", "nope"]);
    assert_eq!((missing.code, missing.stdout.as_str()), (1, ""));
}

#[test]
fn without_metadata_the_text_gives_date_and_outlet() {
    let dir = folder(&[
        (&format!("{S000}.txt"), &seed(&format!("{S000}.txt"))),
        (&format!("{S002}.txt"), &seed(&format!("{S002}.txt"))),
    ]);
    let idx = TestIndex::of(&[dir.path().to_path_buf()]);
    let hits = idx.search("Musk", &[]).records();
    let by_id = |id: &str| hits.iter().find(|r| r["id"] == id).cloned().unwrap();
    let (a, b) = (by_id(S000), by_id(S002));
    assert_eq!(
        (
            a["outlet"].as_str(),
            a["outlet_source"].as_str(),
            a["date_source"].as_str()
        ),
        (Some("Ynetnews"), Some("text"), Some("unknown"))
    );
    assert_eq!(
        (
            b["outlet"].is_null(),
            b["date"].as_str(),
            b["date_source"].as_str()
        ),
        (true, Some("2024-11-15"), Some("text"))
    );
}
