//! Reading one cell value the way clerks write it.
//!
//! Ledgers are typed by hand: amounts arrive as `1,234.5`, `１２３４`,
//! `12.3万元` or `-`, dates as Excel dates, serial numbers or any of five text
//! forms, and categorical fields in many spellings. This module turns one cell
//! into a typed value or says, in Chinese, why it cannot. The rules are the
//! domain's own (SPEC §1.3–1.4), which is why they are written here by hand;
//! generic work (Unicode width folding, Traditional→Simplified, calendars) is
//! left to `unicode-normalization`, `zhconv` and `chrono`.

use calamine::CellErrorType;
use chrono::{Datelike, NaiveDate};
use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;

/// A borrowed view of one cell, the same for every workbook format and CSV,
/// so that rows can be processed without allocating per cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cv<'a> {
    Empty,
    Num(f64),
    Text(&'a str),
    Bool(bool),
    /// An Excel date cell: its serial value, and the calendar date when it is one.
    Date(f64, Option<NaiveDate>),
    Error(CellErrorType),
}

/// A cell's text without white space at either end: `str::trim`, with a
/// fast path. Nearly every cell starts and ends with a character that is
/// plainly not white space, which its first and last bytes show; `str::trim`
/// decodes characters from both ends through a generic matcher, and its
/// calls on every cell of every row were 5 % of a province's `check`.
#[inline]
pub fn trim_cell(s: &str) -> &str {
    if starts_clean(s.as_bytes()) && ends_clean(s.as_bytes()) {
        s
    } else {
        s.trim()
    }
}

/// Whether UTF-8 text starts with a character outside Unicode's White_Space
/// (ASCII 09–0D and 20, U+0085, U+00A0, U+1680, U+2000–200A, U+2028, U+2029,
/// U+202F, U+205F, U+3000).
fn starts_clean(b: &[u8]) -> bool {
    match b {
        [] => false,
        [x, ..] if *x < 0x80 => !matches!(x, 0x09..=0x0D | 0x20),
        [0xC2, x, ..] => !matches!(x, 0x85 | 0xA0),
        [0xE1, 0x9A, 0x80, ..] | [0xE2, 0x81, 0x9F, ..] | [0xE3, 0x80, 0x80, ..] => false,
        [0xE2, 0x80, x, ..] => !matches!(x, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF),
        _ => true,
    }
}

/// Whether UTF-8 text ends with a character outside White_Space. A lead
/// byte two or three from the end starts the last character, since
/// continuation bytes are 80–BF.
fn ends_clean(b: &[u8]) -> bool {
    match b {
        [] => false,
        [.., x] if *x < 0x80 => !matches!(x, 0x09..=0x0D | 0x20),
        [.., 0xC2, x] => !matches!(x, 0x85 | 0xA0),
        [.., 0xE1, 0x9A, 0x80] | [.., 0xE2, 0x81, 0x9F] | [.., 0xE3, 0x80, 0x80] => false,
        [.., 0xE2, 0x80, x] => !matches!(x, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF),
        _ => true,
    }
}

/// An emptied vector of another lifetime, keeping its allocation, for a
/// buffer reused across rows: a row's cells and values borrow that row's
/// strings, so the vector itself cannot be kept from row to row. std
/// collects a `Vec`'s own `into_iter` in place when the element layouts
/// match, as they do for one type under two lifetimes (otherwise it would
/// only allocate, never misbehave).
pub fn recycle<T, U>(mut v: Vec<T>) -> Vec<U> {
    v.clear();
    v.into_iter().filter_map(|_| None).collect()
}

impl<'a> Cv<'a> {
    pub fn is_empty(&self) -> bool {
        match self {
            Cv::Empty => true,
            Cv::Text(s) => trim_cell(s).is_empty(),
            _ => false,
        }
    }

