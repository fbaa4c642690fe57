//! Every definition of SPEC §2 on tiny ledgers written by the test, with the
//! expected figures derived by hand in the comments. The ledgers are CSV so
//! that each row is readable right here.

use statbrief::config::Config;
use statbrief::ingest;
use statbrief::model::Report;
use statbrief::stats::{self, AsOf};
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn report(dir: &Path, period: &str) -> Report {
    let ingested = ingest::ingest(dir).unwrap();
    stats::compute(&ingested, AsOf::parse(period).unwrap(), &Config::default()).unwrap()
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

macro_rules! assert_close {
    ($a:expr, $b:expr) => {
        assert!(close($a, $b), "{} = {:?}, expected {}", stringify!($a), $a, $b)
    };
}

const PROJECTS_MARCH: &str = "\
项目编号,项目名称,所属地区,产业链,项目级别,包抓领导,总投资,年度计划投资,本年累计完成投资,项目状态,开工日期
P1,甲,白水镇,新能源,省重点,王,10000,1000,300,在建,2022-05-01
P2,乙,白水镇,新能源,市重点,王,5000,2000,400,新开工,2023-02-10
P3,丙,东河镇,装备制造,县重点,李,8000,1000,250,新开工,
P4,丁,东河镇,装备制造,县重点,李,3000,1000,100,前期,
P5,戊,西岭镇,新能源,市重点,赵,4000,400,70,投产,2023-04-15
P6,己,南湖镇,绿色食品,县重点,赵,50,1000,100,在建,2021-01-01
";

const PROJECTS_FEBRUARY: &str = "\
项目编号,项目名称,所属地区,年度计划投资,本年累计完成投资
P1,甲,白水镇,1000,350
P2,乙,白水镇,2000,200
";

const TARGETS: &str = "\
地区,指标,目标值,单位
全县,年度投资,1.22,亿元
全县,新开工项目,4,个
白水镇,年度投资,1400,万元
全县,规上工业增加值,7.0,%
全县,工业产值,1000,万元
全县,问题解决率,60,%
";

fn projects_fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "项目2023-03.csv", PROJECTS_MARCH);
    write(dir.path(), "项目2023-02.csv", PROJECTS_FEBRUARY);
    write(dir.path(), "2023年目标任务.csv", TARGETS);
    dir
}

#[test]
fn project_totals_flags_new_starts_and_targets() {
    let dir = projects_fixture();
    let r = report(dir.path(), "2023Q1");
    let t = &r.projects.total;
    // Six projects of the March sheet; plan 1000+2000+1000+1000+400+1000 = 6400,
    // done 300+400+250+100+70+100 = 1220, completion 1220/6400 = 19.0625 %.
    assert_eq!(t.count, 6);
    assert_close!(t.plan, 6400.0);
    assert_close!(t.done, 1220.0);
    assert_close!(t.completion_rate, 19.0625);
    // Time progress 3/12 = 25 %; 19.06 is within 10 points below → yellow.
    assert_eq!(t.time_progress, 25.0);
    assert_eq!(t.flag.map(|f| f.as_str()), Some("yellow"));
    // New starts: P2 (2023-02-10) and P3 (no date, status 新开工). P5 starts
    // in April, after the as-of month; P1 and P6 started before 2023.
    assert_eq!(t.new_starts, 2);
    // Started: 在建 P1, P6; 新开工 P2, P3; 投产 P5 → 5 of 6.
    assert_eq!(t.started, 5);
    assert_close!(t.started_rate, 5.0 / 6.0 * 100.0);
    // 年度投资 target 1.22亿元 = 12200万元 → 1220/12200 = 10 %; 新开工 target 4 → 2/4 = 50 %.
    assert_close!(t.target, 12200.0);
    assert_close!(t.target_completion_rate, 10.0);
    assert_close!(t.new_start_target, 4.0);
    assert_close!(t.new_start_target_rate, 50.0);
    // Monthly: February's sheet sums 350+200 = 550; March 1220.
    let monthly: Vec<(u32, Option<f64>)> = r.projects.monthly.iter().map(|m| (m.month, m.done)).collect();
    assert_eq!(monthly, vec![(2, Some(550.0)), (3, Some(1220.0))]);
}

