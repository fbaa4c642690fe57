//! The ingestion rules of SPEC §1 on small fixture ledgers written by the
//! test itself (xlsx with rust_xlsxwriter, CSV in GBK and UTF-8). Each test
//! states the fixture row by row and derives the expected values and row
//! accounting by hand in comments. Excel rows are 1-based: fixture row index
//! `i` in `Sheet::rows` is Excel row `i + 1`.
//!
//! Every run goes through `common::run`, which checks for every sheet that
//! `rows == accepted + blank + total_rows + rejected` and that the frame holds
//! exactly the sheet's accepted rows.

use crate::common::*;
use statbrief::model::Kind;
use statbrief::quality::Severity;

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

// ───────────────────────── 1. title, unit line, period ─────────────────────────

#[test]
fn title_and_unit_line_above_the_header() {
    let dir = tmp();
    // Row 1: title merged across A1:F1, names the period 2023年1-3月 → 2023-03.
    // Row 2: `单位：亿元` in F2 → money columns without a unit of their own are ×10000.
    // Row 3: the header. 序号 matches nothing (ignored); 总投资（万元） has its
    //        own unit, which wins over the unit line.
    let s = Sheet::new("项目")
        .row(row!["2023年1-3月重点项目进展情况表"])
        .merge(0, 0, 0, 5)
        .row(row!["", "", "", "", "", "单位：亿元"])
        .row(row!["序号", "项目名称", "所属地区", "总投资（万元）", "年度计划投资", "本年累计完成投资"])
        .row(row![1, "甲项目", "白水镇", 50000, 1.5, 0.3])
        .row(row![2, "乙项目", "东河镇", 80000, 2, 0.25]);
    xlsx(dir.path(), "重点项目进展.xlsx", &[s]);
    let ing = run(dir.path());

    let r = sheet(&ing, "重点项目进展.xlsx", "项目");
    assert_eq!(r.kind, Some(Kind::Projects));
    assert_eq!(r.header_row, Some(3));
    assert_eq!(r.period.as_deref(), Some("2023-03"));
    assert_eq!(r.ignored_columns, vec!["序号".to_string()]);
    assert_eq!((r.rows, r.accepted, r.blank, r.total_rows, r.rejected), (2, 2, 0, 0, 0));
    assert_eq!(r.skipped_reason, None);

    let recs = sheet_records(&ing, Kind::Projects, "重点项目进展.xlsx", "项目");
    assert_eq!(rows(&recs), vec![4, 5]);
    assert_eq!(strs(&recs, "name"), texts(&["甲项目", "乙项目"]));
    // 1.5 亿元 = 15000 万元, 2 亿元 = 20000; 0.3 亿元 = 3000, 0.25 亿元 = 2500.
    assert_nums(&nums(&recs, "plan_year"), &some(&[15000.0, 20000.0]));
    assert_nums(&nums(&recs, "done_ytd"), &some(&[3000.0, 2500.0]));
    // 总投资（万元）: its own unit, not the unit line.
    assert_nums(&nums(&recs, "total_investment"), &some(&[50000.0, 80000.0]));
    for rec in &recs {
        assert_eq!(rec.s("period"), Some("2023-03"));
        assert_eq!(rec.i("year"), Some(2023));
        assert_eq!(rec.i("month"), Some(3));
        assert_eq!(rec.s("source_file"), Some("重点项目进展.xlsx"));
    }
}

// ───────────────────────── 2. two-level header ─────────────────────────

#[test]
fn two_level_header_with_group_cell() {
    let dir = tmp();
    // Row 1: title over A1:E1.
    // Row 2: 项目名称 (A2:A3) and 所属地区 (B2:B3) merged down over both header
    //        rows; 投资完成情况 merged across C2:E2.
    // Row 3: 年度计划 | 本年累计完成 | 完成率 under the group.
    // → header_row 3, plan_year = C, done_ytd = D, 完成率 ignored (a ratio).
    let s = Sheet::new("Sheet1")
        .row(row!["2023年1-3月重点项目进展情况"])
        .row(row!["项目名称", "所属地区", "投资完成情况"])
        .row(row!["", "", "年度计划", "本年累计完成", "完成率"])
        .row(row!["甲项目", "白水镇", 1000, 300, "30%"])
        .row(row!["乙项目", "东河镇", 2000, 500, "25%"])
        .merge(0, 0, 0, 4)
        .merge(1, 0, 2, 0)
        .merge(1, 1, 2, 1)
        .merge(1, 2, 1, 4);
    xlsx(dir.path(), "两级表头.xlsx", &[s]);
    let ing = run(dir.path());

    let r = sheet(&ing, "两级表头.xlsx", "Sheet1");
    assert_eq!(r.kind, Some(Kind::Projects), "{r:?}");
    assert_eq!(r.header_row, Some(3));
    assert_eq!(r.period.as_deref(), Some("2023-03"));
    // The header taken for each column, with its cell on the header row;
    // A and B are merged down from row 2, so row 3 shows their text too.
    assert_eq!(r.columns.get("name").map(String::as_str), Some("项目名称（A3）"));
    assert_eq!(r.columns.get("region").map(String::as_str), Some("所属地区（B3）"));
    assert_eq!(r.columns.get("plan_year").map(String::as_str), Some("年度计划（C3）"));
    assert_eq!(r.columns.get("done_ytd").map(String::as_str), Some("本年累计完成（D3）"));
    assert_eq!(r.column_letters.get("done_ytd").map(String::as_str), Some("D"));
    assert_eq!(r.ignored_columns, vec!["完成率".to_string()]);
    assert_eq!((r.rows, r.accepted), (2, 2));

    let recs = sheet_records(&ing, Kind::Projects, "两级表头.xlsx", "Sheet1");
    assert_eq!(strs(&recs, "name"), texts(&["甲项目", "乙项目"]));
    assert_eq!(strs(&recs, "region"), texts(&["白水镇", "东河镇"]));
    assert_nums(&nums(&recs, "plan_year"), &some(&[1000.0, 2000.0]));
    assert_nums(&nums(&recs, "done_ytd"), &some(&[300.0, 500.0]));
}

// ───────────────────────── 3. header normalisation ─────────────────────────

