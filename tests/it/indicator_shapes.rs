//! Indicator reports in the shapes bureaus publish (issue 15, SPEC §1.4
//! "Layouts"): long, whole-area and wide tables must give the same long rows
//! and the same figures; a regions-across table and a table whose shape
//! cannot be told are skipped loudly. Every expected figure is worked out by
//! hand in the comments.

use crate::common::*;
use statbrief::config::Config;
use statbrief::ingest::Ingested;
use statbrief::model::{IndicatorFigures, Kind, Report};
use statbrief::quality::Severity;
use statbrief::stats::{self, AsOf};
use std::path::Path;

fn report_of(dir: &Path) -> (Ingested, Report) {
    let ing = run(dir);
    let report = stats::compute(&ing, AsOf::parse("2024Q1").unwrap(), &Config::default()).unwrap();
    (ing, report)
}

fn figure<'a>(r: &'a Report, indicator: &str, region: &str) -> &'a IndicatorFigures {
    r.indicators
        .iter()
        .find(|i| i.indicator == indicator && i.region == region)
        .unwrap_or_else(|| panic!("no {indicator} / {region} in {:?}", r.indicators))
}

fn close(a: Option<f64>, b: f64) {
    let a = a.unwrap_or_else(|| panic!("null, expected {b}"));
    assert!((a - b).abs() < 1e-9, "{a} ≠ {b}");
}

/// The by-town figures every wide fixture below carries, in the long
/// layout: 规上工业总产值 in 万元, 固定资产投资 in 亿元 (1.2亿元 = 12,000万元).
fn long_equivalent(dir: &Path) {
    let s = Sheet::new("Sheet1")
        .row(row!["2024年1-3月各乡镇主要经济指标完成情况"])
        .row(row!["地区", "指标名称", "计量单位", "1-3月累计", "同比增长"])
        .row(row!["城关镇", "规上工业总产值", "万元", 1000, 10])
        .row(row!["白水镇", "规上工业总产值", "万元", 500, -2])
        .row(row!["合计", "规上工业总产值", "万元", 1500, 5.7])
        .row(row!["城关镇", "固定资产投资", "亿元", 1.2, 5])
        .row(row!["白水镇", "固定资产投资", "亿元", 0.8, 15])
        .row(row!["合计", "固定资产投资", "亿元", 2.0, 9]);
    xlsx(dir, "2024年3月经济指标.xlsx", &[s]);
}

/// The same figures as one row per town, a merged group cell per indicator.
fn wide(dir: &Path, groups: [&str; 2], subs: [&str; 2], towns: [&str; 3], unit_line: Option<&str>) {
    let mut s = Sheet::new("各乡镇").row(row!["2024年1-3月各乡镇主要经济指标完成情况"]);
    let top = if unit_line.is_some() { 2 } else { 1 };
    if let Some(u) = unit_line {
        s = s.row(row![u]);
    }
    s = s
        .row(row!["地区", groups[0], "", groups[1], ""])
        .row(row!["", subs[0], subs[1], subs[0], subs[1]])
        .row(row![towns[0], 1000, 10, 1.2, 5])
        .row(row![towns[1], 500, -2, 0.8, 15])
        .row(row![towns[2], 1500, 5.7, 2.0, 9])
        .merge(top, 0, top + 1, 0)
        .merge(top, 1, top, 2)
        .merge(top, 3, top, 4);
    xlsx(dir, "2024年3月各乡镇指标.xlsx", &[s]);
}

/// The wide table with each group's unit in its cell, the usual case.
fn wide_with_group_units(dir: &Path) {
    wide(
        dir,
        ["规上工业总产值（万元）", "固定资产投资（亿元）"],
        ["1-3月累计", "同比增长"],
        ["城关镇", "白水镇", "合计"],
        None,
    );
}

