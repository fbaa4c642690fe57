//! briefing.xlsx read back with calamine: the sheets, the tables and their
//! headers, and that every table cell is the Report's figure (one source of
//! truth) stored as a number, a date, an empty cell or a string — never a
//! formula made out of ledger text.

use calamine::{Data, Reader, Xlsx};
use statbrief::config::Config;
use statbrief::ingest;
use statbrief::model::Report;
use statbrief::report::xlsx::render_workbook;
use statbrief::stats::{self, AsOf};
use std::io::Cursor;
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

// Two ledger texts that look like formulas, and a region (西岭镇) whose only
// project has a plan of 0, so its completion rate is None.
const PROJECTS_JUNE: &str = "\
项目编号,项目名称,所属地区,产业链,项目级别,包抓领导,总投资,年度计划投资,本年累计完成投资,项目状态,开工日期
P1,\"=HYPERLINK(\"\"x\"\")\",白水镇,新能源,省重点,王,10000,1000,600,在建,2024-05-01
P2,+1,白水镇,新能源,市重点,王,5000,2000,800,新开工,2025-02-10
P3,丙,东河镇,装备制造,县重点,李,8000,1000,450,新开工,
P4,@丁,东河镇,装备制造,县重点,李,3000,1000,100,前期,
P5,戊,西岭镇,绿色食品,市重点,赵,4000,0,70,在建,2025-03-15
";

const PROJECTS_MARCH: &str = "\
项目编号,项目名称,所属地区,年度计划投资,本年累计完成投资
P1,甲,白水镇,1000,300
P2,乙,白水镇,2000,200
";

const TARGETS: &str = "\
地区,指标,目标值,单位
全县,年度投资,6000,万元
全县,新开工项目,4,个
全县,工业产值,7.0,%
全县,问题解决率,60,%
全县,企业满意率,90,%
";

// The first indicator (the headline, charted by region) has a name that
// looks like a formula.
const INDICATORS_JUNE: &str = "\
地区,指标名称,计量单位,本月,本年累计,去年同期
白水镇,=SUM(1),万元,4,12,10
东河镇,=SUM(1),万元,3,9,10
白水镇,工业产值,万元,40,120,100
东河镇,工业产值,万元,30,90,80
西岭镇,工业产值,万元,,30,
";

const VISITS: &str = "\
走访日期,走访干部,干部单位,企业名称,所属地区,问题描述,问题类别,办理层级,办理状态,办结时限,办结日期,企业满意度
2025-01-10,张三,发改局,甲公司,白水镇,贷款难,融资,部门办,已解决,,2025-01-20,满意
2025-02-01,李四,工信局,乙公司,东河镇,-用地指标,用地,领导办,办理中,2025-02-10,,
2025-06-25,王五,发改局,丁公司,东河镇,电力增容,水电气暖,当场办,办理中,,,不满意
";

fn fixture() -> (tempfile::TempDir, Report) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "项目2025-06.csv", PROJECTS_JUNE);
    write(dir.path(), "项目2025-03.csv", PROJECTS_MARCH);
    write(dir.path(), "2025年目标任务.csv", TARGETS);
    write(dir.path(), "指标2025-06.csv", INDICATORS_JUNE);
    write(dir.path(), "走访2025-06.csv", VISITS);
    let ingested = ingest::ingest(dir.path()).unwrap();
    let report = stats::compute(&ingested, AsOf::parse("2025-06").unwrap(), &Config::default()).unwrap();
    (dir, report)
}

/// Renders, writes the file to disk (as `run` does) and opens it again.
fn rendered(report: &Report) -> (tempfile::TempDir, Xlsx<std::io::BufReader<std::fs::File>>) {
    let bytes = render_workbook(report).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("briefing.xlsx");
    std::fs::write(&path, &bytes).unwrap();
    let mut wb: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    wb.load_tables().unwrap();
    (dir, wb)
}

/// A table's rows as a map from its first column's text.
fn table_rows(wb: &mut Xlsx<std::io::BufReader<std::fs::File>>, name: &str) -> (Vec<String>, Vec<Vec<Data>>) {
    let t = wb.table_by_name(name).unwrap();
    // Long headers break before their unit bracket with a line feed;
    // compare them as one line.
    let headers = t.columns().iter().map(|h| h.replace('\n', "")).collect();
    let rows = t.data().rows().map(|r| r.to_vec()).collect();
    (headers, rows)
}

fn col(headers: &[String], name: &str) -> usize {
    headers.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name} in {headers:?}"))
}

