//! The 月报 in the shapes bureaus publish besides the long table (SPEC §1.4
//! "Layouts", issue 15): April 2025 arrives as one wide by-town sheet, and
//! June 2025 leads with the county's own whole-area table.
//!
//! The wide sheet carries the same figures the long sheets of the other
//! months carry, so April's accounting in `expected.json` and May's 环比
//! (which needs April's 本月) must come out as if it were long. The
//! whole-area sheet adds 地区生产总值, an indicator with no by-town table:
//! the headline the article leads with, which the truth checks.

use super::common::*;
use super::indicators::{gsgy_total_growth, ind_rows, IndBlock, IndRow};
use super::*;
use rust_xlsxwriter::Workbook;

/// 地区生产总值 of 2025 H1 as the bureau reports it: 亿元, and its growth.
pub(super) const GDP_H1: (f64, f64) = (86.53, 5.8);
pub(super) const GDP: &str = "地区生产总值";

/// 固定资产投资 and 一般公共预算收入 of month `m`, a row per town and a group
/// of four value columns per indicator under a merged group cell.
pub(super) fn write_wide_sheet(g: &mut Gen, wb: &mut Workbook, year: i32, m: u32) -> Result<SheetSummary> {
    let sheet = "各乡镇";
    let blocks = [IndBlock::new(Ind::Fai), IndBlock::new(Ind::Budget)];
    let subs = ["本月".to_string(), format!("1-{m}月累计"), "去年同期".into(), "增速（%）".into()];
    let ws = add_sheet(wb, g.streamed, sheet)?;
    let f = &g.f;
    let ncol = 1 + 4 * blocks.len() as u16;
    ws.set_column_width(0, 16.0)?;
    for c in 1..ncol {
        ws.set_column_width(c, 12.0)?;
    }
    let title = format!("{COUNTY}{}各乡镇主要经济指标完成情况", period_text(year, m));
    ws.merge_range(0, 0, 0, ncol - 1, &title, &f.title)?;
    // A scaled sample is streamed (low-memory mode), where a row is final
    // once a later one is written: every group cell of row 1 goes before
    // the 地区 merge reaches row 2 (rust_xlsxwriter drops late cells with
    // only a message on stderr). The 1× sample keeps its merge order, so its
    // files stay byte for byte the same.
    if !g.streamed {
        ws.merge_range(1, 0, 2, 0, "地区", &f.head)?;
    }
    for (i, b) in blocks.iter().enumerate() {
        let c0 = 1 + 4 * i as u16;
        ws.merge_range(1, c0, 1, c0 + 3, &format!("{}（万元）", b.ind.name()), &f.head)?;
    }
    if g.streamed {
        ws.merge_range(1, 0, 2, 0, "地区", &f.head)?;
    }
    for i in 0..blocks.len() {
        let c0 = 1 + 4 * i as u16;
        for (j, h) in subs.iter().enumerate() {
            ws.write_string_with_format(2, c0 + j as u16, h, &f.head)?;
        }
    }
    let mut summary = SheetSummary::new(sheet, "indicators", format!("{year}-{m:02}"), 3);
    summary.note = Some("wide: a row per town, 固定资产投资 and 一般公共预算收入 each a merged group over 本月 | 1-N月累计 | 去年同期 | 增速; 合计 last".into());
    let rows: Vec<Vec<IndRow>> = blocks.iter().map(|b| ind_rows(b, year, m)).collect();
    let mut row = 3u32;
    for (a, b) in rows[0].iter().zip(&rows[1]) {
        let mut cells = vec![a.region.clone()];
        for r in [a, b] {
            let num = |v: Option<f64>| v.map_or(Cell::Empty, Cell::Num);
            cells.extend([num(r.month), num(r.ytd), num(r.ly), num(r.growth)]);
        }
        put_row(ws, f, row, &cells)?;
        summary.count(a.class);
        row += 1;
    }
    write_notes(ws, f, row, "注：本表数据来源于县统计局，增速按可比价计算。")?;
    Ok(summary)
}

/// The county's own table of H1: no region column, every row the whole.
pub(super) fn write_whole_area_sheet(g: &mut Gen, wb: &mut Workbook, year: i32, m: u32) -> Result<SheetSummary> {
    let sheet = "全县主要指标";
    let ws = add_sheet(wb, g.streamed, sheet)?;
    let f = &g.f;
    for (c, w) in [20.0, 8.0, 14.0, 12.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.merge_range(0, 0, 0, 3, &format!("{COUNTY}{year}年上半年全县主要经济指标"), &f.title)?;
    let heads = ["指标", "单位", &format!("1-{m}月累计"), "同比增长（%）"].map(Cell::text);
    put_row(ws, f, 1, &heads)?;
    put_row(ws, f, 2, &[Cell::text(GDP), Cell::text("亿元"), Cell::Num(GDP_H1.0), Cell::Num(GDP_H1.1)])?;
    // The same growth the by-town sheet's 全县 row reports: a cross-check that agrees.
    let gsgy = [Cell::text(Ind::Gsgy.name()), Cell::text("%"), Cell::Empty, Cell::Num(gsgy_total_growth(year, m))];
    put_row(ws, f, 3, &gsgy)?;
    write_notes(ws, f, 4, "注：地区生产总值为初步核算数。")?;
    let mut summary = SheetSummary::new(sheet, "indicators", format!("{year}-{m:02}"), 2);
    summary.count(RowClass::Accepted);
    summary.count(RowClass::Accepted);
    summary.note = Some("whole-area: 指标 | 单位 | 1-6月累计 | 同比增长 and no region column; 地区生产总值 has no by-town table (the headline)".into());
    Ok(summary)
}
