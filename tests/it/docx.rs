//! briefing.docx (issue 11), read back as Word reads it: `statbrief run` on
//! sample_data, then the package unzipped and `word/document.xml` parsed.
//! Page figures are GB/T 9704-2012's millimetres converted by hand; the
//! text is compared with article.md and its figures with metrics.json; the
//! tables' rows with metrics.json's groups; the images decoded.

use crate::common::unzip;
use serde_json::Value;
use statbrief::app::{self, RunOptions};
use statbrief::report::templates::EMBEDDED;
use statbrief::report::wording::{fmt_amount, fmt_percent};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data")
}

/// What one run wrote.
struct Outputs {
    parts: HashMap<String, Vec<u8>>,
    article: String,
    metrics: Value,
}

impl Outputs {
    fn part(&self, name: &str) -> &str {
        std::str::from_utf8(self.parts.get(name).unwrap_or_else(|| panic!("no {name} in the package"))).unwrap()
    }

    fn body(&self) -> Node {
        let doc = parse(self.part("word/document.xml"));
        doc.find("body").cloned().expect("w:body")
    }
}

fn run(templates: Option<&Path>, config: Option<&Path>) -> Outputs {
    let out = tempfile::tempdir().unwrap();
    let opts = RunOptions {
        input: sample_dir(),
        out: out.path().to_path_buf(),
        period: None,
        config: config.map(Path::to_path_buf),
        templates: templates.map(Path::to_path_buf),
        strict: false,
        limits: Default::default(),
    };
    let outcome = app::run(&opts).unwrap();
    assert_eq!(outcome.exit_code, 0, "{:?}", outcome.stderr);
    let bytes = std::fs::read(out.path().join("briefing.docx")).unwrap();
    Outputs {
        parts: unzip(bytes),
        article: std::fs::read_to_string(out.path().join("article.md")).unwrap(),
        metrics: serde_json::from_str(&std::fs::read_to_string(out.path().join("metrics.json")).unwrap()).unwrap(),
    }
}

/// The default run, shared by the tests (ingesting sample_data takes a moment).
fn sample() -> &'static Outputs {
    static OUT: OnceLock<Outputs> = OnceLock::new();
    OUT.get_or_init(|| run(None, None))
}

// ───────────────────────────── a tiny XML tree ─────────────────────────────

#[derive(Debug, Clone, Default)]
struct Node {
    /// Local name (`p`, `r`, `t` …): the `w:` prefix dropped.
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
    text: String,
}

impl Node {
    /// An attribute by local name.
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k.rsplit(':').next() == Some(name)).map(|(_, v)| v.as_str())
    }

    fn find(&self, name: &str) -> Option<&Node> {
        self.children.iter().find_map(|c| if c.name == name { Some(c) } else { c.find(name) })
    }

    fn all<'a>(&'a self, name: &str, out: &mut Vec<&'a Node>) {
        for c in &self.children {
            if c.name == name {
                out.push(c);
            }
            c.all(name, out);
        }
    }

    fn find_all(&self, name: &str) -> Vec<&Node> {
        let mut out = Vec::new();
        self.all(name, &mut out);
        out
    }

    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The text of every `w:t` inside.
    fn text(&self) -> String {
        self.find_all("t").iter().map(|t| t.text.as_str()).collect()
    }

    /// `w:rFonts/@w:eastAsia` of the first run.
    fn east_asia(&self) -> Option<&str> {
        self.find("r").and_then(|r| r.find("rFonts")).and_then(|f| f.attr("eastAsia"))
    }

    fn ascii(&self) -> Option<&str> {
        self.find("r").and_then(|r| r.find("rFonts")).and_then(|f| f.attr("ascii"))
    }

    /// `w:sz` of the first run, in half-points.
    fn size(&self) -> Option<&str> {
        self.find("r").and_then(|r| r.find("sz")).and_then(|s| s.attr("val"))
    }

    fn jc(&self) -> Option<&str> {
        self.child("pPr").and_then(|p| p.child("jc")).and_then(|j| j.attr("val"))
    }
}

