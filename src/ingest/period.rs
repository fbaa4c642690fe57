//! Report periods: which month (or year) a sheet or row reports on.
//!
//! Offices name periods in words (`2023年1—3月`, `一季度`, `上半年`,
//! `截至3月底`) in titles, period columns and file names; every figure is
//! year-to-date, so a period is the last month it covers (SPEC §1.1).

use super::values::{fold_width_and_space, Cv};
use chrono::Datelike;
use regex::Regex;
use std::fmt;
use std::sync::OnceLock;

/// A report period: a month, or a whole year (targets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub year: i32,
    /// 1..=12; `None` for a year.
    pub month: Option<u32>,
}

impl Period {
    pub fn month(year: i32, month: u32) -> Self {
        Period { year, month: Some(month) }
    }

    pub fn year(year: i32) -> Self {
        Period { year, month: None }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.month {
            Some(m) => write!(f, "{:04}-{:02}", self.year, m),
            None => write!(f, "{:04}", self.year),
        }
    }
}

struct Patterns {
    by_month: Regex,
    range: Regex,
    month: Regex,
    quarter: Regex,
    half: Regex,
    iso: Regex,
    compact: Regex,
    dotted: Regex,
    year: Regex,
    bare_year: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        // ok: literals, exercised by the tests below
        let re = |s: &str| Regex::new(s).expect("literal regex"); // ok: literal patterns
        Patterns {
            by_month: re(r"截[至止](\d{4})年(\d{1,2})月"),
            range: re(r"(\d{4})年(?:度)?\d{1,2}[-—–~至]+(\d{1,2})月"),
            month: re(r"(\d{4})年(?:度)?(\d{1,2})月"),
            quarter: re(r"(\d{4})年(?:度)?(?:第)?([一二三四1234])季度"),
            half: re(r"(\d{4})年(?:度)?(上半年|下半年|前三季度|全年)"),
            iso: re(r"(?:^|[^\d])(\d{4})-(\d{1,2})(?:$|[^\d])"),
            compact: re(r"(?:^|[^\d])(\d{4})(\d{2})(?:$|[^\d])"),
            dotted: re(r"(?:^|[^\d])(\d{4})[./](\d{1,2})(?:$|[^\d])"),
            year: re(r"(\d{4})年"),
            bare_year: re(r"(?:^|[^\d])((?:19|20)\d{2})(?:$|[^\d])"),
        }
    })
}

fn valid(year: &str, month: &str) -> Option<Period> {
    let y: i32 = year.parse().ok()?;
    let m: u32 = month.parse().ok()?;
    ((1990..=2100).contains(&y) && (1..=12).contains(&m)).then_some(Period::month(y, m))
}

/// Reads the period named in a text (title cell, period cell or file name).
/// The forms are tried from the most to the least specific, so
/// `2023年1-3月` is March and not January.
pub fn parse_period_text(raw: &str) -> Option<Period> {
    let folded = fold_width_and_space(raw);
    let s: &str = &folded;
    let p = patterns();
    for re in [&p.by_month, &p.range, &p.month] {
        if let Some(c) = re.captures(s) {
            if let Some(per) = valid(&c[1], &c[2]) {
                return Some(per);
            }
        }
    }
    if let Some(c) = p.quarter.captures(s) {
        let q = match &c[2] {
            "一" | "1" => 3,
            "二" | "2" => 6,
            "三" | "3" => 9,
            _ => 12,
        };
        return valid(&c[1], &q.to_string());
    }
    if let Some(c) = p.half.captures(s) {
        let m = match &c[2] {
            "上半年" => 6,
            "前三季度" => 9,
            _ => 12,
        };
        return valid(&c[1], &m.to_string());
    }
    for re in [&p.iso, &p.dotted, &p.compact] {
        if let Some(c) = re.captures(s) {
            if let Some(per) = valid(&c[1], &c[2]) {
                return Some(per);
            }
        }
    }
    None
}

/// A year named in a text (`2023年`, `2023年度目标任务`), for targets.
pub fn parse_year_text(raw: &str) -> Option<i32> {
    let folded = fold_width_and_space(raw);
    let c = patterns().year.captures(&folded)?;
    let y: i32 = c[1].parse().ok()?;
    (1990..=2100).contains(&y).then_some(y)
}

