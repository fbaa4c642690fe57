//! A fictional county's ledgers (青山县, 2025 H1), written with every messy
//! feature of SPEC §1 planted on purpose, plus `expected.json`: what a correct
//! reader must make of them.
//!
//! Real 台账 cannot be committed (they name real enterprises and cadres), yet
//! the parser and the statistics need inputs that look like what offices
//! actually send: titles and unit lines above the header, two-level and
//! Traditional-character headers, merged region cells, 小计/合计 rows, notes
//! at the bottom, numbers as text, dates in every spelling, a GBK CSV. This
//! module is the project's own test bed. It knows the ground truth because it
//! invented it, so `expected.json` is an independent oracle for the tests:
//! row accounting per sheet, the exact cells that must be rejected, and key
//! figures as of June 2025 computed from the model, never from the files.
//!
//! Everything is derived from (purpose, entity index) through a seeded
//! generator, so any project, visit or indicator value can be regenerated on
//! demand. That is what lets `scale` 1000 stream millions of rows through
//! streamed (low-memory) worksheets without holding them.

use anyhow::{bail, Context, Result};
use serde::Serialize;
use std::fs;
use std::path::Path;

mod common;
mod indicators;
mod projects;
pub mod province;
mod resent;
mod shapes;
mod targets;
mod towns;
mod visits;

use common::*;
use indicators::*;
use projects::*;
use targets::*;
use visits::*;

// ───────────────────────────── public API ─────────────────────────────

/// What the generator wrote and what a correct reader must conclude from it.
/// Written as `expected.json` next to the ledgers.
#[derive(Debug, Clone, Serialize)]
pub struct SampleSummary {
    pub county: String,
    pub scale: u32,
    /// Σ `rows` over every sheet: the size of the run, for timing reports.
    pub data_rows: u64,
    /// Every file written, sorted by path, with every sheet in workbook order.
    pub files: Vec<FileSummary>,
    /// The only rows that must be rejected (one cell each).
    pub rejections: Vec<CellNote>,
    /// Planted problems that must be reported but do not reject a row:
    /// optional-column cell errors, bad USCC check characters, an unknown
    /// problem category, a 合计 that does not match its towns, a town missing
    /// from last year's sheet.
    pub planted_issues: Vec<PlantedIssue>,
    pub truth_2025_06: Truth,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileSummary {
    /// Relative to the output folder, `/`-separated.
    pub path: String,
    pub sheets: Vec<SheetSummary>,
}

/// Intended row accounting of one sheet (SPEC §3 `data_quality.files[].sheets[]`).
/// `rows` counts every row from the one below the (lowest) header row to the
/// last row of the table, i.e. up to but excluding the first notes row
/// (`注：…`, `填报人：…`); title rows, header rows, the notes and everything
/// after them are not counted. `rows = accepted + blank + total_rows + rejected`.
/// A blank row is one with nothing in any recognised column: either a row
/// with only its 序号 filled in, or (once, in `走访/2025年1-2月走访问题台账.xlsx`)
/// an entirely empty row between two data rows.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SheetSummary {
    pub sheet: String,
    /// `projects`, `indicators`, `visits`, `targets`, or null for a sheet that must be skipped.
    pub kind: Option<String>,
    /// `YYYY-MM`, `YYYY` for targets, null for skipped sheets.
    pub period: Option<String>,
    pub hidden: bool,
    /// 1-based row number of the lowest header row (null for skipped sheets).
    pub header_row: Option<u32>,
    pub rows: u64,
    pub accepted: u64,
    pub blank: u64,
    pub total_rows: u64,
    pub rejected: u64,
    /// Why a skipped sheet is skipped, or what is special about the layout.
    pub note: Option<String>,
    /// A town's sheet without a region column: where its region must be
    /// found (`地区取自标题「城关镇」`, as the check report says it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_from: Option<String>,
}

