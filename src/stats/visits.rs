//! Visits and problems (SPEC §2.3): how many enterprises were visited, how
//! many problems were raised and resolved, on time or overdue, and how
//! satisfied the enterprises were, by category, tier, region and unit.
//!
//! The same problem appears in every monthly re-send of a cumulative
//! ledger; the row from the latest period wins, so a cumulative ledger and
//! a ledger of monthly increments give the same figures.

use super::{col_days, col_i64, days_to_string, label_order, ratio_pct, str_ca, strs, AsOf, Targets, UNLABELLED};
use crate::config::Config;
use crate::error::Error;
use crate::model::{Grouped, Overdue, ProblemFigures, ProblemStatus, Satisfaction, Tier, VisitsMonth, VisitsReport};
use polars::prelude::*;

/// (visit id) or (date, cadre, enterprise).
type VisitKey<'a> = (Option<&'a str>, Option<i32>, Option<&'a str>, Option<&'a str>);

pub const GROUPS: [(&str, &str); 4] =
    [("category", "category"), ("tier", "tier"), ("region", "region"), ("cadre_unit", "cadre_unit")];

// Long on purpose for now: the whole and every group are accumulated in
// one pass over the kept problems (see `Acc`); what remains here is reading
// the columns once and the dedupe of cumulative ledgers.
pub fn compute(df: &DataFrame, targets: &Targets, as_of: AsOf, config: &Config) -> Result<VisitsReport, Error> {
    let period_ok = (col("year") * lit(100) + col("month")).lt_eq(lit(as_of.year * 100 + as_of.month as i32));
    let date = col("visit_date").cast(DataType::Int32);
    // The mask first: when every row is in the period (a year-end run) the
    // frame is used as it is, not copied (a province's visits are ~0.4 GB).
    let in_period = df
        .clone()
        .lazy()
        .select([period_ok
            .and(date.clone().gt_eq(lit(as_of.year_start_days())))
            .and(date.lt_eq(lit(as_of.end_days())))])
        .collect()?;
    let in_period = in_period.columns().first().map(|c| c.bool().cloned()).transpose()?;
    let rows = match in_period {
        Some(mask) if mask.null_count() == 0 && mask.all() => df.clone(),
        Some(mask) => df.filter(&mask)?,
        None => df.clone(),
    };

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
    // Monthly increments keep every row: no copy then either.
    let kept = if keep.len() == rows.height() { rows.clone() } else { rows.filter(&keep_mask)? };
    let categories_ca = str_ca(&kept, "category")?;
    let categories = strs(&categories_ca);
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
    let mut monthly: PlHashMap<u32, (PlHashSet<VisitKey<'_>>, i64, i64)> = PlHashMap::default();
    // The whole and every group are accumulated the same way, so each group
    // carries every figure the whole has (SPEC §2.3).
    let mut whole = Acc::default();
    let mut groups: [PlHashMap<&str, Acc>; 4] = Default::default();
    let labels = [&categories, &tiers, &regions, &units];
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
        if problems[i].is_none_or(|p| p.trim().is_empty()) {
            continue;
        }
        // A problem without a status counts as in progress; one resolved
        // after the as-of month was not resolved as of it (SPEC §2.3), so a
        // re-run of an earlier period gives that period's figures.
        let mut status = statuses[j].and_then(ProblemStatus::parse).unwrap_or(ProblemStatus::InProgress);
        let mut resolved_date = resolved_dates[j];
        if status == ProblemStatus::Resolved && resolved_date.is_some_and(|d| d > end) {
            status = ProblemStatus::InProgress;
            resolved_date = None;
        }
        entry.1 += 1;
        if status == ProblemStatus::Resolved {
            entry.2 += 1;
        }
        let tier = tiers[j].and_then(Tier::parse);
        let deadline = deadlines[j].or_else(|| dates[i].map(|d| d + config.tier_days.for_tier(tier) as i32));
        let problem = Problem {
            status,
            on_time: match (resolved_date, dates[i]) {
                (Some(done), Some(visited)) if status == ProblemStatus::Resolved => {
                    Some((deadline.is_some_and(|dl| done <= dl), (done - visited) as f64))
                }
                _ => None,
            },
            overdue_days: deadline
                .filter(|&dl| status != ProblemStatus::Resolved && dl < end)
                .map(|dl| (end - dl) as i64),
            satisfied: satisfaction[j].and_then(Satisfaction::parse).map(Satisfaction::is_satisfied),
        };
        whole.add(&problem);
        for (g, column) in groups.iter_mut().zip(labels) {
            g.entry(column[j].unwrap_or(UNLABELLED)).or_default().add(&problem);
        }
        if let (Some(days), Some(dl)) = (problem.overdue_days, deadline) {
            report.overdue.push(Overdue {
                enterprise: enterprises[i].map(str::to_string).unwrap_or_default(),
                problem: problems[i].map(str::to_string).unwrap_or_default(),
                region: regions[j].map(str::to_string),
                cadre_unit: units[j].map(str::to_string),
                deadline: days_to_string(dl),
                days_overdue: days,
                colour: config.colours.colour(days),
            });
        }
    }
    report.visits = visit_set.len() as i64;
    report.enterprises = enterprise_set.len() as i64;
    report.cadres = cadre_set.len() as i64;
    let total = whole.figures();
    report.problems = total.problems;
    report.resolved = total.resolved;
    report.in_progress = total.in_progress;
    report.unresolvable = total.unresolvable;
    report.resolution_rate = total.resolution_rate;
    report.on_time_rate = total.on_time_rate;
    report.median_days = total.median_days;
    report.satisfaction_rate = total.satisfaction_rate;
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

    let [by_category, by_tier, by_region, by_unit] = groups;
    report.by_category = grouped("category", by_category, config);
    report.by_tier = grouped("tier", by_tier, config);
    report.by_region = grouped("region", by_region, config);
    report.by_unit = grouped("cadre_unit", by_unit, config);
    Ok(report)
}

