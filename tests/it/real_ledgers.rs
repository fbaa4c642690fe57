//! Ledgers as towns really fill them in (issue 8): one fixture per class of
//! layout that used to give a wrong figure silently, each asserting the
//! figure a statistician works out by hand (in the comments) and the
//! warning that names the cell.

use crate::common::*;
use statbrief::config::Config;
use statbrief::ingest::Ingested;
use statbrief::model::Report;
use statbrief::quality::Severity;
use statbrief::stats::{self, AsOf};
use std::path::Path;

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn report_of(dir: &Path, period: &str) -> (Ingested, Report) {
    let ing = run(dir);
    let report = stats::compute(&ing, AsOf::parse(period).unwrap(), &Config::default()).unwrap();
    (ing, report)
}

fn close(a: Option<f64>, b: f64) {
    let a = a.unwrap_or_else(|| panic!("null, expected {b}"));
    assert!((a - b).abs() < 1e-9, "{a} ≠ {b}");
}

fn warnings(ing: &Ingested) -> Vec<String> {
    ing.quality.issues.iter().filter(|i| i.severity == Severity::Warning).map(|i| i.message.clone()).collect()
}

#[test]
fn since_start_is_not_this_year_and_an_exact_alias_beats_a_pattern() {
    let dir = tmp();
    // 开工以来累计完成投资 2990 must not be read as this year's 300: plan 1000,
    // done 300 → 30 %. 1-3月完成投资 (a pattern) also matches done_ytd but the
    // exact 本年累计完成投资 wins, and the look-alike gets a warning at E2.
    let s = Sheet::new("Sheet1")
        .row(row!["2023年1-3月重点项目进展情况"])
        .row(row!["项目名称", "所属地区", "年度计划投资", "开工以来累计完成投资", "1-3月完成投资", "本年累计完成投资"])
        .row(row!["甲项目", "白水镇", 1000, 2990, 280, 300]);
    xlsx(dir.path(), "项目.xlsx", &[s]);
    let (ing, r) = report_of(dir.path(), "2023Q1");
    close(r.projects.total.completion_rate, 30.0);
    let sh = sheet(&ing, "项目.xlsx", "Sheet1");
    assert_eq!(sh.columns.get("done_ytd").map(String::as_str), Some("本年累计完成投资（F2）"));
    let w = issue_at(&ing, "项目.xlsx", "Sheet1", "E2");
    assert_eq!(w.severity, Severity::Warning);
    assert!(w.message.contains("已采用「本年累计完成投资」（F2）"), "{}", w.message);
}

#[test]
fn a_unit_on_the_target_header_converts_it() {
    let dir = tmp();
    // 目标值（亿元）1.5 = 15,000万元; done 3,000 → 20 % of the target.
    csv_utf8(dir.path(), "2023年目标任务.csv", "地区,指标,目标值（亿元）\n全县,年度投资,1.5\n");
    csv_utf8(dir.path(), "项目2023-03.csv", "项目名称,所属地区,年度计划投资,本年累计完成投资\n甲,白水镇,10000,3000\n");
    let (_, r) = report_of(dir.path(), "2023Q1");
    close(r.projects.total.target, 15_000.0);
    close(r.projects.total.target_completion_rate, 20.0);
}

#[test]
fn a_unit_line_never_converts_a_non_money_unit() {
    let dir = tmp();
    // 单位：亿元 above, but 用电量's own unit is 万千瓦时: 12.5 stays 12.5 and
    // keeps its unit; 产值 has no unit of its own: 3亿元 → 30,000万元.
    csv_utf8(
        dir.path(),
        "指标2023-03.csv",
        "单位：亿元\n地区,指标名称,计量单位,本年累计\n白水镇,用电量,万千瓦时,12.5\n白水镇,产值,,3\n",
    );
    let (_, r) = report_of(dir.path(), "2023Q1");
    let get = |n: &str| r.indicators.iter().find(|i| i.indicator == n && i.region == "白水镇").unwrap();
    close(get("用电量").ytd, 12.5);
    assert_eq!(get("用电量").unit.as_deref(), Some("万千瓦时"));
    close(get("产值").ytd, 30_000.0);
}

