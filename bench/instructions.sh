#!/usr/bin/env bash
# Instruction counts of the scale benchmark's three steps (not part of CI):
#   bench/instructions.sh [DATA_ROOT]
# The timed benchmark (bench/run.sh) is the verdict, but on this shared VM
# one hour's rounds differ by more than most single changes save. valgrind's
# callgrind counts the instructions each step executes, which are the same
# on every run of one build, whatever else the machine does, so a change can
# be judged by this script before and after it. For the tenth-size sets of
# both shapes (BENCH_SIZES="tenth full" adds the full sets, ~40 min) it
# counts (a) calamine alone, (b) `check` and (c) `run`, and prints b/a and
# c/a. Under valgrind the sha2 crate cannot use the CPU's SHA instructions,
# as it does natively, so the software SHA-256 is shown and also taken out
# of the second pair of ratios. Counts miss cache misses and page faults,
# which make statbrief's row path cost more per instruction than calamine's
# decoding: the timed ratios run a few hundredths higher.
set -euo pipefail
cd "$(dirname "$0")/.."
root="${1:-/tmp/statbrief-bench}"
# shellcheck source=bench/sets.sh
. bench/sets.sh
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)"; exit 2; }
mkdir -p "$root"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

count() { # NAME CMD...: prints "total sha256" instructions of one run
  local name="$1"; shift
  valgrind --tool=callgrind --callgrind-out-file="$work/$name.cg" "$@" >/dev/null 2>"$work/$name.err" || true
  local total sha
  total=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/$name.err")
  sha=$(callgrind_annotate --inclusive=yes "$work/$name.cg" 2>/dev/null |
    awk '/sha2::sha256::compress256 / { gsub(",", "", $1); print $1; exit }')
  echo "${total:-0} ${sha:-0}"
}
gi() { awk -v n="$1" 'BEGIN{ printf "%.3f", n / 1e9 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.3f", a / b; else print "n/a" }'; }

printf '%-9s %-6s %-6s %10s %10s %7s %11s\n' shape size step G_instr sha256_G ratio ratio_noSHA
for shape in county province; do
  for size in ${BENCH_SIZES:-tenth}; do
    ensure_set "$root" "$shape" "$size"
    data="$root/$shape-$size"
    read -r at as <<<"$(count a "$base" "$data")"
    read -r bt bs <<<"$(count b "$bin" check --quiet --input "$data")"
    read -r ct cs <<<"$(count c "$bin" run --quiet --input "$data" --out "$work/out")"
    rm -rf "$work/out"
    printf '%-9s %-6s %-6s %10s %10s\n' "$shape" "$size" calamine "$(gi "$at")" "$(gi "$as")"
    printf '%-9s %-6s %-6s %10s %10s %7s %11s\n' "" "" check "$(gi "$bt")" "$(gi "$bs")" \
      "$(ratio "$bt" "$at")" "$(ratio $((bt - bs)) $((at - as)))"
    printf '%-9s %-6s %-6s %10s %10s %7s %11s\n' "" "" run "$(gi "$ct")" "$(gi "$cs")" \
      "$(ratio "$ct" "$at")" "$(ratio $((ct - cs)) $((at - as)))"
  done
done
