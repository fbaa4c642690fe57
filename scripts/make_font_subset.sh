#!/usr/bin/env bash
# Makes the two fonts the PNG charts of briefing.docx are drawn with
# (src/report/docx/charts_png.rs embeds them). Charts must look the same on
# every machine, so no system font is used; subsets keep the binary small.
#
# - assets/fonts/DroidSansFallback-GB2312.ttf (~1 MB of the full 4 MB), from
#   Debian's fonts-droid-fallback (DroidSansFallbackFull.ttf, Google,
#   Apache-2.0): every character of GB2312 (the 6,763 hanzi and its symbols:
#   ledgers' place and company names are almost always within it) and the
#   punctuation the charts use. It has no Latin letters or digits, so:
# - assets/fonts/Roboto-Latin.ttf (~30 KB), from Debian's
#   fonts-roboto-unhinted (Roboto-Regular.ttf, Google, Apache-2.0):
#   printable ASCII and Latin-1 punctuation, for figures and axis labels.
#
# Licences: assets/fonts/LICENSE (Apache-2.0) and NOTICE.
#
# Needs: apt-get install -y fonts-droid-fallback fonts-roboto-unhinted; pip install fonttools
set -euo pipefail
cd "$(dirname "$0")/.."
src=${1:-/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf}
latin_src=${2:-/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Regular.ttf}
out=assets/fonts/DroidSansFallback-GB2312.ttf
chars=$(mktemp)
trap 'rm -f "$chars"' EXIT
python3 - "$chars" <<'PY'
import sys
chars = set(chr(c) for c in range(0x20, 0x7F))
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
# Punctuation that GB2312 maps differently or lacks: em dash (1—3月), ellipsis,
# middle dot, ideographic space, full-width forms, per mille, degree.
extra = "\u2014\u2015\u2026\u00b7\u3000\u2030\u00b0\u2103\u00d7\u00f7\u2212\u2264\u2265\u00a5"
chars.update(extra)
chars.update(chr(c) for c in range(0x3000, 0x3040))
chars.update(chr(c) for c in range(0xFF01, 0xFF5F))
open(sys.argv[1], "w", encoding="utf-8").write("".join(sorted(chars)))
print(f"{len(chars)} characters", file=sys.stderr)
PY
# No hinting (the charts are rasterised at print resolution), no layout
# features beyond the defaults, names kept so the family stays "Droid Sans Fallback".
pyftsubset "$src" --text-file="$chars" --output-file="$out" --no-hinting --name-IDs='*' --name-languages='*' --notdef-outline
# Latin: ASCII, Latin-1 punctuation and signs, dashes and the per-mille sign.
pyftsubset "$latin_src" --unicodes="U+0020-007E,U+00A0-00BF,U+00D7,U+00F7,U+2012-2015,U+2018-201D,U+2026,U+2030,U+2212" \
  --output-file=assets/fonts/Roboto-Latin.ttf --no-hinting --name-IDs='*' --name-languages='*' --notdef-outline
ls -l "$out" assets/fonts/Roboto-Latin.ttf