#[test]
fn cumulative_growth_not_the_months_and_the_wholes_reported_growth() {
    let dir = tmp();
    // The usual 月报: 本年累计 + 本月同比增长 + 累计增速, no 去年同期. Regions
    // take 累计增速; the whole takes the 全县 row's 8.5 (SPEC §2.2 rule 2).
    csv_utf8(
        dir.path(),
        "规上工业增加值2023-03.csv",
        "地区,指标名称,本年累计,本月同比增长,累计增速\n全县,工业产值,300,2.0,8.5\n白水镇,工业产值,100,1.0,9.0\n东河镇,工业产值,200,3.0,8.0\n",
    );
    let (_, r) = report_of(dir.path(), "2023Q1");
    let get = |reg: &str| r.indicators.iter().find(|i| i.region == reg).unwrap();
    close(get("白水镇").growth, 9.0);
    close(get("东河镇").growth, 8.0);
    close(get("全部").growth, 8.5);
    close(get("全部").ytd, 300.0);
}

#[test]
fn a_visit_written_once_over_its_problem_rows() {
    let dir = tmp();
    // One visit (date, cadre, enterprise merged over rows 3–4) with two
    // problems: both rows are accepted, one visit, two problems.
    let s = Sheet::new("Sheet1")
        .row(row!["2023年3月走访问题台账"])
        .row(row!["走访日期", "走访干部", "企业名称", "问题描述", "办理状态"])
        .row(row!["2023-03-05", "张三", "甲公司", "贷款难", "已解决"])
        .row(row!["", "", "", "用工缺口", "办理中"])
        .merge(2, 0, 3, 0)
        .merge(2, 1, 3, 1)
        .merge(2, 2, 3, 2);
    xlsx(dir.path(), "走访.xlsx", &[s]);
    let (ing, r) = report_of(dir.path(), "2023Q1");
    let sh = sheet(&ing, "走访.xlsx", "Sheet1");
    assert_eq!((sh.accepted, sh.rejected), (2, 0), "{sh:?}");
    assert_eq!((r.visits.visits, r.visits.problems, r.visits.resolved), (1, 2, 1));
}

#[test]
fn a_deadline_typed_as_days_and_no_problem_means_none() {
    let dir = tmp();
    // Row 2: deadline 15 → 2023-03-01 + 15 days = 2023-03-16, before the end
    // of March and unresolved → overdue 31 − 16 = 15 days (黄). Row 3 says
    // 暂无: a visit without a problem, never overdue. Row 4: resolved on
    // 2023-04-10, after March → in progress as of March.
    csv_utf8(
        dir.path(),
        "走访2023-03.csv",
        "走访日期,走访干部,企业名称,问题描述,办理状态,办结时限,办结日期\n\
         2023-03-01,张三,甲公司,贷款难,办理中,15,\n\
         2023-03-02,李四,乙公司,暂无,,,\n\
         2023-03-03,王五,丙公司,用地指标,已办结,2023-06-30,2023-04-10\n",
    );
    let (ing, r) = report_of(dir.path(), "2023Q1");
    let v = &r.visits;
    assert_eq!((v.visits, v.problems, v.resolved, v.in_progress), (3, 2, 0, 2));
    assert_eq!(v.overdue_count, 1);
    assert_eq!((v.overdue[0].problem.as_str(), v.overdue[0].days_overdue), ("贷款难", 15));
    let w = issue_at(&ing, "走访2023-03.csv", "走访2023-03", "F2");
    assert!(w.message.contains("按走访日期后15天计"), "{}", w.message);
}

#[test]
fn a_year_month_in_a_date_column_is_the_first_of_the_month_with_a_warning() {
    let dir = tmp();
    csv_utf8(
        dir.path(),
        "项目2023-03.csv",
        "项目名称,所属地区,年度计划投资,本年累计完成投资,开工日期\n甲,白水镇,100,10,2023.2\n乙,白水镇,100,10,500\n",
    );
    let (ing, r) = report_of(dir.path(), "2023Q1");
    // 甲 started 2023-02-01 (a new start); 乙's 500 is no date: a cell error.
    assert_eq!(r.projects.total.new_starts, 1);
    let w = issue_at(&ing, "项目2023-03.csv", "项目2023-03", "E2");
    assert!(w.message.contains("只有年月"), "{}", w.message);
    let e = issue_at(&ing, "项目2023-03.csv", "项目2023-03", "E3");
    assert!(e.message.contains("不是有效日期"), "{}", e.message);
}