    /// The cell as the clerk sees it, for messages.
    pub fn raw(&self) -> String {
        match self {
            Cv::Empty => String::new(),
            Cv::Num(v) => format_plain(*v),
            Cv::Text(s) => s.to_string(),
            Cv::Bool(b) => {
                if *b {
                    "TRUE".into()
                } else {
                    "FALSE".into()
                }
            }
            Cv::Date(v, d) => d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_else(|| format_plain(*v)),
            Cv::Error(e) => e.to_string(),
        }
    }

    /// Text of a label cell, trimmed; numbers are written without a trailing `.0`.
    pub fn text(&self) -> Option<Cow<'a, str>> {
        match self {
            Cv::Empty | Cv::Error(_) => None,
            Cv::Text(s) => {
                let t = trim_cell(s);
                if t.is_empty() {
                    None
                } else {
                    Some(Cow::Borrowed(t))
                }
            }
            other => Some(Cow::Owned(other.raw())),
        }
    }
}

fn format_plain(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// A character [`fold_width_and_space`] may change.
fn needs_fold(c: char) -> bool {
    c.is_whitespace()
        || matches!(c, '\u{2000}'..='\u{206F}' | '\u{2460}'..='\u{24FF}' | '\u{3000}'..='\u{303F}' | '\u{3200}'..='\u{33FF}' | '\u{FE30}'..='\u{FFEF}')
}

/// Whether a byte can begin the UTF-8 of a character [`needs_fold`] accepts
/// (a test over all of Unicode holds the two together).
fn may_start_fold(b: u8) -> bool {
    matches!(b, 0x09..=0x0D | 0x20 | 0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF)
}

/// Folds full-width forms to half-width and removes every kind of white space.
/// NFKC does the width folding (and nothing a header or number needs kept).
pub fn fold_width_and_space(s: &str) -> Cow<'_, str> {
    // Most cells need nothing: no space and no character NFKC would change
    // for our purposes (CJK punctuation and ideographic space, full-width
    // forms, enclosed and squared forms, typographic spaces).
    // Decoding every character of every text cell cost ~1 % of a county's
    // `check`. Each character that may need folding has one of these lead
    // bytes in UTF-8 (and no continuation byte is one of them), so a text
    // without any of them needs nothing; the byte scan is a filter, the
    // character test below still decides.
    if !s.bytes().any(may_start_fold) {
        return Cow::Borrowed(s);
    }
    if !s.chars().any(needs_fold) {
        return Cow::Borrowed(s);
    }
    if s.is_ascii() {
        return Cow::Owned(s.chars().filter(|c| !c.is_whitespace()).collect());
    }
    // Recomposed after the spaces go: NFKC turns `¨` into a space and a
    // combining mark, and once the space is dropped the mark composes with
    // the letter before it; without the final NFC a second fold would
    // change the text again (issue 10, proptest: `h¨、`).
    Cow::Owned(s.nfkc().filter(|c| !c.is_whitespace()).nfc().collect())
}

/// Traditional → Simplified, skipped for text that cannot contain Han characters.
pub fn to_simplified(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(zhconv::zhconv(s, zhconv::Variant::ZhHans))
    }
}

/// A label as used for grouping and matching: width folded, spaces removed,
/// Simplified. `白水鎮 ` and `白水镇` are the same town.
pub fn normalize_label(s: &str) -> String {
    let folded = fold_width_and_space(s);
    to_simplified(&folded).into_owned()
}

/// Money units and their multipliers to 万元 (the unit of every money
/// figure out); `statbrief schema` prints this table.
pub const MONEY_UNITS: [(&str, f64); 8] = [
    ("万元", 1.0),
    ("万", 1.0),
    ("亿元", 10_000.0),
    ("亿", 10_000.0),
    ("元", 0.0001),
    ("千元", 0.1),
    ("百万元", 100.0),
    ("十万元", 10.0),
];

