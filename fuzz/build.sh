#!/bin/bash
# Builds the fuzz targets without compiling polars again (README, "Fuzzing").
#
#   fuzz/build.sh MAIN_TARGET_DIR [FUZZ_TARGET_DIR]
#
# MAIN_TARGET_DIR is the target folder of statbrief's own `cargo build
# --release` (polars is built there). Its release folder is copied once to
# FUZZ_TARGET_DIR (default MAIN_TARGET_DIR/fuzz); the fuzzed crates' records
# are dropped from the copy so that cargo builds them again, instrumented by
# sancov-rustc.sh, while polars and everything else is reused as it is (the
# fuzz crate's release profile and Cargo.lock are statbrief's own).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
main="${1:?usage: fuzz/build.sh MAIN_TARGET_DIR [FUZZ_TARGET_DIR]}"
target="${2:-$main/fuzz}"
cp ../Cargo.lock .
if [ ! -d "$target/release" ]; then
    mkdir -p "$target"
    cp -a "$main/release" "$target/release"
    fuzzed='registry/src/[^/]+/(calamine-|zip-[89]\.|quick-xml-0\.42\.|csv-1\.|csv-core-|chardetng-|scraper-|html5ever-|markup5ever-|tendril-|cfb-0\.)'
    for d in "$target"/release/deps/*.d; do
        if grep -qE "$fuzzed" "$d"; then
            hash="${d##*-}"
            rm -rf "$target"/release/.fingerprint/*-"${hash%.d}"
        fi
    done
fi
CARGO_TARGET_DIR="$target" RUSTC_WRAPPER="$PWD/sancov-rustc.sh" nice -n 19 cargo build --release --bins
echo "fuzz targets in $target/release: workbook csv html cell_values period"
