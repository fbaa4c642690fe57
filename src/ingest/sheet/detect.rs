//! The top of a sheet: header row, kind, report period and, for a
//! single-indicator table, the indicator named in its title.
//!
//! It works on the first rows only (buffered by the processor), with merged
//! regions filled in the header area, and decides whether the sheet is a
//! ledger, whether merged regions must be read first, or why it is skipped.

use super::super::header::{self, Detection, GroupCells, HEADER_SEARCH_ROWS};
use super::super::period::{self, Period};
use super::super::values::{fold_width_and_space, normalize_label};
use super::fill::Merge;
use super::shapes::{self, Part};
use super::OwnedCell;
use crate::model::{Column, IndicatorLayout, Kind};
use crate::quality::{a1, column_letters, Issue, Severity, SheetReport};

/// What the header search found, for the data rows.
pub struct Found {
    /// The whole header (every group's columns, for a wide table).
    pub det: Detection,
    pub first_data_row: u32,
    pub sheet_period: Option<Period>,
    /// The tables read over the rows: one, or one per wide group.
    pub parts: Vec<Part>,
    /// A whole-area indicator table: the region every row takes.
    pub whole_area: Option<String>,
}

pub enum Outcome {
    Found(Box<Found>),
    /// Merged regions could change the result: read them and start again.
    NeedsMerges,
    /// Not a ledger, or not usable: the reason is in the sheet's report.
    Skipped,
}

/// The sheet as the header search sees it.
pub struct Top<'a> {
    pub file: &'a str,
    pub sheet: &'a str,
    pub merges: &'a [Merge],
    pub merges_known: bool,
    /// (first, last) column with content in the buffered rows.
    pub used_cols: (u32, u32),
}

/// Finds header, kind and period from the buffered first rows; on failure
/// records in `report` why the sheet is skipped.
pub fn detect(
    top: &Top<'_>,
    buf: &[(u32, Vec<OwnedCell>)],
    report: &mut SheetReport,
    issues: &mut Vec<Issue>,
) -> Outcome {
    // The highest row, not the last: a damaged file can list rows out of order (issue 10, fuzzer).
    let height = buf.iter().map(|(r, _)| *r as usize + 1).max().unwrap_or(0).min(HEADER_SEARCH_ROWS);
    if height == 0 {
        report.skipped_reason = Some("空表：没有任何内容".into());
        return Outcome::Skipped;
    }
    let (area, header_merges) = header_area(top.merges, buf, height);
    let groups = GroupCells { merges: &header_merges, used_cols: top.used_cols };
    let detected = header::detect(&area, &groups);
    // A table whose columns are regions cannot be unpivoted (issue 15): said
    // loudly, whatever its header happened to match.
    if let Some((row, region)) = shapes::regions_across(&area) {
        if detected.as_ref().map_or(true, |d| d.kind == Kind::Indicators && !d.has(Column::Region)) {
            report.kind = Some(Kind::Indicators);
            report.skipped_reason = Some(shapes::regions_across_reason(row, &region));
            return Outcome::Skipped;
        }
    }
    let det = match detected {
        Ok(d) => d,
        // Merged header cells might make it a ledger.
        Err(_) if !top.merges_known && height > 1 => return Outcome::NeedsMerges,
        Err(e) => {
            report.skipped_reason = Some(e.reason());
            super::missing_columns::record(&e, report);
            return Outcome::Skipped;
        }
    };
    if !top.merges_known && header_may_be_merged(&area, det.header_row as usize, top.used_cols) {
        return Outcome::NeedsMerges;
    }
    let mut det = det;
    let kind = det.kind;
    let wide = shapes::wide_parts(&det);
    if wide.is_some() {
        shapes::widen(&mut det);
    }
    report.kind = Some(kind);
    report.header_row = Some(det.header_row + 1);
    report.ignored_columns = det.ignored.clone();
    report_columns(&det, report);
    for p in &det.passed_over {
        let def = &det.defs()[p.canon];
        let Some(taken) = det.find(def.col) else { continue };
        let msg = format!(
            "「{}」（{}）也像“{}”列，已采用「{}」（{}）；如应采用前者，请修改表头",
            p.header,
            a1(det.header_row, p.sheet_col),
            def.label,
            taken.header,
            a1(det.header_row, taken.sheet_col)
        );
        let issue = Issue::new(Severity::Warning, top.file, msg).in_sheet(top.sheet).at(det.header_row, p.sheet_col);
        issues.push(issue.column(def.col).value(p.header.clone()));
    }

    let title_cells: Vec<&str> =
        area[..det.header_row as usize].iter().flat_map(|r| r.iter().flatten().map(String::as_str)).collect();
    let sheet_period = sheet_period(kind, &title_cells, top);
    let file_name = top.file.rsplit('/').next().unwrap_or(top.file);
    let from_file_only = sheet_period.is_some()
        && det.period_col.is_none()
        && !title_cells.iter().any(|t| period::parse_period_text(t).is_some() || period::parse_year_text(t).is_some())
        && sheet_period == file_period(kind, file_name);
    if sheet_period.is_none() && det.period_col.is_none() && !det.has(Column::Year) {
        // A template whose 2025年X月 placeholder was never filled in says so.
        report.skipped_reason = Some(super::super::template_marks::no_period_reason(&title_cells));
        return Outcome::Skipped;
    }
    let parts = match wide {
        Some(parts) => parts,
        None if kind == Kind::Indicators && !det.has(Column::Indicator) => {
            let Some(name) = title_cells.iter().find_map(|t| indicator_from_title(t)) else {
                report.skipped_reason = Some(shapes::no_indicator_reason());
                return Outcome::Skipped;
            };
            vec![Part::whole(det.clone(), Some(name))]
        }
        None => vec![Part::whole(det.clone(), None)],
    };
    let whole_area = shapes::whole_area_region(&det, &title_cells);
    if kind == Kind::Indicators {
        report.layout = Some(match (&whole_area, det.has_repeats() || parts.iter().any(|p| p.value_cols.is_some())) {
            (Some(_), _) => IndicatorLayout::WholeArea,
            (None, true) => IndicatorLayout::Wide,
            (None, false) => IndicatorLayout::Long,
        });
    }
    report.period = sheet_period.map(|p| p.to_string());
    if from_file_only {
        // Loud when unsure (issue 8): a renamed file changes the period.
        let msg = format!(
            "报告期{}只取自文件名「{file_name}」，表内没有写明；请核对，或在表头上方的标题中写明（如“2025年1-3月…”）",
            report.period.as_deref().unwrap_or_default()
        );
        issues.push(Issue::new(Severity::Warning, top.file, msg).in_sheet(top.sheet));
    }
    let first_data_row = det.header_row + 1;
    Outcome::Found(Box::new(Found { det, first_data_row, sheet_period, parts, whole_area }))
}

