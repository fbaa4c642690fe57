//! The key-projects ledgers: the project model, the monthly layouts (one
//! per month, each with its own mess) and the projects truth.

use super::common::*;
use super::*;
use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use rust_xlsxwriter::Worksheet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Phase {
    /// Started in 2024, building all year.
    Continuing,
    /// Starts in the given 2025 month.
    NewStart(u32),
    /// Starts in the given month but the ledger never shows the date (status 新开工 only).
    NewStartNoDate(u32),
    /// Signed, starts after June.
    LaterStart,
    /// Preparatory work only.
    Prep,
    /// Building, halted from the given month.
    Halted(u32),
    /// Building, completed (投产) in the given month.
    Completed(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PStatus {
    Prep,
    Signed,
    New,
    Building,
    Producing,
    Halted,
}

impl PStatus {
    pub(super) fn spellings(self) -> &'static [&'static str] {
        match self {
            PStatus::Prep => &["前期", "谋划", "洽谈"],
            PStatus::Signed => &["签约", "已签约"],
            PStatus::New => &["新开工", "开工"],
            PStatus::Building => &["在建", "续建"],
            PStatus::Producing => &["竣工", "投产", "竣工投产", "建成"],
            PStatus::Halted => &["停建", "停工", "缓建"],
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct Project {
    pub(super) idx: u64,
    pub(super) town: usize,
    pub(super) id: String,
    pub(super) name: String,
    pub(super) chain: &'static str,
    pub(super) level: &'static str,
    pub(super) leader: &'static str,
    pub(super) resp: String,
    pub(super) total: f64,
    pub(super) plan: f64,
    pub(super) phase: Phase,
    pub(super) start: Option<NaiveDate>,
    /// done_ytd at the end of month m (index 1..=6), 万元, one decimal.
    pub(super) done: [f64; 7],
}

impl Project {
    pub(super) fn status(&self, m: u32) -> PStatus {
        match self.phase {
            Phase::Continuing => PStatus::Building,
            Phase::Halted(h) if m >= h => PStatus::Halted,
            Phase::Halted(_) => PStatus::Building,
            Phase::Completed(c) if m >= c => PStatus::Producing,
            Phase::Completed(_) => PStatus::Building,
            Phase::NewStart(s) | Phase::NewStartNoDate(s) if m >= s => PStatus::New,
            Phase::NewStart(s) | Phase::NewStartNoDate(s) if s - m <= 2 => PStatus::Signed,
            Phase::NewStart(_) | Phase::NewStartNoDate(_) => PStatus::Prep,
            Phase::LaterStart if m >= 3 => PStatus::Signed,
            Phase::LaterStart | Phase::Prep => PStatus::Prep,
        }
    }
    /// The start date the month-m ledger shows.
    pub(super) fn start_shown(&self, m: u32) -> Option<NaiveDate> {
        match self.phase {
            Phase::Continuing | Phase::Halted(_) | Phase::Completed(_) => self.start,
            Phase::NewStart(s) if m >= s => self.start,
            _ => None,
        }
    }
    /// A spelling of the month-m status; cycling with the month makes every
    /// spelling of every status appear somewhere in the six ledgers.
    pub(super) fn status_text(&self, m: u32) -> &'static str {
        let sp = self.status(m).spellings();
        sp[((self.idx + m as u64) % sp.len() as u64) as usize]
    }
}

/// Planted project indices. They are all below 36, so they exist at every scale.
pub(super) const P_NO_DATE_NEW: u64 = 4;
pub(super) const P_PREP: u64 = 32;
pub(super) const P_LATER: u64 = 30;
/// Halted from May / June. Status spellings cycle with (index + month), and
/// these indices make 停建, 停工 and 缓建 (and the four 投产 spellings below)
/// all appear. No project goes flat right after the 亿元 March ledger: a value
/// that round-trips through 亿元 could then look a hair lower in April.
pub(super) const P_HALTED: [(u64, u32); 2] = [(10, 5), (35, 6)];
pub(super) const P_COMPLETED: [(u64, u32); 2] = [(13, 4), (27, 5)];
pub(super) const P_NEW: [(u64, u32); 3] = [(7, 1), (20, 3), (33, 6)];
/// `#DIV/0!` in done_ytd of the March ledger (row rejected).
pub(super) const P_ERR_DONE: u64 = 16;
/// Listed twice in the April ledger (second row rejected).
pub(super) const P_DUPLICATE: u64 = 22;
/// `#N/A` in 总投资 of the May ledger (null + issue, row accepted).
pub(super) const P_ERR_TOTAL: u64 = 31;
/// `待定` in done_ytd of the June ledger (row rejected).
pub(super) const P_TBD_DONE: u64 = 26;
pub(super) const P_SEAT: u64 = 2;

pub(super) struct ProjectModel {
    pub(super) scale: u64,
    pub(super) per_town: u64,
}

impl ProjectModel {
    pub(super) fn new(scale: u64) -> ProjectModel {
        ProjectModel { scale, per_town: 3 * scale }
    }
    pub(super) fn count(&self) -> u64 {
        12 * self.per_town
    }
    pub(super) fn project(&self, i: u64) -> Result<Project> {
        let mut r = rng_for("project", i);
        let town = (i / self.per_town) as usize;
        let k = i % self.per_town;
        // Every draw is made unconditionally, in a fixed order, so that forcing
        // a planted phase does not shift the other attributes.
        let chain_i = r.below(5) as usize;
        let lv = r.unit();
        let leader = r.pick(&LEADERS);
        let town_resp = r.chance(0.3);
        let u = r.unit();
        let total_factor = r.range(1.5, 5.0);
        let phase_u = r.unit();
        let new_month = 1 + r.below(6) as u32;
        let start_2024 = r.below(366);
        let start_day = 1 + r.below(28) as u32;
        let pace = TOWN_PACE[town] * r.range(0.85, 1.15);
        let n = 2 + r.below(48) * 5;
        let weights: Vec<f64> = (0..6).map(|_| r.range(0.6, 1.4)).collect();

        let mut plan = round_to(2000.0 + 78000.0 * u * u, 10.0);
        let mut phase = if phase_u < 0.64 {
            Phase::Continuing
        } else if phase_u < 0.82 {
            Phase::NewStart(new_month)
        } else if phase_u < 0.90 {
            Phase::LaterStart
        } else {
            Phase::Prep
        };
        match i {
            P_NO_DATE_NEW => phase = Phase::NewStartNoDate(5),
            P_PREP => phase = Phase::Prep,
            P_LATER => phase = Phase::LaterStart,
            _ => {}
        }
        for (hi, hm) in P_HALTED {
            if hi == i {
                phase = Phase::Halted(hm);
            }
        }
        for (pi, pm) in P_COMPLETED.iter().chain(P_NEW.iter()) {
            if *pi == i {
                phase =
                    if P_COMPLETED.iter().any(|(c, _)| *c == i) { Phase::Completed(*pm) } else { Phase::NewStart(*pm) };
            }
        }
        // Projects with planted cells must be ones with money moving all year;
        // so is the county seat's third project, which keeps 城关镇 on schedule.
        if [P_ERR_DONE, P_DUPLICATE, P_ERR_TOTAL, P_TBD_DONE, P_SEAT].contains(&i) {
            phase = Phase::Continuing;
        }
        if matches!(phase, Phase::Prep | Phase::LaterStart) {
            // Projects not starting this half-year plan little spending for the year.
            plan = round_to((plan * 0.3).max(2000.0), 10.0);
        }
        let total = round_to(plan * total_factor, 100.0);
        let start = match phase {
            Phase::Continuing | Phase::Halted(_) | Phase::Completed(_) => Some(add_days(ymd(2024, 1, 1)?, start_2024)?),
            Phase::NewStart(s) | Phase::NewStartNoDate(s) => Some(ymd(2025, s, start_day)?),
            Phase::LaterStart => Some(ymd(2025, 7 + (start_day % 3), start_day)?),
            Phase::Prep => None,
        };
        let mut done = [0.0f64; 7];
        for m in 1..=6u32 {
            let active = match phase {
                Phase::Continuing => true,
                Phase::Halted(h) => m < h,
                Phase::Completed(c) => m <= c,
                Phase::NewStart(s) | Phase::NewStartNoDate(s) => m >= s,
                Phase::LaterStart | Phase::Prep => false,
            };
            let prev = done[m as usize - 1];
            // Continuing projects run a little ahead of the calendar (carry-over
            // works); new starts front-load (site works, equipment deposits).
            let boost = if matches!(phase, Phase::NewStart(_) | Phase::NewStartNoDate(_)) { 1.7 } else { 1.15 };
            let mut inc = if active { plan * pace * boost / 12.0 * weights[m as usize - 1] } else { 0.0 };
            if let Phase::Completed(c) = phase {
                if m == c {
                    inc = inc.max(plan * 0.97 - prev); // completion books the rest of the plan
                }
            }
            done[m as usize] = round1((prev + inc).min(plan * 1.2)).max(prev);
        }
        let template = NAME_TEMPLATES[chain_i][((k + town as u64) % 4) as usize];
        let mut name = format!("{}{}", TOWNS[town], template.replace("{n}", &n.to_string()));
        if self.scale > 1 {
            name.push_str(&format!("（{}）", k + 1));
        }
        Ok(Project {
            idx: i,
            town,
            id: format!("QS25{:02}{:04}", town + 1, k + 1),
            name,
            chain: CHAINS[chain_i],
            level: if lv < 0.12 {
                "省重点"
            } else if lv < 0.42 {
                "市重点"
            } else {
                "县重点"
            },
            leader,
            resp: if town_resp { format!("{}人民政府", TOWNS[town]) } else { CHAIN_UNIT[chain_i].to_string() },
            total,
            plan,
            phase,
            start,
            done,
        })
    }
}

/// Columns a projects ledger may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PF {
    Seq,
    Id,
    Name,
    Region,
    Chain,
    Level,
    Leader,
    Resp,
    Total,
    Plan,
    Done,
    Rate,
    Status,
    Start,
    Note,
    Contact,
    /// 开工以来累计完成投资: since the project started, not this year's
    /// (SPEC §1.2 never takes it for done_ytd).
    SinceStart,
}

pub(super) struct PCol {
    /// The group cell of a two-level header, merged across its sub-headers.
    pub(super) group: Option<&'static str>,
    pub(super) head: String,
    pub(super) f: PF,
}

pub(super) fn pc(head: &str, f: PF) -> PCol {
    PCol { group: None, head: head.to_string(), f }
}

pub(super) fn pg(group: &'static str, head: &str, f: PF) -> PCol {
    PCol { group: Some(group), head: head.to_string(), f }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PPlant {
    None,
    /// An error formula in done_ytd (required → rejected).
    ErrorDone,
    /// The project listed a second time at the end of its town block.
    Duplicate,
    /// An error formula in 总投资 (optional → null + issue).
    ErrorTotal,
    /// `待定` in done_ytd.
    TbdDone,
}

pub(super) struct ProjLayout {
    pub(super) month: u32,
    pub(super) sheet: &'static str,
    pub(super) title: String,
    pub(super) unit_line: Option<&'static str>,
    /// 10000 when the sheet is in 亿元.
    pub(super) money_div: f64,
    pub(super) cols: Vec<PCol>,
    /// The town written once per block in a vertically merged cell.
    pub(super) merge_region: bool,
    /// 小计 after every town block and 合计 at the end.
    pub(super) subtotals: bool,
    /// 合计 right under the header.
    pub(super) total_first: bool,
    pub(super) dates: &'static [DateForm],
    pub(super) money: &'static [NumForm],
    /// Missing markers used in 总投资 for some rows.
    pub(super) missing_total: &'static [&'static str],
    /// A row with only its 序号 filled, after this town's block.
    pub(super) blank_after_town: Option<usize>,
    pub(super) plant: PPlant,
    /// What is special about this month, for `expected.json`.
    pub(super) note: &'static str,
}

// Long because it is a table: one entry per monthly layout.
pub(super) fn project_layouts() -> Vec<ProjLayout> {
    use PF::*;
    vec![
        ProjLayout {
            month: 1,
            sheet: "1月",
            title: "青山县2025年1月重点项目建设进展情况表".into(),
            unit_line: Some("单位：万元"),
            money_div: 1.0,
            cols: vec![
                pc("序号", Seq),
                pc("项目\n编号", Id),
                pc("项目\n名称", Name),
                pc("所属　地区", Region),
                pc("产业链", Chain),
                pc("项目　级别", Level),
                pc("包抓\n领导", Leader),
                pc("责任单位", Resp),
                pc("总投资", Total),
                pc("年度计划\n投资", Plan),
                pc("本年累计\n完成投资", Done),
                pc("项目状态", Status),
                pc("开工日期", Start),
                pc("备　注", Note),
            ],
            merge_region: false,
            subtotals: false,
            total_first: false,
            dates: &[DateForm::Cell],
            money: &[NumForm::Num],
            missing_total: &[],
            blank_after_town: Some(5),
            plant: PPlant::None,
            note: "title + 单位：万元 line; newlines and full-width spaces in headers; Excel date cells; a 序号-only blank row; sheets 说明 (skipped) and hidden 代码表 (skipped)",
        },
        ProjLayout {
            month: 2,
            sheet: "2月",
            title: "青山縣2025年1-2月重點項目建設進展情況表".into(),
            unit_line: None,
            money_div: 1.0,
            cols: vec![
                pc("序號", Seq),
                pc("項目編號", Id),
                pc("項目名稱", Name),
                pc("所屬地區", Region),
                pc("產業鏈", Chain),
                pc("項目級別", Level),
                pc("包抓領導", Leader),
                pc("責任單位", Resp),
                pc("總投資（萬元）", Total),
                pc("年度計劃投資（萬元）", Plan),
                pc("本年累計完成投資（萬元）", Done),
                pc("項目狀態", Status),
                pc("開工日期", Start),
            ],
            merge_region: false,
            subtotals: false,
            total_first: false,
            dates: &[DateForm::Iso, DateForm::Slash],
            money: &[NumForm::Num, NumForm::Thousands, NumForm::FullWidth, NumForm::Wan],
            missing_total: &["-", "—"],
            blank_after_town: None,
            plant: PPlant::None,
            note: "Traditional-character headers with (萬元) units; amounts as text (1,234.5 / full-width / 12.3万元); missing markers in 總投資; text dates 2025-03-05 and 2025/3/5",
        },
        ProjLayout {
            month: 3,
            sheet: "3月",
            title: "青山县2025年1-3月重点项目建设进展情况表".into(),
            unit_line: Some("单位：亿元"),
            money_div: 10000.0,
            cols: vec![
                pc("序号", Seq),
                pc("项目编号", Id),
                pc("项目名称", Name),
                pc("所属地区", Region),
                pc("产业链", Chain),
                pc("项目级别", Level),
                pc("包抓领导", Leader),
                pc("总投资", Total),
                pg("投资完成情况", "年度计划投资", Plan),
                pg("投资完成情况", "本年累计完成", Done),
                pg("投资完成情况", "完成率", Rate),
                pc("项目状态", Status),
                pc("开工日期", Start),
                pc("备注", Note),
            ],
            merge_region: true,
            subtotals: false,
            total_first: false,
            dates: &[DateForm::Serial, DateForm::Compact],
            money: &[NumForm::Num],
            missing_total: &[],
            blank_after_town: None,
            plant: PPlant::ErrorDone,
            note: "two-level header exactly as SPEC §1.2 (投资完成情况 over 年度计划投资/本年累计完成/完成率; 本年累计完成 is not a listed alias); amounts in 亿元 via 单位：亿元; region merged vertically per town; 完成率 as formulas; dates as plain serial numbers and 20250305; #DIV/0! in done_ytd",
        },
        ProjLayout {
            month: 4,
            sheet: "4月",
            title: "青山县2025年1-4月重点项目建设进展情况表".into(),
            unit_line: None,
            money_div: 1.0,
            cols: vec![
                pc("序号", Seq),
                pc("项目名称", Name),
                pc("项目代码", Id),
                pc("项目状态", Status),
                pc("2025年1-4月累计完成投资（万元）", Done),
                pc("2025年度计划投资（万元）", Plan),
                pc("乡镇（街道）", Region),
                pc("分包领导", Leader),
                pc("行业", Chain),
                pc("项目级别", Level),
                pc("开工日期", Start),
                pc("计划总投资（万元）", Total),
                pc("责任单位", Resp),
                pc("联系人", Contact),
                pc("备注", Note),
            ],
            merge_region: false,
            subtotals: true,
            total_first: false,
            dates: &[DateForm::Dot, DateForm::Cn],
            money: &[NumForm::Num, NumForm::Thousands],
            missing_total: &["/"],
            blank_after_town: None,
            plant: PPlant::Duplicate,
            note: "shuffled columns with 序号/联系人/备注; headers with a leading year (2025年度计划投资, 2025年1-4月累计完成投资); 小计 after each town and 合计 at the end; dates 2025.3.5 and 2025年3月5日; one project listed twice",
        },
        ProjLayout {
            month: 5,
            sheet: "5月",
            title: "青山县2025年1-5月重点项目建设进展情况表".into(),
            unit_line: Some("单位：万元"),
            money_div: 1.0,
            cols: vec![
                pc("序号", Seq),
                pc("项目编号", Id),
                pc("项目名称", Name),
                pc("所属乡镇", Region),
                pc("产业类别", Chain),
                pc("级别", Level),
                pc("包联领导", Leader),
                pc("牵头单位", Resp),
                pc("计划总投资", Total),
                pg("本年", "计划投资", Plan),
                pg("本年", "累计完成投资", Done),
                pg("本年", "完成率（%）", Rate),
                pc("建设状态", Status),
                pc("开工时间", Start),
                pc("联系人", Contact),
                pc("备注", Note),
            ],
            merge_region: false,
            subtotals: false,
            total_first: false,
            dates: &[DateForm::Cell, DateForm::CellCn, DateForm::Iso, DateForm::Cn],
            money: &[NumForm::Num, NumForm::Wan],
            missing_total: &["无", "-", "/"],
            blank_after_town: None,
            plant: PPlant::ErrorTotal,
            note: "two-level header where group + sub-header is an alias (本年 + 计划投资 = 本年计划投资; 累计完成投资 alone); 12.3万元 text amounts; #N/A in 计划总投资 (optional); Excel date cells in two formats plus text",
        },
        ProjLayout {
            month: 6,
            sheet: "上半年",
            title: "青山县2025年上半年重点项目建设进展情况表".into(),
            unit_line: Some("金额单位：万元"),
            money_div: 1.0,
            cols: vec![
                pc("编号", Id),
                pc("项目名称", Name),
                pc("所在地", Region),
                pc("所属产业链", Chain),
                pc("项目类别", Level),
                pc("责任领导", Leader),
                pc("责任单位", Resp),
                pc("总投资", Total),
                pc("本年计划投资", Plan),
                pc("1-6月累计完成投资", Done),
                pc("开工以来累计完成投资", SinceStart),
                pc("进展状态", Status),
                pc("实际开工日期", Start),
                pc("备注", Note),
            ],
            merge_region: false,
            subtotals: false,
            total_first: true,
            dates: &ALL_DATE_FORMS,
            money: &[NumForm::Num, NumForm::Thousands],
            missing_total: &["—", "－"],
            blank_after_town: None,
            plant: PPlant::TbdDone,
            note: "period only as 上半年 in the title (and 6月 in the file name); 金额单位 line; no 序号; 合计 right under the header; dates in every form; 待定 in done_ytd; 开工以来累计完成投资 beside 1-6月累计 (never done_ytd)",
        },
    ]
}

pub(super) const PROJECT_NOTES: [&str; 4] = ["", "省重点项目", "土地报批中", "设备已进场"];

pub(super) fn write_projects_file(g: &mut Gen, model: &ProjectModel, lay: &ProjLayout) -> Result<()> {
    let rel = format!("重点项目/2025年{}月重点项目台账.xlsx", lay.month);
    let mut wb = new_workbook(&lay.title)?;
    let mut sheets = Vec::new();
    let streamed = g.streamed;
    {
        let ws = add_sheet(&mut wb, streamed, lay.sheet)?;
        let s = write_projects_sheet(g, ws, model, lay, &rel)?;
        sheets.push(s);
    }
    if lay.month == 1 {
        // A free-text sheet that matches no kind.
        let ws = add_sheet(&mut wb, streamed, "说明")?;
        let lines = [
            "填报说明",
            "1．本台账由各乡镇、县直责任单位每月5日前报送县发改局重点项目股。",
            "2．金额一律以万元为单位，保留一位小数；累计数据为1月至报告月末。",
            "3．状态一栏按前期、签约、新开工、在建、投产、停建据实填写。",
            "4．如有疑问请联系县发改局，电话0912-6231234。",
        ];
        for (i, l) in lines.iter().enumerate() {
            ws.write_string(i as u32, 0, *l)?;
        }
        ws.set_column_width(0, 80)?;
        sheets.push(SheetSummary::skipped("说明", false, "free text; matches no ledger kind"));
        // A hidden lookup list (the source of the ledger's drop-downs).
        let ws = add_sheet(&mut wb, streamed, "代码表")?;
        ws.set_hidden(true);
        put_row(ws, &g.f, 0, &[Cell::text("代码"), Cell::text("名称"), Cell::text("类别")])?;
        let mut r = 1;
        for (i, t) in TOWNS.iter().enumerate() {
            put_row(ws, &g.f, r, &[Cell::text(format!("{:02}", i + 1)), Cell::text(*t), Cell::text("乡镇")])?;
            r += 1;
        }
        for (code, c) in ["XNY", "ZBZZ", "LSSP", "XCL", "WLKY"].iter().zip(CHAINS) {
            put_row(ws, &g.f, r, &[Cell::text(*code), Cell::text(c), Cell::text("产业链")])?;
            r += 1;
        }
        for (i, l) in ["省重点", "市重点", "县重点"].iter().enumerate() {
            put_row(ws, &g.f, r, &[Cell::text(format!("L{}", i + 1)), Cell::text(*l), Cell::text("级别")])?;
            r += 1;
        }
        sheets.push(SheetSummary::skipped("代码表", true, "hidden lookup list; matches no ledger kind"));
    }
    wb.save(g.out.join(&rel)).with_context(|| format!("cannot write {rel}"))?;
    g.files.push(FileSummary { path: rel, sheets });
    Ok(())
}

// Long because it writes one sheet in reading order (title, unit line,
// headers, blocks per town, totals, notes), with the accounting beside it.
pub(super) fn write_projects_sheet(
    g: &mut Gen,
    ws: &mut Worksheet,
    model: &ProjectModel,
    lay: &ProjLayout,
    rel: &str,
) -> Result<SheetSummary> {
    let m = lay.month;
    let ncol = lay.cols.len() as u16;
    let col_of = |f: PF| lay.cols.iter().position(|c| c.f == f).map(|p| p as u16);
    let div = lay.money_div;
    let f = &g.f;

    for (c, col) in lay.cols.iter().enumerate() {
        let w = match col.f {
            PF::Name => 36.0,
            PF::Resp | PF::Contact => 16.0,
            PF::Seq => 6.0,
            _ => 12.0,
        };
        ws.set_column_width(c as u16, w)?;
    }
    ws.merge_range(0, 0, 0, ncol - 1, &lay.title, &f.title)?;
    let mut row = 1;
    if let Some(unit) = lay.unit_line {
        ws.merge_range(1, ncol - 3, 1, ncol - 1, unit, &f.unit)?;
        row = 2;
    }
    let two_level = lay.cols.iter().any(|c| c.group.is_some());
    let hr = row;
    if two_level {
        let mut c = 0usize;
        while c < lay.cols.len() {
            let col = &lay.cols[c];
            match col.group {
                None => {
                    ws.merge_range(hr, c as u16, hr + 1, c as u16, &col.head, &f.head)?;
                }
                Some(group) => {
                    let mut e = c;
                    while e + 1 < lay.cols.len() && lay.cols[e + 1].group == Some(group) {
                        e += 1;
                    }
                    if e > c {
                        ws.merge_range(hr, c as u16, hr, e as u16, group, &f.head)?;
                    } else {
                        ws.write_string_with_format(hr, c as u16, group, &f.head)?;
                    }
                    c = e;
                }
            }
            c += 1;
        }
        for (c, col) in lay.cols.iter().enumerate() {
            if col.group.is_some() {
                ws.write_string_with_format(hr + 1, c as u16, &col.head, &f.head)?;
            }
        }
        row = hr + 2;
    } else {
        for (c, col) in lay.cols.iter().enumerate() {
            ws.write_string_with_format(hr, c as u16, &col.head, &f.head)?;
        }
        row = hr + 1;
    }
    let mut summary = SheetSummary::new(lay.sheet, "projects", format!("2025-{m:02}"), row);
    summary.note = Some(lay.note.to_string());

    // Sums for total rows, in the sheet's unit.
    let total_row = |label: &str, total: f64, plan: f64, done: f64| -> Vec<Cell> {
        lay.cols
            .iter()
            .map(|c| match c.f {
                PF::Name => Cell::text(label),
                PF::Total => money_cell(total / div, NumForm::Num),
                PF::Plan => money_cell(plan / div, NumForm::Num),
                PF::Done => money_cell(round1(done) / div, NumForm::Num),
                PF::Rate if plan > 0.0 => Cell::Num(round1(done / plan * 1000.0) / 10.0),
                _ => Cell::Empty,
            })
            .collect()
    };
    if lay.total_first {
        let (mut t, mut p, mut d) = (0.0, 0.0, 0.0);
        for i in 0..model.count() {
            let pr = model.project(i)?;
            t += pr.total;
            p += pr.plan;
            d += pr.done[m as usize];
        }
        put_row(ws, f, row, &total_row("合计", t, p, d))?;
        summary.count(RowClass::Total);
        row += 1;
    }

    let mut seq = 0u64;
    let (mut gt, mut gp, mut gd) = (0.0, 0.0, 0.0);
    let mut rejections: Vec<(u32, u16, &'static str, String)> = Vec::new();
    let mut issues: Vec<(u32, u16, String)> = Vec::new();
    // The town index selects from several parallel tables (names, sizes, paces).
    #[allow(clippy::needless_range_loop)]
    for town in 0..12usize {
        let first = town as u64 * model.per_town;
        let has_dup = lay.plant == PPlant::Duplicate && (first..first + model.per_town).contains(&P_DUPLICATE);
        let block_len = model.per_town + u64::from(has_dup);
        let block_start = row;
        let (mut bt, mut bp, mut bd) = (0.0, 0.0, 0.0);
        let mut dup_of: Option<Project> = None;
        for i in first..first + model.per_town {
            let p = model.project(i)?;
            seq += 1;
            let (cells, class) = project_row(&p, lay, row, seq, row == block_start, &mut rejections, &mut issues)?;
            if lay.merge_region && row == block_start && block_len > 1 {
                if let Some(rc) = col_of(PF::Region) {
                    ws.merge_range(row, rc, row + block_len as u32 - 1, rc, TOWNS[town], &f.text)?;
                }
            }
            put_row(ws, f, row, &cells)?;
            summary.count(class);
            row += 1;
            bt += p.total;
            bp += p.plan;
            bd += p.done[m as usize];
            if p.idx == P_DUPLICATE && has_dup {
                dup_of = Some(p);
            }
        }
        if let Some(p) = dup_of {
            // The clerk pasted the project again with last month's figure.
            let mut older = p.clone();
            older.done[m as usize] = p.done[m as usize - 1];
            seq += 1;
            let (cells, _) = project_row(&older, lay, row, seq, false, &mut rejections, &mut issues)?;
            put_row(ws, f, row, &cells)?;
            summary.count(RowClass::Rejected);
            if let Some(c) = col_of(PF::Id) {
                rejections.push((row, c, "project_id", p.id.clone()));
            }
            row += 1;
        }
        if lay.subtotals {
            put_row(ws, f, row, &total_row("小计", bt, bp, bd))?;
            summary.count(RowClass::Total);
            row += 1;
        }
        if lay.blank_after_town == Some(town) {
            seq += 1;
            if let Some(c) = col_of(PF::Seq) {
                ws.write_number_with_format(row, c, seq as f64, &f.num)?;
            }
            summary.count(RowClass::Blank);
            row += 1;
        }
        gt += bt;
        gp += bp;
        gd += bd;
    }
    if lay.subtotals {
        put_row(ws, f, row, &total_row("合计", gt, gp, gd))?;
        summary.count(RowClass::Total);
        row += 1;
    }
    let unit_word = if div > 1.0 { "亿元" } else { "万元" };
    write_notes(
        ws,
        f,
        row,
        &format!("注：1.本表金额单位为{unit_word}；2.完成率=本年累计完成投资/年度计划投资×100%；3.数据截至{m}月底。"),
    )?;
    for (r, c, column, value) in rejections {
        g.reject(rel, lay.sheet, r, c, column, value);
    }
    for (r, c, value) in issues {
        g.issue(
            "optional_cell_error",
            rel,
            lay.sheet,
            Some(a1(r, c)),
            Some("total_investment"),
            Some(value),
            "error cell in an optional column: null plus an issue, row accepted",
        );
    }
    Ok(summary)
}

/// One project's row in the month-m ledger, and how it must be classified.
#[allow(clippy::too_many_arguments)]
pub(super) fn project_row(
    p: &Project,
    lay: &ProjLayout,
    row: u32,
    seq: u64,
    first_in_block: bool,
    rejections: &mut Vec<(u32, u16, &'static str, String)>,
    issues: &mut Vec<(u32, u16, String)>,
) -> Result<(Vec<Cell>, RowClass)> {
    let m = lay.month;
    let div = lay.money_div;
    let mut class = RowClass::Accepted;
    let mut r = rng_for("project-cells", p.idx * 16 + m as u64);
    let col_of = |f: PF| lay.cols.iter().position(|c| c.f == f).map(|x| x as u16);
    let mut cells = Vec::with_capacity(lay.cols.len());
    for (c, col) in lay.cols.iter().enumerate() {
        let c = c as u16;
        let form = r.pick(lay.money);
        let marker_u = r.unit();
        let date_form = r.pick(lay.dates);
        let cell = match col.f {
            PF::Seq => Cell::Num(seq as f64),
            PF::Id => Cell::text(&p.id),
            PF::Name => Cell::text(&p.name),
            PF::Region if lay.merge_region && !first_in_block => Cell::Empty,
            PF::Region => Cell::text(TOWNS[p.town]),
            PF::Chain => Cell::text(p.chain),
            PF::Level => Cell::text(p.level),
            PF::Leader => Cell::text(p.leader),
            PF::Resp => Cell::text(&p.resp),
            PF::Total if lay.plant == PPlant::ErrorTotal && p.idx == P_ERR_TOTAL => {
                // A lookup into an empty range: Excel itself gives #N/A.
                issues.push((row, c, "#N/A".to_string()));
                Cell::Formula(format!("VLOOKUP({},$AA$1:$AB$2,2,FALSE)", a1(row, 1)), "#N/A".into())
            }
            PF::Total if !lay.missing_total.is_empty() && marker_u < 0.15 => {
                Cell::text(lay.missing_total[(p.idx as usize + m as usize) % lay.missing_total.len()])
            }
            PF::Total => money_cell(p.total / div, form),
            PF::Plan => money_cell(p.plan / div, form),
            PF::Done if lay.plant == PPlant::ErrorDone && p.idx == P_ERR_DONE => {
                class = RowClass::Rejected;
                rejections.push((row, c, "done_ytd", "#DIV/0!".to_string()));
                Cell::Formula("SUM(1)/0".into(), "#DIV/0!".into())
            }
            PF::Done if lay.plant == PPlant::TbdDone && p.idx == P_TBD_DONE => {
                class = RowClass::Rejected;
                rejections.push((row, c, "done_ytd", "待定".to_string()));
                Cell::text("待定")
            }
            PF::Done => money_cell(p.done[m as usize] / div, form),
            // Earlier years' work on top of this year's: half of what the
            // total investment leaves beyond this year's plan.
            PF::SinceStart => money_cell(round1(p.done[m as usize] + (p.total - p.plan).max(0.0) / 2.0) / div, form),
            PF::Rate => {
                let (Some(dc), Some(pc)) = (col_of(PF::Done), col_of(PF::Plan)) else {
                    bail!("rate column without plan/done")
                };
                let result = if lay.plant == PPlant::ErrorDone && p.idx == P_ERR_DONE {
                    "#DIV/0!".to_string()
                } else {
                    format!("{}", p.done[m as usize] / p.plan * 100.0)
                };
                Cell::Formula(format!("{}/{}*100", a1(row, dc), a1(row, pc)), result)
            }
            PF::Status => Cell::text(p.status_text(m)),
            PF::Start => match p.start_shown(m) {
                Some(d) => date_cell(d, date_form)?,
                None => Cell::Empty,
            },
            PF::Note => Cell::text(PROJECT_NOTES[((p.idx * 7 + m as u64) % 4) as usize]),
            PF::Contact => {
                let c = p.idx * 7919 + 13;
                Cell::text(format!(
                    "{}{} 139{:04}{:04}",
                    SURNAMES[(c % 30) as usize],
                    GIVEN[((c / 30) % 25) as usize],
                    (c * 37) % 10000,
                    (c * 91) % 10000
                ))
            }
        };
        cells.push(cell);
    }
    Ok((cells, class))
}

pub(super) fn project_truth(model: &ProjectModel) -> Result<ProjectTruth> {
    let m = 6usize;
    let start = ymd(2025, 1, 1)?;
    let end = month_end(2025, 6)?;
    let mut by = vec![(0u64, 0.0f64, 0.0f64); 12];
    let (mut count, mut plan, mut done, mut new_starts, mut started) = (0u64, 0.0, 0.0, 0u64, 0u64);
    for i in 0..model.count() {
        if i == P_TBD_DONE {
            continue; // rejected in the June ledger
        }
        let p = model.project(i)?;
        count += 1;
        plan += p.plan;
        done += p.done[m];
        by[p.town].0 += 1;
        by[p.town].1 += p.plan;
        by[p.town].2 += p.done[m];
        let st = p.status(6);
        match p.start_shown(6) {
            Some(d) if d >= start && d <= end => new_starts += 1,
            None if st == PStatus::New => new_starts += 1,
            _ => {}
        }
        if matches!(st, PStatus::New | PStatus::Building | PStatus::Producing) {
            started += 1;
        }
    }
    let by_region = by
        .iter()
        .enumerate()
        .map(|(t, &(n, p, d))| {
            let rate = if p > 0.0 { d / p * 100.0 } else { 0.0 };
            RegionTruth {
                region: TOWNS[t].to_string(),
                count: n,
                plan: round1(p),
                done: round1(d),
                completion_rate: rate,
                flag: if rate >= 50.0 {
                    "green"
                } else if rate >= 40.0 {
                    "yellow"
                } else {
                    "red"
                }
                .to_string(),
            }
        })
        .collect();
    Ok(ProjectTruth {
        count,
        plan_year: round1(plan),
        done_ytd: round1(done),
        completion_rate: done / plan * 100.0,
        new_starts,
        started,
        by_region,
    })
}
