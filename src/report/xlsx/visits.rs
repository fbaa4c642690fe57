//! 问题办理 (by category, tier, region and unit), 逾期督办 (worst first)
//! and 走访情况 (month by month).

use super::formats::*;
use super::sheet::*;
use super::table::*;
use super::SheetId;
use crate::error::Error;
use crate::model::{Grouped, ProblemFigures, Report};
use crate::report::wording::fmt_period;
use rust_xlsxwriter::{Chart, ChartAxisCrossing, ChartDataLabel, ChartLegendPosition, ChartType};

pub(super) fn problem_cells(label: Cell, p: &ProblemFigures) -> Vec<Cell> {
    vec![
        label,
        int(p.problems),
        int(p.resolved),
        int(p.in_progress),
        int(p.unresolvable),
        num(p.resolution_rate),
        num(p.on_time_rate),
        num(p.median_days),
        num(p.satisfaction_rate),
        int(p.overdue_count),
    ]
}

pub(super) fn problems(r: &Report, f: &Formats, period: &str, number: &mut u32) -> Result<Sheet, Error> {
    let mut s = Sheet::new(SheetId::Problems)?;
    let v = &r.visits;
    let whole = v.whole();
    let source =
        "资料来源：各单位报送的走访问题台账，statbrief 整理；同一问题出现在多期台账时以最新一期为准。".to_string();
    let parts: [(&Vec<Grouped<ProblemFigures>>, &str, &'static str, &str); 4] = [
        (&v.by_category, "问题类别", "tbl_problems_by_category", "按问题类别分"),
        (&v.by_tier, "办理层级", "tbl_problems_by_tier", "按办理层级分"),
        (&v.by_region, "地区", "tbl_problems_by_region", "按地区分"),
        (&v.by_unit, "干部单位", "tbl_problems_by_unit", "按干部单位分"),
    ];
    let mut top = 0;
    for (items, label, name, what) in parts {
        let ranked = name == "tbl_problems_by_unit";
        let mut columns = vec![
            col(label, Fmt::Text),
            col("问题数（个）", Fmt::Count),
            col("已解决（个）", Fmt::Count),
            col("办理中（个）", Fmt::Count),
            col("无法解决（个）", Fmt::Count),
            col("解决率（%）", Fmt::Pct),
            col("按时办结率（%）", Fmt::Pct),
            col("办结天数中位数（天）", Fmt::Pct),
            col("满意率（%）", Fmt::Pct),
            col("逾期（个）", Fmt::Count),
        ];
        if ranked {
            columns.push(col("排名", Fmt::Count));
        }
        let with_rank = |mut cells: Vec<Cell>, rank: Option<i64>| {
            if ranked {
                cells.push(opt_int(rank));
            }
            cells
        };
        let mut rows = Vec::new();
        if !items.is_empty() {
            rows.push(total_row(with_rank(problem_cells(text("合计"), &whole), None)));
        }
        rows.extend(items.iter().map(|g| row(with_rank(problem_cells(text(&g.label), &g.figures), g.rank))));
        let spec = TableSpec {
            name,
            title: format!("企业反映问题办理情况（{what}，{period}）"),
            unit: "单位：个，%，天".into(),
            source: source.clone(),
            columns,
            rows,
            rules: vec![],
            notes: if ranked {
                vec!["注：干部单位按解决率从高到低排名，并列取较小名次。".into()]
            } else {
                vec![]
            },
        };
        let table_top = top;
        let placed = s.table(f, top, &spec, number)?;
        top = placed.next;
        if name == "tbl_problems_by_category" && placed.has_data && placed.last >= placed.first + placed.leading_totals
        {
            let (first, last) = (placed.first + placed.leading_totals, placed.last);
            let mut chart = Chart::new(ChartType::Bar);
            for (c, series) in [(1u16, "问题数"), (2, "已解决")] {
                chart
                    .add_series()
                    .set_name(series)
                    .set_categories(("问题办理", first, 0, last, 0))
                    .set_values(("问题办理", first, c, last, c))
                    .set_data_label(ChartDataLabel::new().show_value());
            }
            titled(&mut chart, "企业反映问题按类别分（个）");
            // In a bar chart the category axis is the y axis. Excel draws
            // its categories bottom-up; reversed, they read top-down in the
            // table's order, and crossing at the maximum keeps the value
            // axis at the bottom.
            chart.y_axis().set_reverse().set_crossing(ChartAxisCrossing::Max);
            chart.x_axis().set_num_format("0").set_major_gridlines_line(&grid());
            chart.legend().set_position(ChartLegendPosition::Bottom);
            let height = CHART_HEIGHT.max(100 + 22 * (last - first + 1));
            chart.set_alt_text("企业反映问题按类别分的条形图");
            // Beside the table (one column apart): the tables are narrow,
            // and under it the chart would take a page of its own.
            let below = s.chart(table_top, spec.columns.len() as u16 + 1, &mut chart, 520, height)?;
            top = top.max(below + 1);
        }
    }
    Ok(s)
}

pub(super) fn overdue(r: &Report, f: &Formats, period: &str, number: &mut u32) -> Result<Sheet, Error> {
    let mut s = Sheet::new(SheetId::Overdue)?;
    let list = r.visits.overdue_all.rows()?;
    let rows = list
        .iter()
        .map(|o| {
            row(vec![
                text(o.enterprise),
                text(o.problem),
                o.region.map_or(Cell::Empty, text),
                o.cadre_unit.map_or(Cell::Empty, text),
                o.deadline.map_or(Cell::Empty, Cell::Date),
                int(o.days_overdue),
                text(o.colour.as_str()),
            ])
        })
        .collect();
    let spec = TableSpec {
        name: "tbl_overdue",
        title: format!("逾期未办结问题督办清单（截至{}年{}月底）", r.year, r.month),
        unit: "单位：天".into(),
        source: "资料来源：各单位报送的走访问题台账，statbrief 整理；办结时限未填的按办理层级的默认天数推算。".into(),
        columns: vec![
            col_cap("企业名称", Fmt::Text, 30.0),
            col_cap("问题", Fmt::Text, 40.0),
            col("所属地区", Fmt::Text),
            col("干部单位", Fmt::Text),
            col("办结时限", Fmt::Date),
            col("逾期天数（天）", Fmt::Count),
            col("督办颜色", Fmt::Mark),
        ],
        rows,
        rules: vec![Rule { column: 6, fills: vec![("蓝", Tone::Blue), ("黄", Tone::Yellow), ("红", Tone::Red)] }],
        notes: vec![format!(
            "注：按逾期天数从多到少排列；督办颜色 蓝 = 逾期1—7天，黄 = 8—30天，红 = 30天以上（默认阈值）。统计期 {period}。"
        )],
    };
    s.table(f, 0, &spec, number)?;
    Ok(s)
}

pub(super) fn visits(r: &Report, f: &Formats, number: &mut u32) -> Result<Sheet, Error> {
    let mut s = Sheet::new(SheetId::Visits)?;
    let v = &r.visits;
    let mut rows: Vec<Row> = v
        .monthly
        .iter()
        .map(|m| row(vec![text(format!("{}月", m.month)), int(m.visits), int(m.problems), int(m.resolved)]))
        .collect();
    if !rows.is_empty() {
        rows.push(total_row(vec![
            text(format!("{}合计", fmt_period(r.month))),
            int(v.visits),
            int(v.problems),
            int(v.resolved),
        ]));
    }
    let spec = TableSpec {
        name: "tbl_visits_monthly",
        title: format!("逐月走访企业和问题办理情况（{}年）", r.year),
        unit: "单位：次，个".into(),
        source: "资料来源：各单位报送的走访问题台账，statbrief 整理；按走访日期所在月份归月。".into(),
        columns: vec![
            col("月份", Fmt::Text),
            col("走访次数（次）", Fmt::Count),
            col("发现问题（个）", Fmt::Count),
            col("其中已解决（个）", Fmt::Count),
        ],
        rows,
        rules: vec![],
        notes: vec!["注：“其中已解决”为该月走访中发现、截至统计期末已解决的问题。".into()],
    };
    s.table(f, 0, &spec, number)?;
    Ok(s)
}
