//! A CSV from bytes: encoding detection, NUL and line-break repair, the csv
//! crate, and the sheet processor (header search, every row rule). The row
//! accounting must balance whatever the bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use statbrief::ingest::workbook::{self, FileContent};

fuzz_target!(|data: &[u8]| {
    if let FileContent::Sheets(sheets) = workbook::read_csv("fuzz.csv", "fuzz", data) {
        for s in sheets {
            assert!(s.report.is_balanced(), "{:?}", s.report);
        }
    }
});
