//! `briefing.html`: the briefing offices read on screen and print for
//! meetings, rendered from `templates/briefing.html.j2`.
//!
//! This module prepares what a template cannot sensibly do itself — the SVG
//! charts, the ranking notice's top and bottom places, the overdue list cut to
//! its worst 50 with a count of the rest, and the data-quality accounting —
//! and leaves all wording and layout to the templates. It computes no new
//! figure: everything shown is a figure of the Report, selected or ordered.

use super::charts;
use super::templates as tpl;
use super::views;
use crate::error::Error;
use crate::model::{Flag, Grouped, Overdue, ProjectItem, Report};
use crate::quality::Severity;
use minijinja::Value;
use serde::Serialize;
use std::path::Path;

/// The template that renders the briefing.
pub const TEMPLATE: &str = "briefing.html.j2";

/// How many places the ranking notice names at each end.
const RANK_PLACES: usize = 3;
/// Overdue problems listed by name; the rest are counted.
const OVERDUE_SHOWN: usize = 50;
/// Lagging projects listed by name; the rest are counted.
const LAGGING_SHOWN: usize = 20;
/// Data-quality issues listed in the appendix; the rest are counted (all of
/// them are in metrics.json and `statbrief check`).
const ISSUES_SHOWN: usize = 200;

/// One place in the ranking notice.
#[derive(Debug, Serialize)]
struct Place<'a> {
    label: &'a str,
    rank: i64,
    value: Option<f64>,
}

/// One line of the ranking notice (排名通报): what is ranked, on which figure,
/// the first and the last places.
#[derive(Debug, Serialize)]
struct RankLine<'a> {
    item: String,
    basis: &'static str,
    ranked: usize,
    top: Vec<Place<'a>>,
    bottom: Vec<Place<'a>>,
}

/// Top and bottom places of ranked items, in rank order. With fewer than
/// twice [`RANK_PLACES`] items the two ends share the list fairly and never
/// name an item twice.
fn rank_line<'a>(item: String, basis: &'static str, mut places: Vec<Place<'a>>) -> Option<RankLine<'a>> {
    if places.is_empty() {
        return None;
    }
    // Stable: ties keep the office's order.
    places.sort_by_key(|p| p.rank);
    let n = places.len();
    let top_n = RANK_PLACES.min(n.div_ceil(2));
    let bottom_n = RANK_PLACES.min(n - top_n);
    let bottom = places.split_off(n - bottom_n);
    places.truncate(top_n);
    Some(RankLine { item, basis, ranked: n, top: places, bottom })
}

fn ranked_groups<'a, T>(groups: &'a [Grouped<T>], value: impl Fn(&T) -> Option<f64>) -> Vec<Place<'a>> {
    groups.iter().filter_map(|g| g.rank.map(|rank| Place { label: &g.label, rank, value: value(&g.figures) })).collect()
}

fn ranking(report: &Report) -> Vec<RankLine<'_>> {
    let mut lines = Vec::new();
    lines.extend(rank_line(
        "重点项目投资（分地区）".into(),
        "完成率",
        ranked_groups(&report.projects.by_region, |f| f.completion_rate),
    ));
    for view in views::indicator_views(report) {
        let places = view
            .regions
            .iter()
            .filter_map(|i| i.rank.map(|rank| Place { label: &i.region, rank, value: i.growth }))
            .collect();
        lines.extend(rank_line(view.name.to_string(), "同比增速", places));
    }
    lines.extend(rank_line(
        "问题办理（分干部单位）".into(),
        "解决率",
        ranked_groups(&report.visits.by_unit, |f| f.resolution_rate),
    ));
    lines
}

#[derive(Debug, Serialize)]
struct Limited<'a, T> {
    shown: Vec<&'a T>,
    total: usize,
    rest: usize,
}

fn limited<T>(items: Vec<&T>, n: usize) -> Limited<'_, T> {
    let total = items.len();
    Limited { shown: items.into_iter().take(n).collect(), total, rest: total.saturating_sub(n) }
}

/// The overdue list, worst first (the Report already orders it so; sorted
/// again, stably, so the template never depends on that).
fn overdue(report: &Report) -> Limited<'_, Overdue> {
    let mut items: Vec<&Overdue> = report.visits.overdue.iter().collect();
    items.sort_by_key(|o| std::cmp::Reverse(o.days_overdue));
    let mut list = limited(items, OVERDUE_SHOWN);
    // The report lists the worst only; the count is of all of them.
    list.total = list.total.max(report.visits.overdue_count.max(0) as usize);
    list.rest = list.total.saturating_sub(list.shown.len());
    list
}

