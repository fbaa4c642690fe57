//! Key projects (SPEC §2.1): completion against plan and target, time
//! progress and its red/yellow/green flag, new starts, and the same figures
//! by region, chain, leader and level with competition ranks.
//!
//! Figures come from the latest projects sheet of the year up to the as-of
//! month, because each monthly ledger is cumulative (1—M月).

use super::{
    col_days, col_f64, col_i64, col_str, competition_rank, days_to_string, label_order, pct, ratio_pct, stat_issue,
    str_ca, strs, sum_or_null, AsOf, Targets, UNLABELLED,
};
use crate::config::Config;
use crate::error::Error;
use crate::model::{Grouped, MonthlyDone, ProjectFigures, ProjectItem, ProjectsReport};
use crate::quality::Issue;
use polars::prelude::*;

pub const GROUPS: [&str; 4] = ["region", "chain", "leader", "level"];

/// The aggregates of a set of project rows.
fn aggregates(as_of: AsOf) -> Vec<Expr> {
    let start = col("start_date").cast(DataType::Int32);
    let in_year =
        start.clone().gt_eq(lit(as_of.year_start_days())).and(start.lt_eq(lit(as_of.end_days()))).fill_null(lit(false));
    // A project without a start date counts as a new start when its status says so.
    let by_status = col("start_date").is_null().and(col("status").eq(lit("新开工")).fill_null(lit(false)));
    let new_start = in_year.or(by_status);
    let started = col("status")
        .eq(lit("新开工"))
        .or(col("status").eq(lit("在建")))
        .or(col("status").eq(lit("投产")))
        .fill_null(lit(false));
    vec![
        len().cast(DataType::Int64).alias("count"),
        sum_or_null("plan_year").alias("plan"),
        sum_or_null("done_ytd").alias("done"),
        new_start.cast(DataType::Int64).sum().alias("new_starts"),
        started.cast(DataType::Int64).sum().alias("started"),
    ]
}

/// Rates and the flag, from the aggregates.
fn derived() -> Vec<Expr> {
    vec![
        pct(col("done"), col("plan")).alias("completion_rate"),
        pct(col("started"), col("count")).alias("started_rate"),
    ]
}

fn flag_expr(time_progress: f64, yellow_band_pp: f64) -> Expr {
    let rate = col("completion_rate");
    when(rate.clone().is_null())
        .then(lit(NULL).cast(DataType::String))
        .when(rate.clone().gt_eq(lit(time_progress)))
        .then(lit("green"))
        .when(rate.gt_eq(lit(time_progress - yellow_band_pp)))
        .then(lit("yellow"))
        .otherwise(lit("red"))
        .alias("flag")
}

/// The flag of one completion rate, for single projects.
pub fn flag_of(rate: Option<f64>, time_progress: f64, yellow_band_pp: f64) -> Option<String> {
    rate.map(|r| {
        if r >= time_progress {
            "green"
        } else if r >= time_progress - yellow_band_pp {
            "yellow"
        } else {
            "red"
        }
        .to_string()
    })
}

fn figures_at(df: &DataFrame, time_progress: f64) -> Result<Vec<ProjectFigures>, Error> {
    let count = col_i64(df, "count")?;
    let plan = col_f64(df, "plan")?;
    let done = col_f64(df, "done")?;
    let rate = col_f64(df, "completion_rate")?;
    let flag = col_str(df, "flag")?;
    let new_starts = col_i64(df, "new_starts")?;
    let started = col_i64(df, "started")?;
    let started_rate = col_f64(df, "started_rate")?;
    Ok((0..df.height())
        .map(|i| ProjectFigures {
            count: count[i].unwrap_or(0),
            plan: plan[i],
            done: done[i],
            completion_rate: rate[i],
            time_progress,
            flag: flag[i].clone(),
            new_starts: new_starts[i].unwrap_or(0),
            started: started[i].unwrap_or(0),
            started_rate: started_rate[i],
            ..Default::default()
        })
        .collect())
}

fn with_targets(f: &mut ProjectFigures, targets: &Targets, scope: Option<&str>) {
    f.target = targets.find(scope, |m| m.contains("年度投资")).map(|t| t.0);
    f.target_completion_rate = match (f.done, f.target) {
        (Some(d), Some(t)) => ratio_pct(d, t),
        _ => None,
    };
    f.new_start_target = targets.find(scope, |m| m.contains("新开工")).map(|t| t.0);
    f.new_start_target_rate = f.new_start_target.and_then(|t| ratio_pct(f.new_starts as f64, t));
}

