#!/usr/bin/env bash
# Behaviour unchanged? Builds byline at two git revisions (default: main's last commit and the
# working tree), indexes the seeds and a 2,000-article generated corpus with each, runs a fixed
# set of 30 searches with facets (plus `articles`, `entities`, `facets` and `eval` on the seeds),
# and compares the JSON Lines outputs byte for byte, apart from `elapsed_ms`. Exits 1 and shows
# the first differences when any output differs.
#   benches/same_output.sh [REV_BEFORE] [REV_AFTER]     (REV_AFTER "worktree": uncommitted code)
# Scratch builds and outputs live under target/same_output/.
set -euo pipefail
before=${1:-HEAD}
after=${2:-worktree}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
work=$root/target/same_output
mkdir -p "$work"

# Builds REV into $work/REV-NAME and prints the binary's path.
build() {
  local rev=$1 name=$2 src
  if [ "$rev" = worktree ]; then
    src=$root
  else
    src=$work/src-$name
    rm -rf "$src"
    git worktree prune
    git worktree add --force --detach "$src" "$rev" >/dev/null 2>&1
  fi
  cargo build --release --quiet --manifest-path "$src/Cargo.toml" --bin byline --example gen_corpus \
    --target-dir "$work/target-$name" >&2
  echo "$work/target-$name/release"
}

# label | query | extra arguments (word-split), one search per line
mapfile -t queries < <(grep -v '^#' "$root/tests/queries.psv")

run_all() {
  local bin=$1 out=$2
  rm -rf "$out"
  mkdir -p "$out"
  "$bin/byline" --index "$out/seeds-index" index --json seeds >"$out/index-seeds.json" 2>/dev/null
  "$bin/examples/gen_corpus" 2000 "$out/corpus" >/dev/null
  "$bin/byline" --index "$out/gen-index" index --json "$out/corpus/articles.ndjson" >"$out/index-gen.json" 2>/dev/null
  local corpus i=0
  for corpus in seeds gen; do
    for q in "${queries[@]}"; do
      IFS='|' read -r label query extra <<<"$q"
      i=$((i + 1))
      # shellcheck disable=SC2086
      "$bin/byline" --index "$out/$corpus-index" search --json "$query" $extra >"$out/$corpus-$i.jsonl" 2>"$out/$corpus-$i.err" || echo "exit $?" >>"$out/$corpus-$i.err"
    done
    "$bin/byline" --index "$out/$corpus-index" articles --json >"$out/$corpus-articles.jsonl"
    "$bin/byline" --index "$out/$corpus-index" entities --json >"$out/$corpus-entities.jsonl" || true
    "$bin/byline" --index "$out/$corpus-index" facets --json >"$out/$corpus-facets.jsonl" || true
  done
  "$bin/byline" --index "$out/seeds-index" eval --json seeds/judgments.tsv >"$out/seeds-eval.json" 2>&1 || true
  # Timings and the scratch folder's name are not behaviour.
  sed -i -E 's/"elapsed_ms":[0-9.e+-]+/"elapsed_ms":0/g; s/"elapsed(_s|_secs)?":[0-9.e+-]+/"elapsed":0/g; s#'"$out"'#OUT#g' "$out"/*.jsonl "$out"/*.json "$out"/*.err
  rm -rf "$out/seeds-index" "$out/gen-index" "$out/corpus"
}

a=$(build "$before" before)
b=$(build "$after" after)
run_all "$a" "$work/out-before"
run_all "$b" "$work/out-after"
# The checkouts are needed until the runs end: gen_corpus reads the seeds from its source tree.
for name in before after; do
  if [ -d "$work/src-$name" ]; then git worktree remove --force "$work/src-$name"; fi
done
if diff -r "$work/out-before" "$work/out-after" >"$work/diff.txt"; then
  echo "same output: ${#queries[@]} queries on 2 corpora, articles, entities, facets, eval ($before vs $after)"
else
  echo "DIFFERENT ($before vs $after): first lines of $work/diff.txt"
  head -40 "$work/diff.txt"
  exit 1
fi
