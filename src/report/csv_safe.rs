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

/// The characters that make a spreadsheet read a field as a formula.
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A field as it goes into the CSV: prefixed with `'` when it could be read as a formula.
pub fn neutralise_text(v: &str) -> Cow<'_, str> {
    if v.starts_with(TRIGGERS) {
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
        if !ca.iter().flatten().any(|v| v.starts_with(TRIGGERS)) {
            continue;
        }
        let safe: StringChunked = ca.iter().map(|o| o.map(neutralise_text)).collect();
        out.with_column(safe.with_name(name).into_series().into_column())?;
    }
    Ok(out)
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
}
