//! The canonical columns of the normalised ledgers, as one enum.
//!
//! Ingestion maps header cells to these, the frame builder lays them out,
//! and the statistics and tidy data read them by name. As strings, a typo
//! (`builder.position("unti")`) compiled and silently found nothing; as an
//! enum it does not compile. `name()` is the column's name in the polars
//! frames and the tidy data, unchanged from before, so outputs stay the same.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    // Trace and period columns every normalised row carries.
    SourceFile,
    Sheet,
    /// 1-based Excel row number.
    Row,
    /// `YYYY-MM` (or `YYYY` for targets); also the optional period column of a sheet.
    Period,
    Year,
    Month,
    // Projects.
    ProjectId,
    Name,
    Region,
    Chain,
    Level,
    Leader,
    RespUnit,
    TotalInvestment,
    PlanYear,
    DoneYtd,
    Status,
    StartDate,
    // Indicators.
    Indicator,
    Unit,
    ValueMonth,
    ValueYtd,
    ValueYtdLy,
    GrowthReported,
    /// Indicators only: the row is a reported total (合计/全县), kept for the cross-check.
    IsTotal,
    /// Indicators only: the cells the row's values were read from when they
    /// are not the whole row (`D5:E5`, one indicator group of a wide table).
    SourceCells,
    // Visits.
    VisitId,
    VisitDate,
    Cadre,
    CadreUnit,
    Enterprise,
    Uscc,
    Problem,
    Category,
    Tier,
    Deadline,
    ResolvedDate,
    Satisfaction,
    // Targets.
    Scope,
    Metric,
    Target,
    /// Targets only: `growth` (a % target), `amount` (money, in 万元) or `count`.
    TargetType,
}

impl Column {
    /// The column's name in the frames, the tidy data and `metrics.json`.
    pub const fn name(self) -> &'static str {
        match self {
            Column::SourceFile => "source_file",
            Column::Sheet => "sheet",
            Column::Row => "row",
            Column::Period => "period",
            Column::Year => "year",
            Column::Month => "month",
            Column::ProjectId => "project_id",
            Column::Name => "name",
            Column::Region => "region",
            Column::Chain => "chain",
            Column::Level => "level",
            Column::Leader => "leader",
            Column::RespUnit => "resp_unit",
            Column::TotalInvestment => "total_investment",
            Column::PlanYear => "plan_year",
            Column::DoneYtd => "done_ytd",
            Column::Status => "status",
            Column::StartDate => "start_date",
            Column::Indicator => "indicator",
            Column::Unit => "unit",
            Column::ValueMonth => "value_month",
            Column::ValueYtd => "value_ytd",
            Column::ValueYtdLy => "value_ytd_ly",
            Column::GrowthReported => "growth_reported",
            Column::IsTotal => "is_total",
            Column::SourceCells => "source_cells",
            Column::VisitId => "visit_id",
            Column::VisitDate => "visit_date",
            Column::Cadre => "cadre",
            Column::CadreUnit => "cadre_unit",
            Column::Enterprise => "enterprise",
            Column::Uscc => "uscc",
            Column::Problem => "problem",
            Column::Category => "category",
            Column::Tier => "tier",
            Column::Deadline => "deadline",
            Column::ResolvedDate => "resolved_date",
            Column::Satisfaction => "satisfaction",
            Column::Scope => "scope",
            Column::Metric => "metric",
            Column::Target => "target",
            Column::TargetType => "target_type",
        }
    }

    /// Label columns whose values are grouped on: folded to one spelling
    /// (width, spaces, Traditional characters).
    pub fn is_group_label(self) -> bool {
        matches!(
            self,
            Column::Region
                | Column::Chain
                | Column::Level
                | Column::Leader
                | Column::RespUnit
                | Column::CadreUnit
                | Column::Indicator
                | Column::Unit
                | Column::Scope
                | Column::Metric
        )
    }

    /// Columns whose text names the row (a total row says 合计 here).
    pub fn labels_row(self) -> bool {
        matches!(self, Column::Name | Column::Region | Column::Enterprise | Column::Scope)
    }
}

impl std::fmt::Display for Column {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_serde() {
        for c in [Column::DoneYtd, Column::ValueYtdLy, Column::SourceFile, Column::TargetType, Column::Uscc] {
            assert_eq!(serde_json::to_string(&c).unwrap(), format!("\"{}\"", c.name()));
        }
    }
}
