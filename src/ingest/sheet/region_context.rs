//! The region of a sheet that has no region column: one file per town (issue 16).
//!
//! Many counties have each town send its own ledger, and to the town its
//! name is obvious: it stands in the title (`城关镇2024年1-3月重点项目进展情况`),
//! in the sheet name (`东河镇`), in the folder the office keeps its files in
//! (`城关镇/2024-03_重点项目.xlsx`) or only in the file name
//! (`白水镇_2024-03_重点项目.xlsx`), never in a column. SPEC §1.4 lets such a
//! sheet take its region from that context when exactly one region is named
//! there: the title first, then the sheet name, the nearest folder and the
//! file name.
//!
//! Finding a name in free text is written by hand because it is specific to
//! Chinese administrative names: a region is a name from the office's
//! `region_order`, or two or more characters ending in 镇, 乡, 街道, 办事处,
//! 区, 县, 市 or 管委会. Words for the whole area (全县, 本市, 县直 …) and the
//! office's own county (青山县 for 青山县统计局) name the whole, not a town;
//! `各乡镇` names none; in `青山县城关镇` the county only qualifies the town.
//! The lookup says which of the three it found, because a whole-area
//! indicators sheet is read differently from a town's (issue 15).

use super::super::header::Detection;
use super::super::values::normalize_label;
use crate::model::{Column, Kind};
use crate::quality::{Issue, Severity, SheetReport};
use std::cell::RefCell;

/// What the office calls its regions and its whole, from `statbrief.toml`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RegionNames {
    /// `region_order`, normalised, longest first so `城关镇` is not read as a part of a longer name.
    order: Vec<String>,
    /// Names of the whole area: the configured area word (`全县`) and the
    /// office's own county or city (`青山县` from `青山县统计局`).
    whole: Vec<String>,
}

impl RegionNames {
    pub fn new(region_order: &[String], area: &str, office: &str) -> RegionNames {
        let mut order: Vec<String> =
            region_order.iter().map(|r| normalize_label(r)).filter(|r| r.chars().count() >= 2).collect();
        order.sort_by_key(|r| std::cmp::Reverse(r.chars().count()));
        let mut whole: Vec<String> = Vec::new();
        let area = normalize_label(area);
        if !area.is_empty() {
            whole.push(area);
        }
        // `青山县统计局` → `青山县`: the office's own area, up to its first level word.
        let office = normalize_label(office);
        if let Some((i, c)) = office.char_indices().skip(1).find(|(_, c)| matches!(c, '县' | '市' | '区' | '旗' | '州'))
        {
            whole.push(office[..i + c.len_utf8()].to_string());
        }
        RegionNames { order, whole }
    }

    /// From the office's configuration.
    pub fn from_config(config: &crate::config::Config) -> RegionNames {
        RegionNames::new(&config.region_order, &config.area, &config.office)
    }
}

thread_local! {
    /// The names of the run under way on this thread. A file is read, sheet
    /// by sheet, on the one thread that opened it, so the readers need not
    /// carry the configuration through every format's code path.
    static NAMES: RefCell<RegionNames> = RefCell::new(RegionNames::default());
}

/// Runs `f` (the reading of one file) with `names` as the office's names.
pub fn with_names<R>(names: &RegionNames, f: impl FnOnce() -> R) -> R {
    let before = NAMES.with(|n| std::mem::replace(&mut *n.borrow_mut(), names.clone()));
    let out = f();
    NAMES.with(|n| *n.borrow_mut() = before);
    out
}

/// Where a sheet's region was found, in lookup order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Title,
    SheetName,
    Folder,
    FileName,
}

impl Source {
    pub fn chinese(self) -> &'static str {
        match self {
            Source::Title => "标题",
            Source::SheetName => "工作表名",
            Source::Folder => "文件夹",
            Source::FileName => "文件名",
        }
    }
}

/// What the context of a sheet names.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// Exactly one town, where it was found, and a later source that names
    /// another town (worth a warning; the first source wins).
    Town {
        name: String,
        source: Source,
        other: Option<(String, Source)>,
    },
    /// Two or more towns in the first source that names any.
    Ambiguous {
        names: Vec<String>,
        source: Source,
    },
    /// Only the whole area (`全县`, the office's county): a whole-area sheet.
    Whole {
        word: String,
        source: Source,
    },
    Nothing,
}

