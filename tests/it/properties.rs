//! Properties of the parsers (issue 10), checked with proptest on generated
//! input: nothing panics on any text or bytes, values written in a ledger's
//! forms read back as themselves, and normalising a header or label twice
//! changes nothing more than normalising it once. The fuzzer (`fuzz/`)
//! searches the same functions with coverage guidance; these run in CI.

use proptest::prelude::*;
use statbrief::ingest::header::normalize_header;
use statbrief::ingest::period::{parse_period_text, Period};
use statbrief::ingest::values::{self, normalize_label, parse_date_text, parse_number_text, Number};
use statbrief::ingest::{sniff, workbook};
use statbrief::stats::AsOf;

/// Text that looks like ledger cells: CJK, digits, unit words, punctuation, spaces.
fn ledger_text() -> impl Strategy<Value = String> {
    proptest::string::string_regex(
        "[0-9０-９一二三四年月日季度上下半前全累计至底末\\-—–~./,，:：()（）【】\\[\\]%元万亿千个单位 \u{3000}\tA-Za-z甲乙合計總]{0,24}",
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn period_parser_never_panics(s in any::<String>(), t in ledger_text()) {
        for text in [&s, &t] {
            if let Some(p) = parse_period_text(text) {
                prop_assert!((1990..=2100).contains(&p.year));
                prop_assert!(p.month.is_some_and(|m| (1..=12).contains(&m)));
            }
            let _ = statbrief::ingest::period::parse_year_text(text);
            let _ = statbrief::ingest::period::parse_bare_year(text);
            let _ = AsOf::parse(text);
        }
    }

    #[test]
    fn periods_round_trip_through_their_written_forms(y in 1990i32..=2100, m in 1u32..=12) {
        let p = Period::month(y, m);
        prop_assert_eq!(parse_period_text(&p.to_string()), Some(p));
        prop_assert_eq!(parse_period_text(&format!("{y}年{m}月")), Some(p));
        prop_assert_eq!(parse_period_text(&format!("{y}年1-{m}月重点项目进展情况")), Some(p));
        prop_assert_eq!(parse_period_text(&format!("截至{y}年{m}月底")), Some(p));
        prop_assert_eq!(parse_period_text(&format!("{y}{m:02}")), Some(p));
    }

    #[test]
    fn cell_value_parsers_never_panic(s in any::<String>(), t in ledger_text(), v in any::<f64>()) {
        for text in [&s, &t] {
            let _ = parse_number_text(text);
            let _ = parse_date_text(text);
            let _ = values::cell_number(&values::Cv::Text(text));
            let _ = values::cell_date(&values::Cv::Text(text));
            let _ = values::money_factor(text);
        }
        let _ = values::cell_number(&values::Cv::Num(v));
        let _ = values::cell_date(&values::Cv::Num(v));
        let _ = values::cell_date(&values::Cv::Date(v, None));
        let _ = values::serial_to_date(v);
    }

    #[test]
    fn numbers_round_trip_with_separators_and_units(int in 0u64..10_000_000_000, cents in 0u32..100, neg: bool) {
        // 1234567.89 written plain, with thousands separators, and full-width.
        let plain = format!("{}{int}.{cents:02}", if neg { "-" } else { "" });
        let v: f64 = plain.parse().unwrap();
        prop_assert_eq!(parse_number_text(&plain), Number::Value(v, None));
        let grouped = group_thousands(&plain);
        prop_assert_eq!(parse_number_text(&grouped), Number::Value(v, None));
        prop_assert_eq!(parse_number_text(&format!("{plain}万元")), Number::Value(v, Some(1.0)));
        let wide: String = plain.chars().map(|c| if c.is_ascii_digit() { char::from_u32(c as u32 - 0x30 + 0xFF10).unwrap() } else { c }).collect();
        prop_assert_eq!(parse_number_text(&wide), Number::Value(v, None));
    }

    #[test]
    fn dates_round_trip_through_text_and_serials(days in 0i64..73_000) {
        // 1900-03-01 onwards (before it Excel's 1900 leap-year bug shifts serials).
        let d = chrono::NaiveDate::from_ymd_opt(1900, 3, 1).unwrap() + chrono::Duration::days(days);
        prop_assert_eq!(values::serial_to_date(values::date_to_serial(d)), Some(d));
        use chrono::Datelike;
        let (y, m, dd) = (d.year(), d.month(), d.day());
        for text in [format!("{y}-{m:02}-{dd:02}"), format!("{y}/{m}/{dd}"), format!("{y}.{m}.{dd}"), format!("{y}年{m}月{dd}日"), format!("{y}{m:02}{dd:02}")] {
            prop_assert_eq!(parse_date_text(&text), Some(d), "{}", text);
        }
    }

    #[test]
    fn header_normalisation_is_idempotent(s in any::<String>(), t in ledger_text()) {
        for text in [&s, &t] {
            let once = normalize_header(text);
            let twice = normalize_header(&once.text);
            prop_assert_eq!(&twice.text, &once.text, "{:?}", text);
            let label = normalize_label(text);
            prop_assert_eq!(normalize_label(&label), label.clone(), "{:?}", text);
        }
    }

    #[test]
    fn csv_and_sniffing_never_panic_and_rows_balance(bytes in proptest::collection::vec(any::<u8>(), 0..2048), text in ledger_text()) {
        let mut csv = "项目名称,所属地区,年度计划投资,本年累计完成投资\n".as_bytes().to_vec();
        csv.extend_from_slice(text.as_bytes());
        csv.extend_from_slice(&bytes);
        for input in [&bytes, &csv] {
            if let workbook::FileContent::Sheets(sheets) = workbook::read_csv("x.csv", "x", input) {
                for s in sheets {
                    prop_assert!(s.report.is_balanced(), "{:?}", s.report);
                }
            }
            let _ = sniff::content(input);
            let _ = statbrief::ingest::zip_guard::inspect(input);
        }
    }

    #[test]
    fn html_tables_never_panic(cells in proptest::collection::vec((ledger_text(), 0u32..5, 0u32..5), 0..40), raw in any::<String>()) {
        // Random rowspan/colspan (0 and garbage included) on random text.
        let mut page = String::from("<table><tr><td>项目名称</td><td>所属地区</td><td>年度计划投资</td><td>本年累计完成投资</td></tr><tr>");
        for (i, (t, rs, cs)) in cells.iter().enumerate() {
            page += &format!("<td rowspan=\"{rs}\" colspan=\"{cs}\">{t}</td>");
            if i % 4 == 3 {
                page += "</tr><tr>";
            }
        }
        page += "</tr></table>";
        for input in [page.as_str(), raw.as_str()] {
            if let workbook::FileContent::Sheets(sheets) = statbrief::ingest::html_table::read_html("x.xls", "x", input.as_bytes()) {
                for s in sheets {
                    prop_assert!(s.report.is_balanced(), "{:?}", s.report);
                }
            }
        }
    }
}

/// `1234567.89` → `1,234,567.89`.
fn group_thousands(plain: &str) -> String {
    let (sign, rest) = plain.strip_prefix('-').map_or(("", plain), |r| ("-", r));
    let (int, frac) = rest.split_once('.').unwrap_or((rest, ""));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if frac.is_empty() {
        format!("{sign}{out}")
    } else {
        format!("{sign}{out}.{frac}")
    }
}

/// A blind mutation fuzzer over the real readers, for machines where the
/// cargo-fuzz build (polars instrumented) is too slow: seeds from
/// `sample_data/` and `../shared/corpus/` get random bit flips, byte runs,
/// truncations, duplications and splices, and go through the same sniffing
/// and readers as an input folder, under every extension. A panic in
/// statbrief's own code fails the test; a panic inside a library is
/// contained, as `ingest` contains it. Each input is written to
/// `$STATBRIEF_SOAK_DIR/current` before it is read, so an input that hangs
/// or exhausts memory is left on disk.
///
/// Run: `STATBRIEF_SOAK_SECS=1800 cargo test --release --test it soak -- --ignored`.
#[test]
#[ignore]
fn soak_readers_with_mutated_workbooks() {
    let secs: u64 = std::env::var("STATBRIEF_SOAK_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(10);
    let dir =
        std::path::PathBuf::from(std::env::var("STATBRIEF_SOAK_DIR").unwrap_or_else(|_| "/tmp/statbrief-soak".into()));
    std::fs::create_dir_all(&dir).unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut seeds: Vec<Vec<u8>> = Vec::new();
    for base in [root.join("sample_data"), root.join("../shared/corpus")] {
        for e in walkdir::WalkDir::new(base).into_iter().flatten() {
            if e.file_type().is_file() && e.metadata().map(|m| m.len() < 600_000).unwrap_or(false) {
                seeds.push(std::fs::read(e.path()).unwrap());
            }
        }
    }
    assert!(!seeds.is_empty());
    let ours = std::sync::Arc::new(std::sync::Mutex::new(None::<String>));
    let hook_ours = ours.clone();
    std::panic::set_hook(Box::new(move |info| {
        let file = info.location().map(|l| l.file().to_string()).unwrap_or_default();
        if !file.contains(".cargo/registry") && !file.contains("/rustc/") {
            *hook_ours.lock().unwrap() = Some(format!("{info}"));
        }
    }));
    let mut rng: u64 =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1;
    let mut next = move |n: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % n.max(1) as u64) as usize
    };
    let started = std::time::Instant::now();
    let mut runs = 0u64;
    while started.elapsed().as_secs() < secs {
        let mut data = seeds[next(seeds.len())].clone();
        for _ in 0..1 + next(8) {
            mutate(&mut data, &seeds, &mut next);
        }
        std::fs::write(dir.join("current"), &data).unwrap();
        let ext = ["xlsx", "xls", "xlsb", "ods", "csv"][next(5)];
        let t = std::time::Instant::now();
        let _ = std::panic::catch_unwind(|| sniff::read_file("soak", "soak", ext, &data));
        let ours_now = ours.lock().unwrap().take();
        if let Some(msg) = ours_now {
            let kept = dir.join(format!("crash-{runs}.{ext}"));
            std::fs::write(&kept, &data).unwrap();
            panic!("panic in statbrief on {}: {msg}", kept.display());
        }
        if t.elapsed().as_secs() >= 10 {
            std::fs::write(dir.join(format!("slow-{runs}.{ext}")), &data).unwrap();
        }
        runs += 1;
    }
    let _ = std::panic::take_hook();
    eprintln!("soak: {runs} inputs in {secs} s");
}