fn find<'a>(rows: &'a [Vec<Data>], label: &str) -> &'a Vec<Data> {
    rows.iter().find(|r| r[0] == Data::String(label.into())).unwrap_or_else(|| panic!("no row {label}"))
}

fn float(d: &Data) -> f64 {
    match d {
        Data::Float(v) => *v,
        other => panic!("expected a number, got {other:?}"),
    }
}

#[test]
fn sheets_are_in_order() {
    let (_d, report) = fixture();
    let (_f, wb) = rendered(&report);
    assert_eq!(
        wb.sheet_names(),
        [
            "封面",
            "目录",
            "说明",
            "总览",
            "重点项目",
            "分地区",
            "分产业链",
            "分包抓领导",
            "分项目级别",
            "经济指标",
            "问题办理",
            "逾期督办",
            "走访情况",
            "数据质量"
        ]
    );
}

#[test]
fn group_tables_hold_the_reports_figures_as_numbers() {
    let (_d, report) = fixture();
    let (_f, mut wb) = rendered(&report);
    let (h, rows) = table_rows(&mut wb, "tbl_by_region");
    assert_eq!(
        h,
        [
            "地区",
            "项目个数（个）",
            "年度计划投资（万元）",
            "本年累计完成投资（万元）",
            "完成率（%）",
            "排名",
            "时序进度（%）",
            "进度标识",
            "新开工项目（个）",
            "已开工项目（个）",
            "开工率（%）",
            "年度投资目标（万元）",
            "目标完成率（%）",
            "新开工目标（个）",
            "新开工目标完成率（%）"
        ]
    );
    let (rate, done, rank, flag) =
        (col(&h, "完成率（%）"), col(&h, "本年累计完成投资（万元）"), col(&h, "排名"), col(&h, "进度标识"));
    // The whole comes first, and its done is the Report's total.
    assert_eq!(rows[0][0], Data::String("合计".into()));
    assert_eq!(float(&rows[0][done]), report.projects.total.done.unwrap());
    assert_eq!(rows.len(), report.projects.by_region.len() + 1);
    let mut checked_none = false;
    for g in &report.projects.by_region {
        let r = find(&rows, &g.label);
        match g.figures.completion_rate {
            // Exactly the model's f64: the workbook stores figures unrounded.
            Some(v) => assert_eq!(float(&r[rate]), v, "{}", g.label),
            None => {
                // 西岭镇: plan 0 → no rate, no rank, no flag: empty cells, not 0.
                assert_eq!(r[rate], Data::Empty, "{}", g.label);
                assert_eq!(r[rank], Data::Empty);
                assert_eq!(r[flag], Data::Empty);
                checked_none = true;
            }
        }
        assert_eq!(r[rank], g.rank.map_or(Data::Empty, |k| Data::Float(k as f64)));
        assert_eq!(float(&r[1]), g.figures.count as f64);
    }
    assert!(checked_none, "the fixture has a region without a completion rate");
    let flag_text = |f: Option<&str>| match f {
        Some("green") => "绿",
        Some("yellow") => "黄",
        Some("red") => "红",
        _ => "",
    };
    let baishui = report.projects.by_region.iter().find(|g| g.label == "白水镇").unwrap();
    assert_eq!(find(&rows, "白水镇")[flag], Data::String(flag_text(baishui.figures.flag.map(|f| f.as_str())).into()));
}

#[test]
fn project_table_keeps_formula_like_names_as_text_and_dates_as_dates() {
    let (_d, report) = fixture();
    let (_f, mut wb) = rendered(&report);
    let (h, rows) = table_rows(&mut wb, "tbl_projects");
    assert_eq!(rows.len(), report.projects.items.len());
    let name = col(&h, "项目名称");
    let names: Vec<&Data> = rows.iter().map(|r| &r[name]).collect();
    for expected in ["=HYPERLINK(\"x\")", "+1", "@丁"] {
        assert!(names.contains(&&Data::String(expected.into())), "{expected} not stored as text: {names:?}");
    }
    // No cell of the sheet is a formula.
    let formulas = wb.worksheet_formula("重点项目").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "a formula was written");
    // Every item's figures, by project id.
    let (id, plan, done, start) = (
        col(&h, "项目编号"),
        col(&h, "年度计划投资（万元）"),
        col(&h, "本年累计完成投资（万元）"),
        col(&h, "开工日期"),
    );
    for p in &report.projects.items {
        let r = rows.iter().find(|r| r[id] == Data::String(p.project_id.clone().unwrap())).unwrap();
        assert_eq!(float(&r[plan]), p.plan.unwrap());
        assert_eq!(float(&r[done]), p.done.unwrap());
        match &p.start_date {
            Some(d) => match &r[start] {
                Data::DateTime(dt) => assert_eq!(dt.as_datetime().unwrap().date().to_string(), *d),
                other => panic!("start date stored as {other:?}"),
            },
            None => assert_eq!(r[start], Data::Empty),
        }
    }
}

