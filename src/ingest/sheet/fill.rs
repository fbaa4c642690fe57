//! Vertically merged cells: a region, or a visit's enterprise and cadre,
//! written once for a block of rows (SPEC §1.2).
//!
//! Merged regions are filled down from their top-left cell as rows stream
//! by, so the sheet is never held as a grid. Reading an xlsx sheet's merged
//! regions costs a second pass over its XML, so a sheet is first read
//! without them; [`GapWatch`] notices the shape a merged label leaves behind
//! (a label in one row, nothing under it in the next) and asks for them
//! then, in the middle of the sheet.

use super::super::header::Detection;
use super::super::values::Cv;
use super::OwnedCell;
use crate::model::Column;

/// A merged region, zero-based and inclusive: (row0, col0, row1, col1).
pub type Merge = (u32, u32, u32, u32);

/// Vertically merged cells, filled down from their top-left cell as rows
/// stream by, whatever their type (SPEC §1.2).
pub struct VerticalFill {
    regions: Vec<Merge>,
    next: usize,
    /// (col0, col1, row0, row1, value)
    active: Vec<(u32, u32, u32, u32, Option<OwnedCell>)>,
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
    pub fn resume(merges: &[Merge], first_data_row: u32, row: u32, last: &GapWatch) -> Self {
        let mut fill = VerticalFill::new(merges, first_data_row);
        fill.next = fill.regions.partition_point(|r| r.0 < row);
        fill.active = fill.regions[..fill.next]
            .iter()
            .filter(|&&(_, _, r1, _)| r1 >= row)
            .map(|&(r0, c0, r1, c1)| {
                let value = last.last(c0).filter(|(r, _)| *r == r0).map(|(_, v)| v.clone());
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
                let value = cells.get(c0 as usize).filter(|c| !c.is_empty()).map(OwnedCell::from_cv);
                self.active.push((c0, c1, r0, r1, value));
            }
            self.next += 1;
        }
    }

    /// Whether any merged region covers the current row.
    #[inline]
    pub fn is_filling(&self) -> bool {
        !self.active.is_empty()
    }

    /// The value a merged region gives the cell at (row, col), below its top row.
    pub fn get(&self, row: u32, col: u32) -> Option<Cv<'_>> {
        self.active
            .iter()
            .find(|a| a.0 <= col && col <= a.1 && a.2 < row && row <= a.3)
            .and_then(|a| a.4.as_ref())
            .map(OwnedCell::as_cv)
    }
}

/// While merged regions are unknown: the last value of each mapped column,
/// to see a merged cell's shape and to resume filling from it.
#[derive(Default)]
pub struct GapWatch {
    /// By sheet column: (row, value) of the last value seen there. A vector,
    /// not a map: it is read for every mapped cell of every row.
    last_labels: Vec<Option<(u32, OwnedCell)>>,
}

impl GapWatch {
    /// The last value seen in a sheet column, with its row.
    pub fn last(&self, col: u32) -> Option<&(u32, OwnedCell)> {
        self.last_labels.get(col as usize).and_then(Option::as_ref)
    }

    /// Records this row's values; true when a value that was filled in the
    /// row above is empty here, which is how a vertically merged cell looks
    /// without its merge. Every mapped column is watched, not only labels:
    /// a visit's date is merged over its problem rows too.
    pub fn sees_gap(&mut self, det: &Detection, row: u32, cells: &[Cv<'_>]) -> bool {
        let mut gap = false;
        for m in det.columns.iter() {
            // Outcome columns are empty until the outcome happens (half of a
            // province's problems have no resolved date): a gap there says
            // nothing about merges, and reading them costs a second pass
            // over the sheet's XML. A merge over outcomes comes with merged
            // visit columns, which are still watched.
            if matches!(det.defs()[m.canon].col, Column::ResolvedDate | Column::Satisfaction | Column::StartDate) {
                continue;
            }
            let cell = cells.get(m.sheet_col as usize).unwrap_or(&Cv::Empty);
            if cell.is_empty() {
                gap |= self.last(m.sheet_col).is_some_and(|(r, _)| *r + 1 == row);
                continue;
            }
            let col = m.sheet_col as usize;
            if self.last_labels.len() <= col {
                self.last_labels.resize_with(col + 1, || None);
            }
            match (&mut self.last_labels[col], cell) {
                // Copy a label only when it changes.
                (Some((r, OwnedCell::Text(v))), Cv::Text(t)) if v.as_str() == *t => *r = row,
                // A new text reuses the buffer: no allocation per cell and row.
                (Some((r, OwnedCell::Text(v))), Cv::Text(t)) => {
                    v.clear();
                    v.push_str(t);
                    *r = row;
                }
                (slot, _) => *slot = Some((row, OwnedCell::from_cv(cell))),
            }
        }
        gap && cells.iter().any(|c| !c.is_empty())
    }
}
