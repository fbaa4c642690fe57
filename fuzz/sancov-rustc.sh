#!/bin/bash
# RUSTC_WRAPPER for a fuzz build that instruments only the fuzzed code.
#
# `cargo fuzz build` puts its coverage flags in RUSTFLAGS, so every crate is
# instrumented and polars (most of the build, none of the fuzzed code) is
# compiled again from cold: more than an hour on a busy 2-core machine. This
# wrapper adds the same flags as cargo-fuzz 0.13.2 (src/project.rs; run with
# its defaults: trace-compares, branch folding off, stack depth, debug
# assertions) only to statbrief, the fuzz targets and the readers they drive.
# Everything else is compiled exactly as in statbrief's own release build, so
# a copy of that target folder is reused as it is (README, "Fuzzing").
rustc="$1"
shift
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
instrument=0
for a in "$@"; do
    case "$a" in
    "$root"/src/* | "$root"/fuzz/* | fuzz_targets/*) instrument=1 ;;
    */calamine-0.* | */zip-[89].* | */quick-xml-0.42.* | */csv-1.* | */csv-core-* | */chardetng-* | \
        */scraper-* | */html5ever-* | */markup5ever-* | */tendril-* | */cfb-0.*) instrument=1 ;;
    esac
done
# Build scripts and proc macros run inside cargo/rustc, without libFuzzer.
for a in "$@"; do
    case "$a" in build_script_build | proc-macro) instrument=0 ;; esac
done
if [ "$instrument" = 1 ]; then
    exec "$rustc" "$@" -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
        -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
        -Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing \
        -Cllvm-args=-simplifycfg-branch-fold-threshold=0 -Cllvm-args=-sanitizer-coverage-stack-depth \
        -Cdebug-assertions
fi
exec "$rustc" "$@"
