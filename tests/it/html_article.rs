//! briefing.html and article.md (issue 5) on a small fixed county: three
//! tiny CSV ledgers written here, so every figure in the outputs can be
//! traced to a row. The article is snapshotted *and* its figures are checked
//! against the Report; the HTML is checked by its structure (headings,
//! section ids, table captions and headers), not byte for byte.

use statbrief::config::Config;
use statbrief::ingest;
use statbrief::model::Report;
use statbrief::report::templates::EMBEDDED;
use statbrief::report::wording::{fmt_amount, fmt_growth, fmt_percent, fmt_pp};
use statbrief::report::{article, html};
use statbrief::stats::{self, AsOf};
use std::path::Path;

const PROJECTS: &str = "\
项目编号,项目名称,所属地区,产业链,项目级别,包抓领导,总投资,年度计划投资,本年累计完成投资,项目状态,开工日期
P1,甲项目,白水镇,新能源,省重点,王,100000,40000,18000,在建,2022-05-01
P2,乙项目,白水镇,新能源,市重点,王,50000,20000,9000,新开工,2023-02-10
P3,丙项目,东河镇,装备制造,县重点,李,80000,30000,6000,新开工,
P4,丁项目,东河镇,装备制造,县重点,李,30000,10000,500,前期,
P5,戊项目,西岭镇,新能源,市重点,赵,40000,4000,1300,在建,2023-01-15
P6,己项目,南湖镇,新能源,县重点,赵,1000,待定,100,在建,2023-01-15
";

const PROJECTS_FEB: &str = "\
项目编号,项目名称,所属地区,年度计划投资,本年累计完成投资
P1,甲项目,白水镇,40000,9000
P2,乙项目,白水镇,20000,3000
P3,丙项目,东河镇,30000,2000
";

const TARGETS: &str = "\
地区,指标,目标值,单位
全县,年度投资,11,亿元
全县,新开工项目,2,个
全县,规上工业增加值,7.0,%
全县,问题解决率,60,%
";

const INDICATORS: &str = "\
地区,指标名称,计量单位,本月,本年累计,去年同期,增速
白水镇,工业产值,万元,400,1200,1000,
东河镇,工业产值,万元,300,900,950,
西岭镇,工业产值,万元,100,300,300,
白水镇,规上工业增加值,%,,,,8.5
东河镇,规上工业增加值,%,,,,6.0
西岭镇,规上工业增加值,%,,,,-1.2
全县,规上工业增加值,%,,,,7.2
";

const VISITS: &str = "\
走访日期,走访干部,干部单位,企业名称,所属地区,问题描述,问题类别,办理层级,办理状态,办结时限,办结日期,企业满意度
2023-01-10,张三,发改局,甲公司,白水镇,贷款难,融资,部门办,已解决,,2023-01-20,满意
2023-01-10,张三,发改局,甲公司,白水镇,招工难,用工,当场办,已办结,,2023-01-15,基本满意
2023-02-01,李四,工信局,<script>alert(1)</script>,东河镇,用地指标,用地,领导办,办理中,2023-02-10,,
2023-02-15,李四,工信局,丙公司,东河镇,,,,,,,
2023-03-20,王五,发改局,丁公司,东河镇,电力增容,水电气暖,,,,,不满意
2023-03-25,王五,发改局,甲公司,白水镇,物流,物流运输,当场办,无法解决,,,
";

// P6's plan 待定 is not a number: the row is rejected (an error in the
// data-quality appendix) and counts in no figure.
fn report() -> Report {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write("项目2023-03.csv", PROJECTS);
    write("项目2023-02.csv", PROJECTS_FEB);
    write("2023年目标任务.csv", TARGETS);
    write("指标2023-03.csv", INDICATORS);
    write("走访2023-03.csv", VISITS);
    let ingested = ingest::ingest(dir.path()).unwrap();
    let config = Config { office: "青山县统计局".into(), ..Config::default() };
    stats::compute(&ingested, AsOf::parse("2023-03").unwrap(), &config).unwrap()
}

fn article(r: &Report) -> String {
    article::render_article(r, None).unwrap()
}

