//! The template environment of `briefing.html` and `article.md`, and the
//! filters that write figures the way Chinese statistical documents do.
//!
//! Offices must be able to change the wording and layout of their briefing
//! without rebuilding the program, so both outputs are minijinja templates.
//! The defaults are compiled into the binary (an installed `statbrief` works
//! from any folder); `--templates DIR` overrides them one file at a time: a
//! template found in DIR wins, any other falls back to the built-in one. There
//! is exactly one place that builds an environment ([`environment`]) and one
//! that registers the filters ([`register`]), so the HTML briefing, the
//! article and the tests all see the same behaviour.
//!
//! The formatting functions (`fmt_*`) are plain Rust so that the SVG charts
//! label their bars with exactly the text the tables and sentences use.

use crate::error::Error;
use crate::model::Report;
use minijinja::{Environment, ErrorKind, UndefinedBehavior, Value};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The built-in templates, by the name templates use to include or extend
/// them. A file of the same name in `--templates DIR` replaces one of them.
pub const EMBEDDED: &[(&str, &str)] = &[
    ("base.html.j2", include_str!("../../templates/base.html.j2")),
    ("briefing.html.j2", include_str!("../../templates/briefing.html.j2")),
    ("article.md.j2", include_str!("../../templates/article.md.j2")),
    ("partials/briefing.css", include_str!("../../templates/partials/briefing.css")),
    ("partials/tables.html.j2", include_str!("../../templates/partials/tables.html.j2")),
    ("partials/charts.html.j2", include_str!("../../templates/partials/charts.html.j2")),
];

/// Creates the environment every renderer uses: templates from `dir` where it
/// has them, else built in; strict about undefined variables; HTML
/// autoescape for `.html.j2` names; every filter of [`register`].
pub fn environment(dir: Option<&Path>) -> Environment<'static> {
    let mut env = Environment::new();
    let dir: Option<PathBuf> = dir.map(Path::to_path_buf);
    // A loader, not `add_template`: minijinja asks the loader only for names it
    // has not loaded yet, so the office's file is looked up first and the
    // embedded one is the fallback. `path_loader` refuses names that climb
    // out of DIR (`../`), so a template cannot read arbitrary files.
    let from_dir = dir.map(minijinja::path_loader);
    env.set_loader(move |name| {
        if let Some(load) = &from_dir {
            if let Some(source) = load(name)? {
                return Ok(Some(source));
            }
        }
        Ok(EMBEDDED.iter().find(|(n, _)| *n == name).map(|(_, s)| s.to_string()))
    });
    // Strict: a misspelt variable in an office's template is an error that
    // names it, not a silently empty figure in an official document.
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // The default callback already strips `.j2` and escapes `*.html`, so
    // `briefing.html.j2` is autoescaped and `article.md.j2` is not (Markdown
    // must keep its characters). Set explicitly to document the decision.
    env.set_auto_escape_callback(minijinja::default_auto_escape_callback);
    // Control tags on their own line leave no blank line behind: the
    // article's paragraphs are built from many `{% if %}` blocks.
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(true);
    // A missing figure (`none`) printed without a filter shows as `—`, the
    // sign Chinese tables use, never as the word `none`.
    env.set_formatter(|out, state, value| {
        if value.is_none() {
            out.write_str("—").map_err(|e| minijinja::Error::new(ErrorKind::WriteFailure, e.to_string()))
        } else {
            minijinja::escape_formatter(out, state, value)
        }
    });
    register(&mut env);
    env
}

