//! Ledgers sent one file per town, without a region column (issue 16, SPEC
//! §1.4 "One file per town"): the region from the title, the sheet name, the
//! folder or the file name; ambiguity warned about; a sheet that names no
//! region skipped with a warning, named in `run`'s summary, failing `--strict`.
//!
//! The towns' projects (万元), and their figures worked out by hand:
//! - 城关镇: XM01 plan 100 done 60, XM02 plan 200 done 50 → plan 300, done 110, rate 36.666…
//! - 白水镇: XM03 plan 400 done 100 → plan 400, done 100, rate 25
//! - 东河镇: XM04 plan 50 done 40, XM05 plan 150 done 20 → plan 200, done 60, rate 30
//! - 桃源乡: XM06 plan 100 done 90 → plan 100, done 90, rate 90
//!
//! Whole: plan 1000, done 360, rate 36.

use crate::common::*;
use statbrief::config::Config;
use statbrief::model::Report;
use statbrief::quality::Severity;
use statbrief::stats::{self, AsOf};
use std::path::Path;
use std::process::Command;

type Project = (&'static str, &'static str, f64, f64);

const TOWNS: [(&str, &[Project]); 4] = [
    ("城关镇", &[("XM01", "城关物流园", 100.0, 60.0), ("XM02", "城关污水厂", 200.0, 50.0)]),
    ("白水镇", &[("XM03", "白水光伏电站", 400.0, 100.0)]),
    ("东河镇", &[("XM04", "东河大桥", 50.0, 40.0), ("XM05", "东河农贸城", 150.0, 20.0)]),
    ("桃源乡", &[("XM06", "桃源民宿群", 100.0, 90.0)]),
];

/// (town, plan, done, completion rate), by hand from the table above.
const BY_REGION: [(&str, f64, f64, f64); 4] = [
    ("城关镇", 300.0, 110.0, 110.0 / 300.0 * 100.0),
    ("白水镇", 400.0, 100.0, 25.0),
    ("东河镇", 200.0, 60.0, 30.0),
    ("桃源乡", 100.0, 90.0, 90.0),
];

const HEADER: [&str; 4] = ["项目编号", "项目名称", "年度计划投资", "本年累计完成投资"];

/// A town's sheet without a region column: title rows, header, its projects.
fn town_sheet(name: &str, titles: &[&str], projects: &[Project]) -> Sheet {
    let mut s = Sheet::new(name);
    for t in titles {
        s = s.row(row![*t]);
    }
    s = s.row(HEADER.iter().map(|h| X::from(*h)).collect());
    for (id, n, plan, done) in projects {
        s = s.row(row![*id, *n, *plan, *done]);
    }
    s
}

fn projects_of(town: &str) -> &'static [Project] {
    TOWNS.iter().find(|(t, _)| *t == town).map(|(_, p)| *p).unwrap()
}

fn report(dir: &Path) -> Report {
    let ingested = run(dir);
    stats::compute(&ingested, AsOf::parse("2025-03").unwrap(), &Config::default()).unwrap()
}

fn assert_by_region(r: &Report, expected: &[(&str, f64, f64, f64)]) {
    let got: Vec<_> = r.projects.by_region.iter().map(|g| g.label.as_str()).collect();
    let mut want: Vec<_> = expected.iter().map(|e| e.0).collect();
    want.sort();
    let mut sorted = got.clone();
    sorted.sort();
    assert_eq!(sorted, want, "regions");
    for (town, plan, done, rate) in expected {
        let g = r.projects.by_region.iter().find(|g| g.label == *town).unwrap();
        assert_eq!(g.figures.plan, Some(*plan), "{town} plan");
        assert_eq!(g.figures.done, Some(*done), "{town} done");
        let got = g.figures.completion_rate.unwrap();
        assert!((got - rate).abs() < 1e-9, "{town} rate {got} vs {rate}");
    }
}

