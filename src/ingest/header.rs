//! Finding the table in a sheet: header row, kind, column map and units.
//!
//! Real ledgers start with titles, unit lines and blank rows, and often have
//! two header rows under merged group cells. This module looks at the first
//! rows of a sheet (already filled from their merged regions), normalises
//! every header cell (SPEC §1.2), and picks the row and kind whose headers
//! name the most canonical columns. It decides; it reads no data rows.

use super::columns::{self, ColDef, ColType, Strength};
use super::values::{fold_width_and_space, money_factor, to_simplified};
use crate::model::{Column, Kind};
use regex::Regex;
use std::sync::OnceLock;

/// Header rows are searched within the first 20 rows (SPEC §1.2).
pub const HEADER_SEARCH_ROWS: usize = 20;

/// A normalised header: the text to match, and the unit cut off its end.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Header {
    pub text: String,
    pub unit: Option<String>,
}

fn leading_year() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(19|20)\d{2}年(度)?").expect("literal regex") // ok: a literal, exercised by the tests
    })
}

/// Normalises a header cell: white space removed, full-width folded,
/// Traditional → Simplified, a trailing bracketed unit cut off and kept, a
/// leading year (`2023年`, `2023年度`) dropped.
pub fn normalize_header(raw: &str) -> Header {
    let folded = fold_width_and_space(raw);
    let simple = to_simplified(&folded);
    let mut text: &str = &simple;
    let mut unit = None;
    // Cut until nothing more is cut: `投资(万元)(注1)` loses both brackets, so
    // that normalising a normalised header changes nothing (the fuzzer found
    // `R()(x)` → `R()` → `R`). The unit is the last bracket, as written.
    loop {
        let before = text.len();
        if let Some((body, inner)) = trailing_bracket(text) {
            unit.get_or_insert_with(|| inner.to_string());
            text = body;
        }
        text = match leading_year().find(text) {
            // Keep `2023年1-5月…` as `1-5月…`, and a bare `2023年` as it is.
            Some(m) if m.end() < text.len() => &text[m.end()..],
            _ => text,
        };
        if text.len() == before {
            break;
        }
    }
    Header { text: text.to_string(), unit }
}

/// A bracketed part at the end of a header: (the text before it, what is
/// inside, less a leading `单位:`).
fn trailing_bracket(text: &str) -> Option<(&str, &str)> {
    for (open, close) in [('(', ')'), ('【', '】'), ('[', ']'), ('〔', '〕')] {
        if let Some(body) = text.strip_suffix(close) {
            if let Some(pos) = body.rfind(open) {
                let inner = &body[pos + open.len_utf8()..];
                return Some((&body[..pos], inner.strip_prefix("单位:").unwrap_or(inner)));
            }
        }
    }
    None
}

/// One recognised column of the sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct MappedColumn {
    /// Zero-based sheet column.
    pub sheet_col: u32,
    /// Index into `columns::columns(kind)`.
    pub canon: usize,
    /// The unit from the header, if any (`万元`, `%`).
    pub unit: Option<String>,
    /// The header as written, for messages.
    pub header: String,
    /// The merged group cell above a sub-header, normalised: in a wide
    /// indicator table it names the indicator (`固定资产投资（亿元）`).
    pub group: Option<Header>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    pub kind: Kind,
    /// Zero-based row of the (lowest) header row; data starts below it.
    pub header_row: u32,
    pub columns: Vec<MappedColumn>,
    pub period_col: Option<u32>,
    /// Header cells that match no canonical column.
    pub ignored: Vec<String>,
    /// The money unit of the unit line above the header (`单位：亿元`), as a factor to 万元.
    pub unit_line_factor: Option<f64>,
    /// Columns that matched a canonical column another column was taken
    /// for (a weaker match, or further right): each gets a warning.
    pub passed_over: Vec<MappedColumn>,
}

impl Detection {
    pub fn defs(&self) -> &'static [ColDef] {
        columns::columns(self.kind)
    }

    pub fn has(&self, column: Column) -> bool {
        self.columns.iter().any(|c| self.defs()[c.canon].col == column)
    }

    /// True when a canonical column is taken more than once: the groups of
    /// a wide indicator table.
    pub fn has_repeats(&self) -> bool {
        self.columns.iter().enumerate().any(|(i, c)| self.columns[..i].iter().any(|o| o.canon == c.canon))
    }

    /// The mapped column of a canonical column, if the sheet has it.
    pub fn find(&self, column: Column) -> Option<&MappedColumn> {
        self.columns.iter().find(|c| self.defs()[c.canon].col == column)
    }
}

