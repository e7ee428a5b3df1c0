#!/usr/bin/env bash
# Where byline's index time goes: the committed build against throwaway builds of the same
# commit with one part taken out (benches/floor/*.patch), and SQLite FTS5 (the fastest peer in
# benches/compare.sh) on the same generated corpus, interleaved, ROUNDS rounds.
#   benches/index_floor.sh [N] [ROUNDS]          (default 10000 articles, 3 rounds)
# The patches, each applied to `git archive HEAD`:
#   no-write     builds every document but hands none to tantivy: ingest alone (reading,
#                cleaning, furniture, languages, entities in both passes, passages, copies)
#   one-passage  one passage per article (two tantivy documents an article instead of ~15)
#   no-exact     no exact-form field
#   no-names     none of the three name fields
# Writes benches/results/index-floor-N.md. Needs patch(1) and Python's sqlite3; scratch under
# target/floor/ (a few hundred MB at N=10000). A patch that no longer applies stops the run.
set -euo pipefail
n=${1:-10000}
rounds=${2:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=target/floor
mkdir -p "$out" benches/results
rev=$(git rev-parse --short HEAD)

cargo build --release --quiet --example gen_corpus
corpus=target/compare/corpus-$n
if [ ! -f "$corpus/counts.json" ]; then
  rm -rf "$corpus" && mkdir -p target/compare
  target/release/examples/gen_corpus "$n" "$corpus"
fi
ndjson=$corpus/articles.ndjson

variants=(as-built)
for p in benches/floor/*.patch; do variants+=("$(basename "$p" .patch)"); done
for v in "${variants[@]}"; do
  src=$out/src-$v
  rm -rf "$src" && mkdir -p "$src"
  git archive HEAD | tar -x -C "$src"
  # git archive dates the files at the commit: touched, so cargo (whose fingerprints do not
  # depend on where the source is) rebuilds each variant in the shared target folder.
  find "$src" -type f -exec touch {} +
  if [ "$v" != as-built ]; then
    patch -s -p1 -d "$src" <"benches/floor/$v.patch" ||
      { echo "index_floor: benches/floor/$v.patch no longer applies to $rev" >&2; exit 1; }
  fi
  echo "index_floor: building $v" >&2
  (cd "$src" && CARGO_TARGET_DIR="$root/$out/target" cargo build --release --quiet --bin byline)
  cp "$out/target/release/byline" "$out/byline-$v"
done

times=$out/times-$n.tsv
: >"$times"
timed() { # NAME DIR CMD...: one run, appended to $times as name, wall s, CPU s, bytes
  local name=$1 dir=$2
  shift 2
  rm -rf "$dir"
  /usr/bin/time -f "%e %U %S" -o "$out/time.txt" "$@" >/dev/null 2>"$out/stderr.txt" || {
    # byline exits 3 when it skipped some input; anything else is a failure.
    local rc=$?
    if [ "$rc" -ne 3 ]; then
      tail -5 "$out/stderr.txt" >&2
      exit 1
    fi
  }
  read -r wall user sys <"$out/time.txt"
  printf "%s\t%s\t%s\t%s\n" "$name" "$wall" "$(awk "BEGIN {print $user + $sys}")" \
    "$(du -sb "$dir" | cut -f1)" >>"$times"
  echo "index_floor: $name ${wall}s" >&2
}
for r in $(seq "$rounds"); do
  for v in "${variants[@]}"; do
    timed "$v" "$out/index-$v" "$out/byline-$v" --index "$out/index-$v" index "$ndjson"
  done
  timed fts5 "$out/fts5.db" python3 benches/compare.py fts5-index "$out/fts5.db" "$ndjson"
done

python3 - "$times" "$n" "$rev" "$(du -sb "$ndjson" | cut -f1)" >"benches/results/index-floor-$n.md" <<'EOF'
import statistics, sys, datetime
path, n, rev, input_bytes = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
runs = {}
for line in open(path):
    name, wall, cpu, size = line.split("\t")
    runs.setdefault(name, []).append((float(wall), float(cpu), int(size)))
med = {k: (statistics.median(w for w, _, _ in v), statistics.median(c for _, c, _ in v), v[-1][2])
       for k, v in runs.items()}
fts5 = med["fts5"][0]
base = med["as-built"]
what = {
    "as-built": "byline as committed (everything on)",
    "no-write": "ingest alone: every document built, none handed to tantivy",
    "one-passage": "one passage per article (2 tantivy documents an article)",
    "no-exact": "without the exact-form field",
    "no-names": "without the three name fields",
    "fts5": "SQLite FTS5, porter tokenizer (benches/compare.py fts5-index)",
}
print(f"# Where byline's index time goes: {n:,} generated articles\n")
print(f"{datetime.date.today()}, commit {rev}; `benches/index_floor.sh {n}`; median of "
      f"{len(runs['fts5'])} interleaved rounds; CPU is user + system seconds.\n")
print("| build | wall | CPU | vs as built | vs FTS5 | index size |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for k, (wall, cpu, size) in med.items():
    print(f"| {what.get(k, k)} | {wall:.2f} s | {cpu:.1f} s | {wall / base[0]:.2f}× | "
          f"{wall / fts5:.2f}× | {size / 1e6:.0f} MB ({size / input_bytes:.2f}× input) |")
EOF
cat "benches/results/index-floor-$n.md"
