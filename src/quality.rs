//! Row accounting and data-quality issues.
//!
//! Figures that go into official documents must be traceable and nothing may
//! be lost silently, so every file, sheet and row that ingestion looks at ends
//! up here: a sheet's rows are split into accepted, blank, total and rejected
//! (`rows = accepted + blank + total_rows + rejected` always holds), and every
//! rejected row, unreadable cell, skipped sheet or unreadable file becomes an
//! [`Issue`] with file, sheet, A1 cell, column, raw value and a Chinese message
//! a clerk can act on. This is the `data_quality` block of `metrics.json`.

use crate::model::{Column, Kind};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A row was rejected, or a file or sheet could not be used.
    Error,
    /// The data was used but something in it needs a look.
    Warning,
    /// Worth knowing (a skipped sheet that is obviously not a ledger, a hidden sheet).
    Info,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

    /// The spelling in `metrics.json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    pub fn chinese(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    pub severity: Severity,
    pub file: String,
    pub sheet: Option<String>,
    /// A1 reference of the cell (`D17`), or of the row's first cell when the
    /// issue is about a whole row.
    pub cell: Option<String>,
    /// Canonical column (`done_ytd`), when the issue is about one column.
    pub column: Option<Column>,
    /// The raw cell text as the ledger has it.
    pub value: Option<String>,
    pub message: String,
}

/// Row accounting of one sheet.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SheetReport {
    pub sheet: String,
    pub kind: Option<Kind>,
    /// `YYYY-MM`, or `YYYY` for targets.
    pub period: Option<String>,
    pub hidden: bool,
    /// 1-based row of the (lowest) header row.
    pub header_row: Option<u32>,
    /// Data rows between the header and the end of the table.
    pub rows: u64,
    pub accepted: u64,
    pub blank: u64,
    pub total_rows: u64,
    pub rejected: u64,
    pub skipped_reason: Option<String>,
    /// Header cells that matched no canonical column (序号, 备注 …).
    pub ignored_columns: Vec<String>,
    /// The header taken for each canonical column, with its cell
    /// (`done_ytd` → `本年累计完成投资（F3）`), so a clerk sees which of
    /// several look-alike columns was used.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub columns: std::collections::BTreeMap<String, String>,
    /// Where each canonical column is (`done_ytd` → `F`), so a figure's
    /// warning can name its cell.
    #[serde(skip)]
    pub column_letters: std::collections::BTreeMap<String, String>,
    /// Rows accepted here but superseded by the same key in a later sheet of
    /// the same period (a re-sent ledger): counted once, in the later sheet.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub superseded: u64,
    /// An indicator table's layout (long, whole-area or wide).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layout: Option<crate::model::IndicatorLayout>,
    /// A wide table's accepted rows unpivoted: the long rows (one indicator
    /// of one region) they gave; 0 for every other layout.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub unpivoted: u64,
    /// Where the rows' region came from when the sheet has no region column
    /// (`地区取自标题「城关镇」`; one file per town, SPEC §1.4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region_from: Option<String>,
    /// The kind a skipped sheet looks like, when it misses required columns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub looks_like: Option<Kind>,
    /// The required columns it misses (their Chinese names).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing_columns: Vec<String>,
}

impl SheetReport {
    /// What a clerk needs beside a sheet's counts to trust its figures:
    /// where its region came from (one file per town), its layout when not
    /// long, and rows a re-sent ledger replaced. `check` prints one a line,
    /// the workbook's 数据质量 sheet joins them.
    pub fn remarks(&self) -> Vec<String> {
        let mut out: Vec<String> = self.region_from.iter().cloned().collect();
        match self.layout {
            Some(l @ crate::model::IndicatorLayout::Wide) => {
                out.push(format!("版式：{}，展开为{}条指标数据", l.chinese(), self.unpivoted))
            }
            Some(l @ crate::model::IndicatorLayout::WholeArea) => out.push(format!("版式：{}", l.chinese())),
            _ => {}
        }
        if self.superseded > 0 {
            out.push(format!("其中{}行被后报送的同期台账取代（见警告）", self.superseded));
        }
        out
    }

    pub fn skipped(sheet: &str, hidden: bool, reason: impl Into<String>) -> Self {
        SheetReport { sheet: sheet.to_string(), hidden, skipped_reason: Some(reason.into()), ..Default::default() }
    }

    /// The invariant every sheet must keep: no row disappears unaccounted.
    pub fn is_balanced(&self) -> bool {
        self.rows == self.accepted + self.blank + self.total_rows + self.rejected
    }
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FileReport {
    /// Path relative to the input folder, with `/` separators.
    pub path: String,
    pub sha256: String,
    pub sheets: Vec<SheetReport>,
    /// Why the file could not be read at all.
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DataQuality {
    pub files: Vec<FileReport>,
    pub issues: Vec<Issue>,
}

impl DataQuality {
    pub fn rejected_rows(&self) -> u64 {
        self.files.iter().flat_map(|f| &f.sheets).map(|s| s.rejected).sum()
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.issues.iter().filter(|i| i.severity == severity).count()
    }
}

/// Issues are built in one way, so that the A1 cell name is computed in one
/// place ([`Issue::at`]) and every issue names its file:
/// `Issue::new(Severity::Error, file, msg).in_sheet(sheet).at(row, col).column(c).value(raw)`.
impl Issue {
    /// An issue about a whole file; narrow it with the methods below.
    pub fn new(severity: Severity, file: &str, message: impl Into<String>) -> Issue {
        Issue {
            severity,
            file: file.to_string(),
            sheet: None,
            cell: None,
            column: None,
            value: None,
            message: message.into(),
        }
    }

    pub fn in_sheet(mut self, sheet: &str) -> Issue {
        self.sheet = Some(sheet.to_string());
        self
    }

    /// The cell at a zero-based (row, column) position.
    pub fn at(mut self, row: u32, col: u32) -> Issue {
        self.cell = Some(a1(row, col));
        self
    }

    pub fn column(mut self, column: Column) -> Issue {
        self.column = Some(column);
        self
    }

    /// The raw cell text as the ledger has it.
    pub fn value(mut self, raw: impl Into<String>) -> Issue {
        self.value = Some(raw.into());
        self
    }
}

/// Excel's column letters of a zero-based column (0 → `A`, 26 → `AA`).
pub fn column_letters(col: u32) -> String {
    rust_xlsxwriter::utility::column_number_to_name(col.min(u32::from(u16::MAX)) as u16)
}

/// Excel's A1 name of a zero-based (row, column) position. Columns past
/// Excel's last (XFD) cannot occur in a workbook; they are clamped rather
/// than wrapped, so a name never points at another cell.
pub fn a1(row: u32, col: u32) -> String {
    rust_xlsxwriter::utility::row_col_to_cell(row, col.min(u32::from(u16::MAX)) as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_names() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(16, 3), "D17");
        assert_eq!(a1(0, 25), "Z1");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(9, 701), "ZZ10");
        assert_eq!(a1(0, 702), "AAA1");
    }
}