#[test]
fn each_source_of_the_region_gives_the_towns_figures() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Title (a county template's unit line above it), sheet name, file name, folder.
    xlsx(
        d,
        "a.xlsx",
        &[town_sheet("Sheet1", &["城关镇2025年1-3月重点项目进展情况", "单位：万元"], projects_of("城关镇"))],
    );
    xlsx(d, "b.xlsx", &[town_sheet("白水镇", &["2025年1-3月重点项目进展情况"], projects_of("白水镇"))]);
    xlsx(
        d,
        "东河镇_2025-03_重点项目.xlsx",
        &[town_sheet("3月", &["2025年1-3月重点项目进展情况"], projects_of("东河镇"))],
    );
    xlsx(
        d,
        "各乡镇/桃源乡/2025-03_重点项目.xlsx",
        &[town_sheet("3月", &["2025年1-3月重点项目进展情况"], projects_of("桃源乡"))],
    );
    let ingested = run(d);
    let from = |file: &str, name: &str| sheet(&ingested, file, name).region_from.clone();
    assert_eq!(from("a.xlsx", "Sheet1").as_deref(), Some("地区取自标题「城关镇」"));
    assert_eq!(from("b.xlsx", "白水镇").as_deref(), Some("地区取自工作表名「白水镇」"));
    assert_eq!(from("东河镇_2025-03_重点项目.xlsx", "3月").as_deref(), Some("地区取自文件名「东河镇」"));
    assert_eq!(from("各乡镇/桃源乡/2025-03_重点项目.xlsx", "3月").as_deref(), Some("地区取自文件夹「桃源乡」"));
    // The check's JSON says it too.
    let json = serde_json::to_value(&ingested.quality).unwrap();
    assert_eq!(json["files"][0]["sheets"][0]["region_from"], "地区取自标题「城关镇」");
    // And the check table, under the sheet.
    let table = statbrief::report::console::render_check(&ingested.quality);
    assert!(table.contains("地区取自文件夹「桃源乡」"), "{table}");
    // No warning: every file names exactly one town.
    let warnings: Vec<_> = ingested.quality.issues.iter().filter(|i| i.severity != Severity::Info).collect();
    assert!(warnings.is_empty(), "{warnings:#?}");
    let r = stats::compute(&ingested, AsOf::parse("2025-03").unwrap(), &Config::default()).unwrap();
    assert_by_region(&r, &BY_REGION);
    assert_eq!((r.projects.total.plan, r.projects.total.done), (Some(1000.0), Some(360.0)));
    assert_eq!(r.projects.total.count, 6);
}

#[test]
fn a_folder_of_town_ledgers_gives_the_figures_of_one_combined_ledger() {
    let towns = tempfile::tempdir().unwrap();
    for (town, projects) in TOWNS {
        let name = format!("{town}/2025-03_重点项目.xlsx");
        xlsx(towns.path(), &name, &[town_sheet("Sheet1", &["2025年1-3月重点项目进展情况"], projects)]);
    }
    let combined = tempfile::tempdir().unwrap();
    let mut s = Sheet::new("Sheet1").row(row!["2025年1-3月重点项目进展情况"]).row(row![
        "项目编号",
        "项目名称",
        "所属地区",
        "年度计划投资",
        "本年累计完成投资"
    ]);
    for (town, projects) in TOWNS {
        for (id, n, plan, done) in projects {
            s = s.row(row![*id, *n, town, *plan, *done]);
        }
    }
    xlsx(combined.path(), "2025-03_重点项目.xlsx", &[s]);
    let (a, b) = (report(towns.path()), report(combined.path()));
    assert_by_region(&a, &BY_REGION);
    assert_by_region(&b, &BY_REGION);
    assert_eq!(a.projects.by_region, b.projects.by_region);
    assert_eq!(a.projects.total, b.projects.total);
}

