#!/usr/bin/env bash
# Where one machine's line is (issue 20): byline alone on generated corpora of growing size,
# each indexed once, searched as a new process, and served under a 60-second load while its
# resident set is sampled; growth is measured against the 100,000-article run.
#   benches/scale.sh DIR [N...]        (default N: 100000 1000000)
# DIR must be outside the repository: it holds DIR/corpus-N (the generated articles, as files
# and as NDJSON) and DIR/index-N (kept, to search again). At N=1,000,000 that is about 11 GB of
# corpus and 7 GB of index; the script prints what it used. Results go to
# benches/results/scale-N.{json,md}.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: benches/scale.sh DIR [N...]" >&2; exit 2; }
dir=$(mkdir -p "$1" && cd "$1" && pwd)
shift
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
root=$(cd "$(dirname "$0")/.." && pwd)
case "$dir/" in "$root"/*) echo "scale: DIR must be outside the repository" >&2; exit 2 ;; esac
cd "$root"
command -v wrk >/dev/null 2>&1 || {
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
}
cargo build --release --quiet --bin byline --example gen_corpus
for n in "${sizes[@]}"; do
  corpus=$dir/corpus-$n
  if [ ! -f "$corpus/counts.json" ]; then
    rm -rf "$corpus"
    echo "scale: generating $n articles into $corpus" >&2
    target/release/examples/gen_corpus "$n" "$corpus"
  fi
  python3 benches/compare.py scale --corpus "$corpus" --byline target/release/byline \
    --index "$dir/index-$n" --out benches/results
  echo "scale: disk used at $n: $(du -sh "$corpus" | cut -f1) corpus, $(du -sh "$dir/index-$n" | cut -f1) index" >&2
done
