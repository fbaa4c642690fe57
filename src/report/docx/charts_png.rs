//! The briefing's charts as PNG images for Word, drawn from the very SVG the
//! HTML briefing inlines.
//!
//! Word cannot be relied on to show SVG (older Word and WPS do not), so the
//! charts are rasterised with resvg at print resolution. Text is set in two
//! fonts embedded in the binary — Roboto for Latin letters and figures, and a
//! GB2312 subset of Droid Sans Fallback for Chinese (it has no Latin glyphs);
//! both Apache-2.0, made by `scripts/make_font_subset.sh` — and no system
//! font is ever loaded: the PNG is the same on a clerk's PC, a server and
//! CI, and a chart never shows boxes for missing glyphs.

use super::layout::emu;
use super::Topic;
use crate::error::Error;
use crate::model::Report;
use crate::report::charts::{self, BarRows};
use resvg::{tiny_skia, usvg};
use std::sync::Arc;

/// The embedded fonts (see `assets/fonts/NOTICE`).
const CJK_FONT: &[u8] = include_bytes!("../../../assets/fonts/DroidSansFallback-GB2312.ttf");
const LATIN_FONT: &[u8] = include_bytes!("../../../assets/fonts/Roboto-Latin.ttf");
/// The family given to every text element: Roboto first, so figures are
/// set in it; hanzi, which it lacks, fall back to the only other font.
const FONT_FAMILY: &str = "Roboto, 'Droid Sans Fallback'";
const LATIN_FAMILY: &str = "Roboto";
/// Print resolution.
const DPI: f64 = 300.0;
/// Width of a chart on the page: a little under the 156 mm text block, so
/// that it never touches the margin.
pub const CHART_WIDTH_MM: f64 = 150.0;

/// The tallest slice of a chart on a page: the 225 mm text block less the
/// caption under the chart and a line of text. Word and WPS clip an image
/// taller than the page, so a bar chart of a province's hundred counties
/// (some 500 mm at print width) lost half its bars; it is cut between two
/// bars into slices that each fit a page.
pub const MAX_SLICE_MM: f64 = 200.0;

/// A chart ready for Word: one or more PNG slices we produced (top to
/// bottom), their width in pixels and on the page.
#[derive(Debug, Clone)]
pub struct ChartPng {
    pub caption: String,
    pub width_px: u32,
    pub width_emu: u32,
    pub slices: Vec<Slice>,
}

/// One page-high part of a chart: PNG bytes, height in pixels and on the page.
#[derive(Debug, Clone)]
pub struct Slice {
    pub png: Vec<u8>,
    pub height_px: u32,
    pub height_emu: u32,
}

/// Every chart of the report that has data, as PNG, with its caption.
pub fn chart_pngs(report: &Report, scope: &str) -> Result<Vec<(Topic, ChartPng)>, Error> {
    let drawn = charts::charts(report, scope)?;
    let fontdb = Arc::new(font_database());
    let growth_caption = format!("各地区{}同比增速", drawn.growth_indicator.as_deref().unwrap_or(""));
    let all = [
        (Topic::Projects, drawn.completion_by_region, "各地区重点项目投资完成率".to_string()),
        (Topic::Projects, drawn.monthly_trend, "重点项目本年累计完成投资逐月走势".to_string()),
        (Topic::Indicators, drawn.growth_by_region, growth_caption),
        (Topic::Visits, drawn.problems_by_category, "企业困难问题分类及办理情况".to_string()),
    ];
    let mut out = Vec::new();
    for (topic, chart, caption) in all {
        if let Some(chart) = chart {
            out.push((topic, svg_to_png(&chart.svg, chart.rows, caption, &fontdb)?));
        }
    }
    Ok(out)
}

/// A font database holding only the embedded fonts.
fn font_database() -> usvg::fontdb::Database {
    let mut db = usvg::fontdb::Database::new();
    db.load_font_data(LATIN_FONT.to_vec());
    db.load_font_data(CJK_FONT.to_vec());
    db.set_sans_serif_family(LATIN_FAMILY);
    db
}

