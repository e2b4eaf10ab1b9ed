#!/usr/bin/env bash
# Builds the fuzz targets and runs each for a short while: FUZZ_SECONDS
# (default 30) of libFuzzer each, one after the other, on one core. Fails if
# any target finds a crash, after running them all; the crashing inputs are in
# fuzz/artifacts/<target>/ (see fuzz/README.md to reproduce and minimise one).
#
# Needs a nightly toolchain and cargo-fuzz; without them it says so in one
# line and succeeds, so that CI on a stable-only machine passes. Run from
# anywhere.
set -euo pipefail
cd "$(dirname "$0")"

if ! cargo +nightly --version >/dev/null 2>&1 || ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz: skipped (needs a nightly toolchain and cargo-fuzz)"
    exit 0
fi

seconds="${FUZZ_SECONDS:-30}"
targets=(map set diff history adversarial)
logs=target/run-briefly
mkdir -p "$logs"

echo "fuzz: building ${targets[*]}"
cargo +nightly fuzz build

failed=()
for target in "${targets[@]}"; do
    log="$logs/$target.log"
    # -timeout: an input that runs this long is a hang, reported as a crash.
    if cargo +nightly fuzz run "$target" -- \
        -max_total_time="$seconds" -timeout=60 -print_final_stats=1 >"$log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
        echo "fuzz: $target: ok, ${runs:-?} inputs in ${seconds}s (${rate:-?}/s)"
    else
        echo "fuzz: $target: FAILED; the end of $PWD/$log:"
        tail -n 60 "$log"
        failed+=("$target")
    fi
done

if ((${#failed[@]})); then
    echo "fuzz: crashes in: ${failed[*]} (inputs in $PWD/artifacts/)"
    exit 1
fi
echo "fuzz: all ${#targets[@]} targets ran ${seconds}s each without a crash"
