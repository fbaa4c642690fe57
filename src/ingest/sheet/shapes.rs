//! Indicator reports in the shapes bureaus publish (SPEC §1.4, "Layouts").
//!
//! A 月报 comes as a long table (a row per indicator and region), as the
//! whole area's own table (`2024年1-3月全县主要经济指标`: 指标 | 单位 | 1-3月累计
//! | 同比增长, no region column), or as a wide table (a row per town, and a
//! merged group cell per indicator over its `1-3月累计 | 同比增长`). All three
//! must end as the same long rows, or the headline figures of the briefing
//! go missing without a word. This module decides the shape from the header
//! and, for a wide table, cuts the header into one *part* per indicator
//! group: each part is read over the same sheet rows as if it were a long
//! single-indicator table, so every rule of the long layout (units, totals,
//! duplicates, periods) applies to it unchanged.
//!
//! A table whose columns are regions (`指标 | 全县 | 城关镇 …`) does not fall
//! out of the same unpivot (its values carry no column meaning), so it is
//! recognised only to be skipped with a warning that says how to send it.

use super::super::columns;
use super::super::header::{Detection, Header, MappedColumn};
use super::super::values::fold_width_and_space;
use super::markers::WHOLE_PREFIXES;
use crate::model::{Column, Kind, WHOLE};

/// The value columns of an indicator row: what a wide group heads.
const VALUE_COLUMNS: [Column; 4] = [Column::ValueMonth, Column::ValueYtd, Column::ValueYtdLy, Column::GrowthReported];

/// Group cells that qualify their sub-headers (`本年` over `累计`) instead
/// of naming an indicator: a two-level long table, not a wide one.
const QUALIFIERS: [&str; 16] = [
    "本年",
    "今年",
    "去年",
    "上年",
    "本月",
    "当月",
    "累计",
    "同比",
    "本期",
    "上年同期",
    "去年同期",
    "增长",
    "增速",
    "完成",
    "完成情况",
    "绝对值",
];

/// Suffixes of a town-level region name, for telling a regions-across
/// table: the same list SPEC §1.4 gives for a region named in context.
const REGION_SUFFIXES: [&str; 8] = ["镇", "乡", "街道", "办事处", "区", "县", "市", "管委会"];

/// One indicator table read over a sheet's rows.
pub struct Part {
    /// The columns this part reads.
    pub det: Detection,
    /// The indicator every row takes when the part has no 指标 column: the
    /// wide group's name, or the title's for a single-indicator table.
    pub indicator: Option<String>,
    /// First and last sheet column of a wide part's values, for lineage.
    pub value_cols: Option<(u32, u32)>,
}

impl Part {
    /// The part of a long or whole-area table: the whole header.
    pub fn whole(det: Detection, indicator: Option<String>) -> Part {
        Part { det, indicator, value_cols: None }
    }
}

pub fn is_value_column(det: &Detection, m: &MappedColumn) -> bool {
    VALUE_COLUMNS.contains(&det.defs()[m.canon].col)
}

/// True when a group cell names an indicator rather than a ledger column or
/// a qualifier of its sub-headers.
fn names_indicator(group: &Header) -> bool {
    let t = group.text.as_str();
    t.chars().count() >= 2
        && !QUALIFIERS.contains(&t)
        && columns::match_header(Kind::Indicators, t).is_none()
        && columns::match_header(Kind::Projects, t).is_none()
}

/// The wide parts of an indicator header: one per group cell that names an
/// indicator, in column order, each with the shared columns (地区, 单位 …)
/// and its own value columns. `None` when the header is not wide.
pub fn wide_parts(det: &Detection) -> Option<Vec<Part>> {
    if det.kind != Kind::Indicators || det.has(Column::Indicator) {
        return None;
    }
    let mut values: Vec<&MappedColumn> =
        det.columns.iter().chain(&det.passed_over).filter(|m| is_value_column(det, m)).collect();
    values.sort_by_key(|m| m.sheet_col);
    let mut groups: Vec<&Header> = Vec::new();
    for g in values.iter().filter_map(|m| m.group.as_ref()).filter(|g| names_indicator(g)) {
        if !groups.iter().any(|x| x.text == g.text) {
            groups.push(g);
        }
    }
    if groups.is_empty() {
        return None;
    }
    let shared: Vec<MappedColumn> = det.columns.iter().filter(|m| !is_value_column(det, m)).cloned().collect();
    let parts = groups
        .iter()
        .map(|g| {
            let mut cols = shared.clone();
            let mine = values.iter().filter(|m| m.group.as_ref().is_some_and(|mg| mg.text == g.text));
            for m in mine {
                // The first sub-header of a canonical column in the group is taken.
                if !cols.iter().any(|c| c.canon == m.canon) {
                    cols.push((*m).clone());
                }
            }
            let first = cols.iter().filter(|m| is_value_column(det, m)).map(|m| m.sheet_col).min();
            let last = cols.iter().filter(|m| is_value_column(det, m)).map(|m| m.sheet_col).max();
            let part_det = Detection { columns: cols, passed_over: Vec::new(), ignored: Vec::new(), ..det.clone() };
            Part { det: part_det, indicator: Some(g.text.clone()), value_cols: first.zip(last) }
        })
        .collect();
    Some(parts)
}

