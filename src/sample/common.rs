//! The county (towns, chains, names), the seeded generator, and the cell
//! writers every ledger file shares: numbers, dates and amounts in every
//! spelling towns use, formats, and the accounting of planted rows.

use super::*;
use anyhow::{Context, Result};
use chrono::{Datelike, Days, NaiveDate};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet};

pub(super) const COUNTY: &str = "青山县";
pub(super) const TOWNS: [&str; 12] = [
    "城关镇",
    "白水镇",
    "东河镇",
    "西岭镇",
    "南湖镇",
    "北山镇",
    "石门镇",
    "柳林乡",
    "枫桥镇",
    "龙泉镇",
    "桃源乡",
    "清溪镇",
];
/// Relative economic size of each town (城关镇 is the county seat).
pub(super) const TOWN_SIZE: [f64; 12] = [3.2, 1.3, 1.1, 0.8, 1.2, 0.9, 0.6, 0.5, 1.0, 0.9, 0.4, 0.7];
/// How fast each town's projects spend relative to the calendar: 石门镇 and
/// 桃源乡 are clearly behind (red), 南湖镇/龙泉镇 near the line, so all three
/// flags occur.
pub(super) const TOWN_PACE: [f64; 12] = [1.18, 1.12, 1.05, 1.22, 0.93, 1.12, 0.45, 0.95, 1.1, 0.88, 0.55, 1.06];
pub(super) const CHAINS: [&str; 5] = ["新能源", "装备制造", "绿色食品", "新材料", "文旅康养"];
pub(super) const CHAIN_UNIT: [&str; 5] = ["县发改局", "县工信局", "县农业农村局", "县工信局", "县文旅局"];
pub(super) const LEADERS: [&str; 6] = ["王建国", "李明华", "张志强", "刘晓燕", "陈国栋", "赵丽娟"];
pub(super) const NAME_TEMPLATES: [[&str; 4]; 5] = [
    ["{n}MW分布式光伏发电项目", "年产{n}万套储能电池项目", "{n}MW风电场项目", "氢能综合利用示范项目（{n}吨/日）"],
    [
        "年产{n}台智能农机装备项目",
        "高端数控机床生产线项目（{n}台套）",
        "新能源汽车零部件产业园项目（{n}亩）",
        "精密铸造技改项目（{n}万件）",
    ],
    [
        "年产{n}万吨绿色果蔬深加工项目",
        "中央厨房预制菜项目（{n}吨/日）",
        "{n}万头生猪屠宰及冷链物流项目",
        "富硒茶叶精深加工项目（{n}吨）",
    ],
    [
        "年产{n}万吨石墨负极材料项目",
        "高性能复合材料生产线项目（{n}吨）",
        "年产{n}万平方米功能膜项目",
        "稀土永磁材料项目（{n}吨）",
    ],
    [
        "康养小镇建设项目（{n}亩）",
        "国家AAAA级景区提升项目（{n}亩）",
        "温泉度假酒店项目（{n}间）",
        "乡村旅游综合体项目（{n}亩）",
    ],
];
pub(super) const CADRE_UNITS: [&str; 8] =
    ["县发改局", "县工信局", "县商务局", "县自然资源局", "县人社局", "县财政局", "县市场监管局", "县住建局"];
