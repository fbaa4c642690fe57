#!/usr/bin/env bash
# Scale benchmark (not part of CI). Generates a province-scale sample with
# `statbrief sample --scale N` (default 300), then times
#   1. calamine alone decoding the same workbooks (examples/calamine_decode.rs), and
#   2. `statbrief run` end to end,
# each on the same cores, and checks the targets of the developers' brief:
# statbrief ≤ 1.3 × calamine's time and ≤ 1.5 GiB of memory.
# Usage: bench/run.sh [SCALE] [DATA_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/statbrief-target}"
scale="${1:-300}"
data="${2:-/tmp/statbrief-bench-$scale}"
cargo build --release --quiet --bin statbrief --example calamine_decode
bin="$CARGO_TARGET_DIR/release/statbrief"
base="$CARGO_TARGET_DIR/release/examples/calamine_decode"
if [ ! -d "$data" ]; then
  "$bin" sample --out "$data" --scale "$scale" >/dev/null
fi
echo "data: $data ($(du -sh "$data" | cut -f1), $(find "$data" -type f | wc -l) files)"
measure() { # prints "seconds max_rss_kb"
  local t; t=$(mktemp)
  /usr/bin/time -f "%e %M" -o "$t" "$@" >/dev/null 2>&1 || true
  tail -1 "$t"; rm -f "$t"
}
best() { # best of 3 runs of a command: "seconds rss"
  local b="" r
  for _ in 1 2 3; do
    r=$(measure "$@")
    if [ -z "$b" ] || awk -v a="${r% *}" -v b="${b% *}" 'BEGIN{exit !(a<b)}'; then b="$r"; fi
  done
  echo "$b"
}
read -r cal_s cal_kb < <(best "$base" "$data")
out=$(mktemp -d)
read -r sb_s sb_kb < <(best "$bin" run --input "$data" --out "$out")
ratio=$(awk -v a="$sb_s" -v b="$cal_s" 'BEGIN{printf "%.2f", a/b}')
echo "calamine alone: ${cal_s}s, max RSS $((cal_kb/1024)) MiB"
echo "statbrief run : ${sb_s}s, max RSS $((sb_kb/1024)) MiB"
echo "ratio: $ratio (target ≤ 1.30); memory target ≤ 1536 MiB"
ok=1
awk -v r="$ratio" 'BEGIN{exit !(r<=1.30)}' || { echo "FAIL: time ratio above 1.3"; ok=0; }
[ "$sb_kb" -le $((1536*1024)) ] || { echo "FAIL: memory above 1.5 GiB"; ok=0; }
rm -rf "$out"
[ "$ok" = 1 ] && echo "PASS" || exit 1
