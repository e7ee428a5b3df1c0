//! A generated corpus of a few hundred articles: the pruned search path against the
//! exhaustive one, and totals against what the generator wrote.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;

use byline::search::Sort;
use byline::{Engine, IndexOptions, SearchRequest, SearchResults, Store};

#[path = "../../benches/common/corpus.rs"]
#[allow(dead_code)]
pub mod corpus;

const ARTICLES: usize = 400;

struct Generated {
    _dir: tempfile::TempDir,
    engine: Engine,
    corpus: corpus::Generated,
}

/// The generated corpus and its index, built once per test binary (the tests only read).
fn generated() -> &'static Generated {
    static GENERATED: OnceLock<Generated> = OnceLock::new();
    GENERATED.get_or_init(generate)
}

fn generate() -> Generated {
    let dir = crate::util::process_dir("scale-index");
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let corpus = corpus::generate(&seeds, ARTICLES, corpus::SEED, &dir.path().join("corpus"));
    let index = dir.path().join("index");
    let store = Store::open_or_create(&index).unwrap();
    let options = IndexOptions {
        paths: vec![dir.path().join("corpus").join("articles.ndjson")],
        ..IndexOptions::default()
    };
    let report = byline::index(&store, &options, &mut |s| panic!("{s}")).unwrap();
    assert_eq!(report.index_articles, ARTICLES as u64);
    let engine = Engine::open(&index).unwrap();
    Generated {
        _dir: dir,
        engine,
        corpus,
    }
}

/// A passage as compared: number, score (4 decimals), start, end.
type PassageShape = (u64, String, usize, usize);

/// Hit ids with their passages, in order.
fn shape(r: &SearchResults) -> Vec<(String, Vec<PassageShape>)> {
    r.hits
        .iter()
        .map(|h| {
            let passages = h
                .passages
                .iter()
                .map(|p| (p.passage, format!("{:.4}", p.score), p.start, p.end))
                .collect();
            (h.article.id.clone(), passages)
        })
        .collect()
}

#[test]
fn pruned_search_returns_what_scoring_every_match_returns() {
    let g = generated();
    for query in [
        "Iravani",
        "Araghchi",
        "sanctions",
        "nuclear ambassador",
        "Kowalski Tehran",
        "Haddad",
        "United Nations",
    ] {
        for (limit, offset, passages) in [(10, 0, 1), (3, 4, 2)] {
            let mut pruned = SearchRequest::new(query);
            pruned.limit = limit;
            pruned.offset = offset;
            pruned.passages = passages;
            // Facet counts need every matching article, so they take the exhaustive path.
            let mut exhaustive = pruned.clone();
            exhaustive.facets = vec!["outlet".into()];
            let a = g.engine.search(&pruned).unwrap();
            let b = g.engine.search(&exhaustive).unwrap();
            assert!(!a.hits.is_empty(), "{query}");
            assert_eq!(shape(&a), shape(&b), "{query} {limit} {offset}");
            assert_eq!(
                (
                    a.summary.articles,
                    a.summary.passages,
                    a.summary.total_exact
                ),
                (b.summary.articles, b.summary.passages, true),
                "{query}"
            );
        }
    }
    let iravani = g.engine.search(&SearchRequest::new("Iravani")).unwrap();
    assert_eq!(
        iravani.summary.articles as usize,
        g.corpus.any_of(&["iravani", "iravany"])
    );
}

#[test]
fn date_windows_return_what_scoring_every_match_returns() {
    let g = generated();
    let mut engine = g.engine.clone();
    let mut limits = *engine.limits();
    // Every date-sorted search here takes the windows.
    limits.date_window_from = 1;
    engine.set_limits(limits);
    for query in ["sanctions", "nuclear ambassador", "said"] {
        for sort in [Sort::Date, Sort::NewestFirst] {
            for (limit, offset, collapse) in [(10, 0, true), (5, 40, false), (20, 100, true)] {
                let mut windowed = SearchRequest::new(query);
                (windowed.limit, windowed.offset) = (limit, offset);
                (windowed.sort, windowed.collapse) = (sort, collapse);
                let mut exhaustive = windowed.clone();
                exhaustive.facets = vec!["outlet".into()];
                let a = engine.search(&windowed).unwrap();
                let b = engine.search(&exhaustive).unwrap();
                let what = format!("{query} {sort:?} {limit} {offset} {collapse}");
                assert!(!a.hits.is_empty(), "{what}");
                assert_eq!(shape(&a), shape(&b), "{what}");
                let dates: Vec<_> = a.hits.iter().map(|h| h.article.date).collect();
                let mut sorted = dates.clone();
                // Undated last in both orders.
                sorted.sort_by(|x, y| match (x, y, sort) {
                    (Some(x), Some(y), Sort::NewestFirst) => y.cmp(x),
                    (x, y, _) => (x.is_none(), x).cmp(&(y.is_none(), y)),
                });
                assert_eq!(dates, sorted, "{what}");
            }
        }
    }
}