/// Why a sheet is not a ledger.
#[derive(Debug, Clone, PartialEq)]
pub enum NotLedger {
    /// Nothing in the first rows looks like a ledger header.
    NoHeader,
    /// The best candidate misses required columns.
    MissingRequired { kind: Kind, row: u32, missing: Vec<&'static str> },
}

impl NotLedger {
    pub fn reason(&self) -> String {
        match self {
            NotLedger::NoHeader => {
                format!("前{HEADER_SEARCH_ROWS}行中没有可识别的台账表头，不是重点项目、经济指标、走访问题或目标任务表")
            }
            NotLedger::MissingRequired { kind, row, missing } => {
                format!("第{}行像{}的表头，但缺少必需列：{}", row + 1, kind.chinese(), missing.join("、"))
            }
        }
    }
}

/// The top rows of a sheet as text, merged regions already filled, so
/// `area[r][c]` is what a reader sees at row r, column c.
pub type HeaderArea = [Vec<Option<String>>];

/// Columns of row `r-1` whose merged group cell may head the sub-headers of
/// row `r`: a group spans several columns but not the whole table (a title).
pub struct GroupCells<'a> {
    /// (row, first col, last col) of merged regions in the header area.
    pub merges: &'a [(u32, u32, u32, u32)],
    pub used_cols: (u32, u32),
}

impl GroupCells<'_> {
    fn is_group(&self, row: u32, col: u32) -> bool {
        self.merges.iter().any(|&(r0, c0, r1, c1)| {
            r0 <= row
                && row <= r1
                && c0 <= col
                && col <= c1
                && c1 > c0
                && !(c0 <= self.used_cols.0 && c1 >= self.used_cols.1)
        })
    }
}

struct Candidate {
    kind: Kind,
    row: u32,
    columns: Vec<MappedColumn>,
    ignored: Vec<String>,
    period_col: Option<u32>,
    passed_over: Vec<MappedColumn>,
}

impl Candidate {
    fn satisfied(&self) -> bool {
        // The region may come from the sheet's title, name, folder or file
        // name (one file per town, issue 16): the sheet decides that.
        let region = columns::columns(self.kind).iter().find(|d| d.col == Column::Region).map(|d| d.label);
        self.missing().iter().all(|m| Some(*m) == region)
    }

    fn missing(&self) -> Vec<&'static str> {
        let defs = columns::columns(self.kind);
        let has = |n: Column| self.columns.iter().any(|c| defs[c.canon].col == n);
        let mut missing: Vec<&'static str> =
            defs.iter().filter(|d| d.required && !has(d.col)).map(|d| d.label).collect();
        if self.kind == Kind::Indicators && !has(Column::ValueYtd) && !has(Column::GrowthReported) {
            missing.push("本年累计或增速");
        }
        // SPEC §1.4 whole-area layout: an indicator column with values and
        // no region column is the whole area's own table.
        if self.kind == Kind::Indicators && has(Column::Indicator) {
            missing.retain(|m| *m != columns::label_of(Kind::Indicators, Column::Region));
        }
        missing
    }
}

/// Each header cell normalised once (zhconv is not cheap), shared by the
/// four kinds tried on every row.
type NormalizedArea = Vec<Vec<Option<Header>>>;

