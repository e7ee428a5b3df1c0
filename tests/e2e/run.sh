#!/usr/bin/env bash
# End-to-end test of the search page in headless Chromium, run by .ci/run.
# Installs what it needs when missing: Debian's chromium (apt-get, as root) and playwright-core
# (npm ci, from package-lock.json). Starts `byline serve` on a temp index of the seeds.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if ! command -v chromium >/dev/null 2>&1; then
  echo "e2e: installing Debian's chromium" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --silent)
fi
cargo build --quiet --manifest-path "$root/Cargo.toml"
bin="$root/target/debug/byline"
work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
"$bin" --index "$work/index" index "$root/seeds" 2>/dev/null
"$bin" --index "$work/index" serve --port 0 2>"$work/serve.log" &
pid=$!
url=""
for _ in $(seq 1 100); do
  url=$(sed -n 's/^byline: serving \(http[^ ]*\)$/\1/p' "$work/serve.log")
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "e2e: the server did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }
node "$here/search_page.mjs" "$url"
