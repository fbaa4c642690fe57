//! Issue 9: the province shape of the sample, the overdue list moved out of
//! metrics.json into tidy files and a streamed sheet, and the progress bar
//! (shown in a terminal, silent in a pipe).

use statbrief::app;
use statbrief::sample::province::{generate_sized, ProvinceSize};
use std::process::Command;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/sample_data");

fn run(input: &std::path::Path, out: &std::path::Path) {
    let opts = app::RunOptions {
        input: input.to_path_buf(),
        out: out.to_path_buf(),
        period: Some("2025-12".into()),
        config: None,
        templates: None,
        strict: false,
        limits: statbrief::ingest::Limits::default(),
    };
    let outcome = app::run(&opts).expect("run");
    assert_eq!(outcome.exit_code, 0, "{:?}", outcome.stderr);
}

#[test]
fn a_small_province_gives_the_models_overdue_count_and_the_full_list_outside_metrics_json() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    // 1,000 visits a month: about 5,800 overdue at year end, past the
    // workbook's streaming threshold (5,000) and the JSON cap (1,000).
    let summary = generate_sized(&input, ProvinceSize { projects: 300, visits_per_month: 1000 }).unwrap();
    assert_eq!(summary.files, 37);
    // The model's own count (every open problem whose deadline is before
    // 31 December), not anything statbrief computed.
    let expected = summary.overdue_2025_12 as usize;
    assert!(expected > 5_000, "{expected}");
    let out = dir.path().join("out");
    run(&input, &out);

    // The set's statbrief.toml names a provincial office, so the documents
    // speak of the whole province (全省), not the default county.
    let article = std::fs::read_to_string(out.join("article.md")).unwrap();
    assert!(article.contains("全省") && !article.contains("全县"), "{article}");

    let m: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("metrics.json")).unwrap()).unwrap();
    assert_eq!(m["visits"]["overdue_count"].as_u64(), Some(expected as u64));
    assert_eq!(m["visits"]["problems"].as_u64(), Some(12_000));
    let listed = m["visits"]["overdue"].as_array().unwrap();
    assert_eq!(listed.len(), 1000);
    let days: Vec<i64> = listed.iter().map(|o| o["days_overdue"].as_i64().unwrap()).collect();
    assert!(days.windows(2).all(|w| w[0] >= w[1]), "worst first");

    // The CSV: a BOM, a header and one line per overdue problem.
    let csv = std::fs::read_to_string(out.join("data/overdue.csv")).unwrap();
    assert!(csv.starts_with('\u{feff}'));
    assert_eq!(csv.lines().count(), 1 + expected);
    assert!(csv.lines().next().unwrap().contains("days_overdue"));
    let pq = std::fs::File::open(out.join("data/overdue.parquet")).unwrap();
    use polars::prelude::SerReader;
    let df = polars::prelude::ParquetReader::new(pq).finish().unwrap();
    assert_eq!(df.height(), expected);

    // The workbook's 逾期督办 sheet (streamed) lists every one under its header.
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(out.join("briefing.xlsx")).unwrap();
    let range = book.worksheet_range("逾期督办").unwrap();
    let header = (0..range.height()).find(|&r| range.get((r, 0)).map(|c| c.to_string()) == Some("企业名称".into()));
    let header = header.expect("header row");
    let data_rows = (header + 1..range.height())
        .take_while(|&r| matches!(range.get((r, 5)), Some(calamine::Data::Float(_) | calamine::Data::Int(_))))
        .count();
    assert_eq!(data_rows, expected);
    // Its deadlines read as dates (the column's date format reaches the
    // unformatted cells), and each is its days overdue before 31 December
    // (docs/metrics.md: days_overdue = M 月末 − 办结时限).
    let year_end = chrono::NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();
    for r in header + 1..header + 1 + data_rows {
        let Some(calamine::Data::DateTime(d)) = range.get((r, 4)) else {
            panic!("row {r}: deadline {:?} is not a date", range.get((r, 4)))
        };
        let deadline = d.as_datetime().unwrap().date();
        let days = calamine::DataType::as_f64(range.get((r, 5)).unwrap()).unwrap() as i64;
        assert_eq!(deadline + chrono::Days::new(days as u64), year_end, "row {r}");
    }
    // Its header row is tall enough for the wrapped 逾期天数（天）: two lines
    // of 16 pt, as the ordinary sheets size their headers.
    let parts = crate::common::unzip(std::fs::read(out.join("briefing.xlsx")).unwrap());
    let sheet = parts
        .iter()
        .filter(|(n, _)| n.starts_with("xl/worksheets/sheet"))
        .map(|(_, xml)| String::from_utf8_lossy(xml))
        .find(|xml| xml.contains("逾期未办结问题督办清单"))
        .unwrap();
    let row3 = &sheet[sheet.find("<row r=\"3\"").unwrap()..];
    let tag = &row3[..row3.find('>').unwrap()];
    let ht: f64 = tag.split("ht=\"").nth(1).and_then(|s| s.split('"').next()).expect(tag).parse().unwrap();
    assert!(ht >= 32.0, "header row height {ht}");
    // The 督办颜色 cells (column G) are written without a format of their
    // own; each of their three colour rules draws the grid's border with
    // its fill, so the column is framed like the rest of the table.
    let styles = parts.iter().find(|(n, _)| *n == "xl/styles.xml").map(|(_, x)| String::from_utf8_lossy(x)).unwrap();
    let dxfs: Vec<&str> = styles.split("<dxf>").skip(1).map(|d| &d[..d.find("</dxf>").unwrap()]).collect();
    let colour_rules: Vec<usize> = sheet
        .split("<conditionalFormatting sqref=\"G")
        .skip(1)
        .flat_map(|block| {
            let block = &block[..block.find("</conditionalFormatting>").unwrap()];
            block.split("dxfId=\"").skip(1).map(|s| s.split('"').next().unwrap().parse::<usize>().unwrap())
        })
        .collect();
    assert_eq!(colour_rules.len(), 3, "蓝, 黄 and 红");
    for id in colour_rules {
        assert!(dxfs[id].contains("<fill>") && dxfs[id].contains("<border>"), "dxf {id}: {}", dxfs[id]);
    }
}