/// Registers every filter. Each takes `none` (a missing figure) and returns
/// `—`, except where noted; an *undefined* value (a misspelt name) is an
/// error even though filters would otherwise accept it as missing.
pub fn register(env: &mut Environment<'static>) {
    env.add_filter("amount", |v: Value| Ok(number(&v)?.map(fmt_amount).unwrap_or_else(dash)));
    env.add_filter("num", |v: Value, decimals: Option<usize>| {
        Ok(number(&v)?.map(|x| fmt_thousands(x, decimals.unwrap_or(2))).unwrap_or_else(dash))
    });
    env.add_filter("pct", |v: Value| Ok(number(&v)?.map(fmt_percent).unwrap_or_else(dash)));
    env.add_filter("growth", |v: Value| Ok(number(&v)?.map(fmt_growth).unwrap_or_else(dash)));
    env.add_filter("pp", |v: Value, label: Option<String>| {
        Ok(number(&v)?.map(|x| fmt_pp(x, label.as_deref().unwrap_or(""))).unwrap_or_else(dash))
    });
    env.add_filter("signed", |v: Value, decimals: Option<usize>| {
        Ok(number(&v)?.map(|x| fmt_signed(x, decimals.unwrap_or(1))).unwrap_or_else(dash))
    });
    // `a|diff(b)`: a − b, or none when either is missing, so that
    // `rate|diff(time_progress)|pp("时序进度")` needs no `if`.
    env.add_filter("diff", |a: Value, b: Value| -> Result<Value, minijinja::Error> {
        Ok(match (number(&a)?, number(&b)?) {
            (Some(a), Some(b)) => Value::from(a - b),
            _ => Value::from(()),
        })
    });
    env.add_filter("rank", |v: Value| Ok(number(&v)?.map(|x| fmt_rank(x.round() as i64)).unwrap_or_else(dash)));
    env.add_filter("period", |month: Value, style: Option<String>| -> Result<String, minijinja::Error> {
        let Some(m) = number(&month)? else { return Ok(dash()) };
        let m = m.round().clamp(1.0, 12.0) as u32;
        match style.as_deref() {
            None | Some("range") => Ok(fmt_period(m)),
            Some("name") => Ok(fmt_period_name(m)),
            Some(other) => Err(minijinja::Error::new(
                ErrorKind::InvalidOperation,
                format!("period 的样式只能是 \"range\" 或 \"name\"，不是 \"{other}\""),
            )),
        }
    });
    env.add_filter("completion", |v: Value, what: Option<String>| {
        Ok(number(&v)?.map(|x| fmt_completion(x, what.as_deref().unwrap_or("年度计划"))).unwrap_or_else(dash))
    });
    env.add_filter("flag_label", |v: Value| Ok(text(&v)?.map(|s| flag_label(&s).to_string()).unwrap_or_else(dash)));
    // Never `—`: a CSS class must always be a valid name.
    env.add_filter("flag_class", |v: Value| Ok(text(&v)?.map(|s| flag_class(&s)).unwrap_or("none").to_string()));
    env.add_filter("kind_label", |v: Value| Ok(text(&v)?.map(|s| kind_label(&s)).unwrap_or_else(dash)));
    env.add_filter("severity_label", |v: Value| Ok(text(&v)?.map(|s| severity_label(&s)).unwrap_or_else(dash)));
}

fn dash() -> String {
    "—".to_string()
}

fn undefined_error() -> minijinja::Error {
    minijinja::Error::new(ErrorKind::UndefinedError, "模板用了未定义的变量（名称是否写错？）")
}

/// A filter's numeric input: none → missing; undefined → error (see [`register`]).
fn number(v: &Value) -> Result<Option<f64>, minijinja::Error> {
    if v.is_undefined() {
        return Err(undefined_error());
    }
    if v.is_none() {
        return Ok(None);
    }
    let x = f64::try_from(v.clone())
        .map_err(|_| minijinja::Error::new(ErrorKind::InvalidOperation, format!("需要数值，得到的是「{v}」")))?;
    // A NaN or infinite figure is as good as missing; the model never holds
    // one, but a template's own arithmetic might produce it.
    Ok(x.is_finite().then_some(x))
}

fn text(v: &Value) -> Result<Option<String>, minijinja::Error> {
    if v.is_undefined() {
        return Err(undefined_error());
    }
    Ok((!v.is_none()).then(|| v.to_string()))
}

// ---- formatting

