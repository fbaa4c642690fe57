//! `statbrief init`'s templates, `statbrief schema` and `check --returns`:
//! a filled template ingests cleanly, everything the schema prints is what
//! ingestion accepts, and each town gets a list of its own problems.

use crate::common::{self, records, sheet, sheet_records, Sheet};
use rust_xlsxwriter::{ExcelDateTime, Workbook};
use statbrief::config::Config;
use statbrief::ingest::header::{self, GroupCells};
use statbrief::model::Kind;
use statbrief::quality::Severity;
use statbrief::report::returns;
use statbrief::schema;
use statbrief::template::{self, config_toml, workbook};
use std::io::Read;
use std::path::Path;

/// A cell a clerk types into a template.
enum T {
    S(&'static str),
    N(f64),
    D(u16, u8, u8),
}

fn config() -> Config {
    Config { region_order: vec!["城关镇".into(), "白水镇".into(), "东河镇".into()], ..Config::default() }
}

/// The template of `kind`, filled in: the title's period typed over the
/// placeholder, and `rows` written below the example row by column name.
fn fill(dir: &Path, name: &str, kind: Kind, title: Option<&str>, rows: &[Vec<(&str, T)>]) {
    let mut wb: Workbook = workbook::build(kind, &config(), 2025).unwrap();
    let ws = wb.worksheet_from_index(0).unwrap();
    if let Some(t) = title {
        ws.write_string(workbook::TITLE_ROW, 0, t).unwrap();
    }
    let cols = schema::kind_schema(kind).columns;
    for (r, cells) in rows.iter().enumerate() {
        let r = workbook::EXAMPLE_ROW + 1 + r as u32;
        ws.write_number(r, 0, (r - workbook::EXAMPLE_ROW) as f64).unwrap();
        for (name, v) in cells {
            let c = workbook::FIRST_COL + cols.iter().position(|c| c.name == *name).unwrap() as u16;
            match v {
                T::S(s) => ws.write_string(r, c, *s).unwrap(),
                T::N(n) => ws.write_number(r, c, *n).unwrap(),
                T::D(y, m, d) => ws.write_datetime(r, c, ExcelDateTime::from_ymd(*y, *m, *d).unwrap()).unwrap(),
            };
        }
    }
    std::fs::create_dir_all(dir).unwrap();
    wb.save(dir.join(name)).unwrap();
}

fn sheet_xml(path: &Path) -> String {
    let parts = common::unzip(std::fs::read(path).unwrap());
    String::from_utf8(parts["xl/worksheets/sheet1.xml"].clone()).unwrap()
}

#[test]
fn init_writes_the_config_four_templates_and_the_guide() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("office.toml");
    std::fs::write(&cfg, "office = \"青山县统计局\"\nregion_order = [\"城关镇\", \"白水镇\"]\n").unwrap();
    let out = dir.path().join("模板");
    let res = template::init(&out, Some(&cfg), 2025).unwrap();
    assert_eq!(res.written.len(), 6, "{res:?}");
    for name in [
        "statbrief.toml",
        "重点项目台账.xlsx",
        "经济指标月报.xlsx",
        "走访问题台账.xlsx",
        "目标任务表.xlsx",
        "填报说明.md",
    ] {
        assert!(out.join(name).is_file(), "{name}");
    }
    // The written configuration reads back as the settings it came from,
    // and every key of Config is there with a comment.
    let text = std::fs::read_to_string(out.join("statbrief.toml")).unwrap();
    let back = Config::parse(&text).unwrap();
    assert_eq!(back.office, "青山县统计局");
    assert_eq!(back.region_order, ["城关镇", "白水镇"]);
    assert_eq!(back.tier_days.leader, 30);
    let keys = config_toml::keys(&Config::default());
    assert!(keys.len() >= 13, "{keys:?}");
    for k in &keys {
        assert!(config_toml::comment(k).is_some(), "no comment for {k}");
        let leaf = k.rsplit('.').next().unwrap();
        assert!(
            text.contains(&format!("{leaf} = ")) || text.contains(&format!("[{leaf}]")),
            "{k} missing from\n{text}"
        );
    }
    assert!(!text.contains("暂无说明"));
    // The defaults round-trip too.
    let default_text = config_toml::render(&Config::default()).unwrap();
    assert_eq!(Config::parse(&default_text).unwrap(), Config::default());
    // Running again keeps the office's own statbrief.toml.
    std::fs::write(out.join("statbrief.toml"), "office = \"改过的\"\n").unwrap();
    let again = template::init(&out, None, 2025).unwrap();
    assert_eq!(again.kept.len(), 1);
    assert_eq!(std::fs::read_to_string(out.join("statbrief.toml")).unwrap(), "office = \"改过的\"\n");
    let guide = std::fs::read_to_string(out.join("填报说明.md")).unwrap();
    for needle in ["重点项目台账", "经济指标月报", "走访问题台账", "目标任务表", "示例", "X月", "年度计划投资（万元）"]
    {
        assert!(guide.contains(needle), "{needle}");
    }
}