/// A year written alone in a file name (`目标任务2023.xlsx`), for targets.
pub fn parse_bare_year(raw: &str) -> Option<i32> {
    let c = patterns().bare_year.captures(raw)?;
    c[1].parse().ok()
}

/// The period in a period-column cell: text, an Excel date, or `202303`.
pub fn cell_period(cv: &Cv<'_>) -> Option<Period> {
    match cv {
        Cv::Date(_, Some(d)) => Some(Period::month(d.year(), d.month())),
        Cv::Num(v) if v.fract() == 0.0 && (199_001.0..=210_012.0).contains(v) => {
            let n = *v as i64;
            valid(&(n / 100).to_string(), &(n % 100).to_string())
        }
        Cv::Text(s) => parse_period_text(s),
        _ => None,
    }
}

/// The year of a year cell (`2023`, `2023年`).
pub fn cell_year(cv: &Cv<'_>) -> Option<i32> {
    match cv {
        Cv::Num(v) if v.fract() == 0.0 && (1990.0..=2100.0).contains(v) => Some(*v as i32),
        Cv::Text(s) => {
            let t = fold_width_and_space(s);
            let t = t.trim_end_matches('度').trim_end_matches('年');
            t.parse::<i32>().ok().filter(|y| (1990..=2100).contains(y)).or_else(|| parse_year_text(s))
        }
        _ => None,
    }
}

/// How to name a file so its period is found, for the rejection message.
pub const NAMING_HINT: &str =
    "请在表头上方的标题中写明报告期（如“2023年1-3月”），或在文件名中写明（如“2023-03”“202303”“2023年3月”）";

#[cfg(test)]
mod tests {
    use super::*;

    fn m(y: i32, mo: u32) -> Option<Period> {
        Some(Period::month(y, mo))
    }

    #[test]
    fn titles() {
        assert_eq!(parse_period_text("青山县2023年1-3月重点项目进展情况"), m(2023, 3));
        assert_eq!(parse_period_text("2023年1—3月规上工业增加值完成情况"), m(2023, 3));
        assert_eq!(parse_period_text("2023年3月经济指标"), m(2023, 3));
        assert_eq!(parse_period_text("2023年一季度走访情况"), m(2023, 3));
        assert_eq!(parse_period_text("2023年第三季度"), m(2023, 9));
        assert_eq!(parse_period_text("2023年上半年"), m(2023, 6));
        assert_eq!(parse_period_text("截至2023年3月底问题台账"), m(2023, 3));
        assert_eq!(parse_period_text("截止2023年11月末"), m(2023, 11));
        assert_eq!(parse_period_text("重点项目台账"), None);
    }

    #[test]
    fn file_names() {
        assert_eq!(parse_period_text("项目台账2023-03.xlsx"), m(2023, 3));
        assert_eq!(parse_period_text("项目台账202303.xlsx"), m(2023, 3));
        assert_eq!(parse_period_text("2023年3月项目.xlsx"), m(2023, 3));
        assert_eq!(parse_period_text("项目2023.3.xlsx"), m(2023, 3));
        assert_eq!(parse_period_text("2023年1-3月项目.csv"), m(2023, 3));
        assert_eq!(parse_period_text("项目20230.xlsx"), None);
        assert_eq!(parse_period_text("项目202313.xlsx"), None);
    }

    #[test]
    fn cells_and_years() {
        assert_eq!(cell_period(&Cv::Num(202303.0)), m(2023, 3));
        assert_eq!(cell_period(&Cv::Text("2023年3月")), m(2023, 3));
        assert_eq!(cell_year(&Cv::Num(2023.0)), Some(2023));
        assert_eq!(cell_year(&Cv::Text("2023年度")), Some(2023));
        assert_eq!(parse_year_text("2023年目标任务表"), Some(2023));
        assert_eq!(parse_bare_year("目标任务2023.xlsx"), Some(2023));
        assert_eq!(parse_bare_year("目标任务202303.xlsx"), None);
        assert_eq!(Period::month(2023, 3).to_string(), "2023-03");
        assert_eq!(Period::year(2023).to_string(), "2023");
    }
}
