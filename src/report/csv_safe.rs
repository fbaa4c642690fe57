//! Tidy CSV that a spreadsheet cannot mistake for formulas.
//!
//! Analysts open the tidy CSV in Excel or WPS, which treat a field beginning
//! with `=`, `+`, `-` or `@` as a formula (and a leading tab or carriage
//! return can hide one). A project called `=HYPERLINK(…)` in a ledger would
//! then run on the analyst's machine. OWASP's CSV-injection guidance is to
//! prefix such a field with a single quote, which spreadsheets show as text;
//! that is done here for every text column of the CSV only. Parquet is read
//! by programs, not spreadsheets, and keeps the ledger's text exactly.

use polars::prelude::*;
use std::borrow::Cow;

/// The first bytes that make a spreadsheet read a field as a formula (all
/// ASCII, so a field starts with one when its first byte is one).
const TRIGGERS: [u8; 6] = [b'=', b'+', b'-', b'@', b'\t', b'\r'];

/// A field as it goes into the CSV: prefixed with `'` when it could be read as a formula.
pub fn neutralise_text(v: &str) -> Cow<'_, str> {
    if v.as_bytes().first().is_some_and(|b| TRIGGERS.contains(b)) {
        Cow::Owned(format!("'{v}"))
    } else {
        Cow::Borrowed(v)
    }
}

/// The frame with every text field that could start a formula prefixed.
/// Columns with no such field are not copied.
pub fn neutralise(df: &DataFrame) -> PolarsResult<DataFrame> {
    let mut out = df.clone();
    let names: Vec<PlSmallStr> =
        df.columns().iter().filter(|c| c.dtype() == &DataType::String).map(|c| c.name().clone()).collect();
    for name in names {
        let ca = df.column(name.as_str())?.as_materialized_series().str()?;
        if !may_start_with_trigger(ca) {
            continue;
        }
        let safe: StringChunked = ca.iter().map(|o| o.map(neutralise_text)).collect();
        out.with_column(safe.with_name(name).into_series().into_column())?;
    }
    Ok(out)
}

/// Whether any field of a text column may start with a trigger, read from
/// the string views' inline first four bytes: the text itself (a province's
/// visits hold 0.4 GB of it, which this scan used to read through) is not
/// touched. A null's view may hold anything; a false alarm only costs the
/// column's copy, since each field is then tested by [`neutralise_text`].
fn may_start_with_trigger(ca: &StringChunked) -> bool {
    ca.downcast_iter()
        .any(|arr| arr.views().iter().any(|v| v.length > 0 && TRIGGERS.contains(&v.prefix.to_le_bytes()[0])))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_formula_starts_are_prefixed() {
        for (raw, csv) in [
            ("=1+1", "'=1+1"),
            ("+86", "'+86"),
            ("-5", "'-5"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
        ] {
            assert_eq!(neutralise_text(raw), csv);
        }
        for plain in ["甲项目", "1=1", "a-b", ""] {
            assert_eq!(neutralise_text(plain), plain);
        }
    }

    #[test]
    fn columns_are_found_by_their_fields_first_bytes_short_or_long() {
        // A field of more than 12 bytes lives in a data buffer, a shorter one
        // inside its view: both must be found.
        let long = "=HYPERLINK(\"http://x\")";
        let df = df! {
            "long" => [Some("白水镇重点项目"), Some(long)],
            "short" => [Some("-5"), None],
            "plain" => [Some("甲项目名称很长很长很长"), None],
        }
        .unwrap();
        let safe = neutralise(&df).unwrap();
        let col = |n: &str| -> Vec<Option<String>> {
            safe.column(n).unwrap().str().unwrap().iter().map(|v| v.map(str::to_string)).collect()
        };
        assert_eq!(col("long"), [Some("白水镇重点项目".to_string()), Some(format!("'{long}"))]);
        assert_eq!(col("short"), [Some("'-5".to_string()), None]);
        assert_eq!(col("plain"), [Some("甲项目名称很长很长很长".to_string()), None]);
    }
}