#[test]
fn project_ranks_share_the_lower_rank() {
    let dir = projects_fixture();
    let r = report(dir.path(), "2023-03");
    let region = |name: &str| r.projects.by_region.iter().find(|g| g.label == name).unwrap().clone();
    // 白水镇 700/3000 = 23.33 %; 东河镇 350/2000 = 17.5 %; 西岭镇 70/400 = 17.5 %;
    // 南湖镇 100/1000 = 10 % → ranks 1, 2, 2, 4.
    assert_eq!(region("白水镇").rank, Some(1));
    assert_eq!(region("东河镇").rank, Some(2));
    assert_eq!(region("西岭镇").rank, Some(2));
    assert_eq!(region("南湖镇").rank, Some(4));
    assert_close!(region("白水镇").figures.completion_rate, 700.0 / 3000.0 * 100.0);
    // 南湖镇 10 % is more than 10 points below 25 % → red; 东河镇 17.5 → yellow.
    assert_eq!(region("南湖镇").figures.flag.map(|f| f.as_str()), Some("red"));
    assert_eq!(region("东河镇").figures.flag.map(|f| f.as_str()), Some("yellow"));
    // A region target: 白水镇 1400万元 → 700/1400 = 50 %.
    assert_close!(region("白水镇").figures.target_completion_rate, 50.0);
    assert_eq!(region("东河镇").figures.target, None);
    // Leaders: 王 (P1, P2) 700/3000, 李 (P3, P4) 350/2000, 赵 (P5, P6) 170/1400.
    let leader = r.projects.by_leader.iter().find(|g| g.label == "赵").unwrap();
    assert_close!(leader.figures.completion_rate, 170.0 / 1400.0 * 100.0);
    assert_eq!(r.projects.by_level.len(), 3);
}

#[test]
fn project_checks_warn() {
    let dir = projects_fixture();
    let r = report(dir.path(), "2023-03");
    let msgs: Vec<&str> = r.data_quality.issues.iter().map(|i| i.message.as_str()).collect();
    // P1 fell from 350 (Feb) to 300 (Mar); P6 done 100 > total 50; P5 starts 2023-04-15.
    assert!(msgs.iter().any(|m| m.contains("「甲」") && m.contains("低于2月")), "{msgs:?}");
    assert!(msgs.iter().any(|m| m.contains("「己」") && m.contains("超过总投资")), "{msgs:?}");
    assert!(msgs.iter().any(|m| m.contains("「戊」") && m.contains("晚于报告期")), "{msgs:?}");
    // Each names its cell: P1 is row 2 of the March sheet, 本年累计完成投资 is column I;
    // P6 is row 7; P5's 开工日期 is K6.
    let cell = |needle: &str| {
        let i = r.data_quality.issues.iter().find(|i| i.message.contains(needle)).unwrap();
        (i.file.clone(), i.cell.clone().unwrap_or_default())
    };
    assert_eq!(cell("低于2月"), ("项目2023-03.csv".to_string(), "I2".to_string()));
    assert_eq!(cell("超过总投资").1, "I7");
    assert_eq!(cell("晚于报告期").1, "K6");
}

#[test]
fn falls_back_to_the_latest_earlier_month() {
    let dir = projects_fixture();
    let r = report(dir.path(), "2023-05");
    // No May sheet: the March sheet is used, with a warning; time progress is May's.
    assert_eq!(r.projects.source_period.as_deref(), Some("2023-03"));
    assert_eq!(r.projects.total.count, 6);
    assert_close!(Some(r.projects.total.time_progress), 5.0 / 12.0 * 100.0);
    assert!(r.data_quality.issues.iter().any(|i| i.message.contains("项目数据使用2023年3月")));
}

const INDICATORS_MARCH: &str = "\
地区,指标名称,计量单位,本月,本年累计,去年同期,增速
白水镇,工业产值,万元,40,120,100,
东河镇,工业产值,万元,30,90,,
西岭镇,工业产值,万元,,30,,
全县,工业产值,万元,70,215,,
白水镇,规上工业增加值,%,,,,8.5
东河镇,规上工业增加值,%,,,,6.0
全县,规上工业增加值,%,,,,7.2
";

const INDICATORS_FEBRUARY: &str = "\
地区,指标名称,本月,本年累计
白水镇,工业产值,50,80
东河镇,工业产值,20,60
";

// Last year: 东河镇 has 75; 西岭镇 is missing from last year's file.
const INDICATORS_LAST_YEAR: &str = "\
地区,指标名称,本年累计
白水镇,工业产值,999
东河镇,工业产值,75
";

