//! 总览: the targets with value, target, gap and flag, the main figures
//! without targets, and the cumulative investment by month.

use super::formats::*;
use super::sheet::*;
use super::table::*;
use super::SheetId;
use crate::error::Error;
use crate::model::{Report, WHOLE};
use crate::report::wording::fmt_period;
use rust_xlsxwriter::{Chart, ChartDataLabel, ChartType};

/// The overview: one line per target (value, target, gap, flag), the main
/// figures without targets, and the cumulative investment by month.
// Long because it is declarative: one table row per target, written out
// so that each line of the overview can be read and changed on its own.
pub(super) fn overview(r: &Report, f: &Formats, period: &str, number: &mut u32) -> Result<Sheet, Error> {
    let mut s = Sheet::new(SheetId::Overview)?;
    let t = &r.projects.total;
    let v = &r.visits;
    let progress = format!("时序进度（{}/12）", r.month);
    let fmt_of_unit = |unit: &str| match unit {
        "%" | "百分点" => Fmt::Pct,
        "个" | "次" | "家" | "人" | "天" => Fmt::Count,
        _ => Fmt::Money,
    };
    // (name, unit, actual, target, gap unit, completion of target, flag, basis)
    let mut kpis: Vec<Row> = Vec::new();
    let mut kpi = |name: String,
                   unit: &str,
                   actual: Option<f64>,
                   target: Option<f64>,
                   gap_unit: &str,
                   rate: Option<f64>,
                   flag: Cell,
                   basis: String| {
        let fu = fmt_of_unit(unit);
        kpis.push(row(vec![
            text(name),
            text(unit),
            num_as(actual, fu),
            num_as(target, fu),
            num_as(diff(actual, target), fmt_of_unit(gap_unit)),
            if target.is_some() { text(gap_unit) } else { Cell::Empty },
            num_as(rate, Fmt::Pct),
            flag,
            if target.is_some() { text(basis) } else { Cell::Empty },
        ]));
    };
    kpi(
        "重点项目投资完成率".into(),
        "%",
        t.completion_rate,
        Some(t.time_progress),
        "百分点",
        None,
        flag_cn(t.flag),
        progress.clone(),
    );
    kpi(
        "重点项目本年累计完成投资".into(),
        "万元",
        t.done,
        t.target,
        "万元",
        t.target_completion_rate,
        met(t.target_completion_rate, t.target.map(|_| t.time_progress)),
        "年度投资目标".into(),
    );
    kpi(
        "新开工项目".into(),
        "个",
        r.projects.has_ledger().then_some(t.new_starts as f64),
        t.new_start_target,
        "个",
        t.new_start_target_rate,
        met(t.new_start_target_rate, t.new_start_target.map(|_| t.time_progress)),
        "新开工项目年度目标".into(),
    );
    kpi(
        "问题解决率".into(),
        "%",
        v.resolution_rate,
        v.resolution_target,
        "百分点",
        None,
        met(v.resolution_rate, v.resolution_target),
        "问题解决率目标".into(),
    );
    kpi(
        "企业满意率".into(),
        "%",
        v.satisfaction_rate,
        v.satisfaction_target,
        "百分点",
        None,
        met(v.satisfaction_rate, v.satisfaction_target),
        "企业满意率目标".into(),
    );
    for w in r.indicators.iter().filter(|i| i.region == WHOLE) {
        if w.target.is_some() && w.target_growth.is_none() {
            let unit = w.unit.clone().unwrap_or_default();
            kpi(
                format!("{}（本年累计）", w.indicator),
                &unit,
                w.ytd,
                w.target,
                &unit,
                w.target_completion_rate,
                met(w.target_completion_rate, Some(t.time_progress)),
                format!("{}年度目标", w.indicator),
            );
        } else {
            kpi(
                format!("{}增速", w.indicator),
                "%",
                w.growth,
                w.target_growth,
                "百分点",
                None,
                met(w.growth, w.target_growth),
                "增速目标".into(),
            );
        }
    }
    let spec = TableSpec {
        name: "tbl_kpi",
        title: format!("目标任务完成情况（{period}）"),
        unit: "单位：见“单位”列；差距 = 实际 − 目标，负数为尚差；目标完成率单位为%。".into(),
        source: "资料来源：重点项目台账、走访问题台账、经济指标月报和目标任务表，statbrief 整理。".into(),
        columns: vec![
            col_cap("指标", Fmt::Text, 36.0),
            col("单位", Fmt::Text),
            col("实际", Fmt::Text),
            col("目标", Fmt::Text),
            col("差距", Fmt::Text),
            col("差距单位", Fmt::Text),
            col("目标完成率（%）", Fmt::Pct),
            col("标识", Fmt::Mark),
            col_cap("目标口径", Fmt::Text, 40.0),
        ],
        rows: kpis,
        rules: vec![flag_rule(7)],
        notes: vec![
            format!("注：{FLAG_NOTE}"),
            format!("　　年度目标（年度投资、新开工项目、总量指标）的标识以目标完成率对照{progress}：不低于为绿，否则为红；比率和增速目标：实际不低于目标为绿，否则为红。"),
        ],
    };
    let placed = s.table(f, 0, &spec, number)?;

    let spec3 = TableSpec {
        name: "tbl_monthly_done",
        title: format!("重点项目逐月累计完成投资（{}年）", r.year),
        unit: "单位：万元".into(),
        source: "资料来源：各月重点项目台账，statbrief 整理；没有台账的月份不列。".into(),
        columns: vec![col("月份", Fmt::Text), col("本年累计完成投资（万元）", Fmt::Money)],
        rows: r.projects.monthly.iter().map(|m| row(vec![text(fmt_period(m.month)), num(m.done)])).collect(),
        rules: vec![],
        notes: vec![],
    };
    let placed3 = s.table(f, placed.next, &spec3, number)?;
    let mut next = placed3.next;
    if placed3.has_data {
        let mut chart = Chart::new(ChartType::Column);
        chart
            .add_series()
            // Series names are literal text, not the header cells: those
            // hold a line feed that would show in the legend.
            .set_name("本年累计完成投资")
            .set_categories(("总览", placed3.first, 0, placed3.last, 0))
            .set_values(("总览", placed3.first, 1, placed3.last, 1))
            .set_data_label(ChartDataLabel::new().show_value().set_num_format("#,##0"));
        titled(&mut chart, "重点项目逐月累计完成投资（万元）");
        chart.y_axis().set_num_format("#,##0").set_major_gridlines_line(&grid());
        chart.legend().set_hidden();
        chart.set_alt_text("重点项目逐月累计完成投资柱形图");
        // Beside its table rather than under it, so that the targets, the
        // series and its chart make one page: the chart spans the target
        // table's columns right of the month table.
        let width = s.width_px(3, 9).clamp(420, 760);
        let below = s.chart(placed.next, 3, &mut chart, width, 300)?;
        next = next.max(below + 1);
    }
    // A count of a ledger kind with no sheet for the period is unknown, not 0.
    let pc = |n: i64| r.projects.has_ledger().then_some(n as f64);
    let vc = |n: i64| r.visits.has_ledger().then_some(n as f64);
    let figures: Vec<(&str, &str, Option<f64>, Fmt)> = vec![
        ("重点项目个数", "个", pc(t.count), Fmt::Count),
        ("年度计划投资", "万元", t.plan, Fmt::Money),
        ("本年累计完成投资", "万元", t.done, Fmt::Money),
        ("完成率", "%", t.completion_rate, Fmt::Pct),
        ("时序进度", "%", Some(t.time_progress), Fmt::Pct),
        ("新开工项目", "个", pc(t.new_starts), Fmt::Count),
        ("已开工项目", "个", pc(t.started), Fmt::Count),
        ("开工率", "%", t.started_rate, Fmt::Pct),
        ("走访次数", "次", vc(v.visits), Fmt::Count),
        ("走访企业", "家", vc(v.enterprises), Fmt::Count),
        ("走访干部", "人", vc(v.cadres), Fmt::Count),
        ("发现问题", "个", vc(v.problems), Fmt::Count),
        ("已解决", "个", vc(v.resolved), Fmt::Count),
        ("办理中", "个", vc(v.in_progress), Fmt::Count),
        ("无法解决", "个", vc(v.unresolvable), Fmt::Count),
        ("问题解决率", "%", v.resolution_rate, Fmt::Pct),
        ("按期办结率", "%", v.on_time_rate, Fmt::Pct),
        ("办结天数中位数", "天", v.median_days, Fmt::Pct),
        ("企业满意率", "%", v.satisfaction_rate, Fmt::Pct),
        ("逾期问题", "个", vc(v.overdue_count), Fmt::Count),
    ];
    let spec2 = TableSpec {
        name: "tbl_main",
        title: format!("主要指标（{period}）"),
        unit: "单位：见“单位”列。".into(),
        source: "资料来源：重点项目台账和走访问题台账，statbrief 整理。".into(),
        columns: vec![col_cap("指标", Fmt::Text, 30.0), col("单位", Fmt::Text), col("数值", Fmt::Text)],
        rows: figures.into_iter().map(|(n, u, val, fm)| row(vec![text(n), text(u), num_as(val, fm)])).collect(),
        rules: vec![],
        notes: vec![],
    };
    s.table(f, next, &spec2, number)?;

    Ok(s)
}
