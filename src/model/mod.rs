//! The `Report`: every figure of SPEC §2, as `metrics.json` has them.
//!
//! This is the only input of every renderer, so it carries the figures
//! exactly as computed (never rounded: rounding is for display) and `None`
//! wherever a figure cannot be computed — serialised as `null`, never 0 or
//! NaN. Field names are the stable keys documented in `docs/metrics.md`.

mod column;
mod domain;
mod overdue;

pub use column::Column;
pub use domain::{
    Colour, Flag, IndicatorLayout, Kind, ProblemStatus, ProjectStatus, Satisfaction, Tier, UNLABELLED, WHOLE,
};
pub use overdue::{OverdueRef, OverdueRows, OverdueTable};

use crate::quality::DataQuality;
use serde::{Serialize, Serializer};

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// `YYYY-MM`, the as-of month.
    pub as_of: String,
    pub year: i32,
    pub month: u32,
    pub office: String,
    pub title: String,
    /// How documents name the whole area (`全县`, `全市`); empty when the
    /// configuration does not say (renderers then derive it from `office`).
    pub area: String,
    pub projects: ProjectsReport,
    pub indicators: Vec<IndicatorFigures>,
    pub visits: VisitsReport,
    pub data_quality: DataQuality,
}

/// Figures of a set of projects (the whole, or one group).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ProjectFigures {
    pub count: i64,
    /// Σ plan_year, 万元.
    pub plan: Option<f64>,
    /// Σ done_ytd, 万元.
    pub done: Option<f64>,
    /// done / plan × 100.
    pub completion_rate: Option<f64>,
    /// M / 12 × 100.
    pub time_progress: f64,
    pub flag: Option<Flag>,
    pub new_starts: i64,
    pub started: i64,
    pub started_rate: Option<f64>,
    /// `年度投资` target, 万元.
    pub target: Option<f64>,
    pub target_completion_rate: Option<f64>,
    /// `新开工项目` target (count).
    pub new_start_target: Option<f64>,
    pub new_start_target_rate: Option<f64>,
}

/// A group item: its label under the group's field name, its rank, and figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Grouped<T> {
    /// `region`, `chain`, `leader`, `level`, `category`, `tier`, `cadre_unit`.
    pub key: &'static str,
    pub label: String,
    pub rank: Option<i64>,
    pub figures: T,
}

impl<T: Serialize> Serialize for Grouped<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::Error;
        let mut map = serde_json::Map::new();
        map.insert(self.key.to_string(), serde_json::Value::String(self.label.clone()));
        let figures = serde_json::to_value(&self.figures).map_err(S::Error::custom)?;
        if let serde_json::Value::Object(fields) = figures {
            map.extend(fields);
        }
        map.insert("rank".into(), self.rank.map(serde_json::Value::from).unwrap_or(serde_json::Value::Null));
        map.serialize(serializer)
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ProjectsReport {
    /// The month of the projects sheet used (`YYYY-MM`); differs from
    /// `as_of` when the as-of month had no projects sheet.
    pub source_period: Option<String>,
    pub total: ProjectFigures,
    pub by_region: Vec<Grouped<ProjectFigures>>,
    pub by_chain: Vec<Grouped<ProjectFigures>>,
    pub by_leader: Vec<Grouped<ProjectFigures>>,
    pub by_level: Vec<Grouped<ProjectFigures>>,
    pub monthly: Vec<MonthlyDone>,
    /// One row per project of the sheet used, for the workbook's project table.
    pub items: Vec<ProjectItem>,
}