/// The names one text gives.
#[derive(Debug, Default, PartialEq)]
struct Named {
    towns: Vec<String>,
    whole: Option<String>,
}

/// Looks for the region of a sheet without a region column: the title rows
/// (text above the header), the sheet name, the folders from the nearest
/// up, then the file name (without its extension). `file` is the path
/// relative to the input folder, `/`-separated.
pub fn lookup(titles: &[&str], sheet: &str, file: &str) -> Found {
    NAMES.with(|n| lookup_with(&n.borrow(), titles, sheet, file))
}

pub fn lookup_with(names: &RegionNames, titles: &[&str], sheet: &str, file: &str) -> Found {
    let mut parts: Vec<&str> = file.split('/').collect();
    let file_name = parts.pop().unwrap_or(file);
    let stem = file_name.rsplit_once('.').map(|(s, _)| s).unwrap_or(file_name);
    let folder = parts.iter().rev().map(|f| names_in(names, f)).find(|n| !n.towns.is_empty());
    let sources = [
        (Source::Title, names_in(names, &titles.join("|"))),
        (Source::SheetName, names_in(names, sheet)),
        (Source::Folder, folder.unwrap_or_default()),
        (Source::FileName, names_in(names, stem)),
    ];
    let mut town: Option<(String, Source)> = None;
    let mut whole: Option<(String, Source)> = None;
    for (source, named) in sources {
        match (named.towns.len(), &town) {
            (0, _) => {
                if let (Some(w), None) = (named.whole, &whole) {
                    whole = Some((w, source));
                }
            }
            (1, None) => town = named.towns.into_iter().next().map(|t| (t, source)),
            (_, None) => return Found::Ambiguous { names: named.towns, source },
            // `青山县` in a county template's title, the town in the file name:
            // the county only says where the town is.
            (1, Some((first, _))) if level(first) < level(&named.towns[0]) => {
                town = named.towns.into_iter().next().map(|t| (t, source));
            }
            (_, Some((first, first_source))) => {
                if let Some(other) = named.towns.into_iter().find(|t| t != first) {
                    return Found::Town { name: first.clone(), source: *first_source, other: Some((other, source)) };
                }
            }
        }
    }
    match (town, whole) {
        (Some((name, source)), _) => Found::Town { name, source, other: None },
        (None, Some((word, source))) => Found::Whole { word, source },
        (None, None) => Found::Nothing,
    }
}

/// The town the nearest folder of a client path names (`城关镇/2025-03.xlsx`,
/// `城关镇\\2025-03.xlsx`), for a server that keeps files without their folders.
pub fn folder_town(client_path: &str) -> Option<String> {
    let mut parts: Vec<&str> = client_path.split(['/', '\\']).collect();
    parts.pop();
    NAMES.with(|n| {
        let names = n.borrow();
        parts.iter().rev().map(|f| names_in(&names, f)).find(|n| !n.towns.is_empty()).and_then(|n| {
            let mut towns = n.towns.into_iter();
            let first = towns.next();
            towns.next().is_none().then_some(first).flatten()
        })
    })
}

/// The town a title names, for the check against a region column: only a
/// single town counts.
pub fn title_town(titles: &[&str]) -> Option<String> {
    NAMES.with(|n| {
        let named = names_in(&n.borrow(), &titles.join("|"));
        (named.towns.len() == 1).then(|| named.towns.into_iter().next()).flatten()
    })
}

/// What the processor does about the region of a sheet's rows.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Rows as they are: the sheet has a region column (the title's town,
    /// if any, is checked against it at the end), or its kind has none.
    Column { title_town: Option<String> },
    /// Every row takes this region.
    Context(String),
    /// Rows without a region (visits, where it is optional).
    Without,
    /// The sheet cannot be read: the reason is in the report.
    Skip,
}

