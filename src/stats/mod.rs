//! Statistics: every figure of SPEC §2, computed from the normalised
//! ledgers with polars and gathered into the [`Report`] model.
//!
//! One file per ledger; this module holds what they share: the as-of
//! period, the targets table, division that gives `null` instead of NaN or
//! infinity, and competition ranks (1, 2, 2, 4) as statistical bulletins
//! publish them.

pub mod indicators;
pub mod projects;
pub mod visits;

use crate::config::Config;
use crate::error::Error;
use crate::ingest::Ingested;
pub use crate::model::UNLABELLED;
use crate::model::{Column, Kind, Report};
use crate::quality::{DataQuality, Issue, Severity};
use polars::prelude::*;

/// The as-of month of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AsOf {
    pub year: i32,
    pub month: u32,
}

impl AsOf {
    /// `2023Q1` → 2023-03, `2023H1` → 2023-06, `2023-05` → 2023-05, `2023` → 2023-12.
    pub fn parse(s: &str) -> Result<AsOf, Error> {
        let t = s.trim().to_ascii_uppercase();
        let bad = || Error::Usage(format!("--period「{s}」无法识别，应为 2023Q1、2023H1、2023-05 或 2023"));
        let year_of = |y: &str| y.parse::<i32>().ok().filter(|y| (1990..=2100).contains(y));
        let (year, month) = if let Some((y, q)) = t.split_once('Q') {
            let q: u32 = q.parse().map_err(|_| bad())?;
            if !(1..=4).contains(&q) {
                return Err(bad());
            }
            (year_of(y).ok_or_else(bad)?, q * 3)
        } else if let Some((y, h)) = t.split_once('H') {
            let h: u32 = h.parse().map_err(|_| bad())?;
            if !(1..=2).contains(&h) {
                return Err(bad());
            }
            (year_of(y).ok_or_else(bad)?, h * 6)
        } else if let Some((y, m)) = t.split_once('-') {
            let m: u32 = m.parse().map_err(|_| bad())?;
            if !(1..=12).contains(&m) {
                return Err(bad());
            }
            (year_of(y).ok_or_else(bad)?, m)
        } else {
            (year_of(&t).ok_or_else(bad)?, 12)
        };
        Ok(AsOf { year, month })
    }

