//! Merged regions of an xlsx sheet, read fast.
//!
//! calamine reads a sheet's `<mergeCells>` by tokenising the whole sheet XML
//! again, which nearly doubles the cost of a sheet that needs its merges.
//! The merges sit at the end of the XML, after `<sheetData>`, so this module
//! inflates the sheet's zip entry and parses only the tail from
//! `<mergeCells` on (found with memchr's memmem). Finding the entry means
//! following xl/workbook.xml and its relationships, as calamine does; both
//! files are small and parsed with quick-xml.

use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::HashMap;
use std::io::{Cursor, Read};

type Region = (u32, u32, u32, u32);

fn read_entry(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Vec<u8>, String> {
    let mut entry = zip.by_name(name).map_err(|e| format!("{name}: {e}"))?;
    let mut buf = Vec::with_capacity(entry.size().min(1 << 30) as usize);
    entry.read_to_end(&mut buf).map_err(|e| format!("{name}: {e}"))?;
    Ok(buf)
}

fn attr(e: &quick_xml::events::BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

/// Sheet name → zip path of its XML.
pub(super) fn sheet_paths(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Result<HashMap<String, String>, String> {
    let rels = read_entry(zip, "xl/_rels/workbook.xml.rels")?;
    let mut targets = HashMap::new();
    let mut reader = Reader::from_reader(rels.as_slice());
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == "Relationship" => {
                if let (Some(id), Some(target)) = (attr(&e, "Id"), attr(&e, "Target")) {
                    let path = match target.strip_prefix('/') {
                        Some(abs) => abs.to_string(),
                        None => format!("xl/{target}"),
                    };
                    targets.insert(id, path);
                }
            }
            Ok(Event::Eof) => break,
            Err(e) => return Err(e.to_string()),
            _ => {}
        }
        buf.clear();
    }
    let book = read_entry(zip, "xl/workbook.xml")?;
    let mut reader = Reader::from_reader(book.as_slice());
    let mut paths = HashMap::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == "sheet" => {
                if let (Some(name), Some(id)) = (attr(&e, "name"), attr(&e, "id")) {
                    if let Some(path) = targets.get(&id) {
                        paths.insert(name, path.clone());
                    }
                }
            }
            Ok(Event::Eof) => break,
            Err(e) => return Err(e.to_string()),
            _ => {}
        }
        buf.clear();
    }
    Ok(paths)
}

/// `B3` → zero-based (row, col).
fn parse_a1(s: &str) -> Option<(u32, u32)> {
    let letters = s.bytes().take_while(|b| b.is_ascii_alphabetic()).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let col =
        s[..letters].bytes().try_fold(0u32, |acc, b| Some(acc * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1)))?;
    let row: u32 = s[letters..].parse().ok()?;
    (row >= 1).then(|| (row - 1, col - 1))
}

fn parse_ref(r: &str) -> Option<Region> {
    let (a, b) = r.split_once(':').unwrap_or((r, r));
    let (r0, c0) = parse_a1(a)?;
    let (r1, c1) = parse_a1(b)?;
    Some((r0.min(r1), c0.min(c1), r0.max(r1), c0.max(c1)))
}

/// The merged regions of one sheet of an xlsx held in memory.
pub fn merged_regions(bytes: &[u8], sheet: &str) -> Result<Vec<Region>, String> {
    merged_regions_and_head(bytes, sheet, 0).map(|(regions, _)| regions)
}

/// [`merged_regions`], and the first `head_len` bytes of the sheet's XML
/// kept on the way: the formula scan (`formula_cache`) reads the head of
/// every sheet, and a sheet whose merges were needed has just been
/// inflated whole, so it is not inflated a third time.
pub fn merged_regions_and_head(bytes: &[u8], sheet: &str, head_len: usize) -> Result<(Vec<Region>, Vec<u8>), String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let paths = sheet_paths(&mut zip)?;
    let path = paths.get(sheet).ok_or_else(|| format!("找不到工作表 {sheet} 的数据"))?;
    let entry = zip.by_name(path).map_err(|e| format!("{path}: {e}"))?;
    let mut head = Vec::new();
    let tail = merge_tail(entry, &mut head, head_len).map_err(|e| format!("{path}: {e}"))?;
    Ok((regions_in(&tail)?, head))
}

