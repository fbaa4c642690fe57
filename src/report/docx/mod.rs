//! `briefing.docx`: the briefing as a Word document in the layout of an
//! official document (公文, GB/T 9704-2012), for offices that file Word and
//! paste its text into their own documents.
//!
//! Its sentences are article.md's: the article template is rendered once
//! (with `--templates`) and its Markdown becomes the document's title,
//! headings and paragraphs ([`text`]), so a reworded template changes both
//! outputs alike. After each part of the article come that part's key tables
//! ([`tables`]) and charts ([`charts_png`]), chosen by the words of its
//! heading; a part the template leaves out, or renames past recognition,
//! has its tables and charts at the end instead, so nothing is lost. The page,
//! fonts and page numbers are [`layout`]'s.

pub mod charts_png;
pub mod layout;
pub mod tables;
pub mod text;

pub use layout::DocxFonts;

use crate::error::Error;
use crate::model::Report;
use crate::report::views::area_word;
use charts_png::ChartPng;
use docx_rs::{AlignmentType, Document, Docx, Paragraph, Pic, Run};
use layout::{BODY_PT, TITLE_PT};
use tables::TableSpec;
use text::{HeadingLevel, Piece};

/// The part of the briefing a table or chart belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    Projects,
    Indicators,
    Visits,
}

impl Topic {
    /// The part a heading of the article introduces, by its words.
    fn of_heading(heading: &str) -> Option<Topic> {
        if heading.contains("项目") {
            Some(Topic::Projects)
        } else if heading.contains("指标") || heading.contains("经济运行") {
            Some(Topic::Indicators)
        } else if ["走访", "入企", "问题", "服务"].iter().any(|w| heading.contains(w)) {
            Some(Topic::Visits)
        } else {
            None
        }
    }
}

/// A table or a chart, waiting for its place.
enum Block {
    Table(TableSpec),
    Chart(ChartPng),
}

/// Renders briefing.docx from the Report and the article's Markdown (the
/// text `article.md` holds, rendered from the same template).
pub fn render_docx(report: &Report, article_markdown: &str, fonts: &DocxFonts) -> Result<Vec<u8>, Error> {
    let scope = area_word(report);
    let mut pending = blocks(report, &scope)?;
    let mut writer = Writer { docx: page_setup(fonts), fonts, tables: 0, figures: 0 };
    let mut current: Option<Topic> = None;
    for piece in text::pieces(article_markdown) {
        match piece {
            Piece::Title(t) => {
                writer.title(&t, report);
            }
            Piece::Heading(level, t) => {
                if level == HeadingLevel::First {
                    // A new part: the previous part's tables and charts first.
                    writer.place(&mut pending, current);
                    current = Topic::of_heading(&t);
                }
                writer.heading(level, &t);
            }
            Piece::Paragraph(t) => writer.push(layout::body_paragraph(&t, &fonts.body_font, fonts)),
        }
    }
    writer.place(&mut pending, current);
    for topic in [Topic::Projects, Topic::Indicators, Topic::Visits] {
        writer.place(&mut pending, Some(topic));
    }
    pack(writer.docx, fonts)
}

/// The tables and charts of the report, each part in the order it is shown.
fn blocks(report: &Report, scope: &str) -> Result<Vec<(Topic, Block)>, Error> {
    let tables = tables::tables(report, scope);
    let charts = charts_png::chart_pngs(report, scope)?;
    let mut out: Vec<(Topic, Block)> = Vec::new();
    let mut charts = charts.into_iter().map(|(topic, c)| (topic, Block::Chart(c))).collect::<Vec<_>>();
    for t in tables {
        let topic = t.topic;
        let overdue = t.title.contains("逾期");
        // The problems chart goes before the tables of its part; otherwise a
        // table comes first and its part's charts follow it.
        if topic == Topic::Visits && !overdue {
            out.extend(take_charts(&mut charts, topic));
        }
        out.push((topic, Block::Table(t)));
        if topic != Topic::Visits {
            out.extend(take_charts(&mut charts, topic));
        }
    }
    out.extend(charts);
    Ok(out)
}

fn take_charts(charts: &mut Vec<(Topic, Block)>, topic: Topic) -> Vec<(Topic, Block)> {
    let (mine, rest): (Vec<_>, Vec<_>) = std::mem::take(charts).into_iter().partition(|(t, _)| *t == topic);
    *charts = rest;
    mine
}

/// A4, the GB/T 9704 margins and grid, body defaults, odd and even footers.
fn page_setup(fonts: &DocxFonts) -> Docx {
    Docx::new()
        .document(Document::new().doc_grid(layout::doc_grid()))
        .page_size(layout::twips(layout::PAGE_WIDTH_MM) as u32, layout::twips(layout::PAGE_HEIGHT_MM) as u32)
        .page_margin(layout::page_margin())
        .default_fonts(layout::run_fonts(&fonts.body_font, &fonts.latin_font))
        .default_size(layout::half_points(BODY_PT))
        .footer(layout::page_number_footer(true, fonts))
        .even_footer(layout::page_number_footer(false, fonts))
}

