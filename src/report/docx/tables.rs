//! The key tables of briefing.docx as real Word tables: what the report
//! shows (by region, the indicators, problem handling, the overdue list) and
//! how a 公文 sets a table (numbered title above, unit line, numbers right-
//! aligned, the header row repeated on every page).
//!
//! The cells are the Report's figures written with the same formatting
//! functions as the HTML tables and the article; nothing is computed here.

use super::layout::{self, DocxFonts};
use super::Topic;
use crate::model::{Grouped, ProblemFigures, Report};
use crate::report::views::indicator_views;
use crate::report::wording::{fmt_signed, fmt_thousands, round_half_up};
use docx_rs::{
    AlignmentType, HeightRule, LineSpacing, LineSpacingType, Paragraph, Run, Table, TableCell, TableCellMargins,
    TableLayoutType, TableRow, VAlignType, WidthType,
};

/// Overdue problems listed by name in the document; the rest are counted
/// (the workbook's 逾期督办 sheet has them all). Fewer than the HTML's 50:
/// a printed page holds about 20 rows.
pub const OVERDUE_SHOWN: usize = 20;

/// The height of a header row, in twips. Header rows are told apart from
/// body rows by this figure when `w:tblHeader` is added (see [`mark_header_rows`]).
const HEADER_ROW_TWIPS: f32 = 454.0;
/// Body rows: at least 7 mm.
const BODY_ROW_TWIPS: f32 = 397.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Centre,
    Right,
}

#[derive(Debug, Clone)]
pub struct Column {
    pub header: &'static str,
    /// Share of the table's width.
    pub weight: u32,
    pub align: Align,
}

/// A table as the document shows it: title, unit line, columns, rows of
/// text, and an optional note below.
#[derive(Debug, Clone)]
pub struct TableSpec {
    pub topic: Topic,
    pub title: String,
    pub unit: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
    pub note: Option<String>,
    /// Size of the cells' text: 小四 (12 pt), or 五号 (10.5 pt) for a table
    /// of long texts (the overdue list), so its columns stay readable.
    pub pt: f64,
}

fn col(header: &'static str, weight: u32, align: Align) -> Column {
    Column { header, weight, align }
}

fn opt(x: Option<f64>, f: impl Fn(f64) -> String) -> String {
    x.map(f).unwrap_or_else(|| "—".to_string())
}

/// A rate in a column headed `（%）`: one decimal, no sign.
fn rate(x: Option<f64>) -> String {
    opt(x, |v| format!("{:.1}", round_half_up(v, 1)))
}

fn rank(r: Option<i64>) -> String {
    r.map(|r| r.to_string()).unwrap_or_else(|| "—".to_string())
}

/// Every key table of the report that has rows, in the order of the briefing.
pub fn tables(report: &Report, scope: &str) -> Vec<TableSpec> {
    [projects_by_region(report, scope), indicators(report), problem_handling(report, scope), overdue(report)]
        .into_iter()
        .flatten()
        .collect()
}

fn projects_by_region(report: &Report, scope: &str) -> Option<TableSpec> {
    let p = &report.projects;
    if p.by_region.is_empty() {
        return None;
    }
    let row = |label: &str, f: &crate::model::ProjectFigures, r: String| {
        vec![
            label.to_string(),
            f.count.to_string(),
            opt(f.plan, |v| fmt_thousands(v, 2)),
            opt(f.done, |v| fmt_thousands(v, 2)),
            rate(f.completion_rate),
            f.flag.map(|f| f.label().to_string()).unwrap_or_else(|| "—".into()),
            r,
        ]
    };
    let mut rows = vec![row(scope, &p.total, "—".into())];
    rows.extend(p.by_region.iter().map(|g| row(&g.label, &g.figures, rank(g.rank))));
    Some(TableSpec {
        topic: Topic::Projects,
        title: "各地区重点项目投资完成情况".into(),
        unit: "单位：个、万元、%".into(),
        columns: vec![
            // Weights sized for 小四 headers: 进度 holds 严重滞后 on one line.
            col("地区", 13, Align::Left),
            col("项目数", 11, Align::Right),
            col("年度计划投资", 18, Align::Right),
            col("本年累计完成投资", 18, Align::Right),
            col("完成率", 11, Align::Right),
            col("进度", 14, Align::Centre),
            col("排名", 8, Align::Centre),
        ],
        rows,
        note: Some(format!("注：时序进度为{}%。", rate(Some(p.total.time_progress)))),
        pt: layout::TABLE_PT,
    })
}