fn mutate(data: &mut Vec<u8>, seeds: &[Vec<u8>], next: &mut impl FnMut(usize) -> usize) {
    let len = data.len();
    match next(6) {
        0 if len > 0 => {
            let i = next(len);
            data[i] ^= 1 << next(8);
        }
        1 if len > 0 => {
            let i = next(len);
            let run = 1 + next(64.min(len - i));
            let b = [0u8, 0xFF, b'<', b'"', b'9', b'\n'][next(6)];
            data[i..i + run].fill(b);
        }
        2 => data.truncate(next(len + 1)),
        3 if len > 0 => {
            let i = next(len);
            let j = (i + 1 + next(4096)).min(len);
            let chunk = data[i..j].to_vec();
            let at = next(len);
            data.splice(at..at, chunk);
        }
        4 => {
            let other = &seeds[next(seeds.len())];
            if !other.is_empty() {
                let i = next(other.len());
                let j = (i + 1 + next(8192)).min(other.len());
                let at = next(len + 1);
                data.splice(at..at, other[i..j].iter().copied());
            }
        }
        _ if len > 4 => {
            // A plausible size field: a 32-bit little-endian number somewhere.
            let i = next(len - 4);
            let v = [0u32, 1, 0xFFFF, 0x7FFF_FFFF, 0xFFFF_FFFF, next(1 << 20) as u32][next(6)];
            data[i..i + 4].copy_from_slice(&v.to_le_bytes());
        }
        _ => {}
    }
}
