//! Writes a deterministic synthetic corpus made from the seeds' sentences.
//!
//! `cargo run --release --example gen_corpus -- N DIR`: N articles as `.txt` files plus a
//! `metadata.toml` in DIR. The same N always gives the same bytes.

#[path = "../benches/common/corpus.rs"]
#[allow(dead_code)]
mod corpus;

use std::path::{Path, PathBuf};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [n, dir] = &args[..] else {
        anyhow::bail!("usage: gen_corpus N DIR");
    };
    let n: usize = n
        .parse()
        .map_err(|_| anyhow::anyhow!("N must be a whole number, not {n:?}"))?;
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let g = corpus::generate(&seeds, n, &PathBuf::from(dir));
    eprintln!(
        "wrote {} articles ({} bytes of text) to {dir}; articles containing: {:?}",
        g.articles, g.bytes, g.containing
    );
    Ok(())
}