fn briefing(r: &Report) -> String {
    html::render_briefing(r, None).unwrap()
}

/// The visible text of an HTML page: styles and tags removed, entities kept.
fn visible_text(html: &str) -> String {
    let no_style = regex::Regex::new(r"(?s)<style>.*?</style>").unwrap().replace_all(html, "");
    regex::Regex::new(r"(?s)<[^>]*>").unwrap().replace_all(&no_style, " ").into_owned()
}

fn assert_no_missing_words(text: &str) {
    for word in ["None", "none", "NaN", "null", "undefined", "inf"] {
        assert!(!text.contains(word), "`{word}` in:\n{text}");
    }
}

#[test]
fn article_snapshot() {
    insta::assert_snapshot!("article", article(&report()));
}

#[test]
fn article_figures_are_the_reports() {
    let r = report();
    let a = article(&r);
    let p = &r.projects.total;
    let v = &r.visits;
    // Projects: every figure of the opening sentence, formatted from the Report.
    let done = fmt_amount(p.done.unwrap());
    let rate = fmt_percent(p.completion_rate.unwrap());
    let gap = fmt_pp(p.completion_rate.unwrap() - p.time_progress, "时序进度");
    let opening = format!("1—3月，全县{}个重点项目完成投资{done}，占年度计划的{rate}，{gap}。", p.count);
    assert!(a.contains(&opening), "{opening}\n{a}");
    // By hand: done 18000+9000+6000+500+1300 = 34800万元 of plan 104000 → 33.5 %,
    // 8.5 points above time progress 25 %.
    assert_eq!(opening, "1—3月，全县5个重点项目完成投资3.48亿元，占年度计划的33.5%，高于时序进度8.5个百分点。");
    // 新开工 P2 (2023-02-10), P3 (新开工, no date), P5 (2023-01-15) = 3 of a target of 2.
    assert_eq!(p.new_starts, 3);
    assert!(a.contains("新开工项目3个，超额完成全年2个的目标任务。"), "{a}");
    let target_rate = fmt_percent(p.target_completion_rate.unwrap());
    assert!(a.contains(&format!("完成投资占全年投资目标{}的{target_rate}。", fmt_amount(p.target.unwrap()))), "{a}");
    // Indicators: the whole's growth and the first-ranked region.
    let growth = |name: &str, region: &str| {
        r.indicators.iter().find(|i| i.indicator == name && i.region == region).and_then(|i| i.growth).unwrap()
    };
    assert!(a.contains(&format!("规上工业增加值同比{}", fmt_growth(growth("规上工业增加值", "全部")))), "{a}");
    assert!(a.contains("规上工业增加值同比增长7.2%，高于年度目标0.2个百分点，白水镇增速位居全县第一。"), "{a}");
    // 工业产值: (2400 / 2250 − 1) = 6.7 %; 白水镇 20 % is first.
    assert!(
        a.contains(&format!("工业产值完成{}，同比{}", fmt_amount(2400.0), fmt_growth(growth("工业产值", "全部")))),
        "{a}"
    );
    assert!(a.contains("工业产值完成2,400万元，同比增长6.7%，白水镇增速位居全县第一。"), "{a}");
    // Visits: the article's example sentence, from the Report's counts.
    let visits = format!(
        "全县入企走访{}次，覆盖企业{}家，摸排困难问题{}个，协调解决{}个，问题解决率{}",
        v.visits,
        v.enterprises,
        v.problems,
        v.resolved,
        fmt_percent(v.resolution_rate.unwrap())
    );
    assert!(a.contains(&visits), "{visits}\n{a}");
    assert_eq!((v.visits, v.problems, v.resolved), (5, 5, 2));
    assert!(a.contains(&format!("仍有{}个问题超过办结时限未解决", v.overdue_count)), "{a}");
    assert_no_missing_words(&a);
    // Markdown, not HTML: the article is not escaped.
    assert!(!a.contains("&lt;") && !a.contains("&amp;"));
}

