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
use crate::report::charts;
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

/// A chart ready for Word: PNG bytes we produced, their size in pixels and
/// on the page.
#[derive(Debug, Clone)]
pub struct ChartPng {
    pub caption: String,
    pub png: Vec<u8>,
    pub width_px: u32,
    pub height_px: u32,
    pub width_emu: u32,
    pub height_emu: u32,
}

/// Every chart of the report that has data, as PNG, with its caption.
pub fn chart_pngs(report: &Report, scope: &str) -> Result<Vec<(Topic, ChartPng)>, Error> {
    let svgs = charts::charts(report, scope)?;
    let fontdb = Arc::new(font_database());
    let growth_caption = format!("各地区{}同比增速", svgs.growth_indicator.as_deref().unwrap_or(""));
    let all = [
        (Topic::Projects, svgs.completion_by_region, "各地区重点项目投资完成率".to_string()),
        (Topic::Projects, svgs.monthly_trend, "重点项目本年累计完成投资逐月走势".to_string()),
        (Topic::Indicators, svgs.growth_by_region, growth_caption),
        (Topic::Visits, svgs.problems_by_category, "企业困难问题分类及办理情况".to_string()),
    ];
    let mut out = Vec::new();
    for (topic, svg, caption) in all {
        if let Some(svg) = svg {
            out.push((topic, svg_to_png(&svg, caption, &fontdb)?));
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

/// Rasterises one chart to [`CHART_WIDTH_MM`] at [`DPI`].
pub fn svg_to_png(svg: &str, caption: String, fontdb: &Arc<usvg::fontdb::Database>) -> Result<ChartPng, Error> {
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
    let png = encode_png(pixmap).map_err(|_| fail("PNG 编码失败".into()))?;
    let height_mm = CHART_WIDTH_MM * height_px as f64 / width_px as f64;
    Ok(ChartPng { caption, png, width_px, height_px, width_emu: emu(CHART_WIDTH_MM), height_emu: emu(height_mm) })
}

/// The pixmap as PNG: every row `Up`-filtered, deflated at zlib level 1.
/// The charts are flat colours on white, where the row above predicts most
/// of a row, so the png crate's adaptive filter (five filters tried on each
/// row) bought almost nothing for its cost. Measured on the sample's four
/// charts (instructions to draw and encode, PNG bytes): RGBA, adaptive
/// filter, fdeflate (the png crate's `Fast`) 428 M, 400 KB; RGB, `Up`,
/// fdeflate 325 M but 1.1 MB; RGB, `Up`, level 1 317 M, 390 KB.
fn encode_png(pixmap: tiny_skia::Pixmap) -> Result<Vec<u8>, png::EncodingError> {
    let (width, height) = (pixmap.width(), pixmap.height());
    let (color, pixels) = match opaque_rgb(pixmap.data()) {
        Some(rgb) => (png::ColorType::Rgb, rgb),
        // PNG stores straight alpha, the pixmap premultiplied.
        None => (png::ColorType::Rgba, pixmap.take_demultiplied()),
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
        let png = svg_to_png(svg, "测试".into(), &Arc::new(font_database())).unwrap();
        assert!(png.png.starts_with(b"\x89PNG\r\n\x1a\n"));
        // 150 mm at 300 dpi = 1,771.65 px; 120 / 640 of that in height.
        assert_eq!((png.width_px, png.height_px), (1772, 332));
        assert_eq!(png.width_emu, 5_400_000);
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
        let png = encode_png(pixmap.clone()).unwrap();
        // The IHDR chunk's colour type (byte 25 of the file) is 2, RGB.
        assert_eq!(png[25], 2);
        assert_eq!(tiny_skia::Pixmap::decode_png(&png).unwrap().data(), pixmap.data());
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
        let png = svg_to_png(svg, "测试".into(), &Arc::new(font_database())).unwrap();
        let pixmap = tiny_skia::Pixmap::decode_png(&png.png).unwrap();
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