#[test]
fn progress_is_silent_in_a_pipe_and_verbose_logs_each_file() {
    let out = Command::new(env!("CARGO_BIN_EXE_statbrief")).args(["check", "--input", SAMPLE]).output().unwrap();
    assert!(out.status.success());
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = Command::new(env!("CARGO_BIN_EXE_statbrief")).args(["-v", "check", "--input", SAMPLE]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let files = walkdir_count(SAMPLE);
    assert_eq!(err.lines().filter(|l| l.starts_with("已读取 ") && l.contains("秒")).count(), files, "{err}");
    assert!(!err.contains('\u{1b}'), "no escape codes in a pipe");
}

fn walkdir_count(dir: &str) -> usize {
    let ledger = |p: &std::path::Path| {
        matches!(p.extension().and_then(|e| e.to_str()), Some("xlsx" | "xls" | "xlsb" | "ods" | "csv" | "xlsm"))
    };
    fn walk(d: &std::path::Path, f: &dyn Fn(&std::path::Path) -> bool) -> usize {
        std::fs::read_dir(d)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .map(|p| if p.is_dir() { walk(&p, f) } else { usize::from(f(&p)) })
            .sum()
    }
    walk(std::path::Path::new(dir), &ledger)
}

/// In a terminal (util-linux `script` gives the command a pseudo-terminal)
/// the bar is drawn while files are read, and cleared at the end: the last
/// thing on the terminal is the summary, not a half-drawn bar.
#[test]
fn the_bar_appears_in_a_terminal_and_ends_cleanly() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: no `script` (util-linux) on this machine; see scripts/progress_tty.sh");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("tty.log");
    let cmd = format!("{} check --input {SAMPLE}", env!("CARGO_BIN_EXE_statbrief"));
    let status = Command::new("script")
        .args(["-q", "-e", "-c", &cmd, log.to_str().unwrap()])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(status.status.success());
    let text = String::from_utf8_lossy(&std::fs::read(&log).unwrap()).to_string();
    assert!(text.contains("读取台账"), "the bar is drawn: {text}");
    // indicatif clears its line (ESC[2K) when the bar is finished and cleared.
    let last_bar = text.rfind("读取台账").unwrap();
    assert!(text[last_bar..].contains("\u{1b}[2K"), "the bar is cleared");
    // Quiet: no bar even in a terminal.
    let cmd = format!("{} --quiet check --input {SAMPLE}", env!("CARGO_BIN_EXE_statbrief"));
    Command::new("script").args(["-q", "-e", "-c", &cmd, log.to_str().unwrap()]).output().unwrap();
    let text = String::from_utf8_lossy(&std::fs::read(&log).unwrap()).to_string();
    assert!(!text.contains("读取台账"));
}