#[test]
fn the_article_names_up_to_five_lagging_regions_and_counts_more() {
    use statbrief::model::Flag;
    let mut r = report();
    let template = r.projects.by_region[0].clone();
    let lagging = |names: &[(&str, f64)]| {
        names
            .iter()
            .map(|&(name, rate)| {
                let mut g = template.clone();
                g.label = name.to_string();
                g.figures.completion_rate = Some(rate);
                g.figures.flag = Some(Flag::Red);
                g
            })
            .collect::<Vec<_>>()
    };
    // Two red regions: both named, in the report's order.
    r.projects.by_region = lagging(&[("甲镇", 10.0), ("乙镇", 5.0)]);
    let a = article(&r);
    assert!(a.contains("甲镇、乙镇投资进度明显滞后于时序进度，需加快推进。"), "{a}");
    // Seven (a province's counties): counted, and the three lowest rates
    // named lowest first (丁 3 %, 庚 4 %, 乙 5 %), not a list of seven.
    let seven =
        [("甲镇", 10.0), ("乙镇", 5.0), ("丙镇", 9.0), ("丁镇", 3.0), ("戊镇", 8.0), ("己镇", 7.0), ("庚镇", 4.0)];
    r.projects.by_region = lagging(&seven);
    let a = article(&r);
    assert!(a.contains("有7个地区投资进度明显滞后于时序进度，其中丁镇、庚镇、乙镇完成率较低，需加快推进。"), "{a}");
    assert!(!a.contains("甲镇、"), "{a}");
}

#[test]
fn article_leaves_out_sentences_whose_figures_are_missing() {
    let mut r = report();
    r.projects.total.completion_rate = None;
    r.projects.total.target_completion_rate = None;
    r.projects.total.new_start_target = None;
    r.projects.total.new_start_target_rate = None;
    r.visits.resolution_rate = None;
    r.visits.on_time_rate = None;
    r.visits.satisfaction_rate = None;
    for i in r.indicators.iter_mut().filter(|i| i.indicator == "规上工业增加值") {
        i.growth = None;
    }
    let a = article(&r);
    assert!(a.contains("1—3月，全县5个重点项目完成投资3.48亿元。新开工项目3个。"), "{a}");
    assert!(!a.contains("占年度计划") && !a.contains("目标任务") && !a.contains("规上工业增加值"), "{a}");
    assert!(a.contains("协调解决2个。"), "{a}");
    assert!(!a.contains("解决率") && !a.contains("满意率") && !a.contains("按期办结率"), "{a}");
    assert_no_missing_words(&a);

    // No ledger at all: no paragraph, and certainly no "0个项目".
    let mut empty = report();
    empty.projects = Default::default();
    empty.indicators.clear();
    empty.visits = Default::default();
    let a = article(&empty);
    assert!(!a.contains("0个") && !a.contains("##"), "{a}");
}

#[test]
fn briefing_renders_for_a_single_region_and_for_no_data() {
    // One bar per chart: plotters' segmented axis needs a non-empty range.
    let mut r = report();
    r.projects.by_region.truncate(1);
    r.projects.monthly.truncate(1);
    let first = r.indicators.iter().find(|i| i.region != "全部").map(|i| i.indicator.clone()).unwrap();
    r.indicators.retain(|i| i.indicator == first && (i.region == "全部" || i.region == "白水镇"));
    r.visits.by_category.truncate(1);
    let page = briefing(&r);
    assert_eq!(page.matches("<svg").count(), 4);
    assert_no_missing_words(&visible_text(&page));

    // Nothing at all: every section says so, no chart, no error.
    r.projects = Default::default();
    r.indicators.clear();
    r.visits = Default::default();
    r.data_quality = Default::default();
    let page = briefing(&r);
    assert_eq!(page.matches("<svg").count(), 0);
    for empty in [
        "本期没有重点项目台账数据",
        "本期没有经济指标月报数据",
        "本期没有走访问题台账数据",
        "本期没有可排名的数据",
        "没有逾期未办结的问题",
    ] {
        assert!(page.contains(empty), "{empty}");
    }
    assert_no_missing_words(&visible_text(&page));
}

