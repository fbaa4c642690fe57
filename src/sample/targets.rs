//! The targets table (目标任务表).

use super::common::*;
use super::*;
use anyhow::{Context, Result};

pub(super) fn write_targets_file(g: &mut Gen, model: &ProjectModel) -> Result<()> {
    let rel = "目标任务/2025年目标任务表.xlsx".to_string();
    let sheet = "目标任务";
    let mut plan_by_town = [0.0f64; 12];
    for i in 0..model.count() {
        let p = model.project(i)?;
        plan_by_town[p.town] += p.plan;
    }
    let plan_total: f64 = plan_by_town.iter().sum();
    let retail_h1: f64 = (0..12).map(|t| ind_ytd(Ind::Retail, 2025, 6, t)).sum();
    let s = g.scale as f64;
    // (scope, metric, unit, target); a target of None is the planted 待定.
    let mut rows: Vec<(String, &str, &str, Option<f64>)> = vec![
        ("全县".into(), "年度投资", "万元", Some(round_to(plan_total * 1.08, 1000.0))),
        ("全县".into(), "新开工项目", "个", Some(12.0 * s)),
        ("全县".into(), "问题解决率", "%", Some(90.0)),
        ("全县".into(), "企业满意率", "%", Some(95.0)),
        ("全县".into(), "规上工业增加值", "%", Some(8.0)),
        ("全县".into(), "固定资产投资", "%", Some(10.0)),
        ("全县".into(), "社会消费品零售总额", "万元", Some(round_to(retail_h1 * 2.1, 100.0))),
    ];
    for t in [0usize, 1, 2, 6] {
        rows.push((TOWNS[t].into(), "年度投资", "万元", Some(round_to(plan_by_town[t] * 1.05, 100.0))));
    }
    rows.push((TOWNS[8].into(), "年度投资", "万元", None));

    let mut wb = new_workbook("青山县2025年目标任务分解表")?;
    let mut rejection = None;
    let summary = {
        let f = &g.f;
        let ws = add_sheet(&mut wb, g.streamed, sheet)?;
        let heads = ["序号", "范围", "指标", "单位", "目标值", "年度", "备注"];
        for c in 0..heads.len() as u16 {
            ws.set_column_width(c, if c == 2 { 20.0 } else { 12.0 })?;
        }
        ws.merge_range(0, 0, 0, 6, "青山县2025年目标任务分解表", &f.title)?;
        for (c, h) in heads.iter().enumerate() {
            ws.write_string_with_format(1, c as u16, *h, &f.head)?;
        }
        let mut summary = SheetSummary::new(sheet, "targets", "2025".into(), 2);
        let mut row = 2u32;
        for (i, (scope, metric, unit, target)) in rows.iter().enumerate() {
            let target_cell = match target {
                Some(v) => Cell::Num(*v),
                None => {
                    rejection = Some((row, 4u16));
                    Cell::text("待定")
                }
            };
            let note = if *metric == "新开工项目" { "含产业项目和基础设施项目" } else { "" };
            put_row(
                ws,
                f,
                row,
                &[
                    Cell::Num(i as f64 + 1.0),
                    Cell::text(scope),
                    Cell::text(*metric),
                    Cell::text(*unit),
                    target_cell,
                    Cell::Num(2025.0),
                    Cell::text(note),
                ],
            )?;
            summary.count(if target.is_some() { RowClass::Accepted } else { RowClass::Rejected });
            row += 1;
        }
        write_notes(ws, f, row, "注：目标值以县委县政府印发文件为准。")?;
        summary.note = Some("全县 rows are scopes, not totals; 枫桥镇 年度投资 目标值 待定".into());
        summary
    };
    wb.save(g.out.join(&rel)).with_context(|| format!("cannot write {rel}"))?;
    if let Some((r, c)) = rejection {
        g.reject(&rel, sheet, r, c, "target", "待定".to_string());
    }
    g.files.push(FileSummary { path: rel, sheets: vec![summary] });
    Ok(())
}
