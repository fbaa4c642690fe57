//! Visits and problems (SPEC §2.3): how many enterprises were visited, how
//! many problems were raised and resolved, on time or overdue, and how
//! satisfied the enterprises were, by category, tier, region and unit.
//!
//! The same problem appears in every monthly re-send of a cumulative
//! ledger; the row from the latest period wins, so a cumulative ledger and
//! a ledger of monthly increments give the same figures.

use super::{label_order, ratio_pct, AsOf, Targets, UNLABELLED};
use crate::column_access::{I32Col, StrCol};
use crate::config::Config;
use crate::error::Error;
use crate::model::{
    Grouped, OverdueTable, ProblemFigures, ProblemStatus, Satisfaction, Tier, VisitsMonth, VisitsReport,
    OVERDUE_IN_JSON,
};
use crate::row_index::RowIndex;
use polars::prelude::*;
use std::cmp::Reverse;
use std::hash::BuildHasher;

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

    // Keys, and the latest row of every problem. Columns are read in place
    // and the indexes hold row numbers, not keys (see `row_index`): at
    // province scale collected columns and key maps were ~400 MB.
    let ids = StrCol::named(&rows, "visit_id")?;
    let dates = I32Col::named(&rows, "visit_date")?;
    let cadres = StrCol::named(&rows, "cadre")?;
    let enterprises = StrCol::named(&rows, "enterprise")?;
    let problems = StrCol::named(&rows, "problem")?;
    let (years, months) = (I32Col::named(&rows, "year")?, I32Col::named(&rows, "month")?);
    let period = |i: u32| (years.get(i as usize), months.get(i as usize));
    // A visit is its 走访编号, else (date, cadre, enterprise).
    let visit_key = |i: u32| {
        let i = i as usize;
        let key: VisitKey<'_> = match ids.get(i) {
            Some(id) => (Some(id), None, None, None),
            None => (None, dates.get(i), cadres.get(i), enterprises.get(i)),
        };
        key
    };
    let state = foldhash::quality::RandomState::default();
    let problem_hash = |i: u32| state.hash_one((visit_key(i), problems.get(i as usize)));
    let same_problem =
        |a: u32, b: u32| visit_key(a) == visit_key(b) && problems.get(a as usize) == problems.get(b as usize);
    let mut latest = RowIndex::with_capacity(rows.height());
    for i in 0..rows.height() as u32 {
        if let Some(prev) = latest.find_or_insert(i, problem_hash, same_problem) {
            // Later periods win; within one period the later row wins.
            if period(*prev) <= period(i) {
                *prev = i;
            }
        }
    }
    let mut keep: Vec<usize> = latest.rows().map(|i| i as usize).collect();
    drop(latest);
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
    let categories = StrCol::named(&kept, "category")?;
    let usccs = StrCol::named(&kept, "uscc")?;
    let tiers = StrCol::named(&kept, "tier")?;
    let deadlines = I32Col::named(&kept, "deadline")?;
    let statuses = StrCol::named(&kept, "status")?;
    let resolved_dates = I32Col::named(&kept, "resolved_date")?;
    let satisfaction = StrCol::named(&kept, "satisfaction")?;
    let regions = StrCol::named(&kept, "region")?;
    let units = StrCol::named(&kept, "cadre_unit")?;
    let end = as_of.end_days();

    let mut report = VisitsReport::default();
    // The visit sets hold positions in `keep`. Each kept row's visit key is
    // hashed once, up front: the whole-period set and the month's set both
    // need it, and a growing table rehashes its rows (reading their keys
    // again, at random, from the columns) unless the hashes are at hand.
    let visit_hashes: Vec<u64> = keep.iter().map(|&i| state.hash_one(visit_key(i as u32))).collect();
    let visit_hash = |j: u32| visit_hashes[j as usize];
    let same_visit = |a: u32, b: u32| visit_key(keep[a as usize] as u32) == visit_key(keep[b as usize] as u32);
    let mut visit_set = RowIndex::with_capacity(keep.len());
    // The months each visit was seen in, one bit per month (0–12), kept at
    // the visit's first position: distinct visits per month without a
    // table per month (13 more random inserts' worth of cache misses).
    let mut months_seen: Vec<u16> = vec![0; keep.len()];
    let mut overdue: Vec<OverdueAt> = Vec::new();
    let mut enterprises_seen = DistinctTexts::default();
    let mut cadres_seen = DistinctTexts::default();
    // By month of visit, 1–12 (0: no date): distinct visits, problems,
    // resolved. An array, not a map: the rows are of one year.
    let mut monthly: [Option<(i64, i64, i64)>; 13] = Default::default();
    // The whole and every group are accumulated the same way, so each group
    // carries every figure the whole has (SPEC §2.3).
    let mut whole = Acc::default();
    let mut groups: [PlHashMap<&str, Acc>; 4] = Default::default();
    let labels = [&categories, &tiers, &regions, &units];
    // `i` indexes all rows (keys), `j` the kept rows (other columns).
    for (j, &i) in keep.iter().enumerate() {
        let first = visit_set.find_or_insert(j as u32, visit_hash, same_visit).map_or(j, |&mut f| f as usize);
        if let Some(e) = usccs.get(j).or(enterprises.get(i)) {
            enterprises_seen.insert(e);
        }
        if let Some(c) = cadres.get(i) {
            cadres_seen.insert(c);
        }
        let visit_month = (dates.get(i).and_then(month_of_days).unwrap_or(0) as usize).min(12);
        let entry = monthly[visit_month].get_or_insert_with(Default::default);
        if months_seen[first] & (1 << visit_month) == 0 {
            months_seen[first] |= 1 << visit_month;
            entry.0 += 1;
        }
        if problems.get(i).is_none_or(|p| crate::ingest::values::trim_cell(p).is_empty()) {
            continue;
        }
        // A problem without a status counts as in progress; one resolved
        // after the as-of month was not resolved as of it (SPEC §2.3), so a
        // re-run of an earlier period gives that period's figures.
        let mut status = statuses.get(j).and_then(ProblemStatus::parse).unwrap_or(ProblemStatus::InProgress);
        let mut resolved_date = resolved_dates.get(j);
        if status == ProblemStatus::Resolved && resolved_date.is_some_and(|d| d > end) {
            status = ProblemStatus::InProgress;
            resolved_date = None;
        }
        entry.1 += 1;
        if status == ProblemStatus::Resolved {
            entry.2 += 1;
        }
        let tier = tiers.get(j).and_then(Tier::parse);
        let deadline = deadlines.get(j).or_else(|| dates.get(i).map(|d| d + config.tier_days.for_tier(tier) as i32));
        let problem = Problem {
            status,
            on_time: match (resolved_date, dates.get(i)) {
                (Some(done), Some(visited)) if status == ProblemStatus::Resolved => {
                    Some((deadline.is_some_and(|dl| done <= dl), (done - visited) as f64))
                }
                _ => None,
            },
            overdue_days: deadline
                .filter(|&dl| status != ProblemStatus::Resolved && dl < end)
                .map(|dl| (end - dl) as i64),
            satisfied: satisfaction.get(j).and_then(Satisfaction::parse).map(Satisfaction::is_satisfied),
        };
        whole.add(&problem);
        for (g, column) in groups.iter_mut().zip(labels) {
            g.entry(column.get(j).unwrap_or(UNLABELLED)).or_default().add(&problem);
        }
        if let (Some(days), Some(dl)) = (problem.overdue_days, deadline) {
            overdue.push(OverdueAt { days, row: i as IdxSize, deadline: dl });
        }
    }
    report.visits = visit_set.len() as i64;
    report.enterprises = enterprises_seen.len() as i64;
    report.cadres = cadres_seen.len() as i64;
    let total = whole.figures();
    report.problems = total.problems;
    report.resolved = total.resolved;
    report.in_progress = total.in_progress;
    report.unresolvable = total.unresolvable;
    report.resolution_rate = total.resolution_rate;
    report.on_time_rate = total.on_time_rate;
    report.median_days = total.median_days;
    report.satisfaction_rate = total.satisfaction_rate;
    report.overdue_all = overdue_table(&rows, &worst_first(overdue, &enterprises, &problems), config)?;
    report.overdue = report.overdue_all.rows()?.iter().take(OVERDUE_IN_JSON).map(|o| o.to_overdue()).collect();
    report.overdue_count = report.overdue_all.len() as i64;
    report.resolution_target = targets.find(None, |m| m.contains("问题解决率")).map(|t| t.0);
    report.satisfaction_target = targets.find(None, |m| m.contains("满意率")).map(|t| t.0);
    report.monthly = (0u32..)
        .zip(monthly)
        .filter_map(|(month, m)| {
            m.map(|(visits, problems, resolved)| VisitsMonth { month, visits, problems, resolved })
        })
        .collect();

    let [by_category, by_tier, by_region, by_unit] = groups;
    report.by_category = grouped("category", by_category, config);
    report.by_tier = grouped("tier", by_tier, config);
    report.by_region = grouped("region", by_region, config);
    report.by_unit = grouped("cadre_unit", by_unit, config);
    Ok(report)
}

