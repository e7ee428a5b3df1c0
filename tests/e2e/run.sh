#!/usr/bin/env bash
# End-to-end test of the search page in headless Chromium, run by .ci/run.
# Installs what it needs when missing: Debian's chromium (apt-get, as root) and playwright-core
# (npm ci, from package-lock.json). Starts `byline serve` on a temp index of the seeds and the
# copies fixture (tests/copies/articles: one agency story run by three outlets).
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
serve_pid=""
keyed_pid=""
cleanup() {
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null
  [ -n "$keyed_pid" ] && kill "$keyed_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
"$bin" --index "$work/index" index "$root/seeds" "$root/tests/copies/articles" "$here/articles" 2>/dev/null
. "$here/serve.sh"
key="e2e-$RANDOM-$RANDOM"
serve_index "$bin" "$work/index" "$work/keyed.log" --api-key "$key"
keyed_pid=$serve_pid
keyed_url=$serve_url
serve_index "$bin" "$work/index" "$work/serve.log"
SHOTS="${SHOTS:-$root/target/e2e-screenshots}" node "$here/search_page.mjs" "$serve_url" "$keyed_url" "$key"