#[test]
fn templates_carry_dropdowns_validation_notes_and_protection() {
    let dir = tempfile::tempdir().unwrap();
    template::init(dir.path(), None, 2025).unwrap();
    std::fs::write(dir.path().join("statbrief.toml"), "region_order = [\"城关镇\", \"白水镇\"]\n").unwrap();
    template::init(dir.path(), None, 2025).unwrap();
    let projects = sheet_xml(&dir.path().join("重点项目台账.xlsx"));
    for needle in [
        "<dataValidation type=\"list\"",
        "\"前期,签约,新开工,在建,投产,停建\"",
        "\"省重点,市重点,县重点\"",
        "\"城关镇,白水镇\"",
        "type=\"date\"",
        "type=\"decimal\" operator=\"greaterThanOrEqual\"",
        "promptTitle=\"年度计划投资\"",
        "<sheetProtection",
        "state=\"frozen\"",
        "<mergeCell ref=\"A1:M1\"",
    ] {
        assert!(projects.contains(needle), "{needle} not in projects sheet XML");
    }
    assert!(!projects.contains("password"), "the protection has no password");
    // Every data-validation range carries an input message (13 columns).
    assert_eq!(projects.matches("<dataValidation ").count(), 12);
    assert_eq!(projects.matches("prompt=").count(), 12);
    let visits = sheet_xml(&dir.path().join("走访问题台账.xlsx"));
    for needle in [
        "\"当场办,部门办,领导办\"",
        "\"已解决,办理中,无法解决\"",
        "\"满意,基本满意,不满意\"",
        "\"融资,用地,用工,人才,物流运输",
        "type=\"textLength\"",
    ] {
        assert!(visits.contains(needle), "{needle} not in visits sheet XML");
    }
    // One note per header cell (序号 and the 12 project columns).
    let mut zip = zip::ZipArchive::new(std::fs::File::open(dir.path().join("重点项目台账.xlsx")).unwrap()).unwrap();
    let mut comments = String::new();
    zip.by_name("xl/comments1.xml").unwrap().read_to_string(&mut comments).unwrap();
    assert_eq!(comments.matches("<comment ").count(), 13);
    assert!(comments.contains("本年累计完成投资（必填）"));
}

fn project(
    id: &'static str,
    name: &'static str,
    region: &'static str,
    plan: f64,
    done: f64,
    status: &'static str,
) -> Vec<(&'static str, T)> {
    vec![
        ("project_id", T::S(id)),
        ("name", T::S(name)),
        ("region", T::S(region)),
        ("level", T::S("县重点")),
        ("total_investment", T::N(plan * 3.0)),
        ("plan_year", T::N(plan)),
        ("done_ytd", T::N(done)),
        ("status", T::S(status)),
        ("start_date", T::D(2024, 5, 1)),
    ]
}