#[test]
fn a_county_title_over_a_towns_file_takes_the_town() {
    // A town sends back the county's template with the county's title
    // unchanged; the town is only in the file name.
    let dir = tempfile::tempdir().unwrap();
    let titles = ["青山县2025年1-3月重点项目进展情况"];
    xlsx(dir.path(), "白水镇_重点项目.xlsx", &[town_sheet("Sheet1", &titles, projects_of("白水镇"))]);
    let ingested = run(dir.path());
    let s = sheet(&ingested, "白水镇_重点项目.xlsx", "Sheet1");
    assert_eq!(s.region_from.as_deref(), Some("地区取自文件名「白水镇」"));
    let r = stats::compute(&ingested, AsOf::parse("2025-03").unwrap(), &Config::default()).unwrap();
    assert_by_region(&r, &[BY_REGION[1]]);
}

#[test]
fn two_towns_in_a_title_are_ambiguous() {
    let dir = tempfile::tempdir().unwrap();
    let titles = ["白水镇、东河镇2025年1-3月重点项目进展情况"];
    xlsx(dir.path(), "x.xlsx", &[town_sheet("Sheet1", &titles, projects_of("白水镇"))]);
    let ingested = run(dir.path());
    let s = sheet(&ingested, "x.xlsx", "Sheet1");
    assert_eq!((s.kind, s.accepted), (None, 0));
    let w = issues_of(&ingested, "x.xlsx", "Sheet1", Severity::Warning);
    assert_eq!(w.len(), 1, "{w:#?}");
    assert!(w[0].message.contains("「白水镇」和「东河镇」"), "{}", w[0].message);
    assert!(w[0].message.contains("所属地区"), "{}", w[0].message);
}

#[test]
fn a_title_naming_another_town_than_the_region_column_warns_and_the_column_wins() {
    let dir = tempfile::tempdir().unwrap();
    let s = Sheet::new("Sheet1")
        .row(row!["城关镇2025年1-3月重点项目进展情况"])
        .row(row!["项目编号", "项目名称", "所属地区", "年度计划投资", "本年累计完成投资"])
        .row(row!["XM03", "白水光伏电站", "白水镇", 400.0, 100.0]);
    xlsx(dir.path(), "城关镇.xlsx", &[s]);
    let ingested = run(dir.path());
    assert_eq!(sheet(&ingested, "城关镇.xlsx", "Sheet1").region_from, None);
    let w = issues_of(&ingested, "城关镇.xlsx", "Sheet1", Severity::Warning);
    assert_eq!(w.len(), 1, "{w:#?}");
    assert!(w[0].message.contains("「城关镇」") && w[0].message.contains("「白水镇」"), "{}", w[0].message);
    let r = stats::compute(&ingested, AsOf::parse("2025-03").unwrap(), &Config::default()).unwrap();
    assert_by_region(&r, &[BY_REGION[1]]);
}

#[test]
fn a_title_and_a_file_name_naming_two_towns_warn_and_the_title_wins() {
    let dir = tempfile::tempdir().unwrap();
    let titles = ["东河镇2025年1-3月重点项目进展情况"];
    xlsx(dir.path(), "白水镇_2025-03.xlsx", &[town_sheet("Sheet1", &titles, projects_of("东河镇"))]);
    let ingested = run(dir.path());
    let w = issues_of(&ingested, "白水镇_2025-03.xlsx", "Sheet1", Severity::Warning);
    assert_eq!(w.len(), 1, "{w:#?}");
    assert!(w[0].message.contains("「东河镇」") && w[0].message.contains("「白水镇」"), "{}", w[0].message);
    let r = stats::compute(&ingested, AsOf::parse("2025-03").unwrap(), &Config::default()).unwrap();
    assert_by_region(&r, &[BY_REGION[2]]);
}

