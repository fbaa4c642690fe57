//! Column widths measured from content. Excel measures columns in digit
//! widths of the default font; a CJK character is about two of them, which
//! is what `unicode-width` reports, while `Worksheet::autofit` counts any
//! non-ASCII character as 8 pixels (one digit) and makes Chinese columns
//! half as wide as needed.

use super::formats::*;
use super::table::*;
use crate::report::wording::fmt_thousands;
use unicode_width::UnicodeWidthChar;

pub(super) fn units(s: &str) -> f64 {
    s.lines().map(line_units).fold(0.0, f64::max)
}

/// Width of one line in Excel width units (one unit = one digit of the
/// default 11 pt font). Wide (CJK and full-width) characters are measured
/// at 2.05: 14.7 px in Excel's CJK fallback font over a 7 px digit, a little
/// less in LibreOffice. Narrow Latin letters are narrower than a digit.
pub(super) fn line_units(line: &str) -> f64 {
    line.chars()
        .map(|ch| match UnicodeWidthChar::width(ch).unwrap_or(0) {
            0 => 0.0,
            1 if ch.is_ascii_digit() => 1.0,
            1 if ch.is_ascii_uppercase() => 1.15,
            1 if ch.is_ascii_lowercase() => 0.85,
            1 => 0.75,
            _ => 2.05,
        })
        .sum()
}

pub(super) fn cell_units(cell: &Cell, fmt: Fmt) -> f64 {
    let number = |v: f64, fmt: Fmt| match fmt {
        Fmt::Money => fmt_thousands(v, 2).len() as f64,
        Fmt::Pct => format!("{v:.1}").len() as f64,
        Fmt::Date => 10.0,
        _ => fmt_thousands(v, 0).len() as f64,
    };
    match cell {
        Cell::Empty => 0.0,
        Cell::Text(s) | Cell::Link(_, s) => units(s),
        Cell::Num(v) => number(*v, fmt),
        Cell::NumAs(v, f) => number(*v, *f),
        Cell::Date(_) => 10.0,
    }
}