    pub fn label(&self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// Last day of the as-of month, as polars date days.
    pub fn end_days(&self) -> i32 {
        crate::ingest::values::month_end(self.year, self.month).map(crate::ingest::frame::date_days).unwrap_or(0)
    }

    pub fn year_start_days(&self) -> i32 {
        chrono::NaiveDate::from_ymd_opt(self.year, 1, 1).map(crate::ingest::frame::date_days).unwrap_or(0)
    }
}

/// The latest period found in projects or indicators (SPEC §2 default).
pub fn default_as_of(ingested: &Ingested) -> Option<AsOf> {
    let mut best: Option<(i32, i32)> = None;
    for df in [&ingested.ledgers.projects, &ingested.ledgers.indicators] {
        let (Ok(years), Ok(months)) = (col_i64(df, "year"), col_i64(df, "month")) else { continue };
        for (y, m) in years.into_iter().zip(months) {
            if let (Some(y), Some(m)) = (y, m) {
                let p = (y as i32, m as i32);
                if best.is_none_or(|b| p > b) {
                    best = Some(p);
                }
            }
        }
    }
    best.map(|(year, month)| AsOf { year, month: month as u32 })
}

/// Every (year, month) that a projects, indicators or visits sheet has rows for.
pub fn periods_found(ingested: &Ingested) -> std::collections::BTreeSet<(i32, u32)> {
    let mut out = std::collections::BTreeSet::new();
    for df in [&ingested.ledgers.projects, &ingested.ledgers.indicators, &ingested.ledgers.visits] {
        let (Ok(years), Ok(months)) = (col_i64(df, "year"), col_i64(df, "month")) else { continue };
        for (y, m) in years.into_iter().zip(months) {
            if let (Some(y), Some(m)) = (y, m) {
                out.insert((y as i32, m as u32));
            }
        }
    }
    out
}

/// Computes the whole report.
pub fn compute(ingested: &Ingested, as_of: AsOf, config: &Config) -> Result<Report, Error> {
    let mut quality = ingested.quality.clone();
    let targets = Targets::from_frame(&ingested.ledgers.targets, as_of.year)?;
    let (projects, mut issues) = projects::compute(&ingested.ledgers.projects, &targets, as_of, config)?;
    let (indicators, more) = indicators::compute(&ingested.ledgers.indicators, &targets, as_of, config)?;
    issues.extend(more);
    let mut visits = visits::compute(&ingested.ledgers.visits, &targets, as_of, config)?;
    visits.source_period = latest_sheet_month(&quality, Kind::Visits, as_of);
    quality.issues.extend(locate(issues, &quality));
    Ok(Report {
        as_of: as_of.label(),
        year: as_of.year,
        month: as_of.month,
        office: config.office.clone(),
        title: config.title.clone(),
        area: config.area.clone(),
        projects,
        indicators,
        visits,
        data_quality: quality,
    })
}

/// The latest month of this year up to `as_of` that has a read sheet of
/// `kind`, from the sheet reports: a header-only sheet is a ledger that
/// reports zero, while no sheet at all leaves the counts unknown.
fn latest_sheet_month(quality: &DataQuality, kind: Kind, as_of: AsOf) -> Option<String> {
    let this_year = |p: &&String| {
        let (y, m) = p.split_once('-')?;
        let (y, m) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?);
        (y == as_of.year && m <= as_of.month).then_some(())
    };
    quality
        .files
        .iter()
        .flat_map(|f| &f.sheets)
        .filter(|s| s.kind == Some(kind) && s.skipped_reason.is_none())
        .filter_map(|s| s.period.as_ref())
        .filter(|p| this_year(p).is_some())
        .max()
        .cloned()
}

/// A statistics warning about a ledger row: its row is known, its cell is
/// found from where the sheet's header put the column ([`locate`]).
pub struct StatIssue {
    issue: Issue,
    /// 1-based Excel row.
    row: Option<i32>,
}

/// A statistics warning, about a row and column of a sheet where known.
pub(crate) fn stat_issue(
    file: &str,
    sheet: Option<&str>,
    row: Option<i32>,
    column: Option<Column>,
    message: String,
) -> StatIssue {
    let mut issue = Issue::new(Severity::Warning, file, message);
    issue.sheet = sheet.map(str::to_string);
    issue.column = column;
    StatIssue { issue, row }
}

/// Names the cell of each statistics warning (`F17`): the row from the
/// warning, the column's letters from the sheet's report.
fn locate(issues: Vec<StatIssue>, quality: &DataQuality) -> Vec<Issue> {
    let letters_of = |issue: &Issue| {
        let (sheet, column) = (issue.sheet.as_ref()?, issue.column?);
        quality
            .files
            .iter()
            .filter(|f| f.path == issue.file)
            .flat_map(|f| &f.sheets)
            .find(|s| &s.sheet == sheet)
            .and_then(|s| s.column_letters.get(column.name()))
            .cloned()
    };
    issues
        .into_iter()
        .map(|StatIssue { mut issue, row }| {
            if let (Some(row), Some(letters)) = (row, letters_of(&issue)) {
                issue.cell = Some(format!("{letters}{row}"));
            }
            issue
        })
        .collect()
}

// ---- polars helpers shared by the ledgers

/// `num / den × 100`, null when either is null or `den` is 0.
pub(crate) fn pct(num: Expr, den: Expr) -> Expr {
    let den_f = den.cast(DataType::Float64);
    when(den_f.clone().neq(lit(0.0)).and(den_f.clone().is_not_null()).and(num.clone().is_not_null()))
        .then(num.cast(DataType::Float64) / den_f * lit(100.0))
        .otherwise(lit(NULL).cast(DataType::Float64))
}

