//! Writes the deterministic synthetic news corpus described in `benches/common/corpus.rs`.
//!
//! `cargo run --release --example gen_corpus -- N DIR [SEED]`: N articles (the five seeds first)
//! as `DIR/articles/*.txt` with `DIR/articles/metadata.toml`, the same articles as
//! `DIR/articles.ndjson`, and `DIR/counts.json` (articles holding each tracked word). The same
//! N and SEED always give the same bytes.

#[path = "../benches/common/corpus.rs"]
#[allow(dead_code)]
mod corpus;

use std::path::{Path, PathBuf};

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
    eprintln!(
        "wrote {} articles ({} bytes of text) to {}; articles containing: {:?}",
        g.articles,
        g.bytes,
        dir.display(),
        g.containing
    );
    Ok(())
}
