//! Ledger text made to fit one Excel cell.
//!
//! Excel holds at most 32,767 characters in a cell, and rust_xlsxwriter
//! refuses a longer string with an error that would stop the whole workbook.
//! A ledger can hold longer text (a pasted report in 问题描述), so text for
//! the workbook is cut to the limit with an ellipsis that says it was cut;
//! the tidy data keeps the whole text.

use std::borrow::Cow;

/// Excel's limit on the text of one cell, in UTF-16 units (its "characters").
pub const EXCEL_MAX_CHARS: usize = 32_767;

/// The text whole when it fits Excel's cell limit, else cut to it with `…`.
/// Excel counts UTF-16 units (a character outside the BMP, such as a rare
/// name character from CJK Extension B, counts two), and rust_xlsxwriter
/// refuses a longer string with an error that would fail the whole workbook.
pub fn fit(s: &str) -> Cow<'_, str> {
    // No character takes fewer UTF-8 bytes than UTF-16 units: a text of at
    // most 32,767 bytes fits without counting (nearly every cell).
    if s.len() <= EXCEL_MAX_CHARS {
        return Cow::Borrowed(s);
    }
    let mut units = 0;
    for (i, ch) in s.char_indices() {
        // Room is kept for the `…` (one unit).
        if units + ch.len_utf16() > EXCEL_MAX_CHARS - 1 {
            let rest_units: usize = s[i..].chars().map(char::len_utf16).sum();
            if units + rest_units <= EXCEL_MAX_CHARS {
                return Cow::Borrowed(s);
            }
            return Cow::Owned(format!("{}…", &s[..i]));
        }
        units += ch.len_utf16();
    }
    Cow::Borrowed(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_to_the_excel_limit() {
        let exact = "字".repeat(EXCEL_MAX_CHARS);
        assert!(matches!(fit(&exact), Cow::Borrowed(_)));
        let long = "字".repeat(EXCEL_MAX_CHARS + 1);
        let cut = fit(&long);
        assert_eq!(cut.chars().count(), EXCEL_MAX_CHARS);
        assert!(cut.ends_with("字…"));
        // 𠀀 (U+20000) is two UTF-16 units: 20,000 of them are 40,000 units,
        // cut to 16,383 of them (32,766 units) and the `…`.
        let astral = "𠀀".repeat(20_000);
        let cut = fit(&astral);
        assert_eq!(cut.encode_utf16().count(), 32_767);
        assert_eq!(cut.chars().count(), 16_384);
        // Exactly at the limit in units, with more bytes than the limit: whole.
        let exact = "𠀀".repeat(16_383) + "a";
        assert!(matches!(fit(&exact), Cow::Borrowed(_)));
    }
}