#[test]
fn traditional_spaced_and_year_prefixed_headers_read_like_plain_ones() {
    let dir = tmp();
    // One workbook, four spellings of the same header; the period comes from
    // the file name (2023-05). The Traditional sheet also writes its towns in
    // Traditional characters: region is a label column, folded to Simplified.
    let data = |towns: [&str; 2]| vec![row!["甲项目", towns[0], 1000, 300], row!["乙项目", towns[1], 2000, 450.5]];
    let mk = |name: &str, header: Vec<X>, towns: [&str; 2]| {
        let mut s = Sheet::new(name).row(header);
        for r in data(towns) {
            s = s.row(r);
        }
        s
    };
    let plain = mk(
        "简体",
        row!["项目名称", "所属地区", "年度计划投资（万元）", "本年累计完成投资（万元）"],
        ["白水镇", "东河镇"],
    );
    let trad = mk(
        "繁體",
        row!["項目名稱", "所屬地區", "年度計劃投資（萬元）", "本年累計完成投資（萬元）"],
        ["白水鎮", "東河鎮"],
    );
    let spaced = mk(
        "换行",
        row!["项目\n名称", "所属\u{3000}地区", "年度计划\n投资（万元）", "本年累计完成 投资（万元）"],
        ["白水镇", "东河镇"],
    );
    let year = mk(
        "年份",
        row!["项目名称", "所属地区", "2023年度计划投资（万元）", "2023年1-5月累计完成投资（万元）"],
        ["白水镇", "东河镇"],
    );
    // Each spelling in a folder of its own: the same projects of the same
    // month in two sheets would be one re-sent ledger (SPEC §1.4).
    let _ = dir;
    let file = "重点项目2023-05.xlsx";
    let read = |s: Sheet| {
        let d = tmp();
        xlsx(d.path(), file, &[s]);
        (run(d.path()), d)
    };
    let runs: Vec<(&str, (statbrief::ingest::Ingested, tempfile::TempDir))> =
        vec![("简体", read(plain)), ("繁體", read(trad)), ("换行", read(spaced)), ("年份", read(year))];
    let ing_of = |name: &str| &runs.iter().find(|(n, _)| *n == name).unwrap().1 .0;
    let reference = sheet_records(ing_of("简体"), Kind::Projects, file, "简体");
    assert_eq!(strs(&reference, "name"), texts(&["甲项目", "乙项目"]));
    assert_eq!(strs(&reference, "region"), texts(&["白水镇", "东河镇"]));
    assert_nums(&nums(&reference, "plan_year"), &some(&[1000.0, 2000.0]));
    assert_nums(&nums(&reference, "done_ytd"), &some(&[300.0, 450.5]));
    for name in ["简体", "繁體", "换行", "年份"] {
        let ing = ing_of(name);
        let r = sheet(ing, file, name);
        assert_eq!(r.kind, Some(Kind::Projects), "{name}: {r:?}");
        assert_eq!(r.header_row, Some(1), "{name}");
        assert_eq!(r.period.as_deref(), Some("2023-05"), "{name}");
        assert!(r.ignored_columns.is_empty(), "{name}: {:?}", r.ignored_columns);
        assert_eq!((r.rows, r.accepted), (2, 2), "{name}");
        let recs = sheet_records(ing, Kind::Projects, file, name);
        let a: Vec<_> = recs.iter().map(|r| r.without_trace()).collect();
        let b: Vec<_> = reference.iter().map(|r| r.without_trace()).collect();
        assert_eq!(a, b, "{name} differs from the plain sheet");
    }
}

// ───────────────────────── 4. vertical merges ─────────────────────────

#[test]
fn region_merged_down_is_filled_to_every_row() {
    let dir = tmp();
    // Row 1 title; row 2 header; B3:B5 merged "白水镇" over 甲/乙/丙; 丁 has its own.
    let s = Sheet::new("台账")
        .row(row!["2023年3月重点项目台账"])
        .row(row!["项目名称", "所属地区", "年度计划投资", "本年累计完成投资"])
        .row(row!["甲项目", "白水镇", 100, 10])
        .row(row!["乙项目", "", 200, 20])
        .row(row!["丙项目", "", 300, 30])
        .row(row!["丁项目", "东河镇", 400, 40])
        .merge(2, 1, 4, 1);
    xlsx(dir.path(), "合并单元格.xlsx", &[s]);
    let ing = run(dir.path());

    let r = sheet(&ing, "合并单元格.xlsx", "台账");
    assert_eq!((r.rows, r.accepted, r.rejected), (4, 4, 0), "{r:?}");
    let recs = sheet_records(&ing, Kind::Projects, "合并单元格.xlsx", "台账");
    assert_eq!(strs(&recs, "name"), texts(&["甲项目", "乙项目", "丙项目", "丁项目"]));
    assert_eq!(strs(&recs, "region"), texts(&["白水镇", "白水镇", "白水镇", "东河镇"]));
    assert!(issues_of(&ing, "合并单元格.xlsx", "台账", Severity::Error).is_empty());
}

// ───────────────────────── 5. totals, blanks, end of table ─────────────────────────

#[test]
fn totals_blanks_and_notes() {
    let dir = tmp();
    // Excel row: content                                  → accounting
    //  1  title 2023年1-3月…
    //  2  header 序号|项目名称|所属地区|年度计划投资|本年累计完成投资
    //  3  1 甲项目 白水镇 100 10                           accepted
    //  4  2 乙项目 白水镇 200 20                           accepted
    //  5  小计 (in 序号, the first text cell) 300 30       total
    //  6  (no cell at all)                                 blank (a data row follows)
    //  7  3 全县农村公路提升工程 东河镇 400 40              accepted (全县 + a name is a project)
    //  8  4 (only 序号: every mapped column empty)          blank
    //  9  全县合计 (in 项目名称) 700 70                    total
    // 10  (no cell at all)                                 trailing: not counted
    // 11  注：1.本表数据截至3月底                           end of table
    // 12  5 戊项目 西岭镇 999 99                           below the note: not counted
    // 13  填报人：张三                                      not counted
    // rows = 7 (3..=9) = accepted 3 + blank 2 + total 2 + rejected 0.
    let s = Sheet::new("项目")
        .row(row!["2023年1-3月重点项目进展情况"])
        .row(row!["序号", "项目名称", "所属地区", "年度计划投资", "本年累计完成投资"])
        .row(row![1, "甲项目", "白水镇", 100, 10])
        .row(row![2, "乙项目", "白水镇", 200, 20])
        .row(row!["小计", "", "", 300, 30])
        .blank()
        .row(row![3, "全县农村公路提升工程", "东河镇", 400, 40])
        .row(row![4])
        .row(row!["", "全县合计", "", 700, 70])
        .blank()
        .row(row!["注：1.本表数据截至3月底"])
        .row(row![5, "戊项目", "西岭镇", 999, 99])
        .row(row!["填报人：张三"]);
    xlsx(dir.path(), "合计.xlsx", &[s]);
    let ing = run(dir.path());

    let r = sheet(&ing, "合计.xlsx", "项目");
    assert_eq!(r.header_row, Some(2));
    assert_eq!(
        (r.rows, r.accepted, r.blank, r.total_rows, r.rejected),
        (7, 3, 2, 2, 0),
        "(rows, accepted, blank, total_rows, rejected) of {r:?}"
    );
    let recs = sheet_records(&ing, Kind::Projects, "合计.xlsx", "项目");
    assert_eq!(rows(&recs), vec![3, 4, 7]);
    assert_eq!(strs(&recs, "name"), texts(&["甲项目", "乙项目", "全县农村公路提升工程"]));
    // Nothing about the rows below the note.
    let all = issues(&ing, "合计.xlsx", Some("项目"));
    assert!(
        all.iter().all(|i| i.severity != Severity::Error
            && !i.message.contains("戊项目")
            && i.cell.as_deref() != Some("A12")),
        "{all:#?}"
    );
}

// ───────────────────────── 6. cell values ─────────────────────────

