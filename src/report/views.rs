//! The view models the templates see: the report itself, the word for the
//! whole area, and the indicators grouped by name with their whole and
//! regions. Built once from the [`Report`] and shared by `briefing.html`,
//! `article.md` and `briefing.docx`, so the documents say the same things.

use super::wording::scope_word;
use crate::model::{IndicatorFigures, Report, WHOLE};
use minijinja::Value;
use serde::Serialize;

/// One indicator with its whole and its regions, in the Report's order.
#[derive(Debug, Serialize)]
pub struct IndicatorView<'a> {
    pub name: &'a str,
    pub unit: Option<&'a str>,
    /// The item whose region is `全部`, if the Report has one.
    pub whole: Option<&'a IndicatorFigures>,
    pub regions: Vec<&'a IndicatorFigures>,
    /// Regions ranked first by growth (ties share the rank).
    pub leaders: Vec<&'a str>,
    /// Whether any item has a year-to-date value / a monthly value: rate-only
    /// indicators (规上工业增加值) have neither, and their tables drop
    /// those columns rather than show a column of dashes.
    pub has_ytd: bool,
    pub has_month: bool,
    /// Whether the unit is money (values are then in 万元 and written with `amount`).
    pub is_money: bool,
    /// Whether the whole has a growth or a year-to-date value, i.e. whether
    /// the article has a sentence to write about it.
    pub reportable: bool,
}

/// The indicators grouped by name, in the order they first appear.
pub fn indicator_views(report: &Report) -> Vec<IndicatorView<'_>> {
    let whole = WHOLE;
    let mut names: Vec<&str> = Vec::new();
    for i in &report.indicators {
        if !names.contains(&i.indicator.as_str()) {
            names.push(&i.indicator);
        }
    }
    names
        .into_iter()
        .map(|name| {
            let items: Vec<_> = report.indicators.iter().filter(|i| i.indicator == name).collect();
            let unit = items.iter().find_map(|i| i.unit.as_deref());
            let regions: Vec<_> = items.iter().copied().filter(|i| i.region != whole).collect();
            let whole_item = items.iter().copied().find(|i| i.region == whole);
            IndicatorView {
                name,
                unit,
                whole: whole_item,
                reportable: whole_item.is_some_and(|w| w.growth.is_some() || w.ytd.is_some()),
                leaders: regions.iter().filter(|i| i.rank == Some(1)).map(|i| i.region.as_str()).collect(),
                has_ytd: items.iter().any(|i| i.ytd.is_some() || i.ytd_ly.is_some()),
                has_month: items.iter().any(|i| i.month.is_some()),
                is_money: unit.is_some_and(|u| u.contains('元')),
                regions,
            }
        })
        .collect()
}

/// The configured word for the whole area, else the one the office's name implies.
pub fn area_word(report: &Report) -> String {
    if report.area.trim().is_empty() {
        scope_word(&report.office)
    } else {
        report.area.trim().to_string()
    }
}

/// The variables both templates get (documented in `templates/README.md`).
pub fn common_context(report: &Report) -> Vec<(&'static str, Value)> {
    vec![
        ("report", Value::from_serialize(report)),
        ("scope", Value::from(area_word(report))),
        ("indicators", Value::from_serialize(indicator_views(report))),
    ]
}