pub fn compute(
    df: &DataFrame,
    targets: &Targets,
    as_of: AsOf,
    config: &Config,
) -> Result<(ProjectsReport, Vec<Issue>), Error> {
    let mut issues = Vec::new();
    let time_progress = as_of.month as f64 / 12.0 * 100.0;
    let band = config.yellow_band_pp;
    let year_rows = df
        .clone()
        .lazy()
        .filter(col("year").eq(lit(as_of.year)).and(col("month").lt_eq(lit(as_of.month as i32))))
        .collect()?;
    let months = col_i64(&year_rows, "month")?;
    let Some(latest) = months.iter().flatten().max().copied() else {
        let mut report = ProjectsReport::default();
        report.total.time_progress = time_progress;
        with_targets(&mut report.total, targets, None);
        return Ok((report, issues));
    };
    if latest != as_of.month as i64 {
        issues.push(stat_issue(
            "",
            None,
            None,
            None,
            format!(
                "{}年{}月没有重点项目台账，项目数据使用{}年{}月的台账",
                as_of.year, as_of.month, as_of.year, latest
            ),
        ));
    }
    let current = year_rows.clone().lazy().filter(col("month").eq(lit(latest as i32))).collect()?;

    // The whole.
    let total_df = current
        .clone()
        .lazy()
        .select(aggregates(as_of))
        .with_columns(derived())
        .with_column(flag_expr(time_progress, band))
        .collect()?;
    let mut total = figures_at(&total_df, time_progress)?.into_iter().next().unwrap_or_default();
    with_targets(&mut total, targets, None);

    // The groups.
    let mut groups: Vec<Vec<Grouped<ProjectFigures>>> = Vec::new();
    for key in GROUPS {
        let grouped = current
            .clone()
            .lazy()
            .with_column(col(key).fill_null(lit(UNLABELLED)))
            .group_by([col(key)])
            .agg(aggregates(as_of))
            .with_columns(derived())
            .with_column(flag_expr(time_progress, band))
            .with_column(competition_rank(col("completion_rate")).alias("rank"))
            .collect()?;
        let labels = col_str(&grouped, key)?;
        let ranks = col_i64(&grouped, "rank")?;
        let figures = figures_at(&grouped, time_progress)?;
        let mut items: Vec<Grouped<ProjectFigures>> = labels
            .into_iter()
            .zip(ranks)
            .zip(figures)
            .map(|((label, rank), mut figures)| {
                let label = label.unwrap_or_else(|| UNLABELLED.to_string());
                if key == "region" {
                    with_targets(&mut figures, targets, Some(&label));
                }
                Grouped { key, label, rank, figures }
            })
            .collect();
        let order = label_order(config, key);
        items.sort_by(|a, b| order(&a.label, &b.label));
        groups.push(items);
    }

    // The monthly series: Σ done_ytd of each month's sheet.
    let monthly_df = year_rows
        .clone()
        .lazy()
        .group_by([col("month")])
        .agg([sum_or_null("done_ytd").alias("done")])
        .sort(["month"], SortMultipleOptions::default())
        .collect()?;
    let monthly = col_i64(&monthly_df, "month")?
        .into_iter()
        .zip(col_f64(&monthly_df, "done")?)
        .filter_map(|(m, done)| m.map(|m| MonthlyDone { month: m as u32, done }))
        .collect();

    issues.extend(checks(&year_rows, latest, as_of)?);
    let items = items(&current, time_progress, band, config)?;
    let mut groups = groups.into_iter();
    let report = ProjectsReport {
        source_period: Some(format!("{:04}-{:02}", as_of.year, latest)),
        total,
        by_region: groups.next().unwrap_or_default(),
        by_chain: groups.next().unwrap_or_default(),
        by_leader: groups.next().unwrap_or_default(),
        by_level: groups.next().unwrap_or_default(),
        monthly,
        items,
    };
    Ok((report, issues))
}