/// Decides where the region of a sheet's rows comes from (SPEC §1.4, one
/// file per town), recording it in the report and warning where the
/// context is ambiguous. An explicit region column always wins.
pub fn decide(
    det: &Detection,
    titles: &[&str],
    at: (&str, &str),
    report: &mut SheetReport,
    issues: &mut Vec<Issue>,
) -> Decision {
    let (file, sheet) = at;
    if det.kind == Kind::Targets {
        return Decision::Column { title_town: None };
    }
    if det.has(Column::Region) {
        return Decision::Column { title_town: title_town(titles) };
    }
    let found = lookup(titles, sheet, file);
    let warn = |msg: String| Issue::new(Severity::Warning, file, msg).in_sheet(sheet);
    match found {
        Found::Town { name, source, other } => {
            report.region_from = Some(format!("地区取自{}「{name}」", source.chinese()));
            if let Some((other, other_source)) = other {
                issues.push(warn(format!(
                    "{}写的是「{name}」，{}却是「{other}」；本表没有地区列，已按「{name}」统计，请核对",
                    source.chinese(),
                    other_source.chinese()
                )));
            }
            Decision::Context(name)
        }
        Found::Ambiguous { names, source } => {
            let listed = names.iter().map(|n| format!("「{n}」")).collect::<Vec<_>>().join("和");
            let why = format!("{}中写了{listed}，无法确定本表属于哪个地区", source.chinese());
            if det.kind == Kind::Visits {
                issues.push(warn(format!("{why}；本表没有地区列，各行的地区按未填报处理")));
                return Decision::Without;
            }
            super::missing_columns::skip_without_region(det, &why, report);
            Decision::Skip
        }
        // Visits may have no region; an indicators sheet with an 指标 column
        // that names no town is the whole area's own table (issue 15).
        _ if det.kind == Kind::Visits => Decision::Without,
        _ if det.kind == Kind::Indicators && det.has(Column::Indicator) => Decision::Without,
        Found::Whole { word, source } => {
            let why = format!("{}中的「{word}」指全域，不是某个乡镇", source.chinese());
            super::missing_columns::skip_without_region(det, &why, report);
            Decision::Skip
        }
        Found::Nothing => {
            let why = "标题、工作表名、文件夹名和文件名中也没有写明乡镇".to_string();
            super::missing_columns::skip_without_region(det, &why, report);
            Decision::Skip
        }
    }
}

/// A warning when the title names one town and the region column others
/// (a town's file with another town's rows pasted in). A title naming the
/// county over its towns' rows is no conflict.
pub fn title_conflict(title_town: &str, regions: &[String], at: (&str, &str)) -> Option<Issue> {
    let others: Vec<&String> = regions
        .iter()
        .filter(|r| r.as_str() != title_town && level(title_town) >= level(r) && !super::is_total_label(r, true))
        .take(3)
        .collect();
    if others.is_empty() {
        return None;
    }
    let listed = others.iter().map(|r| format!("「{r}」")).collect::<Vec<_>>().join("、");
    let msg = format!("标题写的是「{title_town}」，但地区列中是{listed}；已按各行地区列统计，请核对标题或各行的地区");
    Some(Issue::new(Severity::Warning, at.0, msg).in_sheet(at.1).column(Column::Region))
}

/// Ends of region names, longest first.
const SUFFIXES: [&str; 9] = ["街道办事处", "管委会", "办事处", "街道", "镇", "乡", "区", "县", "市"];

/// A suffix followed by one of these is a common word, not the end of a
/// name: 市场, 区域, 县级, 乡村, 乡镇 …
const NOT_AFTER: [&str; 14] = ["场", "级", "域", "直", "村", "镇", "民", "政", "容", "委", "属", "长", "内", "外"];

/// Words for the whole area, or for the county's own departments.
const WHOLE_WORDS: [&str; 16] = [
    "全县", "全市", "全区", "全镇", "全乡", "全旗", "全州", "全省", "本县", "本市", "本区", "本镇", "县直", "市直",
    "区直", "全域",
];

/// Words of a ledger's title that cannot be part of a name: a name ends
/// before them and starts after them.
const LEDGER_WORDS: [&str; 18] = [
    "项目", "台账", "情况", "统计", "进展", "走访", "企业", "问题", "指标", "经济", "重点", "完成", "报表", "关于",
    "单位", "报送", "汇总", "填报",
];