#[test]
fn filled_templates_ingest_with_no_warning_and_the_figures_typed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fill(
        d,
        "重点项目台账.xlsx",
        Kind::Projects,
        Some("2025年3月重点项目台账"),
        &[
            project("XM1", "甲项目", "城关镇", 1000.0, 250.0, "在建"),
            project("XM2", "乙项目", "白水镇", 2000.0, 700.5, "新开工"),
            project("XM3", "丙项目", "东河镇", 500.0, 0.0, "前期"),
        ],
    );
    fill(
        d,
        "经济指标月报.xlsx",
        Kind::Indicators,
        Some("2025年1-3月经济指标月报"),
        &[
            vec![
                ("region", T::S("城关镇")),
                ("indicator", T::S("规上工业增加值")),
                ("unit", T::S("万元")),
                ("value_ytd", T::N(3600.0)),
                ("value_ytd_ly", T::N(3000.0)),
                ("growth_reported", T::N(20.0)),
            ],
            vec![
                ("region", T::S("白水镇")),
                ("indicator", T::S("规上工业增加值")),
                ("unit", T::S("亿元")),
                ("value_ytd", T::N(0.5)),
                ("value_ytd_ly", T::N(0.4)),
                ("growth_reported", T::N(25.0)),
            ],
        ],
    );
    fill(
        d,
        "走访问题台账.xlsx",
        Kind::Visits,
        Some("2025年3月走访问题台账"),
        &[
            vec![
                ("visit_date", T::D(2025, 3, 3)),
                ("cadre", T::S("王一")),
                ("enterprise", T::S("甲公司")),
                ("uscc", T::S("91350100M000100Y43")),
                ("problem", T::S("贷款难")),
                ("category", T::S("融资")),
                ("tier", T::S("领导办")),
                ("status", T::S("已解决")),
                ("resolved_date", T::D(2025, 3, 10)),
                ("satisfaction", T::S("满意")),
            ],
            vec![
                ("visit_date", T::D(2025, 3, 4)),
                ("cadre", T::S("王一")),
                ("enterprise", T::S("乙公司")),
                ("problem", T::S("用地指标不足")),
                ("category", T::S("用地")),
                ("tier", T::S("部门办")),
                ("status", T::S("办理中")),
                ("deadline", T::D(2025, 4, 30)),
            ],
        ],
    );
    fill(
        d,
        "目标任务表.xlsx",
        Kind::Targets,
        Some("2025年目标任务表"),
        &[vec![
            ("scope", T::S("全县")),
            ("metric", T::S("规上工业增加值增速")),
            ("target", T::N(8.0)),
            ("unit", T::S("%")),
            ("year", T::N(2025.0)),
        ]],
    );
    let ing = common::run(d);
    let bad: Vec<_> = ing.quality.issues.iter().filter(|i| i.severity != Severity::Info).collect();
    assert!(bad.is_empty(), "{bad:#?}");
    for (file, accepted) in
        [("重点项目台账.xlsx", 3), ("经济指标月报.xlsx", 2), ("走访问题台账.xlsx", 2), ("目标任务表.xlsx", 1)]
    {
        let kind = Kind::ALL.into_iter().find(|k| file.starts_with(k.chinese())).unwrap();
        let s = sheet(&ing, file, kind.chinese());
        // The example row is counted as blank, with a note; nothing else is.
        assert_eq!(
            (s.rows, s.accepted, s.blank, s.rejected, s.total_rows),
            (accepted + 1, accepted, 1, 0, 0),
            "{file}: {s:?}"
        );
        assert_eq!(s.header_row, Some(2));
        let note = common::issue_at(&ing, file, kind.chinese(), "A3");
        assert_eq!(note.severity, Severity::Info);
        assert!(note.message.contains("示例行"), "{}", note.message);
    }
    // Hand-computed: plan 1000+2000+500, done 250+700.5+0 万元.
    let p = sheet_records(&ing, Kind::Projects, "重点项目台账.xlsx", "重点项目台账");
    assert_eq!(p.iter().map(|r| r.f("plan_year").unwrap()).sum::<f64>(), 3500.0);
    assert_eq!(p.iter().map(|r| r.f("done_ytd").unwrap()).sum::<f64>(), 950.5);
    assert_eq!(p[1].s("status"), Some("新开工"));
    assert_eq!(sheet(&ing, "重点项目台账.xlsx", "重点项目台账").period.as_deref(), Some("2025-03"));
    // 0.5 亿元 is 5000 万元.
    let ind = sheet_records(&ing, Kind::Indicators, "经济指标月报.xlsx", "经济指标月报");
    assert_eq!(ind[1].f("value_ytd"), Some(5000.0));
    assert_eq!(ind[1].f("value_ytd_ly"), Some(4000.0));
    let v = records(&ing.ledgers.visits);
    assert_eq!(v.iter().filter_map(|r| r.s("status")).collect::<Vec<_>>(), ["resolved", "in_progress"]);
    assert_eq!(v[0].s("tier"), Some("领导办"));
    let t = records(&ing.ledgers.targets);
    assert_eq!((t[0].s("scope"), t[0].f("target"), t[0].i("year")), (Some("全县"), Some(8.0), Some(2025)));
}