/// The outline of the briefing: headings, section ids, table captions and
/// each table's header cells, one per line.
fn outline(html: &str) -> String {
    let re = regex::Regex::new(r#"(?s)<(h[1-3])>(.*?)</h[1-3]>|<section id="([^"]+)"|<caption>(.*?)(?:<span|</caption>)|<thead>(.*?)</thead>|<figcaption>(.*?)</figcaption>"#).unwrap();
    let th = regex::Regex::new(r"(?s)<th[^>]*>(.*?)</th>").unwrap();
    let mut lines = Vec::new();
    for c in re.captures_iter(html) {
        if let (Some(tag), Some(text)) = (c.get(1), c.get(2)) {
            lines.push(format!("{}: {}", tag.as_str(), text.as_str()));
        } else if let Some(id) = c.get(3) {
            lines.push(format!("section #{}", id.as_str()));
        } else if let Some(cap) = c.get(4) {
            lines.push(format!("  table: {}", cap.as_str()));
        } else if let Some(head) = c.get(5) {
            let cells: Vec<&str> =
                th.captures_iter(head.as_str()).filter_map(|m| m.get(1)).map(|m| m.as_str()).collect();
            lines.push(format!("    | {} |", cells.join(" | ")));
        } else if let Some(fig) = c.get(6) {
            lines.push(format!("  figure: {}", fig.as_str()));
        }
    }
    lines.join("\n")
}

#[test]
fn briefing_structure_snapshot() {
    let page = briefing(&report());
    insta::assert_snapshot!("briefing_outline", outline(&page));
}

#[test]
fn briefing_shows_the_reports_figures_and_dashes_for_missing_ones() {
    let mut r = report();
    let page = briefing(&r);
    assert!(page.starts_with("<!DOCTYPE html>"));
    // KPI: 3.48亿元, 33.5 %, flag green (33.5 ≥ 25).
    assert!(page.contains("<div class=\"value\">3.48亿元</div>"), "KPI card");
    assert!(page.contains("完成率 33.5%，时序进度 25.0%"));
    // Four charts, as inline SVG.
    assert_eq!(page.matches("<svg").count(), 4, "charts");
    assert!(page.contains("时序进度25.0%"));
    // Overdue list worst first: 用地指标 (49 days, 红) before 物流 (3 days, 蓝).
    let first = page.find("用地指标").unwrap();
    let second = page.find(">物流<").unwrap();
    assert!(first < second);
    assert!(page.contains("<td class=\"n\">49</td><td class=\"c red\">红色</td>"));
    // The visits card: 5 problems, 2 resolved (by hand, as in the article
    // test), each figure kept on one line with its unit.
    assert!(page.contains("<span class=\"nw\">摸排问题 5个</span>，<span class=\"nw\">已解决 2个</span>"), "{page}");
    assert!(page.contains(".kpi .sub .nw { white-space: nowrap; }"));
    // The growth chart's note names the dashed line the whole's growth draws.
    assert!(page.contains("虚线为全县增速；红色为负增长。"), "{page}");
    assert_no_missing_words(&visible_text(&page));
    // With no whole-area growth there is no dashed line, and no word of one.
    let mut no_whole = report();
    for i in no_whole.indicators.iter_mut().filter(|i| i.region == "全部") {
        i.growth = None;
    }
    let page = briefing(&no_whole);
    assert!(page.contains("红色为负增长。") && !page.contains("虚线为全县增速"), "{page}");

    // Missing figures show as —, never None or 0.
    r.visits.on_time_rate = None;
    r.visits.median_days = None;
    r.projects.total.plan = None;
    r.projects.by_region[0].figures.completion_rate = None;
    let page = briefing(&r);
    assert!(page.contains("按期办结率 —"));
    assert!(page.contains("办结天数中位数 —天"));
    assert_no_missing_words(&visible_text(&page));
}

#[test]
fn briefing_escapes_names_from_the_ledgers() {
    let mut r = report();
    // The enterprise named <script>alert(1)</script> in the visits ledger is overdue.
    let page = briefing(&r);
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;")
            || page.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
    );
    assert!(!page.contains("<script"), "no script element may reach the page");
    // A region name with markup, in tables and in the SVG charts.
    r.projects.by_region[0].label = "<img src=x onerror=alert(2)>".into();
    for i in r.indicators.iter_mut().filter(|i| i.region == "白水镇") {
        i.region = "<img src=x onerror=alert(2)>".into();
    }
    let page = briefing(&r);
    assert!(!page.contains("<img"), "markup from a label reached the page");
    assert!(page.contains("&lt;img src=x onerror=alert(2)&gt;"), "label shown as text (SVG)");
}