#[test]
fn numbers_as_clerks_write_them() {
    let dir = tmp();
    // Columns: A 项目编号 | B 项目名称 | C 所属地区 | D 总投资 (optional, no unit → 万元)
    //          | E 年度计划投资（万元）* | F 本年累计完成投资（万元）*
    // Excel row 3  P1: D "1,234.5" → 1234.5; E "１２３４" → 1234; F "12.3万元" → 12.3   accepted
    // Excel row 4  P2: D "-" → null (not 0); E "1.5亿元" → 15000; F 100                accepted
    // Excel row 5  P3: F "待定" → rejected, Error at F5                                rejected
    // Excel row 6  P4: D "—" → null; E "无" (missing marker in a required column)     rejected, E6
    // Excel row 7  P5: F empty (required)                                             rejected, F7
    // Excel row 8  P6: D "/" → null; E " 2,000 " → 2000; F "0" → 0 (a value)          accepted
    // Excel row 9  P7: C "/" (missing marker in the required text column 所属地区)    rejected, C9
    // rows 7 = accepted 3 + rejected 4.
    let s = Sheet::new("项目")
        .row(row!["2023年3月重点项目进展"])
        .row(row!["项目编号", "项目名称", "所属地区", "总投资", "年度计划投资（万元）", "本年累计完成投资（万元）"])
        .row(row!["P1", "甲", "白水镇", "1,234.5", "１２３４", "12.3万元"])
        .row(row!["P2", "乙", "白水镇", "-", "1.5亿元", 100])
        .row(row!["P3", "丙", "东河镇", 5000, 800, "待定"])
        .row(row!["P4", "丁", "东河镇", "—", "无", 50])
        .row(row!["P5", "戊", "西岭镇", "", 100, ""])
        .row(row!["P6", "己", "西岭镇", "/", " 2,000 ", "0"])
        .row(row!["P7", "庚", "/", 100, 100, 10]);
    xlsx(dir.path(), "数值.xlsx", &[s]);
    let ing = run(dir.path());
    let (file, sh) = ("数值.xlsx", "项目");

    let r = sheet(&ing, file, sh);
    assert_eq!((r.rows, r.accepted, r.rejected), (7, 3, 4), "{r:?}");
    let recs = sheet_records(&ing, Kind::Projects, file, sh);
    assert_eq!(strs(&recs, "project_id"), texts(&["P1", "P2", "P6"]));
    assert_nums(&nums(&recs, "total_investment"), &[Some(1234.5), None, None]);
    assert_nums(&nums(&recs, "plan_year"), &some(&[1234.0, 15000.0, 2000.0]));
    assert_nums(&nums(&recs, "done_ytd"), &some(&[12.3, 100.0, 0.0]));

    let pending = issue_at(&ing, file, sh, "F5");
    assert_eq!(pending.severity, Severity::Error);
    assert_eq!(pending.column.map(|c| c.name()), Some("done_ytd"));
    assert_eq!(pending.value.as_deref(), Some("待定"));
    assert!(pending.message.contains("「待定」") && pending.message.contains("该行未计入"), "{}", pending.message);

    let none = issue_at(&ing, file, sh, "E6");
    assert_eq!(none.severity, Severity::Error);
    assert_eq!(none.column.map(|c| c.name()), Some("plan_year"));
    assert_eq!(none.value.as_deref(), Some("无"));
    assert!(none.message.contains("该行未计入"), "{}", none.message);

    let empty = issue_at(&ing, file, sh, "F7");
    assert_eq!(empty.severity, Severity::Error);
    assert_eq!(empty.column.map(|c| c.name()), Some("done_ytd"));
    assert!(empty.message.contains("该行未计入"), "{}", empty.message);

    let slash = issue_at(&ing, file, sh, "C9");
    assert_eq!(
        (slash.severity, slash.column.map(|c| c.name()), slash.value.as_deref()),
        (Severity::Error, Some("region"), Some("/"))
    );
    assert!(slash.message.contains("该行未计入"), "{}", slash.message);

    // Missing markers in the optional column are silent: no issue at D4, D6, D8.
    let all = issues(&ing, file, Some(sh));
    for cell in ["D4", "D6", "D7", "D8"] {
        assert!(all.iter().all(|i| i.cell.as_deref() != Some(cell)), "unexpected issue at {cell}: {all:#?}");
    }
    assert_eq!(all.iter().filter(|i| i.severity == Severity::Error).count(), 4, "{all:#?}");
}

// ───────────────────────── 7. dates ─────────────────────────

/// The ways of writing 2023-03-05 that SPEC §1.3 accepts: two Excel date
/// cells (ISO and Chinese display formats), a serial number, the five text
/// forms, and an 8-digit number.
fn date_variants() -> Vec<X> {
    vec![
        X::D(date(2023, 3, 5)),   // an Excel date cell
        X::DCn(date(2023, 3, 5)), // an Excel date cell shown as 2023年3月5日
        X::N(44990.0),            // a plain serial number
        X::from("2023-03-05"),
        X::from("2023/3/5"),
        X::from("2023.3.5"),
        X::from("2023年3月5日"),
        X::from("20230305"),
        X::N(20230305.0), // yyyymmdd typed into a number cell
    ]
}

#[test]
fn dates_in_every_written_form() {
    let dir = tmp();
    // 项目: Excel rows 2..=10 carry the nine forms in 开工日期 (E, optional);
    //       row 11 has 三月上旬 → null with a Warning at E11, row accepted.
    let mut projects =
        Sheet::new("项目").row(row!["项目名称", "所属地区", "年度计划投资", "本年累计完成投资", "开工日期"]);
    for (i, d) in date_variants().into_iter().enumerate() {
        projects = projects.row(vec![X::from(format!("项目{}", i + 1)), X::from("白水镇"), X::N(100.0), X::N(10.0), d]);
    }
    projects = projects.row(row!["项目10", "白水镇", 100, 10, "三月上旬"]);
    // 走访: the same nine forms in 走访日期 (A, required); row 11 三月上旬 → rejected at A11.
    let mut visits = Sheet::new("走访").row(row!["走访日期", "走访干部", "企业名称", "问题描述"]);
    for (i, d) in date_variants().into_iter().enumerate() {
        visits = visits.row(vec![d, X::from("张三"), X::from(format!("企业{}", i + 1)), X::from("用地难")]);
    }
    visits = visits.row(row!["三月上旬", "张三", "企业10", "用地难"]);
    xlsx(dir.path(), "日期2023年3月.xlsx", &[projects, visits]);
    let ing = run(dir.path());
    let file = "日期2023年3月.xlsx";
    let d = date(2023, 3, 5);

    let r = sheet(&ing, file, "项目");
    assert_eq!(r.period.as_deref(), Some("2023-03"), "period from the file name");
    assert_eq!((r.rows, r.accepted, r.rejected), (10, 10, 0), "{r:?}");
    let recs = sheet_records(&ing, Kind::Projects, file, "项目");
    let dates: Vec<_> = recs.iter().map(|r| r.d("start_date")).collect();
    let mut expected = vec![Some(d); 9];
    expected.push(None);
    assert_eq!(dates, expected);
    let w = issue_at(&ing, file, "项目", "E11");
    assert_eq!(
        (w.severity, w.column.map(|c| c.name()), w.value.as_deref()),
        (Severity::Warning, Some("start_date"), Some("三月上旬"))
    );

    let r = sheet(&ing, file, "走访");
    assert_eq!(r.kind, Some(Kind::Visits));
    assert_eq!((r.rows, r.accepted, r.rejected), (10, 9, 1), "{r:?}");
    let recs = sheet_records(&ing, Kind::Visits, file, "走访");
    assert_eq!(recs.iter().map(|r| r.d("visit_date")).collect::<Vec<_>>(), vec![Some(d); 9]);
    let e = issue_at(&ing, file, "走访", "A11");
    assert_eq!(
        (e.severity, e.column.map(|c| c.name()), e.value.as_deref()),
        (Severity::Error, Some("visit_date"), Some("三月上旬"))
    );
    assert!(e.message.contains("该行未计入"), "{}", e.message);
}