/// Distinct texts (enterprises, cadres), each held as its own small copy.
/// A set of `&str` borrowed from the frame compares every repeat against
/// the text's first row, wherever that lies in a province's 0.4 GB of
/// visits: a cache miss per row (perf: 3 % of the province `run`). Copies
/// of up to 24 bytes (a USCC, a name) sit in the set's own slots.
#[derive(Default)]
struct DistinctTexts(PlHashSet<PlSmallStr>);

impl DistinctTexts {
    fn insert(&mut self, text: &str) {
        self.0.get_or_insert_with(text, |t| PlSmallStr::from(t));
    }

    fn len(&self) -> usize {
        self.0.len()
    }
}

/// An overdue problem: its days overdue, its row and its deadline.
struct OverdueAt {
    days: i64,
    row: IdxSize,
    deadline: i32,
}

/// The overdue list worst first; ties by enterprise and problem, then
/// ledger order (the row). The sort keys are gathered once: read from the
/// columns inside the comparison, they were most of the sort's cost.
/// Each key carries its enterprise's first 16 bytes as a number (see
/// [`order_prefix`]): a province's 430,000 problems share some 365 day
/// counts, so most comparisons fall to the enterprise, whose text lies at
/// random in the visits' 0.4 GB; the prefix decides most of them in place.
fn worst_first(list: Vec<OverdueAt>, enterprises: &StrCol, problems: &StrCol) -> Vec<OverdueAt> {
    let mut keyed: Vec<_> = list
        .into_iter()
        .map(|o| {
            let enterprise = enterprises.get(o.row as usize);
            (Reverse(o.days), order_prefix(enterprise), enterprise, problems.get(o.row as usize), o.row, o.deadline)
        })
        .collect();
    // The row is unique, so an unstable sort gives the one order.
    keyed.sort_unstable();
    keyed.into_iter().map(|(Reverse(days), _, _, _, row, deadline)| OverdueAt { days, row, deadline }).collect()
}