fn parse(xml: &str) -> Node {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack = vec![Node::default()];
    let node = |e: &quick_xml::events::BytesStart| Node {
        name: e.local_name().as_ref().to_string(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.unwrap();
                (
                    a.key.as_ref().to_string(),
                    a.normalized_value(quick_xml::XmlVersion::Implicit1_0).unwrap().into_owned(),
                )
            })
            .collect(),
        ..Node::default()
    };
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => stack.push(node(&e)),
            Event::Empty(e) => stack.last_mut().unwrap().children.push(node(&e)),
            Event::End(_) => {
                let done = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(done);
            }
            Event::Text(t) => stack.last_mut().unwrap().text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let name = r.into_inner();
                let c = match name.as_ref() {
                    "amp" => "&".to_string(),
                    "lt" => "<".to_string(),
                    "gt" => ">".to_string(),
                    "quot" => "\"".to_string(),
                    "apos" => "'".to_string(),
                    n if n.starts_with("#x") => {
                        char::from_u32(u32::from_str_radix(&n[2..], 16).unwrap()).unwrap().to_string()
                    }
                    n if n.starts_with('#') => char::from_u32(n[1..].parse().unwrap()).unwrap().to_string(),
                    other => panic!("unknown entity {other}"),
                };
                stack.last_mut().unwrap().text.push_str(&c);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "unbalanced XML");
    stack.pop().unwrap()
}

/// The top-level paragraphs of the body with their text.
fn paragraphs(body: &Node) -> Vec<&Node> {
    body.children.iter().filter(|c| c.name == "p").collect()
}

/// The article's paragraphs and headings as plain lines (Markdown marks dropped).
fn article_lines(article: &str) -> Vec<String> {
    article.lines().map(|l| l.trim().trim_start_matches('#').trim().to_string()).filter(|l| !l.is_empty()).collect()
}

// ───────────────────────────── the tests ─────────────────────────────

#[test]
fn docx_page_is_gb_t_9704() {
    let out = sample();
    let body = out.body();
    let sect = body.child("sectPr").expect("section properties");
    let size = sect.child("pgSz").unwrap();
    // A4: 210 mm × 1440/25.4 = 11,905.5 → 11,906 twips; 297 mm → 16,838.
    assert_eq!((size.attr("w"), size.attr("h")), (Some("11906"), Some("16838")));
    let m = sect.child("pgMar").unwrap();
    // Top 37 mm = 2,097.6 → 2,098; left 28 mm = 1,587.4 → 1,587;
    // right 210 − 28 − 156 = 26 mm = 1,474.0; bottom 297 − 37 − 225 = 35 mm = 1,984.3 → 1,984.
    assert_eq!(m.attr("top"), Some("2098"));
    assert_eq!(m.attr("left"), Some("1587"));
    assert_eq!(m.attr("right"), Some("1474"));
    assert_eq!(m.attr("bottom"), Some("1984"));
    // The text block is then 11,906 − 1,587 − 1,474 = 8,845 twips = 156.0 mm wide.
    let grid = sect.child("docGrid").unwrap();
    // 22 lines in 225 mm = 12,756 twips: 579.8 → 579 so that 22 fit.
    assert_eq!(grid.attr("linePitch"), Some("579"));
    assert_eq!(grid.attr("type"), Some("linesAndChars"));
    let char_space: i32 = grid.attr("charSpace").unwrap().parse().unwrap();
    // 28 characters in 156 mm = 442.2 pt: 15.79 pt each, 0.21 pt below 16 pt (×4096 ≈ −848).
    assert!((-860..=-840).contains(&char_space), "{char_space}");

    // Separate odd and even footers, `— PAGE —` in 4号 (28 half-points) 宋体.
    assert!(out.part("word/settings.xml").contains("evenAndOddHeaders"));
    let refs: Vec<_> = sect.children.iter().filter(|c| c.name == "footerReference").collect();
    let types: BTreeSet<&str> = refs.iter().filter_map(|r| r.attr("type")).collect();
    assert_eq!(types, BTreeSet::from(["default", "even"]));
    let rels = parse(out.part("word/_rels/document.xml.rels"));
    for r in refs {
        let id = r.attr("id").unwrap();
        let target = rels
            .find_all("Relationship")
            .into_iter()
            .find(|x| x.attr("Id") == Some(id))
            .and_then(|x| x.attr("Target"))
            .unwrap();
        let footer = parse(out.part(&format!("word/{target}")));
        let p = footer.find("p").unwrap();
        assert_eq!(p.text(), "— 1 —", "placeholder of the PAGE field between two em dashes");
        let instr: String = footer.find_all("instrText").iter().map(|i| i.text.as_str()).collect();
        assert_eq!(instr.trim(), "PAGE");
        let chars: Vec<_> = footer.find_all("fldChar").iter().filter_map(|f| f.attr("fldCharType")).collect();
        assert_eq!(chars, ["begin", "separate", "end"]);
        for run in footer.find_all("r") {
            assert_eq!(run.find("rFonts").and_then(|f| f.attr("eastAsia")), Some("宋体"));
            assert_eq!(run.find("rFonts").and_then(|f| f.attr("ascii")), Some("宋体"), "半角宋体 digits");
            assert_eq!(run.find("sz").and_then(|s| s.attr("val")), Some("28"));
        }
        // Odd pages (the default footer) on the right, even pages on the left.
        let want = if r.attr("type") == Some("even") { "left" } else { "right" };
        assert_eq!(p.jc(), Some(want));
    }
}