fn map_row(kind: Kind, area: &HeaderArea, norm: &NormalizedArea, row: usize, groups: &GroupCells<'_>) -> Candidate {
    let mut columns: Vec<MappedColumn> = Vec::new();
    let mut ignored = Vec::new();
    let mut period_col = None;
    let cells = &area[row];
    // Every header that matches, with how strongly; the best per canonical
    // column is taken below.
    let mut matches: Vec<(MappedColumn, Strength)> = Vec::new();
    for (c, cell) in cells.iter().enumerate() {
        let Some(raw) = cell.as_deref() else { continue };
        let Some(sub) = norm[row].get(c).and_then(Option::as_ref) else { continue };
        if sub.text.is_empty() {
            continue;
        }
        let group = (row > 0 && groups.is_group(row as u32 - 1, c as u32))
            .then(|| norm[row - 1].get(c).and_then(Option::as_ref))
            .flatten()
            .filter(|g| g.text != sub.text);
        let mut matched = None;
        let direct = columns::match_header(kind, &sub.text)
            .or_else(|| bracketed_alias(kind, sub).map(|i| (i, columns::Strength::Exact)));
        if let Some((i, strength)) = direct {
            // A unit on the group cell (`投资完成情况（亿元）`) covers its sub-columns.
            matched = Some((i, strength, sub.unit.clone().or_else(|| group.as_ref().and_then(|g| g.unit.clone()))));
        } else if let Some(g) = &group {
            let combined = format!("{}{}", g.text, sub.text);
            if let Some((i, strength)) = columns::match_header(kind, &combined) {
                matched = Some((i, strength, sub.unit.clone().or_else(|| g.unit.clone())));
            }
        }
        // A group cell that qualifies its sub-columns as something else
        // (`开工以来` over `累计完成投资`) disqualifies the match too.
        let matched = matched.filter(|(i, _, _)| {
            !group.is_some_and(|g| columns::qualified_elsewhere(columns::columns(kind)[*i].col, &g.text))
        });
        match matched {
            Some((i, strength, unit)) => matches.push((
                MappedColumn {
                    sheet_col: c as u32,
                    canon: i,
                    unit,
                    header: raw.trim().to_string(),
                    group: group.cloned(),
                },
                strength,
            )),
            None if columns::is_period_header(&sub.text) && period_col.is_none() => period_col = Some(c as u32),
            None => ignored.push(raw.split_whitespace().collect::<String>()),
        }
    }
    let mut passed_over = Vec::new();
    for (m, _) in &matches {
        let best = matches.iter().filter(|(o, _)| o.canon == m.canon).min_by_key(|(o, s)| (*s, o.sheet_col));
        if best.is_some_and(|(b, _)| b.sheet_col == m.sheet_col) {
            columns.push(m.clone());
        } else {
            ignored.push(m.header.split_whitespace().collect::<String>());
            passed_over.push(m.clone());
        }
    }
    Candidate { kind, row: row as u32, columns, ignored, period_col, passed_over }
}

/// An alias that has brackets of its own (`县(市、区)`), which
/// `normalize_header` took for a unit: matched with the brackets put back.
fn bracketed_alias(kind: Kind, h: &Header) -> Option<usize> {
    let unit = h.unit.as_deref()?;
    let whole = format!("{}({unit})", h.text);
    columns::columns(kind).iter().position(|c| c.aliases.contains(&whole.as_str()))
}

/// Picks the header row and kind: the row whose cells match the most
/// canonical columns of a kind whose required columns are all there. On a
/// tie the lower row wins, so the sub-header row of a two-level header is
/// chosen over its group row.
pub fn detect(area: &HeaderArea, groups: &GroupCells<'_>) -> Result<Detection, NotLedger> {
    let mut best: Option<Candidate> = None;
    let mut best_unsatisfied: Option<Candidate> = None;
    let rows = area.len().min(HEADER_SEARCH_ROWS);
    let norm: NormalizedArea =
        area[..rows].iter().map(|r| r.iter().map(|c| c.as_deref().map(normalize_header)).collect()).collect();
    for row in 0..rows {
        for kind in Kind::ALL {
            let cand = map_row(kind, area, &norm, row, groups);
            if cand.columns.is_empty() {
                continue;
            }
            let satisfied = cand.satisfied();
            let slot = if satisfied { &mut best } else { &mut best_unsatisfied };
            let better = match slot {
                None => true,
                // A full header of another kind further down is a second
                // table on the sheet: the first one is read (issue 10).
                Some(b)
                    if satisfied
                        && super::second_table::is_second_table(
                            b.kind,
                            b.row,
                            b.columns.len(),
                            cand.kind,
                            cand.row,
                        ) =>
                {
                    false
                }
                Some(b) => {
                    cand.columns.len() >= b.columns.len() && (cand.columns.len() > b.columns.len() || cand.row > b.row)
                }
            };
            if better {
                *slot = Some(cand);
            }
        }
    }
    let Some(best) = best else {
        return Err(match best_unsatisfied {
            // One stray word (`地区` in a title) is not a header.
            Some(c) if c.columns.len() >= 2 => {
                NotLedger::MissingRequired { kind: c.kind, row: c.row, missing: c.missing() }
            }
            _ => NotLedger::NoHeader,
        });
    };
    let unit_line_factor = unit_line(&area[..best.row as usize]);
    Ok(Detection {
        kind: best.kind,
        header_row: best.row,
        columns: best.columns,
        period_col: best.period_col,
        ignored: best.ignored,
        unit_line_factor,
        passed_over: best.passed_over,
    })
}

/// `单位：万元`, `金额单位:亿元` above a header.
const UNIT_LINE: &str = r"单位[:：]\s*(人民币)?(万元|亿元|千元|百万元|元)";

fn unit_line_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(UNIT_LINE).expect("literal regex") // ok: a literal, exercised by the tests
    })
}

/// The money unit of a `单位：万元` line above the header.
fn unit_line(rows: &HeaderArea) -> Option<f64> {
    for row in rows.iter().rev() {
        for cell in row.iter().flatten() {
            let folded = fold_width_and_space(cell);
            if let Some(caps) = unit_line_re().captures(&folded) {
                return caps.get(2).and_then(|m| money_factor(m.as_str()));
            }
        }
    }
    None
}