/// One cell, as the data-quality report must name it.
#[derive(Debug, Clone, Serialize)]
pub struct CellNote {
    pub file: String,
    pub sheet: String,
    /// A1 reference, e.g. `F17`.
    pub cell: String,
    /// Canonical column name (`done_ytd`, `visit_date` …).
    pub column: String,
    /// The raw cell text (`#DIV/0!` for error cells, `""` for an empty required cell).
    pub value: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlantedIssue {
    /// `optional_cell_error`, `uscc_check`, `unknown_category`, `total_mismatch`,
    /// `missing_region_last_year`.
    pub kind: String,
    pub file: String,
    pub sheet: String,
    pub cell: Option<String>,
    pub column: Option<String>,
    pub value: Option<String>,
    pub note: String,
}

/// Key figures as of June 2025, computed from the generator's model.
#[derive(Debug, Clone, Serialize)]
pub struct Truth {
    pub projects: ProjectTruth,
    pub visits: VisitTruth,
    pub indicators: Vec<IndicatorTruth>,
}

/// Projects in the June ledger (`重点项目/2025年6月重点项目台账.xlsx`) that
/// must be accepted: every project of the model except the one whose
/// 累计完成 cell reads `待定` (the planted rejection in that file). The
/// 合计 row under the header is a total row and not included. Money in 万元,
/// sums of the one-decimal values as written.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectTruth {
    pub count: u64,
    pub plan_year: f64,
    pub done_ytd: f64,
    pub completion_rate: f64,
    /// SPEC §2.1: start_date in 2025-01-01..=2025-06-30, or no start_date and status 新开工.
    pub new_starts: u64,
    /// Status 新开工, 在建 or 投产 (after folding the spellings).
    pub started: u64,
    /// Per town in official order; `flag` with time progress 50 and a 10-point yellow band.
    pub by_region: Vec<RegionTruth>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RegionTruth {
    pub region: String,
    pub count: u64,
    pub plan: f64,
    pub done: f64,
    pub completion_rate: f64,
    pub flag: String,
}

/// The visits ledger as of June: every row of `走访/2025年1-6月走访问题台账.xlsx`
/// (none is rejected there; the planted bad rows of earlier months are fixed
/// in later sends).
#[derive(Debug, Clone, Serialize)]
pub struct VisitTruth {
    /// Distinct visits (a visit with two problems has two rows).
    pub visits: u64,
    /// Distinct enterprises (= distinct USCC).
    pub enterprises: u64,
    pub cadres: u64,
    /// Rows with a problem description.
    pub problems: u64,
    pub resolved: u64,
    /// Includes problems with a blank status.
    pub in_progress: u64,
    pub unresolvable: u64,
    /// Problems not resolved (in progress, blank or unresolvable) whose deadline
    /// (given, else visit date + 3/15/30 days for 当场办/部门办 or blank/领导办,
    /// 市领导办 and 重大 counting as 领导办) is before 2025-06-30, by days overdue:
    /// 1–7 蓝, 8–30 黄, > 30 红.
    pub overdue_blue: u64,
    pub overdue_yellow: u64,
    pub overdue_red: u64,
    /// Problems whose category is not in the SPEC list (folded to 其他).
    pub unknown_category: u64,
}

/// Σ over the twelve towns of the 2025-06 sheet (accepted rows only; total
/// rows excluded), and Σ of last year's year-to-date values over the towns
/// that have one (from `去年同期` where the 2025 sheet has it, else from the
/// 2024-06 file, which lacks 桃源乡 for 社会消费品零售总额). 万元.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorTruth {
    pub indicator: String,
    pub ytd: Option<f64>,
    pub ytd_ly: Option<f64>,
    pub regions_with_ly: u64,
    /// The whole's growth by SPEC §2.2: from the sums when every town has
    /// last year's value, else over the towns that have both (同口径).
    pub growth: Option<f64>,
    /// The reported growth of the total row, for growth-only indicators.
    pub total_growth_reported: Option<f64>,
}

/// Writes a fictional county's ledgers into `out_dir` (created). `scale` = 1
/// gives the committed sample; larger scales multiply the number of projects
/// and visits per town and stream every worksheet (rust_xlsxwriter's
/// low-memory mode: rows written once, strings in a shared table).
pub fn generate(out_dir: &Path, scale: u32) -> Result<SampleSummary> {
    if scale == 0 {
        bail!("scale must be at least 1");
    }
    for dir in ["重点项目", "经济指标", "走访", "目标任务"] {
        fs::create_dir_all(out_dir.join(dir))
            .with_context(|| format!("cannot create {}", out_dir.join(dir).display()))?;
    }
    let mut g = Gen {
        out: out_dir.to_path_buf(),
        scale: scale as u64,
        streamed: scale > 1,
        f: Fmts::new(),
        files: Vec::new(),
        rejections: Vec::new(),
        issues: Vec::new(),
    };
    let projects = ProjectModel::new(scale as u64);
    for layout in project_layouts() {
        if layout.month == towns::TOWN_MONTH {
            towns::write_town_files(&mut g, &projects, &layout)?;
        } else {
            write_projects_file(&mut g, &projects, &layout)?;
        }
    }
    resent::write_resent_file(&mut g, &projects)?;
    for year in [2024, 2025] {
        for m in 1..=6 {
            write_indicator_file(&mut g, year, m)?;
        }
    }
    let visits = VisitModel::new(scale as u64)?;
    for layout in visit_layouts() {
        write_visits_file(&mut g, &visits, &layout)?;
    }
    write_targets_file(&mut g, &projects)?;

    let truth =
        Truth { projects: project_truth(&projects)?, visits: visit_truth(&visits)?, indicators: indicator_truth() };
    g.files.sort_by(|a, b| a.path.cmp(&b.path));
    let data_rows = g.files.iter().flat_map(|f| &f.sheets).map(|s| s.rows).sum();
    let summary = SampleSummary {
        county: COUNTY.to_string(),
        scale,
        data_rows,
        files: g.files,
        rejections: g.rejections,
        planted_issues: g.issues,
        truth_2025_06: truth,
    };
    let json = serde_json::to_string_pretty(&summary)?;
    fs::write(out_dir.join("expected.json"), json + "\n").context("cannot write expected.json")?;
    fs::write(out_dir.join("statbrief.toml"), office_settings(COUNTY, &TOWNS))
        .context("cannot write statbrief.toml")?;
    Ok(summary)
}

// ───────────────────────────── the county ─────────────────────────────

#[cfg(test)]
mod tests {
    use super::common::*;
    use super::visits::*;

    #[test]
    fn splitmix_is_stable() {
        // First output of SplitMix64 seeded with 0 (reference value from the paper's C code).
        let mut r = Rng(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn uscc_check_character() {
        // A published code (华为技术有限公司).
        assert_eq!(uscc_check("91440300192203821"), Some('6'));
        for e in 0..50 {
            let code = uscc(e, false);
            assert_eq!(code.chars().count(), 18);
            assert_eq!(uscc_check(&code[..17]), code.chars().last());
            let bad = uscc(e, true);
            assert_ne!(uscc_check(&bad[..17]), bad.chars().last());
        }
    }

    #[test]
    fn helpers() {
        assert_eq!(a1(16, 5), "F17");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(thousands(1234567.8), "1,234,567.8");
        assert_eq!(thousands(123.0), "123");
        assert_eq!(full_width("1234"), "１２３４");
    }
}
