#!/usr/bin/env bash
# A bounded HTTP load run on loopback: `byline serve` on an index of N generated articles
# (default 2000), then wrk with 8 keep-alive connections for 10 s per query. Prints wrk's
# requests/s and latency percentiles. Installs wrk (Debian) when missing. Traffic goes only to
# 127.0.0.1, and every run stops by itself.
#   benches/load_http.sh [ARTICLES] [SECONDS] [CONNECTIONS]
set -euo pipefail
n=${1:-2000}
secs=${2:-10}
conns=${3:-8}
root=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v wrk >/dev/null 2>&1; then
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
cargo build --release --quiet --manifest-path "$root/Cargo.toml" --bin byline --example gen_corpus
work=$(mktemp -d)
serve_pid=""
cleanup() { [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
"$root/target/release/examples/gen_corpus" "$n" "$work/corpus" 2>/dev/null
"$root/target/release/byline" --index "$work/index" index "$work/corpus/articles.ndjson" 2>&1 | tail -1
. "$root/tests/e2e/serve.sh"
serve_index "$root/target/release/byline" "$work/index" "$work/serve.log"
url=$serve_url
echo "machine: $(nproc) cores; byline serve on $n generated articles; wrk -t2 -c$conns -d${secs}s"
for q in "search?q=Iravani" "search?q=Araghchi" "search?q=Iravani+Musk+sanctions&facets=outlet,person"; do
  echo "== GET /$q"
  wrk -t2 -c"$conns" -d"${secs}s" --timeout 5s --latency "$url$q" | grep -E "Requests/sec|Latency|50%|90%|99%|Non-2xx|errors"
done
