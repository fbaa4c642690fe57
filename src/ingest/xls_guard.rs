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

/// The largest sheet's grid, as (rows, columns), when it exceeds the cap.
pub fn oversized_sheet(bytes: &[u8]) -> Option<(u64, u64)> {
    let mut comp = cfb::CompoundFile::open(Cursor::new(bytes)).ok()?;
    let name = ["/Workbook", "/Book", "/WORKBOOK", "/BOOK"].into_iter().find(|n| comp.is_stream(n))?;
    let mut stream = Vec::new();
    comp.open_stream(name).ok()?.read_to_end(&mut stream).ok()?;
    let mut worst: Option<(u64, u64)> = None;
    // (min row, min col, max row, max col) of the current substream.
    let mut bbox: Option<(u32, u32, u32, u32)> = None;
    let mut flush = |bbox: &mut Option<(u32, u32, u32, u32)>| {
        if let Some((r0, c0, r1, c1)) = bbox.take() {
            let (rows, cols) = (u64::from(r1 - r0) + 1, u64::from(c1 - c0) + 1);
            if rows * cols > MAX_DENSE_CELLS && worst.is_none_or(|(r, c)| r * c < rows * cols) {
                worst = Some((rows, cols));
            }
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
    worst
}
