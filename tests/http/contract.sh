#!/usr/bin/env bash
# The HTTP API against its own OpenAPI document, by schemathesis (PyPI), run by .ci/run:
# every documented operation, GET and POST, positive and negative cases; the run fails on
# any failure (a server error, an undocumented status or content type, an answer outside
# its schema, invalid data accepted, a 405 without Allow). Every check runs but
# positive_data_acceptance: a value of the right type can still be refused by its meaning
# (a query with nothing to search, month 13, an entity without its kind), a documented 400. Installs schemathesis into target/contract-venv when
# missing. Starts `byline serve` on a temp index of the seeds.
#   tests/http/contract.sh [EXAMPLES]   (cases per operation; default 60)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
examples=${1:-60}
venv="$root/target/contract-venv"
version=4.32.5
if [ ! -x "$venv/bin/schemathesis" ] || ! "$venv/bin/schemathesis" --version | grep -q "$version"; then
  echo "contract: installing schemathesis $version into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
fi
cargo build --quiet --manifest-path "$root/Cargo.toml"
bin="$root/target/debug/byline"
work=$(mktemp -d)
serve_pid=""
cleanup() { [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
"$bin" --index "$work/index" index "$root/seeds" 2>/dev/null
. "$root/tests/e2e/serve.sh"
serve_index "$bin" "$work/index" "$work/serve.log"
cd "$work"
# Article routes get a real id (random ones only reach the 404).
cat > schemathesis.toml <<'TOML'
[parameters]
"path.id" = "000_11313b6d5c106fd1"
TOML
"$venv/bin/schemathesis" run "${serve_url}openapi.json" \
  --checks all --exclude-checks positive_data_acceptance --max-examples "$examples" --seed 20261205 --workers 2 \
  --generation-deterministic --no-color --report junit --report-dir "$work/report" \
  --request-timeout 20
