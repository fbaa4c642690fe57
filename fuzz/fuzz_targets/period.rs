//! The period parser on titles and file names, and `--period`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use statbrief::ingest::period;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(p) = period::parse_period_text(text) {
        assert!((1990..=2100).contains(&p.year) && p.month.is_some_and(|m| (1..=12).contains(&m)));
    }
    let _ = period::parse_year_text(text);
    let _ = period::parse_bare_year(text);
    let _ = statbrief::ingest::sheet::indicator_from_title(text);
    let _ = statbrief::stats::AsOf::parse(text);
});