#[test]
fn region_order_names_a_town_without_a_town_ending() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("statbrief.toml"), "region_order = [\"工业园\", \"城关镇\"]\n").unwrap();
    let titles = ["2025年1-3月工业园重点项目进展情况"];
    xlsx(dir.path(), "x.xlsx", &[town_sheet("Sheet1", &titles, projects_of("白水镇"))]);
    let ingested = run(dir.path());
    assert_eq!(sheet(&ingested, "x.xlsx", "Sheet1").region_from.as_deref(), Some("地区取自标题「工业园」"));
}

#[test]
fn visits_of_a_town_take_its_region() {
    let dir = tempfile::tempdir().unwrap();
    let s = Sheet::new("走访")
        .row(row!["东河镇2025年1-3月走访问题台账"])
        .row(row!["走访日期", "走访干部", "企业名称", "问题描述", "办理状态"])
        .row(row!["2025-03-02", "张三", "东河建材", "融资难", "已解决"])
        .row(row!["2025-03-05", "李四", "东河米业", "用工缺口", "办理中"]);
    xlsx(dir.path(), "走访.xlsx", &[s]);
    let ingested = run(dir.path());
    let recs = sheet_records(&ingested, statbrief::model::Kind::Visits, "走访.xlsx", "走访");
    assert_eq!(strs(&recs, "region"), texts(&["东河镇", "东河镇"]));
}

/// A folder where the projects ledger names no region anywhere, beside a
/// usable indicators sheet for the period.
fn nothing_names_the_region() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let titles = ["2025年1-3月重点项目进展情况"];
    xlsx(dir.path(), "重点项目.xlsx", &[town_sheet("Sheet1", &titles, projects_of("城关镇"))]);
    let ind = Sheet::new("Sheet1")
        .row(row!["2025年1-3月主要经济指标"])
        .row(row!["地区", "指标名称", "本年累计", "增速"])
        .row(row!["城关镇", "工业产值", 100.0, 5.0]);
    xlsx(dir.path(), "经济指标.xlsx", &[ind]);
    dir
}

#[test]
fn a_sheet_naming_no_region_is_skipped_with_a_warning_saying_how() {
    let dir = nothing_names_the_region();
    let ingested = run(dir.path());
    let s = sheet(&ingested, "重点项目.xlsx", "Sheet1");
    assert_eq!((s.kind, s.looks_like), (None, Some(statbrief::model::Kind::Projects)));
    assert_eq!(s.missing_columns, ["所属地区"]);
    let w = issues_of(&ingested, "重点项目.xlsx", "Sheet1", Severity::Warning);
    assert_eq!(w.len(), 1, "{w:#?}");
    assert!(w[0].message.contains("缺少必需列：所属地区"), "{}", w[0].message);
    assert!(w[0].message.contains("请在表头中加一列“所属地区”"), "{}", w[0].message);
    assert!(issues_of(&ingested, "重点项目.xlsx", "Sheet1", Severity::Info).is_empty());
}

#[test]
fn a_sheet_missing_another_required_column_is_a_warning_too() {
    let dir = tempfile::tempdir().unwrap();
    let s = Sheet::new("Sheet1")
        .row(row!["2025年1-3月重点项目进展情况"])
        .row(row!["项目名称", "所属地区", "本年累计完成投资"])
        .row(row!["东河大桥", "东河镇", 40.0]);
    xlsx(dir.path(), "x.xlsx", &[s]);
    let ingested = run(dir.path());
    let w = issues_of(&ingested, "x.xlsx", "Sheet1", Severity::Warning);
    assert_eq!(w.len(), 1, "{w:#?}");
    assert!(w[0].message.contains("缺少必需列：年度计划投资"), "{}", w[0].message);
    assert!(w[0].message.contains("请在第2行表头中加上“年度计划投资”列"), "{}", w[0].message);
}

fn statbrief() -> Command {
    Command::new(env!("CARGO_BIN_EXE_statbrief"))
}