pub(super) const SURNAMES: [&str; 30] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林",
    "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
];
pub(super) const GIVEN: [&str; 25] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀", "霞",
    "平", "刚", "桂", "华", "建", "文",
];
pub(super) const ENT_WORDS: [&str; 30] = [
    "恒", "鑫", "泰", "华", "盛", "瑞", "宏", "信", "达", "丰", "源", "隆", "安", "康", "博", "创", "佳", "润", "中",
    "新", "金", "德", "远", "天", "开", "明", "永", "顺", "汇", "通",
];
pub(super) const ENT_TRADES: [&str; 20] = [
    "新能源科技",
    "机械制造",
    "食品",
    "新材料",
    "农业开发",
    "建材",
    "纺织",
    "电子科技",
    "化工",
    "物流",
    "旅游开发",
    "医药",
    "包装",
    "汽车配件",
    "生物科技",
    "环保科技",
    "光伏",
    "服装",
    "家具",
    "酒业",
];
/// The twelve categories of SPEC §1.4, then one a clerk invented (must fold to 其他 with a warning).
pub(super) const CATEGORIES: [&str; 12] = [
    "融资",
    "用地",
    "用工",
    "人才",
    "物流运输",
    "审批手续",
    "水电气暖",
    "政策兑现",
    "市场销售",
    "科技创新",
    "安全环保",
    "基础设施",
];
pub(super) const UNKNOWN_CATEGORY: &str = "子女入学";
pub(super) const PROBLEM_TEXT: [&str; 13] = [
    "流动资金紧张，申请{n}万元贷款贴息支持",
    "扩建项目需新增用地{n}亩，用地指标未落实",
    "一线普工缺口约{n}人，招工困难",
    "缺少{n}名高级技术人才，希望协助引进",
    "产品外运物流成本高，月均运费约{n}万元",
    "新建厂房规划许可办理进度慢，已等待{n}天",
    "生产用电负荷不足，需增容{n}千伏安",
    "{n}万元技改奖补资金尚未兑现",
    "产品销售渠道单一，库存积压约{n}万元",
    "研发中心申报省级平台需{n}项专利支撑，希望给予指导",
    "环评批复办理中，{n}吨/年排污总量指标未落实",
    "厂区门前道路约{n}米未硬化，影响车辆通行",
    "外地员工子女{n}人入学难，希望协调就近入学",
];

/// Fixed seed: the committed sample must be byte-for-byte reproducible.
pub(super) const SEED: u64 = 0x5174_6272_6965_6621;

// ───────────────────────────── PRNG ─────────────────────────────

/// SplitMix64 (Steele, Lea & Flood 2014), hand-rolled rather than the `rand`
/// crate: the sample must be identical on every platform and for every future
/// dependency version (tests compare against `expected.json`), and ten lines
/// are cheaper than a dependency.
#[derive(Debug, Clone)]
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub(super) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform in 0..n (the modulo bias is irrelevant at these sizes).
    pub(super) fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }
    pub(super) fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
    pub(super) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    pub(super) fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u64) as usize]
    }
}

/// An independent stream per (purpose, entity): any entity can be regenerated
/// alone and in any order, which is what makes streaming possible.
pub(super) fn rng_for(tag: &str, i: u64) -> Rng {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325; // FNV-1a of the tag
    for b in tag.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let mut r = Rng(h ^ SEED ^ i.wrapping_mul(0xD1B5_4A32_D192_ED03));
    r.next_u64();
    r
}

// ───────────────────────────── small helpers ─────────────────────────────

pub(super) fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

pub(super) fn round_to(v: f64, step: f64) -> f64 {
    (v / step).round() * step
}

pub(super) fn ymd(y: i32, m: u32, d: u32) -> Result<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d).with_context(|| format!("invalid date {y}-{m}-{d}"))
}

pub(super) fn days_in_month(y: i32, m: u32) -> Result<u32> {
    let first_next = if m == 12 { ymd(y + 1, 1, 1)? } else { ymd(y, m + 1, 1)? };
    Ok(first_next.pred_opt().context("date underflow")?.day())
}

pub(super) fn month_end(y: i32, m: u32) -> Result<NaiveDate> {
    ymd(y, m, days_in_month(y, m)?)
}

pub(super) fn add_days(d: NaiveDate, n: u64) -> Result<NaiveDate> {
    d.checked_add_days(Days::new(n)).context("date overflow")
}

/// Excel's serial day number (1900 date system).
pub(super) fn excel_serial(d: NaiveDate) -> Result<f64> {
    Ok((d - ymd(1899, 12, 30)?).num_days() as f64)
}

