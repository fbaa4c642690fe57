//! The words the run page and the history show: the key figures of a run,
//! read back from the `metrics.json` the run wrote (the page computes
//! nothing), and the periods a clerk can choose, from the check's sheets.
//!
//! Wording comes from the report's own functions, so `53.0%` and `39.10亿元`
//! read the same here as in the briefing. (Issue 14 moves them to
//! `report::wording`; the import below is the only line to change.)

use crate::model::Kind;
use crate::quality::DataQuality;
use crate::report::wording::{fmt_amount, fmt_growth, fmt_percent, fmt_period, fmt_period_name};
use crate::serve::batches::Kpi;
use serde::Serialize;
use serde_json::Value;

const NONE: &str = "—";

fn num(v: &Value, path: &[&str]) -> Option<f64> {
    path.iter().try_fold(v, |v, k| v.get(k)).and_then(Value::as_f64)
}

fn amount(v: Option<f64>) -> String {
    v.map(fmt_amount).unwrap_or_else(|| NONE.into())
}

fn percent(v: Option<f64>) -> String {
    v.map(fmt_percent).unwrap_or_else(|| NONE.into())
}

fn count(v: Option<f64>, unit: &str) -> String {
    v.map(|n| format!("{n:.0}{unit}")).unwrap_or_else(|| NONE.into())
}

fn kpi(label: &str, value: String, note: String) -> Kpi {
    Kpi { label: label.into(), value, note }
}

/// `2025年1—6月`, from `year` and `month` of metrics.json.
pub fn as_of_words(m: &Value) -> Option<String> {
    let year = m.get("year")?.as_i64()?;
    let month = u32::try_from(m.get("month")?.as_u64()?).ok()?;
    Some(format!("{year}年{}", fmt_period(month)))
}

/// The summary cards of a run, in the order of the briefing.
pub fn kpis(m: &Value) -> Vec<Kpi> {
    let p = |k: &str| num(m, &["projects", "total", k]);
    let v = |k: &str| num(m, &["visits", k]);
    let mut out = vec![
        kpi("重点项目完成投资", amount(p("done")), format!("年度计划 {}", amount(p("plan")))),
        kpi("投资完成率", percent(p("completion_rate")), format!("时序进度 {}", percent(p("time_progress")))),
        kpi("重点项目", count(p("count"), " 个"), format!("新开工 {}", count(p("new_starts"), " 个"))),
    ];
    let whole = crate::model::WHOLE;
    for ind in m.get("indicators").and_then(Value::as_array).into_iter().flatten() {
        if ind.get("region").and_then(Value::as_str) != Some(whole) {
            continue;
        }
        let name = ind.get("indicator").and_then(Value::as_str).unwrap_or(NONE);
        let growth = ind.get("growth").and_then(Value::as_f64).map(fmt_growth).unwrap_or_else(|| NONE.into());
        out.push(kpi(name, growth, "同比".into()));
    }
    out.push(kpi(
        "走访问题",
        count(v("problems"), " 个"),
        format!("已解决 {}，解决率 {}", count(v("resolved"), " 个"), percent(v("resolution_rate"))),
    ));
    out.push(kpi("逾期未办结", count(v("overdue_count"), " 个"), String::new()));
    let rejected: u64 = m
        .pointer("/data_quality/files")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(|f| f.get("sheets").and_then(Value::as_array).into_iter().flatten())
        .filter_map(|s| s.get("rejected").and_then(Value::as_u64))
        .sum();
    out.push(kpi("拒收行数", format!("{rejected} 行"), "详见检查页".into()));
    out
}

/// A period the clerk can choose.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodOption {
    /// What `--period` takes: `2025H1`, `2025Q1`, `2025-05`, `2025`.
    pub value: String,
    /// `2025年1—6月（上半年）`.
    pub label: String,
}

/// The periods found in the projects and indicators sheets (the ledgers an
/// as-of month is taken from), latest first.
pub fn period_options(q: &DataQuality) -> Vec<PeriodOption> {
    let mut months: Vec<(i32, u32)> = q
        .files
        .iter()
        .flat_map(|f| &f.sheets)
        .filter(|s| matches!(s.kind, Some(Kind::Projects | Kind::Indicators)) && s.skipped_reason.is_none())
        .filter_map(|s| {
            let (y, m) = s.period.as_deref()?.split_once('-')?;
            Some((y.parse().ok()?, m.parse().ok()?))
        })
        .filter(|(_, m)| (1..=12).contains(m))
        .collect();
    months.sort_unstable_by(|a, b| b.cmp(a));
    months.dedup();
    months.into_iter().map(|(y, m)| option(y, m)).collect()
}

fn option(year: i32, month: u32) -> PeriodOption {
    let value = match month {
        12 => format!("{year}"),
        6 => format!("{year}H1"),
        3 | 9 => format!("{year}Q{}", month / 3),
        m => format!("{year}-{m:02}"),
    };
    let span = fmt_period(month);
    let name = fmt_period_name(month);
    let label = if name == span { format!("{year}年{span}") } else { format!("{year}年{span}（{name}）") };
    PeriodOption { value, label }
}