/// Money units, as multipliers to 万元 (the unit of every money figure out).
pub fn money_factor(unit: &str) -> Option<f64> {
    let u = unit.trim_start_matches("人民币");
    MONEY_UNITS.iter().find(|(name, _)| *name == u).map(|(_, f)| *f)
}

/// Outcome of reading a number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// A missing marker (`-` `—` `/` `无` or empty): null, never zero.
    Missing,
    /// The value, and a money unit written in the cell itself (`12.3亿元`), as
    /// a factor to 万元.
    Value(f64, Option<f64>),
    Invalid,
}

pub const MISSING_MARKERS: [&str; 9] = ["", "-", "--", "—", "——", "/", "无", "－", "–"];

pub fn is_missing_marker(s: &str) -> bool {
    MISSING_MARKERS.contains(&s)
}

/// Reads a number written as text. Units that may trail a number in a ledger
/// are cut; a money unit is returned so the caller can convert.
pub fn parse_number_text(raw: &str) -> Number {
    let folded = fold_width_and_space(raw);
    let s: &str = &folded;
    if is_missing_marker(s) {
        return Number::Missing;
    }
    let mut body: Cow<'_, str> = Cow::Borrowed(s);
    if body.contains(',') {
        body = Cow::Owned(body.replace(',', ""));
    }
    let mut inline_money = None;
    let mut rest: &str = &body;
    for (suffix, factor) in [
        ("亿元", Some(10_000.0)),
        ("万元", Some(1.0)),
        ("千元", Some(0.1)),
        ("元", Some(0.0001)),
        ("亿", Some(10_000.0)),
        ("万", Some(1.0)),
    ] {
        if let Some(stripped) = rest.strip_suffix(suffix) {
            rest = stripped;
            inline_money = factor;
            break;
        }
    }
    if inline_money.is_none() {
        for suffix in ["%", "个百分点", "个", "家", "人", "次", "项", "户", "件", "亩"] {
            if let Some(stripped) = rest.strip_suffix(suffix) {
                rest = stripped;
                break;
            }
        }
    }
    // Rust's float parser also accepts `inf`, `NaN` and `1e5`; a ledger number
    // is digits with at most a sign and a decimal point.
    let digits = rest.strip_prefix(['+', '-']).unwrap_or(rest);
    let valid = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && digits.bytes().filter(|b| *b == b'.').count() <= 1
        && digits.bytes().any(|b| b.is_ascii_digit());
    if !valid {
        return Number::Invalid;
    }
    match rest.parse::<f64>() {
        Ok(v) if v.is_finite() => Number::Value(v, inline_money),
        _ => Number::Invalid,
    }
}

/// Reads a number from any cell.
pub fn cell_number(cv: &Cv<'_>) -> Number {
    match cv {
        Cv::Empty => Number::Missing,
        Cv::Num(v) if v.is_finite() => Number::Value(*v, None),
        Cv::Num(_) => Number::Invalid,
        Cv::Text(s) => parse_number_text(s),
        Cv::Bool(_) | Cv::Date(..) | Cv::Error(_) => Number::Invalid,
    }
}

/// The 1900 date system's day zero, as Excel (with its 1900 leap-year bug) uses it.
fn excel_epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default()
}

/// An Excel serial number (1900 system) to a date. Serials up to 2958465 are
/// 9999-12-31, the last date Excel knows.
pub fn serial_to_date(serial: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    excel_epoch().checked_add_days(chrono::Days::new(serial.floor() as u64))
}

pub fn date_to_serial(d: NaiveDate) -> f64 {
    (d - excel_epoch()).num_days() as f64
}

/// Reads a date written as text in any of the ledger forms:
/// `2023-03-05` `2023/3/5` `2023.3.5` `2023年3月5日` `20230305`, with an
/// optional time part after the date.
pub fn parse_date_text(raw: &str) -> Option<NaiveDate> {
    // The form most ledgers use, `2023-03-05` (or with `/` or `.`), read at
    // fixed positions: a county's ledgers hold hundreds of thousands of date
    // cells, and the general reader below folds and scans each one. It gives
    // the same answer the general reader would (tested below).
    match iso_like_date(raw.as_bytes()) {
        Some(d) => d,
        None => general_date_text(raw),
    }
}

