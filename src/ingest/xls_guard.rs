//! A size check for legacy .xls files before calamine decodes them.
//!
//! calamine parses every sheet of an .xls when the workbook is opened and
//! stores each as a dense grid from the smallest to the largest used cell,
//! with no limit: a 42 KB file with one cell at A1 and one at IV65536 costs
//! about 1 GB. No crate exposes the sheets' extents without decoding them,
//! so this module walks the BIFF record stream (via the `cfb` crate) and
//! computes each sheet's bounding box from the cell records' positions —
//! the same records calamine turns into cells.

use std::io::{Cursor, Read};

/// Above this many grid cells in one sheet the file is not decoded. A real
/// ledger of 65,536 rows × 76 columns still fits; the grid costs ~56 bytes a
/// cell (value + formula), so this caps one sheet near 280 MB.
pub const MAX_DENSE_CELLS: u64 = 5_000_000;

/// Above this many grid cells in all sheets together the file is not
/// decoded: calamine decodes every sheet when the workbook is opened and
/// keeps all the grids, so the per-sheet cap alone let a 40 KB file with ten
/// sheets just under it hold ~3 GB. Twelve monthly sheets of 5,000 rows × 40
/// columns (2.4 million) fit four times over; this caps a file near 560 MB.
pub const MAX_TOTAL_DENSE_CELLS: u64 = 10_000_000;

/// The largest sheet's grid, as (rows, columns), when it exceeds the cap.
pub fn oversized_sheet(bytes: &[u8]) -> Option<(u64, u64)> {
    let stream = workbook_stream(bytes).ok()?;
    oversized_in(&grids(&stream)?)
}

/// The grid cells of all sheets together, when they exceed the cap.
fn oversized_total(grids: &[(u64, u64)]) -> Option<u64> {
    let total: u64 = grids.iter().map(|(rows, cols)| rows * cols).sum();
    (total > MAX_TOTAL_DENSE_CELLS).then_some(total)
}

/// Why calamine must not open this .xls, if it must not: the compound file
/// is damaged, holds no workbook, or a sheet is too large.
///
/// calamine has its own compound-file reader, and a damaged sector chain
/// (one that loops) makes it read the same sectors until memory runs out: a
/// 15 KB file found by the fuzzer took 22 GB. The `cfb` crate validates the
/// chains (loops, out-of-range sectors) when it opens a file and reads a
/// stream, so a file it cannot read whole is reported and not handed on.
pub fn check(bytes: &[u8]) -> Result<(), String> {
    let stream = workbook_stream(bytes)?;
    if let Some((rows, cols)) = impossible_dimensions(&stream) {
        return Err(format!(
            "文件已损坏：工作表的尺寸记录为 {rows} 行 × {cols} 列，超出旧版 Excel 的上限（65536 行 × 256 列），无法安全读取；请用 Excel 打开确认后另存为 xlsx，或向报送单位重新索取"
        ));
    }
    let grids = grids(&stream).ok_or_else(|| OVERLAPPING.to_string())?;
    if let Some((rows, cols)) = oversized_in(&grids) {
        return Err(format!(
            "工作表范围过大（{rows} 行 × {cols} 列，超过 {MAX_DENSE_CELLS} 个单元格），为防止内存耗尽未读取"
        ));
    }
    match oversized_total(&grids) {
        Some(total) => Err(format!(
            "各工作表的范围合计过大（共 {total} 个单元格，超过 {MAX_TOTAL_DENSE_CELLS} 个），为防止内存耗尽未读取；请把各工作表分存为几个文件，或另存为 xlsx"
        )),
        None => Ok(()),
    }
}

const OVERLAPPING: &str = "文件已损坏：旧版 xls 的工作表目录指向相互重叠的位置，无法安全读取；请用 Excel 打开确认后另存为 xlsx，或向报送单位重新索取";

const DAMAGED: &str = "文件已损坏：旧版 xls 的内部结构（OLE 复合文档）无效，无法安全读取；请用 Excel 打开确认后另存为 xlsx，或向报送单位重新索取";

/// The BIFF workbook stream, read through the `cfb` crate's validation.
fn workbook_stream(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut comp = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|_| DAMAGED.to_string())?;
    let name =
        ["/Workbook", "/Book", "/WORKBOOK", "/BOOK"].into_iter().find(|n| comp.is_stream(n)).ok_or_else(|| {
            "这是一个 OLE 复合文档（如旧版 Word 文件），其中没有 Excel 工作簿；请确认是不是放错了文件".to_string()
        })?;
    let mut stream = Vec::new();
    comp.open_stream(name).and_then(|mut s| s.read_to_end(&mut stream)).map_err(|_| DAMAGED.to_string())?;
    Ok(stream)
}

