#!/usr/bin/env bash
# End-to-end test of `statbrief serve` in a real browser (issue 13).
#
#   scripts/serve_e2e.sh [SCREENSHOT_DIR]
#
# Starts `statbrief serve --port 0 --no-open` on a free loopback port, drives
# Debian's headless Chromium with Playwright through the three steps —
# upload sample_data/, check that the issues table shows the planted
# rejections of sample_data/expected.json, run 2025H1 and download
# briefing.xlsx (it must be a zip with xl/workbook.xml) — and fails if the
# page made any request outside the server. Screenshots of the three steps go
# to SCREENSHOT_DIR (default: a temporary folder; `docs` refreshes the
# README's pictures).
#
# Needs: `apt-get install -y chromium`, node and npm (playwright-core is
# installed into a temporary folder from the npm registry). Not part of CI:
# the handler tests in tests/it/serve.rs cover the same rules in-process.
# Set STATBRIEF_BIN to test a binary already built.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
browser=/usr/bin/chromium
[ -x "$browser" ] || { echo "chromium not found: apt-get install -y chromium" >&2; exit 2; }
command -v npm >/dev/null || { echo "npm not found" >&2; exit 2; }

work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
shots=${1:-$work/shots}
mkdir -p "$shots"
shots=$(cd "$shots" && pwd)

bin=${STATBRIEF_BIN:-}
if [ -z "$bin" ]; then
  (cd "$root" && cargo build --release --quiet)
  bin="${CARGO_TARGET_DIR:-$root/target}/release/statbrief"
fi

echo "installing playwright-core into $work …"
(cd "$work" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund playwright-core >/dev/null)
cp "$root/scripts/serve_e2e.cjs" "$work/"

"$bin" serve --port 0 --no-open --data "$work/data" >"$work/serve.log" 2>&1 &
server_pid=$!
url=
for _ in $(seq 1 100); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/[0-9a-f]*/' "$work/serve.log" | head -1 || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "serve did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }
echo "serve is at ${url%/*/}/…"

(cd "$work" && node serve_e2e.cjs "$url" "$root/sample_data" "$shots" "$browser")
if [ -n "${1:-}" ]; then echo "screenshots: $shots"; fi
