#!/usr/bin/env bash
# Opens the templates `statbrief init` writes in LibreOffice (headless), as a
# town's clerk would, and checks that they open with their dropdowns.
#
#   scripts/templates_check.sh [DIR] [CHECK_DIR]
#
# DIR (default: a fresh folder under /tmp) is filled by `statbrief init` when
# it holds no templates yet. For each template this script
#   1. checks the sheet XML statbrief wrote: dropdown lists, date and decimal
#      validation, input messages, sheet protection without password, frozen
#      header, one note per header cell;
#   2. has LibreOffice open it and save it again as xlsx, and checks the
#      dropdowns are still there (LibreOffice read them, it did not drop them);
#   3. has LibreOffice print it to PDF and pdftoppm turn the first page into
#      a PNG, in CHECK_DIR (default: DIR/check), to look at;
#   4. prints the key-projects template with a header note shown
#      (notes are hidden until the mouse is over the header) and crops the
#      top of the page: CHECK_DIR/template.png, the README's picture.
# Needs libreoffice-calc and poppler-utils (apt-get install -y libreoffice-calc
# poppler-utils fonts-noto-cjk); not part of CI.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$(mktemp -d /tmp/statbrief-templates.XXXXXX)}
check=${2:-$dir/check}
bin=${STATBRIEF:-$here/target/release/statbrief}
[ -x "$bin" ] || bin=${CARGO_TARGET_DIR:-$here/target}/release/statbrief
command -v soffice >/dev/null || { echo "soffice not found: apt-get install -y libreoffice-calc" >&2; exit 2; }
command -v pdftoppm >/dev/null || { echo "pdftoppm not found: apt-get install -y poppler-utils" >&2; exit 2; }

if ! ls "$dir"/*.xlsx >/dev/null 2>&1; then
  [ -x "$bin" ] || { echo "statbrief binary not found (build it, or set STATBRIEF)" >&2; exit 2; }
  "$bin" init "$dir"
fi
mkdir -p "$check/roundtrip"
# LibreOffice keeps its profile here, so a running desktop instance is not disturbed.
profile="file://$check/lo-profile"

fail=0
expect() { # file, xml, pattern, what
  if ! grep -q -- "$3" <<<"$2"; then echo "FAIL: $1: $4 missing" >&2; fail=1; fi
}
for xlsx in "$dir"/*.xlsx; do
  name=$(basename "$xlsx" .xlsx)
  xml=$(unzip -p "$xlsx" xl/worksheets/sheet1.xml)
  expect "$name" "$xml" '<dataValidation type="list"' "dropdown list"
  expect "$name" "$xml" 'prompt=' "input message"
  expect "$name" "$xml" '<sheetProtection' "sheet protection"
  expect "$name" "$xml" 'state="frozen"' "frozen header"
  if grep -q 'password' <<<"$xml"; then echo "FAIL: $name: protected with a password" >&2; fail=1; fi
  notes=$(unzip -p "$xlsx" xl/comments1.xml | grep -o '<comment ' | wc -l)
  lists=$(grep -o '<dataValidation type="list"' <<<"$xml" | wc -l)
  echo "$name: $lists dropdowns, $(grep -o '<dataValidation ' <<<"$xml" | wc -l) validations, $notes header notes"

  soffice -env:UserInstallation="$profile" --headless --convert-to xlsx --outdir "$check/roundtrip" "$xlsx" >/dev/null 2>&1
  again=$(unzip -p "$check/roundtrip/$name.xlsx" xl/worksheets/sheet1.xml)
  relists=$(grep -o '<dataValidation[^>]*type="list"' <<<"$again" | wc -l)
  if [ "$relists" -ne "$lists" ]; then
    echo "FAIL: $name: LibreOffice kept $relists of $lists dropdowns" >&2; fail=1
  else
    echo "$name: opened and saved by LibreOffice with its $relists dropdowns"
  fi
  soffice -env:UserInstallation="$profile" --headless --convert-to pdf --outdir "$check" "$xlsx" >/dev/null 2>&1
  pdftoppm -png -r 110 -f 1 -l 1 "$check/$name.pdf" "$check/$name"
done
# 4. The README's picture: the same template with the note of 项目状态 shown
#    (its VML shape made visible in a copy).
pic=$check/picture
rm -rf "$pic" && mkdir -p "$pic/x"
unzip -q "$dir/重点项目台账.xlsx" -d "$pic/x"
python3 - "$pic/x/xl/drawings/vmlDrawing1.vml" <<'PY'
import re, sys
path = sys.argv[1]
shapes = open(path, encoding="utf-8").read().split("<v:shape ")
for i, sh in enumerate(shapes[1:], 1):
    col = re.search(r"<x:Column>(\d+)</x:Column>", sh)
    if col and int(col.group(1)) in (11,):
        shapes[i] = sh.replace("visibility:hidden", "visibility:visible").replace("</x:AutoFill>", "</x:AutoFill><x:Visible/>")
open(path, "w", encoding="utf-8").write("<v:shape ".join(shapes))
PY
(cd "$pic/x" && zip -q -r ../notes.xlsx .)
soffice -env:UserInstallation="$profile" --headless --convert-to pdf --outdir "$pic" "$pic/notes.xlsx" >/dev/null 2>&1
pdftoppm -png -r 150 -f 1 -l 1 -x 40 -y 80 -W 1720 -H 200 -singlefile "$pic/notes.pdf" "$check/template"
echo "PDF and PNG pages: $check (the README's picture: $check/template.png)"
exit $fail
