//! Visits and problems (SPEC §2.3): how many enterprises were visited, how
//! many problems were raised and resolved, on time or overdue, and how
//! satisfied the enterprises were, by category, tier, region and unit.
//!
//! The same problem appears in every monthly re-send of a cumulative
//! ledger; the row from the latest period wins, so a cumulative ledger and
//! a ledger of monthly increments give the same figures.

use super::{
    col_days, col_i64, col_str, competition_rank, days_to_string, label_order, pct, ratio_pct, str_ca, strs, AsOf,
    Targets, UNLABELLED,
};
use crate::config::Config;
use crate::error::Error;
use crate::model::{Grouped, Overdue, ProblemFigures, VisitsMonth, VisitsReport};
use crate::quality::Issue;
use polars::prelude::*;
use std::collections::HashMap;

/// (visit id) or (date, cadre, enterprise).
type VisitKey<'a> = (Option<&'a str>, Option<i32>, Option<&'a str>, Option<&'a str>);

pub const GROUPS: [(&str, &str); 4] =
    [("category", "category"), ("tier", "tier"), ("region", "region"), ("cadre_unit", "cadre_unit")];

pub fn compute(
    df: &DataFrame,
    targets: &Targets,
    as_of: AsOf,
    config: &Config,
) -> Result<(VisitsReport, Vec<Issue>), Error> {
    let issues = Vec::new();
    let period_ok = (col("year") * lit(100) + col("month")).lt_eq(lit(as_of.year * 100 + as_of.month as i32));
    let date = col("visit_date").cast(DataType::Int32);
    let rows = df
        .clone()
        .lazy()
        .filter(period_ok.and(date.clone().gt_eq(lit(as_of.year_start_days()))).and(date.lt_eq(lit(as_of.end_days()))))
        .collect()?;

    // Keys, and the latest row of every problem.
    let ids_ca = str_ca(&rows, "visit_id")?;
    let ids = strs(&ids_ca);
    let dates = col_days(&rows, "visit_date")?;
    let cadres_ca = str_ca(&rows, "cadre")?;
    let cadres = strs(&cadres_ca);
    let enterprises_ca = str_ca(&rows, "enterprise")?;
    let enterprises = strs(&enterprises_ca);
    let problems_ca = str_ca(&rows, "problem")?;
    let problems = strs(&problems_ca);
    let years = col_i64(&rows, "year")?;
    let months = col_i64(&rows, "month")?;
    // A visit is its 走访编号, else (date, cadre, enterprise); keys borrow
    // the columns' strings, so a million rows cost no string copies.
    let visit_keys: Vec<VisitKey<'_>> = (0..rows.height())
        .map(|i| match ids[i] {
            Some(id) => (Some(id), None, None, None),
            None => (None, dates[i], cadres[i], enterprises[i]),
        })
        .collect();
    let mut latest: PlHashMap<(VisitKey<'_>, Option<&str>), usize> = PlHashMap::default();
    for i in 0..rows.height() {
        let key = (visit_keys[i], problems[i]);
        let period = (years[i], months[i]);
        match latest.get(&key) {
            // Later periods win; within one period the later row wins.
            Some(&j) if (years[j], months[j]) > period => {}
            _ => {
                latest.insert(key, i);
            }
        }
    }
    let mut keep: Vec<usize> = latest.into_values().collect();
    keep.sort_unstable();
    let keep_mask: BooleanChunked = {
        let mut mask = vec![false; rows.height()];
        for &i in &keep {
            mask[i] = true;
        }
        mask.into_iter().collect()
    };

    // The other columns are read from the kept rows only: a cumulative
    // ledger re-sent each month holds every problem several times.
    let mut kept = rows.filter(&keep_mask)?;
    let usccs_ca = str_ca(&kept, "uscc")?;
    let usccs = strs(&usccs_ca);
    let tiers_ca = str_ca(&kept, "tier")?;
    let tiers = strs(&tiers_ca);
    let deadlines = col_days(&kept, "deadline")?;
    let statuses_ca = str_ca(&kept, "status")?;
    let statuses = strs(&statuses_ca);
    let resolved_dates = col_days(&kept, "resolved_date")?;
    let satisfaction_ca = str_ca(&kept, "satisfaction")?;
    let satisfaction = strs(&satisfaction_ca);
    let regions_ca = str_ca(&kept, "region")?;
    let regions = strs(&regions_ca);
    let units_ca = str_ca(&kept, "cadre_unit")?;
    let units = strs(&units_ca);
    let end = as_of.end_days();

    let mut report = VisitsReport::default();
    let mut visit_set: PlHashSet<VisitKey<'_>> = PlHashSet::default();
    let mut enterprise_set: PlHashSet<&str> = PlHashSet::default();
    let mut cadre_set: PlHashSet<&str> = PlHashSet::default();
    let (mut resolved_with_date, mut on_time, mut sat_total, mut sat_good) = (0i64, 0i64, 0i64, 0i64);
    let mut durations: Vec<f64> = Vec::new();
    let mut monthly: HashMap<u32, (PlHashSet<VisitKey<'_>>, i64, i64)> = HashMap::new();
    // Effective status and deadline of every kept row, for the group-bys.
    let mut status_eff: Vec<&str> = Vec::with_capacity(keep.len());
    // `i` indexes all rows (keys), `j` the kept rows (other columns).
    for (j, &i) in keep.iter().enumerate() {
        visit_set.insert(visit_keys[i]);
        if let Some(e) = usccs[j].or(enterprises[i]) {
            enterprise_set.insert(e);
        }
        if let Some(c) = cadres[i] {
            cadre_set.insert(c);
        }
        let visit_month = dates[i].and_then(month_of_days).unwrap_or(0);
        let entry = monthly.entry(visit_month).or_default();
        entry.0.insert(visit_keys[i]);
        let is_problem = problems[i].is_some_and(|p| !p.trim().is_empty());
        // A problem without a status counts as in progress.
        let status = statuses[j].unwrap_or("in_progress");
        status_eff.push(if is_problem { status } else { "" });
        if !is_problem {
            continue;
        }
        report.problems += 1;
        entry.1 += 1;
        match status {
            "resolved" => {
                report.resolved += 1;
                entry.2 += 1;
            }
            "unresolvable" => report.unresolvable += 1,
            _ => report.in_progress += 1,
        }
        let deadline = deadlines[j].or_else(|| dates[i].map(|d| d + config.tier_days.for_tier(tiers[j]) as i32));
        if status == "resolved" {
            if let (Some(done), Some(visited)) = (resolved_dates[j], dates[i]) {
                resolved_with_date += 1;
                if deadline.is_some_and(|dl| done <= dl) {
                    on_time += 1;
                }
                durations.push((done - visited) as f64);
            }
        } else if let Some(dl) = deadline {
            if dl < end {
                let days = (end - dl) as i64;
                report.overdue.push(Overdue {
                    enterprise: enterprises[i].map(str::to_string).unwrap_or_default(),
                    problem: problems[i].map(str::to_string).unwrap_or_default(),
                    region: regions[j].map(str::to_string),
                    cadre_unit: units[j].map(str::to_string),
                    deadline: days_to_string(dl),
                    days_overdue: days,
                    colour: config.colours.colour(days).to_string(),
                });
            }
        }
        if let Some(s) = satisfaction[j] {
            sat_total += 1;
            if s == "满意" || s == "基本满意" {
                sat_good += 1;
            }
        }
    }
    report.visits = visit_set.len() as i64;
    report.enterprises = enterprise_set.len() as i64;
    report.cadres = cadre_set.len() as i64;
    report.resolution_rate = ratio_pct(report.resolved as f64, report.problems as f64);
    report.on_time_rate = ratio_pct(on_time as f64, resolved_with_date as f64);
    report.median_days = median(&mut durations);
    report.satisfaction_rate = ratio_pct(sat_good as f64, sat_total as f64);
    report.overdue.sort_by(|a, b| {
        b.days_overdue
            .cmp(&a.days_overdue)
            .then_with(|| a.enterprise.cmp(&b.enterprise))
            .then_with(|| a.problem.cmp(&b.problem))
    });
    report.overdue_count = report.overdue.len() as i64;
    report.resolution_target = targets.find(None, |m| m.contains("问题解决率")).map(|t| t.0);
    report.satisfaction_target = targets.find(None, |m| m.contains("满意率")).map(|t| t.0);
    let mut months_sorted: Vec<_> = monthly.into_iter().collect();
    months_sorted.sort_by_key(|(m, _)| *m);
    report.monthly = months_sorted
        .into_iter()
        .map(|(month, (v, p, r))| VisitsMonth { month, visits: v.len() as i64, problems: p, resolved: r })
        .collect();

    // Groups of problems, in polars.
    let status_series = Series::new("status_eff".into(), status_eff);
    kept.with_column(status_series.into_column())?;
    let problems_df = kept.lazy().filter(col("status_eff").neq(lit(""))).collect()?;
    let mut groups = Vec::new();
    for (key, column) in GROUPS {
        let grouped = problems_df
            .clone()
            .lazy()
            .with_column(col(column).fill_null(lit(UNLABELLED)))
            .group_by([col(column)])
            .agg([
                len().cast(DataType::Int64).alias("problems"),
                col("status_eff").eq(lit("resolved")).cast(DataType::Int64).sum().alias("resolved"),
                col("status_eff").eq(lit("in_progress")).cast(DataType::Int64).sum().alias("in_progress"),
                col("status_eff").eq(lit("unresolvable")).cast(DataType::Int64).sum().alias("unresolvable"),
            ])
            .with_column(pct(col("resolved"), col("problems")).alias("resolution_rate"))
            .with_column(competition_rank(col("resolution_rate")).alias("rank"))
            .collect()?;
        let labels = col_str(&grouped, column)?;
        let n = col_i64(&grouped, "problems")?;
        let res = col_i64(&grouped, "resolved")?;
        let inp = col_i64(&grouped, "in_progress")?;
        let unr = col_i64(&grouped, "unresolvable")?;
        let rate = super::col_f64(&grouped, "resolution_rate")?;
        let rank = col_i64(&grouped, "rank")?;
        let mut items: Vec<Grouped<ProblemFigures>> = (0..grouped.height())
            .map(|i| Grouped {
                key,
                label: labels[i].clone().unwrap_or_else(|| UNLABELLED.to_string()),
                // Units are ranked (SPEC §2.3); the other groups are breakdowns.
                rank: if key == "cadre_unit" { rank[i] } else { None },
                figures: ProblemFigures {
                    problems: n[i].unwrap_or(0),
                    resolved: res[i].unwrap_or(0),
                    in_progress: inp[i].unwrap_or(0),
                    unresolvable: unr[i].unwrap_or(0),
                    resolution_rate: rate[i],
                },
            })
            .collect();
        let order = label_order(config, key);
        if key == "category" {
            // Categories in the spec's order.
            let pos = |l: &str| crate::ingest::values::CATEGORIES.iter().position(|c| *c == l).unwrap_or(usize::MAX);
            items.sort_by(|a, b| pos(&a.label).cmp(&pos(&b.label)).then_with(|| a.label.cmp(&b.label)));
        } else if key == "tier" {
            let pos = |l: &str| ["当场办", "部门办", "领导办"].iter().position(|c| *c == l).unwrap_or(usize::MAX);
            items.sort_by(|a, b| pos(&a.label).cmp(&pos(&b.label)).then_with(|| a.label.cmp(&b.label)));
        } else {
            items.sort_by(|a, b| order(&a.label, &b.label));
        }
        groups.push(items);
    }
    let mut groups = groups.into_iter();
    report.by_category = groups.next().unwrap_or_default();
    report.by_tier = groups.next().unwrap_or_default();
    report.by_region = groups.next().unwrap_or_default();
    report.by_unit = groups.next().unwrap_or_default();
    Ok((report, issues))
}

fn month_of_days(days: i32) -> Option<u32> {
    use chrono::Datelike;
    chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|e| e.checked_add_signed(chrono::Duration::days(days as i64)))
        .map(|d| d.month())
}

/// The median of durations in days; the mean of the two middle values for
/// an even count, as statistics textbooks define it.
fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(|a, b| a.total_cmp(b));
    let n = values.len();
    Some(if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2.0 })
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn medians() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), Some(2.5));
    }
}
