//! Properties of the parsers (issue 10), checked with proptest on generated
//! input: nothing panics on any text or bytes, values written in a ledger's
//! forms read back as themselves, and normalising a header or label twice
//! changes nothing more than normalising it once. The fuzzer (`fuzz/`)
//! searches the same functions with coverage guidance; these run in CI.

use proptest::prelude::*;
use statbrief::ingest::header::normalize_header;
use statbrief::ingest::period::{parse_period_text, Period};
use statbrief::ingest::values::{
    self, normalize_label, parse_date_text, parse_number_text, Number,
};
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