#[test]
fn overview_indicators_problems_and_overdue_match_the_report() {
    let (_d, report) = fixture();
    let (_f, mut wb) = rendered(&report);

    // KPIs: value and target beside each other, gap = value − target.
    let (h, rows) = table_rows(&mut wb, "tbl_kpi");
    let t = &report.projects.total;
    let r = find(&rows, "重点项目投资完成率");
    assert_eq!(float(&r[col(&h, "实际")]), t.completion_rate.unwrap());
    assert_eq!(float(&r[col(&h, "目标")]), t.time_progress);
    let r = find(&rows, "重点项目本年累计完成投资");
    assert_eq!(float(&r[col(&h, "实际")]), t.done.unwrap());
    assert_eq!(float(&r[col(&h, "目标")]), 6000.0);
    assert_eq!(float(&r[col(&h, "差距")]), t.done.unwrap() - 6000.0);
    assert_eq!(float(&r[col(&h, "目标完成率（%）")]), t.target_completion_rate.unwrap());
    let r = find(&rows, "问题解决率");
    assert_eq!(float(&r[col(&h, "实际")]), report.visits.resolution_rate.unwrap());
    assert!(rows.iter().any(|r| r[0] == Data::String("工业产值增速".into())));

    // Monthly cumulative investment.
    let (_, rows) = table_rows(&mut wb, "tbl_monthly_done");
    let monthly: Vec<f64> = rows.iter().map(|r| float(&r[1])).collect();
    let expected: Vec<f64> = report.projects.monthly.iter().map(|m| m.done.unwrap()).collect();
    assert_eq!(monthly, expected);

    // Indicators: the whole first, every figure as in the Report; the
    // formula-like indicator name is text.
    let (h, rows) = table_rows(&mut wb, "tbl_indicators");
    assert_eq!(rows.len(), report.indicators.len());
    assert_eq!(rows[0][1], Data::String("全部".into()));
    assert_eq!(rows[0][0], Data::String("=SUM(1)".into()));
    assert!(wb.worksheet_formula("经济指标").unwrap().used_cells().all(|(_, _, f)| f.is_empty()));
    let growth = col(&h, "同比增长（%）");
    for (r, i) in rows.iter().zip(&report.indicators) {
        assert_eq!(r[1], Data::String(i.region.clone()));
        assert_eq!(r[growth], i.growth.map_or(Data::Empty, Data::Float), "{}", i.region);
        assert_eq!(r[col(&h, "本年累计")], i.ytd.map_or(Data::Empty, Data::Float));
    }

    // Problems by category and by unit with rank.
    let (_, rows) = table_rows(&mut wb, "tbl_problems_by_category");
    assert_eq!(float(&find(&rows, "合计")[1]), report.visits.problems as f64);
    for g in &report.visits.by_category {
        assert_eq!(float(&find(&rows, &g.label)[1]), g.figures.problems as f64);
    }
    let (h, rows) = table_rows(&mut wb, "tbl_problems_by_unit");
    for g in &report.visits.by_unit {
        assert_eq!(find(&rows, &g.label)[col(&h, "排名")], g.rank.map_or(Data::Empty, |k| Data::Float(k as f64)));
    }

    // Overdue, worst first, with its colour; ledger text "-用地指标" stays text.
    let (h, rows) = table_rows(&mut wb, "tbl_overdue");
    assert_eq!(rows.len(), report.visits.overdue.len());
    assert!(!rows.is_empty());
    for (r, o) in rows.iter().zip(&report.visits.overdue) {
        assert_eq!(r[col(&h, "问题")], Data::String(o.problem.clone()));
        assert_eq!(float(&r[col(&h, "逾期天数（天）")]), o.days_overdue as f64);
        assert_eq!(r[col(&h, "督办颜色")], Data::String(o.colour.as_str().to_string()));
    }
}