/// A DIMENSIONS record (MS-XLS 2.4.90) larger than any .xls can be, as
/// calamine reads it. calamine reserves room for rows × columns cells of
/// every sheet from this record alone; a damaged one asked for 1.5 TB in a
/// fuzzed 15 KB file, and a failed allocation aborts the whole process
/// (it cannot be caught like a panic).
fn impossible_dimensions(stream: &[u8]) -> Option<(u64, u64)> {
    let u16_at = |d: &[u8], i: usize| u32::from(u16::from_le_bytes([d[i], d[i + 1]]));
    let u32_at = |d: &[u8], i: usize| u32::from_le_bytes([d[i], d[i + 1], d[i + 2], d[i + 3]]);
    let mut pos = 0usize;
    while pos + 4 <= stream.len() {
        let typ = u16::from_le_bytes([stream[pos], stream[pos + 1]]);
        let len = u16::from_le_bytes([stream[pos + 2], stream[pos + 3]]) as usize;
        let data = stream.get(pos + 4..pos + 4 + len).unwrap_or(&[]);
        pos += 4 + len;
        if typ != 0x0200 {
            continue;
        }
        // The same reading as calamine's `parse_dimensions`.
        let (rf, rl, mut cf, cl) = match data.len() {
            10 => (u16_at(data, 0), u16_at(data, 2), u16_at(data, 4), u16_at(data, 6)),
            14 | 16 => (u32_at(data, 0), u32_at(data, 4), u16_at(data, 8), u16_at(data, 10)),
            _ => continue,
        };
        if 0xFF < cf || cl < cf {
            cf = 0;
        }
        if rl < 1 || cl < 1 {
            continue;
        }
        // calamine computes these in u32 and they wrap when the first row is past the last.
        let rows = u64::from((rl - 1).wrapping_sub(rf).wrapping_add(1));
        let cols = u64::from((cl - 1).wrapping_sub(cf).wrapping_add(1));
        if rows.saturating_mul(cols) > 65_536 * 256 {
            return Some((rows, cols));
        }
    }
    None
}

fn oversized_in(grids: &[(u64, u64)]) -> Option<(u64, u64)> {
    grids.iter().copied().filter(|(rows, cols)| rows * cols > MAX_DENSE_CELLS).max_by_key(|(rows, cols)| rows * cols)
}

/// Each sheet's grid as calamine will build it, as (rows, columns): the
/// bounding box of the cell records it will read for that sheet. `None`
/// when the sheet directory makes the reading overlap itself.
///
/// calamine reads a sheet from the offset its BOUNDSHEET record names (not
/// in stream order) up to that sheet's EOF, skipping nested substreams
/// (charts). The fuzzer found a 427 KB file whose directory points into
/// the middle of records: read from there, other bytes become cell records
/// far apart, and calamine asked for 78 GB while a walk of the stream in
/// order saw small sheets. So this reads exactly as calamine does. Real
/// sheets do not overlap, so all the sheets together are read about once;
/// a directory that makes the reading go over the stream many times (the
/// same offset named again and again) is refused before it costs time.
fn grids(stream: &[u8]) -> Option<Vec<(u64, u64)>> {
    let mut offsets = Vec::new();
    walk(stream, 0, |typ, data| {
        if typ == 0x0085 && data.len() >= 4 {
            offsets.push(u32::from_le_bytes([data[0], data[1], data[2], data[3]]) as usize);
        }
        typ != 0x000A
    });
    let mut budget = stream.len().saturating_mul(2).saturating_add(1 << 20);
    let mut grids = Vec::new();
    for start in offsets {
        let (read, bbox) = sheet_bbox(stream, start);
        budget = budget.checked_sub(read)?;
        if let Some((r0, c0, r1, c1)) = bbox {
            grids.push((u64::from(r1 - r0) + 1, u64::from(c1 - c0) + 1));
        }
    }
    Some(grids)
}

/// (bytes read, (min row, min col, max row, max col)) of one sheet's cell
/// records, read from `start` as calamine's sheet loop reads them.
fn sheet_bbox(stream: &[u8], start: usize) -> (usize, Option<(u32, u32, u32, u32)>) {
    let mut bbox: Option<(u32, u32, u32, u32)> = None;
    let mut extend = |row: u32, c_first: u32, c_last: u32| {
        let b = bbox.get_or_insert((row, c_first, row, c_last));
        *b = (b.0.min(row), b.1.min(c_first), b.2.max(row), b.3.max(c_last));
    };
    let u16_at = |d: &[u8], i: usize| u32::from(u16::from_le_bytes([d[i], d[i + 1]]));
    let (mut seen_bof, mut depth) = (false, 0usize);
    let read = walk(stream, start, |typ, data| {
        if depth > 0 {
            match typ {
                0x0809 => depth += 1,
                0x000A => depth -= 1,
                _ => {}
            }
            return true;
        }
        match typ {
            0x0809 if seen_bof => depth += 1,
            0x0809 => seen_bof = true,
            0x000A => return false,
            // NUMBER, LABEL, RSTRING, BOOLERR, FORMULA, RK, LABELSST: row, col first.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x0006 | 0x027E | 0x00FD if data.len() >= 4 => {
                extend(u16_at(data, 0), u16_at(data, 2), u16_at(data, 2));
            }
            // MULRK: row, first col, …, last col in the final two bytes.
            0x00BD if data.len() >= 6 => {
                let (first, last) = (u16_at(data, 2), u16_at(data, data.len() - 2));
                extend(u16_at(data, 0), first.min(last), first.max(last));
            }
            _ => {}
        }
        true
    });
    (read, bbox)
}

/// Reads BIFF records from `start` until `visit` returns false or the
/// stream ends or is cut short (where calamine's reader stops with an
/// error). CONTINUE records reach `visit` as records of their own type,
/// which nothing here reads. Returns the bytes read.
fn walk(stream: &[u8], start: usize, mut visit: impl FnMut(u16, &[u8]) -> bool) -> usize {
    let mut pos = start;
    while let Some(head) = stream.get(pos..pos.saturating_add(4)) {
        let typ = u16::from_le_bytes([head[0], head[1]]);
        let len = u16::from_le_bytes([head[2], head[3]]) as usize;
        let Some(data) = stream.get(pos + 4..pos + 4 + len) else {
            break;
        };
        pos += 4 + len;
        if !visit(typ, data) {
            break;
        }
    }
    pos.saturating_sub(start)
}