/// The regions listed in the tail of a sheet's XML.
fn regions_in(tail: &[u8]) -> Result<Vec<Region>, String> {
    if tail.is_empty() {
        return Ok(Vec::new());
    }
    let mut reader = Reader::from_reader(tail);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == "mergeCell" => {
                if let Some(region) = attr(&e, "ref").as_deref().and_then(parse_ref) {
                    out.push(region);
                }
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == "mergeCells" => break,
            Ok(Event::Eof) => break,
            Err(e) => return Err(e.to_string()),
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

/// Bytes kept from one chunk to the next, so that a tag split between two
/// reads is still found: `<`, a namespace prefix and `mergeCells`.
const CARRY: usize = 64;
/// How much of the inflated XML is looked at per read.
const CHUNK: usize = 256 << 10;

/// The sheet XML from its last opening `<mergeCells` tag to the end, or
/// nothing when it has none. The XML streams through one fixed buffer: a
/// sheet of many megabytes is never held whole for the few hundred bytes
/// at its end (holding it cost an allocation, zeroing and page faults the
/// size of the sheet, more than a third of this pass). The first
/// `head_len` bytes are copied into `head` as they pass.
fn merge_tail(mut xml: impl Read, head: &mut Vec<u8>, head_len: usize) -> std::io::Result<Vec<u8>> {
    let mut buf = vec![0u8; CARRY + CHUNK];
    // buf[..kept] holds the end of what was read before.
    let mut kept = 0;
    let mut tail = Vec::new();
    loop {
        let n = xml.read(&mut buf[kept..])?;
        if n == 0 {
            return Ok(tail);
        }
        let seen = &buf[..kept + n];
        let wanted = head_len.saturating_sub(head.len()).min(n);
        head.extend_from_slice(&seen[kept..kept + wanted]);
        match last_opening_tag(seen) {
            // A later tag than any before (a `mergeCells` in a comment, say)
            // restarts the tail from it.
            Some(at) => tail = seen[at..].to_vec(),
            None if !tail.is_empty() => tail.extend_from_slice(&seen[kept..]),
            None => {}
        }
        let from = seen.len().saturating_sub(CARRY);
        let carried = seen.len() - from;
        buf.copy_within(from..from + carried, 0);
        kept = carried;
    }
}

/// Where the last `<mergeCells` or `<prefix:mergeCells` opening tag starts.
/// A forward search (SIMD in memchr) over the chunk, keeping the last hit:
/// memchr's reverse search has no SIMD path and cost as much as the inflate.
fn last_opening_tag(xml: &[u8]) -> Option<usize> {
    memchr::memmem::find_iter(xml, b"mergeCells")
        .filter_map(|at| {
            let lt = xml[..at].iter().rposition(|&b| b == b'<')?;
            let prefix = &xml[lt + 1..at];
            let name = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
            let is_prefix =
                prefix.is_empty() || (prefix.ends_with(b":") && prefix[..prefix.len() - 1].iter().all(name));
            is_prefix.then_some(lt)
        })
        .last()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_ranges() {
        assert_eq!(parse_ref("A1:D1"), Some((0, 0, 0, 3)));
        assert_eq!(parse_ref("B3:B5"), Some((2, 1, 4, 1)));
        assert_eq!(parse_ref("AA10"), Some((9, 26, 9, 26)));
        assert_eq!(parse_ref("1:2"), None);
    }

    /// A reader that hands out its bytes a few at a time, as an inflater
    /// may: a tag split between two reads must still be found.
    struct Trickle<'a>(&'a [u8], usize);
    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = self.1.min(out.len()).min(self.0.len());
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn the_tail_is_found_across_reads_and_past_text_that_names_it() {
        let body = "<row><c t=\"inlineStr\"><is><t>mergeCells</t></is></c></row>".repeat(20_000);
        let xml = format!(
            "<worksheet><sheetData>{body}</sheetData><x:mergeCells count=\"1\"><x:mergeCell ref=\"A1:B2\"/></x:mergeCells><pageMargins/></worksheet>"
        );
        let want = &xml[xml.find("<x:mergeCells").unwrap()..];
        for step in [1, 7, 63, 64, 65, 4096, CHUNK + 3] {
            let mut head = Vec::new();
            let tail = merge_tail(Trickle(xml.as_bytes(), step), &mut head, 1000).unwrap();
            assert_eq!(String::from_utf8(tail).unwrap(), want, "read {step} bytes at a time");
            assert_eq!(head, xml.as_bytes()[..1000], "read {step} bytes at a time");
        }
        let mut head = Vec::new();
        let none = merge_tail(Trickle(body.as_bytes(), 1000), &mut head, 0).unwrap();
        assert!(none.is_empty() && head.is_empty());
        // A closing tag alone is no start.
        assert_eq!(last_opening_tag(b"<a></mergeCells>"), None);
        assert_eq!(last_opening_tag(b"<mergeCells>"), Some(0));
    }
}

#[cfg(test)]
mod sample_tests {
    #[test]
    fn reads_the_sample_merges() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/sample_data/重点项目/2025年3月重点项目台账.xlsx");
        let bytes = std::fs::read(path).unwrap();
        let merges = super::merged_regions(&bytes, "3月").unwrap();
        // The title row is merged across the table; 投资完成情况 over three sub-headers.
        assert!(merges.iter().any(|&(r0, _, r1, c1)| r0 == 0 && r1 == 0 && c1 > 3), "{merges:?}");
        assert!(merges.len() > 3, "{merges:?}");
    }
}