/// Rounds half away from zero (四舍五入, as statistical offices round; Rust's
/// `{:.1}` would round 0.25 to 0.2), with a tiny nudge so that a value such
/// as 14.65, stored as 14.6499999…, still rounds to 14.7 as on paper.
pub fn round_half_up(x: f64, decimals: usize) -> f64 {
    let p = 10f64.powi(decimals as i32);
    let scaled = x * p;
    let nudge = scaled.signum() * (scaled.abs() * 1e-12 + 1e-9);
    let r = (scaled + nudge).round() / p;
    // No "-0.0": a value that rounds to zero is zero.
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

/// `1234567.891` → `1,234,567.89` (with `decimals` fixed decimals).
pub fn fmt_thousands(x: f64, decimals: usize) -> String {
    let r = round_half_up(x, decimals);
    let s = format!("{:.*}", decimals, r.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s.as_str(), None),
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if r < 0.0 { "-" } else { "" };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// An amount given in 万元, written as Chinese briefings do.
///
/// Rule: at or above 1亿元 (10,000万元, judged after rounding, so 9,999.996万元
/// is `1.00亿元`) the amount is in 亿元 with exactly 2 decimals
/// (1,370,000万元 → `137.00亿元`); below, it stays in 万元 with thousands
/// separators and at most 2 decimals, trailing zeros dropped (`8,523.4万元`,
/// `300万元`), because articles write 万元 figures without padding zeros.
pub fn fmt_amount(wan: f64) -> String {
    if round_half_up(wan, 2).abs() >= 10_000.0 {
        format!("{}亿元", fmt_thousands(wan / 10_000.0, 2))
    } else {
        let s = fmt_thousands(wan, 2);
        let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s };
        format!("{s}万元")
    }
}

/// `14.7%`: one decimal.
pub fn fmt_percent(x: f64) -> String {
    format!("{:.1}%", round_half_up(x, 1))
}

/// `增长14.7%`, `下降3.2%`, or `持平` when the growth rounds to 0.0.
pub fn fmt_growth(x: f64) -> String {
    let r = round_half_up(x, 1);
    if r > 0.0 {
        format!("增长{r:.1}%")
    } else if r < 0.0 {
        format!("下降{:.1}%", -r)
    } else {
        "持平".to_string()
    }
}

/// A difference in percentage points against `label`:
/// `高于时序进度3.6个百分点`, `低于时序进度3.6个百分点`, `与时序进度持平`.
pub fn fmt_pp(diff: f64, label: &str) -> String {
    let r = round_half_up(diff, 1);
    if r > 0.0 {
        format!("高于{label}{r:.1}个百分点")
    } else if r < 0.0 {
        format!("低于{label}{:.1}个百分点", -r)
    } else if label.is_empty() {
        "持平".to_string()
    } else {
        format!("与{label}持平")
    }
}

/// A signed number for table columns of differences (`+3.6`, `-1.2`, `0.0`).
pub fn fmt_signed(x: f64, decimals: usize) -> String {
    let r = round_half_up(x, decimals);
    if r > 0.0 {
        format!("+{r:.decimals$}")
    } else {
        format!("{r:.decimals$}")
    }
}

/// `第一` … `第十`, then `第11`: documents write small ranks in Chinese
/// numerals and larger ones in digits.
pub fn fmt_rank(n: i64) -> String {
    const WORDS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    match usize::try_from(n) {
        Ok(i @ 1..=10) => format!("第{}", WORDS[i - 1]),
        _ => format!("第{n}"),
    }
}

/// The year-to-date span: `1—3月` (an em dash, as in print), or `1月`.
pub fn fmt_period(month: u32) -> String {
    if month <= 1 {
        "1月".to_string()
    } else {
        format!("1—{month}月")
    }
}

/// The span's usual name: `一季度`, `上半年`, `前三季度`, `全年`; other
/// months have none and keep `1—M月`.
pub fn fmt_period_name(month: u32) -> String {
    match month {
        3 => "一季度".to_string(),
        6 => "上半年".to_string(),
        9 => "前三季度".to_string(),
        12 => "全年".to_string(),
        m => fmt_period(m),
    }
}

/// `占年度计划的28.6%`; at or above 100 %, `占年度计划的101.5%，超额完成年度计划`.
pub fn fmt_completion(rate: f64, what: &str) -> String {
    if rate >= 100.0 {
        format!("占{what}的{}，超额完成{what}", fmt_percent(rate))
    } else {
        format!("占{what}的{}", fmt_percent(rate))
    }
}

/// A project flag in words: 正常 (at or above time progress), 滞后, 严重滞后.
pub fn flag_label(flag: &str) -> &str {
    match flag {
        "green" => "正常",
        "yellow" => "滞后",
        "red" => "严重滞后",
        other => other,
    }
}

/// The CSS class of a project flag or a supervision colour.
pub fn flag_class(flag: &str) -> &'static str {
    match flag {
        "green" => "green",
        "yellow" | "黄" => "yellow",
        "red" | "红" => "red",
        "蓝" => "blue",
        _ => "none",
    }
}