/// Zero-based (row, col) to `A1`.
pub(super) fn a1(row: u32, col: u16) -> String {
    let mut letters = Vec::new();
    let mut n = col as u32 + 1;
    while n > 0 {
        letters.push((b'A' + ((n - 1) % 26) as u8) as char);
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(row + 1).to_string()
}

/// A number as a clerk types it: no trailing `.0`, at most one decimal.
pub(super) fn fmt_num(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{:.0}", v)
    } else {
        format!("{:.1}", v)
    }
}

/// `1234567.8` → `1,234,567.8`.
pub(super) fn thousands(v: f64) -> String {
    let s = fmt_num(v.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), format!(".{f}")),
        None => (s.clone(), String::new()),
    };
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    format!("{}{}{}", if v < 0.0 { "-" } else { "" }, out, frac)
}

/// Digits, sign and point as full-width forms (`１２３４．５`).
pub(super) fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' | '.' | '-' | ',' => char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap_or(c),
            _ => c,
        })
        .collect()
}

pub(super) fn town_short(t: usize) -> &'static str {
    // Town names are all three characters ending in 镇/乡; the first two are the place.
    let name = TOWNS[t];
    match name.char_indices().nth(2) {
        Some((i, _)) => &name[..i],
        None => name,
    }
}

/// `2025年1-3月`, or `2025年1月` for January.
pub(super) fn period_text(year: i32, m: u32) -> String {
    if m == 1 {
        format!("{year}年1月")
    } else {
        format!("{year}年1-{m}月")
    }
}

// ───────────────────────────── cells and formats ─────────────────────────────

/// One cell as it will be written.
#[derive(Debug, Clone)]
pub(super) enum Cell {
    Empty,
    Text(String),
    Num(f64),
    /// An Excel date cell; `true` = displayed as `2025年3月5日`.
    Date(NaiveDate, bool),
    /// A formula and its cached result; an error result (`#DIV/0!`, `#N/A`)
    /// is stored by rust_xlsxwriter as an error value (`t="e"`).
    Formula(String, String),
}

impl Cell {
    /// A text cell; an empty string is an empty cell (Excel has no empty text).
    pub(super) fn text(s: impl Into<String>) -> Cell {
        let s = s.into();
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s)
        }
    }
    /// The raw text a reader sees, for rejection notes.
    pub(super) fn raw(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Num(v) => fmt_num(*v),
            Cell::Date(d, _) => d.to_string(),
            Cell::Formula(_, r) => r.clone(),
        }
    }
    /// CSV rendering (CSV has no types: numbers become text).
    pub(super) fn csv(&self) -> String {
        match self {
            Cell::Num(v) => format!("{v}"),
            other => other.raw(),
        }
    }
}

pub(super) struct Fmts {
    pub(super) title: Format,
    pub(super) unit: Format,
    pub(super) head: Format,
    pub(super) text: Format,
    pub(super) num: Format,
    pub(super) date: Format,
    pub(super) date_cn: Format,
}

impl Fmts {
    pub(super) fn new() -> Fmts {
        let border = Format::new().set_border(FormatBorder::Thin);
        Fmts {
            title: Format::new().set_bold().set_font_size(16).set_align(FormatAlign::Center),
            unit: Format::new().set_align(FormatAlign::Right),
            head: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_border(FormatBorder::Thin),
            text: border.clone().set_align(FormatAlign::VerticalCenter),
            num: border.clone(),
            date: border.clone().set_num_format("yyyy-mm-dd"),
            date_cn: border.set_num_format("yyyy\"年\"m\"月\"d\"日\""),
        }
    }
}

pub(super) fn put(ws: &mut Worksheet, f: &Fmts, row: u32, col: u16, cell: &Cell) -> Result<()> {
    match cell {
        Cell::Empty => {}
        Cell::Text(s) => {
            ws.write_string_with_format(row, col, s, &f.text)?;
        }
        Cell::Num(v) => {
            ws.write_number_with_format(row, col, *v, &f.num)?;
        }
        Cell::Date(d, cn) => {
            ws.write_with_format(row, col, d, if *cn { &f.date_cn } else { &f.date })?;
        }
        Cell::Formula(formula, result) => {
            ws.write_formula_with_format(row, col, Formula::new(formula).set_result(result), &f.num)?;
        }
    }
    Ok(())
}