/// [`parse_date_text`] for every accepted form.
fn general_date_text(raw: &str) -> Option<NaiveDate> {
    // A time part (`2023-03-05 09:30:00`, `2023-03-05T09:30`) is dropped first.
    let date_part = match raw.find([':', '：']) {
        Some(colon) => raw[..colon].trim_end_matches(|c: char| c.is_ascii_digit()).trim_end().trim_end_matches('T'),
        None => raw,
    };
    let folded = fold_width_and_space(date_part);
    let s: &str = &folded;
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        let y = s[0..4].parse().ok()?;
        let m = s[4..6].parse().ok()?;
        let d = s[6..8].parse().ok()?;
        return NaiveDate::from_ymd_opt(y, m, d);
    }
    // Split into the first three digit runs; the separators must be one of
    // the accepted ones, so `3月上旬` or `2023-03` are not taken for a date.
    let mut parts = [0u32; 3];
    let mut n = 0;
    let mut chars = s.char_indices().peekable();
    // Exactly two separators are accepted, so a third ends the search.
    let mut seps = ['\0'; 2];
    let mut n_seps = 0;
    while let Some((i, c)) = chars.next() {
        if c.is_ascii_digit() {
            let mut end = i + 1;
            while let Some(&(j, d)) = chars.peek() {
                if d.is_ascii_digit() {
                    end = j + 1;
                    chars.next();
                } else {
                    break;
                }
            }
            if n == 3 {
                break;
            }
            parts[n] = s[i..end].parse().ok()?;
            n += 1;
        } else {
            if n == 3 {
                // Anything after the day must be a time part or the 日 suffix.
                if !(c == '日' || c == 'T' || c == ' ') {
                    return None;
                }
                break;
            }
            if n == 0 || n_seps == 2 {
                return None;
            }
            seps[n_seps] = c;
            n_seps += 1;
        }
    }
    if n != 3 {
        return None;
    }
    let ok_seps = n_seps == 2 && matches!(seps, ['-', '-'] | ['/', '/'] | ['.', '.'] | ['年', '月']);
    if !ok_seps || parts[0] < 1000 {
        return None;
    }
    NaiveDate::from_ymd_opt(parts[0] as i32, parts[1], parts[2])
}

/// `yyyy-mm-dd`, `yyyy/mm/dd` or `yyyy.mm.dd` with two-digit month and day:
/// `Some(the date, or None when there is no such day)`; `None` when the
/// text has another shape and needs the general reader.
fn iso_like_date(b: &[u8]) -> Option<Option<NaiveDate>> {
    if b.len() != 10 || !matches!(b[4], b'-' | b'/' | b'.') || b[7] != b[4] {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
    };
    let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    // The general reader refuses a year below 1000 (`0999-01-01`) too.
    Some(if y < 1000 { None } else { NaiveDate::from_ymd_opt(y as i32, m, d) })
}

/// Outcome of reading a date from a cell (SPEC §1.3).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DateValue {
    Missing,
    Value(NaiveDate),
    /// Only a year and month (`2023.3`, `2023年3月`): the first of that
    /// month, which the caller reports with a warning.
    YearMonth(NaiveDate),
    /// A whole number 1–365: in a deadline, that many days after the visit;
    /// in any other date column, a cell error.
    Days(i64),
    Invalid,
}

/// Dates a ledger can mean: an Excel serial is a date only when it lands
/// in these years, so a deadline typed as `15` is not 1900-01-15.
const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

fn plausible(d: NaiveDate) -> Option<NaiveDate> {
    PLAUSIBLE_YEARS.contains(&d.year()).then_some(d)
}