// ───────────────────────── 8. Excel error cells ─────────────────────────

#[test]
fn excel_error_cells() {
    let dir = tmp();
    // A 项目名称 | B 所属地区 | C 总投资 (optional) | D 年度计划投资* | E 本年累计完成投资*
    // Excel row 2: C = #DIV/0! → null, Warning at C2, row accepted
    // Excel row 3: E = #DIV/0! → rejected, Error at E3
    // Excel row 4: D = #N/A    → rejected, Error at D4
    let s = Sheet::new("项目")
        .row(row!["项目名称", "所属地区", "总投资", "年度计划投资", "本年累计完成投资"])
        .row(vec![X::from("甲"), X::from("白水镇"), formula("=1/0", "#DIV/0!"), X::N(100.0), X::N(10.0)])
        .row(vec![X::from("乙"), X::from("白水镇"), X::N(500.0), X::N(200.0), formula("=1/0", "#DIV/0!")])
        .row(vec![X::from("丙"), X::from("东河镇"), X::N(600.0), formula("=NA()", "#N/A"), X::N(30.0)]);
    xlsx(dir.path(), "错误值2023年3月.xlsx", &[s]);
    let ing = run(dir.path());
    let (file, sh) = ("错误值2023年3月.xlsx", "项目");

    let r = sheet(&ing, file, sh);
    assert_eq!((r.rows, r.accepted, r.rejected), (3, 1, 2), "{r:?}");
    let recs = sheet_records(&ing, Kind::Projects, file, sh);
    assert_eq!(strs(&recs, "name"), texts(&["甲"]));
    assert_eq!(recs[0].f("total_investment"), None);
    assert_nums(&nums(&recs, "plan_year"), &some(&[100.0]));

    let w = issue_at(&ing, file, sh, "C2");
    assert_eq!(
        (w.severity, w.column.map(|c| c.name()), w.value.as_deref()),
        (Severity::Warning, Some("total_investment"), Some("#DIV/0!"))
    );
    let e = issue_at(&ing, file, sh, "E3");
    assert_eq!(
        (e.severity, e.column.map(|c| c.name()), e.value.as_deref()),
        (Severity::Error, Some("done_ytd"), Some("#DIV/0!"))
    );
    assert!(e.message.contains("该行未计入"), "{}", e.message);
    let e = issue_at(&ing, file, sh, "D4");
    assert_eq!(
        (e.severity, e.column.map(|c| c.name()), e.value.as_deref()),
        (Severity::Error, Some("plan_year"), Some("#N/A"))
    );
}

// ───────────────────────── 9. duplicates ─────────────────────────

#[test]
fn duplicate_keys_reject_the_second_row() {
    let dir = tmp();
    // 有编号: key = 项目编号. Excel row 4 repeats P1 of row 2 → rejected at A4.
    let with_id = Sheet::new("有编号")
        .row(row!["项目编号", "项目名称", "所属地区", "年度计划投资", "本年累计完成投资"])
        .row(row!["P1", "甲", "白水镇", 100, 10])
        .row(row!["P2", "乙", "白水镇", 200, 20])
        .row(row!["P1", "甲二期", "东河镇", 300, 30]);
    // 无编号: key = (名称, 地区). Row 3 (甲, 东河镇) is another project; row 4
    // repeats (甲, 白水镇) of row 2 → rejected at A4.
    let without_id = Sheet::new("无编号")
        .row(row!["项目名称", "所属地区", "年度计划投资", "本年累计完成投资"])
        .row(row!["甲", "白水镇", 100, 10])
        .row(row!["甲", "东河镇", 100, 10])
        .row(row!["甲", "白水镇", 300, 30]);
    xlsx(dir.path(), "重复2023年3月.xlsx", &[with_id, without_id]);
    let ing = run(dir.path());
    let file = "重复2023年3月.xlsx";

    let r = sheet(&ing, file, "有编号");
    assert_eq!((r.rows, r.accepted, r.rejected), (3, 2, 1), "{r:?}");
    let recs = sheet_records(&ing, Kind::Projects, file, "有编号");
    assert_eq!(strs(&recs, "name"), texts(&["甲", "乙"]), "the first P1 is kept");
    let e = issue_at(&ing, file, "有编号", "A4");
    assert_eq!(
        (e.severity, e.column.map(|c| c.name()), e.value.as_deref()),
        (Severity::Error, Some("project_id"), Some("P1"))
    );
    assert!(e.message.contains("第2行") && e.message.contains("重复"), "{}", e.message);

    let r = sheet(&ing, file, "无编号");
    assert_eq!((r.rows, r.accepted, r.rejected), (3, 2, 1), "{r:?}");
    let recs = sheet_records(&ing, Kind::Projects, file, "无编号");
    assert_eq!(rows(&recs), vec![2, 3]);
    let e = issue_at(&ing, file, "无编号", "A4");
    assert_eq!((e.severity, e.column.map(|c| c.name())), (Severity::Error, Some("name")));
    assert!(e.message.contains("第2行"), "{}", e.message);
}

// ───────────────────────── 10. visits ─────────────────────────