fn kind_label(kind: &str) -> String {
    match kind {
        "projects" => "重点项目台账",
        "indicators" => "经济指标月报",
        "visits" => "走访问题台账",
        "targets" => "目标任务表",
        other => other,
    }
    .to_string()
}

fn severity_label(s: &str) -> String {
    match s {
        "error" => "错误",
        "warning" => "警告",
        "info" => "提示",
        other => other,
    }
    .to_string()
}

// ---- the context both outputs share

/// The whole of an area in documents: `全县`, `全市` … It is taken from the
/// office's name (`青山县统计局` → `全县`); the built-in office name `统计局`
/// names no level, and county offices are the common case, so `全县`.
pub fn scope_word(office: &str) -> String {
    // The level is the last administrative suffix in the name that is
    // followed by the office's own words (青山县统计局, 云州市发展和改革局).
    let head = office.split("统计").next().unwrap_or(office);
    let head = head.split("发展").next().unwrap_or(head);
    for c in head.chars().rev() {
        if matches!(c, '县' | '市' | '区' | '州' | '旗' | '省') {
            return format!("全{c}");
        }
    }
    "全县".to_string()
}

/// One indicator with its whole and its regions, in the Report's order.
#[derive(Debug, Serialize)]
pub struct IndicatorView<'a> {
    pub name: &'a str,
    pub unit: Option<&'a str>,
    /// The item whose region is `全部`, if the Report has one.
    pub whole: Option<&'a crate::model::IndicatorFigures>,
    pub regions: Vec<&'a crate::model::IndicatorFigures>,
    /// Regions ranked first by growth (ties share the rank).
    pub leaders: Vec<&'a str>,
    /// Whether any item has a year-to-date value / a monthly value: rate-only
    /// indicators (规上工业增加值) have neither, and their tables drop
    /// those columns rather than show a column of dashes.
    pub has_ytd: bool,
    pub has_month: bool,
    /// Whether the unit is money (values are then in 万元 and written with `amount`).
    pub is_money: bool,
    /// Whether the whole has a growth or a year-to-date value, i.e. whether
    /// the article has a sentence to write about it.
    pub reportable: bool,
}

