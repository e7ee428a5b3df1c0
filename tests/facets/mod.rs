//! Facets: counts of articles per outlet, date and entity, for a search and for the whole
//! index, narrowed by the same filters as the hits; and the entity and article lists.

use std::collections::BTreeSet;

use crate::util::{set, shared_seeds, S000, S001, S002, S004};

#[test]
fn facets_count_articles_and_agree_with_the_hits() {
    let idx = shared_seeds();
    let run = idx.search(
        "sanctions",
        &["--facets", "outlet,person,date", "--limit", "50"],
    );
    let summary = run.records().last().cloned().unwrap();
    let hits = run.hit_ids().len() as u64;
    assert_eq!((summary["articles"].as_u64(), hits), (Some(5), 5));
    let facet = |dim: &str| crate::util::facet_values(&summary, dim);
    let outlets = facet("outlet");
    assert_eq!(outlets.iter().map(|(_, n)| n).sum::<u64>(), hits);
    assert!(outlets.contains(&("unknown".to_string(), 1)), "{outlets:?}");
    assert_eq!(
        facet("date"),
        [("2024-11-15".to_string(), 2), ("unknown".to_string(), 3)]
    );
    let people = facet("person");
    for (name, n) in [
        ("Elon Musk", 5),
        ("Qassem Soleimani", 4),
        ("Steven Cheung", 4),
        ("Amir Saeid Iravani", 4),
    ] {
        assert!(
            people.contains(&(name.to_string(), n)),
            "{name}: {people:?}"
        );
    }
    // Filters narrow the counts with the hits.
    let narrowed = idx.search(
        "sanctions",
        &["--facets", "outlet", "--entity", "person:Pezeshkian"],
    );
    assert_eq!(set(&narrowed.hit_ids()), BTreeSet::from([S001, S004]));
    let n = narrowed.records().last().cloned().unwrap();
    let total: u64 = n["facets"]["outlet"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["count"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 2);
    let both = idx
        .search(
            "sanctions",
            &["--entity", "person:Pezeshkian", "--entity", "org:IRNA"],
        )
        .hit_ids();
    assert_eq!(both, [S004]);
    assert_eq!(
        idx.search(
            "sanctions",
            &["--entity", "person:Pezeshkian", "--outlet", "ynetnews"]
        )
        .code,
        1
    );
}

#[test]
fn the_index_wide_facets_and_entities_list_the_seeds_people_orgs_and_places() {
    let idx = shared_seeds();
    let run = idx.run(&["facets", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let f: serde_json::Value = serde_json::from_str(run.stdout.trim()).unwrap();
    assert_eq!(
        (f["type"].as_str(), f["articles"].as_u64()),
        (Some("facets"), Some(5))
    );
    let values = |dim: &str| crate::util::facet_values(&f, dim);
    let people = values("person");
    for (name, n) in [
        ("Elon Musk", 5),
        ("Amir Saeid Iravani", 4),
        ("Steven Cheung", 4),
        ("Qassem Soleimani", 4),
        ("Abbas Araghchi", 1),
    ] {
        assert!(
            people.contains(&(name.to_string(), n)),
            "{name}: {people:?}"
        );
    }
    let orgs: Vec<String> = values("org").into_iter().map(|(v, _)| v).collect();
    for name in ["The New York Times", "IAEA", "IRNA"] {
        assert!(orgs.contains(&name.to_string()), "{name}: {orgs:?}");
    }
    let places: Vec<String> = values("place").into_iter().map(|(v, _)| v).collect();
    assert!(
        places.contains(&"New York".to_string()) && places.contains(&"Tehran".to_string()),
        "{places:?}"
    );
    // The full list, with the forms printed: Araghchi (printed "Arghachi"), both Soleimanis, IAEA.
    let ents = idx.run(&["entities", "--json"]);
    let list: Vec<serde_json::Value> = ents.records();
    let find = |name: &str| {
        list.iter()
            .find(|e| e["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name} missing"))
    };
    let araghchi = find("Abbas Araghchi");
    assert_eq!(
        (araghchi["kind"].as_str(), araghchi["articles"].as_u64()),
        (Some("person"), Some(1))
    );
    assert_eq!(araghchi["forms"], serde_json::json!(["Abbas Arghachi"]));
    assert_eq!(
        find("Qassem Soleimani")["forms"],
        serde_json::json!(["Qasem Soleimani", "Qassem Soleimani"])
    );
    assert_eq!(find("IAEA")["kind"], "org");
    let two = idx.run(&[
        "facets",
        "--facets",
        "person",
        "--facet-limit",
        "2",
        "--json",
    ]);
    let two: serde_json::Value = serde_json::from_str(two.stdout.trim()).unwrap();
    assert_eq!(two["facets"]["person"].as_array().unwrap().len(), 2);
    assert_eq!(idx.run(&["facets", "--facet-limit", "0"]).code, 2);
    let people_only = idx.run(&["entities", "--kind", "person"]);
    assert!(
        people_only.stdout.lines().all(|l| l.contains(" person ")),
        "{}",
        people_only.stdout
    );
    // And the article list, with provenance.
    let arts = idx.run(&["articles", "--json"]).records();
    assert_eq!(arts.len(), 5);
    assert_eq!(
        (arts[2]["id"].as_str(), arts[2]["date_source"].as_str()),
        (Some(S002), Some("metadata"))
    );
    assert!(arts
        .iter()
        .all(|a| a["type"] == "article" && a.get("text").is_none()));
}

#[test]
fn the_outlet_filter_narrows_facet_counts_with_the_hits() {
    let idx = shared_seeds();
    let run = idx.search(
        "sanctions",
        &["--facets", "outlet,person", "--outlet", "ynetnews"],
    );
    assert_eq!(run.hit_ids(), [S000]);
    let summary = run.records().last().cloned().unwrap();
    assert_eq!(
        summary["facets"]["outlet"],
        serde_json::json!([{"value": "Ynetnews", "count": 1}])
    );
    let people = summary["facets"]["person"].as_array().unwrap();
    assert!(people.iter().all(|v| v["count"] == 1), "{people:?}");
    assert!(
        people.iter().any(|v| v["value"] == "Abbas Araghchi"),
        "{people:?}"
    );
}