#[test]
fn briefing_requests_nothing_from_the_network() {
    let page = briefing(&report());
    let remote = regex::Regex::new(r#"(?i)(src|href|srcset|action|poster)\s*=\s*["']?\s*(https?:)?//|url\(\s*["']?\s*(https?:)?//|@import|<link\s|<script|<iframe|<img\s"#).unwrap();
    assert!(!remote.is_match(&page), "{:?}", remote.find(&page));
    // The only URL is the SVG namespace, which is a name, not a request.
    let urls: Vec<&str> =
        regex::Regex::new(r"https?://[^\s\x22']+").unwrap().find_iter(&page).map(|m| m.as_str()).collect();
    assert!(urls.iter().all(|u| *u == "http://www.w3.org/2000/svg"), "{urls:?}");
}

#[test]
fn a_templates_dir_overrides_one_file_and_the_rest_falls_back() {
    let r = report();
    let dir = tempfile::tempdir().unwrap();
    let builtin = EMBEDDED.iter().find(|(n, _)| *n == "article.md.j2").unwrap().1;
    let sentence = "已开工项目{{ p.started }}个，开工率{{ p.started_rate|pct }}。";
    assert!(builtin.contains(sentence), "the sentence to override is in the built-in template");
    let custom = builtin.replace(sentence, "开工项目{{ p.started }}个（开工率{{ p.started_rate|pct }}）。");
    std::fs::write(dir.path().join("article.md.j2"), custom).unwrap();

    let default = article(&r);
    let overridden = article::render_article(&r, Some(dir.path())).unwrap();
    assert!(default.contains("已开工项目4个，开工率80.0%。"), "{default}");
    assert!(overridden.contains("开工项目4个（开工率80.0%）。"), "{overridden}");
    // Only that sentence differs.
    assert_eq!(overridden.replace("开工项目4个（开工率80.0%）。", "已开工项目4个，开工率80.0%。"), default);
    // briefing.html and its partials all fall back to the built-in ones.
    assert_eq!(html::render_briefing(&r, Some(dir.path())).unwrap(), briefing(&r));

    // An override of a partial only: the CSS.
    std::fs::create_dir(dir.path().join("partials")).unwrap();
    std::fs::write(dir.path().join("partials/briefing.css"), "body { color: #123456; }").unwrap();
    let page = html::render_briefing(&r, Some(dir.path())).unwrap();
    assert!(page.contains("body { color: #123456; }") && !page.contains("--serif"));
}

#[test]
fn a_misspelt_variable_in_a_template_is_an_error_that_names_it() {
    let r = report();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("article.md.j2"), "{{ report.projects.total.compleiton_rate|pct }}\n").unwrap();
    let err = article::render_article(&r, Some(dir.path())).unwrap_err().to_string();
    assert!(err.contains("article.md.j2") && err.contains("第1行") && err.contains("compleiton_rate"), "{err}");
    // Also when printed without a filter.
    std::fs::write(dir.path().join("article.md.j2"), "{{ scoep }}\n").unwrap();
    assert!(article::render_article(&r, Some(dir.path())).is_err());
    // A template that does not parse.
    std::fs::write(dir.path().join("article.md.j2"), "{% if %}\n").unwrap();
    assert!(article::render_article(&r, Some(dir.path())).is_err());
}

#[test]
fn every_file_in_templates_is_embedded() {
    // The binary embeds templates/ with include_str!, one file at a time; a
    // partial added to templates/ but not to EMBEDDED would work from the
    // source tree and fail in an installed binary.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut files = Vec::new();
    for dir in [root.clone(), root.join("partials")] {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() && path.extension().is_some_and(|e| e == "j2" || e == "css") {
                files.push(path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    files.sort();
    let mut embedded: Vec<String> = EMBEDDED.iter().map(|(n, _)| n.to_string()).collect();
    embedded.sort();
    assert_eq!(files, embedded);
}
