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

use quick_xml::events::Event;
use quick_xml::Reader;
use std::io::{BufReader, Cursor, Read};

/// How much of a sheet's XML is looked at.
const SCAN_BYTES: u64 = 1 << 20;

/// The first formula cell without a cached value and how many there are in
/// the part of the sheet looked at; `None` when every formula has its value.
pub fn uncached_formulas(bytes: &[u8], sheet: &str) -> Option<(String, u64)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let path = super::xlsx_merges::sheet_paths(&mut zip).ok()?.remove(sheet)?;
    let entry = zip.by_name(&path).ok()?;
    // Most sheets have no formula at all: a byte search over the head
    // settles that at memchr speed, without parsing a single event.
    let mut head = Vec::with_capacity(SCAN_BYTES as usize);
    entry.take(SCAN_BYTES).read_to_end(&mut head).ok()?;
    memchr::memmem::find(&head, b"<f")?;
    let mut reader = Reader::from_reader(BufReader::new(Cursor::new(head)));
    let mut buf = Vec::new();
    // Inside a <c>: its reference, whether it has a formula, whether a value.
    let mut cell: Option<(String, bool, bool)> = None;
    let mut in_v = false;
    let mut first: Option<String> = None;
    let mut count = 0u64;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => match e.local_name().as_ref() {
                "c" => {
                    let r = e.attributes().flatten().find(|a| a.key.local_name().as_ref() == "r");
                    let r = r.map(|a| a.value.into_owned()).unwrap_or_default();
                    cell = Some((r, false, false));
                }
                "f" => mark(&mut cell, true),
                "v" => in_v = true,
                _ => {}
            },
            Ok(Event::Empty(e)) if e.local_name().as_ref() == "f" => mark(&mut cell, true),
            Ok(Event::Text(t)) if in_v && !t.as_ref().trim().is_empty() => mark(&mut cell, false),
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                "v" => in_v = false,
                "c" => {
                    if let Some((r, true, false)) = cell.take() {
                        count += 1;
                        first.get_or_insert(r);
                    }
                }
                _ => {}
            },
            // The end of the sheet, of the part looked at, or damage: stop.
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    first.map(|f| (f, count))
}

fn mark(cell: &mut Option<(String, bool, bool)>, formula: bool) {
    if let Some(c) = cell {
        if formula {
            c.1 = true;
        } else {
            c.2 = true;
        }
    }
}

/// The warning for a sheet whose formulas have no saved results.
pub fn message(first: &str, count: u64) -> String {
    format!(
        "{first} 等 {count} 个公式单元格没有保存计算结果（文件多由其他软件生成，未经 Excel 计算），这些单元格读作空值；请用 Excel 打开该文件并保存一次，再重新运行"
    )
}