#[test]
fn run_names_the_ledgers_it_had_nothing_to_read_for_and_strict_fails() {
    let dir = nothing_names_the_region();
    let out = dir.path().join("out");
    let input = dir.path().to_str().unwrap();
    let args = ["run", "--input", input, "--period", "2025-03", "--out", out.to_str().unwrap()];
    let plain = statbrief().args(args).output().unwrap();
    assert_eq!(plain.status.code(), Some(0), "{}", String::from_utf8_lossy(&plain.stderr));
    let text = String::from_utf8(plain.stdout).unwrap();
    assert!(text.contains("重点项目：没有可用的台账（1个工作表缺少必需列，见 statbrief check）"), "{text}");
    assert!(text.contains("走访问题：没有可用的台账（输入中没有这类工作表，见 statbrief check）"), "{text}");
    assert!(!text.contains("经济指标：没有可用的台账"), "{text}");
    let strict = statbrief().args(args).arg("--strict").output().unwrap();
    assert_eq!(strict.status.code(), Some(1));
    let err = String::from_utf8(strict.stderr).unwrap();
    assert!(err.contains("2 类台账没有可用的工作表"), "{err}");
}

#[test]
fn serve_keeps_a_town_folder_in_the_file_name() {
    // The web page keeps no folders; a town's folder goes into the name.
    use statbrief::serve::upload::server_name;
    use std::collections::HashSet;
    let taken = HashSet::new();
    assert_eq!(
        server_name("台账/城关镇/2025-03_重点项目.xlsx", &taken).as_deref(),
        Some("城关镇_2025-03_重点项目.xlsx")
    );
    assert_eq!(server_name("台账\\桃源乡\\3月.xlsx", &taken).as_deref(), Some("桃源乡_3月.xlsx"));
    assert_eq!(server_name("白水镇/白水镇_3月.xlsx", &taken).as_deref(), Some("白水镇_3月.xlsx"));
    assert_eq!(server_name("各乡镇/3月.xlsx", &taken).as_deref(), Some("3月.xlsx"));
}

#[test]
fn the_samples_town_files_take_the_region_expected_json_names() {
    let sample = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/sample_data"));
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sample.join("expected.json")).unwrap()).unwrap();
    let ingested = statbrief::ingest::ingest(sample).unwrap();
    let mut seen = 0;
    for f in expected["files"].as_array().unwrap() {
        for s in f["sheets"].as_array().unwrap() {
            let path = f["path"].as_str().unwrap();
            let got = sheet(&ingested, path, s["sheet"].as_str().unwrap());
            assert_eq!(got.region_from.as_deref(), s["region_from"].as_str(), "{path}");
            seen += usize::from(got.region_from.is_some());
        }
    }
    // Twelve towns, three by each of the four sources.
    assert_eq!(seen, 12);
    let recs = records(&ingested.ledgers.projects);
    let feb: Vec<_> = recs.iter().filter(|r| r.s("period") == Some("2025-02")).collect();
    assert_eq!(feb.len(), 36);
    // Each project's name begins with its town's (the model names them so).
    assert!(feb.iter().all(|r| r.s("name").is_some_and(|n| r.s("region").is_some_and(|g| n.starts_with(g)))));
}

#[test]
fn a_folder_of_only_unusable_town_files_says_why_it_stops() {
    let dir = tempfile::tempdir().unwrap();
    for (i, (_, projects)) in TOWNS.iter().take(3).enumerate() {
        let name = format!("{i}_2025-03.xlsx");
        xlsx(dir.path(), &name, &[town_sheet("Sheet1", &["2025年1-3月重点项目进展情况"], projects)]);
    }
    let out = dir.path().join("out");
    let args = ["run", "--input", dir.path().to_str().unwrap(), "--out", out.to_str().unwrap()];
    let run = statbrief().args(args).output().unwrap();
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8(run.stderr).unwrap();
    assert!(err.contains("没有可用的台账工作表（3个工作表缺少必需列）"), "{err}");
}