/// What the long layout and every wide layout must give: per town the
/// values as written (亿元 × 10,000), and the whole from the towns' sums
/// (1500 万元; 1.2 + 0.8 = 2.0亿元 = 20,000万元) with the reported growth,
/// since no 去年同期 is given (SPEC §2.2 rule 2).
fn assert_wide_figures(r: &Report) {
    close(figure(r, "规上工业总产值", "城关镇").ytd, 1000.0);
    close(figure(r, "规上工业总产值", "白水镇").growth, -2.0);
    close(figure(r, "固定资产投资", "城关镇").ytd, 12_000.0);
    close(figure(r, "固定资产投资", "白水镇").ytd, 8_000.0);
    close(figure(r, "固定资产投资", "白水镇").growth, 15.0);
    let whole = figure(r, "规上工业总产值", "全部");
    close(whole.ytd, 1500.0);
    close(whole.growth, 5.7);
    let whole = figure(r, "固定资产投资", "全部");
    close(whole.ytd, 20_000.0);
    close(whole.growth, 9.0);
    assert_eq!(whole.unit.as_deref(), Some("万元"));
    // Growth ranks within each indicator: 城关镇 10 > 白水镇 −2.
    assert_eq!(figure(r, "规上工业总产值", "城关镇").rank, Some(1));
    assert_eq!(figure(r, "固定资产投资", "白水镇").rank, Some(1));
}

#[test]
fn a_wide_table_gives_the_long_tables_rows_and_figures() {
    let long = tempfile::tempdir().unwrap();
    long_equivalent(long.path());
    let (_, long_report) = report_of(long.path());
    assert_wide_figures(&long_report);

    let dir = tempfile::tempdir().unwrap();
    wide_with_group_units(dir.path());
    let (ing, r) = report_of(dir.path());
    assert_wide_figures(&r);
    assert_eq!(r.indicators, long_report.indicators, "the wide table must give what the long one gives");

    // Four long rows and two total rows, one per (row, group); the sheet
    // counts each town row once.
    let sh = sheet(&ing, "2024年3月各乡镇指标.xlsx", "各乡镇");
    assert_eq!((sh.rows, sh.accepted, sh.total_rows, sh.rejected), (3, 2, 1, 0));
    let recs = sheet_records(&ing, Kind::Indicators, "2024年3月各乡镇指标.xlsx", "各乡镇");
    assert_eq!(
        strs(&recs, "indicator"),
        texts(&["规上工业总产值", "固定资产投资", "规上工业总产值", "固定资产投资", "规上工业总产值", "固定资产投资"])
    );
    // Lineage: each long row names the cells its values came from (Excel row 4: B4:C4 and D4:E4).
    assert_eq!(strs(&recs, "source_cells")[..2], texts(&["B4:C4", "D4:E4"])[..]);
    assert_eq!(rows(&recs)[..2], [4, 4]);
    // The repeated sub-headers are the layout, not look-alike columns.
    let w = issues_of(&ing, "2024年3月各乡镇指标.xlsx", "各乡镇", Severity::Warning);
    assert!(w.is_empty(), "{w:?}");
}

#[test]
fn a_wide_table_takes_money_from_the_unit_line() {
    // No unit on the groups: 单位：万元、% makes 1-3月累计 万元 and 同比增长 a
    // rate. 固定资产投资's values are then 万元 as written: 1.2, 0.8.
    let dir = tempfile::tempdir().unwrap();
    wide(
        dir.path(),
        ["规上工业总产值", "固定资产投资"],
        ["1-3月累计", "同比增长"],
        ["城关镇", "白水镇", "合计"],
        Some("单位：万元、%"),
    );
    let (_, r) = report_of(dir.path());
    close(figure(&r, "规上工业总产值", "城关镇").ytd, 1000.0);
    close(figure(&r, "固定资产投资", "城关镇").ytd, 1.2);
    assert_eq!(figure(&r, "固定资产投资", "全部").unit.as_deref(), Some("万元"));
    close(figure(&r, "固定资产投资", "全部").ytd, 2.0);
}

#[test]
fn a_wide_table_in_traditional_characters_and_full_width_digits() {
    // 規上工業總產值 is 规上工业总产值; １－３月累計 is 1-3月累计: the same
    // figures as the long table.
    let dir = tempfile::tempdir().unwrap();
    wide(
        dir.path(),
        ["規上工業總產值（萬元）", "固定資產投資（億元）"],
        ["１－３月累計", "同比增長"],
        ["城關鎮", "白水鎮", "合計"],
        None,
    );
    let (_, r) = report_of(dir.path());
    close(figure(&r, "规上工业总产值", "城关镇").ytd, 1000.0);
    close(figure(&r, "固定资产投资", "白水镇").ytd, 8_000.0);
    close(figure(&r, "固定资产投资", "全部").growth, 9.0);
}

