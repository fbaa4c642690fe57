//! `briefing.xlsx`: the workbook a statistics office sends on as it is.
//!
//! Offices send their quarterly figures as Excel files, and the file has to
//! be good enough that no clerk needs to fix it first. The bar is the UK
//! Government Analysis Function's spreadsheet conventions (gptables /
//! aftables) adapted to Chinese office practice: a cover, a contents sheet
//! with links, a notes sheet with every definition, then one sheet per
//! subject in which every table is a real Excel table (a ListObject) with a
//! title line and a unit line above it and a source line below it; numbers
//! and dates are stored as numbers and dates (never text), missing figures
//! are empty cells (never 0), flags and supervision colours are conditional
//! formats on text cells, charts are native Excel charts drawn from the
//! tables' own cells, and every sheet prints on A4 landscape.
//!
//! The renderer reads only the [`Report`]: it computes no statistic. The one
//! exception is the overview's gap column (actual − target) and its
//! met / not-met flag for targets the model has no flag for, which are
//! display arithmetic on two figures printed beside them.
//!
//! One file per job: [`formats`] (formats and layout constants), [`table`]
//! (the table model), [`measure`] (widths from content), [`sheet`] (writing
//! and print setup), then one file per group of sheets.

mod formats;
mod front;
mod indicators;
mod measure;
mod overdue_stream;
mod overview;
mod projects;
mod quality;
mod sheet;
mod table;
mod visits;

use super::wording::fmt_year_period;
use crate::error::Error;
use crate::model::Report;
use formats::{xl, Formats};
use rust_xlsxwriter::{DocProperties, Workbook};
use sheet::Page;

/// The sheets in workbook order. The order is part of the contract
/// (issue 4); each sheet's name and the line the contents sheet shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SheetId {
    Cover,
    Contents,
    Notes,
    Overview,
    Projects,
    ByRegion,
    ByChain,
    ByLeader,
    ByLevel,
    Indicators,
    Problems,
    Overdue,
    Visits,
    Quality,
}

impl SheetId {
    pub(crate) const ALL: [SheetId; 14] = [
        SheetId::Cover,
        SheetId::Contents,
        SheetId::Notes,
        SheetId::Overview,
        SheetId::Projects,
        SheetId::ByRegion,
        SheetId::ByChain,
        SheetId::ByLeader,
        SheetId::ByLevel,
        SheetId::Indicators,
        SheetId::Problems,
        SheetId::Overdue,
        SheetId::Visits,
        SheetId::Quality,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            SheetId::Cover => "封面",
            SheetId::Contents => "目录",
            SheetId::Notes => "说明",
            SheetId::Overview => "总览",
            SheetId::Projects => "重点项目",
            SheetId::ByRegion => "分地区",
            SheetId::ByChain => "分产业链",
            SheetId::ByLeader => "分包抓领导",
            SheetId::ByLevel => "分项目级别",
            SheetId::Indicators => "经济指标",
            SheetId::Problems => "问题办理",
            SheetId::Overdue => "逾期督办",
            SheetId::Visits => "走访情况",
            SheetId::Quality => "数据质量",
        }
    }

    /// The line the contents sheet shows.
    pub(crate) fn description(self) -> &'static str {
        match self {
            SheetId::Cover => "标题、单位、统计期、生成日期、阅读说明和来源文件（含 SHA-256 校验值）",
            SheetId::Contents => "本目录：每张工作表的内容，点击名称跳转",
            SheetId::Notes => "每项数据的名称、计量单位和定义；空白单元格的含义；标识和督办颜色的规则",
            SheetId::Overview => "目标任务完成情况（实际、目标、差距、标识）、主要指标和逐月累计完成投资（附图）",
            SheetId::Projects => "每个重点项目的年度计划、累计完成、完成率、进度标识、状态和来源行",
            SheetId::ByRegion => "各地区重点项目投资完成率、排名和进度标识（附完成率与时序进度对比图）",
            SheetId::ByChain => "各产业链重点项目投资完成率、排名和进度标识",
            SheetId::ByLeader => "各包抓领导所包项目的投资完成率、排名和进度标识",
            SheetId::ByLevel => "省、市、县重点项目的投资完成率、排名和进度标识",
            SheetId::Indicators => {
                "各指标分地区的累计值、同比增长、排名、拉动、贡献率和目标差距（附首项指标分地区增速图）"
            }
            SheetId::Problems => "按问题类别（附图）、办理层级、地区和干部单位统计的问题办理情况",
            SheetId::Overdue => "逾期未办结的问题，按逾期天数从多到少排列，附督办颜色",
            SheetId::Visits => "逐月走访次数、发现问题数和其中已解决数",
            SheetId::Quality => "每个文件每张工作表的行数核对，以及每条数据问题的位置和说明",
        }
    }
}

/// Renders the workbook into memory, so nothing is written when it fails.
pub fn render_workbook(report: &Report) -> Result<Vec<u8>, Error> {
    let f = Formats::new();
    let period = fmt_year_period(report.year, report.month);
    let page = Page { title: report.title.clone(), office: report.office.clone(), period: period.clone() };
    let mut number = 0u32;
    let mut workbook = Workbook::new();
    // Compressing the sheets' XML is most of the time a large workbook takes
    // to save; level 1 is several times faster and the file barely larger.
    workbook.set_zip_compression_level(1);

    for id in SheetId::ALL {
        if id == SheetId::Overdue && report.visits.overdue_all.len() >= overdue_stream::STREAM_FROM {
            overdue_stream::overdue_streamed(report, &f, &period, &page, &mut number, &mut workbook)?;
            continue;
        }
        let sheet = match id {
            SheetId::Cover => front::cover(report, &f, &period, &mut number)?,
            SheetId::Contents => front::contents(&f, &mut number)?,
            SheetId::Notes => front::notes(&f, &mut number)?,
            SheetId::Overview => overview::overview(report, &f, &period, &mut number)?,
            SheetId::Projects => projects::projects(report, &f, &period, &mut number)?,
            SheetId::ByRegion | SheetId::ByChain | SheetId::ByLeader | SheetId::ByLevel => {
                projects::groups(report, &f, &period, id, &mut number)?
            }
            SheetId::Indicators => indicators::indicators(report, &f, &period, &mut number)?,
            SheetId::Problems => visits::problems(report, &f, &period, &mut number)?,
            SheetId::Overdue => visits::overdue(report, &f, &period, &mut number)?,
            SheetId::Visits => visits::visits(report, &f, &mut number)?,
            SheetId::Quality => quality::quality(report, &f, &mut number)?,
        };
        workbook.push_worksheet(sheet.finish(&page)?);
    }

    let created = chrono::Utc::now();
    let properties = DocProperties::new()
        .set_title(&report.title)
        .set_subject(format!("{}{}", period, report.title))
        .set_author(&report.office)
        .set_company(&report.office)
        .set_keywords("统计简报, statbrief")
        .set_comment("由 statbrief 根据各单位报送的台账生成")
        .set_creation_datetime(&created);
    workbook.set_properties(&properties);
    workbook.save_to_buffer().map_err(xl)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_is_measured_two_digits_wide() {
        // A CJK character is two units wide, not one.
        assert!(measure::units("重点项目") > 7.9);
    }
}