/// Projects flagged red, lowest completion first.
fn lagging(report: &Report) -> Limited<'_, ProjectItem> {
    let mut items: Vec<&ProjectItem> =
        report.projects.items.iter().filter(|p| p.flag == Some(Flag::Red) && p.completion_rate.is_some()).collect();
    items.sort_by(|a, b| a.completion_rate.unwrap_or(0.0).total_cmp(&b.completion_rate.unwrap_or(0.0)));
    limited(items, LAGGING_SHOWN)
}

#[derive(Debug, Serialize)]
struct QualityView<'a> {
    files: usize,
    rows: u64,
    accepted: u64,
    blank: u64,
    total_rows: u64,
    rejected: u64,
    errors: usize,
    warnings: usize,
    infos: usize,
    /// Errors first, then warnings, then notes; within each the Report's order.
    issues: Limited<'a, crate::quality::Issue>,
}

fn quality(report: &Report) -> QualityView<'_> {
    let q = &report.data_quality;
    let sheets = || q.files.iter().flat_map(|f| &f.sheets);
    let mut issues: Vec<_> = q.issues.iter().collect();
    issues.sort_by_key(|i| i.severity);
    QualityView {
        files: q.files.len(),
        rows: sheets().map(|s| s.rows).sum(),
        accepted: sheets().map(|s| s.accepted).sum(),
        blank: sheets().map(|s| s.blank).sum(),
        total_rows: sheets().map(|s| s.total_rows).sum(),
        rejected: sheets().map(|s| s.rejected).sum(),
        errors: q.count(Severity::Error),
        warnings: q.count(Severity::Warning),
        infos: q.count(Severity::Info),
        issues: limited(issues, ISSUES_SHOWN),
    }
}

/// Everything the briefing template gets (documented in `templates/README.md`).
pub fn context(report: &Report) -> Result<Vec<(&'static str, Value)>, Error> {
    let mut ctx = views::common_context(report);
    let scope = views::area_word(report);
    let charts = charts::charts(report, &scope)?;
    // The charts are our own SVG (labels escaped by plotters), so they are
    // marked safe; everything else stays subject to autoescape.
    let safe = |c: &Option<charts::Chart>| {
        c.as_ref().map(|c| Value::from_safe_string(c.svg.clone())).unwrap_or(Value::from(()))
    };
    ctx.push((
        "charts",
        Value::from_iter([
            ("completion_by_region", safe(&charts.completion_by_region)),
            ("monthly_trend", safe(&charts.monthly_trend)),
            ("growth_by_region", safe(&charts.growth_by_region)),
            ("growth_indicator", Value::from_serialize(&charts.growth_indicator)),
            ("problems_by_category", safe(&charts.problems_by_category)),
        ]),
    ));
    ctx.push(("ranking", Value::from_serialize(ranking(report))));
    ctx.push(("overdue", Value::from_serialize(overdue(report))));
    ctx.push(("lagging", Value::from_serialize(lagging(report))));
    ctx.push(("quality", Value::from_serialize(quality(report))));
    Ok(ctx)
}

pub fn render_briefing(report: &Report, templates: Option<&Path>) -> Result<String, Error> {
    tpl::render(TEMPLATE, templates, context(report)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places(n: usize) -> Vec<Place<'static>> {
        const NAMES: [&str; 8] = ["a", "b", "c", "d", "e", "f", "g", "h"];
        (0..n).map(|i| Place { label: NAMES[i], rank: i as i64 + 1, value: None }).collect()
    }

    #[test]
    fn ranking_ends_never_overlap() {
        fn labels(l: &Option<RankLine<'static>>) -> Option<(Vec<&'static str>, Vec<&'static str>)> {
            l.as_ref().map(|l| (l.top.iter().map(|p| p.label).collect(), l.bottom.iter().map(|p| p.label).collect()))
        }
        assert_eq!(labels(&rank_line("x".into(), "y", places(8))), Some((vec!["a", "b", "c"], vec!["f", "g", "h"])));
        assert_eq!(labels(&rank_line("x".into(), "y", places(5))), Some((vec!["a", "b", "c"], vec!["d", "e"])));
        assert_eq!(labels(&rank_line("x".into(), "y", places(1))), Some((vec!["a"], vec![])));
        assert!(rank_line("x".into(), "y", places(0)).is_none());
    }
}
