//! Formulas saved without their results.
//!
//! An xlsx stores a formula and, beside it, the value Excel last computed.
//! Files written by other programs (report generators, scripts, some web
//! systems) often store the formula alone, expecting Excel to compute it on
//! opening. calamine reads such a cell as empty, so a completed-investment
//! column of `=SUM(…)` would read as blank without a word. This module looks
//! for formula cells with no cached value in the first few megabytes of a
//! sheet's XML (such files have them throughout, so the head is enough and
//! the cost stays bounded) and tells the clerk to save the file in Excel once.

use memchr::memmem;
use std::io::{Cursor, Read};

/// How much of a sheet's XML is looked at.
pub const SCAN_BYTES: usize = 1 << 20;

/// The first formula cell without a cached value and how many there are in
/// the part of the sheet looked at; `None` when every formula has its value.
/// `head` is the sheet's first [`SCAN_BYTES`] when another pass has already
/// inflated them.
pub fn uncached_formulas(bytes: &[u8], sheet: &str, head: Option<&[u8]>) -> Option<(String, u64)> {
    if let Some(head) = head {
        return scan(head);
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let path = super::xlsx_merges::sheet_paths(&mut zip).ok()?.remove(sheet)?;
    let entry = zip.by_name(&path).ok()?;
    let mut head = Vec::with_capacity(SCAN_BYTES);
    entry.take(SCAN_BYTES as u64).read_to_end(&mut head).ok()?;
    scan(&head)
}

/// The byte scan behind [`uncached_formulas`]. Written by hand rather than
/// with an XML parser because it runs on every sheet: most sheets have no
/// `<f` at all (one SIMD search settles that), and a ledger whose 合计 rows
/// are formulas has thousands of them, where tokenising every cell of the
/// first megabyte with quick-xml cost a third of this pass. A formula's
/// text is escaped XML, so it cannot hold a literal `</c>`; the search for
/// the cell's end is therefore exact. A cell cut off by the end of the
/// scanned head is not counted.
fn scan(xml: &[u8]) -> Option<(String, u64)> {
    let mut first: Option<String> = None;
    let mut count = 0u64;
    let mut from = 0;
    while let Some(rel) = memmem::find(&xml[from..], b"<f") {
        let after = from + rel + 2;
        from = after;
        // `<f>`, `<f …>` or `<f/>`, not `<formula>` or `<filterColumn>`.
        if !matches!(xml.get(after), Some(b'>' | b'/' | b' ' | b'\t' | b'\r' | b'\n')) {
            continue;
        }
        let Some(len) = memmem::find(&xml[after..], b"</c>") else { break };
        from = after + len;
        if has_value(&xml[after..from]) {
            continue;
        }
        count += 1;
        if first.is_none() {
            first = Some(cell_ref(&xml[..after]).unwrap_or_default());
        }
    }
    first.map(|f| (f, count))
}

/// Whether the rest of a cell after its `<f` holds a `<v>` with something
/// other than blanks in it (`<v/>` and `<v></v>` are no value).
fn has_value(rest: &[u8]) -> bool {
    let mut from = 0;
    while let Some(rel) = memmem::find(&rest[from..], b"<v") {
        let tag = from + rel + 2;
        from = tag;
        match rest.get(tag) {
            Some(b'>' | b' ' | b'\t' | b'\r' | b'\n') => {}
            _ => continue,
        }
        let Some(close) = memchr::memchr(b'>', &rest[tag..]) else { return false };
        let open_end = tag + close;
        if rest[open_end - 1] == b'/' {
            return false;
        }
        let text = &rest[open_end + 1..];
        let text = &text[..memchr::memchr(b'<', text).unwrap_or(text.len())];
        return text.iter().any(|b| !b.is_ascii_whitespace());
    }
    false
}

/// The `r` reference of the last `<c` tag in `before`: the cell a formula
/// found at the end of `before` belongs to.
fn cell_ref(before: &[u8]) -> Option<String> {
    let mut end = before.len();
    let start = loop {
        let lt = memchr::memrchr(b'<', &before[..end])?;
        if before[lt + 1..].starts_with(b"c") && matches!(before.get(lt + 2), Some(b' ' | b'\t' | b'\r' | b'\n' | b'>'))
        {
            break lt;
        }
        end = lt;
    };
    let tag = &before[start..];
    let tag = &tag[..memchr::memchr(b'>', tag).unwrap_or(tag.len())];
    // ` r="D5"` (or with single quotes, after any blank): no other
    // attribute of a cell ends in `r`.
    let at = memmem::find_iter(tag, b"r=").find(|&i| i > 0 && tag[i - 1].is_ascii_whitespace())? + 2;
    let quote = *tag.get(at).filter(|q| matches!(q, b'"' | b'\''))?;
    let len = memchr::memchr(quote, &tag[at + 1..])?;
    String::from_utf8(tag[at + 1..at + 1 + len].to_vec()).ok()
}

/// The warning for a sheet whose formulas have no saved results.
pub fn message(first: &str, count: u64) -> String {
    format!(
        "{first} 等 {count} 个公式单元格没有保存计算结果（文件多由其他软件生成，未经 Excel 计算），这些单元格读作空值；请用 Excel 打开该文件并保存一次，再重新运行"
    )
}

#[cfg(test)]
mod tests {
    use super::scan;

    #[test]
    fn formulas_without_a_value_are_counted_and_the_first_is_named() {
        let xml = concat!(
            r#"<sheetData><row r="2"><c r="C2"><v>100</v></c><c r="D2"><f>C2*0.1</f></c></row>"#,
            r#"<row r="3"><c r="D3" s="4"><f>C3*0.1</f><v></v></c>"#,
            r#"<c r="D4" s="1"><f t="shared" si="0"/><v>12.5</v></c>"#,
            "<c\tr='E4'><f t=\"shared\" ref=\"E4:E9\" si=\"0\">A1</f><v> </v></c>",
            r#"<c r="F4" t="str"><f>A1</f><v>&amp;</v></c><c r="G4"><f>A2</f><v/></c></row></sheetData>"#,
            r#"<conditionalFormatting><cfRule><formula>A1&gt;0</formula></cfRule></conditionalFormatting>"#,
            r#"<c r="H9"><f>A3</f>"#,
        );
        // D2 (no <v>), D3 (empty), E4 (blank), G4 (<v/>); D4 and F4 have
        // values; <formula> is no cell; H9 is cut off by the end of the head.
        assert_eq!(scan(xml.as_bytes()), Some(("D2".to_string(), 4)));
        let later = r#"<c r="A1"><v>1</v></c><c s="2" r="AB17"><f>A1</f></c>"#;
        assert_eq!(scan(later.as_bytes()), Some(("AB17".to_string(), 1)));
        assert_eq!(scan(br#"<c r="A1"><f>B1</f><v>3</v></c><filterColumn colId="0"/>"#), None);
    }
}