fn indicators_report() -> Report {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "指标2023-03.csv", INDICATORS_MARCH);
    write(dir.path(), "指标2023-02.csv", INDICATORS_FEBRUARY);
    write(dir.path(), "指标2022-03.csv", INDICATORS_LAST_YEAR);
    write(dir.path(), "2023年目标任务.csv", TARGETS);
    report(dir.path(), "2023-03")
}

#[test]
fn indicator_growth_mom_and_last_year_join() {
    let r = indicators_report();
    let get = |ind: &str, region: &str| {
        r.indicators.iter().find(|i| i.indicator == ind && i.region == region).unwrap().clone()
    };
    // 白水镇: 去年同期 in the sheet (100, not last year's file 999) → (120/100 − 1) = 20 %.
    let b = get("工业产值", "白水镇");
    assert_close!(b.ytd_ly, 100.0);
    assert_close!(b.growth, 20.0);
    // 环比: 本月 40 vs February's 50 → −20 %.
    assert_close!(b.mom, -20.0);
    // 东河镇: last year's value from the 2022-03 file (75) → 90/75 − 1 = 20 %; mom 30/20 − 1 = 50 %.
    let d = get("工业产值", "东河镇");
    assert_close!(d.ytd_ly, 75.0);
    assert_close!(d.growth, 20.0);
    assert_close!(d.mom, 50.0);
    // Equal growth shares rank 1.
    assert_eq!((b.rank, d.rank), (Some(1), Some(1)));
    // 西岭镇 is missing from last year: no growth, no rank.
    let x = get("工业产值", "西岭镇");
    assert_eq!((x.ytd_ly, x.growth, x.rank), (None, None, None));
}

#[test]
fn indicator_whole_contribution_and_targets() {
    let r = indicators_report();
    let get = |ind: &str, region: &str| {
        r.indicators.iter().find(|i| i.indicator == ind && i.region == region).unwrap().clone()
    };
    // Whole: Σ ytd over regions with a value 120+90+30 = 240; Σ ly 100+75 = 175.
    // 西岭镇 has no last-year value and the sheet no total row, so the growth
    // is 同口径 (SPEC §2.2 rule 3): (120+90)/(100+75) − 1 = 20 %, with a
    // warning naming 西岭镇. Σ month 70, Σ month_prev 70 → mom 0.
    let w = get("工业产值", "全部");
    assert_close!(w.ytd, 240.0);
    assert_close!(w.ytd_ly, 175.0);
    assert_close!(w.growth, (210.0 / 175.0 - 1.0) * 100.0);
    assert!(
        r.data_quality.issues.iter().any(|i| i.message.contains("同口径") && i.message.contains("西岭镇")),
        "the 同口径 warning names 西岭镇"
    );
    assert_close!(w.mom, 0.0);
    assert_eq!((w.rank, w.contribution_pp), (None, None));
    // 拉动: 白水镇 (120 − 100)/175 = 11.43 pp, 东河镇 15/175 = 8.57 pp.
    assert_close!(get("工业产值", "白水镇").contribution_pp, 20.0 / 175.0 * 100.0);
    assert_close!(get("工业产值", "东河镇").contribution_pp, 15.0 / 175.0 * 100.0);
    // 贡献率: the increase over Σ ytd − Σ ly = 65: 白水镇 20/65.
    assert_close!(get("工业产值", "白水镇").contribution_share, 20.0 / 65.0 * 100.0);
    // Amount target 1000万元 → 240/1000 = 24 %.
    assert_close!(w.target, 1000.0);
    assert_close!(w.target_completion_rate, 24.0);
    // Rates only: the whole is the reported 全县 rate 7.2, not the mean 7.25.
    let g = get("规上工业增加值", "全部");
    assert_close!(g.growth, 7.2);
    assert_eq!(g.ytd, None);
    assert_close!(g.target_growth, 7.0);
    assert_close!(g.gap_pp, 7.2 - 7.0);
    assert_eq!(get("规上工业增加值", "白水镇").rank, Some(1));
    assert_eq!(get("规上工业增加值", "东河镇").rank, Some(2));
    // The reported 全县 215 differs from Σ 240 by more than 0.5 %.
    assert!(r
        .data_quality
        .issues
        .iter()
        .any(|i| i.message.contains("合计与分项之和不符") && i.message.contains("工业产值")));
    // The whole comes first for each indicator.
    assert_eq!(r.indicators[0].region, "全部");
}