#[test]
fn visits_folds_and_credit_codes() {
    let dir = tmp();
    // Columns A..K: 走访日期 走访干部 干部单位 企业名称 统一社会信用代码 所属地区
    //               问题描述 问题类别 办理层级 办理状态 企业满意度
    // Row 2: 融资 / 当场办 / 已办结 / 满意, valid USCC (GB 32100's own example) → no issue
    // Row 3: 家长里短 → 其他 + Warning H3; 市领导办 → 领导办; 办理中 → in_progress;
    //        USCC …Y44 (bad check character) → Warning E3, value kept
    // Row 4: 审批手续 / 部门办 / 暂不具备条件 → unresolvable / 不满意
    // Row 5: a visit that raised no problem: problem, category, tier, status null
    // Row 6: lower-case valid USCC → upper-cased, no warning; 重大 → 领导办; 未办结 → in_progress;
    //        非常满意 → 满意; 水电气暖
    // Row 7: 搁置 is no status → null + Warning J7; 县领导办 → 领导办
    let s = Sheet::new("走访")
        .row(row![
            "走访日期",
            "走访干部",
            "干部单位",
            "企业名称",
            "统一社会信用代码",
            "所属地区",
            "问题描述",
            "问题类别",
            "办理层级",
            "办理状态",
            "企业满意度"
        ])
        .row(row![
            "2023-03-01",
            "张三",
            "发改局",
            "甲公司",
            "91350100M000100Y43",
            "白水镇",
            "贷款难",
            "融资",
            "当场办",
            "已办结",
            "满意"
        ])
        .row(row![
            "2023-03-02",
            "李四",
            "工信局",
            "乙公司",
            "91350100M000100Y44",
            "东河镇",
            "邻里纠纷",
            "家长里短",
            "市领导办",
            "办理中",
            "基本满意"
        ])
        .row(row![
            "2023-03-03",
            "王五",
            "商务局",
            "丙公司",
            "",
            "西岭镇",
            "审批慢",
            "审批手续",
            "部门办",
            "暂不具备条件",
            "不满意"
        ])
        .row(row!["2023-03-04", "赵六", "商务局", "丁公司", "", "西岭镇", "", "", "", "", "满意"])
        .row(row![
            "2023-03-05",
            "张三",
            "发改局",
            "甲公司",
            "91350100m000100y43",
            "白水镇",
            "用电紧张",
            "水电气暖",
            "重大",
            "未办结",
            "非常满意"
        ])
        .row(row!["2023-03-06", "李四", "工信局", "乙公司", "", "东河镇", "招工难", "用工", "县领导办", "搁置", ""]);
    xlsx(dir.path(), "走访2023年3月.xlsx", &[s]);
    let ing = run(dir.path());
    let (file, sh) = ("走访2023年3月.xlsx", "走访");

    let r = sheet(&ing, file, sh);
    assert_eq!(r.kind, Some(Kind::Visits));
    assert_eq!((r.rows, r.accepted, r.rejected), (6, 6, 0), "{r:?}");
    let recs = sheet_records(&ing, Kind::Visits, file, sh);
    let opt = |v: &[Option<&str>]| v.iter().map(|s| s.map(str::to_string)).collect::<Vec<_>>();
    assert_eq!(
        strs(&recs, "category"),
        opt(&[Some("融资"), Some("其他"), Some("审批手续"), None, Some("水电气暖"), Some("用工")])
    );
    assert_eq!(
        strs(&recs, "tier"),
        opt(&[Some("当场办"), Some("领导办"), Some("部门办"), None, Some("领导办"), Some("领导办")])
    );
    assert_eq!(
        strs(&recs, "status"),
        opt(&[Some("resolved"), Some("in_progress"), Some("unresolvable"), None, Some("in_progress"), None])
    );
    assert_eq!(
        strs(&recs, "satisfaction"),
        opt(&[Some("满意"), Some("基本满意"), Some("不满意"), Some("满意"), Some("满意"), None])
    );
    assert_eq!(
        strs(&recs, "uscc"),
        opt(&[Some("91350100M000100Y43"), Some("91350100M000100Y44"), None, None, Some("91350100M000100Y43"), None])
    );
    assert_eq!(recs[3].s("problem"), None, "a visit without a problem");
    assert_eq!(recs[0].d("visit_date"), Some(date(2023, 3, 1)));

    // Exactly three cell warnings: H3 (category), E3 (USCC check character),
    // J7 (status); and one for the sheet: its period is only in the file name.
    let sheet_level: Vec<_> =
        issues_of(&ing, file, sh, Severity::Warning).into_iter().filter(|i| i.cell.is_none()).collect();
    assert_eq!(sheet_level.len(), 1, "{sheet_level:#?}");
    assert!(sheet_level[0].message.contains("只取自文件名"), "{}", sheet_level[0].message);
    let mut warned: Vec<(String, String)> = issues_of(&ing, file, sh, Severity::Warning)
        .into_iter()
        .filter(|i| i.cell.is_some())
        .map(|i| (i.cell.unwrap_or_default(), i.column.map(|c| c.name().to_string()).unwrap_or_default()))
        .collect();
    warned.sort();
    let expected: Vec<(String, String)> = [("E3", "uscc"), ("H3", "category"), ("J7", "status")]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(warned, expected, "{:#?}", issues(&ing, file, Some(sh)));
    let cat = issue_at(&ing, file, sh, "H3");
    assert_eq!(cat.value.as_deref(), Some("家长里短"));
    assert!(cat.message.contains("其他"), "{}", cat.message);
    assert!(issue_at(&ing, file, sh, "E3").message.contains("校验位"));
    assert!(issues_of(&ing, file, sh, Severity::Error).is_empty());
}

// ───────────────────────── 11. periods ─────────────────────────

#[test]
fn period_from_file_name_column_or_nowhere() {
    let dir = tmp();
    let header = row!["项目名称", "所属地区", "年度计划投资", "本年累计完成投资"];
    // No title: the period comes from the file name 202303.
    let named =
        Sheet::new("Sheet1").row(header.clone()).row(row!["甲", "白水镇", 100, 10]).row(row!["乙", "白水镇", 200, 20]);
    xlsx(dir.path(), "项目台账202303.xlsx", &[named]);
    // No title, no period in the file, folder or sheet name: skipped, with how to name it.
    let nameless = Sheet::new("Sheet1").row(header.clone()).row(row!["甲", "白水镇", 100, 10]);
    xlsx(dir.path(), "无期别/项目台账.xlsx", &[nameless]);
    // A 报告期 column: each row has its own period; Excel row 5 (上月) is no period → rejected.
    let with_col = Sheet::new("明细")
        .row(row!["报告期", "项目名称", "所属地区", "年度计划投资", "本年累计完成投资"])
        .row(row!["2023年2月", "甲", "白水镇", 100, 10])
        .row(row!["2023-03", "己", "白水镇", 200, 20])
        .row(row![202304, "丙", "白水镇", 300, 30])
        .row(row!["上月", "丁", "白水镇", 400, 40]);
    xlsx(dir.path(), "报告期列.xlsx", &[with_col]);
    let ing = run(dir.path());

    let r = sheet(&ing, "项目台账202303.xlsx", "Sheet1");
    assert_eq!(r.period.as_deref(), Some("2023-03"));
    assert_eq!(r.accepted, 2);
    for rec in sheet_records(&ing, Kind::Projects, "项目台账202303.xlsx", "Sheet1") {
        assert_eq!((rec.s("period"), rec.i("year"), rec.i("month")), (Some("2023-03"), Some(2023), Some(3)));
    }

    let r = sheet(&ing, "无期别/项目台账.xlsx", "Sheet1");
    assert_eq!(r.kind, Some(Kind::Projects));
    assert_eq!(r.accepted, 0);
    let why = r.skipped_reason.as_deref().expect("skipped for want of a period");
    assert!(why.contains("报告期") && why.contains("文件名") && why.contains("202303"), "{why}");
    let errs = issues_of(&ing, "无期别/项目台账.xlsx", "Sheet1", Severity::Error);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(errs[0].message.contains("文件名"), "{}", errs[0].message);

    let r = sheet(&ing, "报告期列.xlsx", "明细");
    assert_eq!((r.rows, r.accepted, r.rejected), (4, 3, 1), "{r:?}");
    assert_eq!(r.period.as_deref(), Some("2023-04"), "the latest row period");
    assert!(r.ignored_columns.is_empty(), "报告期 is the period column, not ignored: {:?}", r.ignored_columns);
    let recs = sheet_records(&ing, Kind::Projects, "报告期列.xlsx", "明细");
    assert_eq!(strs(&recs, "period"), texts(&["2023-02", "2023-03", "2023-04"]));
    assert_eq!(recs.iter().map(|r| r.i("month")).collect::<Vec<_>>(), vec![Some(2), Some(3), Some(4)]);
    let e = issue_at(&ing, "报告期列.xlsx", "明细", "A5");
    assert_eq!(
        (e.severity, e.column.map(|c| c.name()), e.value.as_deref()),
        (Severity::Error, Some("period"), Some("上月"))
    );
}

// ───────────────────────── 12. indicators ─────────────────────────

