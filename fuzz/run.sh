#!/usr/bin/env bash
# Runs byline's fuzz targets with cargo-fuzz (libFuzzer), installing cargo-fuzz when missing.
#
#   fuzz/run.sh [RUNS] [TARGET...]     RUNS defaults to 1000000; targets default to all five
#   PARALLEL=2 fuzz/run.sh             targets run two at a time (default: one per core, max 2)
#
# Each target starts from its kept inputs (fuzz/seeds/<target>, fuzz/regressions/<target>)
# plus what earlier runs found (fuzz/corpus/<target>, not committed). A crash is copied into
# fuzz/regressions/<target>/, where `cargo test` runs it from then on, and the script exits 1.
# The executions and time of each target go to fuzz/results.md.
# cargo-fuzz needs a nightly toolchain; with none installed, RUSTC_BOOTSTRAP lets stable build.
set -euo pipefail
cd "$(dirname "$0")"
runs=${1:-1000000}
case $runs in
  '' | *[!0-9]*) sed -n '2,12p' "$(basename "$0")" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(query http_query article metadata records)
parallel=${PARALLEL:-$(nproc 2>/dev/null | awk '{print ($1 > 2) ? 2 : $1}')}

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    fuzz=(cargo +nightly fuzz)
else
    export RUSTC_BOOTSTRAP=1
    fuzz=(cargo fuzz)
fi
# byline forbids unsafe code; AddressSanitizer would check only its dependencies, at 2-3x
# the cost per execution, so the targets build without it (libFuzzer's coverage stays).
"${fuzz[@]}" build --release --sanitizer none

mkdir -p logs
run_one() {
    local t=$1 runs=$2
    mkdir -p "corpus/$t" "artifacts/$t"
    local start=$SECONDS
    if "${fuzz[@]}" run --release --sanitizer none "$t" "corpus/$t" "seeds/$t" "regressions/$t" -- \
        -runs="$runs" -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        >"logs/$t.log" 2>&1; then
        echo "$t ok $(grep -o 'stat::number_of_executed_units: *[0-9]*' "logs/$t.log" | grep -o '[0-9]*$') $((SECONDS - start))"
    else
        for crash in "artifacts/$t"/*; do
            [ -f "$crash" ] && cp "$crash" "regressions/$t/"
        done
        echo "$t FAILED(fuzz/logs/$t.log) - $((SECONDS - start))"
    fi
}
for t in "${targets[@]}"; do
    run_one "$t" "$runs" >"logs/$t.result" &
    while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do wait -n || true; done
done
wait
results=$(for t in "${targets[@]}"; do cat "logs/$t.result"; done)
{
    echo "| target | result | executions | seconds |"
    echo "| --- | --- | ---: | ---: |"
    echo "$results" | sort | awk '{printf "| %s | %s | %s | %s |\n", $1, $2, $3, $NF}'
    echo
    echo "Run $(date -u +%Y-%m-%d) on $(nproc) cores, $runs runs asked per target, $parallel at a time."
} | tee results.md
! grep -q FAILED <<<"$results"
