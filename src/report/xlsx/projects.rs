//! 重点项目 (one row per project) and the four group sheets (分地区,
//! 分产业链, 分包抓领导, 分项目级别), with the region chart.

use super::formats::*;
use super::sheet::*;
use super::table::*;
use super::SheetId;
use crate::error::Error;
use crate::model::{Grouped, ProjectFigures, Report};
use rust_xlsxwriter::{Chart, ChartDataLabel, ChartLegendPosition, ChartLine, ChartMarker, ChartType};

pub(super) fn projects(r: &Report, f: &Formats, period: &str, number: &mut u32) -> Result<Sheet, Error> {
    let mut s = Sheet::new(SheetId::Projects)?;
    let rows = r
        .projects
        .items
        .iter()
        .map(|p| {
            row(vec![
                opt_text(p.project_id.as_ref()),
                text(&p.name),
                text(&p.region),
                opt_text(p.chain.as_ref()),
                opt_text(p.level.as_ref()),
                opt_text(p.leader.as_ref()),
                num(p.plan),
                num(p.done),
                num(p.completion_rate),
                flag_cn(p.flag),
                opt_text(p.status.as_ref()),
                date(p.start_date.as_deref()),
                text(&p.source_file),
                text(&p.sheet),
                int(p.row as i64),
            ])
        })
        .collect();
    let month = r.projects.source_period.clone().unwrap_or_else(|| r.as_of.clone());
    let spec = TableSpec {
        name: "tbl_projects",
        title: format!("重点项目推进情况（{period}）"),
        unit: "单位：万元，%".into(),
        source: format!(
            "资料来源：各地报送的重点项目台账（{month}），statbrief 整理；来源文件、工作表和行号指向台账原行。"
        ),
        columns: vec![
            col("项目编号", Fmt::Text),
            col_cap("项目名称", Fmt::Text, 46.0),
            col("所属地区", Fmt::Text),
            col("产业链", Fmt::Text),
            col("项目级别", Fmt::Text),
            col("包抓领导", Fmt::Text),
            col("年度计划投资（万元）", Fmt::Money),
            col("本年累计完成投资（万元）", Fmt::Money),
            col("完成率（%）", Fmt::Pct),
            col("进度标识", Fmt::Mark),
            col("项目状态", Fmt::Text),
            col("开工日期", Fmt::Date),
            col_cap("来源文件", Fmt::Text, 36.0),
            col("工作表", Fmt::Text),
            col("行号", Fmt::Count),
        ],
        rows,
        rules: vec![flag_rule(9)],
        notes: vec![format!("注：{FLAG_NOTE}")],
    };
    s.table(f, 0, &spec, number)?;
    Ok(s)
}

pub(super) fn project_cells(label: Cell, rank: Option<i64>, p: &ProjectFigures) -> Vec<Cell> {
    vec![
        label,
        int(p.count),
        num(p.plan),
        num(p.done),
        num(p.completion_rate),
        opt_int(rank),
        num(Some(p.time_progress)),
        flag_cn(p.flag),
        int(p.new_starts),
        int(p.started),
        num(p.started_rate),
        num(p.target),
        num(p.target_completion_rate),
        num(p.new_start_target),
        num(p.new_start_target_rate),
    ]
}

/// 分地区 / 分产业链 / 分包抓领导 / 分项目级别: the same table over a
/// different grouping, the whole first.
pub(super) fn groups(r: &Report, f: &Formats, period: &str, id: SheetId, number: &mut u32) -> Result<Sheet, Error> {
    let (items, label, table): (&Vec<Grouped<ProjectFigures>>, &str, &'static str) = match id {
        SheetId::ByRegion => (&r.projects.by_region, "地区", "tbl_by_region"),
        SheetId::ByChain => (&r.projects.by_chain, "产业链", "tbl_by_chain"),
        SheetId::ByLeader => (&r.projects.by_leader, "包抓领导", "tbl_by_leader"),
        SheetId::ByLevel => (&r.projects.by_level, "项目级别", "tbl_by_level"),
        other => return Err(Error::Internal(format!("briefing.xlsx: {} is not a group sheet", other.name()))),
    };
    let (name, what) = (id.name(), id.name());
    let mut s = Sheet::new(id)?;
    let mut rows = Vec::new();
    if !items.is_empty() {
        rows.push(total_row(project_cells(text("合计"), None, &r.projects.total)));
    }
    rows.extend(items.iter().map(|g| row(project_cells(text(&g.label), g.rank, &g.figures))));
    let month = r.projects.source_period.clone().unwrap_or_else(|| r.as_of.clone());
    let spec = TableSpec {
        name: table,
        title: format!("{what}重点项目推进情况（{period}）"),
        unit: "单位：万元，%，个".into(),
        source: format!("资料来源：各地报送的重点项目台账（{month}），statbrief 整理。"),
        columns: vec![
            col(label, Fmt::Text),
            col("项目个数（个）", Fmt::Count),
            col("年度计划投资（万元）", Fmt::Money),
            col("本年累计完成投资（万元）", Fmt::Money),
            col("完成率（%）", Fmt::Pct),
            col("排名", Fmt::Count),
            col("时序进度（%）", Fmt::Pct),
            col("进度标识", Fmt::Mark),
            col("新开工项目（个）", Fmt::Count),
            col("已开工项目（个）", Fmt::Count),
            col("开工率（%）", Fmt::Pct),
            col("年度投资目标（万元）", Fmt::Money),
            col("目标完成率（%）", Fmt::Pct),
            col("新开工目标（个）", Fmt::Count),
            col("新开工目标完成率（%）", Fmt::Pct),
        ],
        rows,
        rules: vec![flag_rule(7)],
        notes: vec![format!("注：排名按完成率从高到低，并列取较小名次；“合计”行不参加排名。{FLAG_NOTE}")],
    };
    let placed = s.table(f, 0, &spec, number)?;
    if id == SheetId::ByRegion && placed.has_data && placed.last >= placed.first + placed.leading_totals {
        let (c_rate, c_progress) = (spec.col_index("完成率（%）")?, spec.col_index("时序进度（%）")?);
        let (first, last) = (placed.first + placed.leading_totals, placed.last);
        let mut chart = Chart::new(ChartType::Column);
        chart
            .add_series()
            .set_name("完成率（%）")
            .set_categories((name, first, 0, last, 0))
            .set_values((name, first, c_rate, last, c_rate))
            .set_data_label(ChartDataLabel::new().show_value().set_num_format("0.0"));
        let mut line = Chart::new(ChartType::Line);
        line.add_series()
            .set_name("时序进度（%）")
            .set_categories((name, first, 0, last, 0))
            .set_values((name, first, c_progress, last, c_progress))
            .set_marker(ChartMarker::new().set_none())
            .set_format(ChartLine::new().set_color("C00000").set_width(2.0));
        chart.combine(&line);
        titled(&mut chart, "各地区重点项目投资完成率与时序进度（%）");
        chart.y_axis().set_num_format("0").set_major_gridlines_line(&grid());
        chart.legend().set_position(ChartLegendPosition::Bottom);
        chart.set_alt_text("各地区重点项目投资完成率柱形图，折线为时序进度");
        s.chart_below(placed.next, &mut chart, spec.columns.len(), CHART_HEIGHT)?;
    }
    Ok(s)
}
