//! The page and type of an official document (公文) as GB/T 9704-2012 sets
//! them, and the fonts an office uses for them.
//!
//! Offices file Word documents in the national layout; a briefing that
//! needs re-formatting before it can be filed is not done. So the figures
//! of the standard are written here once, in millimetres and points as the
//! standard gives them, and converted to Word's units (twips = 1/20 pt,
//! half-points, EMU) by the functions below rather than typed as magic
//! numbers.
//!
//! GB/T 9704-2012 (党政机关公文格式), the figures used:
//! - §5.2.1 paper: A4, 210 mm × 297 mm.
//! - §5.2.1 版心 (text block): 156 mm × 225 mm; 天头 (top margin) 37 mm ± 1 mm,
//!   订口 (left, binding margin) 28 mm ± 1 mm. Hence right 210 − 28 − 156 =
//!   26 mm and bottom 297 − 37 − 225 = 35 mm.
//! - §5.2.2 正文 (body): 3号仿宋 (16 pt), 22 lines per page × 28 characters
//!   per line. Pitches: 225 mm / 22 = 10.23 mm (28.95 pt) per line and
//!   156 mm / 28 = 5.57 mm (15.79 pt) per character.
//! - §7.2.2 标题 (title): 2号小标宋 (22 pt), centred.
//! - §7.3.3 正文 headings: 一、 in 黑体, （一） in 楷体, 1. and （1） in 仿宋;
//!   each paragraph starts indented by two characters.
//! - §7.5.2 / §5.2.3 页码: 4号 (14 pt) 半角宋体 Arabic digits with a 一字线
//!   (em dash) on each side, `— 1 —`, 7 mm below the text block; odd pages
//!   right-aligned one character in from the edge of the text block, even pages
//!   left-aligned one character in.
//! - Latin letters and digits in the body: Times New Roman (common practice
//!   of 公文 templates; the standard leaves the Latin face open).

use docx_rs::{
    AlignmentType, DocGrid, DocGridType, FieldCharType, Footer, InstrPAGE, InstrText, LineSpacing, LineSpacingType,
    PageMargin, Paragraph, Run, RunFonts, SpecialIndentType,
};
use serde::{Deserialize, Serialize};

// ---- the figures of the standard (millimetres, points)

pub const PAGE_WIDTH_MM: f64 = 210.0;
pub const PAGE_HEIGHT_MM: f64 = 297.0;
pub const TOP_MM: f64 = 37.0;
pub const LEFT_MM: f64 = 28.0;
pub const BLOCK_WIDTH_MM: f64 = 156.0;
pub const BLOCK_HEIGHT_MM: f64 = 225.0;
pub const RIGHT_MM: f64 = PAGE_WIDTH_MM - LEFT_MM - BLOCK_WIDTH_MM;
pub const BOTTOM_MM: f64 = PAGE_HEIGHT_MM - TOP_MM - BLOCK_HEIGHT_MM;
pub const LINES_PER_PAGE: u32 = 22;
pub const CHARS_PER_LINE: u32 = 28;
/// 2号.
pub const TITLE_PT: f64 = 22.0;
/// 3号.
pub const BODY_PT: f64 = 16.0;
/// 4号: page numbers, table and figure titles.
pub const PAGE_NUMBER_PT: f64 = 14.0;
/// 小四: table cells and notes, so that a table of eight columns fits the
/// 156 mm text block.
pub const TABLE_PT: f64 = 12.0;
/// The page number's 一字线 sits this far below the text block.
pub const PAGE_NUMBER_GAP_MM: f64 = 7.0;

// ---- unit conversions

/// Millimetres to twips (1/1440 inch).
pub fn twips(mm: f64) -> i32 {
    (mm * 1440.0 / 25.4).round() as i32
}

/// Points to Word's half-points (`w:sz`).
pub fn half_points(pt: f64) -> usize {
    (pt * 2.0).round() as usize
}

/// Millimetres to EMU (English Metric Units, 36,000 per millimetre), the unit of drawing sizes.
pub fn emu(mm: f64) -> u32 {
    (mm * 36_000.0).round() as u32
}

/// The line pitch of the grid in twips: 225 mm / 22. Rounded down, so that
/// 22 lines always fit (580 × 22 twips would be a hair taller than 225 mm).
pub fn line_pitch_twips() -> usize {
    (twips(BLOCK_HEIGHT_MM) as f64 / LINES_PER_PAGE as f64).floor() as usize
}

/// The character pitch of the grid as Word stores it: the difference from
/// the body size in 1/4096 pt (156 mm / 28 = 15.79 pt, 0.21 pt under 16 pt:
/// −848, the figure Word itself writes for a 公文 page set up by hand).
pub fn char_space() -> isize {
    let pitch_pt = BLOCK_WIDTH_MM / 25.4 * 72.0 / CHARS_PER_LINE as f64;
    ((pitch_pt - BODY_PT) * 4096.0).floor() as isize
}

/// Where the footer's line ends above the bottom edge: the 一字线's top is
/// 7 mm under the text block and the line is one 14 pt line (about 5 mm).
pub fn footer_mm() -> f64 {
    BOTTOM_MM - PAGE_NUMBER_GAP_MM - PAGE_NUMBER_PT * 25.4 / 72.0
}