/// Which header was taken for each canonical column, for the clerk
/// (`本年累计完成投资（F3）`), and the column letters, for naming cells. In a
/// wide table each value column is listed under its group
/// (`规上工业总产值：1-3月累计（B4）、固定资产投资：1-3月累计（D4）`).
fn report_columns(det: &Detection, report: &mut SheetReport) {
    for m in &det.columns {
        let name = det.defs()[m.canon].name().to_string();
        let group = m.group.as_ref().map(|g| format!("{}：", g.text)).filter(|_| det.has_repeats());
        let text = format!("{}{}（{}）", group.unwrap_or_default(), m.header, a1(det.header_row, m.sheet_col));
        report.columns.entry(name.clone()).and_modify(|t| *t = format!("{t}、{text}")).or_insert(text);
        report.column_letters.entry(name).or_insert_with(|| column_letters(m.sheet_col));
    }
}

/// The first rows as text, with merged regions filled from their top-left
/// cell, and the merged regions that lie in that area.
fn header_area(
    merges: &[Merge],
    buf: &[(u32, Vec<OwnedCell>)],
    height: usize,
) -> (Vec<Vec<Option<String>>>, Vec<Merge>) {
    let mut area: Vec<Vec<Option<String>>> = vec![Vec::new(); height];
    for (row, cells) in buf {
        if let Some(slot) = area.get_mut(*row as usize) {
            *slot = cells.iter().map(|c| c.as_cv().text().map(|t| t.into_owned())).collect();
        }
    }
    let mut header_merges = Vec::new();
    for &(r0, c0, r1, c1) in merges {
        if (r0 as usize) >= height || c1.saturating_sub(c0) > 512 {
            continue;
        }
        header_merges.push((r0, c0, r1, c1));
        let value = area[r0 as usize].get(c0 as usize).cloned().flatten();
        if value.is_none() {
            continue;
        }
        for r in r0..=r1.min(height as u32 - 1) {
            let row = &mut area[r as usize];
            if row.len() <= c1 as usize {
                row.resize(c1 as usize + 1, None);
            }
            for c in c0..=c1 {
                if row[c as usize].is_none() {
                    row[c as usize] = value.clone();
                }
            }
        }
    }
    (area, header_merges)
}

