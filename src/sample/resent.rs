//! A re-sent ledger (SPEC §1.4): 白水镇 re-sends its block of the June
//! projects ledger as `…（修订）.xlsx`, the way towns correct a return after
//! the office has already filed it.
//!
//! The re-sent rows carry the same keys as the originals, so each project
//! must count once: if statbrief added the file on top, June's 35 projects
//! would read 38 and 白水镇's plan and completion would double, and the
//! truth in `expected.json` (computed from the model, with each project once)
//! would catch it. The values are the model's own, so the figures stand
//! whichever of the two rows wins.

use super::common::*;
use super::projects::{ProjectModel, P_DUPLICATE, P_ERR_DONE, P_ERR_TOTAL, P_TBD_DONE};
use super::*;

/// 白水镇: no planted bad cell of the June ledger lies in its block, so the
/// original rows are all accepted and all superseded.
const TOWN: usize = 1;

pub(super) fn write_resent_file(g: &mut Gen, model: &ProjectModel) -> Result<()> {
    let rel = "重点项目/2025年6月重点项目台账（修订）.xlsx".to_string();
    let sheet = "白水镇";
    let title = format!("{}2025年上半年重点项目建设进展情况（修订）", TOWNS[TOWN]);
    let first = TOWN as u64 * model.per_town;
    let block = first..first + model.per_town;
    if [P_ERR_DONE, P_DUPLICATE, P_ERR_TOTAL, P_TBD_DONE].iter().any(|p| block.contains(p)) {
        bail!("the re-sent town holds a planted cell");
    }
    let mut wb = new_workbook(&title)?;
    // Every column of the original: a re-sent row replaces the original
    // row whole (SPEC §1.4), so a town re-sends its full rows.
    let heads = [
        "项目编号",
        "项目名称",
        "所属地区",
        "产业链",
        "项目级别",
        "包抓领导",
        "责任单位",
        "总投资",
        "年度计划投资",
        "1-6月累计完成投资",
        "项目状态",
        "开工日期",
    ];
    let summary = {
        let f = &g.f;
        let ws = add_sheet(&mut wb, g.streamed, sheet)?;
        ws.merge_range(0, 0, 0, heads.len() as u16 - 1, &title, &f.title)?;
        ws.write_string(1, 0, "单位：万元")?;
        put_row(ws, f, 2, &heads.map(Cell::text))?;
        let mut summary = SheetSummary::new(sheet, "projects", "2025-06".into(), 3);
        summary.note =
            Some("a town's block re-sent as （修订）: the same keys as the June ledger, each counted once".into());
        for (row, i) in (3u32..).zip(block) {
            let p = model.project(i)?;
            let cells = [
                Cell::text(&p.id),
                Cell::text(&p.name),
                Cell::text(TOWNS[p.town]),
                Cell::text(p.chain),
                Cell::text(p.level),
                Cell::text(p.leader),
                Cell::text(&p.resp),
                Cell::Num(p.total),
                Cell::Num(p.plan),
                Cell::Num(p.done[6]),
                Cell::text(p.status_text(6)),
                p.start_shown(6).map_or(Cell::Empty, |d| Cell::Date(d, false)),
            ];
            put_row(ws, f, row, &cells)?;
            summary.count(RowClass::Accepted);
        }
        summary
    };
    wb.save(g.out.join(&rel)).with_context(|| format!("cannot write {rel}"))?;
    g.issue(
        "resent_ledger",
        &rel,
        sheet,
        None,
        Some("project_id"),
        None,
        "the same projects as 2025年6月重点项目台账.xlsx (白水镇): counted once, the re-sent rows win, with a warning naming both files",
    );
    g.files.push(FileSummary { path: rel, sheets: vec![summary] });
    Ok(())
}
