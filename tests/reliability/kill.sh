#!/usr/bin/env bash
# Crash safety, the long run: `byline index` over N generated articles (default 5000), killed
# with SIGKILL at random moments KILLS times (default 50). After every kill the index must open,
# hold whole commits only (no duplicate ids; article and passage counts agree), never hold fewer
# articles than before, and answer a search; then one last run completes the corpus, writing
# only what was missing. Prints one line per kill and a summary.
#   tests/reliability/kill.sh [N] [KILLS] [COMMIT_EVERY]
set -euo pipefail
n=${1:-5000}
kills=${2:-50}
batch=${3:-250}
root=$(cd "$(dirname "$0")/../.." && pwd)
cargo build --release --quiet --manifest-path "$root/Cargo.toml" --bin byline --example gen_corpus
bin=$root/target/release/byline
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$root/target/release/examples/gen_corpus" "$n" "$work/corpus" 2>/dev/null
ndjson=$work/corpus/articles.ndjson
index=$work/index
# How long a whole run takes, to spread the kills over it.
start=$(date +%s%N)
"$bin" index --index "$work/probe" --commit-every "$batch" "$ndjson" 2>/dev/null || true
full_ms=$(( ($(date +%s%N) - start) / 1000000 ))
rm -rf "$work/probe"
echo "kill test: $n articles, commits every $batch, a whole run takes ${full_ms} ms; $kills kills"
committed=0
survived=0
for k in $(seq 1 "$kills"); do
  delay=$(( RANDOM % (full_ms + 1) ))
  "$bin" index --index "$index" --commit-every "$batch" "$ndjson" >/dev/null 2>&1 &
  pid=$!
  sleep "$(awk "BEGIN { print $delay / 1000 }")"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ ! -f "$index/meta.json" ]; then
    echo "kill $k after ${delay} ms: no commit yet"
    survived=$((survived + 1))
    continue
  fi
  # (`articles` exits 1 on an empty index: a kill can land right after it is created.)
  now=$({ "$bin" articles --index "$index" --json || [ $? -eq 1 ]; } | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin if l.strip()]
ids = [r["id"] for r in rows if r.get("type") == "article"]
assert len(ids) == len(set(ids)), "duplicate articles"
print(len(ids))')
  if [ $((now % batch)) -ne 0 ] && [ "$now" -ne "$n" ]; then
    echo "kill $k: $now articles is not whole commits" >&2; exit 1
  fi
  if [ "$now" -lt "$committed" ]; then
    echo "kill $k: a commit was lost ($now < $committed)" >&2; exit 1
  fi
  code=0
  "$bin" search --index "$index" Iravani >/dev/null 2>&1 || code=$?
  if [ "$code" -gt 1 ]; then echo "kill $k: search failed ($code)" >&2; exit 1; fi
  committed=$now
  survived=$((survived + 1))
  echo "kill $k after ${delay} ms: index opens, $now articles, no duplicates"
  if [ "$now" -eq "$n" ]; then
    # Complete: start over, so the next kills land in the middle of writing again.
    rm -rf "$index"
    committed=0
  fi
done
[ -d "$index" ] || echo "last kill left no index: the final run starts from nothing"
report=$("$bin" index --index "$index" --json --commit-every "$batch" "$ndjson" 2>/dev/null)
echo "$report" | python3 -c "
import json, sys
r = json.load(sys.stdin)
assert r['index_articles'] == $n, r
assert r['unchanged'] == $committed, r
print(f\"final run: wrote {r['articles']}, skipped {r['unchanged']} unchanged; index holds {r['index_articles']}\")"
echo "kill test: $survived of $kills kills survived"