/// `(a / b − 1) × 100`, null when either is null or `b` is 0.
pub(crate) fn growth(a: Expr, b: Expr) -> Expr {
    when(b.clone().neq(lit(0.0)).and(b.clone().is_not_null()).and(a.clone().is_not_null()))
        .then((a / b - lit(1.0)) * lit(100.0))
        .otherwise(lit(NULL).cast(DataType::Float64))
}

/// Σ of a column, null (not 0) when no value is present.
pub(crate) fn sum_or_null(name: &str) -> Expr {
    when(col(name).count().gt(lit(0))).then(col(name).sum()).otherwise(lit(NULL).cast(DataType::Float64))
}

/// Competition ranks of values, highest first, ties sharing the lower rank
/// (1, 2, 2, 4); a missing value (or a group that is never ranked, passed
/// as None) has no rank.
pub(crate) fn ranks_desc(values: &[Option<f64>]) -> Vec<Option<i64>> {
    values.iter().map(|v| v.map(|x| 1 + values.iter().flatten().filter(|&&o| o > x).count() as i64)).collect()
}

/// Competition rank, highest first: ties share the lower rank (1, 2, 2, 4).
pub(crate) fn competition_rank(e: Expr) -> Expr {
    e.rank(RankOptions { method: RankMethod::Min, descending: true }, None).cast(DataType::Int64)
}

fn series(df: &DataFrame, name: &str) -> Result<Series, Error> {
    Ok(df.column(name)?.as_materialized_series().clone())
}

pub(crate) fn col_f64(df: &DataFrame, name: &str) -> Result<Vec<Option<f64>>, Error> {
    let s = series(df, name)?.cast(&DataType::Float64)?;
    Ok(s.f64()?.iter().map(|v| v.filter(|x| x.is_finite())).collect())
}

pub(crate) fn col_i64(df: &DataFrame, name: &str) -> Result<Vec<Option<i64>>, Error> {
    let s = series(df, name)?.cast(&DataType::Int64)?;
    Ok(s.i64()?.iter().collect())
}

pub(crate) fn col_str(df: &DataFrame, name: &str) -> Result<Vec<Option<String>>, Error> {
    let s = series(df, name)?.cast(&DataType::String)?;
    Ok(s.str()?.iter().map(|v| v.map(str::to_string)).collect())
}

/// A string column, cast once; read it with [`strs`] without copying strings
/// (the per-row loops run over every row of a province-scale ledger).
pub(crate) fn str_ca(df: &DataFrame, name: &str) -> Result<StringChunked, Error> {
    let s = series(df, name)?.cast(&DataType::String)?;
    Ok(s.str()?.clone())
}

pub(crate) fn strs(ca: &StringChunked) -> Vec<Option<&str>> {
    ca.iter().collect()
}

/// A date column as days since 1970-01-01.
pub(crate) fn col_days(df: &DataFrame, name: &str) -> Result<Vec<Option<i32>>, Error> {
    let s = series(df, name)?.cast(&DataType::Int32)?;
    Ok(s.i32()?.iter().collect())
}

