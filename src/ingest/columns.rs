//! The canonical columns of each ledger kind and the headers clerks give them.
//!
//! This table is the heart of classification: a sheet is recognised by which
//! canonical columns its header row names (SPEC §1.4), so the aliases live in
//! one place, written in the normalised form headers are compared in (no
//! spaces, half-width, Simplified, unit cut off, leading year dropped). The
//! `fuzzy` rules catch the long tail of real headers that are not literal
//! aliases (`本年累计完成` under a `投资完成情况` group, `1-5月完成投资`).

use crate::model::{Column, Kind};

/// How a column's cells are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    Text,
    /// An amount of money, converted to 万元.
    Money,
    /// A plain number (counts, indicator values in their own unit).
    Number,
    /// A percentage, in percent.
    Percent,
    Date,
    /// A report period (`2023-03`, `2023年3月`).
    Period,
    /// A year (targets).
    Year,
}

pub struct ColDef {
    pub col: Column,
    pub ty: ColType,
    pub required: bool,
    /// The column's name for clerks, used in messages.
    pub label: &'static str,
    pub aliases: &'static [&'static str],
    /// Matches headers that are not literal aliases. Tried only after no
    /// column of the kind matched literally.
    pub fuzzy: Option<fn(&str) -> bool>,
}

const fn col(
    col: Column,
    ty: ColType,
    required: bool,
    label: &'static str,
    aliases: &'static [&'static str],
) -> ColDef {
    ColDef { col, ty, required, label, aliases, fuzzy: None }
}

impl ColDef {
    /// The column's name in the frames and messages (`done_ytd`).
    pub fn name(&self) -> &'static str {
        self.col.name()
    }
}

const fn fuzzy(mut def: ColDef, f: fn(&str) -> bool) -> ColDef {
    def.fuzzy = Some(f);
    def
}

const REGION_ALIASES: &[&str] = &[
    "所属地区",
    "地区",
    "所在地",
    "乡镇",
    "乡镇(街道)",
    "乡镇街道",
    "县区",
    "县(市、区)",
    "县(市区)",
    "所属乡镇",
    "行政区",
    "所属辖区",
    "辖区",
    "区域",
    "所属区域",
    "镇街",
    "所在乡镇",
];

/// The period column every kind may carry (SPEC §1.1).
pub const PERIOD: ColDef = col(
    Column::Period,
    ColType::Period,
    false,
    "报告期",
    &["报告期", "期别", "统计期", "月份", "报告期别", "统计月份"],
);

fn is_ratio(h: &str) -> bool {
    h.contains('率') || h.contains("比例") || h.contains("进度")
}

fn fuzzy_done_ytd(h: &str) -> bool {
    !is_ratio(h) && (h.contains("累计完成") || h.contains("完成投资") || h.ends_with("已完成投资"))
}

fn fuzzy_plan_year(h: &str) -> bool {
    !is_ratio(h)
        && !h.contains('总')
        && h.contains("计划")
        && (h.contains("年度") || h.contains("本年") || h.contains("当年") || h.contains("全年"))
}

fn fuzzy_growth(h: &str) -> bool {
    !h.contains("拉动")
        && !h.contains("贡献")
        && (h.ends_with("增速") || h.ends_with("增长") || h.ends_with("增幅") || h.contains("同比"))
}

fn fuzzy_ytd_ly(h: &str) -> bool {
    !h.contains("增") && (h.contains("去年同期") || h.contains("上年同期"))
}

fn fuzzy_value_ytd(h: &str) -> bool {
    !h.contains("增")
        && !h.contains("同期")
        && !is_ratio(h)
        && (h.ends_with("累计") || h.ends_with("累计完成") || h.ends_with("累计值"))
}

