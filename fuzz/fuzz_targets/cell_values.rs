//! The cell-value parsers on any text: numbers (separators, full-width,
//! units), dates (five written forms, serials), percentages, categorical
//! folds, header and label normalisation.
#![no_main]

use libfuzzer_sys::fuzz_target;
use statbrief::ingest::folds;
use statbrief::ingest::header::normalize_header;
use statbrief::ingest::values::{self, Cv};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = values::parse_number_text(text);
    let _ = values::parse_date_text(text);
    let _ = values::cell_number(&Cv::Text(text));
    let _ = values::cell_date(&Cv::Text(text));
    let _ = values::money_factor(text);
    let _ = folds::project_status(text);
    let _ = folds::category(text);
    let _ = folds::tier(text);
    let _ = folds::problem_status(text);
    let _ = folds::satisfaction(text);
    let _ = folds::says_no_problem(text);
    let _ = values::uscc_is_valid(text);
    let once = normalize_header(text);
    assert_eq!(normalize_header(&once.text).text, once.text, "header normalisation is not idempotent");
    let label = values::normalize_label(text);
    assert_eq!(values::normalize_label(&label), label, "label normalisation is not idempotent");
    if data.len() >= 8 {
        let v = f64::from_le_bytes(data[..8].try_into().unwrap_or([0; 8]));
        let _ = values::cell_number(&Cv::Num(v));
        let _ = values::cell_date(&Cv::Num(v));
        let _ = values::cell_date(&Cv::Date(v, None));
    }
});