pub(super) fn put_row(ws: &mut Worksheet, f: &Fmts, row: u32, cells: &[Cell]) -> Result<()> {
    for (c, cell) in cells.iter().enumerate() {
        put(ws, f, row, c as u16, cell)?;
    }
    Ok(())
}

/// How a date is spelled in a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DateForm {
    Cell,
    CellCn,
    Serial,
    Iso,
    Slash,
    Dot,
    Cn,
    Compact,
}

pub(super) const ALL_DATE_FORMS: [DateForm; 8] = [
    DateForm::Cell,
    DateForm::CellCn,
    DateForm::Serial,
    DateForm::Iso,
    DateForm::Slash,
    DateForm::Dot,
    DateForm::Cn,
    DateForm::Compact,
];

pub(super) fn date_cell(d: NaiveDate, form: DateForm) -> Result<Cell> {
    let (y, m, day) = (d.year(), d.month(), d.day());
    Ok(match form {
        DateForm::Cell => Cell::Date(d, false),
        DateForm::CellCn => Cell::Date(d, true),
        DateForm::Serial => Cell::Num(excel_serial(d)?),
        DateForm::Iso => Cell::text(format!("{y}-{m:02}-{day:02}")),
        DateForm::Slash => Cell::text(format!("{y}/{m}/{day}")),
        DateForm::Dot => Cell::text(format!("{y}.{m}.{day}")),
        DateForm::Cn => Cell::text(format!("{y}年{m}月{day}日")),
        DateForm::Compact => Cell::text(format!("{y}{m:02}{day:02}")),
    })
}

/// How an amount is spelled in a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NumForm {
    Num,
    /// `12,345.6`
    Thousands,
    /// `１２３４５` (whole numbers only; falls back to `Thousands`)
    FullWidth,
    /// `1234.5万元`
    Wan,
}