/// The money factor of one column: its own unit, else the unit line, else 万元.
pub fn column_money_factor(col: &MappedColumn, det: &Detection) -> f64 {
    col.unit.as_deref().and_then(money_factor).or(det.unit_line_factor).unwrap_or(1.0)
}

/// True when the column holds percentages.
pub fn is_percent_column(col: &MappedColumn, det: &Detection) -> bool {
    det.defs()[col.canon].ty == ColType::Percent || col.unit.as_deref() == Some("%")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(rows: &[&[&str]]) -> Vec<Vec<Option<String>>> {
        rows.iter().map(|r| r.iter().map(|c| if c.is_empty() { None } else { Some(c.to_string()) }).collect()).collect()
    }

    #[test]
    fn header_normalisation() {
        assert_eq!(normalize_header("項目名稱").text, "项目名称");
        assert_eq!(normalize_header("项目\n名称").text, "项目名称");
        assert_eq!(normalize_header("项　目 名 称").text, "项目名称");
        let h = normalize_header("2023年度计划投资（万元）");
        assert_eq!((h.text.as_str(), h.unit.as_deref()), ("计划投资", Some("万元")));
        let h = normalize_header("2023年1-5月累计完成投资(亿元)");
        assert_eq!((h.text.as_str(), h.unit.as_deref()), ("1-5月累计完成投资", Some("亿元")));
        let h = normalize_header("增速【%】");
        assert_eq!((h.text.as_str(), h.unit.as_deref()), ("增速", Some("%")));
        assert_eq!(normalize_header("年度計劃投資（萬元）").text, "年度计划投资");
    }

    #[test]
    fn finds_header_below_title_and_unit_line() {
        let a = area(&[
            &["2023年1-3月重点项目进展情况表", "", "", ""],
            &["", "", "", "单位：亿元"],
            &["序号", "项目名称", "所属地区", "年度计划投资", "本年累计完成投资", "备注"],
            &["1", "甲项目", "白水镇", "1.5", "0.3", ""],
        ]);
        let merges = [(0, 0, 0, 5)];
        let det = detect(&a, &GroupCells { merges: &merges, used_cols: (0, 5) }).unwrap();
        assert_eq!(det.kind, Kind::Projects);
        assert_eq!(det.header_row, 2);
        assert_eq!(det.columns.len(), 4);
        assert_eq!(det.ignored, vec!["序号", "备注"]);
        assert_eq!(det.unit_line_factor, Some(10_000.0));
    }

    #[test]
    fn two_level_header_uses_group_cells() {
        // 项目名称 and 所属地区 are merged over both header rows (already
        // filled); 投资完成情况 spans columns 2..=4 in row 0.
        let a = area(&[
            &["项目名称", "所属地区", "投资完成情况", "投资完成情况", "投资完成情况"],
            &["项目名称", "所属地区", "年度计划", "本年累计完成", "完成率"],
        ]);
        let merges = [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 4)];
        let det = detect(&a, &GroupCells { merges: &merges, used_cols: (0, 4) }).unwrap();
        assert_eq!(det.header_row, 1);
        let names: Vec<_> = det.columns.iter().map(|c| det.defs()[c.canon].name()).collect();
        assert_eq!(names, ["name", "region", "plan_year", "done_ytd"]);
    }

    #[test]
    fn missing_required_is_named() {
        let a = area(&[&["项目名称", "所属地区", "总投资"]]);
        let err = detect(&a, &GroupCells { merges: &[], used_cols: (0, 2) }).unwrap_err();
        assert!(err.reason().contains("年度计划投资"), "{}", err.reason());
        assert!(err.reason().contains("本年累计完成投资"));
    }

    #[test]
    fn classifies_each_kind() {
        let cases: [(&[&str], Kind); 4] = [
            (&["地区", "指标名称", "本年累计", "去年同期", "增速(%)"], Kind::Indicators),
            (&["走访日期", "走访干部", "企业名称", "问题描述", "办理状态"], Kind::Visits),
            (&["地区", "指标", "目标值", "单位", "年度"], Kind::Targets),
            (&["项目编号", "项目名称", "乡镇", "年度计划", "累计完成投资"], Kind::Projects),
        ];
        for (row, kind) in cases {
            let a = area(&[row]);
            let det = detect(&a, &GroupCells { merges: &[], used_cols: (0, 4) }).unwrap();
            assert_eq!(det.kind, kind, "{row:?}");
        }
    }
}
