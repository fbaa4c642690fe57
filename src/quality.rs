//! Row accounting and data-quality issues.
//!
//! Figures that go into official documents must be traceable and nothing may
//! be lost silently, so every file, sheet and row that ingestion looks at ends
//! up here: a sheet's rows are split into accepted, blank, total and rejected
//! (`rows = accepted + blank + total_rows + rejected` always holds), and every
//! rejected row, unreadable cell, skipped sheet or unreadable file becomes an
//! [`Issue`] with file, sheet, A1 cell, column, raw value and a Chinese message
//! a clerk can act on. This is the `data_quality` block of `metrics.json`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The four ledger kinds of SPEC §1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Projects,
    Indicators,
    Visits,
    Targets,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Projects, Kind::Indicators, Kind::Visits, Kind::Targets];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Projects => "projects",
            Kind::Indicators => "indicators",
            Kind::Visits => "visits",
            Kind::Targets => "targets",
        }
    }

    /// The ledger's Chinese name, as clerks call it.
    pub fn chinese(self) -> &'static str {
        match self {
            Kind::Projects => "重点项目台账",
            Kind::Indicators => "经济指标月报",
            Kind::Visits => "走访问题台账",
            Kind::Targets => "目标任务表",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

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
    /// Canonical column name (`done_ytd`), when the issue is about one column.
    pub column: Option<String>,
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
    /// Where each canonical column is in the sheet (`done_ytd` → `F`), so a
    /// figure's warning can name its cell.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub columns: std::collections::BTreeMap<String, String>,
}

impl SheetReport {
    pub fn skipped(sheet: &str, hidden: bool, reason: impl Into<String>) -> Self {
        SheetReport { sheet: sheet.to_string(), hidden, skipped_reason: Some(reason.into()), ..Default::default() }
    }

    /// The invariant every sheet must keep: no row disappears unaccounted.
    pub fn is_balanced(&self) -> bool {
        self.rows == self.accepted + self.blank + self.total_rows + self.rejected
    }
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

/// Collects the issues of one sheet; cheap to pass around by `&mut`.
#[derive(Debug)]
pub struct IssueSink<'a> {
    pub file: &'a str,
    pub sheet: Option<&'a str>,
    pub issues: Vec<Issue>,
}

impl<'a> IssueSink<'a> {
    pub fn new(file: &'a str, sheet: Option<&'a str>) -> Self {
        IssueSink { file, sheet, issues: Vec::new() }
    }

    pub fn push(
        &mut self,
        severity: Severity,
        cell: Option<String>,
        column: Option<&str>,
        value: Option<String>,
        message: impl Into<String>,
    ) {
        self.issues.push(Issue {
            severity,
            file: self.file.to_string(),
            sheet: self.sheet.map(str::to_string),
            cell,
            column: column.map(str::to_string),
            value,
            message: message.into(),
        });
    }

    pub fn sheet_level(&mut self, severity: Severity, message: impl Into<String>) {
        self.push(severity, None, None, None, message);
    }
}

/// Excel's column letters of a zero-based column (0 → `A`, 26 → `AA`).
pub fn column_letters(col: u32) -> String {
    let cell = a1(0, col);
    cell.trim_end_matches('1').to_string()
}

/// Excel's A1 name of a zero-based (row, column) position.
pub fn a1(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        letters.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
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