/// Period words that stand between a year or month and the next word
/// (`2024年1-3月城关镇…` leaves `年`, `月城关镇…`).
const PERIOD_WORDS: [&str; 14] = [
    "年度",
    "年",
    "月份",
    "月",
    "份",
    "底",
    "末",
    "第一季度",
    "一季度",
    "二季度",
    "三季度",
    "四季度",
    "上半年",
    "下半年",
];

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

/// Administrative level of a name by its ending: 1 city, 2 county or
/// district, 3 town. A higher level right before a lower one qualifies it.
pub(super) fn level(name: &str) -> u8 {
    if name.ends_with('市') {
        1
    } else if name.ends_with('县') || name.ends_with('区') {
        2
    } else {
        3
    }
}

/// Every region name in `text`, in order, without repeats.
fn names_in(names: &RegionNames, text: &str) -> Named {
    let t = normalize_label(text);
    let mut named = Named::default();
    // The office's own names first: a listed town is found wherever it stands.
    let mut rest = t.clone();
    for r in &names.order {
        if rest.contains(r.as_str()) {
            push_unique(&mut named.towns, r);
            rest = rest.replace(r.as_str(), "|");
        }
    }
    if !named.towns.is_empty() {
        return named;
    }
    for run in t.split(|c: char| !is_han(c)).filter(|r| !r.is_empty()) {
        scan_run(names, run, &mut named);
    }
    named
}

fn push_unique(v: &mut Vec<String>, s: &str) {
    if !v.iter().any(|x| x == s) {
        v.push(s.to_string());
    }
}

/// `分县区`, `分乡镇`, `按区县`: a table broken down by region, not a region.
/// A real name beginning with 分 (`分水镇`) has other characters before
/// its suffix.
fn is_breakdown_word(name: &str) -> bool {
    let rest = name.strip_prefix('分').or_else(|| name.strip_prefix('按'));
    rest.is_some_and(|r| !r.is_empty() && r.chars().all(|c| "县区市镇乡街道办事处旗州省地".contains(c)))
}

/// The names in one run of Han characters (`城关镇重点项目进展情况`).
fn scan_run(names: &RegionNames, run: &str, named: &mut Named) {
    let mut start = strip_period_words(run, 0);
    let mut i = start;
    // The end of the previous name, when the next one follows it directly.
    let mut previous: Option<(usize, String)> = None;
    while i < run.len() {
        let here = &run[i..];
        if let Some(w) = WHOLE_WORDS.iter().find(|w| here.starts_with(*w)) {
            named.whole.get_or_insert_with(|| w.to_string());
            i += w.len();
            start = strip_period_words(run, i);
            continue;
        }
        if let Some(w) = LEDGER_WORDS.iter().find(|w| here.starts_with(*w)) {
            i += w.len();
            start = strip_period_words(run, i);
            i = i.max(start);
            continue;
        }
        let Some(sfx) = SUFFIXES.iter().find(|s| here.starts_with(*s)) else {
            i += here.chars().next().map_or(1, char::len_utf8);
            continue;
        };
        let mut end = i + sfx.len();
        // `高新区管委会`, `城关街道办事处`: the office's word belongs to the name.
        if let Some(w) = ["管委会", "办事处"].iter().find(|w| run[end..].starts_with(*w)) {
            end += w.len();
        }
        let name = &run[start..end];
        let after = &run[end..];
        let common_word = NOT_AFTER.iter().any(|w| after.starts_with(w));
        if common_word || name.chars().count() < sfx.chars().count() + 2 {
            i = end;
            continue;
        }
        if let Some(whole) = whole_word(names, name) {
            named.whole.get_or_insert(whole);
        } else if !name.starts_with('各') && !is_breakdown_word(name) {
            // `青山县城关镇`: the county only says where the town is.
            if let Some((prev_end, prev)) = &previous {
                if *prev_end == start && level(prev) < level(name) {
                    named.towns.retain(|t| t != prev);
                }
            }
            push_unique(&mut named.towns, name);
            previous = Some((end, name.to_string()));
        }
        start = end;
        i = end;
    }
}

/// Skips period words (`年`, `月份`, `一季度` …) at `at`.
fn strip_period_words(run: &str, mut at: usize) -> usize {
    while let Some(w) = PERIOD_WORDS.iter().find(|w| run[at..].starts_with(*w)) {
        at += w.len();
    }
    at
}