/// One problem as the figures need it.
struct Problem {
    status: ProblemStatus,
    /// For a resolved problem with a resolved date: (on time, days taken).
    on_time: Option<(bool, f64)>,
    /// Days past its deadline at the end of the month, when overdue.
    overdue_days: Option<i64>,
    /// 满意 or 基本满意, when the enterprise gave a verdict.
    satisfied: Option<bool>,
}

/// The counts behind a set of problems' figures.
#[derive(Default)]
struct Acc {
    problems: i64,
    resolved: i64,
    in_progress: i64,
    unresolvable: i64,
    resolved_with_date: i64,
    on_time: i64,
    durations: Vec<f64>,
    rated: i64,
    satisfied: i64,
    overdue: i64,
}

impl Acc {
    fn add(&mut self, p: &Problem) {
        self.problems += 1;
        match p.status {
            ProblemStatus::Resolved => self.resolved += 1,
            ProblemStatus::InProgress => self.in_progress += 1,
            ProblemStatus::Unresolvable => self.unresolvable += 1,
        }
        if let Some((on_time, days)) = p.on_time {
            self.resolved_with_date += 1;
            self.on_time += i64::from(on_time);
            self.durations.push(days);
        }
        if let Some(s) = p.satisfied {
            self.rated += 1;
            self.satisfied += i64::from(s);
        }
        self.overdue += i64::from(p.overdue_days.is_some());
    }

    fn figures(&mut self) -> ProblemFigures {
        ProblemFigures {
            problems: self.problems,
            resolved: self.resolved,
            in_progress: self.in_progress,
            unresolvable: self.unresolvable,
            resolution_rate: ratio_pct(self.resolved as f64, self.problems as f64),
            on_time_rate: ratio_pct(self.on_time as f64, self.resolved_with_date as f64),
            median_days: median(&mut self.durations),
            satisfaction_rate: ratio_pct(self.satisfied as f64, self.rated as f64),
            overdue_count: self.overdue,
        }
    }
}

/// A group's items in their published order; cadre units are ranked by
/// resolution rate (SPEC §2.3), the other groups are breakdowns, and the
/// unlabelled group is listed but never ranked.
fn grouped(key: &'static str, groups: PlHashMap<&str, Acc>, config: &Config) -> Vec<Grouped<ProblemFigures>> {
    let mut items: Vec<Grouped<ProblemFigures>> = groups
        .into_iter()
        .map(|(label, mut acc)| Grouped { key, label: label.to_string(), rank: None, figures: acc.figures() })
        .collect();
    if key == "cadre_unit" {
        let rates: Vec<Option<f64>> =
            items.iter().map(|g| g.figures.resolution_rate.filter(|_| g.label != UNLABELLED)).collect();
        for (item, rank) in items.iter_mut().zip(super::ranks_desc(&rates)) {
            item.rank = rank;
        }
    }
    let order = label_order(config, key);
    match key {
        // Categories and tiers in the spec's order.
        "category" => {
            let pos = |l: &str| crate::ingest::folds::CATEGORIES.iter().position(|c| *c == l).unwrap_or(usize::MAX);
            items.sort_by(|a, b| pos(&a.label).cmp(&pos(&b.label)).then_with(|| a.label.cmp(&b.label)));
        }
        "tier" => {
            let pos = |l: &str| Tier::ALL.iter().position(|c| c.as_str() == l).unwrap_or(usize::MAX);
            items.sort_by(|a, b| pos(&a.label).cmp(&pos(&b.label)).then_with(|| a.label.cmp(&b.label)));
        }
        _ => items.sort_by(|a, b| order(&a.label, &b.label)),
    }
    items
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