impl ProjectsReport {
    /// Whether a projects ledger of this year up to `as_of` was used; when
    /// not, metrics.json gives the counts as `null`, not 0 (SPEC §3).
    pub fn has_ledger(&self) -> bool {
        self.source_period.is_some()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthlyDone {
    pub month: u32,
    /// Σ done_ytd of that month's sheet, 万元.
    pub done: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectItem {
    pub project_id: Option<String>,
    pub name: String,
    pub region: String,
    pub chain: Option<String>,
    pub level: Option<String>,
    pub leader: Option<String>,
    pub plan: Option<f64>,
    pub done: Option<f64>,
    pub completion_rate: Option<f64>,
    pub flag: Option<Flag>,
    pub status: Option<String>,
    pub start_date: Option<String>,
    pub source_file: String,
    pub sheet: String,
    pub row: i32,
}

/// One indicator in one region, or its whole (`region` = `全部`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct IndicatorFigures {
    pub indicator: String,
    pub region: String,
    pub unit: Option<String>,
    pub ytd: Option<f64>,
    pub ytd_ly: Option<f64>,
    /// (ytd / ytd_ly − 1) × 100, else the reported growth.
    pub growth: Option<f64>,
    pub month: Option<f64>,
    pub month_prev: Option<f64>,
    pub mom: Option<f64>,
    pub rank: Option<i64>,
    /// 拉动, percentage points.
    pub contribution_pp: Option<f64>,
    /// 贡献率, %.
    pub contribution_share: Option<f64>,
    pub target_growth: Option<f64>,
    pub gap_pp: Option<f64>,
    pub target: Option<f64>,
    pub target_completion_rate: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ProblemFigures {
    pub problems: i64,
    pub resolved: i64,
    pub in_progress: i64,
    pub unresolvable: i64,
    pub resolution_rate: Option<f64>,
    pub on_time_rate: Option<f64>,
    pub median_days: Option<f64>,
    pub satisfaction_rate: Option<f64>,
    pub overdue_count: i64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct VisitsReport {
    /// The latest month (`YYYY-MM`) of this year up to `as_of` that has a
    /// visits sheet; `None` when no ledger covers the period, and then
    /// metrics.json gives the counts as `null`, not 0 (SPEC §3).
    pub source_period: Option<String>,
    pub visits: i64,
    pub enterprises: i64,
    pub cadres: i64,
    pub problems: i64,
    pub resolved: i64,
    pub in_progress: i64,
    pub unresolvable: i64,
    pub resolution_rate: Option<f64>,
    pub on_time_rate: Option<f64>,
    pub median_days: Option<f64>,
    pub satisfaction_rate: Option<f64>,
    pub overdue_count: i64,
    /// `问题解决率` target, %.
    pub resolution_target: Option<f64>,
    /// `企业满意率` target, %.
    pub satisfaction_target: Option<f64>,
    pub by_category: Vec<Grouped<ProblemFigures>>,
    pub by_tier: Vec<Grouped<ProblemFigures>>,
    pub by_region: Vec<Grouped<ProblemFigures>>,
    pub by_unit: Vec<Grouped<ProblemFigures>>,
    /// The worst overdue problems, worst first: at most [`OVERDUE_IN_JSON`],
    /// as metrics.json and the briefings list them (the count is
    /// `overdue_count`).
    pub overdue: Vec<Overdue>,
    /// Every overdue problem, worst first, for `data/overdue.*` and the
    /// workbook's 逾期督办 sheet (issue 9); not in metrics.json.
    #[serde(skip)]
    pub overdue_all: OverdueTable,
    pub monthly: Vec<VisitsMonth>,
}

/// How many overdue problems metrics.json lists: a province's year has
/// hundreds of thousands, which made the file 140 MB of rows nobody reads
/// there; the tidy `data/overdue.*` files hold them all.
pub const OVERDUE_IN_JSON: usize = 1000;

impl VisitsReport {
    /// Whether a visits ledger covers the period at all: zero visits in a
    /// ledger and no ledger are different facts.
    pub fn has_ledger(&self) -> bool {
        self.source_period.is_some()
    }

    /// The whole's figures in the shape every group has, for tables that
    /// put the whole above its groups.
    pub fn whole(&self) -> ProblemFigures {
        ProblemFigures {
            problems: self.problems,
            resolved: self.resolved,
            in_progress: self.in_progress,
            unresolvable: self.unresolvable,
            resolution_rate: self.resolution_rate,
            on_time_rate: self.on_time_rate,
            median_days: self.median_days,
            satisfaction_rate: self.satisfaction_rate,
            overdue_count: self.overdue_count,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overdue {
    pub enterprise: String,
    pub problem: String,
    pub region: Option<String>,
    pub cadre_unit: Option<String>,
    pub deadline: String,
    pub days_overdue: i64,
    pub colour: Colour,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VisitsMonth {
    pub month: u32,
    pub visits: i64,
    pub problems: i64,
    pub resolved: i64,
}