const VISITS_HEADER: &str =
    "走访日期,走访干部,干部单位,企业名称,所属地区,问题描述,问题类别,办理层级,办理状态,办结时限,办结日期,企业满意度\n";
const JAN_FINAL: &str = "\
2023-01-10,张三,发改局,甲公司,白水镇,贷款难,融资,部门办,已解决,,2023-01-20,满意
2023-01-10,张三,发改局,甲公司,白水镇,招工难,用工,当场办,已办结,,2023-01-15,基本满意
";
const JAN_EARLY: &str = "\
2023-01-10,张三,发改局,甲公司,白水镇,贷款难,融资,部门办,办理中,,,
2023-01-10,张三,发改局,甲公司,白水镇,招工难,用工,当场办,,,,
";
const FEB: &str = "\
2023-02-01,李四,工信局,乙公司,东河镇,用地指标,用地,领导办,办理中,2023-02-10,,
2023-02-15,李四,工信局,丙公司,东河镇,,,,,,,
";
const MAR: &str = "\
2023-03-20,王五,发改局,丁公司,东河镇,电力增容,水电气暖,,,,,不满意
2023-03-25,王五,发改局,甲公司,白水镇,物流,物流运输,当场办,无法解决,,,
";

fn check_visits(r: &Report) {
    let v = &r.visits;
    // Visits (date, cadre, enterprise): 01-10 张三 甲, 02-01 李四 乙, 02-15 李四 丙,
    // 03-20 王五 丁, 03-25 王五 甲 → 5; enterprises 甲乙丙丁 → 4; cadres 3.
    assert_eq!((v.visits, v.enterprises, v.cadres), (5, 4, 3));
    // Problems: 贷款难 招工难 用地指标 电力增容 物流 → 5; resolved 2; in progress:
    // 用地指标 and 电力增容 (no status counts as in progress) → 2; unresolvable 1.
    assert_eq!((v.problems, v.resolved, v.in_progress, v.unresolvable), (5, 2, 2, 1));
    assert_close!(v.resolution_rate, 40.0);
    // Deadlines: 贷款难 部门办 01-10 + 15 = 01-25, done 01-20 → on time; 招工难 当场办
    // 01-10 + 3 = 01-13, done 01-15 → late. On time 1 of 2 = 50 %.
    assert_close!(v.on_time_rate, 50.0);
    // Days to resolve: 10 and 5 → median 7.5.
    assert_close!(v.median_days, 7.5);
    // Satisfaction among problems that have one: 满意, 基本满意, 不满意 → 2/3.
    assert_close!(v.satisfaction_rate, 200.0 / 3.0);
    // Overdue at 03-31: 用地指标 given deadline 02-10 → 49 days → 红; 物流 (not resolved)
    // 当场办 03-25 + 3 = 03-28 → 3 days → 蓝; 电力增容 no tier → 15 days → 04-04, not yet due.
    let overdue: Vec<(&str, i64, &str)> =
        v.overdue.iter().map(|o| (o.problem.as_str(), o.days_overdue, o.colour.as_str())).collect();
    assert_eq!(overdue, vec![("用地指标", 49, "红"), ("物流", 3, "蓝")]);
    assert_eq!(v.overdue_count, 2);
    // Units: 发改局 4 problems, 2 resolved → 50 %, rank 1; 工信局 1 problem, 0 → rank 2.
    let unit = |n: &str| v.by_unit.iter().find(|g| g.label == n).unwrap().clone();
    assert_close!(unit("发改局").figures.resolution_rate, 50.0);
    assert_eq!(unit("发改局").rank, Some(1));
    assert_eq!(unit("工信局").rank, Some(2));
    let cat = v.by_category.iter().find(|g| g.label == "融资").unwrap();
    assert_eq!((cat.figures.problems, cat.figures.resolved), (1, 1));
    // Monthly by month of visit: Jan 1 visit, 2 problems, 2 resolved; Feb 2, 1, 0; Mar 2, 2, 0.
    let m: Vec<(u32, i64, i64, i64)> = v.monthly.iter().map(|m| (m.month, m.visits, m.problems, m.resolved)).collect();
    assert_eq!(m, vec![(1, 1, 2, 2), (2, 2, 1, 0), (3, 2, 2, 0)]);
    assert_close!(v.resolution_target, 60.0);
}

