//! Vertically merged cells: a region, or a visit's enterprise and cadre,
//! written once for a block of rows (SPEC §1.2).
//!
//! Merged regions are filled down from their top-left cell as rows stream
//! by, so the sheet is never held as a grid. Reading an xlsx sheet's merged
//! regions costs a second pass over its XML, so a sheet is first read
//! without them; [`GapWatch`] notices the shape a merged label leaves behind
//! (a label in one row, nothing under it in the next) and asks for them
//! then, in the middle of the sheet.

use super::super::header::{Detection, MappedColumn};
use super::super::values::Cv;
use std::collections::HashMap;

/// A merged region, zero-based and inclusive: (row0, col0, row1, col1).
pub type Merge = (u32, u32, u32, u32);

/// Vertically merged label cells, filled down from their top-left cell as rows stream by.
pub struct VerticalFill {
    regions: Vec<Merge>,
    next: usize,
    /// (col0, col1, row0, row1, value)
    active: Vec<(u32, u32, u32, u32, Option<String>)>,
}

impl VerticalFill {
    pub fn new(merges: &[Merge], first_data_row: u32) -> Self {
        let mut regions: Vec<_> =
            merges.iter().copied().filter(|&(r0, _, r1, _)| r1 > r0 && r0 >= first_data_row).collect();
        regions.sort_unstable();
        VerticalFill { regions, next: 0, active: Vec::new() }
    }

    /// Starts filling in the middle of a sheet: regions that began above
    /// `row` take their value from the label last seen at their top row.
    pub fn resume(merges: &[Merge], first_data_row: u32, row: u32, last: &HashMap<u32, (u32, String)>) -> Self {
        let mut fill = VerticalFill::new(merges, first_data_row);
        fill.next = fill.regions.partition_point(|r| r.0 < row);
        fill.active = fill.regions[..fill.next]
            .iter()
            .filter(|&&(_, _, r1, _)| r1 >= row)
            .map(|&(r0, c0, r1, c1)| {
                let value = last.get(&c0).filter(|(r, _)| *r == r0).map(|(_, v)| v.clone());
                (c0, c1, r0, r1, value)
            })
            .collect();
        fill
    }

    pub fn advance(&mut self, row: u32, cells: &[Cv<'_>]) {
        self.active.retain(|a| a.3 >= row);
        while self.next < self.regions.len() && self.regions[self.next].0 <= row {
            let (r0, c0, r1, c1) = self.regions[self.next];
            if r0 == row {
                let value = cells.get(c0 as usize).and_then(|c| c.text()).map(|t| t.into_owned());
                self.active.push((c0, c1, r0, r1, value));
            }
            self.next += 1;
        }
    }

    /// The value a merged region gives the cell at (row, col), below its top row.
    pub fn get(&self, row: u32, col: u32) -> Option<&str> {
        self.active.iter().find(|a| a.0 <= col && col <= a.1 && a.2 < row && row <= a.3).and_then(|a| a.4.as_deref())
    }
}

/// While merged regions are unknown: the last label of each fill-down
/// column, to see a merged cell's shape and to resume filling from it.
#[derive(Default)]
pub struct GapWatch {
    /// Sheet column → (row, text) of the last label seen there.
    pub last_labels: HashMap<u32, (u32, String)>,
}

impl GapWatch {
    /// Records this row's labels; true when a label that was filled in the
    /// row above is empty here, which is how a vertically merged cell looks
    /// without its merge.
    pub fn sees_gap(&mut self, det: &Detection, row: u32, cells: &[Cv<'_>]) -> bool {
        let defs = det.defs();
        let mut gap = false;
        for m in det.columns.iter().filter(|m: &&MappedColumn| defs[m.canon].col.fills_down()) {
            let cell = cells.get(m.sheet_col as usize).unwrap_or(&Cv::Empty);
            match cell.text() {
                Some(t) => match self.last_labels.get_mut(&m.sheet_col) {
                    // Copy the label only when it changes.
                    Some((r, v)) if v.as_str() == t.as_ref() => *r = row,
                    _ => {
                        self.last_labels.insert(m.sheet_col, (row, t.into_owned()));
                    }
                },
                None => gap |= self.last_labels.get(&m.sheet_col).is_some_and(|(r, _)| *r + 1 == row),
            }
        }
        gap && cells.iter().any(|c| !c.is_empty())
    }
}