#[test]
fn a_re_sent_ledger_counts_once_and_separate_towns_add_up() {
    let dir = tmp();
    // 白水镇 sends March, then a 修订 copy with XM1 corrected to 400: XM1
    // counts once, at 400, with a warning naming both files. 东河镇's own
    // March file has other keys and adds up: plan 1000 + 500, done 400 + 100.
    let header = "项目编号,项目名称,所属地区,年度计划投资,本年累计完成投资\n";
    csv_utf8(dir.path(), "白水镇2023-03.csv", &format!("{header}XM1,甲,白水镇,1000,300\n"));
    csv_utf8(dir.path(), "白水镇2023-03（修订）.csv", &format!("{header}XM1,甲,白水镇,1000,400\n"));
    csv_utf8(dir.path(), "东河镇2023-03.csv", &format!("{header}XM2,乙,东河镇,500,100\n"));
    let (ing, r) = report_of(dir.path(), "2023Q1");
    assert_eq!(r.projects.total.count, 2);
    close(r.projects.total.plan, 1500.0);
    close(r.projects.total.done, 500.0);
    let w: Vec<_> = warnings(&ing).into_iter().filter(|m| m.contains("重复报送")).collect();
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("白水镇2023-03.csv") && w[0].contains("白水镇2023-03（修订）.csv"), "{}", w[0]);
    assert_eq!(sheet(&ing, "白水镇2023-03.csv", "白水镇2023-03").superseded, 1);
}

#[test]
fn visit_groups_carry_every_figure_and_unfilled_groups_are_never_ranked() {
    let dir = tmp();
    // Unit A: two problems, one resolved on time (deadline 03-20, done 03-10,
    // 5 days), satisfied; unit B: one problem, overdue. The third problem has
    // no unit: listed as （未填报）, never ranked, even with the best rate.
    csv_utf8(
        dir.path(),
        "走访2023-03.csv",
        "走访日期,走访干部,企业名称,干部单位,问题描述,办理状态,办结时限,办结日期,企业满意度\n\
         2023-03-05,张三,甲公司,A局,贷款难,已解决,2023-03-20,2023-03-10,满意\n\
         2023-03-06,张三,乙公司,A局,用工,办理中,2023-06-30,,\n\
         2023-03-07,李四,丙公司,B局,用地,办理中,2023-03-08,,\n\
         2023-03-08,王五,丁公司,,用电,已解决,2023-03-20,2023-03-09,\n",
    );
    let (_, r) = report_of(dir.path(), "2023Q1");
    let unit = |l: &str| r.visits.by_unit.iter().find(|g| g.label == l).unwrap();
    let a = unit("A局");
    assert_eq!((a.figures.problems, a.figures.resolved, a.figures.overdue_count), (2, 1, 0));
    close(a.figures.resolution_rate, 50.0);
    close(a.figures.on_time_rate, 100.0);
    close(a.figures.median_days, 5.0);
    close(a.figures.satisfaction_rate, 100.0);
    assert_eq!(unit("B局").figures.overdue_count, 1);
    // A 50 % ranks 1st, B 0 % 2nd; （未填报） 100 % has no rank.
    assert_eq!((a.rank, unit("B局").rank, unit("（未填报）").rank), (Some(1), Some(2), None));
}

