//! A sheet that looks like a ledger but misses a required column (issue 16).
//!
//! Such a sheet used to be skipped with a note (提示) only, and a run went on
//! to an empty briefing with exit status 0: a clerk never learnt why. SPEC
//! §1.4 makes it a warning that names the missing column and says how to add
//! it, and the report keeps the kind the sheet looks like, so that `run`
//! can say which ledgers had no usable sheet and why.

use super::super::header::{Detection, NotLedger};
use crate::model::{Column, Kind};
use crate::quality::SheetReport;

/// Records a header that misses required columns (from the header search).
pub fn record(err: &NotLedger, report: &mut SheetReport) {
    if let NotLedger::MissingRequired { kind, row, missing } = err {
        report.looks_like = Some(*kind);
        report.missing_columns = missing.iter().map(|m| m.to_string()).collect();
        let how = how_to_add(*kind, *row, missing);
        report.skipped_reason = Some(format!("{}；{how}", err.reason()));
    }
}

/// Skips a sheet whose only missing column is the region, which its
/// context did not give either (`why` says what the context said).
pub fn skip_without_region(det: &Detection, why: &str, report: &mut SheetReport) {
    let label = region_label(det.kind);
    let how = how_to_add(det.kind, det.header_row, &[label]);
    report.skipped_reason =
        Some(format!("第{}行像{}的表头，但缺少必需列：{label}，{why}；{how}", det.header_row + 1, det.kind.chinese()));
    report.looks_like = Some(det.kind);
    report.missing_columns = vec![label.to_string()];
    // The sheet is not read: it is no ledger of this kind in the accounting.
    report.kind = None;
    report.period = None;
    report.header_row = None;
    report.columns.clear();
    report.column_letters.clear();
    report.ignored_columns.clear();
}

fn region_label(kind: Kind) -> &'static str {
    super::super::columns::columns(kind).iter().find(|d| d.col == Column::Region).map_or("所属地区", |d| d.label)
}

/// How to add the missing columns, in words a clerk can follow.
fn how_to_add(kind: Kind, header_row: u32, missing: &[&str]) -> String {
    let region = region_label(kind);
    let others: Vec<String> = missing.iter().filter(|m| **m != region).map(|m| format!("“{m}”")).collect();
    let mut how = Vec::new();
    if missing.contains(&region) {
        let example = match kind {
            Kind::Indicators => "城关镇2025年1-3月主要经济指标",
            Kind::Visits => "城关镇2025年1-3月走访问题台账",
            _ => "城关镇2025年1-3月重点项目进展情况",
        };
        how.push(format!(
            "请在表头中加一列“{region}”，或一个乡镇一个文件时在标题（如“{example}”）、工作表名、文件夹名或文件名中写明乡镇"
        ));
    }
    if !others.is_empty() {
        how.push(format!(
            "请在第{}行表头中加上{}列（可用的列名见 statbrief schema，或用 statbrief init 生成的模板填报）",
            header_row + 1,
            others.join("、")
        ));
    }
    how.join("；")
}