#[test]
fn an_unfilled_period_placeholder_is_named() {
    let dir = tempfile::tempdir().unwrap();
    fill(
        dir.path(),
        "重点项目台账.xlsx",
        Kind::Projects,
        None,
        &[project("XM1", "甲项目", "城关镇", 1000.0, 250.0, "在建")],
    );
    let ing = common::run(dir.path());
    let s = sheet(&ing, "重点项目台账.xlsx", "重点项目台账");
    let reason = s.skipped_reason.as_deref().unwrap();
    assert!(reason.contains("占位符") && reason.contains("2025年X月重点项目台账"), "{reason}");
    // Once the file name says the period, the sheet is read.
    std::fs::rename(dir.path().join("重点项目台账.xlsx"), dir.path().join("重点项目台账2025-03.xlsx")).unwrap();
    let ing = common::run(dir.path());
    assert_eq!(sheet(&ing, "重点项目台账2025-03.xlsx", "重点项目台账").accepted, 1);
}

/// A header row naming the required columns of `kind` by their labels, with
/// `header` in place of (or beside) column `name`.
fn header_row_with(kind: Kind, name: &str, header: &str) -> Vec<Option<String>> {
    let ks = schema::kind_schema(kind);
    let mut row: Vec<Option<String>> = ks
        .columns
        .iter()
        .filter(|c| (c.required || (kind == Kind::Indicators && c.name == "value_ytd")) && c.name != name)
        .map(|c| Some(c.label.to_string()))
        .collect();
    row.push(Some(header.to_string()));
    row
}

fn detected_column(kind: Kind, row: Vec<Option<String>>) -> Option<&'static str> {
    let n = row.len() as u32;
    let det = header::detect(&[row], &GroupCells { merges: &[], used_cols: (0, n - 1) }).ok()?;
    assert_eq!(det.kind, kind);
    let last = det.columns.iter().find(|m| m.sheet_col == n - 1)?;
    Some(det.defs()[last.canon].name())
}

#[test]
fn every_alias_and_pattern_schema_prints_is_accepted_by_header_detection() {
    let s = schema::schema(None);
    let mut checked = 0;
    for ks in &s.kinds {
        for c in &ks.columns {
            let examples = c.patterns.iter().flat_map(|p| p.examples.iter().copied());
            for alias in c.aliases.iter().copied().chain(examples).chain([c.header.as_str()]) {
                let got = detected_column(ks.kind, header_row_with(ks.kind, c.name, alias));
                assert_eq!(got, Some(c.name), "{}: header「{alias}」", ks.name);
                checked += 1;
            }
        }
    }
    // The period column, beside any kind's required columns.
    for alias in &s.period_column.aliases {
        let mut row = header_row_with(Kind::Projects, "", "");
        row.pop();
        row.push(Some(alias.to_string()));
        let n = row.len() as u32;
        let det = header::detect(&[row], &GroupCells { merges: &[], used_cols: (0, n - 1) }).unwrap();
        assert_eq!(det.period_col, Some(n - 1), "period header「{alias}」");
    }
    assert!(checked > 150, "{checked}");
    // The JSON and text forms print what the tables hold.
    let text = schema::render_text(&s);
    for needle in [
        "续建",
        "重大 ",
        "乡镇(街道)",
        "1-5月完成投资",
        "合计",
        "填报人",
        "暂不具备解决条件 → 无法解决（unresolvable）",
    ] {
        assert!(text.contains(needle.trim()), "{needle}");
    }
}