#[test]
fn loud_when_unsure_fractions_whole_county_projects_and_file_name_periods() {
    let dir = tmp();
    // Growth typed as fractions (0.136 for 13.6 %): read as written, flagged
    // at the column's header cell (D1). The period comes only from the file
    // name: flagged at sheet level.
    csv_utf8(
        dir.path(),
        "指标2023-03.csv",
        "地区,指标名称,本年累计,增速\n白水镇,产值,100,0.136\n东河镇,产值,200,0.05\n",
    );
    // A project whose region is 全县 is a total row: flagged at its cell (B3).
    csv_utf8(
        dir.path(),
        "项目.csv",
        "2023年3月重点项目\n项目名称,所属地区,年度计划投资,本年累计完成投资\n全县农村公路,全县,100,10\n甲,白水镇,100,10\n",
    );
    let (ing, r) = report_of(dir.path(), "2023Q1");
    let g = issue_at(&ing, "指标2023-03.csv", "指标2023-03", "D1");
    assert!(g.message.contains("可能把百分数写成了小数"), "{}", g.message);
    close(r.indicators.iter().find(|i| i.region == "白水镇").unwrap().growth, 0.136);
    let p = issue_at(&ing, "项目.csv", "项目", "B3");
    assert!(p.message.contains("「全县」") && p.message.contains("合计行"), "{}", p.message);
    assert_eq!(r.projects.total.count, 1);
    let w = warnings(&ing);
    assert!(w.iter().any(|m| m.contains("只取自文件名「指标2023-03.csv」")), "{w:?}");
    assert!(!w.iter().any(|m| m.contains("只取自文件名「项目.csv」")), "the title names 项目.csv's period");
}

#[test]
fn a_period_no_ledger_has_is_refused_with_the_periods_found() {
    let dir = tmp();
    csv_utf8(dir.path(), "项目2023-03.csv", "项目名称,所属地区,年度计划投资,本年累计完成投资\n甲,白水镇,100,10\n");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_statbrief"))
        .args(["run", "--input"])
        .arg(dir.path())
        .args(["--period", "2024Q1", "--out"])
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2024年1—3月没有任何台账数据") && err.contains("2023-03"), "{err}");
    assert!(!dir.path().join("out").exists(), "no output on a fatal input error");
}

#[test]
fn a_ledger_with_no_sheet_for_the_period_gives_null_counts_not_zero() {
    let dir = tmp();
    // Projects for 2023-03; the only visits sheet is April's, after the
    // period: as of March no visits ledger exists, so its counts are unknown
    // (null), while the projects' are known (1 project, 0 new starts).
    csv_utf8(dir.path(), "项目2023-03.csv", "项目名称,所属地区,年度计划投资,本年累计完成投资\n甲,白水镇,100,10\n");
    csv_utf8(dir.path(), "走访2023-04.csv", "走访日期,走访干部,企业名称,问题描述\n2023-04-03,张三,甲公司,用地难\n");
    let (_, r) = report_of(dir.path(), "2023Q1");
    let json: serde_json::Value = serde_json::from_str(&statbrief::report::json::to_json(&r).unwrap()).unwrap();
    for key in
        ["visits", "enterprises", "cadres", "problems", "resolved", "in_progress", "unresolvable", "overdue_count"]
    {
        assert!(json["visits"][key].is_null(), "visits.{key} = {}", json["visits"][key]);
    }
    assert!(json["visits"]["source_period"].is_null());
    assert_eq!(json["projects"]["total"]["count"], 1);
    assert_eq!(json["projects"]["total"]["new_starts"], 0);

    // As of April the visits sheet covers the period: 1 visit, 1 problem,
    // 0 resolved — zeros that are facts, not unknowns. The projects sheet of
    // March still serves April (its month is source_period).
    let (_, r) = report_of(dir.path(), "2023-04");
    let json: serde_json::Value = serde_json::from_str(&statbrief::report::json::to_json(&r).unwrap()).unwrap();
    assert_eq!(json["visits"]["visits"], 1);
    assert_eq!(json["visits"]["resolved"], 0);
    assert_eq!(json["visits"]["source_period"], "2023-04");

    // No projects ledger at all: the projects' counts are null.
    let only_visits = tmp();
    csv_utf8(
        only_visits.path(),
        "走访2023-04.csv",
        "走访日期,走访干部,企业名称,问题描述\n2023-04-03,张三,甲公司,用地难\n",
    );
    let (_, r) = report_of(only_visits.path(), "2023-04");
    let json: serde_json::Value = serde_json::from_str(&statbrief::report::json::to_json(&r).unwrap()).unwrap();
    for key in ["count", "new_starts", "started"] {
        assert!(json["projects"]["total"][key].is_null(), "projects.total.{key}");
    }
}
