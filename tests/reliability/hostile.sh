#!/usr/bin/env bash
# Hostile queries against an index of N generated articles (default 10000): each runs as a new
# `byline search` process under /usr/bin/time, and the script prints a table of its exit code,
# what it said, its wall time and its peak RSS. Queries past the documented limits must be
# refused (exit 2) before tantivy sees them; queries at the limits must be answered.
#   tests/reliability/hostile.sh [N]          INDEX=DIR reuses an index instead of building one
set -euo pipefail
n=${1:-10000}
root=$(cd "$(dirname "$0")/../.." && pwd)
cargo build --release --quiet --manifest-path "$root/Cargo.toml" --bin byline --example gen_corpus
bin=$root/target/release/byline
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
index=${INDEX:-}
if [ -z "$index" ]; then
  "$root/target/release/examples/gen_corpus" "$n" "$work/corpus" 2>/dev/null
  "$bin" --index "$work/index" index "$work/corpus/articles.ndjson" 2>&1 | tail -1
  index=$work/index
fi
rep() { local out=""; for _ in $(seq 1 "$2"); do out+="$1"; done; printf '%s' "$out"; }
# 256 words of real names from the index, each a name with spelling variants to look for.
names=$("$bin" --index "$index" entities --kind person --json |
  sed -n 's/.*"name":"\([^"]*\)".*/\1/p' | tr ' ' '\n' | awk 'length >= 5 && !seen[$0]++ && n++ < 256' | tr '\n' ' ')
common=$(rep "nuclear ambassador meeting officials " 64)
# label | query | extra arguments
cases=(
  "a name (baseline)|Iravani|"
  "10,000 terms|$(rep 'a ' 10000)|"
  "1,000 nested parentheses|$(rep '(' 1000)Musk$(rep ')' 1000)|"
  "2,000 nested brackets|$(rep '(' 2000)Musk$(rep ')' 2000)|"
  "16 nested parentheses (the limit)|$(rep '(' 16)Musk$(rep ')' 16)|"
  "256 common words (the limit)|$common|"
  "256 words of names, each with its variants (the limit)|$names|"
  "leading wildcard|*ran|"
  "every passage|*|"
  "limit 10^10|Musk|--limit 10000000000"
  "offset 10^10|Musk|--offset 10000000000"
  "limit 1,000 at offset 100,000 (the limits)|nuclear|--limit 1000 --offset 100000"
  "every passage, with every facet|*|--facets outlet,date,person,org,place"
)
echo "| query | exit | said | wall | peak RSS |"
echo "| --- | ---: | --- | ---: | ---: |"
for c in "${cases[@]}"; do
  IFS='|' read -r label query extra <<<"$c"
  start=$(date +%s%N)
  # shellcheck disable=SC2086
  /usr/bin/time -o "$work/time" -f "%M" "$bin" --index "$index" search "$query" $extra \
    >"$work/out" 2>"$work/err" && code=0 || code=$?
  ms=$((($(date +%s%N) - start) / 1000000))
  rss=$(tail -1 "$work/time")
  said=$(grep -o 'error: .*\|warning: .*\|[0-9+]* articles, [0-9+]* passages matched' "$work/err" | head -1 | cut -c1-70)
  printf '| %s | %s | %s | %s ms | %s MiB |\n' "$label" "$code" "${said:-}" "$ms" "$((rss / 1024))"
done
