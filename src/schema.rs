//! What each ledger may look like, as data: `statbrief schema` prints it, and
//! `statbrief init` builds its templates and guide from it.
//!
//! Everything here is read from the tables ingestion itself uses — the
//! column definitions and aliases of `ingest::columns`, the folding tables
//! and money units of `ingest::values`, the total / note words of
//! `ingest::sheet` — so what the office is told and what the program accepts
//! cannot drift apart. The only text written here is what those tables
//! cannot say: a Chinese description of each fuzzy header rule (with
//! examples the tests run through header detection) and a help line per
//! column for the templates' notes.

use crate::ingest::columns::{self, ColDef, ColType};
use crate::ingest::{folds, sheet, template_marks, values};
use crate::model::Kind;
use serde::Serialize;
use std::fmt::Write as _;

/// One value folding: the value ingestion keeps, and the spellings folded to it.
#[derive(Debug, Clone, Serialize)]
pub struct Folding {
    /// The value in the tidy data (`在建`, `resolved`).
    pub canonical: &'static str,
    /// How it is shown to clerks (`已解决` for `resolved`).
    pub shown: &'static str,
    pub spellings: Vec<&'static str>,
    /// True when a spelling is matched anywhere in the cell (category keywords).
    pub contains: bool,
}

/// A header rule that is not a literal alias.
#[derive(Debug, Clone, Serialize)]
pub struct Pattern {
    pub description: &'static str,
    /// Headers the rule accepts (checked by the tests).
    pub examples: &'static [&'static str],
}