#[test]
fn indicators_totals_title_names_and_units() {
    let dir = tmp();
    // 主要指标: 全县 is the reported total (kept, is_total, counted in total_rows);
    // 计量单位 亿元 → values ×10000 and unit 万元; growth is a percent, unchanged.
    //   row 3 全县 12.5亿 / 11.0亿 / 13.6   → 125000 / 110000, total
    //   row 4 白水镇 5亿 / 4.5亿 / 11.1     → 50000 / 45000
    //   row 5 东河镇 75000万 / 65000万 / 15.4
    // rows 3 = accepted 2 + total 1.
    let main = Sheet::new("主要指标")
        .row(row!["2023年1-3月主要经济指标完成情况"])
        .row(row!["地区", "指标名称", "计量单位", "本年累计", "去年同期", "增速(%)"])
        .row(row!["全县", "规上工业增加值", "亿元", 12.5, 11.0, 13.6])
        .row(row!["白水镇", "规上工业增加值", "亿元", 5, 4.5, 11.1])
        .row(row!["东河镇", "规上工业增加值", "万元", 75000, 65000, 15.4]);
    // 固定资产投资: no 指标 column; the title names the indicator.
    let titled = Sheet::new("规上工业")
        .row(row!["2023年1-3月固定资产投资完成情况"])
        .row(row!["地区", "本年累计", "增速(%)"])
        .row(row!["白水镇", 5.2, 10.5])
        .row(row!["东河镇", 7.1, 12.0]);
    xlsx(dir.path(), "经济指标.xlsx", &[main, titled]);
    let ing = run(dir.path());
    let file = "经济指标.xlsx";

    let r = sheet(&ing, file, "主要指标");
    assert_eq!(r.kind, Some(Kind::Indicators));
    assert_eq!(r.period.as_deref(), Some("2023-03"));
    assert_eq!((r.rows, r.accepted, r.total_rows, r.rejected), (3, 2, 1, 0), "{r:?}");
    let recs = sheet_records(&ing, Kind::Indicators, file, "主要指标");
    assert_eq!(strs(&recs, "region"), texts(&["全县", "白水镇", "东河镇"]));
    assert_eq!(recs.iter().map(|r| r.b("is_total")).collect::<Vec<_>>(), vec![Some(true), Some(false), Some(false)]);
    assert_nums(&nums(&recs, "value_ytd"), &some(&[125000.0, 50000.0, 75000.0]));
    assert_nums(&nums(&recs, "value_ytd_ly"), &some(&[110000.0, 45000.0, 65000.0]));
    assert_nums(&nums(&recs, "growth_reported"), &some(&[13.6, 11.1, 15.4]));
    assert_eq!(strs(&recs, "unit"), texts(&["万元", "万元", "万元"]));

    let r = sheet(&ing, file, "规上工业");
    assert_eq!(r.kind, Some(Kind::Indicators), "{r:?}");
    assert_eq!((r.rows, r.accepted, r.total_rows), (2, 2, 0));
    let recs = sheet_records(&ing, Kind::Indicators, file, "规上工业");
    assert_eq!(strs(&recs, "indicator"), texts(&["固定资产投资", "固定资产投资"]));
    assert_nums(&nums(&recs, "value_ytd"), &some(&[5.2, 7.1]));
    assert_eq!(recs.iter().map(|r| r.b("is_total")).collect::<Vec<_>>(), vec![Some(false), Some(false)]);
}

// ───────────────────────── 13. targets ─────────────────────────

#[test]
fn targets_scope_units_and_types() {
    let dir = tmp();
    // Title 2023年度… → the sheet's year 2023 (targets have no month).
    //   row 3 全县 规上工业增加值 7.0 %   → growth, 7.0 (全县 is the scope, not a total)
    //   row 4 全县 年度投资 150 亿元     → amount, 1,500,000 万元, unit 万元
    //   row 5 全县 新开工项目 60 个      → count, 60
    //   row 6 白水镇 年度投资 30000 万元 → amount, 30000
    //   row 7 合计 年度投资 …            → total row
    // rows 5 = accepted 4 + total 1.
    let s = Sheet::new("目标")
        .row(row!["2023年度目标任务分解表"])
        .row(row!["地区", "指标", "目标值", "单位"])
        .row(row!["全县", "规上工业增加值", 7.0, "%"])
        .row(row!["全县", "年度投资", 150, "亿元"])
        .row(row!["全县", "新开工项目", 60, "个"])
        .row(row!["白水镇", "年度投资", 30000, "万元"])
        .row(row!["合计", "年度投资", 1530000, "万元"]);
    xlsx(dir.path(), "目标任务.xlsx", &[s]);
    let ing = run(dir.path());

    let r = sheet(&ing, "目标任务.xlsx", "目标");
    assert_eq!(r.kind, Some(Kind::Targets));
    assert_eq!(r.period.as_deref(), Some("2023"));
    assert_eq!((r.rows, r.accepted, r.total_rows, r.rejected), (5, 4, 1, 0), "{r:?}");
    let recs = sheet_records(&ing, Kind::Targets, "目标任务.xlsx", "目标");
    assert_eq!(strs(&recs, "scope"), texts(&["全县", "全县", "全县", "白水镇"]));
    assert_eq!(strs(&recs, "target_type"), texts(&["growth", "amount", "count", "amount"]));
    assert_nums(&nums(&recs, "target"), &some(&[7.0, 1_500_000.0, 60.0, 30000.0]));
    assert_eq!(strs(&recs, "unit"), texts(&["%", "万元", "个", "万元"]));
    for rec in &recs {
        assert_eq!((rec.s("period"), rec.i("year"), rec.i("month")), (Some("2023"), Some(2023), None));
    }
}

// ───────────────────────── 14. CSV encodings ─────────────────────────

const CSV_PROJECTS: &str = "\
2023年1-3月重点项目进展情况
单位：万元
项目名称,所属地区,总投资,年度计划投资,本年累计完成投资,开工日期,项目状态
甲项目,白水镇,\"1,234.5\",1000,300,2023/3/5,续建
乙项目,東河鎮,-,2000,１２３４,2023年3月5日,新开工
丙项目,西岭镇,5000,1.5亿元,12.3万元,20230305,竣工投产
";

#[test]
fn gbk_and_utf8_csv_read_the_same() {
    let dir = tmp();
    // Three encodings of one ledger, each in a folder of its own (in one
    // folder they would be one ledger re-sent twice, SPEC §1.4).
    let (gbk, bom, utf8) = (tmp(), tmp(), tmp());
    let _ = dir;
    csv_gbk(gbk.path(), "a_gbk.csv", CSV_PROJECTS);
    csv_bom(bom.path(), "b_bom.csv", CSV_PROJECTS);
    csv_utf8(utf8.path(), "c_utf8.csv", CSV_PROJECTS);

    // Header on line 3; data on lines 4..=6.
    let mut all = Vec::new();
    for (d, file, stem) in [(&gbk, "a_gbk.csv", "a_gbk"), (&bom, "b_bom.csv", "b_bom"), (&utf8, "c_utf8.csv", "c_utf8")]
    {
        let ing = run(d.path());
        let r = sheet(&ing, file, stem);
        assert_eq!(r.kind, Some(Kind::Projects), "{file}: {r:?}");
        assert_eq!(r.header_row, Some(3), "{file}");
        assert_eq!(r.period.as_deref(), Some("2023-03"), "{file}");
        assert_eq!((r.rows, r.accepted), (3, 3), "{file}");
        let recs = sheet_records(&ing, Kind::Projects, file, stem);
        assert_eq!(rows(&recs), vec![4, 5, 6], "{file}");
        assert_eq!(strs(&recs, "name"), texts(&["甲项目", "乙项目", "丙项目"]), "{file}");
        assert_eq!(strs(&recs, "region"), texts(&["白水镇", "东河镇", "西岭镇"]), "{file}");
        assert_nums(&nums(&recs, "total_investment"), &[Some(1234.5), None, Some(5000.0)]);
        assert_nums(&nums(&recs, "plan_year"), &some(&[1000.0, 2000.0, 15000.0]));
        assert_nums(&nums(&recs, "done_ytd"), &some(&[300.0, 1234.0, 12.3]));
        assert_eq!(
            recs.iter().map(|r| r.d("start_date")).collect::<Vec<_>>(),
            vec![Some(date(2023, 3, 5)); 3],
            "{file}"
        );
        assert_eq!(strs(&recs, "status"), texts(&["在建", "新开工", "投产"]), "{file}");
        all.push(recs.iter().map(|r| r.without_trace()).collect::<Vec<_>>());
    }
    assert_eq!(all[0], all[1], "GBK vs UTF-8 with BOM");
    assert_eq!(all[1], all[2], "UTF-8 with BOM vs without");
}

