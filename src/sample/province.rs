//! The province shape of the sample (`statbrief sample --shape province`):
//! what a city or provincial office feeds statbrief for a whole year, for
//! the scale benchmark (issue 9). The county sample plants every messy
//! feature; this one is about size and the shape that costs the most:
//!
//! - 100 regions (counties), named from two syllable lists;
//! - `scale` × 1,000 projects, in twelve monthly ledgers (`--scale 10` is
//!   the province: 10,000 projects × 12);
//! - `scale` × 7,500 visit rows a month in monthly *increment* files (only
//!   that month's visits, as a province's web system exports them; 900,000
//!   rows a year at `--scale 10`), each with an 18-character USCC;
//! - about half of the problems still open at year end, so that some
//!   450,000 are overdue in December at `--scale 10`;
//! - twelve indicator reports (100 regions × 3 indicators) and one targets
//!   sheet.
//!
//! Files are written in parallel (one per core), streamed in low-memory
//! mode (a shared string table, as Excel saves: see `common::add_sheet`);
//! every value comes from a seeded stream per (purpose, entity), so the set
//! is the same on every machine. `province.json` beside the ledgers gives
//! the sizes and the overdue count at year end worked out from the model,
//! and `statbrief.toml` the office's name and the regions' order.

use super::common::{add_days, add_sheet, excel_serial, new_workbook, office_settings, rng_for, round1, ymd, Rng};
use super::common::{CATEGORIES, CHAINS, LEADERS, PROBLEM_TEXT};
use super::visits::{cadre_name, uscc_check};
use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use rayon::prelude::*;
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use serde::Serialize;
use std::fs;
use std::path::Path;

/// The sizes of one province set. `generate` derives them from `--scale`;
/// tests ask for a tiny one.
#[derive(Debug, Clone, Copy)]
pub struct ProvinceSize {
    pub projects: u64,
    pub visits_per_month: u64,
}

impl ProvinceSize {
    /// `scale` tenths of the province.
    pub fn tenths(scale: u32) -> ProvinceSize {
        ProvinceSize { projects: scale as u64 * 1_000, visits_per_month: scale as u64 * 7_500 }
    }
}

/// What was written, and what a correct reader must conclude about December.
#[derive(Debug, Clone, Serialize)]
pub struct ProvinceSummary {
    pub files: usize,
    pub regions: usize,
    pub projects: u64,
    pub visit_rows: u64,
    /// Problems not resolved by 2025-12-31 whose deadline is before it.
    pub overdue_2025_12: u64,
}

pub const REGIONS: usize = 100;
/// The province the set belongs to (fictional, like the county sample's 青山县).
pub const PROVINCE: &str = "河川省";
const FIRST: [&str; 10] = ["安", "宝", "长", "定", "丰", "广", "和", "嘉", "临", "平"];
const SECOND: [&str; 10] = ["川", "宁", "山", "江", "城", "远", "兴", "源", "泉", "岭"];
const YEAR: i32 = 2025;

/// Region `r` (0..100): `安川县` … `平岭区`, every tenth a 区.
pub fn region(r: usize) -> String {
    format!("{}{}{}", FIRST[r / 10 % 10], SECOND[r % 10], if r % 10 == 9 { "区" } else { "县" })
}

/// Writes the province set into `out_dir` (created).
pub fn generate(out_dir: &Path, scale: u32) -> Result<ProvinceSummary> {
    if scale == 0 {
        bail!("scale must be at least 1");
    }
    generate_sized(out_dir, ProvinceSize::tenths(scale))
}

pub fn generate_sized(out_dir: &Path, size: ProvinceSize) -> Result<ProvinceSummary> {
    for dir in ["重点项目", "经济指标", "走访", "目标任务"] {
        fs::create_dir_all(out_dir.join(dir))
            .with_context(|| format!("cannot create {}", out_dir.join(dir).display()))?;
    }
    // 37 files, largest first so the two cores finish together.
    let jobs: Vec<Job> = (1..=12u32)
        .map(Job::Visits)
        .chain((1..=12).map(Job::Projects))
        .chain((1..=12).map(Job::Indicators))
        .chain([Job::Targets])
        .collect();
    jobs.par_iter().map(|job| job.write(out_dir, size)).collect::<Result<Vec<()>>>()?;
    let summary = ProvinceSummary {
        files: jobs.len(),
        regions: REGIONS,
        projects: size.projects,
        visit_rows: size.visits_per_month * 12,
        overdue_2025_12: overdue_at_year_end(size)?,
    };
    let json = serde_json::to_string_pretty(&summary)?;
    fs::write(out_dir.join("province.json"), json + "\n").context("cannot write province.json")?;
    // The regions' official order is the order they are generated in.
    let regions: Vec<String> = (0..REGIONS).map(region).collect();
    fs::write(out_dir.join("statbrief.toml"), office_settings(PROVINCE, &regions))
        .context("cannot write statbrief.toml")?;
    Ok(summary)
}

