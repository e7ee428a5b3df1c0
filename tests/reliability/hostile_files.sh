#!/usr/bin/env bash
# Hostile files in one folder: two FIFOs (a *.txt and a *.jsonl), a *.jsonl symlink to
# /dev/urandom, a .jsonl with a byte order mark, a CR-only .txt, a 181 MB one-line .txt (over
# the default --max-file-mib) and a 27 MB one-line .txt with no sentence end. Indexes the
# folder under /usr/bin/time, then searches it, and prints exit codes, what was skipped, peak
# RSS and the size of the largest search answer (issue 14's check; figures in its note).
#   tests/reliability/hostile_files.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cargo build --release --quiet --manifest-path "$root/Cargo.toml" --bin byline
bin=$root/target/release/byline
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
in=$work/in
mkdir -p "$in"
mkfifo "$in/pipe.txt" "$in/pipe.jsonl"
ln -s /dev/urandom "$in/random.jsonl"
printf '\xef\xbb\xbf{"id":"bom1","text":"First record after a byte order mark."}\n{"id":"bom2","text":"Second."}\n' >"$in/bom.jsonl"
printf 'Iravani met Musk.\rRead more\rThe officials denied it.\rRead more\r' >"$in/cr.txt"
python3 - "$in" <<'PY'
import random, sys
random.seed(1)
words = "the envoy met minister sanctions talks Iravani Musk meeting said officials nuclear".split()
for name, mb in (("big200.txt", 200), ("big30.txt", 30)):
    with open(f"{sys.argv[1]}/{name}", "w") as f:
        for _ in range(mb * 1024 * 1024 // 8 // 1000):
            f.write(" ".join(random.choice(words) for _ in range(1000)) + " ")
PY
ls -l "$in"
set +e
/usr/bin/time -f "index: %e s, peak RSS %M KB" "$bin" --index "$work/idx" index "$in"
echo "index exit: $?"
for q in Iravani "the envoy met"; do
  for p in 1 50; do
    /usr/bin/time -f "  %e s, peak RSS %M KB" "$bin" --index "$work/idx" search "$q" --json --passages "$p" >"$work/out.json" 2>"$work/err"
    echo "search '$q' --passages $p: exit $?, answer $(wc -c <"$work/out.json") bytes$(tail -1 "$work/err")"
  done
done
"$bin" --index "$work/idx" show cr --json | python3 -c 'import json,sys; r=json.load(sys.stdin); print("cr.txt furniture:", [f["reason"] for f in r["furniture"]], "passages:", r["passages"])'
"$bin" --index "$work/idx" articles