#[derive(Debug, Clone, Serialize)]
pub struct ColumnSchema {
    pub name: &'static str,
    pub label: &'static str,
    /// The header the templates write: label and unit in brackets.
    pub header: String,
    #[serde(rename = "type")]
    pub ty: &'static str,
    pub unit: Option<&'static str>,
    pub required: bool,
    pub aliases: Vec<&'static str>,
    pub patterns: Vec<Pattern>,
    pub foldings: Vec<Folding>,
    /// What goes in the column, for the templates' notes and the guide.
    pub help: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct KindSchema {
    pub kind: Kind,
    pub name: &'static str,
    pub columns: Vec<ColumnSchema>,
    /// A requirement that no single column flag says.
    pub required_note: Option<&'static str>,
}

/// Words that give a row a role other than data.
#[derive(Debug, Clone, Serialize)]
pub struct RowWords {
    /// A label starting with one of these marks a total row (小计, 合计 …).
    pub total: Vec<&'static str>,
    /// The whole area (全县 …): a total row alone or before a total word.
    pub whole: Vec<&'static str>,
    /// A row starting with one of these ends the table (注：, 填报人 …).
    pub note: Vec<&'static str>,
    /// A cell holding one of these is empty (no number, no problem).
    pub missing: Vec<&'static str>,
    /// A problem cell saying one of these means the visit raised no problem.
    pub no_problem: Vec<&'static str>,
    /// The first cell of a template's example row.
    pub example: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Schema {
    /// The report-period column every kind may have.
    pub period_column: ColumnSchema,
    pub kinds: Vec<KindSchema>,
    pub row_words: RowWords,
    /// Money units, converted to 万元 by these factors.
    pub money_units: Vec<(&'static str, f64)>,
}

/// Descriptions of the fuzzy header rules and of the `1-N月` period headers
/// (`columns::match_header`), by kind and column.
const PATTERNS: &[(Kind, &str, Pattern)] = &[
    (
        Kind::Projects,
        "plan_year",
        Pattern {
            description: "含“计划”和“年度/本年/当年/全年”，不含“总”和“率/比例/进度”",
            examples: &["2025年全年计划投资额", "当年计划完成投资"],
        },
    ),
    (
        Kind::Projects,
        "done_ytd",
        Pattern {
            description: "含“累计完成”或“完成投资”，不含“率/比例/进度”；或“1-N月”后接“完成投资/累计完成投资/累计完成”",
            examples: &["1-5月完成投资", "1—12月累计完成投资", "截至目前累计完成额"],
        },
    ),
    (
        Kind::Indicators,
        "value_ytd",
        Pattern {
            description: "以“累计/累计完成/累计值”结尾，不含“增/同期/率”；或“1-N月”“1-N月累计”",
            examples: &["1-3月", "1-3月累计", "本年累计值"],
        },
    ),
    (
        Kind::Indicators,
        "value_ytd_ly",
        Pattern {
            description: "含“去年同期”或“上年同期”，不含“增”", examples: &["上年同期完成", "去年同期数值"]
        },
    ),
    (
        Kind::Indicators,
        "growth_reported",
        Pattern {
            description: "以“增速/增长/增幅”结尾或含“同比”，不含“拉动/贡献”",
            examples: &["比上年同期增长", "同比(%)"],
        },
    ),
];

/// What goes in each column, for the templates' notes and the guide.
fn help(kind: Kind, name: &str) -> &'static str {
    match (kind, name) {
        (Kind::Projects, "project_id") => "项目的固定编号，每月保持不变，用于识别同一项目",
        (Kind::Projects, "name") => "项目全称，不要写“合计”“小计”",
        (_, "region") => "所属乡镇（街道），从下拉列表中选择",
        (Kind::Projects, "chain") => "所属产业链，如“新能源”“装备制造”",
        (Kind::Projects, "level") => "项目级别：省重点、市重点或县重点",
        (Kind::Projects, "leader") => "包抓领导姓名",
        (Kind::Projects, "resp_unit") => "牵头责任单位",
        (Kind::Projects, "total_investment") => "项目计划总投资，单位万元，只填数字",
        (Kind::Projects, "plan_year") => "本年度计划完成投资，单位万元，只填数字",
        (Kind::Projects, "done_ytd") => "1月至报告月累计完成投资，单位万元，只填数字",
        (Kind::Projects, "status") => "项目状态，从下拉列表中选择",
        (Kind::Projects, "start_date") => "实际开工日期，如 2025-03-05；未开工不填",
        (Kind::Indicators, "indicator") => "指标名称，如“规上工业增加值”",
        (Kind::Indicators, "unit") => "计量单位，如 万元、亿元、%、个",
        (Kind::Indicators, "value_month") => "报告月当月数值，按计量单位填写",
        (Kind::Indicators, "value_ytd") => "1月至报告月累计数值，按计量单位填写",
        (Kind::Indicators, "value_ytd_ly") => "上年同期累计数值，按计量单位填写",
        (Kind::Indicators, "growth_reported") => "同比增速，填百分数的数字部分，如 6.5 表示增长6.5%",
        (Kind::Visits, "visit_id") => "走访记录编号，可不填",
        (Kind::Visits, "visit_date") => "走访日期，如 2025-03-05",
        (Kind::Visits, "cadre") => "走访干部姓名",
        (Kind::Visits, "cadre_unit") => "走访干部所在单位",
        (Kind::Visits, "enterprise") => "被走访企业全称",
        (Kind::Visits, "uscc") => "18位统一社会信用代码",
        (Kind::Visits, "problem") => "企业反映的问题；没有问题填“无”",
        (Kind::Visits, "category") => "问题类别，从下拉列表中选择",
        (Kind::Visits, "tier") => "办理层级，从下拉列表中选择",
        (Kind::Visits, "status") => "办理状态，从下拉列表中选择",
        (Kind::Visits, "deadline") => "承诺办结日期；不填按办理层级的默认天数计算",
        (Kind::Visits, "resolved_date") => "实际办结日期；未办结不填",
        (Kind::Visits, "satisfaction") => "企业满意度，从下拉列表中选择",
        (Kind::Targets, "scope") => "目标所属地区，全县目标填“全县”",
        (Kind::Targets, "metric") => "指标名称，与经济指标月报中的名称一致",
        (Kind::Targets, "target") => "年度目标值，按单位列填写",
        (Kind::Targets, "unit") => "单位：万元、亿元、%、个等；% 表示增速目标",
        (Kind::Targets, "year") => "目标年度，如 2025；不填按标题中的年份",
        (_, "period") => "报告期，如 2025-03；不填按标题中的年月",
        _ => "",
    }
}

/// The unit a column is written in: money in 万元, percentages in %.
pub fn unit_of(def: &ColDef) -> Option<&'static str> {
    match def.ty {
        ColType::Money => Some("万元"),
        ColType::Percent => Some("%"),
        _ => None,
    }
}

fn type_name(ty: ColType) -> &'static str {
    match ty {
        ColType::Text => "文本",
        ColType::Money => "金额",
        ColType::Number => "数值",
        ColType::Percent => "百分比",
        ColType::Date => "日期",
        ColType::Period => "报告期",
        ColType::Year => "年份",
    }
}

/// A folding table's rows: the canonical value (as the tidy data spells
/// it), how clerks are shown it (its first spelling), and every spelling.
fn table_foldings<T: Copy>(table: &[(T, &'static [&'static str])], name: fn(T) -> &'static str) -> Vec<Folding> {
    table
        .iter()
        .map(|&(value, spellings)| Folding {
            canonical: name(value),
            shown: spellings.first().copied().unwrap_or(name(value)),
            spellings: spellings.to_vec(),
            contains: false,
        })
        .collect()
}

/// The foldings applied to a column's values.
pub fn foldings(kind: Kind, name: &str) -> Vec<Folding> {
    match (kind, name) {
        (Kind::Projects, "status") => table_foldings(folds::PROJECT_STATUS, |v| v.as_str()),
        (Kind::Visits, "tier") => table_foldings(folds::TIER, |v| v.as_str()),
        (Kind::Visits, "status") => table_foldings(folds::PROBLEM_STATUS, |v| v.as_str()),
        (Kind::Visits, "satisfaction") => table_foldings(folds::SATISFACTION, |v| v.as_str()),
        (Kind::Visits, "category") => {
            let mut out: Vec<Folding> = folds::CATEGORY_KEYWORDS
                .iter()
                .map(|(canonical, keys)| Folding {
                    canonical,
                    shown: canonical,
                    spellings: keys.to_vec(),
                    contains: true,
                })
                .collect();
            out.push(Folding {
                canonical: "其他", shown: "其他", spellings: vec!["其他", "其它"], contains: false
            });
            out
        }
        _ => Vec::new(),
    }
}