/// Report period: a title cell above the header, else the file name, else
/// the sheet name (SPEC §1.1; a period column on the rows wins later).
/// Targets carry a year.
fn sheet_period(kind: Kind, title_cells: &[&str], top: &Top<'_>) -> Option<Period> {
    let file_name = top.file.rsplit('/').next().unwrap_or(top.file);
    if kind == Kind::Targets {
        return title_cells
            .iter()
            .find_map(|t| period::parse_year_text(t))
            .or_else(|| period::parse_year_text(file_name))
            .or_else(|| period::parse_period_text(file_name).map(|p| p.year))
            .or_else(|| period::parse_bare_year(file_name))
            .map(Period::year);
    }
    title_cells
        .iter()
        .find_map(|t| period::parse_period_text(t))
        .or_else(|| period::parse_period_text(file_name))
        .or_else(|| period::parse_period_text(top.sheet))
}

/// The period a file name alone gives, as [`sheet_period`] reads it.
fn file_period(kind: Kind, file_name: &str) -> Option<Period> {
    if kind == Kind::Targets {
        return period::parse_year_text(file_name)
            .or_else(|| period::parse_period_text(file_name).map(|p| p.year))
            .or_else(|| period::parse_bare_year(file_name))
            .map(Period::year);
    }
    period::parse_period_text(file_name)
}

/// Whether merged regions could change the header found without them: empty
/// cells inside the header row or to the right of it within the table, or
/// more than a single title cell in the row above (a possible group row).
fn header_may_be_merged(area: &[Vec<Option<String>>], header_row: usize, used_cols: (u32, u32)) -> bool {
    let filled = |r: &Vec<Option<String>>| -> Vec<usize> {
        r.iter().enumerate().filter(|(_, c)| c.is_some()).map(|(i, _)| i).collect()
    };
    let header = filled(&area[header_row]);
    let (Some(&first), Some(&last)) = (header.first(), header.last()) else { return true };
    if header.len() != last - first + 1 || (last as u32) < used_cols.1 || (first as u32) > used_cols.0 {
        return true;
    }
    if header_row > 0 {
        // A unit line (`单位：万元`) above the header is not a group cell.
        let above: Vec<usize> = filled(&area[header_row - 1])
            .into_iter()
            .filter(|&c| area[header_row - 1][c].as_deref().is_some_and(|t| !fold_width_and_space(t).contains("单位:")))
            .collect();
        if above.len() > 1 || above.first().is_some_and(|&c| c != first) {
            return true;
        }
    }
    false
}

/// The indicator named in a title: `2023年1-3月规上工业增加值完成情况` → `规上工业增加值`.
pub fn indicator_from_title(title: &str) -> Option<String> {
    let t = normalize_label(title);
    let p = period::parse_period_text(&t)?;
    // Cut everything up to the end of the period expression.
    let month = p.month?;
    let mut rest: &str = &t;
    for marker in [format!("{month}月份"), format!("{month}月"), "季度".to_string(), "上半年".to_string()] {
        if let Some(pos) = rest.find(&marker) {
            rest = &rest[pos + marker.len()..];
            break;
        }
    }
    let mut name = rest.trim_start_matches(['底', '末', '份']).to_string();
    for suffix in ["完成情况表", "完成情况", "情况统计表", "统计表", "情况表", "一览表", "月报表", "月报", "情况", "表"]
    {
        if let Some(s) = name.strip_suffix(suffix) {
            name = s.to_string();
        }
    }
    // `全县规上工业增加值`: the whole area is the scope, not part of the name.
    if let Some(w) = super::markers::WHOLE_PREFIXES.iter().find(|w| name.starts_with(**w)) {
        name = name[w.len()..].to_string();
    }
    // A table's generic title names no indicator (issue 15): a sheet titled
    // `各乡镇主要经济指标` must not become one indicator of that name.
    let generic = name.starts_with('各') || ["指标", "经济运行", "乡镇", "地区"].iter().any(|g| name.contains(g));
    (!name.is_empty() && !generic && name.chars().count() <= 30).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indicator_titles() {
        assert_eq!(indicator_from_title("2023年1-3月规上工业增加值完成情况").as_deref(), Some("规上工业增加值"));
        assert_eq!(indicator_from_title("青山县2025年1—6月固定资产投资完成情况表").as_deref(), Some("固定资产投资"));
        assert_eq!(indicator_from_title("2023年3月份社会消费品零售总额").as_deref(), Some("社会消费品零售总额"));
        assert_eq!(indicator_from_title("重点项目表"), None);
        assert_eq!(indicator_from_title("2024年1-3月全县规上工业增加值完成情况").as_deref(), Some("规上工业增加值"));
        assert_eq!(indicator_from_title("2024年1-3月各乡镇主要经济指标完成情况"), None);
        assert_eq!(indicator_from_title("2024年1-3月各乡镇情况"), None);
    }
}