#[test]
fn docx_fonts_of_title_headings_and_body() {
    let body = sample().body();
    let ps = paragraphs(&body);
    let title = ps[0];
    assert!(title.text().ends_with("青山县经济运行和重点工作简报"), "{}", title.text());
    assert_eq!(title.east_asia(), Some("方正小标宋简体"));
    assert_eq!(title.size(), Some("44"), "2号 = 22 pt");
    assert_eq!(title.jc(), Some("center"));
    let mut seen = (0, 0);
    for p in &ps {
        let text = p.text();
        if text.starts_with("一、") || text.starts_with("二、") || text.starts_with("三、") {
            assert_eq!(p.east_asia(), Some("黑体"), "{text}");
            assert_eq!(p.size(), Some("32"));
            seen.0 += 1;
        } else if text.starts_with("1—") {
            // Body paragraphs: 3号仿宋, Latin and digits in Times New Roman,
            // first line indented two characters (2 × 16 pt = 640 twips).
            assert_eq!(p.east_asia(), Some("仿宋_GB2312"), "{text}");
            assert_eq!(p.ascii(), Some("Times New Roman"));
            assert_eq!(p.size(), Some("32"));
            let ind = p.child("pPr").and_then(|x| x.child("ind")).unwrap();
            assert_eq!(ind.attr("firstLine"), Some("640"));
            // Condensed by 0.25 pt, so a character fits its 15.79 pt grid cell.
            let spacing = p.find("r").and_then(|r| r.find("spacing")).and_then(|s| s.attr("val"));
            assert_eq!(spacing, Some("-5"));
            seen.1 += 1;
        }
    }
    assert_eq!(seen, (3, 3), "three parts, each with a heading and a paragraph");
}

/// Every number a text shows (thousands separators dropped).
fn numbers(text: &str) -> Vec<String> {
    regex::Regex::new(r"\d+(?:,\d{3})*(?:\.\d+)?")
        .unwrap()
        .find_iter(text)
        .map(|m| m.as_str().replace(',', ""))
        .collect()
}