/// The values a template's dropdown offers for a column (empty: no dropdown).
pub fn dropdown(kind: Kind, name: &str) -> Vec<&'static str> {
    if (kind, name) == (Kind::Visits, "category") {
        // The canonical categories, without the variant spelling 其它.
        return folds::CATEGORIES.to_vec();
    }
    foldings(kind, name).iter().map(|f| f.shown).collect()
}

fn column_schema(kind: Kind, def: &ColDef) -> ColumnSchema {
    let unit = unit_of(def);
    ColumnSchema {
        name: def.name(),
        label: def.label,
        header: match unit {
            Some(u) => format!("{}（{u}）", def.label),
            None => def.label.to_string(),
        },
        ty: type_name(def.ty),
        unit,
        required: def.required,
        aliases: def.aliases.to_vec(),
        patterns: PATTERNS
            .iter()
            .filter(|(k, n, _)| *k == kind && *n == def.name())
            .map(|(_, _, p)| p.clone())
            .collect(),
        foldings: foldings(kind, def.name()),
        help: help(kind, def.name()),
    }
}

pub fn kind_schema(kind: Kind) -> KindSchema {
    KindSchema {
        kind,
        name: kind.chinese(),
        columns: columns::columns(kind).iter().map(|d| column_schema(kind, d)).collect(),
        required_note: (kind == Kind::Indicators).then_some("“本年累计”和“增速”至少要有一列"),
    }
}

/// The whole schema, or one kind's.
pub fn schema(only: Option<Kind>) -> Schema {
    Schema {
        period_column: column_schema(Kind::Projects, &columns::PERIOD),
        kinds: Kind::ALL.into_iter().filter(|k| only.is_none_or(|o| o == *k)).map(kind_schema).collect(),
        row_words: RowWords {
            total: sheet::TOTAL_PREFIXES.to_vec(),
            whole: sheet::WHOLE_PREFIXES.to_vec(),
            note: sheet::END_MARKERS.to_vec(),
            missing: values::MISSING_MARKERS.iter().copied().filter(|m| !m.is_empty()).collect(),
            no_problem: folds::NO_PROBLEM.to_vec(),
            example: template_marks::EXAMPLE_MARK,
        },
        money_units: values::MONEY_UNITS.to_vec(),
    }
}

/// Parses `--kind`: the English name or the Chinese one.
pub fn parse_kind(s: &str) -> Option<Kind> {
    Kind::ALL.into_iter().find(|k| k.as_str() == s || k.chinese() == s)
}

/// The schema as text for the terminal.
pub fn render_text(s: &Schema) -> String {
    let mut out = String::new();
    for k in &s.kinds {
        let _ = writeln!(out, "【{}】（--kind {}）", k.name, k.kind.as_str());
        for c in &k.columns {
            render_column(&mut out, c);
        }
        if let Some(note) = k.required_note {
            let _ = writeln!(out, "  另：{note}");
        }
        out.push('\n');
    }
    let _ = writeln!(out, "【各类台账通用】");
    render_column(&mut out, &s.period_column);
    let w = &s.row_words;
    let _ = writeln!(out, "  合计行：标签以 {} 开头", w.total.join(" "));
    let _ = writeln!(out, "  全域合计行：{} 单独出现或后接合计词（目标任务表中是地区，不是合计）", w.whole.join(" "));
    let _ =
        writeln!(out, "  表尾（其后不再读取）：行首为 {}（注、备注、说明、制表须后接标点或数字）", w.note.join(" "));
    let _ = writeln!(out, "  表示无数据 / 无问题：{}", w.missing.join(" "));
    let _ = writeln!(out, "  模板示例行：首格为“{}”，读取时跳过", w.example);
    let units: Vec<String> = s.money_units.iter().map(|(u, f)| format!("{u}×{f}")).collect();
    let _ = writeln!(out, "  金额单位（统一折算为万元）：{}", units.join(" "));
    out
}

fn render_column(out: &mut String, c: &ColumnSchema) {
    let req = if c.required { "必填" } else { "选填" };
    let _ = writeln!(
        out,
        "  {} [{}] {}，{}{}",
        c.header,
        c.name,
        c.ty,
        req,
        c.unit.map(|u| format!("，单位{u}")).unwrap_or_default()
    );
    let _ = writeln!(out, "    表头写法：{}", c.aliases.join("、"));
    for p in &c.patterns {
        let _ = writeln!(out, "    表头规则：{}（如 {}）", p.description, p.examples.join("、"));
    }
    for f in &c.foldings {
        let how = if f.contains { "含" } else { "" };
        let target =
            if f.shown == f.canonical { f.canonical.to_string() } else { format!("{}（{}）", f.shown, f.canonical) };
        let _ = writeln!(out, "    取值归并：{how}{} → {target}", f.spellings.join("、"));
    }
}
