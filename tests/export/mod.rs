//! Exports of the seeds: every matching article in the search's order, as JSON Lines or CSV
//! cut to chosen fields, with offsets that point into the article's text; the same over HTTP.

use axum::http::StatusCode;

use byline::SearchRequest;

use crate::util::{
    http_app, http_get, http_get_raw, seeds, seeds_engine, shared_seeds, S000, S001, S002, S003,
};

fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    csv::Reader::from_reader(bytes)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn every_match_in_the_search_order_with_a_summary() {
    let seeds = shared_seeds();
    let run = seeds.run(&["export", "Iravani"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let records = run.records();
    let summary = records.last().unwrap();
    assert_eq!(summary["type"], "summary");
    assert_eq!(
        (&summary["returned"], &summary["articles"]),
        (&4.into(), &4.into())
    );
    let search = seeds.search("Iravani", &["--no-collapse", "--limit", "100"]);
    assert_eq!(run.hit_ids(), search.hit_ids());
    let mut ids = run.hit_ids();
    ids.sort();
    assert_eq!(ids, [S000, S001, S002, S003]);
    // The same records as a search's, passage offsets and all.
    let first = &records[0];
    let searched = &search.records()[0];
    assert_eq!(first["passages"], searched["passages"]);
    assert_eq!(first["rank"], 1);

    let none = seeds.run(&["export", "Nobodyatall"]);
    assert_eq!(none.code, 1);
    assert_eq!(none.records()[0]["returned"], 0);
}

#[test]
fn csv_rows_are_passages_whose_offsets_point_into_the_text() {
    let seeds = shared_seeds();
    let run = seeds.run(&[
        "export",
        "Iravani",
        "--format",
        "csv",
        "--fields",
        "id,passage,start,end,text",
        "--passages",
        "2",
        "--sort",
        "date",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["id", "passage", "start", "end", "text"]
    );
    let rows = csv_rows(run.stdout.as_bytes());
    // Four articles, one or two matching passages each.
    assert!(rows.len() > 4 && rows.len() <= 8, "{rows:?}");
    for row in &rows {
        let shown = seeds.run(&["show", &row[0], "--json"]);
        let text = shown.records()[0]["text"].as_str().unwrap().to_string();
        let (start, end): (usize, usize) = (row[2].parse().unwrap(), row[3].parse().unwrap());
        assert_eq!(&text[start..end], row[4]);
    }
    let fields = seeds.run(&["export", "Iravani", "--fields", "id,body"]);
    assert_eq!(fields.code, 2);
    assert!(fields
        .stderr
        .contains("\"body\" is not an export field (fields: rank,id,score,"));
    let cut = seeds.run(&["export", "Iravani", "--fields", "date,id,text"]);
    // The fields in the order asked for (a JSON object read back loses it: look at the line).
    let line = cut.stdout.lines().next().unwrap();
    let id = cut.records()[0]["id"].as_str().unwrap().to_string();
    assert!(
        line.starts_with(&format!(
            "{{\"type\":\"hit\",\"date\":\"2024-11-15\",\"id\":\"{id}\",\"passages\":[{{\"text\":"
        )),
        "{line}"
    );
}

#[test]
fn python_reads_the_csv_back_as_written() {
    let run = shared_seeds().run(&[
        "export",
        "Iravani OR Musk",
        "--format",
        "csv",
        "--passages",
        "all",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Every field, every matching passage: texts with commas, quotes and curly quotes.
    assert!(
        run.stdout.contains("\"\""),
        "no quote to escape in {}",
        run.stdout
    );
    let mut python = std::process::Command::new("python3")
        .args([
            "-c",
            "import csv, json, sys; print(json.dumps(list(csv.reader(sys.stdin))))",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 reads the CSV back (the machine has Python)");
    use std::io::Write;
    python
        .stdin
        .take()
        .unwrap()
        .write_all(run.stdout.as_bytes())
        .unwrap();
    let out = python.wait_with_output().unwrap();
    assert!(out.status.success());
    let read: Vec<Vec<String>> = serde_json::from_slice(&out.stdout).unwrap();
    let mut header = csv::Reader::from_reader(run.stdout.as_bytes());
    let header: Vec<String> = header.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(read[0], header);
    assert_eq!(read[1..], csv_rows(run.stdout.as_bytes())[..]);
    assert_eq!(header[..3], ["rank", "id", "score"]);
    assert!(read.len() > 10, "{}", read.len());
}

#[tokio::test]
async fn http_streams_csv_and_json_lines_and_refuses_bad_parameters() {
    let app = http_app(shared_seeds());
    let (status, kind, body) =
        http_get_raw(&app, "/export?q=Iravani&format=csv&fields=rank,id").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kind, "text/csv; charset=utf-8");
    let rows = csv_rows(&body);
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0][0], "1");
    let (status, kind, body) = http_get_raw(&app, "/export?q=Iravani").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kind, "application/x-ndjson; charset=utf-8");
    let lines: Vec<serde_json::Value> = String::from_utf8(body)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[4]["type"], "summary");
    let (status, body) = http_get(&app, "/export?q=Iravani&format=xml").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["error"]["message"],
        "format must be jsonl or csv, not \"xml\""
    );
    let (status, body) = http_get(&app, "/export?q=Iravani&limit=5").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("unknown parameter \"limit\""));
    let (status, _) = http_get(&app, "/export?q=Iravani&passages=0").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[test]
fn the_index_exports_for_opensearch_with_its_analysis_carried_over() {
    let idx = crate::util::shared_seeds();
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("os");
    let dir_arg = dir.to_str().unwrap();
    let run = idx.run(&[
        "export",
        "--to",
        "opensearch",
        dir_arg,
        "--shards",
        "3",
        "--replicas",
        "1",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr
            .starts_with("byline: wrote 5 articles, 54 passages in 1 bulk files"),
        "{}",
        run.stderr
    );
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("index.json")).unwrap()).unwrap();
    assert_eq!(index["settings"]["number_of_shards"], 3);
    assert_eq!(index["settings"]["number_of_replicas"], 1);
    assert_eq!(
        index["mappings"]["properties"]["text"]["analyzer"],
        "byline_terms"
    );
    let bulk = std::fs::read_to_string(dir.join("bulk-00001.ndjson")).unwrap();
    let lines: Vec<serde_json::Value> = bulk
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2 * (5 + 54));
    // Actions and documents alternate; a passage's id is ARTICLE#N, its offsets as local.
    let passage = lines
        .chunks(2)
        .find(|pair| pair[0]["index"]["_id"] == format!("{S002}#4"))
        .map(|pair| pair[1].clone())
        .unwrap();
    assert_eq!(
        (&passage["kind"], &passage["start"], &passage["end"]),
        (
            &serde_json::json!("passage"),
            &serde_json::json!(819),
            &serde_json::json!(919)
        )
    );
    let text = passage["text"].as_str().unwrap();
    assert!(text.starts_with("en:one en:iranian en:offici"), "{text}");
    assert!(text.split(' ').any(|t| t == "en:iravani"), "{text}");
    assert!(passage["name"].as_str().unwrap().contains("iravani"));
    assert_eq!(passage["outlet"], "Israel National News");
    assert_eq!(passage["date"], "2024-11-15");
    let article = &lines[1];
    assert_eq!(article["kind"], "article");
    assert_eq!(
        article["body"].as_str().unwrap().as_bytes(),
        crate::util::seed(&format!("{}.txt", article["article"].as_str().unwrap()))
    );
    assert!(std::fs::read_to_string(dir.join("load.sh"))
        .unwrap()
        .contains("/_bulk"));
    // Without --to, --shards means nothing.
    let run = idx.run(&["export", "Iravani", "--shards", "3"]);
    assert_eq!(run.code, 2);
}

