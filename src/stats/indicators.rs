//! Economic indicators (SPEC §2.2): year-to-date values, growth against
//! last year (同比), month on month (环比), rank among regions, 拉动
//! (contribution in percentage points) and 贡献率 (share of the increase),
//! targets, and the whole computed from sums — never from averaged rates.

use super::{
    col_f64, col_i64, col_str, competition_rank, growth, label_order, pct, stat_issue, sum_or_null, AsOf, StatIssue,
    Targets,
};
use crate::config::Config;
use crate::error::Error;
use crate::model::{Column, IndicatorFigures, WHOLE};
use polars::prelude::*;
use std::collections::HashMap;

/// Reported totals may differ from the sum of regions by rounding; more
/// than this relative difference is a warning (SPEC §2.2).
const TOTAL_TOLERANCE: f64 = 0.005;

fn rows_of(df: &DataFrame, year: i32, month: i64, totals: bool) -> LazyFrame {
    df.clone()
        .lazy()
        .filter(col("year").eq(lit(year)).and(col("month").eq(lit(month as i32))).and(col("is_total").eq(lit(totals))))
}

/// How warnings name the whole of an indicator.
const WHOLE_WORD: &str = "合计";

/// The whole's growth (SPEC §2.2), the first of: (1) from the sums when
/// every region with a year-to-date value has last year's; (2) the
/// reported total row's growth (the usual 本年累计 + 累计增速 月报); (3) the
/// same ratio over the regions that have both (同口径), with the regions
/// left out for a warning; (4) none. Never an average of rates.
fn whole_growth(items: &[IndicatorFigures], reported: Option<f64>) -> (Option<f64>, Option<Vec<String>>) {
    let with_ytd: Vec<&IndicatorFigures> = items.iter().filter(|i| i.ytd.is_some()).collect();
    let ratio = |set: &[&IndicatorFigures]| {
        let a: f64 = set.iter().filter_map(|i| i.ytd).sum();
        let b: f64 = set.iter().filter_map(|i| i.ytd_ly).sum();
        (b != 0.0).then(|| (a / b - 1.0) * 100.0)
    };
    if !with_ytd.is_empty() && with_ytd.iter().all(|i| i.ytd_ly.is_some()) {
        return (ratio(&with_ytd), None);
    }
    if reported.is_some() {
        return (reported, None);
    }
    let both: Vec<&IndicatorFigures> = with_ytd.iter().copied().filter(|i| i.ytd_ly.is_some()).collect();
    if both.is_empty() {
        return (None, None);
    }
    let missing = with_ytd.iter().filter(|i| i.ytd_ly.is_none()).map(|i| i.region.clone()).collect();
    (ratio(&both), Some(missing))
}

/// A reported total row: (ytd, growth, file, sheet, row).
type Reported = (Option<f64>, Option<f64>, String, String, i64);