/// A name of the whole area: the configured area word or the office's county.
fn whole_word(names: &RegionNames, name: &str) -> Option<String> {
    let whole = name.starts_with('全') || name.starts_with('本') || names.whole.iter().any(|w| w == name);
    whole.then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> RegionNames {
        RegionNames::new(&[], "", "青山县统计局")
    }

    fn towns(text: &str) -> Vec<String> {
        names_in(&names(), text).towns
    }

    #[test]
    fn names_in_titles_and_file_names() {
        assert_eq!(towns("城关镇2024年1-3月重点项目进展情况"), ["城关镇"]);
        assert_eq!(towns("白水镇_2024-03_重点项目"), ["白水镇"]);
        assert_eq!(towns("2024年1-3月城关镇重点项目进展情况"), ["城关镇"]);
        assert_eq!(towns("2024年一季度东河镇重点项目"), ["东河镇"]);
        assert_eq!(towns("青山县城关镇2024年重点项目"), ["城关镇"]);
        assert_eq!(towns("填报单位：桃源乡人民政府"), ["桃源乡"]);
        assert_eq!(towns("城关街道办事处重点项目台账"), ["城关街道办事处"]);
        assert_eq!(towns("高新区管委会2025年重点项目"), ["高新区管委会"]);
        assert_eq!(towns("白水镇东河镇重点项目"), ["白水镇", "东河镇"]);
        assert_eq!(towns("分水镇重点项目"), ["分水镇"]);
    }

    #[test]
    fn words_that_are_not_towns() {
        for t in [
            "2024年1-3月重点项目进展情况",
            "市重点项目进展情况",
            "县重点项目",
            "各乡镇报送",
            "农贸市场建设项目",
            "乡村振兴项目台账",
            "区域经济指标",
            "Sheet1",
            "2月",
            "单位：万元",
            "2025年1-8月全省分县区主要经济指标",
            "分乡镇重点项目进展",
            "按县市区分组",
        ] {
            assert_eq!(towns(t), Vec::<String>::new(), "{t}");
        }
        let n = names_in(&names(), "青山县2024年1-3月重点项目");
        assert_eq!((n.towns.len(), n.whole.as_deref()), (0, Some("青山县")));
        assert_eq!(names_in(&names(), "2024年全县重点项目").whole.as_deref(), Some("全县"));
        assert_eq!(names_in(&names(), "县直单位重点项目").whole.as_deref(), Some("县直"));
    }

    #[test]
    fn region_order_names_are_found_anywhere() {
        let n = RegionNames::new(&["城关".to_string(), "工业园".to_string()], "", "");
        assert_eq!(names_in(&n, "2024年工业园重点项目").towns, ["工业园"]);
    }

    #[test]
    fn lookup_order_and_results() {
        let n = names();
        let t = |titles: &[&str], sheet, file| lookup_with(&n, titles, sheet, file);
        let town = |name: &str, source| Found::Town { name: name.into(), source, other: None };
        assert_eq!(
            t(&["城关镇2024年重点项目"], "Sheet1", "东河镇/a.xlsx"),
            Found::Town {
                name: "城关镇".into(),
                source: Source::Title,
                other: Some(("东河镇".into(), Source::Folder))
            }
        );
        assert_eq!(t(&["2024年重点项目"], "白水镇", "x.xlsx"), town("白水镇", Source::SheetName));
        assert_eq!(t(&["青山县2024年重点项目"], "3月", "2024年3月/城关镇/项目.xlsx"), town("城关镇", Source::Folder));
        assert_eq!(t(&[], "3月", "各乡镇/白水镇_2024-03_重点项目.xlsx"), town("白水镇", Source::FileName));
        assert_eq!(
            t(&["白水镇、东河镇重点项目"], "3月", "x.xlsx"),
            Found::Ambiguous { names: vec!["白水镇".into(), "东河镇".into()], source: Source::Title }
        );
        assert_eq!(
            t(&["2024年1-5月全县主要经济指标"], "Sheet1", "指标.xlsx"),
            Found::Whole { word: "全县".into(), source: Source::Title }
        );
        assert_eq!(t(&["2024年重点项目"], "Sheet1", "2024-03.xlsx"), Found::Nothing);
    }
}
