//! Writes the deterministic synthetic news corpus described in `benches/common/corpus.rs`.
//!
//! `cargo run --release --example gen_corpus -- N DIR [SEED]`: N articles (the five seeds first)
//! as `DIR/articles/*.txt` with `DIR/articles/metadata.toml`, the same articles as
//! `DIR/articles.ndjson`, `DIR/counts.json` (articles holding each tracked word) and
//! `DIR/copies.tsv` (each syndicated story with its near-copies, as `byline eval --copies`
//! reads it). The same N and SEED always give the same bytes.

#[path = "../benches/common/corpus.rs"]
#[allow(dead_code)]
mod corpus;

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// Each story that was copied, with its copies: `story⇥verbatim⇥ids` lines (a copy has one
/// paragraph rewritten and its own furniture: near-verbatim).
fn copy_groups(g: &corpus::Generated) -> String {
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, doc) in g.docs.iter().enumerate() {
        if let Some(mut root) = doc.copy_of {
            while let Some(up) = g.docs[root].copy_of {
                root = up;
            }
            groups.entry(root).or_default().push(i);
        }
    }
    let mut out = String::from("# story\tkind\tarticles (the first is the original)\n");
    for (root, copies) in groups {
        let ids: Vec<String> = std::iter::once(root)
            .chain(copies)
            .map(|i| format!("gen_{i:07}"))
            .collect();
        let _ = writeln!(out, "s{root}\tverbatim\t{}", ids.join(" "));
    }
    out
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (n, dir, seed) = match &args[..] {
        [n, dir] => (n, dir, None),
        [n, dir, seed] => (n, dir, Some(seed)),
        _ => anyhow::bail!("usage: gen_corpus N DIR [SEED]"),
    };
    let n: usize = n
        .parse()
        .map_err(|_| anyhow::anyhow!("N must be a whole number, not {n:?}"))?;
    let seed = match seed {
        Some(s) => s
            .parse()
            .map_err(|_| anyhow::anyhow!("SEED must be a whole number, not {s:?}"))?,
        None => corpus::SEED,
    };
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let dir = PathBuf::from(dir);
    let g = corpus::generate(&seeds, n, seed, &dir);
    let counts = serde_json::json!({
        "articles": g.articles,
        "bytes": g.bytes,
        "containing": g.containing,
    });
    std::fs::write(dir.join("counts.json"), format!("{counts:#}\n"))?;
    std::fs::write(dir.join("copies.tsv"), copy_groups(&g))?;
    eprintln!(
        "wrote {} articles ({} bytes of text) to {}; articles containing: {:?}",
        g.articles,
        g.bytes,
        dir.display(),
        g.containing
    );
    Ok(())
}
