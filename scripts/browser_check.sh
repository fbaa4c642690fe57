#!/usr/bin/env bash
# Renders a briefing.html in a real (headless) Chromium, as an office would
# open and print it, and checks that it needs nothing from the network.
#
#   scripts/browser_check.sh OUT/briefing.html [CHECK_DIR]
#
# Writes CHECK_DIR (default: briefing_check/ beside the HTML): screenshot.png
# (the top of the page at screen size), briefing.pdf (A4, as printed),
# page-N.png (the PDF's pages, when pdftoppm is installed). Fails when the
# HTML names a remote resource or when the page, opened in Chromium, requests
# anything but the file itself.
# Needs Debian's chromium (apt-get install chromium); not part of CI.
set -euo pipefail

html=${1:?usage: $0 briefing.html [check-dir]}
[ -f "$html" ] || { echo "no such file: $html" >&2; exit 2; }
html=$(realpath "$html")
out=${2:-$(dirname "$html")/briefing_check}
mkdir -p "$out"
out=$(realpath "$out")
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "chromium not found: apt-get install -y chromium" >&2; exit 2; }

fail=0
# 1. Static check: no attribute or stylesheet may point at a remote resource,
#    and nothing that would load one may appear at all. (The SVG namespace,
#    xmlns="http://www.w3.org/2000/svg", is a name, not a request.)
if grep -nEio '(src|href|srcset|action|poster|data|formaction|background)[[:space:]]*=[[:space:]]*["'"'"']?[[:space:]]*(https?:|ftp:)?//[^"'"'"' >]*' "$html"; then
  echo "FAIL: the HTML links a remote resource (above)" >&2; fail=1
fi
if grep -nEio 'url\([[:space:]]*["'"'"']?[[:space:]]*(https?:)?//[^)]*\)|@import|<script|<link[[:space:]]|<iframe|<object|<embed|<img[[:space:]]' "$html"; then
  echo "FAIL: the HTML loads or may load something (above); the briefing must be self-contained" >&2; fail=1
fi

# 2. Dynamic check: open the page with every host name unresolvable and
#    list every request the *page* makes, through the DevTools protocol over a
#    pipe (Chromium's own background traffic is not the page's and is not
#    counted). Then take a screenshot and print to PDF with the plain flags.
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync
  --disable-default-apps --disable-extensions --no-default-browser-check
  --user-data-dir="$profile" --host-resolver-rules="MAP * ~NOTFOUND"
  --hide-scrollbars --force-device-scale-factor=1)

requests=$(python3 - "$browser" "file://$html" "${flags[@]}" 2>"$out/devtools.log" <<'PY'
import json, os, select, subprocess, sys, time
browser, url, flags = sys.argv[1], sys.argv[2], sys.argv[3:]
to_chrome_r, to_chrome_w = os.pipe()
from_chrome_r, from_chrome_w = os.pipe()
def child_fds():
    # --remote-debugging-pipe: Chromium reads commands on fd 3, writes on fd 4.
    a, b = os.dup(to_chrome_r), os.dup(from_chrome_w)
    os.dup2(a, 3); os.dup2(b, 4)
proc = subprocess.Popen([browser, *flags, "--remote-debugging-pipe", "about:blank"],
                        preexec_fn=child_fds, pass_fds=(3, 4),
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
os.close(to_chrome_r); os.close(from_chrome_w)
buf, next_id = b"", 0
def send(method, params=None, session=None):
    global next_id
    next_id += 1
    msg = {"id": next_id, "method": method, "params": params or {}}
    if session: msg["sessionId"] = session
    os.write(to_chrome_w, json.dumps(msg).encode() + b"\0")
    return next_id
def messages(deadline):
    global buf
    while time.time() < deadline:
        while b"\0" in buf:
            raw, buf = buf.split(b"\0", 1)
            yield json.loads(raw)
        ready, _, _ = select.select([from_chrome_r], [], [], 0.2)
        if ready:
            chunk = os.read(from_chrome_r, 65536)
            if not chunk: return
            buf += chunk
def call(method, params=None, session=None, seen=None):
    i = send(method, params, session)
    for m in messages(time.time() + 20):
        if seen is not None and "method" in m: seen.append(m)
        if m.get("id") == i:
            if "error" in m: sys.exit(f"{method}: {m['error']}")
            return m.get("result", {})
    sys.exit(f"{method}: no answer from chromium")
events = []
target = call("Target.createTarget", {"url": "about:blank"})["targetId"]
session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
call("Network.enable", session=session, seen=events)
call("Page.enable", session=session, seen=events)
call("Page.navigate", {"url": url}, session=session, seen=events)
loaded = any(e.get("method") == "Page.loadEventFired" for e in events)
# After the load event, wait a little more for anything late (fonts, lazy images).
deadline = time.time() + (2 if loaded else 20)
for m in messages(time.time() + 20):
    events.append(m)
    if m.get("method") == "Page.loadEventFired" and not loaded:
        loaded, deadline = True, time.time() + 2
    if time.time() > deadline:
        break
for m in messages(deadline):
    events.append(m)
try:
    send("Browser.close")
    proc.wait(timeout=10)
except Exception:
    proc.kill()
if not loaded:
    sys.exit("the page did not finish loading")
for e in events:
    if e.get("method") == "Network.requestWillBeSent":
        u = e["params"]["request"]["url"]
        if u != url and not u.startswith("data:"):
            print(u)
PY
) || { echo "FAIL: the DevTools check did not run (see $out/devtools.log)" >&2; cat "$out/devtools.log" >&2; exit 1; }
if [ -n "$requests" ]; then
  echo "FAIL: the page requested:" >&2
  echo "$requests" >&2
  fail=1
fi

"$browser" "${flags[@]}" --window-size=1000,1400 --screenshot="$out/screenshot.png" "file://$html" \
  >/dev/null 2>"$out/chromium.log" || { echo "FAIL: chromium could not take the screenshot (see $out/chromium.log)" >&2; exit 1; }
"$browser" "${flags[@]}" --no-pdf-header-footer --print-to-pdf="$out/briefing.pdf" "file://$html" \
  >/dev/null 2>>"$out/chromium.log" || { echo "FAIL: chromium could not print (see $out/chromium.log)" >&2; exit 1; }

if command -v pdftoppm >/dev/null; then
  rm -f "$out"/page-*.png
  pdftoppm -r 70 -png "$out/briefing.pdf" "$out/page"
fi
pages=$(python3 -c "import re,sys; print(len(re.findall(rb'/Type\s*/Page[^s]', open(sys.argv[1],'rb').read())))" "$out/briefing.pdf")
echo "screenshot: $out/screenshot.png"
echo "pdf:        $out/briefing.pdf ($pages A4 pages)"
[ "$fail" = 0 ] && echo "OK: no network request, no remote resource" || exit 1