#[derive(Debug, Clone, Copy)]
enum Job {
    Visits(u32),
    Projects(u32),
    Indicators(u32),
    Targets,
}

impl Job {
    fn write(self, out: &Path, size: ProvinceSize) -> Result<()> {
        let (rel, wb) = match self {
            Job::Visits(m) => (format!("走访/{YEAR}年{m}月走访问题台账.xlsx"), visits_book(m, size)?),
            Job::Projects(m) => (format!("重点项目/{YEAR}年{m}月重点项目台账.xlsx"), projects_book(m, size)?),
            Job::Indicators(m) => (format!("经济指标/{YEAR}年1-{m}月主要经济指标.xlsx"), indicators_book(m)?),
            Job::Targets => (format!("目标任务/{YEAR}年目标任务表.xlsx"), targets_book(size)?),
        };
        let mut wb = wb;
        wb.save(out.join(&rel)).with_context(|| format!("cannot write {rel}"))
    }
}

struct Fmt {
    title: Format,
    head: Format,
    date: Format,
}

fn fmt() -> Fmt {
    Fmt {
        title: Format::new().set_bold().set_font_size(16),
        head: Format::new().set_bold().set_text_wrap(),
        date: Format::new().set_num_format("yyyy-mm-dd"),
    }
}

/// A workbook of one streamed sheet with a title row and a header row.
fn book(title: &str, sheet: &str, heads: &[&str], f: &Fmt) -> Result<Workbook> {
    let mut wb = new_workbook(title)?;
    let ws = add_sheet(&mut wb, true, sheet)?;
    ws.write_string_with_format(0, 0, title, &f.title)?;
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &f.head)?;
    }
    Ok(wb)
}

fn sheet(wb: &mut Workbook) -> Result<&mut Worksheet> {
    wb.worksheet_from_index(0).context("the sheet just added")
}

fn date(ws: &mut Worksheet, row: u32, col: u16, d: NaiveDate, f: &Fmt) -> Result<()> {
    ws.write_number_with_format(row, col, excel_serial(d)?, &f.date)?;
    Ok(())
}

// ───────────────────────────── visits ─────────────────────────────

/// One visit with its one problem, as of the month it was sent.
struct Visit {
    date: NaiveDate,
    enterprise: u64,
    cadre: u64,
    category: usize,
    tier: &'static str,
    deadline: NaiveDate,
    /// Resolved on this day (never after the end of the year).
    resolved: Option<NaiveDate>,
}

const TIERS: [(&str, u64); 3] = [("当场办", 3), ("部门办", 15), ("领导办", 30)];

fn enterprises(size: ProvinceSize) -> u64 {
    (size.visits_per_month * 12 / 3).max(1)
}

fn visit(m: u32, k: u64, size: ProvinceSize) -> Result<Visit> {
    let mut r = rng_for("province-visit", m as u64 * 10_000_000 + k);
    let day = 1 + r.below(28) as u32;
    let date = ymd(YEAR, m, day)?;
    let (tier, days) = TIERS[r.below(3) as usize];
    let deadline = add_days(date, days)?;
    // Half the problems are resolved, some days after the visit; the rest
    // stay open (a monthly increment is never re-sent with a new status).
    let resolved = if r.chance(0.5) {
        let d = add_days(date, 1 + r.below(days + 10))?;
        Some(d.min(ymd(YEAR, 12, 31)?))
    } else {
        None
    };
    Ok(Visit {
        date,
        enterprise: r.below(enterprises(size)),
        cadre: r.below(size.visits_per_month / 10 + 1),
        category: r.below(12) as usize,
        tier,
        deadline,
        resolved,
    })
}

