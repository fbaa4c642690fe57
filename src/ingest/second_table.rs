//! A second table below the first one on the same sheet.
//!
//! Clerks paste a second ledger under the first (a visits list under the
//! projects, separated by a few blank rows). Read as rows of the first table,
//! its header would become a project called `企业名称` and its rows would be
//! rejected one by one with misleading messages. So a data row that is
//! itself a header of another kind ends the first table, and the sheet gets
//! one warning saying where the second table starts. Checked on every data
//! row, the test must be cheap: only rows whose first cells are exact
//! column names (a hash lookup each) go on to the full header detection.

use super::columns;
use super::header::{self, GroupCells};
use super::values::Cv;
use crate::model::Kind;
use polars::prelude::PlHashSet as HashSet;
use std::sync::OnceLock;

/// Every literal header alias of every kind, and the period column's.
fn aliases() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        let mut set: HashSet<&'static str> =
            Kind::ALL.iter().flat_map(|k| columns::columns(*k)).flat_map(|c| c.aliases.iter().copied()).collect();
        set.extend(columns::PERIOD.aliases.iter().copied());
        set
    })
}

/// The kind of the table whose header row `cells` is, when it is a header
/// of a kind other than `current`.
pub fn other_header(cells: &[Cv<'_>], current: Kind) -> Option<Kind> {
    let set = aliases();
    let hits = cells
        .iter()
        .filter(|c| !c.is_empty())
        .take(4)
        .filter(|c| matches!(c, Cv::Text(t) if t.len() <= 48 && set.contains(super::values::trim_cell(t))))
        .count();
    if hits < 2 {
        return None;
    }
    let row: Vec<Option<String>> = cells.iter().map(|c| c.text().map(|t| t.into_owned())).collect();
    let groups = GroupCells { merges: &[], used_cols: (0, row.len().saturating_sub(1) as u32) };
    let det = header::detect(&[row], &groups).ok()?;
    (det.kind != current).then_some(det.kind)
}

/// During the header search: whether a full header of kind `kind` at `row`,
/// below a full header of `first_kind` at `first_row` with `first_columns`
/// recognised columns, is a second table rather than a better header. Two
/// header rows of one kind are a two-level header (the lower one wins, as
/// before); a stray match of two columns is not a table.
pub fn is_second_table(first_kind: Kind, first_row: u32, first_columns: usize, kind: Kind, row: u32) -> bool {
    kind != first_kind && row > first_row && first_columns >= 3
}

/// The warning for a sheet whose second table starts at Excel row `row1`.
pub fn message(row1: u32, first: Kind, second: Kind) -> String {
    format!(
        "第{row1}行起是另一张表（{}），与上面的{}不是同一种台账；本工作表只读取了第一张表，请把第二张表移到单独的工作表或文件",
        second.chinese(),
        first.chinese()
    )
}