/// What `search --engine` does with the cluster's best articles, without a cluster: every
/// seed article copied into a scratch index (as read back from a cluster) and ranked with
/// the seeds index's plan and statistics gives the local page, scores and passages exactly,
/// for the seed judgments' queries and a phrase, an operator and a filter.
#[test]
fn articles_copied_from_elsewhere_rank_as_the_local_index_ranks_them() {
    let engine = seeds_engine();
    let copies = byline::store::Store::in_ram();
    let mut writer = copies
        .index()
        .writer_with_num_threads(1, 20_000_000)
        .unwrap();
    let searcher = engine.store().index().reader().unwrap().searcher();
    let mut n = 0;
    let mut entities = byline::cluster::PassageEntities::new(&searcher);
    byline::document::each_at(&searcher, engine.store().fields(), |at, read| {
        let mentioned = entities.of(at, read.stored.ranges.len()).unwrap();
        byline::document::write_copy(&writer, copies.fields(), &read, |p| {
            byline::document::Copied::Mentioning(mentioned[p].clone())
        })
        .unwrap();
        n += 1;
    })
    .unwrap();
    writer.commit().unwrap();
    assert_eq!(n, 5);
    let judged = std::fs::read_to_string(seeds().join("judgments.tsv")).unwrap();
    let mut queries: Vec<&str> = judged
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split('\t').next())
        .collect();
    queries.sort();
    queries.dedup();
    assert_eq!(queries.len(), 33);
    queries.extend([
        "\"foreign minister\"",
        "Musk -Iravani",
        "Iravani outlet:ynetnews",
        "person:Musk talks",
    ]);
    type Page = Vec<(String, f32, Vec<(u64, usize, usize)>)>;
    let page = |r: &byline::SearchResults| -> Page {
        r.hits
            .iter()
            .map(|h| {
                let passages = h
                    .passages
                    .iter()
                    .map(|p| (p.passage, p.start, p.end))
                    .collect();
                (h.article.id.clone(), h.score, passages)
            })
            .collect()
    };
    for q in queries {
        let req = SearchRequest::new(q);
        let local = engine.search(&req).unwrap();
        let found = byline::search::Found {
            articles: local.summary.articles,
            stories: local.summary.stories,
            passages: local.summary.passages,
            exact: true,
            facets: None,
        };
        let ranked = engine.rank_copies(&req, &copies, found).unwrap();
        assert_eq!(page(&ranked), page(&local), "{q}");
        assert_eq!(
            ranked
                .hits
                .iter()
                .map(|h| (h.copies, h.also_in.len()))
                .collect::<Vec<_>>(),
            local
                .hits
                .iter()
                .map(|h| (h.copies, h.also_in.len()))
                .collect::<Vec<_>>(),
            "{q}"
        );
    }
}