/// A number in a date column: a yyyymmdd integer, a plausible serial, a
/// year.month, or a small whole number of days.
fn number_date(v: f64) -> DateValue {
    if !v.is_finite() {
        return DateValue::Invalid;
    }
    // An 8-digit integer is a yyyymmdd date typed into a number cell.
    if (19_000_101.0..=99_991_231.0).contains(&v) && v.fract() == 0.0 {
        return match parse_date_text(&format!("{}", v as i64)) {
            Some(d) => DateValue::Value(d),
            None => DateValue::Invalid,
        };
    }
    // `2023.3` / `2023.03` typed as a number: year and month. (A number
    // cannot tell 2023.1 from 2023.10; it is read as January, with the
    // warning every year-month gets.)
    let year = v.trunc();
    if PLAUSIBLE_YEARS.contains(&(year as i32)) && v.fract() != 0.0 {
        let digits = format!("{v}");
        let month = digits.split_once('.').and_then(|(_, m)| m.parse::<u32>().ok());
        return match month.and_then(|m| NaiveDate::from_ymd_opt(year as i32, m, 1)) {
            Some(d) => DateValue::YearMonth(d),
            None => DateValue::Invalid,
        };
    }
    if let Some(d) = serial_to_date(v).and_then(plausible) {
        return DateValue::Value(d);
    }
    if v.fract() == 0.0 && (1.0..=365.0).contains(&v) {
        return DateValue::Days(v as i64);
    }
    DateValue::Invalid
}

/// `2023.3`, `2023.03`, `2023年3月`, `2023-03`, `2023/3`: a year and month only.
fn year_month_text(t: &str) -> Option<NaiveDate> {
    let folded = fold_width_and_space(t);
    let body = folded.trim_end_matches('份').trim_end_matches('月');
    let (y, m) = body.split_once(['.', '年', '-', '/'])?;
    let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
    NaiveDate::from_ymd_opt(y, m, 1).and_then(plausible)
}

pub fn cell_date(cv: &Cv<'_>) -> DateValue {
    match cv {
        Cv::Empty => DateValue::Missing,
        // A date cell whose value is no plausible date (a `15` in a cell
        // formatted as a date) is read as the number it holds.
        Cv::Date(serial, date) => match date.or_else(|| serial_to_date(*serial)).and_then(plausible) {
            Some(d) => DateValue::Value(d),
            None => number_date(*serial),
        },
        Cv::Num(v) => number_date(*v),
        Cv::Text(s) => {
            let t = s.trim();
            if is_missing_marker(t) {
                return DateValue::Missing;
            }
            if let Some(d) = parse_date_text(t) {
                return DateValue::Value(d);
            }
            if let Some(d) = year_month_text(t) {
                return DateValue::YearMonth(d);
            }
            // A number stored as text: a serial, or a number of days.
            if !t.is_empty() && t.len() <= 5 && t.bytes().all(|b| b.is_ascii_digit()) {
                if let Ok(v) = t.parse::<f64>() {
                    return number_date(v);
                }
            }
            DateValue::Invalid
        }
        Cv::Bool(_) | Cv::Error(_) => DateValue::Invalid,
    }
}

pub fn month_end(year: i32, month: u32) -> Option<NaiveDate> {
    let (ny, nm) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1).and_then(|d| d.pred_opt())
}

pub fn ym(d: NaiveDate) -> (i32, u32) {
    (d.year(), d.month())
}