#[test]
fn cumulative_visits_ledger_latest_period_wins() {
    let dir = tempfile::tempdir().unwrap();
    // February's re-send still shows January's problems unresolved; March's wins.
    write(dir.path(), "走访2023-02.csv", &format!("{VISITS_HEADER}{JAN_EARLY}{FEB}"));
    write(dir.path(), "走访2023-03.csv", &format!("{VISITS_HEADER}{JAN_FINAL}{FEB}{MAR}"));
    write(dir.path(), "2023年目标任务.csv", TARGETS);
    check_visits(&report(dir.path(), "2023-03"));
}

#[test]
fn monthly_increment_visits_ledger_gives_the_same_figures() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "走访2023-01.csv", &format!("{VISITS_HEADER}{JAN_FINAL}"));
    write(dir.path(), "走访2023-02.csv", &format!("{VISITS_HEADER}{FEB}"));
    write(dir.path(), "走访2023-03.csv", &format!("{VISITS_HEADER}{MAR}"));
    write(dir.path(), "2023年目标任务.csv", TARGETS);
    check_visits(&report(dir.path(), "2023-03"));
}

#[test]
fn a_numbered_visit_counts_once_in_each_month_it_was_recorded_in() {
    // 走访编号 is the visit's key (SPEC §2.3), so one number can carry rows
    // of two months (a follow-up filed under the first visit's number).
    // Worked out by hand, by month of visit date:
    //   Jan: ZF1 (three rows, one interleaved after February's) and ZF2 → 2 visits, 4 problems;
    //   Feb: ZF1 once → 1 visit, 1 problem.
    // In all 2 distinct visits: ZF1 and ZF2.
    let dir = tempfile::tempdir().unwrap();
    let csv = "走访编号,走访日期,走访干部,干部单位,企业名称,所属地区,问题描述,问题类别,办理层级,办理状态\n\
        ZF1,2023-01-05,张三,发改局,甲公司,白水镇,贷款难,融资,部门办,办理中\n\
        ZF2,2023-01-06,李四,工信局,乙公司,东河镇,招工难,用工,部门办,办理中\n\
        ZF1,2023-02-07,张三,发改局,甲公司,白水镇,用地难,用地,部门办,办理中\n\
        ZF1,2023-01-05,张三,发改局,甲公司,白水镇,电力增容,水电气暖,部门办,办理中\n\
        ZF1,2023-01-05,张三,发改局,甲公司,白水镇,物流贵,物流运输,部门办,办理中\n";
    write(dir.path(), "走访2023-02.csv", csv);
    let r = report(dir.path(), "2023-02");
    assert_eq!((r.visits.visits, r.visits.problems), (2, 5));
    let m: Vec<(u32, i64, i64)> = r.visits.monthly.iter().map(|m| (m.month, m.visits, m.problems)).collect();
    assert_eq!(m, vec![(1, 2, 4), (2, 1, 1)]);
}

#[test]
fn metrics_json_is_byte_identical_and_has_nulls_not_zeros() {
    let dir = projects_fixture();
    write(dir.path(), "指标2023-03.csv", INDICATORS_MARCH);
    let a = statbrief::report::json::to_json(&report(dir.path(), "2023-03")).unwrap();
    let b = statbrief::report::json::to_json(&report(dir.path(), "2023-03")).unwrap();
    assert_eq!(a, b);
    let v: serde_json::Value = serde_json::from_str(&a).unwrap();
    // No visits ledger: rates are null, not 0 or NaN.
    assert!(v["visits"]["resolution_rate"].is_null());
    assert!(!a.contains("NaN"));
    for key in ["as_of", "year", "month", "projects", "indicators", "visits", "data_quality"] {
        assert!(v.get(key).is_some(), "{key}");
    }
    for key in [
        "count",
        "plan",
        "done",
        "completion_rate",
        "time_progress",
        "flag",
        "new_starts",
        "started",
        "started_rate",
        "target",
        "target_completion_rate",
        "new_start_target",
        "new_start_target_rate",
    ] {
        assert!(v["projects"]["total"].get(key).is_some(), "{key}");
    }
    assert!(v["projects"]["by_region"][0].get("region").is_some());
    assert!(v["projects"]["by_region"][0].get("rank").is_some());
}
