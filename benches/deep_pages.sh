#!/usr/bin/env bash
# Deep pages: what a page costs at growing depth, by offset and by cursor, over HTTP on an
# existing index (build one first, e.g. `byline --index /tmp/ix100 index CORPUS`).
# For each query: pages of LIMIT by offset at depths 0, 1k, 10k, 50k, 100k (the offset
# ceiling), each the median of 3; then a cursor walk from the first page to the end (or to
# MAX_PAGES), printing each page's time at the same depths and the walk's total.
#   benches/deep_pages.sh INDEX_DIR [LIMIT] [MAX_PAGES] QUERY...
set -euo pipefail
index=$1; shift
limit=${1:-100}; shift || true
max_pages=${1:-1001}; shift || true
[ $# -gt 0 ] || set -- "said" "president"
root=$(cd "$(dirname "$0")/.." && pwd)
cargo build --release --quiet --manifest-path "$root/Cargo.toml" --bin byline
log=$(mktemp)
serve_pid=""
cleanup() { [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null; rm -f "$log"; }
trap cleanup EXIT
. "$root/tests/e2e/serve.sh"
serve_index "$root/target/release/byline" "$index" "$log"
echo "machine: $(nproc) cores; index $index; limit $limit"
python3 - "$serve_url" "$limit" "$max_pages" "$@" <<'PY'
import json, statistics, sys, time, urllib.parse, urllib.request

url, limit, max_pages, queries = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]

def get(params):
    t = time.perf_counter()
    with urllib.request.urlopen(url + "search?" + urllib.parse.urlencode(params)) as r:
        body = json.load(r)
    return (time.perf_counter() - t) * 1000, body

for q in queries:
    base = {"q": q, "limit": limit, "collapse": "false"}
    # Faceted, the count is exact (a plain search stops counting at 10,000).
    _, first = get({**base, "limit": 1, "facets": "lang"})
    total = first["summary"]["articles"]
    print(f"== {q!r}: {total} articles")
    for depth in (0, 1000, 10000, 50000, 100000):
        if depth >= total:
            break
        times = [get({**base, "offset": depth})[0] for _ in range(3)]
        print(f"offset {depth:>7}: {statistics.median(times):8.1f} ms")
    cursor, depth, walk, pages, seen = "*", 0, 0.0, 0, 0
    marks = {0, 1000, 10000, 50000, 100000}
    while cursor is not None and pages < max_pages:
        ms, body = get({**base, "cursor": cursor})
        if depth in marks:
            print(f"cursor {depth:>7}: {ms:8.1f} ms")
        walk += ms
        pages += 1
        seen += body["summary"]["returned"]
        depth += body["summary"]["returned"]
        cursor = body["summary"]["next_cursor"]
    print(f"cursor walk: {pages} pages, {seen} articles, {walk / 1000:.1f} s "
          f"({walk / pages:.1f} ms a page){'' if cursor is None else ', stopped at MAX_PAGES'}")
PY