fn visits_book(m: u32, size: ProvinceSize) -> Result<Workbook> {
    let f = fmt();
    let heads = [
        "序号",
        "走访编号",
        "走访日期",
        "走访干部",
        "干部单位",
        "企业名称",
        "统一社会信用代码",
        "县区",
        "问题描述",
        "问题类别",
        "办理层级",
        "办理状态",
        "办结时限",
        "办结日期",
        "企业满意度",
        "备注",
    ];
    let title = format!("{YEAR}年{m}月“万人助万企”走访问题台账（当月新增）");
    let mut wb = book(&title, "走访台账", &heads, &f)?;
    let ws = sheet(&mut wb)?;
    for k in 0..size.visits_per_month {
        let v = visit(m, k, size)?;
        let row = 2 + k as u32;
        let e = v.enterprise;
        let reg = (e % REGIONS as u64) as usize;
        ws.write_number(row, 0, (k + 1) as f64)?;
        ws.write_string(row, 1, format!("ZF{YEAR}{m:02}{:07}", k + 1))?;
        date(ws, row, 2, v.date, &f)?;
        ws.write_string(row, 3, cadre_name(v.cadre))?;
        ws.write_string(row, 4, format!("{}发改局", region(((v.cadre) % REGIONS as u64) as usize)))?;
        ws.write_string(row, 5, enterprise(e))?;
        ws.write_string(row, 6, uscc(e))?;
        ws.write_string(row, 7, region(reg))?;
        let n = 10 + rng_for("province-n", e).below(90);
        ws.write_string(row, 8, PROBLEM_TEXT[v.category].replace("{n}", &n.to_string()))?;
        ws.write_string(row, 9, CATEGORIES[v.category])?;
        ws.write_string(row, 10, v.tier)?;
        ws.write_string(row, 11, if v.resolved.is_some() { "已办结" } else { "办理中" })?;
        date(ws, row, 12, v.deadline, &f)?;
        if let Some(d) = v.resolved {
            date(ws, row, 13, d, &f)?;
            ws.write_string(row, 14, if k % 7 == 0 { "基本满意" } else { "满意" })?;
        }
    }
    Ok(wb)
}

/// Overdue at 2025-12-31 (SPEC §2.3): not resolved by then and the deadline
/// before it. Every problem of the year is in exactly one increment.
fn overdue_at_year_end(size: ProvinceSize) -> Result<u64> {
    let end = ymd(YEAR, 12, 31)?;
    let mut n = 0;
    for m in 1..=12 {
        for k in 0..size.visits_per_month {
            let v = visit(m, k, size)?;
            n += u64::from(v.resolved.is_none() && v.deadline < end);
        }
    }
    Ok(n)
}

fn enterprise(e: u64) -> String {
    const WORDS: [&str; 20] = [
        "恒", "鑫", "泰", "华", "盛", "瑞", "宏", "信", "达", "丰", "源", "隆", "安", "康", "博", "创", "佳", "润",
        "金", "德",
    ];
    const TRADES: [&str; 8] = ["新能源科技", "机械制造", "食品", "新材料", "电子科技", "物流", "医药", "建材"];
    let reg = (e % REGIONS as u64) as usize;
    let rest = e / REGIONS as u64;
    format!(
        "{}{}{}{}有限公司{}",
        &region(reg)[..6],
        WORDS[(rest % 20) as usize],
        WORDS[(rest / 20 % 20) as usize],
        TRADES[(rest / 400 % 8) as usize],
        if rest >= 3200 { format!("（{}）", rest / 3200) } else { String::new() }
    )
}

/// An 18-character 统一社会信用代码 with valid check characters; the area
/// code names the enterprise's region.
fn uscc(e: u64) -> String {
    let reg = e % REGIONS as u64;
    let org = super::visits::org_code(rng_for("province-uscc", e).below(100_000_000));
    let body = format!("9161{:04}{org}", 100 + reg);
    let check = uscc_check(&body).unwrap_or('0');
    format!("{body}{check}")
}

// ───────────────────────────── projects ─────────────────────────────