pub const PROJECTS: &[ColDef] = &[
    col(Column::ProjectId, ColType::Text, false, "项目编号", &["项目编号", "编号", "项目代码", "项目编码"]),
    col(Column::Name, ColType::Text, true, "项目名称", &["项目名称", "项目"]),
    col(Column::Region, ColType::Text, true, "所属地区", REGION_ALIASES),
    col(
        Column::Chain,
        ColType::Text,
        false,
        "产业链",
        &["产业链", "所属产业链", "产业类别", "行业", "所属行业", "产业"],
    ),
    col(Column::Level, ColType::Text, false, "项目级别", &["项目级别", "级别", "项目类别"]),
    col(
        Column::Leader,
        ColType::Text,
        false,
        "包抓领导",
        &["包抓领导", "包联领导", "分包领导", "责任领导", "包抓县级领导", "包抓县领导"],
    ),
    col(Column::RespUnit, ColType::Text, false, "责任单位", &["责任单位", "牵头单位"]),
    col(Column::TotalInvestment, ColType::Money, false, "总投资", &["总投资", "计划总投资", "项目总投资"]),
    fuzzy(
        col(
            Column::PlanYear,
            ColType::Money,
            true,
            "年度计划投资",
            &["年度计划投资", "年度计划", "本年计划投资", "年度投资计划", "本年度计划完成投资", "计划投资"],
        ),
        fuzzy_plan_year,
    ),
    fuzzy(
        col(
            Column::DoneYtd,
            ColType::Money,
            true,
            "本年累计完成投资",
            &[
                "本年累计完成投资",
                "累计完成投资",
                "本年完成投资",
                "完成投资",
                "年度累计完成投资",
                "年累计完成投资",
                "当年累计完成投资",
                "统计周期内累计完成投资",
                "本年累计完成",
            ],
        ),
        fuzzy_done_ytd,
    ),
    col(Column::Status, ColType::Text, false, "项目状态", &["项目状态", "建设状态", "进展状态", "状态"]),
    col(Column::StartDate, ColType::Date, false, "开工日期", &["实际开工日期", "开工日期", "开工时间", "实际开工时间"]),
];

pub const INDICATORS: &[ColDef] = &[
    col(Column::Region, ColType::Text, true, "地区", REGION_ALIASES),
    col(Column::Indicator, ColType::Text, false, "指标名称", &["指标", "指标名称"]),
    col(Column::Unit, ColType::Text, false, "计量单位", &["计量单位", "单位"]),
    col(Column::ValueMonth, ColType::Number, false, "本月", &["本月", "本月完成", "当月", "当月完成", "本月数"]),
    fuzzy(
        col(
            Column::ValueYtd,
            ColType::Number,
            false,
            "本年累计",
            &["本年累计", "累计", "本期累计", "本年累计完成", "累计完成", "累计数"],
        ),
        fuzzy_value_ytd,
    ),
    fuzzy(
        col(
            Column::ValueYtdLy,
            ColType::Number,
            false,
            "去年同期",
            &["去年同期", "上年同期", "去年同期累计", "上年同期累计", "上年同期数"],
        ),
        fuzzy_ytd_ly,
    ),
    fuzzy(
        col(
            Column::GrowthReported,
            ColType::Percent,
            false,
            "增速",
            &["增速", "同比增长", "同比增速", "累计增速", "增长", "同比增减", "增幅"],
        ),
        fuzzy_growth,
    ),
];

pub const VISITS: &[ColDef] = &[
    col(Column::VisitId, ColType::Text, false, "走访编号", &["走访编号", "记录编号"]),
    col(Column::VisitDate, ColType::Date, true, "走访日期", &["走访日期", "走访时间", "日期"]),
    col(Column::Cadre, ColType::Text, true, "走访干部", &["走访干部", "包联干部", "干部姓名", "走访人", "包联人"]),
    col(Column::CadreUnit, ColType::Text, false, "干部单位", &["干部单位", "所在单位", "派出单位", "包联单位"]),
    col(Column::Enterprise, ColType::Text, true, "企业名称", &["企业名称", "走访企业", "包联企业"]),
    col(Column::Uscc, ColType::Text, false, "统一社会信用代码", &["统一社会信用代码", "信用代码", "社会信用代码"]),
    col(Column::Region, ColType::Text, false, "所属地区", REGION_ALIASES),
    col(
        Column::Problem,
        ColType::Text,
        false,
        "问题描述",
        &["问题描述", "反映问题", "企业诉求", "存在问题", "困难问题", "问题"],
    ),
    col(Column::Category, ColType::Text, false, "问题类别", &["问题类别", "问题类型", "诉求类别", "问题分类"]),
    col(Column::Tier, ColType::Text, false, "办理层级", &["办理层级", "问题分级", "办理方式"]),
    col(Column::Status, ColType::Text, false, "办理状态", &["办理状态", "办结情况", "解决情况", "办理情况"]),
    col(Column::Deadline, ColType::Date, false, "办结时限", &["办结时限", "限办日期", "承诺办结日期", "办理时限"]),
    col(Column::ResolvedDate, ColType::Date, false, "办结日期", &["办结日期", "解决日期", "完成日期"]),
    col(Column::Satisfaction, ColType::Text, false, "企业满意度", &["企业满意度", "满意度", "企业评价"]),
];