// Long on purpose for now: one pass builds the region items, the wholes and
// the cross-check from the same joined frame; splitting it is planned with
// the indicator layouts of issue 15, which change how rows arrive.
pub fn compute(
    df: &DataFrame,
    targets: &Targets,
    as_of: AsOf,
    config: &Config,
) -> Result<(Vec<IndicatorFigures>, Vec<StatIssue>), Error> {
    let mut issues = Vec::new();
    let months = df
        .clone()
        .lazy()
        .filter(col("year").eq(lit(as_of.year)).and(col("month").lt_eq(lit(as_of.month as i32))))
        .select([col("month").max()])
        .collect()?;
    let Some(month) = col_i64(&months, "month")?.into_iter().flatten().next() else {
        return Ok((Vec::new(), issues));
    };
    if month != as_of.month as i64 {
        issues.push(stat_issue(
            "",
            None,
            None,
            None,
            format!("{}年{}月没有经济指标月报，指标数据使用{}年{}月的月报", as_of.year, as_of.month, as_of.year, month),
        ));
    }
    let keys = [col("indicator"), col("region")];
    // Last year's year-to-date value of the same month, where the sheet has no 去年同期.
    let last_year = rows_of(df, as_of.year - 1, month, false)
        .group_by(keys.clone())
        .agg([col("value_ytd").first().alias("ly_from_file")]);
    // January's previous month is December of last year's sheets (SPEC §2.2).
    let (prev_year, prev_month) = if month == 1 { (as_of.year - 1, 12) } else { (as_of.year, month - 1) };
    let previous = rows_of(df, prev_year, prev_month, false)
        .group_by(keys.clone())
        .agg([col("value_month").first().alias("month_prev")]);
    let regions = rows_of(df, as_of.year, month, false)
        .join(last_year, keys.clone(), keys.clone(), JoinArgs::new(JoinType::Left))
        .join(previous, keys.clone(), keys.clone(), JoinArgs::new(JoinType::Left))
        .with_columns([
            col("value_ytd").alias("ytd"),
            when(col("value_ytd_ly").is_not_null())
                .then(col("value_ytd_ly"))
                .otherwise(col("ly_from_file"))
                .alias("ytd_ly"),
            col("value_month").alias("month_value"),
        ])
        .with_columns([
            when(growth(col("ytd"), col("ytd_ly")).is_not_null())
                .then(growth(col("ytd"), col("ytd_ly")))
                .otherwise(col("growth_reported"))
                .alias("growth"),
            growth(col("month_value"), col("month_prev")).alias("mom"),
        ])
        .collect()?;
    // The whole of each indicator, from sums over the regions where values exist.
    let wholes = regions
        .clone()
        .lazy()
        .group_by([col("indicator")])
        .agg([
            sum_or_null("ytd").alias("sum_ytd"),
            sum_or_null("ytd_ly").alias("sum_ly"),
            sum_or_null("month_value").alias("sum_month"),
            sum_or_null("month_prev").alias("sum_month_prev"),
            col("unit").drop_nulls().first().alias("indicator_unit"),
        ])
        .collect()?;
    let regions = regions
        .lazy()
        .join(wholes.clone().lazy(), [col("indicator")], [col("indicator")], JoinArgs::new(JoinType::Left))
        .with_columns([
            pct(col("ytd") - col("ytd_ly"), col("sum_ly")).alias("contribution_pp"),
            pct(col("ytd") - col("ytd_ly"), col("sum_ytd") - col("sum_ly")).alias("contribution_share"),
            competition_rank(col("growth")).over([col("indicator")])?.alias("rank"),
        ])
        .collect()?;
    // The whole's own total row (合计, 全县 …), never a 其中 row: a part of
    // the whole is no cross-check for it. The first such row of each
    // indicator counts, in the ledgers' order.
    let reported = rows_of(df, as_of.year, month, true).collect()?;
    let mut reported_by: HashMap<String, Reported> = HashMap::new();
    {
        let names = col_str(&reported, "indicator")?;
        let labels = col_str(&reported, "region")?;
        let ytd = col_f64(&reported, "value_ytd")?;
        let gr = col_f64(&reported, "growth_reported")?;
        let files = col_str(&reported, "source_file")?;
        let sheets = col_str(&reported, "sheet")?;
        let rows = col_i64(&reported, "row")?;
        for i in 0..reported.height() {
            let part_of = |t: &Option<String>| t.as_deref().is_some_and(|t| t.starts_with("其中"));
            if part_of(&labels[i]) || part_of(&names[i]) {
                continue;
            }
            if let Some(n) = &names[i] {
                reported_by.entry(n.clone()).or_insert_with(|| {
                    (
                        ytd[i],
                        gr[i],
                        files[i].clone().unwrap_or_default(),
                        sheets[i].clone().unwrap_or_default(),
                        rows[i].unwrap_or(0),
                    )
                });
            }
        }
    }

    // Region items.
    let names = col_str(&regions, "indicator")?;
    let region_labels = col_str(&regions, "region")?;
    let units = col_str(&regions, "indicator_unit")?;
    let ytd = col_f64(&regions, "ytd")?;
    let ytd_ly = col_f64(&regions, "ytd_ly")?;
    let gr = col_f64(&regions, "growth")?;
    let month_v = col_f64(&regions, "month_value")?;
    let month_prev = col_f64(&regions, "month_prev")?;
    let mom = col_f64(&regions, "mom")?;
    let rank = col_i64(&regions, "rank")?;
    let cpp = col_f64(&regions, "contribution_pp")?;
    let cshare = col_f64(&regions, "contribution_share")?;
    let mut order_of_first: Vec<String> = Vec::new();
    let mut by_indicator: HashMap<String, Vec<IndicatorFigures>> = HashMap::new();
    // Indicators in the order the ledgers list them: frame order is file
    // path, then sheet, then row — as the office arranged its report.
    let listed = rows_of(df, as_of.year, month, false).select([col("indicator")]).collect()?;
    for name in col_str(&listed, "indicator")?.into_iter().flatten() {
        if !order_of_first.contains(&name) {
            order_of_first.push(name);
        }
    }
    for i in 0..regions.height() {
        let (Some(indicator), Some(region)) = (&names[i], &region_labels[i]) else { continue };
        let mut f = IndicatorFigures {
            indicator: indicator.clone(),
            region: region.clone(),
            unit: units[i].clone(),
            ytd: ytd[i],
            ytd_ly: ytd_ly[i],
            growth: gr[i],
            month: month_v[i],
            month_prev: month_prev[i],
            mom: mom[i],
            rank: rank[i],
            contribution_pp: cpp[i],
            contribution_share: cshare[i],
            ..Default::default()
        };
        apply_targets(&mut f, targets, Some(region));
        by_indicator.entry(indicator.clone()).or_default().push(f);
    }

    // Wholes.
    let w_names = col_str(&wholes, "indicator")?;
    let w_ytd = col_f64(&wholes, "sum_ytd")?;
    let w_ly = col_f64(&wholes, "sum_ly")?;
    let w_month = col_f64(&wholes, "sum_month")?;
    let w_prev = col_f64(&wholes, "sum_month_prev")?;
    let w_unit = col_str(&wholes, "indicator_unit")?;
    let mut out = Vec::new();
    for indicator in &order_of_first {
        let Some(i) = w_names.iter().position(|n| n.as_deref() == Some(indicator.as_str())) else { continue };
        let reported_row = reported_by.get(indicator);
        let items = by_indicator.get(indicator).map(Vec::as_slice).unwrap_or_default();
        let (growth, note) = whole_growth(items, reported_row.and_then(|r| r.1));
        if let Some(missing) = note {
            let msg = format!(
                "「{indicator}」{}增速按同口径计算：{}没有去年同期数，不计入增速",
                WHOLE_WORD,
                missing.join("、")
            );
            issues.push(stat_issue("", None, None, Some(Column::ValueYtdLy), msg));
        }
        let mom = match (w_month[i], w_prev[i]) {
            (Some(a), Some(b)) if b != 0.0 => Some((a / b - 1.0) * 100.0),
            _ => None,
        };
        let mut whole = IndicatorFigures {
            indicator: indicator.clone(),
            region: WHOLE.to_string(),
            unit: w_unit[i].clone(),
            ytd: w_ytd[i],
            ytd_ly: w_ly[i],
            growth,
            month: w_month[i],
            month_prev: w_prev[i],
            mom,
            ..Default::default()
        };
        apply_targets(&mut whole, targets, None);
        if let (Some((Some(rep), _, file, sheet, row)), Some(sum)) = (reported_row, w_ytd[i]) {
            if sum != 0.0 && ((rep - sum) / sum).abs() > TOTAL_TOLERANCE {
                issues.push(stat_issue(
                    file,
                    Some(sheet),
                    Some(*row as i32),
                    Some(Column::ValueYtd),
                    format!("合计与分项之和不符：「{indicator}」合计行本年累计为{rep}，各地区之和为{sum}"),
                ));
            }
        }
        out.push(whole);
        let mut items = by_indicator.remove(indicator).unwrap_or_default();
        let order = label_order(config, "region");
        items.sort_by(|a, b| order(&a.region, &b.region));
        out.extend(items);
    }
    Ok((out, issues))
}

fn apply_targets(f: &mut IndicatorFigures, targets: &Targets, scope: Option<&str>) {
    let Some((value, kind)) = targets.find(scope, |m| m == f.indicator) else { return };
    if kind == "growth" {
        f.target_growth = Some(value);
        f.gap_pp = f.growth.map(|g| g - value);
    } else {
        f.target = Some(value);
        f.target_completion_rate = f.ytd.and_then(|y| super::ratio_pct(y, value));
    }
}
