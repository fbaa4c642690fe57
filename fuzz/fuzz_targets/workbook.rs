//! A workbook from bytes, in every format: the bytes go through the same
//! content sniffing and readers as a file in the input folder, under one of
//! the five extensions (the extension changes the notes and the CSV fallback).
//!
//! statbrief reads each file inside `catch_unwind` and reports a panic in
//! calamine as an unreadable file, so such a panic is not a finding; a
//! panic in statbrief's own code, a hang or a runaway allocation is.
#![no_main]

use libfuzzer_sys::fuzz_target;
use statbrief::ingest::sniff;

fuzz_target!(|data: &[u8]| {
    statbrief_fuzz_hook::contain_library_panics();
    // One extension per input, chosen by its length: a mutation that changes
    // the length tries the bytes under another name. Reading every input
    // under all five made each execution five times slower, and a sheet at
    // the size limit then took longer than the fuzzer's timeout.
    let ext = ["xlsx", "xls", "xlsb", "ods", "csv"][data.len() % 5];
    let _ = std::panic::catch_unwind(|| sniff::read_file("fuzz", "fuzz", ext, data));
});

#[path = "hook.rs"]
mod statbrief_fuzz_hook;