/// A text's first 16 bytes, zero-padded, as a number that orders as the
/// text does: a ≤ b gives prefix(a) ≤ prefix(b) (a proper prefix pads with
/// zeros, the least byte), so a smaller prefix means a smaller text, and
/// only equal prefixes need the texts compared. None stays least.
fn order_prefix(text: Option<&str>) -> Option<u128> {
    text.map(|t| {
        let mut bytes = [0u8; 16];
        let n = t.len().min(16);
        bytes[..n].copy_from_slice(&t.as_bytes()[..n]);
        u128::from_be_bytes(bytes)
    })
}

/// The overdue list as one table, its text taken from the visits frame
/// (see `OverdueTable`).
fn overdue_table(rows: &DataFrame, list: &[OverdueAt], config: &Config) -> Result<OverdueTable, Error> {
    let idx = IdxCa::from_vec("idx".into(), list.iter().map(|o| o.row).collect());
    let mut frame = rows.select(["enterprise", "problem", "region", "cadre_unit"])?.take(&idx)?;
    // The taken views point into the visits' buffers in worst-first order,
    // that is at random: each of the three readers (the 逾期督办 sheet, the
    // CSV, the Parquet file) would miss the cache on every long text. One
    // copy, in the list's order, pays those misses once and lets them read
    // in sequence. Province: the reports phase 2.20 → 1.85 s wall (four
    // interleaved pairs), rust_xlsxwriter's copies of the sheet's texts 92
    // → 20 perf samples, for some 50 MB more at the peak. Region and unit
    // are short: most live inside their views, with nothing to miss.
    for name in ["enterprise", "problem"] {
        let compact: StringChunked = frame.column(name)?.str()?.iter().collect();
        frame.with_column(compact.with_name(name.into()).into_column())?;
    }
    let deadline = Int32Chunked::from_iter_values("deadline".into(), list.iter().map(|o| o.deadline))
        .into_series()
        .cast(&DataType::Date)?;
    let days = Int64Chunked::from_iter_values("days_overdue".into(), list.iter().map(|o| o.days));
    let colour =
        StringChunked::from_iter_values("colour".into(), list.iter().map(|o| config.colours.colour(o.days).as_str()));
    frame.with_column(deadline.into_column())?;
    frame.with_column(days.into_series().into_column())?;
    frame.with_column(colour.into_series().into_column())?;
    Ok(OverdueTable::from_frame(frame))
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
    crate::ingest::frame::days_date(days).map(|d| d.month())
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
    use super::*;

    #[test]
    fn the_overdue_order_is_the_plain_order_of_days_enterprise_problem_row() {
        // Texts built to tie on long prefixes, hold zero bytes and be
        // missing, against a sort of the plain tuples.
        let pieces = ["", "\0", "a", "丰兴", "丰兴丰瑞新材料有限公司", "丰兴丰瑞新材料有限公司分厂", "Z"];
        let mut seed = 7u64;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        let mut text =
            || -> Option<String> { (next(8) != 0).then(|| (0..next(4)).map(|_| pieces[next(pieces.len())]).collect()) };
        let n = 600;
        let ents: Vec<Option<String>> = (0..n).map(|_| text()).collect();
        let probs: Vec<Option<String>> = (0..n).map(|_| text()).collect();
        let list: Vec<OverdueAt> =
            (0..n).map(|i| OverdueAt { days: next(3) as i64, row: i as IdxSize, deadline: 0 }).collect();
        let mut plain: Vec<_> = list
            .iter()
            .map(|o| (Reverse(o.days), ents[o.row as usize].clone(), probs[o.row as usize].clone(), o.row))
            .collect();
        plain.sort();
        let col = |v: &[Option<String>]| StrCol::of(&StringChunked::from_iter_options("c".into(), v.iter().cloned()));
        let sorted: Vec<IdxSize> = worst_first(list, &col(&ents), &col(&probs)).iter().map(|o| o.row).collect();
        assert_eq!(sorted, plain.iter().map(|p| p.3).collect::<Vec<_>>());
    }

    #[test]
    fn prefixes_order_as_their_texts() {
        let p = |t: &str| order_prefix(Some(t));
        assert!(p("ab") < p("ab\u{1}"));
        assert_eq!(p("a"), p("a\0"), "a tie, left to the texts");
        assert!(p("丰兴") > p("Z") && order_prefix(None) < p(""));
    }

    #[test]
    fn medians() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), Some(2.5));
    }
}
