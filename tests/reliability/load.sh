#!/usr/bin/env bash
# The bounded load run: `byline serve` on an index of N generated articles (default 10000),
# then wrk with C keep-alive connections (default 64) for S seconds (default 60) over a mix of
# searches (names, a variant spelling, a phrase, common words, filters, facet counts) and
# article and entity lookups. The server's RSS is read every second. Prints the requests
# served, req/s, p50/p99, errors (socket errors, non-2xx answers), and the largest RSS in the
# first and the last 10 s; exits 1 on any error or if RSS grew by more than 10% between them.
# Installs wrk (Debian) when missing. Traffic goes only to 127.0.0.1.
#   tests/reliability/load.sh [N] [SECONDS] [CONNECTIONS]
set -euo pipefail
n=${1:-10000}
secs=${2:-60}
conns=${3:-64}
root=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v wrk >/dev/null 2>&1; then
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
cargo build --release --quiet --manifest-path "$root/Cargo.toml" --bin byline --example gen_corpus
bin=$root/target/release/byline
work=$(mktemp -d)
serve_pid=""
sampler=""
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
"$root/target/release/examples/gen_corpus" "$n" "$work/corpus" 2>/dev/null
"$bin" --index "$work/index" index "$work/corpus/articles.ndjson" 2>&1 | tail -1
. "$root/tests/e2e/serve.sh"
serve_index "$bin" "$work/index" "$work/serve.log"
article=$("$bin" --index "$work/index" articles --json | head -1 | sed 's/.*"id":"\([^"]*\)".*/\1/')
cat >"$work/mix.lua" <<LUA
local paths = {
  "/search?q=Iravani",
  "/search?q=Araghchi",
  "/search?q=Arghachi&limit=5",
  "/search?q=%22peace+through+strength%22",
  "/search?q=nuclear+ambassador",
  "/search?q=Musk&since=2024-06-01&passages=3",
  "/search?q=Iravani+Musk&facets=outlet,person",
  "/facets?q=Soleimani",
  "/entities?kind=person&limit=20",
  "/articles/$article",
  "/healthz",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
LUA
# RSS in KiB, one line a second: "SECOND KIB".
(t=0; while kill -0 "$serve_pid" 2>/dev/null; do
  echo "$t $(awk '/^VmRSS/ {print $2}' "/proc/$serve_pid/status")"; t=$((t + 1)); sleep 1
done) >"$work/rss" &
sampler=$!
echo "machine: $(nproc) cores; byline serve on $n generated articles; wrk -t2 -c$conns -d${secs}s, 11 routes in turn"
wrk -t2 -c"$conns" -d"${secs}s" --timeout 10s --latency -s "$work/mix.lua" "${serve_url%/}" >"$work/wrk" 2>&1
kill "$sampler" 2>/dev/null; sampler=""
grep -E "requests in|Requests/sec|50%|99%|Non-2xx|Socket errors" "$work/wrk"
first=$(awk '$1 >= 1 && $1 <= 10 && $2 > m {m = $2} END {print m + 0}' "$work/rss")
last=$(awk -v s="$secs" '$1 > s - 10 && $1 <= s && $2 > m {m = $2} END {print m + 0}' "$work/rss")
echo "server RSS, largest: first 10 s $((first / 1024)) MiB, last 10 s $((last / 1024)) MiB"
errors=$(grep -cE "Non-2xx|Socket errors" "$work/wrk" || true)
if [ "$errors" -gt 0 ]; then echo "FAIL: errors under load"; exit 1; fi
if [ "$last" -gt $((first * 11 / 10)) ]; then echo "FAIL: RSS grew more than 10%"; exit 1; fi
echo "ok: no errors, no RSS growth beyond 10%"
