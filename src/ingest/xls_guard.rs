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
    oversized_in(&stream)
}

/// The grid cells of all sheets together, when they exceed the cap.
fn oversized_total(stream: &[u8]) -> Option<u64> {
    let total: u64 = grids(stream).iter().map(|(rows, cols)| rows * cols).sum();
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
    if let Some((rows, cols)) = oversized_in(&stream) {
        return Err(format!(
            "工作表范围过大（{rows} 行 × {cols} 列，超过 {MAX_DENSE_CELLS} 个单元格），为防止内存耗尽未读取"
        ));
    }
    match oversized_total(&stream) {
        Some(total) => Err(format!(
            "各工作表的范围合计过大（共 {total} 个单元格，超过 {MAX_TOTAL_DENSE_CELLS} 个），为防止内存耗尽未读取；请把各工作表分存为几个文件，或另存为 xlsx"
        )),
        None => Ok(()),
    }
}

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

fn oversized_in(stream: &[u8]) -> Option<(u64, u64)> {
    grids(stream)
        .into_iter()
        .filter(|(rows, cols)| rows * cols > MAX_DENSE_CELLS)
        .max_by_key(|(rows, cols)| rows * cols)
}

/// Each substream's grid as calamine will build it, as (rows, columns): the
/// bounding box of its cell records.
fn grids(stream: &[u8]) -> Vec<(u64, u64)> {
    let mut grids = Vec::new();
    // (min row, min col, max row, max col) of the current substream.
    let mut bbox: Option<(u32, u32, u32, u32)> = None;
    let mut flush = |bbox: &mut Option<(u32, u32, u32, u32)>| {
        if let Some((r0, c0, r1, c1)) = bbox.take() {
            grids.push((u64::from(r1 - r0) + 1, u64::from(c1 - c0) + 1));
        }
    };
    let mut pos = 0usize;
    while pos + 4 <= stream.len() {
        let typ = u16::from_le_bytes([stream[pos], stream[pos + 1]]);
        let len = u16::from_le_bytes([stream[pos + 2], stream[pos + 3]]) as usize;
        let data = stream.get(pos + 4..pos + 4 + len).unwrap_or(&[]);
        pos += 4 + len;
        let mut extend = |row: u32, c_first: u32, c_last: u32| {
            let b = bbox.get_or_insert((row, c_first, row, c_last));
            *b = (b.0.min(row), b.1.min(c_first), b.2.max(row), b.3.max(c_last));
        };
        match typ {
            // BOF starts a substream and EOF ends one.
            0x0809 | 0x000A => flush(&mut bbox),
            // NUMBER, LABEL, RSTRING, BOOLERR, FORMULA, RK, LABELSST: row, col first.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x0006 | 0x027E | 0x00FD if data.len() >= 4 => {
                let row = u16::from_le_bytes([data[0], data[1]]) as u32;
                let col = u16::from_le_bytes([data[2], data[3]]) as u32;
                extend(row, col, col);
            }
            // MULRK: row, first col, …, last col in the final two bytes.
            0x00BD if data.len() >= 6 => {
                let row = u16::from_le_bytes([data[0], data[1]]) as u32;
                let first = u16::from_le_bytes([data[2], data[3]]) as u32;
                let last = u16::from_le_bytes([data[len - 2], data[len - 1]]) as u32;
                extend(row, first.min(last), first.max(last));
            }
            _ => {}
        }
    }
    flush(&mut bbox);
    grids
}