pub fn page_margin() -> PageMargin {
    PageMargin::new()
        .top(twips(TOP_MM))
        .bottom(twips(BOTTOM_MM))
        .left(twips(LEFT_MM))
        .right(twips(RIGHT_MM))
        .header(twips(15.0))
        .footer(twips(footer_mm()))
        .gutter(0)
}

pub fn doc_grid() -> DocGrid {
    DocGrid::new().grid_type(DocGridType::LinesAndChars).line_pitch(line_pitch_twips()).char_space(char_space())
}

// ---- fonts

/// The font names of briefing.docx: `[docx]` in statbrief.toml. The
/// defaults are the names GB/T 9704 documents use on Chinese Windows; offices
/// whose PCs have 仿宋 / FangSong instead of 仿宋_GB2312 set their own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DocxFonts {
    /// The title: 方正小标宋简体.
    pub title_font: String,
    /// Body text, `1.` and `（1）` headings, tables: 仿宋_GB2312.
    pub body_font: String,
    /// `一、` headings: 黑体.
    pub heading1_font: String,
    /// `（一）` headings: 楷体_GB2312.
    pub heading2_font: String,
    /// Page numbers: 宋体.
    pub page_number_font: String,
    /// Latin letters and digits: Times New Roman.
    pub latin_font: String,
}

impl Default for DocxFonts {
    fn default() -> Self {
        DocxFonts {
            title_font: "方正小标宋简体".into(),
            body_font: "仿宋_GB2312".into(),
            heading1_font: "黑体".into(),
            heading2_font: "楷体_GB2312".into(),
            page_number_font: "宋体".into(),
            latin_font: "Times New Roman".into(),
        }
    }
}

/// A run's fonts: the Chinese face for East Asian text (`w:eastAsia`, what
/// Word and WPS pick for hanzi; the hint makes shared punctuation such as
/// `—` and `“”` use it too) and the Latin face for letters and digits.
pub fn run_fonts(east_asia: &str, latin: &str) -> RunFonts {
    RunFonts::new().east_asia(east_asia).ascii(latin).hi_ansi(latin).cs(latin).hint("eastAsia")
}

/// A run of `text` in `east_asia` (Latin in `fonts.latin_font`) at `pt`.
pub fn run(text: &str, east_asia: &str, fonts: &DocxFonts, pt: f64) -> Run {
    Run::new().add_text(text).fonts(run_fonts(east_asia, &fonts.latin_font)).size(half_points(pt))
}

/// A run of several lines (broken with `w:br`, within one paragraph).
pub fn lines_run(lines: &[String], east_asia: &str, fonts: &DocxFonts, pt: f64) -> Run {
    let mut r = Run::new().fonts(run_fonts(east_asia, &fonts.latin_font)).size(half_points(pt));
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            r = r.add_break(docx_rs::BreakType::TextWrapping);
        }
        r = r.add_text(line);
    }
    r
}

/// Exactly one grid line per text line (28.95 pt), so that a page holds 22
/// lines whatever the font's own line height.
pub fn body_spacing() -> LineSpacing {
    LineSpacing::new().line_rule(LineSpacingType::Exact).line(line_pitch_twips() as i32).before(0).after(0)
}

/// Character spacing of body text, in 1/20 pt: −0.25 pt, so that a 16 pt
/// character takes 15.75 pt, just under the grid's 15.79 pt pitch: 28
/// characters a line (28 × 15.75 pt = 441 pt ≤ the 442.2 pt block) in Word,
/// WPS and LibreOffice alike. (LibreOffice gives a character wider than a
/// grid cell two cells, which would spread the text to half its density.)
pub const GRID_CONDENSE: i32 = -5;

/// A run of body-size text on the grid (see [`GRID_CONDENSE`]).
pub fn grid_run(text: &str, east_asia: &str, fonts: &DocxFonts) -> Run {
    run(text, east_asia, fonts, BODY_PT).character_spacing(GRID_CONDENSE)
}

/// A body paragraph (also the `1.` and `（1）` headings): indented two
/// characters, justified.
pub fn body_paragraph(text: &str, east_asia: &str, fonts: &DocxFonts) -> Paragraph {
    Paragraph::new()
        .add_run(grid_run(text, east_asia, fonts))
        .align(AlignmentType::Both)
        // Two characters of 16 pt. (docx-rs cannot write `w:firstLineChars`;
        // 640 twips is two grid cells to within 0.4 pt.)
        .indent(None, Some(SpecialIndentType::FirstLine(twips_pt(2.0 * BODY_PT))), None, None)
        .line_spacing(body_spacing())
        // The text keeps the grid's measure by its own metrics (exact
        // 28.95 pt lines, characters condensed to 15.75 pt) rather than by
        // snapping: LibreOffice snaps Latin runs and CJK punctuation to
        // whole cells, which tears figures away from their units
        // (`39.10  亿元`) and breaks lines early. Word lays it out the same
        // either way.
        .snap_to_grid(false)
}