fn indicators(report: &Report) -> Option<TableSpec> {
    let rows: Vec<Vec<String>> = indicator_views(report)
        .iter()
        .filter_map(|v| v.whole.map(|w| (v, w)))
        .map(|(v, w)| {
            vec![
                v.name.to_string(),
                v.unit.unwrap_or("—").to_string(),
                opt(w.ytd, |x| fmt_thousands(x, 2)),
                opt(w.ytd_ly, |x| fmt_thousands(x, 2)),
                rate(w.growth),
                rate(w.target_growth),
                opt(w.gap_pp, |x| fmt_signed(x, 1)),
            ]
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    Some(TableSpec {
        topic: Topic::Indicators,
        title: "主要经济指标完成情况".into(),
        unit: "增速单位：%；差距单位：百分点".into(),
        // Widths worked out for 小四 (12 pt) in a 156 mm block with 3 pt
        // cell margins either side: a province's 万元 total runs to 14
        // characters (`146,044,427.00`: 11 digits at 6 pt, 3 marks at 3 pt,
        // 81 pt with margins) and needs 18.3 %, so 20 %; a four-character
        // header (同比增长, 54 pt) needs 12.2 %, so 13 %, and stays on one
        // line. Names wrap; 计量单位 stacks 2 + 2 (see `header_lines`).
        columns: vec![
            col("指标", 13, Align::Left),
            col("计量单位", 8, Align::Centre),
            col("本年累计", 20, Align::Right),
            col("去年同期", 20, Align::Right),
            col("同比增长", 13, Align::Right),
            col("目标增速", 13, Align::Right),
            col("与目标差", 13, Align::Right),
        ],
        rows,
        note: None,
        pt: layout::TABLE_PT,
    })
}

/// By the cadres' units (ranked), else by category when the ledger names no units.
fn problem_handling(report: &Report, scope: &str) -> Option<TableSpec> {
    let v = &report.visits;
    let (groups, key_header, title): (&[Grouped<ProblemFigures>], &'static str, &str) = if !v.by_unit.is_empty() {
        (&v.by_unit, "包联单位", "各包联单位问题办理情况")
    } else if !v.by_category.is_empty() {
        (&v.by_category, "问题类别", "分类别问题办理情况")
    } else {
        return None;
    };
    let row = |label: &str, f: &ProblemFigures, r: String| {
        vec![
            label.to_string(),
            f.problems.to_string(),
            f.resolved.to_string(),
            f.in_progress.to_string(),
            f.unresolvable.to_string(),
            rate(f.resolution_rate),
            r,
        ]
    };
    let total = v.whole();
    let mut rows = vec![row(scope, &total, "—".into())];
    rows.extend(groups.iter().map(|g| row(&g.label, &g.figures, rank(g.rank))));
    Some(TableSpec {
        topic: Topic::Visits,
        title: title.into(),
        unit: "单位：个、%".into(),
        columns: vec![
            col(key_header, 22, Align::Left),
            col("问题数", 12, Align::Right),
            col("已解决", 12, Align::Right),
            col("办理中", 12, Align::Right),
            col("无法解决", 12, Align::Right),
            col("解决率", 12, Align::Right),
            col("排名", 9, Align::Centre),
        ],
        rows,
        note: None,
        pt: layout::TABLE_PT,
    })
}

fn overdue(report: &Report) -> Option<TableSpec> {
    let mut items: Vec<_> = report.visits.overdue.iter().collect();
    if items.is_empty() {
        return None;
    }
    // Worst first, stably (the Report already orders it so).
    items.sort_by_key(|o| std::cmp::Reverse(o.days_overdue));
    // The report lists the worst only; the count is of all of them.
    let total = items.len().max(report.visits.overdue_count.max(0) as usize);
    let rows = items
        .iter()
        .take(OVERDUE_SHOWN)
        .enumerate()
        .map(|(i, o)| {
            vec![
                (i + 1).to_string(),
                o.enterprise.clone(),
                o.problem.clone(),
                o.region.clone().unwrap_or_else(|| "—".into()),
                o.cadre_unit.clone().unwrap_or_else(|| "—".into()),
                o.deadline.clone(),
                o.days_overdue.to_string(),
                format!("{}色", o.colour.as_str()),
            ]
        })
        .collect();
    let rest = total.saturating_sub(OVERDUE_SHOWN);
    Some(TableSpec {
        topic: Topic::Visits,
        title: "逾期未办结问题督办清单".into(),
        unit: "单位：天".into(),
        columns: vec![
            // A date (2025-04-09) fits its column on one line at 五号.
            col("序号", 8, Align::Centre),
            col("企业名称", 19, Align::Left),
            col("问题", 24, Align::Left),
            col("地区", 10, Align::Centre),
            col("包联单位", 12, Align::Centre),
            col("办结时限", 15, Align::Centre),
            col("逾期天数", 9, Align::Right),
            col("督办等级", 9, Align::Centre),
        ],
        rows,
        note: (rest > 0).then(|| {
            format!("注：以上列出逾期最久的{OVERDUE_SHOWN}个问题，另有{rest}个逾期问题未列出（完整清单见 briefing.xlsx「逾期督办」工作表）。")
        }),
        pt: 10.5,
    })
}

// ---- as Word elements

fn alignment(a: Align) -> AlignmentType {
    match a {
        Align::Left => AlignmentType::Left,
        Align::Centre => AlignmentType::Center,
        Align::Right => AlignmentType::Right,
    }
}

/// A line outside the body's grid: own font size, single spacing, no indent.
pub fn loose_paragraph(text: &str, font: &str, fonts: &DocxFonts, pt: f64, align: AlignmentType) -> Paragraph {
    loose_run(layout::run(text, font, fonts, pt), align)
}

/// A paragraph of one run (lines, an image), set as [`loose_paragraph`] sets it.
pub fn loose_run(run: Run, align: AlignmentType) -> Paragraph {
    Paragraph::new()
        .add_run(run)
        .align(align)
        .snap_to_grid(false)
        .line_spacing(LineSpacing::new().line_rule(LineSpacingType::Auto).line(240).before(0).after(0))
}

/// The title (`表1　…`, centred, 黑体 4号) and unit line (right) above a table.
pub fn title_and_unit(spec: &TableSpec, number: usize, fonts: &DocxFonts) -> [Paragraph; 2] {
    let title = loose_paragraph(
        &format!("表{number}　{}", spec.title),
        &fonts.heading1_font,
        fonts,
        layout::PAGE_NUMBER_PT,
        AlignmentType::Center,
    )
    .line_spacing(LineSpacing::new().line_rule(LineSpacingType::Auto).line(240).before(120).after(60))
    .keep_next(true);
    let unit =
        loose_paragraph(&spec.unit, &fonts.body_font, fonts, layout::TABLE_PT, AlignmentType::Right).keep_next(true);
    [title, unit]
}

/// The table itself, as wide as the text block.
pub fn word_table(spec: &TableSpec, fonts: &DocxFonts) -> Table {
    let width = layout::twips(layout::BLOCK_WIDTH_MM) as usize;
    let total_weight: u32 = spec.columns.iter().map(|c| c.weight).sum::<u32>().max(1);
    let widths: Vec<usize> = spec.columns.iter().map(|c| width * c.weight as usize / total_weight as usize).collect();
    let in_cell = |p: Paragraph, w: usize| {
        TableCell::new().add_paragraph(p).width(w, WidthType::Dxa).vertical_align(VAlignType::Center)
    };
    let cell = |text: &str, w: usize, align: Align, font: &str| match body_lines(text, w, spec.pt) {
        Some(lines) => in_cell(loose_run(layout::lines_run(&lines, font, fonts, spec.pt), alignment(align)), w),
        None => in_cell(loose_paragraph(text, font, fonts, spec.pt, alignment(align)), w),
    };
    let header_cell = |text: &str, w: usize| {
        let lines = header_lines(text, w, spec.pt);
        let run = layout::lines_run(&lines, &fonts.heading1_font, fonts, spec.pt);
        in_cell(loose_run(run, AlignmentType::Center), w)
    };
    let header = TableRow::new(spec.columns.iter().zip(&widths).map(|(c, w)| header_cell(c.header, *w)).collect())
        .row_height(HEADER_ROW_TWIPS)
        .height_rule(HeightRule::AtLeast)
        .cant_split();
    let mut rows = vec![header];
    for r in &spec.rows {
        let cells = spec
            .columns
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (c, w))| cell(r.get(i).map(String::as_str).unwrap_or(""), *w, c.align, &fonts.body_font))
            .collect();
        rows.push(TableRow::new(cells).row_height(BODY_ROW_TWIPS).height_rule(HeightRule::AtLeast).cant_split());
    }
    Table::new(rows)
        .set_grid(widths)
        .width(width, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        // 3 pt either side instead of Word's 5.4 pt: room for eight columns.
        .margins(TableCellMargins::new().margin(0, CELL_MARGIN_TWIPS, 0, CELL_MARGIN_TWIPS))
}

/// The cells' left and right margins, in twips (3 pt).
const CELL_MARGIN_TWIPS: usize = 60;

/// The lines of a body cell of Chinese text that wraps, when Word's own
/// wrapping would leave one character alone on the last line (社会消费|品零售总|额):
/// then the line before gives that character a companion (社会消费|品零售|总额),
/// as a typesetter avoids a 孤字. Only text of Chinese characters is set
/// here, whose width is exactly one em a character; anything with Latin
/// letters, digits or punctuation (which Word keeps off a line's start or
/// end), and any text that wraps well, is left to Word (None).
fn body_lines(text: &str, width_twips: usize, pt: f64) -> Option<Vec<String>> {
    if text.is_empty() || text.chars().any(|c| c.is_ascii() || !c.is_alphabetic()) {
        return None;
    }
    let chars: Vec<char> = text.chars().collect();
    let per_line = chars_per_line(width_twips, pt);
    if per_line < 2 || chars.len() % per_line != 1 || chars.len() < per_line {
        return None;
    }
    let mut lines: Vec<String> = chars.chunks(per_line).map(|c| c.iter().collect()).collect();
    let last = lines.len() - 1;
    let moved = lines[last - 1].pop()?;
    lines[last].insert(0, moved);
    Some(lines)
}

/// How many one-em characters a column holds on a line, at least one.
fn chars_per_line(width_twips: usize, pt: f64) -> usize {
    let room_pt = (width_twips.saturating_sub(2 * CELL_MARGIN_TWIPS)) as f64 / 20.0;
    ((room_pt / pt).floor() as usize).max(1)
}

/// A header cut into the fewest lines its column holds, of even length
/// (计量|单位, not 计量单|位): a 公文 table stacks a long header rather than
/// leave one character on a line of its own, which is what Word's own
/// wrapping does. Each character is taken as one em, as CJK text is.
fn header_lines(header: &str, width_twips: usize, pt: f64) -> Vec<String> {
    let chars: Vec<char> = header.chars().collect();
    let lines = chars.len().div_ceil(chars_per_line(width_twips, pt)).max(1);
    // The first `n % lines` lines take one character more: 3 + 2 + 2 for
    // seven characters in three lines, never 3 + 3 + 1.
    let (base, extra) = (chars.len() / lines, chars.len() % lines);
    let mut out = Vec::with_capacity(lines);
    let mut rest = &chars[..];
    for i in 0..lines {
        let (line, tail) = rest.split_at((base + usize::from(i < extra)).min(rest.len()));
        out.push(line.iter().collect());
        rest = tail;
    }
    out
}

/// Adds `w:tblHeader` to every header row, so Word and LibreOffice repeat
/// it at the top of each page a table runs onto. docx-rs has no setter for
/// it; header rows are the only rows of [`HEADER_ROW_TWIPS`], so the mark is
/// put beside exactly their height element in the finished XML.
pub fn mark_header_rows(document_xml: &[u8]) -> Vec<u8> {
    let height = format!("<w:trHeight w:val=\"{HEADER_ROW_TWIPS}\" w:hRule=\"atLeast\" />");
    let marked = format!("<w:tblHeader />{height}");
    match std::str::from_utf8(document_xml) {
        Ok(xml) => xml.replace(&height, &marked).into_bytes(),
        // docx-rs writes UTF-8; anything else is left as it is.
        Err(_) => document_xml.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use docx_rs::BuildXML;

    #[test]
    fn header_rows_and_only_they_are_repeated() {
        let spec = TableSpec {
            topic: Topic::Visits,
            title: "t".into(),
            unit: "u".into(),
            columns: vec![col("a", 1, Align::Left), col("b", 1, Align::Right)],
            rows: vec![vec!["x".into(), "1".into()], vec!["y".into(), "2".into()]],
            note: None,
            pt: 12.0,
        };
        let xml = word_table(&spec, &DocxFonts::default()).build();
        let marked = String::from_utf8(mark_header_rows(&xml)).unwrap();
        assert_eq!(marked.matches("<w:tblHeader />").count(), 1, "{marked}");
        assert_eq!(marked.matches("<w:tr>").count() + marked.matches("<w:tr ").count(), 3);
        // The header row comes first.
        assert!(marked.find("<w:tblHeader />") < marked.find(">x<"));
    }

    #[test]
    fn headers_stack_in_even_lines() {
        // At 12 pt a column of 45 pt holds three characters (45 − 6 = 39 pt
        // of room); 900 twips = 45 pt.
        let lines = |h: &str, twips: usize| header_lines(h, twips, 12.0);
        assert_eq!(lines("同比增长", 900), ["同比", "增长"]);
        assert_eq!(lines("排名", 900), ["排名"]);
        // Seven characters in three lines: 3 + 2 + 2.
        assert_eq!(lines("本年累计完成投", 900), ["本年累", "计完", "成投"]);
        // 54 pt (1080 twips) holds four: one line.
        assert_eq!(lines("同比增长", 1080), ["同比增长"]);
        // A column too narrow for one character still shows it, one a line.
        assert_eq!(lines("地区", 100), ["地", "区"]);
    }

    #[test]
    fn a_lone_last_character_gets_a_companion() {
        // 1080 twips = 54 pt, less 6 pt of margins: four characters a line at 12 pt.
        let lines = |t: &str| body_lines(t, 1080, 12.0);
        assert_eq!(lines("社会消费品零售总额").unwrap(), ["社会消费", "品零售", "总额"]);
        assert_eq!(lines("规上工业增").unwrap(), ["规上工", "业增"]);
        // Wrapping well, fitting, or with digits: left to Word.
        assert_eq!(lines("一般公共预算收入"), None);
        assert_eq!(lines("规上工业"), None);
        assert_eq!(lines("规上工业增加值"), None);
        assert_eq!(lines("30万元奖补资"), None);
        assert_eq!(lines("丰（集团）"), None, "five characters, but punctuation");
    }
}
