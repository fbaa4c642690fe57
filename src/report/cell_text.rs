//! Ledger text made to fit one Excel cell.
//!
//! Excel holds at most 32,767 characters in a cell, and rust_xlsxwriter
//! refuses a longer string with an error that would stop the whole workbook.
//! A ledger can hold longer text (a pasted report in 问题描述), so text for
//! the workbook is cut to the limit with an ellipsis that says it was cut;
//! the tidy data keeps the whole text.

use std::borrow::Cow;

/// Excel's limit on the characters of one cell.
pub const EXCEL_MAX_CHARS: usize = 32_767;

/// The text whole when it fits, else its first 32,766 characters and `…`.
pub fn fit(s: &str) -> Cow<'_, str> {
    match s.char_indices().nth(EXCEL_MAX_CHARS) {
        None => Cow::Borrowed(s),
        Some(_) => {
            let cut = s.char_indices().nth(EXCEL_MAX_CHARS - 1).map_or(s.len(), |(i, _)| i);
            Cow::Owned(format!("{}…", &s[..cut]))
        }
    }
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
    }
}