/// How many 2号 characters a title line may hold: the text block takes
/// 20.1 (156 mm = 442 pt / 22 pt); one is kept free, because figures and
/// dashes are wider than half a character in some fonts and a full line
/// would then wrap its last character alone.
fn title_per_line() -> f64 {
    layout::BLOCK_WIDTH_MM / 25.4 * 72.0 / TITLE_PT - 1.0
}

/// The document being written, with the running table and figure numbers.
struct Writer<'a> {
    docx: Docx,
    fonts: &'a DocxFonts,
    tables: usize,
    figures: usize,
}

impl Writer<'_> {
    fn push(&mut self, p: Paragraph) {
        let docx = std::mem::take(&mut self.docx);
        self.docx = docx.add_paragraph(p);
    }

    /// The title (2号小标宋, centred), the office and data month under it, and a blank line.
    fn title(&mut self, title: &str, report: &Report) {
        let f = self.fonts;
        self.push(
            Paragraph::new()
                .add_run(layout::lines_run(&text::title_lines(title, title_per_line()), &f.title_font, f, TITLE_PT))
                .align(AlignmentType::Center)
                // Off the character grid: 22 pt characters would each take two cells.
                .snap_to_grid(false)
                .line_spacing(layout::body_spacing()),
        );
        let byline = format!("{}　数据截至{}年{}月", report.office, report.year, report.month);
        self.push(
            Paragraph::new()
                .add_run(layout::grid_run(&byline, &f.heading2_font, f))
                .align(AlignmentType::Center)
                .snap_to_grid(false)
                .line_spacing(layout::body_spacing()),
        );
        self.push(Paragraph::new().line_spacing(layout::body_spacing()));
    }

    fn heading(&mut self, level: HeadingLevel, text: &str) {
        let f = self.fonts;
        let font = match level {
            HeadingLevel::First => &f.heading1_font,
            HeadingLevel::Second => &f.heading2_font,
            HeadingLevel::Third | HeadingLevel::Fourth => &f.body_font,
        };
        let outline = match level {
            HeadingLevel::First => 0,
            HeadingLevel::Second => 1,
            HeadingLevel::Third => 2,
            HeadingLevel::Fourth => 3,
        };
        self.push(layout::body_paragraph(text, font, f).keep_next(true).outline_lvl(outline));
    }

    /// Writes the waiting blocks of `topic` (none when the part has no topic).
    fn place(&mut self, pending: &mut Vec<(Topic, Block)>, topic: Option<Topic>) {
        let Some(topic) = topic else { return };
        let (mine, rest): (Vec<_>, Vec<_>) = std::mem::take(pending).into_iter().partition(|(t, _)| *t == topic);
        *pending = rest;
        for (_, block) in mine {
            match block {
                Block::Table(t) => self.table(&t),
                Block::Chart(c) => self.chart(c),
            }
        }
    }

    fn table(&mut self, spec: &TableSpec) {
        self.tables += 1;
        let f = self.fonts;
        for p in tables::title_and_unit(spec, self.tables, f) {
            self.push(p);
        }
        let docx = std::mem::take(&mut self.docx);
        self.docx = docx.add_table(tables::word_table(spec, f));
        if let Some(note) = &spec.note {
            self.push(tables::loose_paragraph(note, &f.body_font, f, layout::TABLE_PT, AlignmentType::Left));
        }
        // A blank line before the text goes on.
        self.push(tables::loose_paragraph("", &f.body_font, f, layout::TABLE_PT, AlignmentType::Left));
    }

    /// A chart, centred, with `图N　caption` under it: one image per slice
    /// (a chart taller than a page comes in page-high slices, see
    /// `charts_png`), the last kept with its caption. The PNG is our own
    /// (resvg's encoder), never bytes from outside: docx-rs panics on bad images.
    fn chart(&mut self, chart: ChartPng) {
        self.figures += 1;
        let f = self.fonts;
        let caption = format!("图{}　{}", self.figures, chart.caption);
        let last = chart.slices.len().saturating_sub(1);
        for (i, slice) in chart.slices.into_iter().enumerate() {
            let pic = Pic::new_with_dimensions(slice.png, chart.width_px, slice.height_px)
                .size(chart.width_emu, slice.height_emu);
            self.push(tables::loose_run(Run::new().add_image(pic), AlignmentType::Center).keep_next(i == last));
        }
        self.push(
            tables::loose_paragraph(&caption, &f.heading1_font, f, layout::PAGE_NUMBER_PT, AlignmentType::Center)
                .line_spacing(
                    docx_rs::LineSpacing::new()
                        .line_rule(docx_rs::LineSpacingType::Auto)
                        .line(240)
                        .before(60)
                        .after(240),
                ),
        );
    }
}

/// The finished package, with the header rows marked (see
/// [`tables::mark_header_rows`]) and the Normal style filled in (see
/// [`layout::fill_normal_style`]).
fn pack(docx: Docx, fonts: &DocxFonts) -> Result<Vec<u8>, Error> {
    let mut xml = docx.build();
    xml.document = tables::mark_header_rows(&xml.document);
    xml.styles = layout::fill_normal_style(&xml.styles, fonts);
    let mut out = std::io::Cursor::new(Vec::new());
    xml.pack(&mut out).map_err(|e| Error::Internal(format!("写出 briefing.docx 失败：{e}")))?;
    Ok(out.into_inner())
}