pub(super) fn money_cell(v: f64, form: NumForm) -> Cell {
    // 亿元 values (万元 / 10000) are rounded to 8 decimals so that they are the
    // double nearest the decimal a clerk would type (0.45971, not 0.45971000000000006).
    let v = (v * 1e8).round() / 1e8;
    match form {
        NumForm::Num => Cell::Num(v),
        NumForm::Thousands => Cell::text(thousands(v)),
        NumForm::FullWidth if (v - v.round()).abs() < 1e-9 => Cell::text(full_width(&fmt_num(v))),
        NumForm::FullWidth => Cell::text(thousands(v)),
        NumForm::Wan => Cell::text(format!("{}万元", fmt_num(v))),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RowClass {
    Accepted,
    Blank,
    Total,
    Rejected,
}

impl SheetSummary {
    pub(super) fn new(sheet: &str, kind: &str, period: String, header_row: u32) -> SheetSummary {
        SheetSummary {
            sheet: sheet.to_string(),
            kind: Some(kind.to_string()),
            period: Some(period),
            header_row: Some(header_row),
            ..Default::default()
        }
    }
    pub(super) fn skipped(sheet: &str, hidden: bool, note: &str) -> SheetSummary {
        SheetSummary { sheet: sheet.to_string(), hidden, note: Some(note.to_string()), ..Default::default() }
    }
    pub(super) fn count(&mut self, class: RowClass) {
        self.rows += 1;
        match class {
            RowClass::Accepted => self.accepted += 1,
            RowClass::Blank => self.blank += 1,
            RowClass::Total => self.total_rows += 1,
            RowClass::Rejected => self.rejected += 1,
        }
    }
}

/// Generator state shared by all files.
pub(super) struct Gen {
    pub(super) out: std::path::PathBuf,
    pub(super) scale: u64,
    /// Rows streamed to the file as written (a scaled sample), not held.
    pub(super) streamed: bool,
    pub(super) f: Fmts,
    pub(super) files: Vec<FileSummary>,
    pub(super) rejections: Vec<CellNote>,
    pub(super) issues: Vec<PlantedIssue>,
}

impl Gen {
    pub(super) fn reject(&mut self, file: &str, sheet: &str, row: u32, col: u16, column: &str, value: String) {
        self.rejections.push(CellNote {
            file: file.to_string(),
            sheet: sheet.to_string(),
            cell: a1(row, col),
            column: column.to_string(),
            value,
        });
    }
    #[allow(clippy::too_many_arguments)]
    pub(super) fn issue(
        &mut self,
        kind: &str,
        file: &str,
        sheet: &str,
        cell: Option<String>,
        column: Option<&str>,
        value: Option<String>,
        note: &str,
    ) {
        self.issues.push(PlantedIssue {
            kind: kind.to_string(),
            file: file.to_string(),
            sheet: sheet.to_string(),
            cell,
            column: column.map(str::to_string),
            value,
            note: note.to_string(),
        });
    }
}

/// A workbook with fixed document properties, so that the same scale always
/// gives the same bytes (rust_xlsxwriter otherwise stamps the current time).
pub(super) fn new_workbook(title: &str) -> Result<Workbook> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(2025, 7, 5)?.and_hms(9, 0, 0)?;
    let props = DocProperties::new()
        .set_title(title)
        .set_author("青山县发展和改革局")
        .set_company(COUNTY)
        .set_comment("statbrief 生成的虚构样例数据，不涉及任何真实单位")
        .set_creation_datetime(&created);
    wb.set_properties(&props);
    Ok(wb)
}

/// A worksheet; a scaled sample's is streamed. rust_xlsxwriter's low-memory
/// mode streams rows like its constant-memory mode but keeps one shared
/// string table, as Excel and WPS save a workbook; constant-memory mode
/// writes every text inline, as only streaming web-system exports do. The
/// shared table is what towns send, and it is what the issue 9 set measured
/// (its 82 MB is this mode's size; inline strings give 92 MB).
pub(super) fn add_sheet<'a>(wb: &'a mut Workbook, streamed: bool, name: &str) -> Result<&'a mut Worksheet> {
    let ws = if streamed { wb.add_worksheet_with_low_memory()? } else { wb.add_worksheet() };
    ws.set_name(name)?;
    Ok(ws)
}

/// Notes under a table, then junk a reader must never touch (SPEC §1.2: the
/// table ends at the first `注…`/`填报人…` row). Returns the next free row.
pub(super) fn write_notes(ws: &mut Worksheet, f: &Fmts, mut row: u32, note: &str) -> Result<u32> {
    ws.write_string(row, 0, note)?;
    row += 1;
    ws.write_string(row, 0, "填报人：张敏　　审核人：刘强　　联系电话：0912-6231234")?;
    row += 2;
    // Junk after the notes: a pasted scrap of another table, with a 合计.
    ws.write_string(row, 0, "附：下月拟新开工项目（未审核）")?;
    row += 1;
    put_row(
        ws,
        f,
        row,
        &[
            Cell::Num(1.0),
            Cell::text("城关镇储备项目（待定）"),
            Cell::text("城关镇"),
            Cell::Num(8000.0),
            Cell::text("待核实"),
        ],
    )?;
    row += 1;
    put_row(ws, f, row, &[Cell::Empty, Cell::text("合计"), Cell::Empty, Cell::Num(8000.0)])?;
    Ok(row + 1)
}

/// The `statbrief.toml` a sample office sends with its ledgers: its name,
/// its briefing's title and its regions in their official order (so the
/// documents say 全县 or 全省 and the tables follow that order).
pub(super) fn office_settings<S: AsRef<str>>(place: &str, regions: &[S]) -> String {
    // toml quotes each name, so any region name is written as itself.
    let order: Vec<String> = regions.iter().map(|r| toml::Value::from(r.as_ref()).to_string()).collect();
    format!(
        "# {place}统计局's settings for statbrief (see README: Configuration).\noffice = \"{place}统计局\"\ntitle = \"{place}经济运行和重点工作简报\"\nregion_order = [{}]\n",
        order.join(", ")
    )
}
