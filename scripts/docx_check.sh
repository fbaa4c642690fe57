#!/usr/bin/env bash
# Looks at briefing.docx as a reader would: LibreOffice (headless) converts it
# to PDF, pdftoppm turns the pages into PNG images to inspect by eye
# (margins, fonts, page numbers `— 1 —` right on odd / left on even pages,
# tables, charts). Not part of CI: it needs a desktop office suite.
#
#   apt-get install -y libreoffice-writer poppler-utils
#   scripts/docx_check.sh [out/briefing.docx] [dpi]
#
# Writes <docx dir>/docx-check/briefing.pdf and page-N.png. Fonts a machine
# does not have (方正小标宋简体, 仿宋_GB2312 …) are replaced by LibreOffice;
# that changes the look of the glyphs, not the layout.
set -euo pipefail
docx=${1:-out/briefing.docx}
dpi=${2:-100}
[ -f "$docx" ] || { echo "没有找到 $docx（先运行 statbrief run）" >&2; exit 1; }
dir=$(dirname "$docx")/docx-check
rm -rf "$dir" && mkdir -p "$dir"
# A private profile, so a running LibreOffice or a first-start dialog does not interfere.
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
soffice -env:UserInstallation=file://"$profile" --headless --convert-to pdf --outdir "$dir" "$docx" >/dev/null
pdf="$dir/$(basename "${docx%.*}").pdf"
pdftoppm -r "$dpi" -png "$pdf" "$dir/page"
pdfinfo "$pdf" | grep -E "Pages|Page size" || true
ls "$dir"