/// The indicators grouped by name, in the order they first appear.
pub fn indicator_views(report: &Report) -> Vec<IndicatorView<'_>> {
    let whole = crate::stats::indicators::WHOLE;
    let mut names: Vec<&str> = Vec::new();
    for i in &report.indicators {
        if !names.contains(&i.indicator.as_str()) {
            names.push(&i.indicator);
        }
    }
    names
        .into_iter()
        .map(|name| {
            let items: Vec<_> = report.indicators.iter().filter(|i| i.indicator == name).collect();
            let unit = items.iter().find_map(|i| i.unit.as_deref());
            let regions: Vec<_> = items.iter().copied().filter(|i| i.region != whole).collect();
            let whole_item = items.iter().copied().find(|i| i.region == whole);
            IndicatorView {
                name,
                unit,
                whole: whole_item,
                reportable: whole_item.is_some_and(|w| w.growth.is_some() || w.ytd.is_some()),
                leaders: regions.iter().filter(|i| i.rank == Some(1)).map(|i| i.region.as_str()).collect(),
                has_ytd: items.iter().any(|i| i.ytd.is_some() || i.ytd_ly.is_some()),
                has_month: items.iter().any(|i| i.month.is_some()),
                is_money: unit.is_some_and(|u| u.contains('元')),
                regions,
            }
        })
        .collect()
}

/// The configured word for the whole area, else the one the office's name implies.
pub fn area_word(report: &Report) -> String {
    if report.area.trim().is_empty() {
        scope_word(&report.office)
    } else {
        report.area.trim().to_string()
    }
}

/// The variables both templates get (documented in `templates/README.md`).
pub fn common_context(report: &Report) -> Vec<(&'static str, Value)> {
    vec![
        ("report", Value::from_serialize(report)),
        ("scope", Value::from(area_word(report))),
        ("indicators", Value::from_serialize(indicator_views(report))),
    ]
}

/// Renders one template; template errors name the file and line and quote
/// the line. An error in an office's own template is theirs to fix (a usage
/// error); one in the built-in templates is ours.
pub fn render(name: &str, dir: Option<&Path>, context: Vec<(&'static str, Value)>) -> Result<String, Error> {
    let env = environment(dir);
    let ctx: std::collections::BTreeMap<&str, Value> = context.into_iter().collect();
    let result = env.get_template(name).and_then(|t| t.render(ctx));
    result.map_err(|e| {
        let mut msg = format!("模板 {name} 渲染失败：{e}");
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            msg.push_str(&format!("；{s}"));
            source = s.source();
        }
        // Quote the offending line. minijinja's own debug report would also
        // dump every referenced variable, which for `report` is the whole
        // Report: far too much for a terminal.
        if let (Some(file), Some(line)) = (e.name(), e.line()) {
            if let Some(text) =
                template_source(file, dir).as_deref().and_then(|s| s.lines().nth(line.saturating_sub(1)))
            {
                msg.push_str(&format!("\n  {file} 第{line}行：{}", text.trim()));
            }
        }
        match dir {
            Some(d) => Error::Usage(format!("{msg}\n（模板目录 {}）", d.display())),
            None => Error::Internal(msg),
        }
    })
}