// ───────────────────────── 15. hidden, free text, unreadable ─────────────────────────

#[test]
fn hidden_free_text_and_unreadable_files() {
    let dir = tmp();
    let prose = Sheet::new("说明")
        .row(row!["关于填报重点项目台账的说明"])
        .row(row!["一、各乡镇每月五日前报送。"])
        .row(row!["二、数据请核实后报送。"]);
    let hidden = Sheet::new("隐藏")
        .hidden()
        .row(row!["项目名称", "所属地区", "年度计划投资", "本年累计完成投资"])
        .row(row!["甲", "白水镇", 100, 10])
        .row(row!["乙", "东河镇", 200, 20]);
    xlsx(dir.path(), "sub/混合2023年3月.xlsx", &[prose, hidden]);
    let junk = noise(4096, 7);
    assert!(!junk.starts_with(b"PK") && !junk.starts_with(&[0xD0, 0xCF]));
    raw_file(dir.path(), "x.xlsx", &junk);
    raw_file(dir.path(), "~$锁.xlsx", &noise(165, 9));
    raw_file(dir.path(), "readme.txt", "不是台账".as_bytes());
    let ing = run(dir.path());

    let paths: Vec<&str> = ing.quality.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        vec!["sub/混合2023年3月.xlsx", "x.xlsx", "~$锁.xlsx"],
        "ledger files only, sorted, '/' separators"
    );

    let file = "sub/混合2023年3月.xlsx";
    let r = sheet(&ing, file, "说明");
    assert_eq!(r.kind, None);
    assert!(!r.hidden);
    assert!(r.skipped_reason.as_deref().is_some_and(|w| w.contains("表头")), "{r:?}");
    assert_eq!(r.rows, 0);
    let r = sheet(&ing, file, "隐藏");
    assert!(r.hidden, "{r:?}");
    assert_eq!(r.kind, Some(Kind::Projects));
    assert_eq!((r.rows, r.accepted), (2, 2));
    assert_eq!(strs(&sheet_records(&ing, Kind::Projects, file, "隐藏"), "name"), texts(&["甲", "乙"]));

    let x = ing.quality.files.iter().find(|f| f.path == "x.xlsx").unwrap();
    assert!(x.error.as_deref().is_some_and(|e| !e.is_empty()), "{x:?}");
    assert!(x.sheets.is_empty());
    assert_eq!(x.sha256.len(), 64);
    let x_issues = issues(&ing, "x.xlsx", None);
    assert!(x_issues.iter().any(|i| i.severity == Severity::Error), "{x_issues:#?}");

    let lock = ing.quality.files.iter().find(|f| f.path == "~$锁.xlsx").unwrap();
    assert!(lock.error.as_deref().is_some_and(|e| e.contains("锁文件")), "{lock:?}");
}

// ───────────────────────── beyond the first 20 rows ─────────────────────────

#[test]
fn long_sheet_streams_past_the_header_search() {
    let dir = tmp();
    // The processor buffers the first 20 rows to find the header, then
    // streams; every rule must hold on both sides of that boundary.
    // Excel row: content                                      → accounting
    //  1      title 2023年1-3月…
    //  2      header 序号|项目名称|所属地区|年度计划投资|本年累计完成投资
    //  3..=22 项目1..项目20, 白水镇, 100·i, 10·i               20 accepted
    // 23      (no cell)                                        blank
    // 24      项目21 … done_ytd 待定                            rejected at E24
    // 25..=27 项目22..项目24, 所属地区 merged B25:B27 东河镇      3 accepted
    // 28      合计 (in 序号)                                    total
    // 29      注：…                                             end
    // 30      项目99 (junk)                                     not counted
    // rows 26 = accepted 23 + blank 1 + total 1 + rejected 1.
    let mut s = Sheet::new("项目").row(row!["2023年1-3月重点项目进展情况"]).row(row![
        "序号",
        "项目名称",
        "所属地区",
        "年度计划投资",
        "本年累计完成投资"
    ]);
    for i in 1..=20 {
        s = s.row(vec![
            X::N(i as f64),
            X::from(format!("项目{i}")),
            X::from("白水镇"),
            X::N(100.0 * i as f64),
            X::N(10.0 * i as f64),
        ]);
    }
    s = s.blank().row(row![21, "项目21", "白水镇", 2100, "待定"]);
    for i in 22..=24 {
        let town = if i == 22 { "东河镇" } else { "" };
        s = s.row(vec![
            X::N(i as f64),
            X::from(format!("项目{i}")),
            X::from(town),
            X::N(100.0 * i as f64),
            X::N(10.0 * i as f64),
        ]);
    }
    s = s.merge(24, 2, 26, 2).row(row!["合计", "", "", 30000, 3000]).row(row!["注：本表由发改局汇总"]).row(row![
        99,
        "项目99",
        "西岭镇",
        1,
        1
    ]);
    xlsx(dir.path(), "长表.xlsx", &[s]);
    let ing = run(dir.path());

    let r = sheet(&ing, "长表.xlsx", "项目");
    assert_eq!(
        (r.rows, r.accepted, r.blank, r.total_rows, r.rejected),
        (26, 23, 1, 1, 1),
        "(rows, accepted, blank, total_rows, rejected) of {r:?}"
    );
    let recs = sheet_records(&ing, Kind::Projects, "长表.xlsx", "项目");
    let mut expected_rows: Vec<i64> = (3..=22).collect();
    expected_rows.extend([25, 26, 27]);
    assert_eq!(rows(&recs), expected_rows);
    let regions = strs(&recs, "region");
    assert_eq!(&regions[20..], &texts(&["东河镇", "东河镇", "东河镇"])[..]);
    assert!(regions[..20].iter().all(|r| r.as_deref() == Some("白水镇")));
    assert_nums(&nums(&recs, "done_ytd")[19..20], &some(&[200.0]));
    let e = issue_at(&ing, "长表.xlsx", "项目", "E24");
    assert_eq!((e.severity, e.value.as_deref()), (Severity::Error, Some("待定")));
    assert_eq!(issues_of(&ing, "长表.xlsx", "项目", Severity::Error).len(), 1);
}

// ───────────────────────── end-of-table markers ─────────────────────────

