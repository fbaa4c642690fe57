//! 经济指标: every indicator by region, the whole first, with the growth chart.

use super::formats::*;
use super::sheet::*;
use super::table::*;
use super::SheetId;
use crate::error::Error;
use crate::model::{IndicatorFigures, Report, WHOLE};
use rust_xlsxwriter::{Chart, ChartDataLabel, ChartType};

pub(super) fn indicators(r: &Report, f: &Formats, period: &str, number: &mut u32) -> Result<Sheet, Error> {
    let mut s = Sheet::new(SheetId::Indicators)?;
    let whole = WHOLE;
    let cells = |i: &IndicatorFigures| {
        vec![
            text(&i.indicator),
            text(&i.region),
            opt_text(i.unit.as_ref()),
            num(i.ytd),
            num(i.ytd_ly),
            num(i.growth),
            num(i.month),
            num(i.month_prev),
            num(i.mom),
            opt_int(i.rank),
            num(i.contribution_pp),
            num(i.contribution_share),
            num(i.target_growth),
            num(i.gap_pp),
            num(i.target),
            num(i.target_completion_rate),
        ]
    };
    let rows: Vec<Row> = r.indicators.iter().map(|i| Row { cells: cells(i), total: i.region == whole }).collect();
    let spec = TableSpec {
        name: "tbl_indicators",
        title: format!("主要经济指标分地区完成情况（{period}）"),
        unit: "单位：本年累计、去年同期、本月、上月和总量目标为各指标的计量单位（货币为万元）；增速、环比、贡献率、目标完成率为%；拉动、差距为百分点".into(),
        source: format!("资料来源：各地报送的经济指标月报（{period}及上年同期）和目标任务表，statbrief 整理。"),
        columns: vec![
            col_cap("指标", Fmt::Text, 24.0),
            col("地区", Fmt::Text),
            col("计量单位", Fmt::Text),
            col("本年累计", Fmt::Money),
            col("去年同期", Fmt::Money),
            col("同比增长（%）", Fmt::Pct),
            col("本月", Fmt::Money),
            col("上月", Fmt::Money),
            col("环比（%）", Fmt::Pct),
            col("增速排名", Fmt::Count),
            col("拉动（百分点）", Fmt::Pct),
            col("贡献率（%）", Fmt::Pct),
            col("增速目标（%）", Fmt::Pct),
            col("差距（百分点）", Fmt::Pct),
            col("总量目标", Fmt::Money),
            col("目标完成率（%）", Fmt::Pct),
        ],
        rows,
        rules: vec![],
        notes: vec!["注：每项指标的“全部”行在前，为各地区之和（增速由和计算；只报增速的指标取报表合计行），不参加排名。".into()],
    };
    let placed = s.table(f, 0, &spec, number)?;

    // The headline indicator is the first one; its regions follow its whole
    // as one block in the model's order.
    if let Some(head) = r.indicators.first().map(|i| i.indicator.clone()) {
        let start = r.indicators.iter().position(|i| i.indicator == head && i.region != whole);
        if let Some(start) = start {
            let len = r.indicators[start..].iter().take_while(|i| i.indicator == head && i.region != whole).count();
            let c_growth = spec.col_index("同比增长（%）")?;
            let (first, last) = (placed.first + start as u32, placed.first + (start + len) as u32 - 1);
            let mut chart = Chart::new(ChartType::Column);
            chart
                .add_series()
                .set_name("同比增长（%）")
                .set_categories(("经济指标", first, 1, last, 1))
                .set_values(("经济指标", first, c_growth, last, c_growth))
                .set_data_label(ChartDataLabel::new().show_value().set_num_format("0.0"));
            titled(&mut chart, &format!("{head}分地区同比增长（%）"));
            chart.y_axis().set_num_format("0.0").set_major_gridlines_line(&grid());
            chart.x_axis().set_label_position(rust_xlsxwriter::ChartAxisLabelPosition::Low);
            chart.legend().set_hidden();
            chart.set_alt_text(format!("{head}分地区同比增长柱形图"));
            s.chart_below(placed.next, &mut chart, 10, CHART_HEIGHT)?;
        }
    }
    Ok(s)
}