#[test]
fn a_whole_area_table_gives_the_headline_figures() {
    // 指标 | 单位 | 1-3月累计 | 同比增长 and no region: the county's own
    // report. 地区生产总值 12.5亿元 = 125,000万元, growth 6.1 as reported;
    // 规上工业增加值 is given only as a growth, 8.2 (its unit % is the rate's).
    let dir = tempfile::tempdir().unwrap();
    let s = Sheet::new("主要指标")
        .row(row!["2024年1-3月全县主要经济指标"])
        .row(row!["指标", "单位", "1-3月累计", "同比增长"])
        .row(row!["地区生产总值", "亿元", 12.5, 6.1])
        .row(row!["规上工业增加值", "%", "", 8.2]);
    xlsx(dir.path(), "2024年3月全县指标.xlsx", &[s]);
    let (ing, r) = report_of(dir.path());
    let gdp = figure(&r, "地区生产总值", "全部");
    close(gdp.ytd, 125_000.0);
    close(gdp.growth, 6.1);
    assert_eq!(gdp.unit.as_deref(), Some("万元"));
    close(figure(&r, "规上工业增加值", "全部").growth, 8.2);
    // Only the whole: no region items.
    assert_eq!(r.indicators.len(), 2);
    let sh = sheet(&ing, "2024年3月全县指标.xlsx", "主要指标");
    assert_eq!((sh.rows, sh.accepted, sh.rejected), (2, 2, 0));
    assert!(sh.skipped_reason.is_none());
    let recs = sheet_records(&ing, Kind::Indicators, "2024年3月全县指标.xlsx", "主要指标");
    assert_eq!(strs(&recs, "region"), texts(&["全县", "全县"]));
}

#[test]
fn by_region_values_win_over_a_whole_area_table_that_disagrees() {
    // The wide table's towns sum to 1500; the whole-area table says 1600 and
    // 6.5 %. The sums win (1500, and growth 5.7 from the wide table's own
    // total row), with a warning at the whole-area table's cells.
    let dir = tempfile::tempdir().unwrap();
    wide_with_group_units(dir.path());
    let s = Sheet::new("全县")
        .row(row!["2024年1-3月全县主要经济指标"])
        .row(row!["指标", "单位", "1-3月累计", "同比增长"])
        .row(row!["规上工业总产值", "万元", 1600, 6.5]);
    xlsx(dir.path(), "2024年3月全县指标.xlsx", &[s]);
    let (_, r) = report_of(dir.path());
    let whole = figure(&r, "规上工业总产值", "全部");
    close(whole.ytd, 1500.0);
    let msgs: Vec<&str> = r.data_quality.issues.iter().map(|i| i.message.as_str()).collect();
    assert!(
        r.data_quality.issues.iter().any(|i| i.message.contains("合计与分项之和不符") && i.message.contains("1600")),
        "{msgs:?}"
    );
}

#[test]
fn a_regions_across_table_and_an_untold_shape_are_skipped_loudly() {
    let dir = tempfile::tempdir().unwrap();
    let across = Sheet::new("横排")
        .row(row!["2024年1-3月各乡镇规上工业增加值增速（%）"])
        .row(row!["指标", "全县", "城关镇", "白水镇"])
        .row(row!["规上工业增加值", 8.2, 9.1, 7.0]);
    // A region and values, but no 指标 column, no indicator in the title and
    // no group cells: which indicator is it?
    let untold = Sheet::new("无指标")
        .row(row!["2024年1-3月各乡镇情况"])
        .row(row!["地区", "1-3月累计", "同比增长"])
        .row(row!["城关镇", 100, 5]);
    xlsx(dir.path(), "2024年3月指标.xlsx", &[across, untold]);
    let ing = run(dir.path());
    let sh = sheet(&ing, "2024年3月指标.xlsx", "横排");
    let reason = sh.skipped_reason.as_deref().unwrap_or_default();
    assert!(reason.contains("地区横排") && reason.contains("「全县」"), "{sh:?}");
    let sh = sheet(&ing, "2024年3月指标.xlsx", "无指标");
    let reason = sh.skipped_reason.as_deref().unwrap_or_default();
    assert!(reason.contains("没有“指标名称”列") && reason.contains("宽表"), "{reason}");
    // Both are said louder than a note.
    for name in ["横排", "无指标"] {
        let loud = issues(&ing, "2024年3月指标.xlsx", Some(name))
            .iter()
            .any(|i| i.severity != Severity::Info && i.message.contains("工作表未读取"));
        assert!(loud, "{name} skipped without a warning");
    }
}
