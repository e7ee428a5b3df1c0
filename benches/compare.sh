#!/usr/bin/env bash
# byline side by side with tantivy-cli and SQLite FTS5 on one generated corpus of N articles
# (default 100000). Builds what it needs, then benches/compare.py measures index time, index
# size, search as a new process and HTTP under load, and writes benches/results/compare-N.md.
#   benches/compare.sh [N] [--readme]     (--readme also replaces the README's table)
# Installs, when missing: tantivy-cli 0.24.0 from crates.io (built under target/compare/, with
# traitobject pinned to 0.1.1, which current rustc needs), and Debian's wrk and sqlite3.
# Needs about 3 GB of disk at N=100000; the scratch indexes live under target/compare/.
set -euo pipefail
n=${1:-100000}
readme=()
[ "${2:-}" = "--readme" ] && readme=(--readme README.md)
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=target/compare
mkdir -p "$out"

apt_install() {
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
command -v wrk >/dev/null 2>&1 || apt_install wrk
command -v sqlite3 >/dev/null 2>&1 || apt_install sqlite3

tantivy=$out/tantivy-cli/target/release/tantivy
if [ ! -x "$tantivy" ]; then
  version=0.24.0
  echo "compare: building tantivy-cli $version (once, a few minutes)" >&2
  crate=$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/tantivy-cli-$version.crate 2>/dev/null | head -1 || true)
  if [ -z "$crate" ]; then
    cargo info "tantivy-cli@$version" >/dev/null 2>&1 # downloads the package into cargo's cache
    crate=$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/tantivy-cli-$version.crate | head -1)
  fi
  rm -rf "$out/tantivy-cli" && mkdir -p "$out/tantivy-cli"
  tar xzf "$crate" -C "$out/tantivy-cli" --strip-components=1
  (cd "$out/tantivy-cli" && cargo update -q -p traitobject --precise 0.1.1 && cargo build -q --release)
fi

cargo build --release --quiet --bin byline --example gen_corpus
corpus=$out/corpus-$n
if [ ! -f "$corpus/counts.json" ]; then
  rm -rf "$corpus"
  target/release/examples/gen_corpus "$n" "$corpus"
fi
python3 benches/compare.py run --corpus "$corpus" --byline target/release/byline \
  --tantivy "$tantivy" --out benches/results --work "$out" "${readme[@]}"