pub const TARGETS: &[ColDef] = &[
    col(Column::Scope, ColType::Text, true, "地区", &["地区", "范围", "所属地区", "区域"]),
    col(Column::Metric, ColType::Text, true, "指标", &["指标", "目标指标", "任务", "指标名称"]),
    col(Column::Target, ColType::Number, true, "目标值", &["目标值", "目标", "年度目标", "目标任务"]),
    col(Column::Unit, ColType::Text, false, "单位", &["单位", "计量单位"]),
    col(Column::Year, ColType::Year, false, "年度", &["年度", "年份"]),
];

pub fn columns(kind: Kind) -> &'static [ColDef] {
    match kind {
        Kind::Projects => PROJECTS,
        Kind::Indicators => INDICATORS,
        Kind::Visits => VISITS,
        Kind::Targets => TARGETS,
    }
}

/// The Chinese label of a canonical column of a kind (`地区`).
pub fn label_of(kind: Kind, column: Column) -> &'static str {
    columns(kind).iter().find(|c| c.col == column).map_or("", |c| c.label)
}

/// Position of a canonical column in its kind's table.
pub fn index_of(kind: Kind, column: Column) -> Option<usize> {
    columns(kind).iter().position(|c| c.col == column)
}

/// How a header matched its canonical column. When several columns of a
/// sheet match one canonical column, the strongest wins (SPEC §1.2: an
/// exact alias beats a pattern or a loose match), then the leftmost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    /// A listed alias, letter for letter.
    Exact,
    /// A `1-N月…` period header.
    Pattern,
    /// One of the fuzzy rules.
    Loose,
}

/// Qualifiers that make a header mean something other than the canonical
/// column it would otherwise match (SPEC §1.2): since the project started
/// is not this year's completion, and a month's growth is not the
/// cumulative growth.
pub const NOT_THIS_YEAR: [&str; 6] = ["开工以来", "自开工", "累计至今", "项目累计", "开工至今", "建设以来"];
pub const NOT_CUMULATIVE: [&str; 3] = ["本月", "当月", "单月"];

/// True when `header` is qualified as something other than `column`.
pub fn qualified_elsewhere(column: Column, header: &str) -> bool {
    let words: &[&str] = match column {
        Column::DoneYtd | Column::PlanYear | Column::ValueYtd => &NOT_THIS_YEAR,
        Column::GrowthReported => &NOT_CUMULATIVE,
        _ => return false,
    };
    words.iter().any(|w| header.contains(w))
}

/// Matches a normalised header to a canonical column of `kind`: literal
/// aliases first, then `1-N月…` period headers, then the fuzzy rules; a
/// header qualified as something else matches nothing.
pub fn match_header(kind: Kind, header: &str) -> Option<(usize, Strength)> {
    let (i, strength) = match_unqualified(kind, header)?;
    (!qualified_elsewhere(columns(kind)[i].col, header)).then_some((i, strength))
}