/// The warnings of SPEC §2.1: done_ytd falling from an earlier month,
/// done_ytd above total investment, a start date after the as-of month.
fn checks(year_rows: &DataFrame, latest: i64, as_of: AsOf) -> Result<Vec<Issue>, Error> {
    let mut issues = Vec::new();
    // A project is its 项目编号, else (name, region); keys borrow the columns.
    let (ids_ca, key_names_ca, regions_ca) =
        (str_ca(year_rows, "project_id")?, str_ca(year_rows, "name")?, str_ca(year_rows, "region")?);
    let (ids, key_names, regions) = (strs(&ids_ca), strs(&key_names_ca), strs(&regions_ca));
    let keys: Vec<(Option<&str>, Option<&str>, Option<&str>)> = (0..year_rows.height())
        .map(|i| match ids[i] {
            Some(id) => (Some(id), None, None),
            None => (None, key_names[i], regions[i]),
        })
        .collect();
    let months = col_i64(year_rows, "month")?;
    let done = col_f64(year_rows, "done_ytd")?;
    let files_ca = str_ca(year_rows, "source_file")?;
    let files = strs(&files_ca);
    let sheets_ca = str_ca(year_rows, "sheet")?;
    let sheets = strs(&sheets_ca);
    let rows = col_i64(year_rows, "row")?;
    let names_ca = str_ca(year_rows, "name")?;
    let names = strs(&names_ca);
    let mut order: Vec<usize> = (0..year_rows.height()).collect();
    order.sort_by_key(|&i| (months[i], rows[i]));
    let mut last: PlHashMap<(Option<&str>, Option<&str>, Option<&str>), (i64, f64)> = PlHashMap::default();
    for i in order {
        let (Some(m), Some(d)) = (months[i], done[i]) else { continue };
        if let Some(&(pm, pd)) = last.get(&keys[i]) {
            if pm < m && d < pd {
                issues.push(stat_issue(
                    files[i].unwrap_or(""),
                    sheets[i],
                    rows[i].map(|r| r as i32),
                    Some("done_ytd"),
                    format!(
                        "项目「{}」{}月本年累计完成投资{}万元，低于{}月的{}万元，请核实",
                        names[i].unwrap_or(""),
                        m,
                        d,
                        pm,
                        pd
                    ),
                ));
            }
        }
        last.insert(keys[i], (m, d));
    }
    // The other two checks look at the sheet the figures come from.
    let total = col_f64(year_rows, "total_investment")?;
    let start = col_days(year_rows, "start_date")?;
    for i in (0..year_rows.height()).filter(|&i| months[i] == Some(latest)) {
        let name = names[i].unwrap_or("");
        let (file, sheet, row) = (files[i].unwrap_or(""), sheets[i], rows[i].map(|r| r as i32));
        if let (Some(d), Some(t)) = (done[i], total[i]) {
            if d > t {
                issues.push(stat_issue(
                    file,
                    sheet,
                    row,
                    Some("done_ytd"),
                    format!("项目「{name}」本年累计完成投资{d}万元，超过总投资{t}万元，请核实"),
                ));
            }
        }
        if let Some(s) = start[i] {
            if s > as_of.end_days() {
                issues.push(stat_issue(
                    file,
                    sheet,
                    row,
                    Some("start_date"),
                    format!("项目「{name}」开工日期{}晚于报告期{}，请核实", days_to_string(s), as_of.label()),
                ));
            }
        }
    }
    Ok(issues)
}

fn items(current: &DataFrame, time_progress: f64, band: f64, config: &Config) -> Result<Vec<ProjectItem>, Error> {
    let ids_ca = str_ca(current, "project_id")?;
    let ids = strs(&ids_ca);
    let names_ca = str_ca(current, "name")?;
    let names = strs(&names_ca);
    let regions_ca = str_ca(current, "region")?;
    let regions = strs(&regions_ca);
    let chains_ca = str_ca(current, "chain")?;
    let chains = strs(&chains_ca);
    let levels_ca = str_ca(current, "level")?;
    let levels = strs(&levels_ca);
    let leaders_ca = str_ca(current, "leader")?;
    let leaders = strs(&leaders_ca);
    let plan = col_f64(current, "plan_year")?;
    let done = col_f64(current, "done_ytd")?;
    let status_ca = str_ca(current, "status")?;
    let status = strs(&status_ca);
    let start = col_days(current, "start_date")?;
    let files_ca = str_ca(current, "source_file")?;
    let files = strs(&files_ca);
    let sheets_ca = str_ca(current, "sheet")?;
    let sheets = strs(&sheets_ca);
    let rows = col_i64(current, "row")?;
    let mut out: Vec<ProjectItem> = (0..current.height())
        .map(|i| {
            let rate = match (done[i], plan[i]) {
                (Some(d), Some(p)) => ratio_pct(d, p),
                _ => None,
            };
            ProjectItem {
                project_id: ids[i].map(str::to_string),
                name: names[i].map(str::to_string).unwrap_or_default(),
                region: regions[i].map(str::to_string).unwrap_or_default(),
                chain: chains[i].map(str::to_string),
                level: levels[i].map(str::to_string),
                leader: leaders[i].map(str::to_string),
                plan: plan[i],
                done: done[i],
                completion_rate: rate,
                flag: flag_of(rate, time_progress, band),
                status: status[i].map(str::to_string),
                start_date: start[i].map(days_to_string),
                source_file: files[i].map(str::to_string).unwrap_or_default(),
                sheet: sheets[i].map(str::to_string).unwrap_or_default(),
                row: rows[i].unwrap_or(0) as i32,
            }
        })
        .collect();
    let order = label_order(config, "region");
    out.sort_by(|a, b| {
        order(&a.region, &b.region).then_with(|| a.source_file.cmp(&b.source_file)).then(a.row.cmp(&b.row))
    });
    Ok(out)
}