/// GB 32100 (统一社会信用代码) check: 18 characters from the code set, the
/// last one the check character. Written here because no maintained crate
/// implements this Chinese standard.
pub fn uscc_is_valid(code: &str) -> bool {
    const CHARSET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    let bytes = code.as_bytes();
    if bytes.len() != 18 {
        return false;
    }
    let mut sum = 0u32;
    for (i, b) in bytes[..17].iter().enumerate() {
        match CHARSET.iter().position(|c| c == b) {
            Some(v) => sum += v as u32 * WEIGHTS[i],
            None => return false,
        }
    }
    let check = (31 - sum % 31) % 31;
    CHARSET.get(check as usize) == Some(&bytes[17])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trim_cell_is_trim() {
        // Every character at either end, beside an ASCII and a Han body.
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            for s in [format!("{c}x"), format!("x{c}"), format!("{c}镇{c}"), c.to_string()] {
                assert_eq!(trim_cell(&s), s.trim(), "{:?}", s);
            }
        }
        assert_eq!(trim_cell(""), "");
        assert_eq!(trim_cell("\u{3000}白水镇\u{00A0}"), "白水镇");
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn folding_twice_changes_nothing_when_a_space_held_a_combining_mark() {
        // `¨` is NFKC `space + U+0308`; with the space dropped the mark joins
        // `h` as `ḧ` (U+1E27), which a second fold must leave alone.
        let once = fold_width_and_space("h¨、").into_owned();
        assert_eq!(once, "\u{1E27}、");
        assert_eq!(fold_width_and_space(&once), once);
    }

    #[test]
    fn numbers_in_every_written_form() {
        assert_eq!(parse_number_text("1,234.5"), Number::Value(1234.5, None));
        assert_eq!(parse_number_text("１２３４"), Number::Value(1234.0, None));
        assert_eq!(parse_number_text("１，２３４．５"), Number::Value(1234.5, None));
        assert_eq!(parse_number_text(" 12.3万元 "), Number::Value(12.3, Some(1.0)));
        assert_eq!(parse_number_text("1.5亿元"), Number::Value(1.5, Some(10_000.0)));
        assert_eq!(parse_number_text("12.5%"), Number::Value(12.5, None));
        assert_eq!(parse_number_text("－3.2"), Number::Value(-3.2, None));
        assert_eq!(parse_number_text("+3.2"), Number::Value(3.2, None));
        for missing in ["", " ", "-", "—", "/", "－", "无", "　"] {
            assert_eq!(parse_number_text(missing), Number::Missing, "{missing:?}");
        }
        for bad in ["待定", "NaN", "inf", "1e5", "1.2.3", "约100", "#DIV/0!"] {
            assert_eq!(parse_number_text(bad), Number::Invalid, "{bad:?}");
        }
    }

    #[test]
    fn dates_in_every_written_form() {
        for s in [
            "2023-03-05",
            "2023/3/5",
            "2023.3.5",
            "2023年3月5日",
            "20230305",
            "2023-03-05 09:30:00",
            "2023-03-05T09:30",
            "２０２３年３月５日",
            "2023年 3月 5日",
        ] {
            assert_eq!(parse_date_text(s), Some(d(2023, 3, 5)), "{s}");
        }
        for s in ["三月上旬", "2023-03", "2023/13/1", "3/5/2023", "2023-3/5", "12345"] {
            assert_eq!(parse_date_text(s), None, "{s}");
        }
        // 44990 is 2023-03-05 in Excel's 1900 system.
        assert_eq!(cell_date(&Cv::Num(44990.0)), DateValue::Value(d(2023, 3, 5)));
        assert_eq!(cell_date(&Cv::Text("44990")), DateValue::Value(d(2023, 3, 5)));
        assert_eq!(cell_date(&Cv::Num(20230305.0)), DateValue::Value(d(2023, 3, 5)));
        assert_eq!(cell_date(&Cv::Date(44990.0, None)), DateValue::Value(d(2023, 3, 5)));
        assert_eq!(cell_date(&Cv::Text("—")), DateValue::Missing);
        assert_eq!(cell_date(&Cv::Text("待定")), DateValue::Invalid);
        assert_eq!(date_to_serial(d(2023, 3, 5)), 44990.0);
    }

    #[test]
    fn every_character_that_may_need_folding_starts_with_a_filtered_byte() {
        // Exhaustive over Unicode: the byte filter in fold_width_and_space
        // may pass a text on to the character test, never skip one it needs.
        let mut buf = [0u8; 4];
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32).filter(|&c| needs_fold(c)) {
            let lead = c.encode_utf8(&mut buf).as_bytes()[0];
            assert!(may_start_fold(lead), "U+{:04X}", c as u32);
        }
        assert_eq!(fold_width_and_space("城关镇 "), "城关镇");
        assert_eq!(fold_width_and_space("ＡＢ（１）"), "AB(1)");
        assert!(matches!(fold_width_and_space("城关镇"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_fixed_position_date_reader_agrees_with_the_general_one() {
        // Every separator, valid and impossible days and months, short
        // years: the fast path must never answer otherwise than the general
        // reader would.
        for sep in ['-', '/', '.'] {
            for y in ["2023", "2024", "0999", "1000", "9999"] {
                for m in ["00", "01", "02", "12", "13"] {
                    for d in ["00", "01", "28", "29", "30", "31", "32"] {
                        let s = format!("{y}{sep}{m}{sep}{d}");
                        assert_eq!(parse_date_text(&s), general_date_text(&s), "{s}");
                        assert!(iso_like_date(s.as_bytes()).is_some(), "{s} takes the fast path");
                    }
                }
            }
        }
        assert_eq!(parse_date_text("2024-02-29"), Some(d(2024, 2, 29)));
        assert_eq!(parse_date_text("2023-02-29"), None);
        // Other shapes go to the general reader.
        for s in ["2023-3-05", "2023-03/05", "2023-03-05 ", "２０２３-03-05", "2023年03月05"] {
            assert!(iso_like_date(s.as_bytes()).is_none(), "{s}");
        }
    }

    #[test]
    fn uscc_check_character() {
        // 91350100M000100Y43 is the worked example of GB 32100-2015.
        assert!(uscc_is_valid("91350100M000100Y43"));
        assert!(!uscc_is_valid("91350100M000100Y44"));
        assert!(!uscc_is_valid("91350100M000100Y4"));
        assert!(!uscc_is_valid("91350100M000100I43"));
    }

    #[test]
    fn labels_fold_width_and_traditional() {
        assert_eq!(normalize_label(" 白水鎮 "), "白水镇");
    }

    #[test]
    fn numbers_in_date_columns() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        // 45000 is 2023-03-15 in Excel's 1900 system.
        assert_eq!(cell_date(&Cv::Num(45000.0)), DateValue::Value(d(2023, 3, 15)));
        // A deadline typed as 15 is 15 days, not 1900-01-15.
        assert_eq!(cell_date(&Cv::Num(15.0)), DateValue::Days(15));
        assert_eq!(cell_date(&Cv::Date(15.0, Some(d(1900, 1, 15)))), DateValue::Days(15));
        assert_eq!(cell_date(&Cv::Num(2023.3)), DateValue::YearMonth(d(2023, 3, 1)));
        assert_eq!(cell_date(&Cv::Num(2023.03)), DateValue::YearMonth(d(2023, 3, 1)));
        assert_eq!(cell_date(&Cv::Num(2023.11)), DateValue::YearMonth(d(2023, 11, 1)));
        assert_eq!(cell_date(&Cv::Text("2023.3")), DateValue::YearMonth(d(2023, 3, 1)));
        assert_eq!(cell_date(&Cv::Text("2023年3月")), DateValue::YearMonth(d(2023, 3, 1)));
        assert_eq!(cell_date(&Cv::Text("20230305")), DateValue::Value(d(2023, 3, 5)));
        // Neither a plausible serial nor a day count nor a year.month.
        assert_eq!(cell_date(&Cv::Num(500.0)), DateValue::Invalid);
        assert_eq!(cell_date(&Cv::Num(2023.13)), DateValue::Invalid);
        assert_eq!(cell_date(&Cv::Num(-3.0)), DateValue::Invalid);
    }
}
