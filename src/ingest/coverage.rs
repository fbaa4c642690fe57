//! Which ledgers have no usable sheet for the as-of period (issue 16).
//!
//! A folder whose project ledgers were all skipped (towns' files without a
//! region column, say) used to give a briefing of 0 projects and exit status
//! 0, the only sign a note in the check report. `run` now says, one line per
//! ledger, that it had nothing to read and why, and `--strict` fails on it.

use super::Ingested;
use crate::model::Kind;
use polars::prelude::{DataFrame, DataType};

/// A ledger with no usable rows for the period, and what became of its sheets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingLedger {
    pub kind: Kind,
    /// Sheets that look like this ledger but miss a required column.
    pub missing_columns: usize,
    /// Sheets of this ledger that could not be read for another reason (no period …).
    pub unread: usize,
    /// The ledger has rows, but only for other periods.
    pub other_periods: bool,
}

impl MissingLedger {
    /// `重点项目：没有可用的台账（3个工作表缺少必需列，见 statbrief check）`.
    pub fn line(&self) -> String {
        let mut why = Vec::new();
        if self.missing_columns > 0 {
            why.push(format!("{}个工作表缺少必需列", self.missing_columns));
        }
        if self.unread > 0 {
            why.push(format!("{}个工作表未能读取", self.unread));
        }
        if self.other_periods {
            why.push("只有其他报告期的数据".to_string());
        }
        let why = if why.is_empty() { "输入中没有这类工作表".to_string() } else { why.join("，") };
        format!("{}：没有可用的台账（{why}，见 statbrief check）", short_name(self.kind))
    }
}

fn short_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Projects => "重点项目",
        Kind::Indicators => "经济指标",
        Kind::Visits => "走访问题",
        Kind::Targets => "目标任务",
    }
}

/// The ledgers with no rows for year `year` up to `month` (visits and
/// targets: of the year). Targets are optional: they are listed only when a
/// sheet that looks like one could not be read.
pub fn missing_ledgers(ingested: &Ingested, year: i32, month: u32) -> Vec<MissingLedger> {
    let sheets: Vec<_> = ingested.quality.files.iter().flat_map(|f| &f.sheets).collect();
    Kind::ALL
        .into_iter()
        .filter_map(|kind| {
            let df = ingested.ledgers.get(kind);
            let up_to = matches!(kind, Kind::Projects | Kind::Indicators).then_some(month);
            if has_rows(df, year, up_to) {
                return None;
            }
            let missing = MissingLedger {
                kind,
                missing_columns: sheets.iter().filter(|s| s.looks_like == Some(kind)).count(),
                unread: sheets.iter().filter(|s| s.kind == Some(kind) && s.skipped_reason.is_some()).count(),
                other_periods: df.height() > 0,
            };
            let listed = kind != Kind::Targets || missing.missing_columns + missing.unread > 0;
            listed.then_some(missing)
        })
        .collect()
}

/// Whether the frame has a row of `year` (and of a month up to `month`).
fn has_rows(df: &DataFrame, year: i32, month: Option<u32>) -> bool {
    let column = |name: &str| -> Option<Vec<Option<i64>>> {
        let s = df.column(name).ok()?.cast(&DataType::Int64).ok()?;
        Some(s.i64().ok()?.iter().collect())
    };
    let (Some(years), Some(months)) = (column(super::frame::YEAR), column(super::frame::MONTH)) else {
        return false;
    };
    years
        .iter()
        .zip(&months)
        .any(|(y, m)| *y == Some(i64::from(year)) && month.is_none_or(|limit| m.is_some_and(|m| m <= i64::from(limit))))
}
