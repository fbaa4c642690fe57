#!/usr/bin/env bash
# Shows the progress bar in a real terminal (issue 9). util-linux `script`
# gives statbrief a pseudo-terminal and records everything it drew; the
# test `scale::the_bar_appears_in_a_terminal_and_ends_cleanly` does the same
# in CI. Usage: scripts/progress_tty.sh [INPUT_DIR]   (default sample_data)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/statbrief-target}"
cargo build --release --quiet --bin statbrief
bin="$CARGO_TARGET_DIR/release/statbrief"
input="${1:-sample_data}"
log=$(mktemp); out=$(mktemp -d)
script -q -e -c "$bin run --input $input --out $out/o" "$log" >/dev/null
if grep -q "读取台账" "$log" && grep -q "写出结果" "$log"; then
  echo "bar drawn while reading and while writing"
else
  echo "FAIL: no bar in the terminal"; exit 1
fi
# The bar's last frame is followed by a line clear (ESC[2K), then the summary.
tail -c 2000 "$log" | cat -v | tail -5
script -q -e -c "$bin run --quiet --input $input --out $out/o" "$log" >/dev/null
grep -q "读取台账" "$log" && { echo "FAIL: --quiet still drew the bar"; exit 1; }
echo "--quiet: no bar"
"$bin" run --input "$input" --out "$out/o" 2>"$log" >/dev/null
[ -s "$log" ] && { echo "FAIL: something on stderr in a pipe"; exit 1; }
echo "pipe: stderr silent"
rm -rf "$log" "$out"