/// The ways a figure of metrics.json may be written: as is, rounded to 0–2
/// decimals, in 亿元 (÷ 10,000) — and the difference of two figures of the
/// same object (`高于时序进度8.5个百分点` is completion_rate − time_progress).
fn allowed(metrics: &Value) -> BTreeSet<String> {
    fn forms(x: f64, out: &mut BTreeSet<String>) {
        let x = x.abs();
        for v in [x, x / 10_000.0] {
            for d in 0..=2 {
                // Half away from zero, with the nudge statistical rounding uses.
                let p = 10f64.powi(d);
                let r = ((v * p) + 1e-9).round() / p;
                out.insert(format!("{r:.*}", d as usize));
                let s = format!("{r:.*}", d as usize);
                if s.contains('.') {
                    out.insert(s.trim_end_matches('0').trim_end_matches('.').to_string());
                }
            }
        }
    }
    fn walk(v: &Value, out: &mut BTreeSet<String>) {
        match v {
            Value::Number(n) => forms(n.as_f64().unwrap(), out),
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            Value::Object(o) => {
                let nums: Vec<f64> = o.values().filter_map(Value::as_f64).collect();
                for a in &nums {
                    for b in &nums {
                        forms(a - b, out);
                    }
                }
                o.values().for_each(|x| walk(x, out));
            }
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    walk(metrics, &mut out);
    out
}

#[test]
fn docx_text_is_the_articles_and_its_figures_are_the_metrics() {
    let out = sample();
    let body = out.body();
    let ps = paragraphs(&body);
    // The text paragraphs, in order: title, byline, blank, then everything
    // that is not a table or figure title, a unit line, a note or an image.
    let words: Vec<String> = ps
        .iter()
        .filter(|p| p.find("drawing").is_none())
        .map(|p| p.text())
        .filter(|t| {
            !t.is_empty()
                && !t.starts_with('表')
                && !t.starts_with('图')
                && !t.starts_with("单位")
                && !t.starts_with("增速单位")
                && !t.starts_with("注：")
        })
        .collect();
    let article = article_lines(&out.article);
    assert_eq!(words[0], article[0], "title");
    let month = format!("数据截至{}年{}月", out.metrics["year"], out.metrics["month"]);
    assert_eq!(words[1], format!("青山县统计局　{month}"), "byline");
    assert_eq!(words[2..], article[1..], "the document's sentences are article.md's");

    // Figures the sentences must show, formatted from metrics.json.
    let m = &out.metrics;
    let p = &m["projects"]["total"];
    let v = &m["visits"];
    let text = words.join("\n");
    for want in [
        format!("{}个重点项目完成投资{}", p["count"], fmt_amount(p["done"].as_f64().unwrap())),
        format!("占年度计划的{}", fmt_percent(p["completion_rate"].as_f64().unwrap())),
        format!(
            "入企走访{}次，覆盖企业{}家，摸排困难问题{}个，协调解决{}个",
            v["visits"], v["enterprises"], v["problems"], v["resolved"]
        ),
        format!("问题解决率{}", fmt_percent(v["resolution_rate"].as_f64().unwrap())),
        format!("仍有{}个问题超过办结时限未解决", v["overdue_count"]),
    ] {
        assert!(text.contains(&want), "{want}\n{text}");
    }
    // And no number the metrics do not hold.
    let allowed = allowed(m);
    for n in numbers(&text) {
        assert!(allowed.contains(&n), "{n} is in the document but not in metrics.json\n{text}");
    }
}

/// The tables of the body with their title paragraph (`表N　…`) just before.
fn tables(body: &Node) -> Vec<(String, &Node)> {
    let mut out = Vec::new();
    let mut last_title = String::new();
    for c in &body.children {
        if c.name == "p" && c.text().starts_with('表') {
            last_title = c.text();
        } else if c.name == "tbl" {
            out.push((last_title.clone(), c));
        }
    }
    out
}

fn rows(tbl: &Node) -> Vec<Vec<String>> {
    tbl.children
        .iter()
        .filter(|r| r.name == "tr")
        .map(|r| r.children.iter().filter(|c| c.name == "tc").map(Node::text).collect())
        .collect()
}

#[test]
fn docx_tables_have_the_reports_rows() {
    let out = sample();
    let body = out.body();
    let all = tables(&body);
    let titles: Vec<&str> = all.iter().map(|(t, _)| t.as_str()).collect();
    let table = |name: &str| {
        all.iter()
            .find(|(t, _)| t.contains(name))
            .map(|(_, n)| *n)
            .unwrap_or_else(|| panic!("no table {name}: {titles:?}"))
    };
    let m = &out.metrics;

    // By region: header, the whole, then each region in the Report's order.
    let t = table("各地区重点项目投资完成情况");
    let r = rows(t);
    let regions: Vec<&str> =
        m["projects"]["by_region"].as_array().unwrap().iter().map(|g| g["region"].as_str().unwrap()).collect();
    assert_eq!(r.len(), 2 + regions.len());
    assert_eq!(r[0][0], "地区");
    assert_eq!(r[1][0], "全县");
    assert_eq!(r.iter().skip(2).map(|x| x[0].as_str()).collect::<Vec<_>>(), regions);
    let first = &m["projects"]["by_region"][0];
    assert_eq!(r[2][1], first["count"].to_string());
    assert_eq!(r[2][4], format!("{:.1}", first["completion_rate"].as_f64().unwrap()));
    // The header row repeats on each page; numbers are right-aligned, names left.
    let header = t.child("tr").unwrap();
    assert!(header.child("trPr").and_then(|p| p.child("tblHeader")).is_some(), "w:tblHeader");
    let body_row = t.children.iter().filter(|c| c.name == "tr").nth(1).unwrap();
    let jcs: Vec<_> = body_row
        .children
        .iter()
        .filter(|c| c.name == "tc")
        .map(|c| c.find("jc").and_then(|j| j.attr("val")).unwrap_or(""))
        .collect();
    assert_eq!(jcs[0], "left");
    assert_eq!(&jcs[1..5], ["right", "right", "right", "right"]);

    // Indicators: one row per indicator that has a whole (region 全部).
    let wholes = m["indicators"].as_array().unwrap().iter().filter(|i| i["region"] == "全部").count();
    assert_eq!(rows(table("主要经济指标完成情况")).len(), 1 + wholes);

    // Problem handling: the whole and each unit.
    let units = m["visits"]["by_unit"].as_array().unwrap().len();
    let r = rows(table("问题办理情况"));
    assert_eq!(r.len(), 2 + units);
    assert_eq!(r[1][1], m["visits"]["problems"].to_string());

    // The overdue list: sample_data's 11 (3 blue, 2 yellow, 6 red by the
    // generator's account), worst first; no note, as none is left out.
    let overdue = m["visits"]["overdue_count"].as_u64().unwrap() as usize;
    assert_eq!(overdue, 3 + 2 + 6);
    let r = rows(table("逾期未办结问题督办清单"));
    assert_eq!(r.len(), 1 + overdue);
    let worst = &m["visits"]["overdue"][0];
    assert_eq!(r[1][1], worst["enterprise"].as_str().unwrap());
    assert_eq!(r[1][6], worst["days_overdue"].to_string());
    assert!(!paragraphs(&body).iter().any(|p| p.text().contains("另有")));
    // Every table has a title and a unit line.
    assert_eq!(titles.len(), 4, "{titles:?}");
    for (i, t) in titles.iter().enumerate() {
        assert!(t.starts_with(&format!("表{}　", i + 1)), "{t}");
    }
}

/// The printed width of `text` at `pt` points: a CJK character is one em;
/// in Times New Roman (the Latin font) a digit is half an em, `,` and `.`
/// a quarter, `-` a third.
fn printed_width_pt(text: &str, pt: f64) -> f64 {
    text.chars()
        .map(|c| match c {
            '0'..='9' | ' ' => 0.5,
            ',' | '.' => 0.25,
            '-' => 1.0 / 3.0,
            c if c.is_ascii() => 0.5,
            _ => 1.0,
        })
        .sum::<f64>()
        * pt
}

#[test]
fn docx_table_text_breaks_well_and_numbers_fit_on_one_line() {
    // A header broken 3 + 1 (同比增|长) or an amount broken over two lines
    // reads badly in a 公文 table. Each line of text, with the table's 3 pt
    // margins either side (60 twips), must fit its cell's width (w:tcW, in
    // twips): every line of a header (its lines are w:t pieces between
    // w:br), which differ in length by one character at most, and every
    // cell that is a number, on one line.
    let out = sample();
    let body = out.body();
    let (mut stacked, mut widows_fixed) = (0, 0);
    for (title, tbl) in tables(&body) {
        for (r, row) in tbl.children.iter().filter(|c| c.name == "tr").enumerate() {
            for cell in row.children.iter().filter(|c| c.name == "tc") {
                let text = cell.text();
                let numeric = !text.is_empty() && text.chars().all(|c| c.is_ascii_digit() || ",.-+".contains(c));
                let pieces: Vec<String> = cell.find_all("t").iter().map(|t| t.text.clone()).collect();
                let wide = !text.is_empty() && !text.chars().any(|c| c.is_ascii() || !c.is_alphabetic());
                let lines: Vec<String> = match (r, numeric) {
                    (0, _) => pieces,
                    (_, true) => vec![text.clone()],
                    // Chinese text in the body: set in lines by statbrief
                    // (then checked below like a header's, and no line of
                    // one character), or left to wrap in Word, which must
                    // then not leave one character alone on the last line.
                    _ if wide && pieces.len() > 1 => {
                        assert!(pieces.last().unwrap().chars().count() > 1, "{title}: {pieces:?}");
                        widows_fixed += 1;
                        pieces
                    }
                    _ if wide => {
                        let w = cell.find("tcW").and_then(|w| w.attr("w")).unwrap().parse::<f64>().unwrap() / 20.0;
                        let pt = cell.size().unwrap().parse::<f64>().unwrap() / 2.0;
                        let per_line = ((w - 6.0) / pt).floor() as usize;
                        let n = text.chars().count();
                        assert!(
                            n <= per_line || n % per_line != 1,
                            "{title}: 「{text}」 leaves one character on its last line"
                        );
                        continue;
                    }
                    _ => continue,
                };
                let width_pt = cell.find("tcW").and_then(|w| w.attr("w")).unwrap().parse::<f64>().unwrap() / 20.0;
                let pt = cell.size().unwrap().parse::<f64>().unwrap() / 2.0;
                for line in &lines {
                    let needed = printed_width_pt(line, pt) + 6.0;
                    assert!(
                        needed <= width_pt,
                        "{title}: 「{line}」 needs {needed:.1} pt, its column is {width_pt:.1} pt"
                    );
                }
                if r == 0 {
                    let counts: Vec<usize> = lines.iter().map(|l| l.chars().count()).collect();
                    let (min, max) = (counts.iter().min().unwrap(), counts.iter().max().unwrap());
                    assert!(max - min <= 1, "{title}: header 「{text}」 broken as {lines:?}");
                    stacked += usize::from(lines.len() > 1);
                }
            }
        }
    }
    // The sample's overdue list stacks 逾期天数 and 督办等级 (9 of its 106
    // parts of the 442 pt block at 10.5 pt: 37.5 pt, room for three
    // characters), and the projects table 本年累计完成投资 (18 of 93 parts:
    // 85.6 pt at 12 pt, room for six): 4 + 4.
    assert!(stacked >= 3, "{stacked} stacked headers");
    // 社会消费品零售总额 in the indicator table's name column (13 of 100
    // parts: 57.5 pt at 12 pt, four characters a line) would end 4 + 4 + 1.
    assert!(widows_fixed >= 1, "no body text set in lines");
}

#[test]
fn docx_images_are_valid_pngs_at_print_resolution() {
    let out = sample();
    let body = out.body();
    let drawings = body.find_all("drawing").len();
    assert_eq!(drawings, 4, "four charts");
    let media: Vec<(&String, &Vec<u8>)> =
        out.parts.iter().filter(|(k, _)| k.starts_with("word/media/") && !k.ends_with('/')).collect();
    assert_eq!(media.len(), 4, "{:?}", media.iter().map(|m| m.0).collect::<Vec<_>>());
    for (name, bytes) in media {
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{name}: PNG signature");
        let pixmap = resvg::tiny_skia::Pixmap::decode_png(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        // 150 mm at 300 dpi = 1,771.7 px.
        assert_eq!(pixmap.width(), 1772, "{name}");
        assert!(pixmap.height() > 200, "{name}");
        // Not blank: bars and labels are drawn.
        let ink = pixmap.pixels().iter().filter(|p| p.red() < 200 || p.green() < 200 || p.blue() < 200).count();
        assert!(ink > 5_000, "{name}: {ink} coloured pixels");
    }
    // Each image is 150 mm wide on the page (36,000 EMU per mm).
    for extent in body.find_all("extent") {
        assert_eq!(extent.attr("cx"), Some("5400000"));
    }
}

#[test]
fn a_custom_template_changes_the_article_and_the_docx_alike() {
    let dir = tempfile::tempdir().unwrap();
    let builtin = EMBEDDED.iter().find(|(n, _)| *n == "article.md.j2").unwrap().1;
    let sentence = "已开工项目{{ p.started }}个，开工率{{ p.started_rate|pct }}。";
    assert!(builtin.contains(sentence));
    let custom = builtin.replace(sentence, "其中开工项目{{ p.started }}个（开工率{{ p.started_rate|pct }}）。");
    std::fs::write(dir.path().join("article.md.j2"), custom).unwrap();
    let out = run(Some(dir.path()), None);
    let words: String = paragraphs(&out.body()).iter().map(|p| p.text()).collect::<Vec<_>>().join("\n");
    let started = out.metrics["projects"]["total"]["started"].to_string();
    let new = format!("其中开工项目{started}个（开工率");
    assert!(out.article.contains(&new), "{}", out.article);
    assert!(words.contains(&new), "{words}");
    assert!(!words.contains("已开工项目"), "{words}");
}

#[test]
fn docx_fonts_come_from_statbrief_toml() {
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string(sample_dir().join("statbrief.toml")).unwrap();
    let config = dir.path().join("statbrief.toml");
    std::fs::write(&config, format!("{base}\n[docx]\nbody_font = \"仿宋\"\nheading1_font = \"SimHei\"\n")).unwrap();
    let out = run(None, Some(&config));
    let body = out.body();
    let ps = paragraphs(&body);
    let heading = ps.iter().find(|p| p.text().starts_with("一、")).unwrap();
    assert_eq!(heading.east_asia(), Some("SimHei"));
    let para = ps.iter().find(|p| p.text().starts_with("1—")).unwrap();
    assert_eq!(para.east_asia(), Some("仿宋"));
    // Unset keys keep their defaults.
    assert_eq!(ps[0].east_asia(), Some("方正小标宋简体"));
    // A misspelt key is an error that names it.
    std::fs::write(&config, format!("{base}\n[docx]\nbody_fnt = \"仿宋\"\n")).unwrap();
    let opts = RunOptions {
        input: sample_dir(),
        out: dir.path().join("o"),
        period: None,
        config: Some(config.clone()),
        templates: None,
        strict: false,
        limits: Default::default(),
    };
    let err = app::run(&opts).err().expect("unknown key").to_string();
    assert!(err.contains("body_fnt"), "{err}");
}

#[test]
fn a_long_overdue_list_is_capped_with_a_count_of_the_rest() {
    let dir = sample_dir();
    let ingested = statbrief::ingest::ingest(&dir).unwrap();
    let config = statbrief::config::Config::load(None, &dir).unwrap();
    let as_of = statbrief::stats::default_as_of(&ingested).unwrap();
    let mut report = statbrief::stats::compute(&ingested, as_of, &config).unwrap();
    // 30 overdue problems, 1 … 30 days late, listed in no particular order.
    let template = report.visits.overdue[0].clone();
    report.visits.overdue = (1..=30)
        .map(|i| statbrief::model::Overdue {
            enterprise: format!("企业{i}"),
            days_overdue: (i * 7) % 31,
            ..template.clone()
        })
        .collect();
    report.visits.overdue_count = 30;
    let article = statbrief::report::article::render_article(&report, None).unwrap();
    let bytes = statbrief::report::docx::render_docx(&report, &article, &config.docx).unwrap();
    let parts = unzip(bytes);
    let doc = parse(std::str::from_utf8(&parts["word/document.xml"]).unwrap());
    let body = doc.find("body").unwrap();
    let list = tables(body).into_iter().find(|(t, _)| t.contains("逾期")).unwrap().1;
    let r = rows(list);
    assert_eq!(r.len(), 1 + 20, "header and the 20 worst");
    // (i × 7) mod 31 takes every value 1 … 30 once (7 is prime to 31),
    // so the 20 worst are 30 days down to 11.
    let days: Vec<String> = r[1..].iter().map(|x| x[6].clone()).collect();
    assert_eq!(days, (11..=30).rev().map(|d| d.to_string()).collect::<Vec<_>>());
    let note = paragraphs(body).iter().map(|p| p.text()).find(|t| t.contains("另有")).unwrap();
    assert!(note.contains("另有10个逾期问题未列出"), "{note}");

    // At province scale the report lists only the worst (metrics.json's
    // 1,000) and counts them all: the notes count from the total, 4,030.
    report.visits.overdue_count = 4_030;
    let bytes = statbrief::report::docx::render_docx(&report, &article, &config.docx).unwrap();
    let parts = unzip(bytes);
    let doc = parse(std::str::from_utf8(&parts["word/document.xml"]).unwrap());
    let note = paragraphs(doc.find("body").unwrap()).iter().map(|p| p.text()).find(|t| t.contains("另有")).unwrap();
    assert!(note.contains("另有4010个逾期问题未列出"), "{note}");
    let html = statbrief::report::html::render_briefing(&report, None).unwrap();
    assert!(html.contains("共有4030个问题超过办结时限"), "html total");
    // The HTML lists 30 (all it has, under its cap of 50): 4,000 not listed.
    assert!(html.contains("另有4000个逾期问题未列出"), "html rest");
}

#[test]
fn a_template_without_the_usual_parts_still_gets_every_table_and_chart() {
    // One part whose heading names no ledger: the tables and charts follow
    // the text, at the end, none lost.
    let dir = tempfile::tempdir().unwrap();
    let template =
        "# {{ report.title }}\n\n## 一、总体情况\n\n{{ scope }}重点项目{{ report.projects.total.count }}个。\n";
    std::fs::write(dir.path().join("article.md.j2"), template).unwrap();
    let out = run(Some(dir.path()), None);
    let body = out.body();
    let count = out.metrics["projects"]["total"]["count"].to_string();
    let ps = paragraphs(&body);
    let sentence =
        ps.iter().position(|p| p.text() == format!("全县重点项目{count}个。")).expect("the template's sentence");
    assert_eq!(tables(&body).len(), 4);
    assert_eq!(body.find_all("drawing").len(), 4);
    // Everything after the sentence: the first table's title comes later.
    let first_table_title = ps.iter().position(|p| p.text().starts_with("表1")).unwrap();
    assert!(first_table_title > sentence);
}