/// The text of a template as the environment loads it: the office's file, else the built-in one.
fn template_source(name: &str, dir: Option<&Path>) -> Option<String> {
    dir.and_then(|d| std::fs::read_to_string(d.join(name)).ok())
        .or_else(|| EMBEDDED.iter().find(|(n, _)| *n == name).map(|(_, s)| s.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_switch_to_yi_at_one_yi() {
        assert_eq!(fmt_amount(1_370_000.0), "137.00亿元");
        assert_eq!(fmt_amount(10_000.0), "1.00亿元");
        assert_eq!(fmt_amount(9_999.996), "1.00亿元");
        assert_eq!(fmt_amount(9_999.99), "9,999.99万元");
        assert_eq!(fmt_amount(8_523.4), "8,523.4万元");
        assert_eq!(fmt_amount(300.0), "300万元");
        assert_eq!(fmt_amount(0.5), "0.5万元");
        assert_eq!(fmt_amount(451_800.0), "45.18亿元");
        assert_eq!(fmt_amount(12_345_678.0), "1,234.57亿元");
        assert_eq!(fmt_amount(-2_500.0), "-2,500万元");
    }

    #[test]
    fn thousands_and_rounding() {
        assert_eq!(fmt_thousands(1_234_567.891, 2), "1,234,567.89");
        assert_eq!(fmt_thousands(999.0, 0), "999");
        assert_eq!(fmt_thousands(1000.0, 0), "1,000");
        assert_eq!(fmt_thousands(-1234.5, 1), "-1,234.5");
        assert_eq!(round_half_up(0.25, 1), 0.3);
        assert_eq!(round_half_up(14.65, 1), 14.7);
        assert_eq!(round_half_up(-0.04, 1), 0.0);
        assert_eq!(fmt_percent(28.5714), "28.6%");
        assert_eq!(fmt_percent(-0.04), "0.0%");
    }

    #[test]
    fn growth_in_words() {
        assert_eq!(fmt_growth(14.7), "增长14.7%");
        assert_eq!(fmt_growth(-3.24), "下降3.2%");
        assert_eq!(fmt_growth(0.04), "持平");
        assert_eq!(fmt_growth(-0.049), "持平");
        assert_eq!(fmt_growth(0.05), "增长0.1%");
    }

    #[test]
    fn percentage_points() {
        assert_eq!(fmt_pp(3.6, "时序进度"), "高于时序进度3.6个百分点");
        assert_eq!(fmt_pp(-3.64, "时序进度"), "低于时序进度3.6个百分点");
        assert_eq!(fmt_pp(0.01, "时序进度"), "与时序进度持平");
        assert_eq!(fmt_signed(3.6, 1), "+3.6");
        assert_eq!(fmt_signed(-0.01, 1), "0.0");
    }

    #[test]
    fn ranks_in_chinese_numerals_up_to_ten() {
        assert_eq!(fmt_rank(1), "第一");
        assert_eq!(fmt_rank(3), "第三");
        assert_eq!(fmt_rank(10), "第十");
        assert_eq!(fmt_rank(11), "第11");
    }

    #[test]
    fn periods() {
        assert_eq!(fmt_period(3), "1—3月");
        assert_eq!(fmt_period(1), "1月");
        assert_eq!(fmt_period_name(3), "一季度");
        assert_eq!(fmt_period_name(6), "上半年");
        assert_eq!(fmt_period_name(9), "前三季度");
        assert_eq!(fmt_period_name(5), "1—5月");
    }

    #[test]
    fn completion() {
        assert_eq!(fmt_completion(28.57, "年度计划"), "占年度计划的28.6%");
        assert_eq!(fmt_completion(101.5, "年度计划"), "占年度计划的101.5%，超额完成年度计划");
        assert_eq!(fmt_completion(100.0, "年度计划"), "占年度计划的100.0%，超额完成年度计划");
    }

    #[test]
    fn scope_from_office_name() {
        assert_eq!(scope_word("青山县统计局"), "全县");
        assert_eq!(scope_word("云州市发展和改革委员会"), "全市");
        assert_eq!(scope_word("东城区统计局"), "全区");
        assert_eq!(scope_word("统计局"), "全县");
    }

    fn render_str(src: &str, ctx: Value) -> Result<String, minijinja::Error> {
        environment(None).render_str(src, ctx)
    }

    #[test]
    fn filters_in_templates() {
        let ctx = Value::from_serialize(serde_json::json!({"a": 1370000.0, "n": null, "r": 56.3, "t": 50.0, "k": 3}));
        let out = render_str("{{ a|amount }} {{ n|amount }} {{ n }} {{ r|diff(t)|pp('时序进度') }} {{ r|diff(n)|pp('时序进度') }} {{ k|rank }} {{ 6|period }} {{ 6|period('name') }}", ctx);
        assert_eq!(out.ok().as_deref(), Some("137.00亿元 — — 高于时序进度6.3个百分点 — 第三 1—6月 上半年"));
    }

    #[test]
    fn undefined_is_an_error_even_through_a_filter() {
        let ctx = Value::from_serialize(serde_json::json!({"a": 1.0}));
        assert!(render_str("{{ b }}", ctx.clone()).is_err());
        assert!(render_str("{{ b|amount }}", ctx.clone()).is_err());
        assert!(render_str("{{ a.missing|pct }}", ctx).is_err());
    }
}