/// Points to twips.
pub fn twips_pt(pt: f64) -> i32 {
    (pt * 20.0).round() as i32
}

/// styles.xml with the Normal style set to the body font at 3号. docx-rs
/// always writes an empty Normal style and offers no way to fill it, but
/// the character grid is measured from it: Word and LibreOffice take the
/// grid's character pitch as Normal's size plus `charSpace`, so an empty
/// Normal (read as 10.5 or 12 pt) would spread 16 pt text over two cells a
/// character. The element is replaced in the finished XML.
pub fn fill_normal_style(styles_xml: &[u8], fonts: &DocxFonts) -> Vec<u8> {
    use docx_rs::{BuildXML, Style, StyleType};
    let Ok(xml) = std::str::from_utf8(styles_xml) else {
        return styles_xml.to_vec();
    };
    let start_tag = "<w:style w:type=\"paragraph\" w:styleId=\"Normal\">";
    let Some(start) = xml.find(start_tag) else {
        return styles_xml.to_vec();
    };
    let Some(len) = xml[start..].find("</w:style>") else {
        return styles_xml.to_vec();
    };
    let end = start + len + "</w:style>".len();
    let normal = Style::new("Normal", StyleType::Paragraph)
        .name("Normal")
        .size(half_points(BODY_PT))
        .fonts(run_fonts(&fonts.body_font, &fonts.latin_font))
        .build();
    let normal = String::from_utf8_lossy(&normal);
    // A standalone build may start with an XML declaration; the element is what follows it.
    let normal = normal.find("<w:style").map(|i| &normal[i..]).unwrap_or(&normal);
    format!("{}{}{}", &xml[..start], normal, &xml[end..]).into_bytes()
}

// ---- page numbers

/// The footer of odd (`right`) or even pages: `— PAGE —` in 4号宋体, one
/// character in from the text block's edge. docx-rs's own page-number run
/// carries no font, so the field is built here from its parts (begin,
/// instruction, separator, a placeholder `1`, end), each run in 宋体.
pub fn page_number_footer(odd: bool, fonts: &DocxFonts) -> Footer {
    let font = fonts.page_number_font.as_str();
    let styled = |r: Run| r.fonts(run_fonts(font, font)).size(half_points(PAGE_NUMBER_PT));
    let one_char = twips_pt(PAGE_NUMBER_PT);
    let p = Paragraph::new()
        .add_run(styled(Run::new().add_text("— ")))
        .add_run(styled(Run::new().add_field_char(FieldCharType::Begin, false)))
        .add_run(styled(Run::new().add_instr_text(InstrText::PAGE(InstrPAGE::new()))))
        .add_run(styled(Run::new().add_field_char(FieldCharType::Separate, false)))
        .add_run(styled(Run::new().add_text("1")))
        .add_run(styled(Run::new().add_field_char(FieldCharType::End, false)))
        .add_run(styled(Run::new().add_text(" —")))
        // The footer keeps its own line height: the body's grid would make it 28.95 pt.
        .snap_to_grid(false)
        .line_spacing(LineSpacing::new().line_rule(LineSpacingType::Auto).line(240).before(0).after(0));
    let p = if odd {
        p.align(AlignmentType::Right).indent(None, None, Some(one_char), None)
    } else {
        p.align(AlignmentType::Left).indent(Some(one_char), None, None, None)
    };
    Footer::new().add_paragraph(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standards_figures_in_words_units() {
        // 210 mm = 8.2677 in = 11,906 twips; 297 mm = 16,838 twips.
        assert_eq!(twips(PAGE_WIDTH_MM), 11906);
        assert_eq!(twips(PAGE_HEIGHT_MM), 16838);
        // 37 mm = 2,098 twips; 28 mm = 1,587.4 → 1,587; 26 mm = 1,474; 35 mm = 1,984.
        assert_eq!((twips(TOP_MM), twips(LEFT_MM), twips(RIGHT_MM), twips(BOTTOM_MM)), (2098, 1587, 1474, 1984));
        // 225 mm = 12,756 twips / 22 = 579.8 → 579.
        assert_eq!(line_pitch_twips(), 579);
        assert_eq!(char_space(), -848);
        assert_eq!(half_points(TITLE_PT), 44);
        assert_eq!(half_points(BODY_PT), 32);
        // 35 − 7 − 4.94 mm.
        assert!((footer_mm() - 23.06).abs() < 0.01);
    }

    #[test]
    fn the_normal_style_carries_the_body_size_and_fonts() {
        let styles = docx_rs::Docx::new().build().styles;
        let filled = String::from_utf8(fill_normal_style(&styles, &DocxFonts::default())).unwrap();
        assert_eq!(filled.matches("w:styleId=\"Normal\"").count(), 1, "{filled}");
        let normal = &filled[filled.find("w:styleId=\"Normal\"").unwrap()..];
        let normal = &normal[..normal.find("</w:style>").unwrap()];
        assert!(normal.contains("<w:sz w:val=\"32\" />"), "{normal}");
        assert!(normal.contains("w:eastAsia=\"仿宋_GB2312\""), "{normal}");
    }
}