#[test]
fn notes_contents_quality_and_properties() {
    let (_d, report) = fixture();
    let (_f, mut wb) = rendered(&report);
    // 说明 lists the definitions as written, in order.
    let (h, rows) = table_rows(&mut wb, "tbl_definitions");
    assert_eq!(h, ["数据项（metrics.json）", "名称", "单位", "定义"]);
    assert_eq!(rows.len(), statbrief::definitions::METRICS.len());
    for (r, (key, name, _, def)) in rows.iter().zip(statbrief::definitions::METRICS) {
        assert_eq!(r[0], Data::String(key.to_string()));
        assert_eq!(r[1], Data::String(name.to_string()));
        assert_eq!(r[3], Data::String(def.to_string()));
    }
    let notes = wb.worksheet_range("说明").unwrap();
    assert!(notes.used_cells().any(|(_, _, c)| matches!(c, Data::String(s) if s.contains("空白单元格表示无数据"))));

    // 目录 links every sheet.
    let (_, rows) = table_rows(&mut wb, "tbl_contents");
    let linked: Vec<String> = rows.iter().map(|r| r[1].to_string()).collect();
    assert_eq!(linked, wb.sheet_names());
    let links = wb.hyperlinks_by_sheet_name("目录").unwrap();
    assert_eq!(links.len(), wb.sheet_names().len());

    // 数据质量: one row per sheet read, counts as numbers; and every issue.
    let (h, rows) = table_rows(&mut wb, "tbl_row_accounting");
    let sheets: usize = report.data_quality.files.iter().map(|f| f.sheets.len()).sum();
    assert_eq!(rows.len(), sheets);
    let accepted: f64 = rows.iter().map(|r| float(&r[col(&h, "接收")])).sum();
    let expected: u64 = report.data_quality.files.iter().flat_map(|f| &f.sheets).map(|s| s.accepted).sum();
    assert_eq!(accepted, expected as f64);
    let (_, rows) = table_rows(&mut wb, "tbl_issues");
    assert_eq!(rows.len().max(1), report.data_quality.issues.len().max(1));

    // The cover names the period in words and lists the files with SHA-256.
    let cover = wb.worksheet_range("封面").unwrap();
    assert!(cover.used_cells().any(|(_, _, c)| matches!(c, Data::String(s) if s.contains("2025年1—6月"))));
    let (_, rows) = table_rows(&mut wb, "tbl_files");
    for (r, f) in rows.iter().zip(&report.data_quality.files) {
        assert_eq!(r[1], Data::String(f.sha256.clone()));
    }

    // No merged cells anywhere; document properties from the Report.
    for name in wb.sheet_names() {
        assert!(wb.merge_cells_by_sheet_name(&name).unwrap().is_empty(), "merged cells on {name}");
    }
    let props = wb.workbook_properties().unwrap();
    assert_eq!(props.title.as_deref(), Some(report.title.as_str()));
    assert_eq!(props.creator.as_deref(), Some(report.office.as_str()));
    assert!(props.created.is_some());
}

#[test]
fn empty_ledgers_still_give_every_sheet() {
    // Projects only: the visits and indicators tables keep their headers
    // and one empty row, and nothing fails.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "项目2025-06.csv", PROJECTS_JUNE);
    let ingested = ingest::ingest(dir.path()).unwrap();
    let report = stats::compute(&ingested, AsOf::parse("2025-06").unwrap(), &Config::default()).unwrap();
    let bytes = render_workbook(&report).unwrap();
    let mut wb = Xlsx::new(Cursor::new(bytes)).unwrap();
    assert_eq!(wb.sheet_names().len(), 14);
    wb.load_tables().unwrap();
    let t = wb.table_by_name("tbl_overdue").unwrap();
    assert!(t.data().used_cells().all(|(_, _, c)| *c == Data::Empty));
}

#[test]
fn the_quality_sheet_says_where_a_region_came_from_and_a_tables_layout() {
    // A town's own projects file (no region column, the town in its title)
    // and a whole-area 月报: the 数据质量 row of each says so.
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "项目2025-06.csv",
        "城关镇2025年1-6月重点项目进展情况,,\n项目名称,年度计划投资,本年累计完成投资\n甲,100,40\n",
    );
    write(dir.path(), "指标2025-06.csv", "2025年1-6月全县主要经济指标,,\n指标,单位,本年累计\n地区生产总值,亿元,86.5\n");
    let ingested = ingest::ingest(dir.path()).unwrap();
    let report = stats::compute(&ingested, AsOf::parse("2025-06").unwrap(), &Config::default()).unwrap();
    let (_f, mut wb) = rendered(&report);
    let (h, rows) = table_rows(&mut wb, "tbl_row_accounting");
    let remark = |sheet: &str| {
        let r = rows.iter().find(|r| r[1] == Data::String(sheet.into())).unwrap_or_else(|| panic!("{sheet}"));
        r[col(&h, "备注")].to_string()
    };
    assert!(remark("项目2025-06").contains("地区取自标题「城关镇」"), "{}", remark("项目2025-06"));
    assert!(remark("指标2025-06").contains("版式：全域表"), "{}", remark("指标2025-06"));
}