fn match_unqualified(kind: Kind, header: &str) -> Option<(usize, Strength)> {
    if header.is_empty() {
        return None;
    }
    let defs = columns(kind);
    if let Some(i) = defs.iter().position(|c| c.aliases.contains(&header)) {
        return Some((i, Strength::Exact));
    }
    if let Some(rest) = strip_month_range(header) {
        // `1-5月` / `1-5月累计` are year-to-date values; `1-5月完成投资` and
        // `1-5月累计完成投资` are done_ytd.
        let target = match kind {
            Kind::Indicators if rest.is_empty() || rest == "累计" || rest == "累计完成" => Some(Column::ValueYtd),
            Kind::Projects if rest == "完成投资" || rest == "累计完成投资" || rest == "累计完成" => {
                Some(Column::DoneYtd)
            }
            _ => None,
        };
        if let Some(i) = target.and_then(|t| index_of(kind, t)) {
            return Some((i, Strength::Pattern));
        }
    }
    defs.iter().position(|c| c.fuzzy.is_some_and(|f| f(header))).map(|i| (i, Strength::Loose))
}

/// `1-5月累计` → `累计`: strips a leading `1-N月` (any dash).
fn strip_month_range(h: &str) -> Option<&str> {
    let rest = h.strip_prefix('1')?;
    let rest = rest.strip_prefix(['-', '—', '–', '~', '至', '－'])?;
    let digits = rest.bytes().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 2 {
        return None;
    }
    rest[digits..].strip_prefix('月')
}

pub fn is_period_header(h: &str) -> bool {
    PERIOD.aliases.contains(&h)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name_of(kind: Kind, h: &str) -> Option<&'static str> {
        match_header(kind, h).map(|(i, _)| columns(kind)[i].name())
    }

    #[test]
    fn aliases_and_patterns() {
        assert_eq!(name_of(Kind::Projects, "项目名称"), Some("name"));
        assert_eq!(name_of(Kind::Projects, "乡镇(街道)"), Some("region"));
        assert_eq!(name_of(Kind::Projects, "1-5月完成投资"), Some("done_ytd"));
        assert_eq!(name_of(Kind::Projects, "1—12月累计完成投资"), Some("done_ytd"));
        assert_eq!(name_of(Kind::Projects, "投资完成情况本年累计完成"), Some("done_ytd"));
        assert_eq!(name_of(Kind::Projects, "完成率"), None);
        assert_eq!(name_of(Kind::Projects, "序号"), None);
        assert_eq!(name_of(Kind::Projects, "计划总投资"), Some("total_investment"));
        assert_eq!(name_of(Kind::Indicators, "1-3月"), Some("value_ytd"));
        assert_eq!(name_of(Kind::Indicators, "1-3月累计"), Some("value_ytd"));
        assert_eq!(name_of(Kind::Indicators, "比上年同期增长"), Some("growth_reported"));
        assert_eq!(name_of(Kind::Indicators, "去年同期"), Some("value_ytd_ly"));
    }

    #[test]
    fn qualified_headers_match_nothing() {
        // Since the project started, not this year (issue 8's 299 % case).
        assert_eq!(name_of(Kind::Projects, "开工以来累计完成投资"), None);
        assert_eq!(name_of(Kind::Projects, "自开工累计完成投资"), None);
        assert_eq!(name_of(Kind::Projects, "项目累计完成投资"), None);
        assert_eq!(name_of(Kind::Projects, "累计至今完成投资"), None);
        // A month's growth is not the cumulative growth.
        assert_eq!(name_of(Kind::Indicators, "本月同比增长"), None);
        assert_eq!(name_of(Kind::Indicators, "当月增速"), None);
        assert_eq!(name_of(Kind::Indicators, "累计增速"), Some("growth_reported"));
    }

    #[test]
    fn exact_aliases_are_stronger_than_patterns() {
        assert_eq!(match_header(Kind::Projects, "本年累计完成投资").map(|m| m.1), Some(Strength::Exact));
        assert_eq!(match_header(Kind::Projects, "1-5月完成投资").map(|m| m.1), Some(Strength::Pattern));
        assert_eq!(match_header(Kind::Projects, "截至目前累计完成投资").map(|m| m.1), Some(Strength::Loose));
    }
}