fn projects_book(m: u32, size: ProvinceSize) -> Result<Workbook> {
    let f = fmt();
    let heads = [
        "项目编号",
        "项目名称",
        "县区",
        "产业链",
        "项目级别",
        "包抓领导",
        "总投资（万元）",
        "年度计划投资（万元）",
        "本年累计完成投资（万元）",
        "项目状态",
        "开工日期",
    ];
    let title = format!("{YEAR}年1-{m}月全省重点项目建设进展情况表");
    let mut wb = book(&title, "重点项目", &heads, &f)?;
    let ws = sheet(&mut wb)?;
    for p in 0..size.projects {
        let mut r = rng_for("province-project", p);
        let row = 2 + p as u32;
        let chain = r.below(5) as usize;
        let plan = round1(r.range(2_000.0, 80_000.0));
        let pace = r.range(0.4, 1.3);
        let start_month = 1 + r.below(12) as u32;
        let started = start_month <= m;
        let done = if started { round1(plan * pace * (m + 1 - start_month) as f64 / 12.0) } else { 0.0 };
        ws.write_string(row, 0, format!("XM{YEAR}{p:06}"))?;
        ws.write_string(
            row,
            1,
            format!("{}{}产业项目（{}期）", region(p as usize % REGIONS), CHAINS[chain], 1 + p / 1000),
        )?;
        ws.write_string(row, 2, region(p as usize % REGIONS))?;
        ws.write_string(row, 3, CHAINS[chain])?;
        ws.write_string(row, 4, ["省重点", "市重点", "县重点"][r.below(3) as usize])?;
        ws.write_string(row, 5, LEADERS[r.below(6) as usize])?;
        ws.write_number(row, 6, round1(plan * r.range(1.5, 4.0)))?;
        ws.write_number(row, 7, plan)?;
        ws.write_number(row, 8, done)?;
        ws.write_string(
            row,
            9,
            if !started {
                "前期"
            } else if start_month == m {
                "新开工"
            } else {
                "在建"
            },
        )?;
        if started {
            date(ws, row, 10, ymd(YEAR, start_month, 1 + r.below(28) as u32)?, &f)?;
        }
    }
    Ok(wb)
}

// ───────────────────────────── indicators and targets ─────────────────────────────

const INDICATORS: [(&str, &str, f64); 3] =
    [("规上工业增加值", "%", 0.0), ("固定资产投资", "万元", 90_000.0), ("社会消费品零售总额", "万元", 60_000.0)];

fn indicators_book(m: u32) -> Result<Workbook> {
    let f = fmt();
    let heads = ["地区", "指标名称", "计量单位", "本月", "本年累计", "去年同期", "增速（%）"];
    let title = format!("{YEAR}年1-{m}月全省分县区主要经济指标");
    let mut wb = book(&title, "主要指标", &heads, &f)?;
    let ws = sheet(&mut wb)?;
    let mut row = 2;
    for (i, (name, unit, base)) in INDICATORS.iter().enumerate() {
        for reg in 0..REGIONS {
            let mut r: Rng = rng_for("province-indicator", (i * REGIONS + reg) as u64);
            let growth = round1(r.range(-8.0, 15.0));
            ws.write_string(row, 0, region(reg))?;
            ws.write_string(row, 1, *name)?;
            ws.write_string(row, 2, *unit)?;
            if *base > 0.0 {
                let size = r.range(0.5, 2.0) * base;
                let ly = round1(size * m as f64);
                let ytd = round1(ly * (1.0 + growth / 100.0));
                ws.write_number(row, 3, round1(ytd / m as f64))?;
                ws.write_number(row, 4, ytd)?;
                ws.write_number(row, 5, ly)?;
            }
            ws.write_number(row, 6, growth)?;
            row += 1;
        }
    }
    Ok(wb)
}

fn targets_book(size: ProvinceSize) -> Result<Workbook> {
    let f = fmt();
    let heads = ["序号", "范围", "指标", "单位", "目标值", "年度"];
    let mut wb = book(&format!("{YEAR}年目标任务分解表"), "目标任务", &heads, &f)?;
    let ws = sheet(&mut wb)?;
    let rows = [
        ("全省", "新开工项目", "个", size.projects as f64 / 3.0),
        ("全省", "问题解决率", "%", 90.0),
        ("全省", "企业满意率", "%", 95.0),
    ];
    for (i, (scope, metric, unit, value)) in rows.iter().enumerate() {
        let row = 2 + i as u32;
        ws.write_number(row, 0, (i + 1) as f64)?;
        ws.write_string(row, 1, *scope)?;
        ws.write_string(row, 2, *metric)?;
        ws.write_string(row, 3, *unit)?;
        ws.write_number(row, 4, value.round())?;
        ws.write_number(row, 5, YEAR as f64)?;
    }
    Ok(wb)
}
