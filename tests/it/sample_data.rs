//! `sample_data/` end to end, against the generator's own account of what it
//! wrote (`sample_data/expected.json`): the intended kind, period and row
//! accounting of every sheet, the planted bad cells, and key figures the
//! generator computed from its ground truth — independently of the parser
//! and the statistics.

use serde_json::Value;
use statbrief::config::Config;
use statbrief::ingest;
use statbrief::quality::Severity;
use statbrief::stats::{self, AsOf};
use std::collections::BTreeSet;
use std::path::Path;

fn sample_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/sample_data"))
}

fn expected() -> Value {
    let text = std::fs::read_to_string(sample_dir().join("expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn close(a: Option<f64>, b: f64, what: &str) {
    let a = a.unwrap_or_else(|| panic!("{what} is null, expected {b}"));
    assert!((a - b).abs() <= 1e-6 * b.abs().max(1.0), "{what} = {a}, expected {b}");
}

#[test]
fn check_accounts_for_every_sheet_as_the_generator_intended() {
    let ingested = ingest::ingest(sample_dir()).unwrap();
    let want = expected();
    let files = want["files"].as_array().unwrap();
    assert_eq!(ingested.quality.files.len(), files.len(), "number of files");
    for wf in files {
        let path = wf["path"].as_str().unwrap();
        let got = ingested.quality.files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("{path} not read"));
        assert_eq!(got.error, None, "{path}");
        for ws in wf["sheets"].as_array().unwrap() {
            let name = ws["sheet"].as_str().unwrap();
            let s = got.sheets.iter().find(|s| s.sheet == name).unwrap_or_else(|| panic!("{path}!{name} missing"));
            let kind = s.kind.map(|k| k.as_str().to_string());
            assert_eq!(kind.as_deref(), ws["kind"].as_str(), "{path}!{name} kind");
            if ws["kind"].is_null() {
                assert!(s.skipped_reason.is_some(), "{path}!{name} must be skipped with a reason");
                continue;
            }
            assert_eq!(s.period.as_deref(), ws["period"].as_str(), "{path}!{name} period");
            assert_eq!(s.hidden, ws["hidden"].as_bool().unwrap_or(false), "{path}!{name} hidden");
            for field in ["rows", "accepted", "blank", "total_rows", "rejected"] {
                let got_v = match field {
                    "rows" => s.rows,
                    "accepted" => s.accepted,
                    "blank" => s.blank,
                    "total_rows" => s.total_rows,
                    _ => s.rejected,
                };
                assert_eq!(Some(got_v), ws[field].as_u64(), "{path}!{name} {field}");
            }
            assert!(s.is_balanced(), "{path}!{name} rows must balance");
        }
    }
}

#[test]
fn the_only_rejections_are_the_planted_cells() {
    let ingested = ingest::ingest(sample_dir()).unwrap();
    let want: BTreeSet<(String, String, String, String)> = expected()["rejections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or("").to_string();
            (s("file"), s("sheet"), s("cell"), s("column"))
        })
        .collect();
    let got: BTreeSet<(String, String, String, String)> = ingested
        .quality
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Error && i.message.contains("该行未计入"))
        .map(|i| {
            (
                i.file.clone(),
                i.sheet.clone().unwrap_or_default(),
                i.cell.clone().unwrap_or_default(),
                i.column.map(|c| c.name().to_string()).unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(got, want);
    // Each rejection names its cell in a Chinese sentence.
    for i in
        ingested.quality.issues.iter().filter(|i| i.severity == Severity::Error && i.message.contains("该行未计入"))
    {
        let cell = i.cell.as_deref().unwrap_or("");
        assert!(i.message.starts_with(cell), "{}", i.message);
    }
    assert_eq!(ingested.quality.rejected_rows() as usize, want.len());
}

#[test]
fn every_planted_warning_names_its_cell_and_the_re_sent_file_names_both() {
    // The statistics add their own warnings (合计与分项之和不符 is found
    // when May is computed), so the issues are those of a May report.
    let ingested = ingest::ingest(sample_dir()).unwrap();
    let report = stats::compute(&ingested, AsOf::parse("2025-05").unwrap(), &Config::default()).unwrap();
    let issues = &report.data_quality.issues;
    let want = expected();
    let planted = want["planted_issues"].as_array().unwrap();
    for p in planted.iter().filter(|p| p["cell"].is_string()) {
        let (file, sheet, cell) = (p["file"].as_str(), p["sheet"].as_str(), p["cell"].as_str());
        assert!(
            issues
                .iter()
                .any(|i| Some(i.file.as_str()) == file && i.sheet.as_deref() == sheet && i.cell.as_deref() == cell),
            "no issue at the planted {p}"
        );
    }
    // Planted classes of issue 8 that the sample must carry.
    for kind in ["deadline_days", "no_problem_words", "resolved_after_period", "resent_ledger"] {
        assert!(planted.iter().any(|p| p["kind"] == kind), "{kind} not planted");
    }
    let resent = "重点项目/2025年6月重点项目台账（修订）.xlsx";
    assert!(
        issues.iter().any(|i| (i.file == resent || i.message.contains("（修订）"))
            && i.message.contains("2025年6月重点项目台账.xlsx")
            && i.severity == Severity::Warning),
        "the re-sent ledger's warning must name both files"
    );
}

#[test]
fn first_half_figures_match_the_generators_truth() {
    let ingested = ingest::ingest(sample_dir()).unwrap();
    let report = stats::compute(&ingested, AsOf::parse("2025H1").unwrap(), &Config::default()).unwrap();
    let truth = &expected()["truth_2025_06"];
    let p = &truth["projects"];
    let t = &report.projects.total;
    assert_eq!(t.count, p["count"].as_i64().unwrap());
    close(t.plan, p["plan_year"].as_f64().unwrap(), "plan");
    close(t.done, p["done_ytd"].as_f64().unwrap(), "done");
    close(t.completion_rate, p["completion_rate"].as_f64().unwrap(), "completion_rate");
    assert_eq!(t.new_starts, p["new_starts"].as_i64().unwrap(), "new_starts");
    assert_eq!(t.started, p["started"].as_i64().unwrap(), "started");
    for r in p["by_region"].as_array().unwrap() {
        let name = r["region"].as_str().unwrap();
        let g = report.projects.by_region.iter().find(|g| g.label == name).unwrap_or_else(|| panic!("{name}"));
        assert_eq!(g.figures.count, r["count"].as_i64().unwrap(), "{name} count");
        close(g.figures.done, r["done"].as_f64().unwrap(), name);
        close(g.figures.completion_rate, r["completion_rate"].as_f64().unwrap(), name);
        assert_eq!(g.figures.flag.map(|f| f.as_str()), r["flag"].as_str(), "{name} flag");
    }
    let v = &truth["visits"];
    let got = &report.visits;
    for (field, value) in [
        ("visits", got.visits),
        ("enterprises", got.enterprises),
        ("cadres", got.cadres),
        ("problems", got.problems),
        ("resolved", got.resolved),
        ("in_progress", got.in_progress),
        ("unresolvable", got.unresolvable),
    ] {
        assert_eq!(Some(value), v[field].as_i64(), "visits.{field}");
    }
    let colours = |c: &str| got.overdue.iter().filter(|o| o.colour.as_str() == c).count() as i64;
    assert_eq!(Some(colours("蓝")), v["overdue_blue"].as_i64(), "蓝");
    assert_eq!(Some(colours("黄")), v["overdue_yellow"].as_i64(), "黄");
    assert_eq!(Some(colours("红")), v["overdue_red"].as_i64(), "红");
    for ind in truth["indicators"].as_array().unwrap() {
        let name = ind["indicator"].as_str().unwrap();
        let whole = report
            .indicators
            .iter()
            .find(|i| i.indicator == name && i.region == "全部")
            .unwrap_or_else(|| panic!("{name}"));
        match ind["ytd"].as_f64() {
            Some(ytd) => {
                close(whole.ytd, ytd, name);
                let ly = ind["ytd_ly"].as_f64().unwrap();
                close(whole.ytd_ly, ly, name);
                // SPEC §2.2: 同口径 where a town lacks last year's value.
                close(whole.growth, ind["growth"].as_f64().unwrap(), name);
            }
            None => close(whole.growth, ind["total_growth_reported"].as_f64().unwrap(), name),
        }
    }
}

/// Every file below `dir`, relative, sorted.
fn files_below(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn the_generator_still_writes_the_committed_sample() {
    // The committed files are what every other test reads: if the generator
    // drifted from them, `statbrief sample` would no longer reproduce the
    // data the figures were checked on.
    let tmp = tempfile::tempdir().unwrap();
    statbrief::sample::generate(tmp.path(), 1).unwrap();
    let committed = files_below(sample_dir());
    assert_eq!(files_below(tmp.path()), committed, "the generator writes other files than sample_data/ has");
    for rel in &committed {
        let want = std::fs::read(sample_dir().join(rel)).unwrap();
        let got = std::fs::read(tmp.path().join(rel)).unwrap();
        assert!(got == want, "{} differs from what the generator writes now", rel.display());
    }
}

#[test]
fn a_scaled_sample_keeps_every_header_cell_of_its_wide_sheet() {
    // A scaled sample is streamed (low-memory mode), where a cell
    // written to a row above the current one is dropped (with only a line
    // on stderr). The April wide sheet's group cells sit in row 2, above
    // their sub-headers: they must all be there.
    let tmp = tempfile::tempdir().unwrap();
    statbrief::sample::generate(tmp.path(), 2).unwrap();
    use calamine::Reader;
    let wide = files_below(tmp.path())
        .into_iter()
        .map(|rel| tmp.path().join(rel))
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .find_map(|p| {
            let mut book: calamine::Xlsx<_> = calamine::open_workbook(&p).ok()?;
            book.worksheet_range("各乡镇").ok()
        })
        .expect("the wide sheet");
    let text = |r: u32, c: u32| wide.get_value((r, c)).map(|v| v.to_string()).unwrap_or_default();
    assert_eq!(text(1, 0), "地区");
    assert_eq!(text(1, 1), "固定资产投资（万元）");
    assert_eq!(text(1, 5), "一般公共预算收入（万元）");
    assert_eq!(text(2, 4), "增速（%）");
    assert_eq!(text(2, 8), "增速（%）");
}