/// The header of a wide table as the row-level jobs see it: every column
/// of every group, so that a row with values only in its last group is not
/// taken for blank. The look-alike warnings do not apply: in a wide table
/// the same sub-header under each group is the layout, not a doubt.
pub fn widen(det: &mut Detection) {
    let more = std::mem::take(&mut det.passed_over);
    for m in more {
        det.ignored.retain(|h| *h != m.header.split_whitespace().collect::<String>());
        det.columns.push(m);
    }
    det.columns.sort_by_key(|m| m.sheet_col);
}

/// The region of a whole-area table: an indicator column and values but no
/// region column (SPEC §1.4). Its rows are the whole, named as the title
/// names it (`全县`), else the whole's own label.
pub fn whole_area_region(det: &Detection, title_cells: &[&str]) -> Option<String> {
    if det.kind != Kind::Indicators || !det.has(Column::Indicator) || det.has(Column::Region) {
        return None;
    }
    let word = title_cells.iter().find_map(|t| {
        let t = fold_width_and_space(t);
        WHOLE_PREFIXES.iter().find(|w| t.contains(**w)).map(|w| w.to_string())
    });
    Some(word.unwrap_or_else(|| WHOLE.to_string()))
}

/// A table whose columns are regions (`指标 | 全县 | 城关镇 | 白水镇`): a row
/// in the header area with an 指标 cell and at least two region names. The
/// header cell of the first region, for the warning.
pub fn regions_across(area: &[Vec<Option<String>>]) -> Option<(u32, String)> {
    area.iter().enumerate().find_map(|(r, row)| {
        let cells: Vec<String> = row.iter().flatten().map(|c| fold_width_and_space(c).into_owned()).collect();
        let has_indicator = cells.iter().any(|c| c == "指标" || c == "指标名称");
        let regions: Vec<&String> = cells.iter().filter(|c| is_region_name(c)).collect();
        (has_indicator && regions.len() >= 2).then(|| (r as u32, regions[0].clone()))
    })
}

fn is_region_name(text: &str) -> bool {
    let n = text.chars().count();
    WHOLE_PREFIXES.contains(&text)
        || (2..=8).contains(&n) && REGION_SUFFIXES.iter().any(|s| text.ends_with(s) && text != *s)
}

/// Why a regions-across table is skipped, for the clerk.
pub fn regions_across_reason(row: u32, first_region: &str) -> String {
    format!(
        "第{}行像“地区横排”的指标表（各列是地区，如「{first_region}」），各列数值的含义（本年累计还是增速）无法确定，未读取；\
         请改为每行一个地区、每列一个数值（地区 | 指标名称 | 本年累计 | 增速），或每个指标一个合并表头（如“规上工业总产值”下分“1-3月累计 | 同比增长”）",
        row + 1
    )
}

/// Why an indicator table without an 指标 column cannot be read.
pub fn no_indicator_reason() -> String {
    "像按地区排列的经济指标表，但没有“指标名称”列，表头上方的标题中也未写明指标（如“2023年1-3月规上工业增加值完成情况”），\
     也不是宽表（各指标名称写在合并的分组表头中、下分“1-3月累计 | 同比增长”）；请补上其中一种"
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_cells_that_qualify_are_not_indicators() {
        let h = |t: &str| Header { text: t.into(), unit: None };
        assert!(names_indicator(&h("规上工业总产值")));
        assert!(names_indicator(&h("固定资产投资")));
        assert!(!names_indicator(&h("本年")));
        assert!(!names_indicator(&h("累计")));
        assert!(!names_indicator(&h("地区")));
    }

    #[test]
    fn region_names_for_a_regions_across_table() {
        let row = |cells: &[&str]| cells.iter().map(|c| Some(c.to_string())).collect::<Vec<_>>();
        let area = vec![row(&["2024年1-3月主要指标"]), row(&["指标", "全县", "城关镇", "白水镇"])];
        assert_eq!(regions_across(&area), Some((1, "全县".to_string())));
        let long = vec![row(&["地区", "指标名称", "本年累计"])];
        assert_eq!(regions_across(&long), None);
    }
}
