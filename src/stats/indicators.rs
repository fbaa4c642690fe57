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

/// A reported total row of the whole (合计, 全县, or a whole-area table's row).
#[derive(Debug, Clone, Default)]
struct Reported {
    ytd: Option<f64>,
    ytd_ly: Option<f64>,
    month: Option<f64>,
    growth: Option<f64>,
    unit: Option<String>,
    file: String,
    sheet: String,
    row: i64,
}

/// Reported growth and growth from the sums may differ by rounding; more
/// than this, in percentage points, is a warning (two shapes disagree).
const GROWTH_TOLERANCE_PP: f64 = 0.1;

/// Economic indicators as of the latest month up to `as_of` that has a 月报:
/// for each indicator in the ledgers' order, its whole, then its regions.
pub fn compute(
    df: &DataFrame,
    targets: &Targets,
    as_of: AsOf,
    config: &Config,
) -> Result<(Vec<IndicatorFigures>, Vec<StatIssue>), Error> {
    let mut issues = Vec::new();
    let Some(month) = latest_month(df, as_of)? else {
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
    let regions = region_frame(df, as_of.year, month)?;
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
    let mut by_indicator = region_items(&regions, targets)?;
    let sums = whole_sums(&wholes)?;
    let reported = reported_totals(df, as_of.year, month)?;
    let (prev_year, prev_month) = if month == 1 { (as_of.year - 1, 12) } else { (as_of.year, month - 1) };
    let context = ReportedContext {
        previous: reported_totals(df, prev_year, prev_month)?,
        last_year: reported_totals(df, as_of.year - 1, month)?,
    };
    let order = label_order(config, "region");
    let mut out = Vec::new();
    for indicator in listed_order(df, as_of.year, month)? {
        let reported_row = reported.get(&indicator);
        let items = by_indicator.remove(&indicator).unwrap_or_default();
        let mut whole = match (sums.get(&indicator), reported_row) {
            (Some(sum), _) if !items.is_empty() => whole_from_sums(&indicator, sum, &items, reported_row, &mut issues),
            (_, Some(r)) => whole_from_reported(&indicator, r, &context),
            _ => continue,
        };
        apply_targets(&mut whole, targets, None);
        out.push(whole);
        let mut items = items;
        items.sort_by(|a, b| order(&a.region, &b.region));
        out.extend(items);
    }
    Ok((out, issues))
}

/// The latest month of `as_of`'s year, up to it, that has indicator rows.
fn latest_month(df: &DataFrame, as_of: AsOf) -> Result<Option<i64>, Error> {
    let months = df
        .clone()
        .lazy()
        .filter(col("year").eq(lit(as_of.year)).and(col("month").lt_eq(lit(as_of.month as i32))))
        .select([col("month").max()])
        .collect()?;
    Ok(col_i64(&months, "month")?.into_iter().flatten().next())
}

/// The region rows of the month with last year's value (from the row's
/// 去年同期, else last year's sheet), the previous month's value, growth
/// and month on month.
fn region_frame(df: &DataFrame, year: i32, month: i64) -> Result<DataFrame, Error> {
    let keys = [col("indicator"), col("region")];
    // Last year's year-to-date value of the same month, where the sheet has no 去年同期.
    let last_year = rows_of(df, year - 1, month, false)
        .group_by(keys.clone())
        .agg([col("value_ytd").first().alias("ly_from_file")]);
    // January's previous month is December of last year's sheets (SPEC §2.2).
    let (prev_year, prev_month) = if month == 1 { (year - 1, 12) } else { (year, month - 1) };
    let previous = rows_of(df, prev_year, prev_month, false)
        .group_by(keys.clone())
        .agg([col("value_month").first().alias("month_prev")]);
    Ok(rows_of(df, year, month, false)
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
        .collect()?)
}

/// Indicators in the order the ledgers list them, totals included (a
/// whole-area table's indicators lead the article): frame order is file
/// path, then sheet, then row — as the office arranged its report.
fn listed_order(df: &DataFrame, year: i32, month: i64) -> Result<Vec<String>, Error> {
    let listed = df
        .clone()
        .lazy()
        .filter(col("year").eq(lit(year)).and(col("month").eq(lit(month as i32))))
        .select([col("indicator")])
        .collect()?;
    let mut order: Vec<String> = Vec::new();
    for name in col_str(&listed, "indicator")?.into_iter().flatten() {
        if !order.contains(&name) {
            order.push(name);
        }
    }
    Ok(order)
}

/// The region items of each indicator, with their targets.
fn region_items(regions: &DataFrame, targets: &Targets) -> Result<HashMap<String, Vec<IndicatorFigures>>, Error> {
    let names = col_str(regions, "indicator")?;
    let region_labels = col_str(regions, "region")?;
    let units = col_str(regions, "indicator_unit")?;
    let ytd = col_f64(regions, "ytd")?;
    let ytd_ly = col_f64(regions, "ytd_ly")?;
    let gr = col_f64(regions, "growth")?;
    let month_v = col_f64(regions, "month_value")?;
    let month_prev = col_f64(regions, "month_prev")?;
    let mom = col_f64(regions, "mom")?;
    let rank = col_i64(regions, "rank")?;
    let cpp = col_f64(regions, "contribution_pp")?;
    let cshare = col_f64(regions, "contribution_share")?;
    let mut by_indicator: HashMap<String, Vec<IndicatorFigures>> = HashMap::new();
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
    Ok(by_indicator)
}

/// The sums over the regions of one indicator.
struct Sums {
    ytd: Option<f64>,
    ytd_ly: Option<f64>,
    month: Option<f64>,
    month_prev: Option<f64>,
    unit: Option<String>,
}

fn whole_sums(wholes: &DataFrame) -> Result<HashMap<String, Sums>, Error> {
    let names = col_str(wholes, "indicator")?;
    let ytd = col_f64(wholes, "sum_ytd")?;
    let ly = col_f64(wholes, "sum_ly")?;
    let month = col_f64(wholes, "sum_month")?;
    let prev = col_f64(wholes, "sum_month_prev")?;
    let unit = col_str(wholes, "indicator_unit")?;
    Ok((0..wholes.height())
        .filter_map(|i| {
            let sums = Sums { ytd: ytd[i], ytd_ly: ly[i], month: month[i], month_prev: prev[i], unit: unit[i].clone() };
            names[i].clone().map(|n| (n, sums))
        })
        .collect())
}

/// The whole's own total rows (合计, 全县, a whole-area table), never a
/// 其中 row: a part of the whole is no cross-check for it. The first such
/// row of each indicator counts, in the ledgers' order.
fn reported_totals(df: &DataFrame, year: i32, month: i64) -> Result<HashMap<String, Reported>, Error> {
    let reported = rows_of(df, year, month, true).collect()?;
    let names = col_str(&reported, "indicator")?;
    let labels = col_str(&reported, "region")?;
    let ytd = col_f64(&reported, "value_ytd")?;
    let ytd_ly = col_f64(&reported, "value_ytd_ly")?;
    let month_v = col_f64(&reported, "value_month")?;
    let gr = col_f64(&reported, "growth_reported")?;
    let units = col_str(&reported, "unit")?;
    let files = col_str(&reported, "source_file")?;
    let sheets = col_str(&reported, "sheet")?;
    let rows = col_i64(&reported, "row")?;
    let mut by: HashMap<String, Reported> = HashMap::new();
    for i in 0..reported.height() {
        let part_of = |t: &Option<String>| t.as_deref().is_some_and(|t| t.starts_with("其中"));
        if part_of(&labels[i]) || part_of(&names[i]) {
            continue;
        }
        let Some(n) = &names[i] else { continue };
        by.entry(n.clone()).or_insert_with(|| Reported {
            ytd: ytd[i],
            ytd_ly: ytd_ly[i],
            month: month_v[i],
            growth: gr[i],
            unit: units[i].clone(),
            file: files[i].clone().unwrap_or_default(),
            sheet: sheets[i].clone().unwrap_or_default(),
            row: rows[i].unwrap_or(0),
        });
    }
    Ok(by)
}

/// The whole of an indicator with regions: sums over them (the by-region
/// values win over a reported total, SPEC §2.2), its growth by the rule of
/// [`whole_growth`], and the cross-check against the reported total.
fn whole_from_sums(
    indicator: &str,
    sums: &Sums,
    items: &[IndicatorFigures],
    reported: Option<&Reported>,
    issues: &mut Vec<StatIssue>,
) -> IndicatorFigures {
    let (growth, note) = whole_growth(items, reported.and_then(|r| r.growth));
    if let Some(missing) = note {
        let msg =
            format!("「{indicator}」{WHOLE_WORD}增速按同口径计算：{}没有去年同期数，不计入增速", missing.join("、"));
        issues.push(stat_issue("", None, None, Some(Column::ValueYtdLy), msg));
    }
    let mom = match (sums.month, sums.month_prev) {
        (Some(a), Some(b)) if b != 0.0 => Some((a / b - 1.0) * 100.0),
        _ => None,
    };
    if let Some(r) = reported {
        cross_check(indicator, r, sums.ytd, growth, issues);
    }
    IndicatorFigures {
        indicator: indicator.to_string(),
        region: WHOLE.to_string(),
        unit: sums.unit.clone().or_else(|| reported.and_then(|r| r.unit.clone())),
        ytd: sums.ytd,
        ytd_ly: sums.ytd_ly,
        growth,
        month: sums.month,
        month_prev: sums.month_prev,
        mom,
        ..Default::default()
    }
}

/// A reported total against the sums of its regions: the year-to-date
/// value, and the growth where both exist. The by-region figures are used;
/// a difference is a warning at the total's cell.
fn cross_check(indicator: &str, r: &Reported, sum: Option<f64>, growth: Option<f64>, issues: &mut Vec<StatIssue>) {
    let at = |column, msg| stat_issue(&r.file, Some(&r.sheet), Some(r.row as i32), Some(column), msg);
    if let (Some(rep), Some(sum)) = (r.ytd, sum) {
        if sum != 0.0 && ((rep - sum) / sum).abs() > TOTAL_TOLERANCE {
            let msg = format!("合计与分项之和不符：「{indicator}」合计行本年累计为{rep}，各地区之和为{sum}");
            issues.push(at(Column::ValueYtd, msg));
        }
    }
    if let (Some(rep), Some(g)) = (r.growth, growth) {
        if (rep - g).abs() > GROWTH_TOLERANCE_PP {
            let msg = format!(
                "「{indicator}」合计行增速为{rep}%，按各地区数据计算为{}%，两处不一致，采用按地区计算的数",
                (g * 100.0).round() / 100.0
            );
            issues.push(at(Column::GrowthReported, msg));
        }
    }
}

/// Figures of an earlier period's reported totals, for a whole-only
/// indicator's month on month and last year's value.
struct ReportedContext {
    previous: HashMap<String, Reported>,
    last_year: HashMap<String, Reported>,
}

/// The whole of an indicator that has no region rows: the whole-area
/// table's (or total row's) own figures. Its growth is the reported one,
/// else computed from its own year-to-date values.
fn whole_from_reported(indicator: &str, r: &Reported, context: &ReportedContext) -> IndicatorFigures {
    let ytd_ly = r.ytd_ly.or_else(|| context.last_year.get(indicator).and_then(|l| l.ytd));
    let computed = match (r.ytd, ytd_ly) {
        (Some(a), Some(b)) if b != 0.0 => Some((a / b - 1.0) * 100.0),
        _ => None,
    };
    let month_prev = context.previous.get(indicator).and_then(|p| p.month);
    let mom = match (r.month, month_prev) {
        (Some(a), Some(b)) if b != 0.0 => Some((a / b - 1.0) * 100.0),
        _ => None,
    };
    IndicatorFigures {
        indicator: indicator.to_string(),
        region: WHOLE.to_string(),
        unit: r.unit.clone(),
        ytd: r.ytd,
        ytd_ly,
        growth: r.growth.or(computed),
        month: r.month,
        month_prev,
        mom,
        ..Default::default()
    }
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
