//! An HTML page from bytes, as a web system's `.xls` export: html5ever, the
//! rowspan/colspan layout, and the sheet processor.
#![no_main]

use libfuzzer_sys::fuzz_target;
use statbrief::ingest::{html_table, workbook::FileContent};

fuzz_target!(|data: &[u8]| {
    if let FileContent::Sheets(sheets) = html_table::read_html("fuzz.xls", "fuzz", data) {
        for s in sheets {
            assert!(s.report.is_balanced(), "{:?}", s.report);
        }
    }
});