#[test]
fn every_folding_schema_prints_is_applied_by_ingestion() {
    let dir = tempfile::tempdir().unwrap();
    // One project per status spelling, one problem per tier, status,
    // satisfaction and category spelling.
    let mut projects = Sheet::new("项目").row(row!["2025年3月重点项目"]).row(row![
        "项目名称",
        "所属地区",
        "年度计划投资",
        "本年累计完成投资",
        "项目状态"
    ]);
    let mut expected_status = Vec::new();
    for f in schema::foldings(Kind::Projects, "status") {
        for sp in &f.spellings {
            projects = projects.row(row![format!("项目{}", expected_status.len()), "城关镇", 100, 10, *sp]);
            expected_status.push(f.canonical.to_string());
        }
    }
    let mut visits = Sheet::new("走访").row(row!["2025年3月走访问题"]).row(row![
        "走访日期",
        "走访干部",
        "企业名称",
        "问题描述",
        "问题类别",
        "办理层级",
        "办理状态",
        "企业满意度"
    ]);
    let mut expected: Vec<(usize, String)> = Vec::new();
    let cols = [("category", 4usize), ("tier", 5), ("status", 6), ("satisfaction", 7)];
    let mut n = 0;
    for (name, col) in cols {
        for f in schema::foldings(Kind::Visits, name) {
            for sp in &f.spellings {
                let mut r = row![common::date(2025, 3, 1), "干部", "企业", format!("问题{n}"), "", "", "", ""];
                r[col] = common::X::from(*sp);
                visits = visits.row(r);
                expected.push((col, f.canonical.to_string()));
                n += 1;
            }
        }
    }
    common::xlsx(dir.path(), "折算.xlsx", &[projects, visits]);
    let ing = common::run(dir.path());
    let warnings: Vec<_> = ing.quality.issues.iter().filter(|i| i.severity == Severity::Warning).collect();
    assert!(warnings.is_empty(), "{warnings:#?}");
    let p = sheet_records(&ing, Kind::Projects, "折算.xlsx", "项目");
    assert_eq!(p.iter().map(|r| r.s("status").unwrap().to_string()).collect::<Vec<_>>(), expected_status);
    let v = sheet_records(&ing, Kind::Visits, "折算.xlsx", "走访");
    assert_eq!(v.len(), expected.len());
    for (rec, (col, want)) in v.iter().zip(&expected) {
        let name = cols.iter().find(|(_, c)| c == col).unwrap().0;
        assert_eq!(rec.s(name), Some(want.as_str()), "{name}");
    }
}