#[test]
fn totals_past_the_exact_limit_are_lower_bounds() {
    let g = generated();
    let mut engine = g.engine.clone();
    let mut limits = *engine.limits();
    limits.exact_total = 50;
    engine.set_limits(limits);
    let r = engine.search(&SearchRequest::new("nuclear")).unwrap();
    let holding = g.corpus.any_of(&["nuclear"]);
    assert!(
        holding > 50,
        "the corpus has {holding} articles saying nuclear"
    );
    assert_eq!((r.summary.articles, r.summary.total_exact), (50, false));
    assert_eq!(r.hits.len(), 10);
    let line = byline::output::summary_line(&r.summary);
    // Stories (copy clusters) are counted among the articles counted, a lower bound too, and
    // said only when fewer than the articles (which 50 are counted first depends on which
    // writer thread took which document).
    let stories = r.summary.stories;
    assert!(stories <= 50 && stories > 40, "{stories}");
    let expected = if stories < 50 {
        format!("50+ articles ({stories}+ stories, one hit each), ")
    } else {
        "50+ articles, ".to_string()
    };
    assert!(line.starts_with(&expected), "{line}");
    // With facets, every match is seen: exact again.
    let mut req = SearchRequest::new("nuclear");
    req.facets = vec!["outlet".into()];
    let r = engine.search(&req).unwrap();
    assert_eq!(
        (r.summary.articles as usize, r.summary.total_exact),
        (holding, true)
    );
}

/// Kills `byline index` with SIGKILL at several moments: after each kill the index opens,
/// holds whole commits only (no duplicates, every article's passages present), and the next
/// run completes the corpus, writing only what was missing. (`tests/reliability/kill.sh`
/// runs the long version: 50+ kills over 5,000+ articles.)
#[test]
fn a_killed_index_run_keeps_its_commits_and_the_next_run_completes_it() {
    const N: usize = 600;
    const BATCH: u64 = 50;
    let dir = tempfile::tempdir().unwrap();
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    corpus::generate(&seeds, N, corpus::SEED, &dir.path().join("corpus"));
    let ndjson = dir.path().join("corpus").join("articles.ndjson");
    let index = dir.path().join("index");
    let bin = assert_cmd::cargo::cargo_bin("byline");
    let run = |extra: &[&str]| {
        let mut cmd = std::process::Command::new(&bin);
        cmd.env_remove("BYLINE_INDEX")
            .args([
                "index",
                "--json",
                "--commit-every",
                &BATCH.to_string(),
                "--index",
            ])
            .arg(&index)
            .args(extra)
            .arg(&ndjson)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null());
        cmd
    };
    let mut committed = 0u64;
    for delay_ms in [100u64, 300, 700, 1200] {
        let mut child = run(&[]).spawn().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL; the run may also have finished already
        child.wait().unwrap();
        if !index.join("meta.json").exists() {
            continue;
        }
        let engine = Engine::open(&index).unwrap();
        let articles = engine.articles().unwrap();
        let ids: std::collections::HashSet<&str> =
            articles.iter().map(|a| a.article.id.as_str()).collect();
        assert_eq!(ids.len(), articles.len(), "duplicate articles after a kill");
        let n = articles.len() as u64;
        assert!(
            n.is_multiple_of(BATCH) || n == N as u64,
            "{n} is not whole commits"
        );
        assert!(n >= committed, "a commit was lost: {n} < {committed}");
        let stored: u64 = articles.iter().map(|a| a.passages).sum();
        assert_eq!(engine.counts().unwrap(), (n, stored));
        committed = n;
    }
    let out = run(&[]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["index_articles"], N as u64);
    assert_eq!(report["unchanged"], committed);
    assert_eq!(report["articles"], N as u64 - committed);
}

/// The generated corpus's syndicated near-copies (another outlet's reprint with its own
/// furniture and one paragraph rewritten) are exactly the copy clusters byline finds.
#[test]
fn generated_copies_are_the_clusters_found() {
    let g = generated();
    let docs = &g.corpus.docs;
    // Each article's story: the article its chain of copies starts from.
    let root = |mut i: usize| {
        while let Some(j) = docs[i].copy_of {
            i = j;
        }
        i
    };
    let id = |i: usize| format!("gen_{i:07}");
    let mut expected = BTreeSet::new();
    for a in 0..docs.len() {
        for b in a + 1..docs.len() {
            if root(a) == root(b) {
                expected.insert((id(a), id(b)));
            }
        }
    }
    let found = g.engine.copy_pairs().unwrap();
    let right = found.intersection(&expected).count();
    eprintln!(
        "generated copies: {} labelled pairs, {} found, {} right",
        expected.len(),
        found.len(),
        right
    );
    assert!(expected.len() > 20, "{} pairs", expected.len());
    assert_eq!(found, expected);
}

#[test]
fn each_article_is_one_run_of_documents_in_one_segment() {
    // Searches find a passage's article and number from its address (the article document,
    // then its passages in order): with two writer threads, every article must still be one
    // contiguous run, starting at its article document.
    use tantivy::schema::IndexRecordOption;
    use tantivy::{DocSet, Term, TERMINATED};
    let g = generated();
    let store = g.engine.store();
    let fields = store.fields();
    let searcher = store.index().reader().unwrap().searcher();
    let mut seen = BTreeSet::new();
    let mut articles = 0;
    for reader in searcher.segment_readers() {
        let keys = reader.fast_fields().u64("article_key").unwrap();
        let term = Term::from_field_text(fields.kind, "article");
        let mut postings = reader
            .inverted_index(fields.kind)
            .unwrap()
            .read_postings(&term, IndexRecordOption::Basic)
            .unwrap()
            .unwrap();
        let mut starts = Vec::new();
        while postings.doc() != TERMINATED {
            starts.push(postings.doc());
            postings.advance();
        }
        assert_eq!(starts.first(), Some(&0), "a segment starts with an article");
        starts.push(reader.max_doc());
        for pair in starts.windows(2) {
            let key = keys.first(pair[0]).unwrap();
            assert!(seen.insert(key), "article {key} in two runs");
            assert!(pair[1] > pair[0] + 1, "an article has passages");
            for doc in pair[0]..pair[1] {
                assert_eq!(keys.first(doc), Some(key), "document {doc} of {key}");
            }
            articles += 1;
        }
    }
    assert_eq!(articles, ARTICLES);
}