pub(crate) fn days_to_string(days: i32) -> String {
    crate::ingest::frame::days_date(days).map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

/// A rate in Rust for scalar figures: null when the denominator is 0.
pub(crate) fn ratio_pct(num: f64, den: f64) -> Option<f64> {
    (den != 0.0 && num.is_finite() && den.is_finite()).then(|| num / den * 100.0)
}

/// Orders group labels: the office's region order first, then by name, with
/// the unlabelled group last.
pub(crate) fn label_order<'c>(config: &'c Config, key: &str) -> impl Fn(&String, &String) -> std::cmp::Ordering + 'c {
    let by_region = key == "region";
    move |a: &String, b: &String| {
        let blank = |s: &String| s == UNLABELLED;
        blank(a)
            .cmp(&blank(b))
            .then_with(|| {
                if by_region {
                    config.region_rank(a).cmp(&config.region_rank(b))
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .then_with(|| a.cmp(b))
    }
}

/// Scope names that mean the whole county / city.
pub(crate) fn is_whole_scope(scope: &str) -> bool {
    matches!(scope, "全县" | "全市" | "全区" | "全省" | "全州" | "全旗" | "全部" | "合计" | "全县合计" | "全市合计")
}

/// The targets of the as-of year.
pub struct Targets {
    rows: Vec<TargetRow>,
}

struct TargetRow {
    scope: String,
    metric: String,
    target: f64,
    target_type: String,
}

impl Targets {
    pub fn from_frame(df: &DataFrame, year: i32) -> Result<Targets, Error> {
        let years = col_i64(df, "year")?;
        let scopes = col_str(df, "scope")?;
        let metrics = col_str(df, "metric")?;
        let values = col_f64(df, "target")?;
        let types = col_str(df, "target_type")?;
        let mut rows = Vec::new();
        for i in 0..df.height() {
            if years[i] != Some(year as i64) {
                continue;
            }
            if let (Some(scope), Some(metric), Some(target)) = (&scopes[i], &metrics[i], values[i]) {
                rows.push(TargetRow {
                    scope: scope.clone(),
                    metric: metric.clone(),
                    target,
                    target_type: types[i].clone().unwrap_or_default(),
                });
            }
        }
        Ok(Targets { rows })
    }

    /// The target for `scope` (a region, or `None` for the whole) of the
    /// first metric that `matches`, with its type.
    pub fn find(&self, scope: Option<&str>, matches: impl Fn(&str) -> bool) -> Option<(f64, &str)> {
        self.rows
            .iter()
            .find(|r| {
                let scope_ok = match scope {
                    None => is_whole_scope(&r.scope),
                    Some(s) => r.scope == s,
                };
                scope_ok && matches(&r.metric)
            })
            .map(|r| (r.target, r.target_type.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods() {
        assert_eq!(AsOf::parse("2023Q1").unwrap(), AsOf { year: 2023, month: 3 });
        assert_eq!(AsOf::parse("2023q3").unwrap(), AsOf { year: 2023, month: 9 });
        assert_eq!(AsOf::parse("2023H1").unwrap(), AsOf { year: 2023, month: 6 });
        assert_eq!(AsOf::parse("2023H2").unwrap(), AsOf { year: 2023, month: 12 });
        assert_eq!(AsOf::parse("2023-05").unwrap(), AsOf { year: 2023, month: 5 });
        assert_eq!(AsOf::parse("2023").unwrap(), AsOf { year: 2023, month: 12 });
        for bad in ["2023Q5", "2023-13", "23", "2023H3", "三月"] {
            assert!(AsOf::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ranks_share_the_lower_rank() {
        let df = df!("v" => [Some(90.0), Some(80.0), Some(80.0), Some(70.0), None]).unwrap();
        let out = df.lazy().select([competition_rank(col("v")).alias("r")]).collect().unwrap();
        // 90 → 1; the two 80s share 2; 70 is 4th; a missing rate has no rank.
        assert_eq!(col_i64(&out, "r").unwrap(), vec![Some(1), Some(2), Some(2), Some(4), None]);
    }

    #[test]
    fn division_by_zero_is_null() {
        let df = df!("a" => [Some(5.0), Some(5.0), None], "b" => [Some(0.0), Some(10.0), Some(10.0)]).unwrap();
        let out = df
            .lazy()
            .select([pct(col("a"), col("b")).alias("p"), growth(col("a"), col("b")).alias("g")])
            .collect()
            .unwrap();
        assert_eq!(col_f64(&out, "p").unwrap(), vec![None, Some(50.0), None]);
        assert_eq!(col_f64(&out, "g").unwrap(), vec![None, Some(-50.0), None]);
    }
}