#[test]
fn returns_give_each_town_its_own_list() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("收件");
    fill(
        &input.join("城关镇"),
        "重点项目台账.xlsx",
        Kind::Projects,
        Some("2025年3月重点项目台账"),
        &[
            project("XM1", "甲项目", "城关镇", 1000.0, 250.0, "在建"),
            vec![
                ("project_id", T::S("XM2")),
                ("name", T::S("乙项目")),
                ("region", T::S("城关镇")),
                ("plan_year", T::N(800.0)),
                ("done_ytd", T::S("待定")),
                ("status", T::S("不知道")),
            ],
            vec![
                ("project_id", T::S("XM3")),
                ("name", T::S("丙项目")),
                ("region", T::S("城关镇")),
                ("plan_year", T::N(300.0)),
                ("done_ytd", T::N(30.0)),
                ("status", T::S("搁置")),
            ],
        ],
    );
    fill(
        &input.join("白水镇"),
        "重点项目台账.xlsx",
        Kind::Projects,
        Some("2025年3月重点项目台账"),
        &[project("XM9", "丁项目", "白水镇", 100.0, 10.0, "在建")],
    );
    let ing = common::run(&input);
    let out = dir.path().join("退回");
    let written = returns::write_returns(&ing.quality, &input, &out).unwrap();
    // Only the town with problems gets a list; its name keeps the folder.
    assert_eq!(written, [out.join("城关镇_重点项目台账_问题清单.xlsx")]);
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&written[0]).unwrap();
    use calamine::Reader;
    let list = wb.worksheet_range("问题清单").unwrap();
    let cell = |r: u32, c: u32| list.get_value((r, c)).map(|v| v.to_string()).unwrap_or_default();
    assert_eq!((cell(3, 1), cell(3, 3), cell(3, 6)), ("严重程度".into(), "单元格".into(), "问题说明".into()));
    // Worst first: the rejected row (K5 待定), then the two unknown statuses in row order.
    assert_eq!(
        (cell(4, 1), cell(4, 3), cell(4, 4), cell(4, 5)),
        ("错误".into(), "K5".into(), "本年累计完成投资".into(), "待定".into())
    );
    assert_eq!((cell(5, 1), cell(5, 3), cell(5, 5)), ("警告".into(), "L5".into(), "不知道".into()));
    assert_eq!((cell(6, 1), cell(6, 3), cell(6, 5)), ("警告".into(), "L6".into(), "搁置".into()));
    assert!(cell(4, 6).contains("待定"), "{}", cell(4, 6));
    // The copied rows: the header, then source rows 5 and 6 with their values.
    let rows = wb.worksheet_range("问题行").unwrap();
    let all: Vec<Vec<String>> = rows.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    let header = all.iter().find(|r| r.first().map(String::as_str) == Some("原行号")).unwrap();
    assert!(header.contains(&"本年累计完成投资\n（万元）".to_string()), "{header:?}");
    let row5 = all.iter().find(|r| r.first().map(String::as_str) == Some("5")).unwrap();
    assert!(row5.contains(&"待定".to_string()) && row5.contains(&"乙项目".to_string()), "{row5:?}");
    assert!(all.iter().any(|r| r.first().map(String::as_str) == Some("6")));
    assert!(!all.iter().any(|r| r.first().map(String::as_str) == Some("4")), "clean rows are not copied");
}

#[test]
fn returns_file_names_are_safe() {
    for (src, want) in [
        ("城关镇/2025-03 项目.xlsx", "城关镇_2025-03 项目_问题清单.xlsx"),
        ("../../etc/passwd", "etc_passwd_问题清单.xlsx"),
        ("a\\b:c*.csv", "a_bc_问题清单.xlsx"),
        ("..", "台账_问题清单.xlsx"),
    ] {
        let got = returns::safe_name(src);
        assert!(!got.contains('/') && !got.contains('\\') && !got.contains(".."), "{got}");
        assert_eq!(got, want, "{src}");
    }
}

#[test]
fn the_commands_as_a_clerk_runs_them() {
    let bin = env!("CARGO_BIN_EXE_statbrief");
    let run = |args: &[&str]| std::process::Command::new(bin).args(args).output().unwrap();
    // schema --json: the four kinds; --kind takes the Chinese name too.
    let out = run(&["schema", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["kinds"].as_array().unwrap().len(), 4);
    assert_eq!(v["row_words"]["example"], "示例");
    let visits = String::from_utf8(run(&["schema", "--kind", "走访问题台账"]).stdout).unwrap();
    assert!(visits.contains("重大") && !visits.contains("【重点项目台账】"), "{visits}");
    let bad = run(&["schema", "--kind", "nope"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--kind"));
    // init, then a town fills a template with one bad cell, then check --returns.
    let dir = tempfile::tempdir().unwrap();
    let tpl = dir.path().join("模板");
    let out = run(&["init", tpl.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(tpl.join("走访问题台账.xlsx").is_file());
    let input = dir.path().join("收件");
    fill(
        &input,
        "重点项目台账.xlsx",
        Kind::Projects,
        Some("2025年3月重点项目台账"),
        &[vec![
            ("name", T::S("甲项目")),
            ("region", T::S("城关镇")),
            ("plan_year", T::N(100.0)),
            ("done_ytd", T::S("约50")),
        ]],
    );
    let back = dir.path().join("退回");
    let out = run(&["check", "--input", input.to_str().unwrap(), "--returns", back.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("已写出 1 份问题清单"));
    assert!(back.join("重点项目台账_问题清单.xlsx").is_file());
}