/// Rasterises one chart to [`CHART_WIDTH_MM`] at [`DPI`]; a bar chart
/// (`rows`) taller than a page is cut between two bars.
pub fn svg_to_png(
    svg: &str,
    rows: Option<BarRows>,
    caption: String,
    fontdb: &Arc<usvg::fontdb::Database>,
) -> Result<ChartPng, Error> {
    let fail = |what: String| Error::Internal(format!("图表「{caption}」转为图片失败：{what}"));
    // The charts name a list of system fonts (for browsers); here every
    // text element is pointed at the embedded ones by name.
    let svg = with_font_family(svg, FONT_FAMILY);
    let options =
        usvg::Options { fontdb: Arc::clone(fontdb), font_family: LATIN_FAMILY.to_string(), ..usvg::Options::default() };
    // The libraries' own messages are English; the clerk is told which step failed.
    let tree = usvg::Tree::from_str(&svg, &options).map_err(|_| fail("图表 SVG 无法解析".into()))?;
    let size = tree.size();
    let width_px = (CHART_WIDTH_MM / 25.4 * DPI).round() as u32;
    let scale = width_px as f32 / size.width();
    let height_px = (size.height() * scale).round().max(1.0) as u32;
    let mut pixmap =
        tiny_skia::Pixmap::new(width_px, height_px).ok_or_else(|| fail(format!("尺寸 {width_px}×{height_px}")))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    let mm_per_px = CHART_WIDTH_MM / width_px as f64;
    let max_px = (MAX_SLICE_MM / mm_per_px).floor() as u32;
    // Each slice is encoded straight from its rows of the pixmap: no copy.
    let row_bytes = width_px as usize * 4;
    let boundaries = rows.map(|r| r.boundaries(scale)).unwrap_or_default();
    let slices = slice_cuts(height_px, max_px, &boundaries)
        .windows(2)
        .map(|w| {
            let (from, to) = (w[0], w[1]);
            let rows = &pixmap.data()[from as usize * row_bytes..to as usize * row_bytes];
            let png = encode_png(rows, width_px, to - from).map_err(|_| fail("PNG 编码失败".into()))?;
            Ok(Slice { png, height_px: to - from, height_emu: emu((to - from) as f64 * mm_per_px) })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(ChartPng { caption, width_px, width_emu: emu(CHART_WIDTH_MM), slices })
}

/// Where to cut an image `height` pixels tall into slices of at most `max`:
/// at the lowest row boundary that still fits each slice, or at `max` where
/// no boundary does. Starts with 0 and ends with `height`; `[0, height]`
/// when it fits whole.
fn slice_cuts(height: u32, max: u32, boundaries: &[u32]) -> Vec<u32> {
    let mut cuts = vec![0];
    let mut start = 0;
    while height - start > max.max(1) {
        let limit = start + max.max(1);
        let cut = boundaries.iter().copied().filter(|&b| b > start && b <= limit).max().unwrap_or(limit);
        cuts.push(cut);
        start = cut;
    }
    cuts.push(height);
    cuts
}

/// The pixmap as PNG: every row `Up`-filtered, deflated at zlib level 1.
/// The charts are flat colours on white, where the row above predicts most
/// of a row, so the png crate's adaptive filter (five filters tried on each
/// row) bought almost nothing for its cost. Measured on the sample's four
/// charts (instructions to draw and encode, PNG bytes): RGBA, adaptive
/// filter, fdeflate (the png crate's `Fast`) 428 M, 400 KB; RGB, `Up`,
/// fdeflate 325 M but 1.1 MB; RGB, `Up`, level 1 317 M, 390 KB.
/// `rgba` is `height` rows of a pixmap `width` wide (premultiplied RGBA).
fn encode_png(rgba: &[u8], width: u32, height: u32) -> Result<Vec<u8>, png::EncodingError> {
    let (color, pixels) = match opaque_rgb(rgba) {
        Some(rgb) => (png::ColorType::Rgb, rgb),
        // PNG stores straight alpha, the pixmap premultiplied.
        None => (png::ColorType::Rgba, demultiplied(rgba)),
    };
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(color);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_filter(png::Filter::Up);
    encoder.set_deflate_compression(png::DeflateCompression::Level(1));
    encoder.write_header()?.write_image_data(&pixels)?;
    Ok(out)
}

/// Premultiplied RGBA as straight RGBA, by tiny-skia's own conversion.
fn demultiplied(rgba: &[u8]) -> Vec<u8> {
    rgba.chunks_exact(4)
        .flat_map(|p| {
            tiny_skia::PremultipliedColorU8::from_rgba(p[0], p[1], p[2], p[3])
                .map(|c| c.demultiply())
                .map_or([0; 4], |c| [c.red(), c.green(), c.blue(), c.alpha()])
        })
        .collect()
}

/// The RGB bytes of premultiplied RGBA pixels when every pixel is opaque.
/// The charts are drawn on opaque white, so they always are; an opaque
/// pixel's premultiplied colour is its colour, and dropping the alpha
/// channel saves a quarter of the bytes to filter and compress.
fn opaque_rgb(rgba: &[u8]) -> Option<Vec<u8>> {
    // The test folds without an early exit, which the compiler vectorises;
    // the copy writes into a buffer sized once. Compacting the pixmap's own
    // buffer in place would save this second buffer (32 MB for a chart of
    // 100 regions) but cost more: 338–415 M instructions for the sample's
    // charts against 317 M, as the overlapping moves do not vectorise.
    if rgba.chunks_exact(4).fold(u8::MAX, |all, px| all & px[3]) != u8::MAX {
        return None;
    }
    let mut rgb = vec![0; rgba.len() / 4 * 3];
    for (to, px) in rgb.chunks_exact_mut(3).zip(rgba.chunks_exact(4)) {
        to.copy_from_slice(&px[..3]);
    }
    Some(rgb)
}

/// The SVG with the value of every `font-family` attribute replaced by `family`.
fn with_font_family(svg: &str, family: &str) -> String {
    const ATTR: &str = "font-family=\"";
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(i) = rest.find(ATTR) {
        out.push_str(&rest[..i + ATTR.len()]);
        out.push_str(family);
        rest = &rest[i + ATTR.len()..];
        // The old value ends at the next quote (plotters escapes quotes in values).
        rest = rest.find('"').map(|j| &rest[j..]).unwrap_or("\"");
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_font_family_names_the_embedded_fonts() {
        let svg = r#"<text font-family="&quot;Noto Sans CJK SC&quot;,sans-serif" x="1">a</text><text font-family="SimHei">b</text>"#;
        assert_eq!(with_font_family(svg, "F"), r#"<text font-family="F" x="1">a</text><text font-family="F">b</text>"#);
    }

    #[test]
    fn a_chart_with_chinese_labels_becomes_a_png_of_print_size() {
        let svg = r##"<svg width="640" height="120" viewBox="0 0 640 120" xmlns="http://www.w3.org/2000/svg"><rect x="10" y="10" width="300" height="40" fill="#2E7D32"/><text x="20" y="90" font-family="&quot;Noto Sans CJK SC&quot;,sans-serif" font-size="12">白水镇 56.3%</text></svg>"##;
        let png = svg_to_png(svg, None, "测试".into(), &Arc::new(font_database())).unwrap();
        assert_eq!(png.slices.len(), 1);
        assert!(png.slices[0].png.starts_with(b"\x89PNG\r\n\x1a\n"));
        // 150 mm at 300 dpi = 1,771.65 px; 120 / 640 of that in height.
        assert_eq!((png.width_px, png.slices[0].height_px), (1772, 332));
        assert_eq!(png.width_emu, 5_400_000);
    }

    #[test]
    fn slices_end_at_the_last_row_boundary_that_fits() {
        // Rows every 90 px, at most 400 px a slice: 360 and 720 are the
        // lowest boundaries that fit; the rest (280 px) fits whole.
        let rows: Vec<u32> = (1..12).map(|k| k * 90).collect();
        assert_eq!(slice_cuts(1000, 400, &rows), [0, 360, 720, 1000]);
        // No boundaries (not a bar chart): cut at the limit.
        assert_eq!(slice_cuts(1000, 400, &[]), [0, 400, 800, 1000]);
        assert_eq!(slice_cuts(300, 400, &rows), [0, 300]);
    }

    #[test]
    fn a_chart_taller_than_a_page_is_cut_between_bars_into_page_high_slices() {
        // Twenty bars of 80 px with 20 px between them, 2,000 px in all: at
        // print width (× 1772 / 640) about 470 mm, more than two pages.
        let bars: String = (0..20)
            .map(|k| format!(r##"<rect x="100" y="{}" width="400" height="80" fill="#1F4E79"/>"##, k * 100 + 10))
            .collect();
        let svg = format!(
            r#"<svg width="640" height="2000" viewBox="0 0 640 2000" xmlns="http://www.w3.org/2000/svg">{bars}</svg>"#
        );
        let rows = BarRows { top: 0.0, bottom: 2000.0, count: 20 };
        let chart = svg_to_png(&svg, Some(rows), "测试".into(), &Arc::new(font_database())).unwrap();
        assert_eq!(chart.slices.len(), 3);
        let total: u32 = chart.slices.iter().map(|s| s.height_px).sum();
        assert_eq!(total, (2000.0 * 1772.0 / 640.0_f64).round() as u32);
        for s in &chart.slices {
            assert!(s.height_emu <= emu(MAX_SLICE_MM), "{} EMU", s.height_emu);
            // Each slice begins and ends in the white between two bars.
            let pixmap = tiny_skia::Pixmap::decode_png(&s.png).unwrap();
            let white_row = |y: u32| (0..pixmap.width()).all(|x| pixmap.pixel(x, y).unwrap().red() == 255);
            assert!(white_row(0) && white_row(pixmap.height() - 1));
        }
    }

    #[test]
    fn an_opaque_chart_is_stored_as_rgb_and_decodes_to_the_same_pixels() {
        let mut pixmap = tiny_skia::Pixmap::new(3, 2).unwrap();
        pixmap.fill(tiny_skia::Color::WHITE);
        let red = tiny_skia::Paint {
            shader: tiny_skia::Shader::SolidColor(tiny_skia::Color::from_rgba8(200, 30, 40, 255)),
            ..tiny_skia::Paint::default()
        };
        pixmap.fill_rect(
            tiny_skia::Rect::from_xywh(1.0, 0.0, 1.0, 2.0).unwrap(),
            &red,
            tiny_skia::Transform::identity(),
            None,
        );
        let png = encode_png(pixmap.data(), 3, 2).unwrap();
        // The IHDR chunk's colour type (byte 25 of the file) is 2, RGB.
        assert_eq!(png[25], 2);
        assert_eq!(tiny_skia::Pixmap::decode_png(&png).unwrap().data(), pixmap.data());
        // Its second row alone: a slice of the same pixmap.
        let row = encode_png(&pixmap.data()[12..], 3, 1).unwrap();
        assert_eq!(tiny_skia::Pixmap::decode_png(&row).unwrap().data(), &pixmap.data()[12..]);
    }

    #[test]
    fn a_chart_with_a_transparent_pixel_is_stored_as_rgba_and_decodes_to_the_same_pixels() {
        // White, fully transparent, red: colour type 6 (RGBA), and the
        // transparent pixel (premultiplied and straight both 0,0,0,0) comes
        // back exactly.
        let rgba = [255, 255, 255, 255, 0, 0, 0, 0, 200, 30, 40, 255];
        let png = encode_png(&rgba, 3, 1).unwrap();
        assert_eq!(png[25], 6);
        assert_eq!(tiny_skia::Pixmap::decode_png(&png).unwrap().data(), &rgba);
    }

    #[test]
    fn a_translucent_pixel_keeps_the_alpha_channel() {
        assert_eq!(opaque_rgb(&[1, 2, 3, 255, 4, 5, 6, 255]), Some(vec![1, 2, 3, 4, 5, 6]));
        assert_eq!(opaque_rgb(&[1, 2, 3, 255, 4, 5, 6, 128]), None);
    }

    #[test]
    fn chinese_labels_and_figures_are_drawn_with_the_embedded_fonts() {
        // Dark pixels where the text is: a font was found (without one usvg
        // drops the text). A missing glyph would still draw its .notdef box,
        // so the fonts' coverage is checked glyph by glyph below.
        let svg = r##"<svg width="200" height="40" xmlns="http://www.w3.org/2000/svg"><text x="4" y="28" font-family="SimHei" font-size="24">白水镇 56.3%</text></svg>"##;
        let png = svg_to_png(svg, None, "测试".into(), &Arc::new(font_database())).unwrap();
        let pixmap = tiny_skia::Pixmap::decode_png(&png.slices[0].png).unwrap();
        let dark = pixmap.pixels().iter().filter(|p| p.red() < 128).count();
        assert!(dark > 1000, "{dark} dark pixels");
    }

    #[test]
    fn every_character_of_the_charts_has_a_glyph() {
        // A character without a glyph is drawn as the .notdef box: each
        // character alone must look different from a private-use character,
        // which neither font has.
        let db = Arc::new(font_database());
        let draw = |c: char| {
            let svg = format!(
                r#"<svg width="40" height="40" xmlns="http://www.w3.org/2000/svg"><text x="4" y="30" font-family="{FONT_FAMILY}" font-size="28">{c}</text></svg>"#
            );
            let options = usvg::Options { fontdb: Arc::clone(&db), ..usvg::Options::default() };
            let tree = usvg::Tree::from_str(&svg, &options).unwrap();
            let mut pixmap = tiny_skia::Pixmap::new(40, 40).unwrap();
            resvg::render(&tree, tiny_skia::Transform::identity(), &mut pixmap.as_mut());
            pixmap.data().to_vec()
        };
        let notdef = draw('\u{E000}');
        let text = "城关镇白水镇东河镇西岭镇南湖镇北山镇石门镇柳林乡枫桥镇龙泉镇桃源乡清溪镇正常滞后严重已解决办理中无法时序进度全县单位万亿元个月0123456789.,%-+—";
        let missing: String = text.chars().filter(|c| draw(*c) == notdef).collect();
        assert_eq!(missing, "");
    }
}
