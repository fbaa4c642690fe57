//! The wording of figures in Chinese statistical documents: amounts in
//! 万元/亿元, percentages, 增长/下降/持平, percentage points, ranks in Chinese
//! numerals, and the names of year-to-date periods.
//!
//! Every output (the templates' filters, the workbook, the console summary,
//! the charts' labels) calls these functions, so a figure reads the same
//! wherever it is printed, and the rounding rule (四舍五入) lives in one place.

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

/// `2025年1—6月`, `2025年1月`: the year and its year-to-date span.
pub fn fmt_year_period(year: i32, month: u32) -> String {
    format!("{year}年{}", fmt_period(month))
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
        assert_eq!(fmt_year_period(2025, 6), "2025年1—6月");
        assert_eq!(fmt_year_period(2025, 1), "2025年1月");
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
}
