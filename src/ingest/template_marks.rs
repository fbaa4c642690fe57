//! What `statbrief init`'s templates leave in a returned ledger: the grey
//! example row marked `示例`, and the period placeholder of the title
//! (`2025年X月`) when a clerk forgot to fill it in.
//!
//! The templates and ingestion must agree on these marks, so both sides use
//! the constants here: the template writer puts [`EXAMPLE_MARK`] in the first
//! cell of the example row and [`placeholder_title`]'s text in the title;
//! the sheet reader skips the example row (counted as blank, with a note) and
//! names the placeholder when a sheet has no period.

use super::period::NAMING_HINT;
use super::values::{fold_width_and_space, Cv};
use crate::quality::{Issue, Severity, SheetReport};
use regex::Regex;
use std::sync::OnceLock;

/// The first cell of a template's example row.
pub const EXAMPLE_MARK: &str = "示例";

/// The month placeholder of a template's title (`2025年X月`).
pub const MONTH_PLACEHOLDER: &str = "X月";
/// The year placeholder of the targets template's title (`20XX年`).
pub const YEAR_PLACEHOLDER: &str = "20XX年";

/// A title with its period still to be filled in: `{year}年X月{name}`, or
/// `20XX年{name}` when no year is given (targets).
pub fn placeholder_title(year: Option<i32>, name: &str) -> String {
    match year {
        Some(y) => format!("{y}年{MONTH_PLACEHOLDER}{name}"),
        None => format!("{YEAR_PLACEHOLDER}{name}"),
    }
}

/// True when the row's first non-empty cell is the example mark.
pub fn is_example_row(first_cell: Option<&Cv<'_>>) -> bool {
    match first_cell {
        Some(Cv::Text(t)) => t.trim() == EXAMPLE_MARK || fold_width_and_space(t) == EXAMPLE_MARK,
        _ => false,
    }
}

/// Skips a template's example row: it is counted as blank (with the blank
/// rows before it, which it shows are inside the table) and noted, so the
/// row accounting still balances and the clerk learns why it is not counted.
/// Returns true when the row was the example row.
pub fn skip_example_row(
    at: (&str, &str, u32),
    first_cell: Option<&Cv<'_>>,
    report: &mut SheetReport,
    issues: &mut Vec<Issue>,
    pending_blank: &mut u64,
) -> bool {
    let (file, sheet, row) = at;
    if !is_example_row(first_cell) {
        return false;
    }
    report.rows += *pending_blank + 1;
    report.blank += *pending_blank + 1;
    *pending_blank = 0;
    let msg = format!("第{}行是模板的示例行（标有“{EXAMPLE_MARK}”），已跳过，不计入数据；可以删去", row + 1);
    issues.push(Issue::new(Severity::Info, file, msg).in_sheet(sheet).at(row, 0).value(EXAMPLE_MARK));
    true
}

fn placeholder_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // `X月`, `1-X月`, `20XX年`, `XXXX年`, in either case, after width folding.
    RE.get_or_init(|| {
        Regex::new(r"(?i)(\d|x)x*年|[x×]+月").expect("literal regex") // ok: a literal, exercised by the tests
    })
}

/// True when a title still holds a template's period placeholder.
pub fn has_placeholder(title: &str) -> bool {
    let folded = fold_width_and_space(title);
    placeholder_re()
        .find_iter(&folded)
        .any(|m| m.as_str().to_ascii_lowercase().contains('x') || m.as_str().contains('×'))
}

/// Why a sheet has no period: the template's placeholder when a title still
/// holds one, else the general naming hint.
pub fn no_period_reason(title_cells: &[&str]) -> String {
    match title_cells.iter().find(|t| has_placeholder(t)) {
        Some(t) => format!(
            "无法确定报告期：标题「{}」中的报告期还是模板的占位符，请把“X月”“20XX年”改成实际的年月（如“2025年3月”“2025年1-3月”）",
            t.trim()
        ),
        None => format!("无法确定报告期：{NAMING_HINT}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        assert!(has_placeholder("2025年X月重点项目台账"));
        assert!(has_placeholder("2025年1-Ｘ月经济指标月报"));
        assert!(has_placeholder("20XX年目标任务表"));
        assert!(!has_placeholder("2025年3月重点项目台账"));
        assert!(!has_placeholder("XX公司项目"));
        assert_eq!(placeholder_title(Some(2025), "重点项目台账"), "2025年X月重点项目台账");
        assert!(no_period_reason(&["2025年X月重点项目台账"]).contains("占位符"));
        assert!(no_period_reason(&["重点项目台账"]).contains("文件名"));
    }

    #[test]
    fn example_rows() {
        assert!(is_example_row(Some(&Cv::Text(" 示例 "))));
        assert!(!is_example_row(Some(&Cv::Text("示例项目"))));
        assert!(!is_example_row(Some(&Cv::Num(1.0))));
    }
}