#[test]
fn every_note_and_signature_line_ends_the_table() {
    let dir = tmp();
    // One sheet per marker line of SPEC §1.2, in the form clerks write it.
    // Each sheet: header (row 1), 甲 and 乙 (rows 2–3), the marker line in A4
    // with a second signature in C4 and a date in E4 (as signature blocks are
    // laid out), then a junk project in row 5. Expected for every sheet:
    // rows 2 = accepted 2, no Error issue.
    let markers = [
        "注：本表数据截至3月底",
        "注1.本表由各乡镇填报",
        "备注：无",
        "说明：单位为万元",
        "填报人：张三",
        "填表人：张三",
        "审核人：李四",
        "制表：王五",
        "制表人：王五",
        "填报单位：白水镇人民政府",
        "负责人：赵六",
        "联系电话：0591-12345678",
    ];
    let mut sheets = Vec::new();
    for (i, m) in markers.iter().enumerate() {
        sheets.push(
            Sheet::new(&format!("S{i}"))
                .row(row!["序号", "项目名称", "所属地区", "年度计划投资", "本年累计完成投资"])
                .row(row![1, "甲", "白水镇", 100, 10])
                .row(row![2, "乙", "东河镇", 200, 20])
                .row(row![*m, "", "审核人：李四", "", "报送日期：2023年4月5日"])
                .row(row![3, "丙", "西岭镇", 300, 30]),
        );
    }
    // Names that merely start like a marker are projects, not the end.
    sheets.push(
        Sheet::new("名称")
            .row(row!["项目名称", "所属地区", "年度计划投资", "本年累计完成投资"])
            .row(row!["注塑产业园", "白水镇", 100, 10])
            .row(row!["说明书印刷项目", "东河镇", 200, 20])
            .row(row!["制表机生产线", "西岭镇", 300, 30]),
    );
    xlsx(dir.path(), "结尾2023年3月.xlsx", &sheets);
    let ing = run(dir.path());

    let mut wrong = Vec::new();
    for (i, m) in markers.iter().enumerate() {
        let name = format!("S{i}");
        let r = sheet(&ing, "结尾2023年3月.xlsx", &name);
        let errors = issues_of(&ing, "结尾2023年3月.xlsx", &name, Severity::Error);
        if (r.rows, r.accepted, r.rejected) != (2, 2, 0) || !errors.is_empty() {
            wrong.push(format!(
                "「{m}」: rows {} accepted {} rejected {}; errors {:?}",
                r.rows,
                r.accepted,
                r.rejected,
                errors.iter().map(|e| &e.message).collect::<Vec<_>>()
            ));
        }
    }
    assert!(wrong.is_empty(), "marker lines that did not end the table:\n{}", wrong.join("\n"));
    let r = sheet(&ing, "结尾2023年3月.xlsx", "名称");
    assert_eq!((r.rows, r.accepted), (3, 3), "{r:?}");
}

// ───────────────────────── unit on a group header ─────────────────────────

#[test]
fn unit_on_a_group_cell_applies_to_its_sub_columns() {
    let dir = tmp();
    // Row 2: 项目名称 (A2:A3), 所属地区 (B2:B3), 投资完成情况（亿元） across C2:D2.
    // Row 3: 年度计划 | 本年累计完成 (no unit of their own).
    // The group's unit is the unit of the columns under it (SPEC §1.2: a
    // trailing bracketed unit is kept as the column's unit; the group cell is
    // part of these columns' headers): 1.5 亿元 → 15000 万元, 0.3 → 3000.
    let s = Sheet::new("Sheet1")
        .row(row!["2023年1-3月重点项目进展情况"])
        .row(row!["项目名称", "所属地区", "投资完成情况（亿元）"])
        .row(row!["", "", "年度计划", "本年累计完成"])
        .row(row!["甲项目", "白水镇", 1.5, 0.3])
        .merge(0, 0, 0, 3)
        .merge(1, 0, 2, 0)
        .merge(1, 1, 2, 1)
        .merge(1, 2, 1, 3);
    xlsx(dir.path(), "分组单位.xlsx", &[s]);
    let ing = run(dir.path());

    let r = sheet(&ing, "分组单位.xlsx", "Sheet1");
    assert_eq!((r.kind, r.header_row, r.accepted), (Some(Kind::Projects), Some(3), 1), "{r:?}");
    let recs = sheet_records(&ing, Kind::Projects, "分组单位.xlsx", "Sheet1");
    assert_nums(&nums(&recs, "plan_year"), &some(&[15000.0]));
    assert_nums(&nums(&recs, "done_ytd"), &some(&[3000.0]));
}

// ───────────────────────── CSV line numbers ─────────────────────────

#[test]
fn csv_blank_lines_keep_row_numbers_and_count_as_blank() {
    let dir = tmp();
    // Line 1 header; line 2 甲; line 3 empty; line 4 乙 with 待定 in 年度计划投资 (C).
    // As Excel shows this file: row 3 is an empty row inside the table, so
    // rows 3 = accepted 1 + blank 1 + rejected 1, and the rejection is at C4.
    let text =
        "项目名称,所属地区,年度计划投资,本年累计完成投资\n甲,白水镇,100,10\n\n乙,白水镇,待定,20\n丙,东河镇,300,30\n";
    csv_utf8(dir.path(), "项目2023-03.csv", text);
    let ing = run(dir.path());

    let r = sheet(&ing, "项目2023-03.csv", "项目2023-03");
    let recs = sheet_records(&ing, Kind::Projects, "项目2023-03.csv", "项目2023-03");
    assert_eq!(strs(&recs, "name"), texts(&["甲", "丙"]));
    assert_eq!(rows(&recs), vec![2, 5], "row = the line the record is on");
    let e = issue_at(&ing, "项目2023-03.csv", "项目2023-03", "C4");
    assert_eq!(e.value.as_deref(), Some("待定"));
    assert_eq!((r.rows, r.accepted, r.blank, r.rejected), (4, 2, 1, 1), "{r:?}");
}

// ───────────────────────── unit line on an indicators sheet ─────────────────────────

#[test]
fn unit_line_converts_indicator_values() {
    let dir = tmp();
    // Title names the indicator and period; `单位：亿元` above the header is the
    // unit of the values (there is no 计量单位 column). Money is always
    // converted to 万元 (SPEC §1.2): 12.5 亿元 → 125000, 4.5 → 45000; the
    // growth column has its own unit (%) and is unchanged.
    let s = Sheet::new("固投")
        .row(row!["2023年1-3月固定资产投资完成情况"])
        .row(row!["", "", "单位：亿元"])
        .row(row!["地区", "本年累计", "增速(%)"])
        .row(row!["白水镇", 12.5, 8.1])
        .row(row!["东河镇", 4.5, -2.0]);
    xlsx(dir.path(), "固投.xlsx", &[s]);
    let ing = run(dir.path());

    let r = sheet(&ing, "固投.xlsx", "固投");
    assert_eq!((r.kind, r.accepted), (Some(Kind::Indicators), 2), "{r:?}");
    let recs = sheet_records(&ing, Kind::Indicators, "固投.xlsx", "固投");
    assert_eq!(strs(&recs, "indicator"), texts(&["固定资产投资", "固定资产投资"]));
    assert_nums(&nums(&recs, "growth_reported"), &some(&[8.1, -2.0]));
    assert_nums(&nums(&recs, "value_ytd"), &some(&[125000.0, 45000.0]));
}
