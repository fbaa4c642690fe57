//! February's key-projects ledger sent one file per town (issue 16).
//!
//! Many counties have each town send its own file, without a region column
//! because to the town it is obvious. The sample's February ledger comes that
//! way: the same rows as a combined ledger would have, split into twelve
//! files under `重点项目/2025年2月各乡镇/`, each town named in a different place
//! in turn — the title, the sheet name, the file name, a folder of its own —
//! and the others carrying the county template's title (`青山县…`), which
//! names the whole county and not a town. The figures are those of one
//! combined ledger, so nothing in `expected.json`'s truth changes.

use super::common::*;
use super::projects::*;
use super::{FileSummary, SheetSummary};
use anyhow::{Context, Result};

/// The month whose projects ledger is sent one file per town.
pub(super) const TOWN_MONTH: u32 = 2;

const FOLDER: &str = "重点项目/2025年2月各乡镇";

/// Where the town of file `town` is named: (relative path, sheet name,
/// title, note, the source's word in the check report).
fn placement(town: usize, month: u32) -> (String, String, String, &'static str, &'static str) {
    let name = TOWNS[town];
    let county_title = format!("{COUNTY}2025年1-{month}月重点项目建设进展情况表");
    let file = format!("2025年1-{month}月重点项目台账.xlsx");
    let sheet = format!("{month}月");
    match town % 4 {
        0 => (
            format!("{FOLDER}/{:02}_{file}", town + 1),
            sheet,
            format!("{name}2025年1-{month}月重点项目建设进展情况表"),
            "the town only in the title",
            "标题",
        ),
        1 => (
            format!("{FOLDER}/{:02}_{file}", town + 1),
            name.to_string(),
            county_title,
            "the town only in the sheet name",
            "工作表名",
        ),
        2 => (format!("{FOLDER}/{name}_{file}"), sheet, county_title, "the town only in the file name", "文件名"),
        _ => (format!("{FOLDER}/{name}/{file}"), sheet, county_title, "the town only in its folder", "文件夹"),
    }
}

/// Writes the month's ledger as one file per town, without a region column.
pub(super) fn write_town_files(g: &mut Gen, model: &ProjectModel, lay: &ProjLayout) -> Result<()> {
    for (town, name) in TOWNS.iter().enumerate() {
        let (rel, sheet, title, note, source) = placement(town, lay.month);
        let mut wb = new_workbook(&title)?;
        let ws = add_sheet(&mut wb, g.streamed, &sheet)?;
        let mut summary = write_town_sheet(g, ws, model, lay, town, (&sheet, &title, note))?;
        summary.region_from = Some(format!("地区取自{source}「{name}」"));
        let path = g.out.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        wb.save(&path).with_context(|| format!("cannot write {rel}"))?;
        g.files.push(FileSummary { path: rel, sheets: vec![summary] });
    }
    Ok(())
}

/// One town's sheet: title, header without the region column, its projects, notes.
fn write_town_sheet(
    g: &mut Gen,
    ws: &mut rust_xlsxwriter::Worksheet,
    model: &ProjectModel,
    lay: &ProjLayout,
    town: usize,
    names: (&str, &str, &str),
) -> Result<SheetSummary> {
    let (sheet, title, note) = names;
    let own = ProjLayout {
        cols: lay.cols.iter().filter(|c| c.f != PF::Region).map(|c| pc(&c.head, c.f)).collect(),
        title: title.to_string(),
        ..*lay
    };
    let f = &g.f;
    let ncol = own.cols.len() as u16;
    ws.merge_range(0, 0, 0, ncol - 1, title, &f.title)?;
    for (c, col) in own.cols.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, &col.head, &f.head)?;
        ws.set_column_width(c as u16, if col.f == PF::Name { 36.0 } else { 12.0 })?;
    }
    let mut summary = SheetSummary::new(sheet, "projects", format!("2025-{:02}", lay.month), 2);
    summary.note = Some(format!("{note}; no region column; {}", lay.note));
    let (mut rejections, mut issues) = (Vec::new(), Vec::new());
    let first = town as u64 * model.per_town;
    let mut row = 2;
    for (seq, i) in (first..first + model.per_town).enumerate() {
        let p = model.project(i)?;
        let (cells, class) = project_row(&p, &own, row, seq as u64 + 1, true, &mut rejections, &mut issues)?;
        put_row(ws, f, row, &cells)?;
        summary.count(class);
        row += 1;
    }
    write_notes(ws, f, row, &format!("注：本表金额单位为万元；数据截至{}月底。", lay.month))?;
    Ok(summary)
}
