//! The briefing's charts, drawn with plotters' SVG backend into strings that
//! the HTML template inlines.
//!
//! The briefing must open without any network access and print the same on
//! every machine, so charts are inline SVG rather than a JavaScript library or
//! image files. plotters lays the chart out (axes, ticks, bars, lines); we
//! never write SVG paths by hand.
//!
//! Text: without a font backend plotters only *estimates* text widths (and
//! counts bytes, so a CJK label looks twice its real width), while the SVG
//! backend writes real `<text>` elements that the browser sets in a system
//! font. So every label sits on the left or bottom axis (plotters measures
//! only right-axis labels), label areas are sized here from the labels'
//! display width, legends are laid out here, and titles are HTML captions.
//! The font family is a list that finds a CJK font on Linux and Windows; the
//! stylesheet repeats it, since CSS wins over SVG presentation attributes.

use super::wording::{fmt_amount, fmt_percent, fmt_thousands};
use crate::error::Error;
use crate::model::{Flag, Report, WHOLE};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use unicode_width::UnicodeWidthStr;

/// The CJK font list of every chart label.
pub const FONT_FAMILY: &str =
    "\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"Microsoft YaHei\",\"SimHei\",\"PingFang SC\",sans-serif";

/// Width of every chart in SVG units: the text width of an A4 page with 2 cm
/// margins at 96 dpi is about 640.
const WIDTH: u32 = 640;
/// Height of one bar row.
const ROW: u32 = 21;
/// Label font size in px.
const LABEL_PX: f64 = 12.0;

// Colours: the muted tones of printed government reports, readable in
// greyscale print too (the flags also differ in lightness).
const GREEN: RGBColor = RGBColor(46, 125, 50);
const YELLOW: RGBColor = RGBColor(230, 162, 0);
const RED: RGBColor = RGBColor(192, 40, 40);
const BLUE: RGBColor = RGBColor(31, 78, 140);
const GREY: RGBColor = RGBColor(150, 150, 150);
const INK: RGBColor = RGBColor(40, 40, 40);
const AXIS: RGBColor = RGBColor(110, 110, 110);
const GRID: RGBColor = RGBColor(225, 225, 225);

/// The four charts of the briefing; each is `None` when the Report has no
/// data for it (the template then leaves the figure out).
#[derive(Debug, Default)]
pub struct Charts {
    pub completion_by_region: Option<Chart>,
    pub monthly_trend: Option<Chart>,
    pub growth_by_region: Option<Chart>,
    /// The indicator the growth chart shows (the first with regional growth).
    pub growth_indicator: Option<String>,
    pub problems_by_category: Option<Chart>,
}

/// One chart: its SVG (the HTML briefing embeds it, the Word briefing
/// rasterises it) and, for a bar chart, where its bars lie.
#[derive(Debug, Clone)]
pub struct Chart {
    pub svg: String,
    pub rows: Option<BarRows>,
}

/// The rows of a horizontal bar chart, in SVG pixels: the plot from the top
/// of its first row to the bottom of its last, and how many rows. The Word
/// briefing cuts a chart taller than a page between two bars with them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BarRows {
    pub top: f64,
    pub bottom: f64,
    pub count: u32,
}

impl BarRows {
    /// The pixel rows between two bars once the chart is drawn at `scale`.
    pub fn boundaries(&self, scale: f32) -> Vec<u32> {
        if self.count < 2 || self.bottom <= self.top {
            return Vec::new();
        }
        let row = (self.bottom - self.top) / self.count as f64;
        (1..self.count).map(|k| ((self.top + k as f64 * row) * scale as f64).round() as u32).collect()
    }
}

/// Draws every chart of the report.
pub fn charts(report: &Report, scope: &str) -> Result<Charts, Error> {
    let (growth_by_region, growth_indicator) = match growth_by_region(report, scope)? {
        Some((svg, name)) => (Some(svg), Some(name)),
        None => (None, None),
    };
    Ok(Charts {
        completion_by_region: completion_by_region(report)?,
        monthly_trend: monthly_trend(report)?,
        growth_by_region,
        growth_indicator,
        problems_by_category: problems_by_category(report)?,
    })
}

fn plot_error<E: std::fmt::Display>(e: E) -> Error {
    Error::Internal(format!("绘制图表失败：{e}"))
}

/// A font of `px` pixels. The SVG backend writes `font-size = size / 1.24`,
/// so the size handed to plotters is scaled up to come out at `px`.
fn font(px: f64) -> FontDesc<'static> {
    (FONT_FAMILY, px * 1.24).into_font()
}

fn text_style(px: f64, colour: RGBColor, h: HPos) -> TextStyle<'static> {
    font(px).color(&colour).pos(Pos::new(h, VPos::Center))
}

/// Width in px of a label set in `px` (CJK characters are one em wide, Latin
/// about half: the terminal width in columns is a good measure).
fn text_width(s: &str, px: f64) -> u32 {
    (UnicodeWidthStr::width(s) as f64 * px * 0.55).ceil() as u32
}

/// One bar: segments stacked from zero (one segment for a plain bar; a
/// negative value is a single segment drawn leftwards).
struct Bar {
    label: String,
    segments: Vec<(f64, RGBColor)>,
    value_label: String,
}

/// A vertical reference line across the bars (time progress, the whole's growth).
struct Marker {
    x: f64,
    label: String,
    colour: RGBColor,
}

/// Horizontal bars, first bar on top, labels on the left; optionally a
/// legend above the plot and a reference line.
// Long because plotters' drawing calls are sequential by nature.
fn horizontal_bars(
    bars: &[Bar],
    marker: Option<&Marker>,
    legend: &[(&str, RGBColor)],
    x_format: &dyn Fn(&f64) -> String,
) -> Result<Chart, Error> {
    let n = bars.len();
    // plotters' integer ranges include their end and a segmented axis has
    // one segment per integer, so `0..n-1` gives exactly n rows. A single
    // bar keeps `0..1` (an empty range cannot be mapped) and one empty row.
    let top_index = (n as i32 - 1).max(1);
    let rows = top_index as usize + 1;
    let sums: Vec<f64> = bars.iter().map(|b| b.segments.iter().map(|s| s.0).sum()).collect();
    let mut lo = sums.iter().copied().fold(0f64, f64::min);
    let mut hi = sums.iter().copied().fold(0f64, f64::max);
    if let Some(m) = marker {
        lo = lo.min(m.x);
        hi = hi.max(m.x);
    }
    // Headroom for the value written after each bar's end.
    let span = (hi - lo).max(1.0);
    let hi = hi + span * 0.16;
    let lo = if lo < 0.0 { lo - span * 0.16 } else { 0.0 };
    let label_area = bars.iter().map(|b| text_width(&b.label, LABEL_PX)).max().unwrap_or(40).clamp(40, 220) + 14;
    let top = if legend.is_empty() && marker.is_none() { 8 } else { 30 };
    let height = top + rows as u32 * ROW + 34;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(plot_error)?;
        draw_legend(&root, legend, label_area as i32 + 4)?;
        let mut chart = ChartBuilder::on(&root)
            .margin_top(top)
            .margin_right(16)
            .margin_left(4)
            .margin_bottom(4)
            .x_label_area_size(26)
            .y_label_area_size(label_area)
            .build_cartesian_2d(lo..hi, (0..top_index).into_segmented())
            .map_err(plot_error)?;
        let label_of = |v: &SegmentValue<i32>| match v {
            // Bar 0 is drawn in the top row.
            SegmentValue::CenterOf(i) => usize::try_from(*i)
                .ok()
                .and_then(|i| rows.checked_sub(i + 1))
                .and_then(|i| bars.get(i))
                .map(|b| b.label.clone())
                .unwrap_or_default(),
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(rows)
            .y_label_formatter(&label_of)
            .x_labels(6)
            .x_label_formatter(x_format)
            .x_max_light_lines(0)
            .bold_line_style(GRID)
            .axis_style(AXIS)
            .label_style(font(LABEL_PX).color(&INK))
            .draw()
            .map_err(plot_error)?;
        // The reference line goes under the bars and their values: drawn
        // last, it crossed any value written where it runs (a region just
        // under the time progress).
        if let Some(m) = marker {
            let line = DashedLineSeries::new(
                vec![(m.x, SegmentValue::Exact(0)), (m.x, SegmentValue::Last)],
                5,
                4,
                m.colour.stroke_width(2),
            );
            chart.draw_series(line).map_err(plot_error)?;
        }
        let row = |i: usize| (rows - 1 - i) as i32;
        for (i, bar) in bars.iter().enumerate() {
            let mut start = 0.0;
            for (value, colour) in &bar.segments {
                if *value == 0.0 {
                    continue;
                }
                let end = start + value;
                let mut rect = Rectangle::new(
                    [(start, SegmentValue::Exact(row(i))), (end, SegmentValue::Exact(row(i) + 1))],
                    colour.filled(),
                );
                rect.set_margin(5, 5, 0, 0);
                chart.draw_series(std::iter::once(rect)).map_err(plot_error)?;
                start = end;
            }
            let end = sums[i];
            let (offset, h) = if end < 0.0 { (-4, HPos::Right) } else { (4, HPos::Left) };
            // On a white box, so the line under it does not run through the figures.
            let w = text_width(&bar.value_label, LABEL_PX - 1.0) as i32 + 2;
            let (x0, x1) = if end < 0.0 { (offset - w, offset + 1) } else { (offset - 1, offset + w) };
            let half = (LABEL_PX / 2.0) as i32 + 1;
            let label = EmptyElement::at((end, SegmentValue::CenterOf(row(i))))
                + Rectangle::new([(x0, -half), (x1, half)], WHITE.filled())
                + Text::new(bar.value_label.clone(), (offset, 0), text_style(LABEL_PX - 1.0, INK, h));
            chart.draw_series(std::iter::once(label)).map_err(plot_error)?;
        }
        if lo < 0.0 {
            let zero =
                PathElement::new(vec![(0.0, SegmentValue::Exact(0)), (0.0, SegmentValue::Last)], AXIS.stroke_width(1));
            chart.draw_series(std::iter::once(zero)).map_err(plot_error)?;
        }
        if let Some(m) = marker {
            let label = EmptyElement::at((m.x, SegmentValue::Last))
                + Text::new(m.label.clone(), (0, -11), text_style(LABEL_PX, m.colour, HPos::Center));
            chart.draw_series(std::iter::once(label)).map_err(plot_error)?;
        }
        root.present().map_err(plot_error)?;
    }
    // The plot's rows lie between the top margin and the 4 px margin and
    // 26 px axis below.
    let rows = BarRows { top: top as f64, bottom: (height - 4 - 26) as f64, count: rows as u32 };
    Ok(Chart { svg, rows: Some(rows) })
}

/// A legend in one row at the top left of the plot: colour square, name.
fn draw_legend(root: &DrawingArea<SVGBackend, Shift>, legend: &[(&str, RGBColor)], x0: i32) -> Result<(), Error> {
    let mut x = x0;
    for (name, colour) in legend {
        root.draw(&Rectangle::new([(x, 8), (x + 12, 20)], colour.filled())).map_err(plot_error)?;
        root.draw(&Text::new(name.to_string(), (x + 16, 14), text_style(LABEL_PX, INK, HPos::Left)))
            .map_err(plot_error)?;
        x += 16 + text_width(name, LABEL_PX) as i32 + 18;
    }
    Ok(())
}

fn flag_colour(flag: Option<Flag>) -> RGBColor {
    match flag {
        Some(Flag::Green) => GREEN,
        Some(Flag::Yellow) => YELLOW,
        Some(Flag::Red) => RED,
        None => GREY,
    }
}

fn percent_axis(x: &f64) -> String {
    format!("{x:.0}%")
}

/// 投资完成率 by region, highest first, coloured by flag, with the time
/// progress as a dashed line.
fn completion_by_region(report: &Report) -> Result<Option<Chart>, Error> {
    let mut rows: Vec<_> =
        report.projects.by_region.iter().filter_map(|g| g.figures.completion_rate.map(|r| (g, r))).collect();
    if rows.is_empty() {
        return Ok(None);
    }
    // Stable sort: ties keep the office's region order.
    rows.sort_by(|a, b| b.1.total_cmp(&a.1));
    let bars: Vec<Bar> = rows
        .iter()
        .map(|(g, r)| Bar {
            label: g.label.clone(),
            segments: vec![(*r, flag_colour(g.figures.flag))],
            value_label: fmt_percent(*r),
        })
        .collect();
    let tp = report.projects.total.time_progress;
    let marker = Marker { x: tp, label: format!("时序进度{}", fmt_percent(tp)), colour: INK };
    let legend = [(Flag::Green.label(), GREEN), (Flag::Yellow.label(), YELLOW), (Flag::Red.label(), RED)];
    horizontal_bars(&bars, Some(&marker), &legend, &percent_axis).map(Some)
}

/// The growth of the first indicator that has regional growth, by region,
/// highest first, with the whole's growth as a dashed line.
fn growth_by_region(report: &Report, scope: &str) -> Result<Option<(Chart, String)>, Error> {
    let whole = WHOLE;
    let Some(first) = report.indicators.iter().find(|i| i.region != whole && i.growth.is_some()) else {
        return Ok(None);
    };
    let name = first.indicator.clone();
    let mut rows: Vec<(&str, f64)> = report
        .indicators
        .iter()
        .filter(|i| i.indicator == name && i.region != whole)
        .filter_map(|i| i.growth.map(|g| (i.region.as_str(), g)))
        .collect();
    rows.sort_by(|a, b| b.1.total_cmp(&a.1));
    let bars: Vec<Bar> = rows
        .iter()
        .map(|(region, g)| Bar {
            label: region.to_string(),
            segments: vec![(*g, if *g < 0.0 { RED } else { BLUE })],
            value_label: fmt_percent(*g),
        })
        .collect();
    let marker = report
        .indicators
        .iter()
        .find(|i| i.indicator == name && i.region == whole)
        .and_then(|w| w.growth)
        .map(|g| Marker { x: g, label: format!("{scope}{}", fmt_percent(g)), colour: INK });
    let chart = horizontal_bars(&bars, marker.as_ref(), &[], &percent_axis)?;
    Ok(Some((chart, name)))
}

/// Problems by category, most first, split into resolved / in progress /
/// unresolvable.
fn problems_by_category(report: &Report) -> Result<Option<Chart>, Error> {
    let mut rows: Vec<_> = report.visits.by_category.iter().filter(|g| g.figures.problems > 0).collect();
    if rows.is_empty() {
        return Ok(None);
    }
    rows.sort_by_key(|g| std::cmp::Reverse(g.figures.problems));
    let bars: Vec<Bar> = rows
        .iter()
        .map(|g| Bar {
            label: g.label.clone(),
            segments: vec![
                (g.figures.resolved as f64, GREEN),
                (g.figures.in_progress as f64, YELLOW),
                (g.figures.unresolvable as f64, GREY),
            ],
            value_label: format!("{}个", g.figures.problems),
        })
        .collect();
    let legend = [("已解决", GREEN), ("办理中", YELLOW), ("无法解决", GREY)];
    horizontal_bars(&bars, None, &legend, &|x: &f64| {
        // Counts: whole ticks only.
        if x.fract().abs() < 1e-9 {
            format!("{x:.0}")
        } else {
            String::new()
        }
    })
    .map(Some)
}

/// 本年累计完成投资 month by month (1..M), as a line with each month's value.
fn monthly_trend(report: &Report) -> Result<Option<Chart>, Error> {
    let points: Vec<(u32, f64)> = report.projects.monthly.iter().filter_map(|m| m.done.map(|d| (m.month, d))).collect();
    if points.is_empty() {
        return Ok(None);
    }
    let months = report.month.max(points.iter().map(|p| p.0).max().unwrap_or(1));
    let max = points.iter().map(|p| p.1).fold(0f64, f64::max);
    // The axis in 亿元 when the figures are, as the labels are.
    let (scale, unit) = if max >= 10_000.0 { (10_000.0, "亿元") } else { (1.0, "万元") };
    let height = 260;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(plot_error)?;
        let y_max = (max / scale * 1.18).max(1.0);
        let y_area = text_width(&fmt_thousands(y_max, 0), LABEL_PX) + 40;
        let mut chart = ChartBuilder::on(&root)
            .margin_top(24)
            .margin_right(16)
            .margin_left(4)
            .x_label_area_size(26)
            .y_label_area_size(y_area)
            .build_cartesian_2d((1..(months as i32).max(2)).into_segmented(), 0f64..y_max)
            .map_err(plot_error)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(months as usize)
            .x_label_formatter(&|v: &SegmentValue<i32>| match v {
                SegmentValue::CenterOf(m) if *m >= 1 && *m <= months as i32 => format!("{m}月"),
                _ => String::new(),
            })
            .y_labels(6)
            .y_label_formatter(&|y: &f64| fmt_thousands(*y, if y_max < 10.0 { 1 } else { 0 }))
            .y_max_light_lines(0)
            .bold_line_style(GRID)
            .axis_style(AXIS)
            .label_style(font(LABEL_PX).color(&INK))
            .draw()
            .map_err(plot_error)?;
        root.draw(&Text::new(
            format!("单位：{unit}"),
            (y_area as i32 - 36, 10),
            text_style(LABEL_PX - 1.0, AXIS, HPos::Left),
        ))
        .map_err(plot_error)?;
        let coords: Vec<(SegmentValue<i32>, f64)> =
            points.iter().map(|(m, d)| (SegmentValue::CenterOf(*m as i32), d / scale)).collect();
        chart.draw_series(LineSeries::new(coords.clone(), BLUE.stroke_width(2))).map_err(plot_error)?;
        chart.draw_series(coords.iter().map(|c| Circle::new(c.clone(), 3, BLUE.filled()))).map_err(plot_error)?;
        for ((_, d), c) in points.iter().zip(&coords) {
            let label = EmptyElement::at(c.clone())
                + Text::new(fmt_amount(*d), (0, -12), text_style(LABEL_PX - 1.0, INK, HPos::Center));
            chart.draw_series(std::iter::once(label)).map_err(plot_error)?;
        }
        root.present().map_err(plot_error)?;
    }
    Ok(Some(Chart { svg, rows: None }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bars() -> Vec<Bar> {
        vec![
            Bar { label: "白水镇".into(), segments: vec![(56.3, GREEN)], value_label: "56.3%".into() },
            Bar { label: "<东河镇>".into(), segments: vec![(-3.2, RED)], value_label: "-3.2%".into() },
        ]
    }

    #[test]
    fn bars_are_svg_with_cjk_labels_and_the_font_list() {
        let marker = Marker { x: 50.0, label: "时序进度50.0%".into(), colour: INK };
        let svg = horizontal_bars(&bars(), Some(&marker), &[("正常", GREEN)], &percent_axis).unwrap().svg;
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains(">\n白水镇\n</text>") || svg.contains("白水镇"));
        assert!(svg.contains("时序进度50.0%"));
        // Labels are escaped by the backend.
        assert!(svg.contains("&lt;东河镇&gt;") && !svg.contains("<东河镇>"));
        assert!(svg.contains("Noto Sans CJK SC"));
        // 12 px labels: plotters divides the size it is given by 1.24.
        assert!(svg.contains("font-size=\"12\""), "{svg}");
        assert!(svg.contains("<rect"));
    }

    #[test]
    fn a_bar_chart_says_where_its_rows_lie() {
        // Two bars under a legend: the plot starts below the 30 px top
        // margin and ends above the 4 px margin and the 26 px axis.
        let marker = Marker { x: 50.0, label: "时序进度50.0%".into(), colour: INK };
        let chart = horizontal_bars(&bars(), Some(&marker), &[("正常", GREEN)], &percent_axis).unwrap();
        let height = 30 + 2 * ROW + 34;
        let rows = BarRows { top: 30.0, bottom: (height - 30) as f64, count: 2 };
        assert_eq!(chart.rows, Some(rows));
        assert!(chart.svg.contains(&format!("height=\"{height}\"")), "{}", &chart.svg[..200]);
        // Twenty rows over 2,000 px drawn at half size: a boundary every 50 px.
        let twenty = BarRows { top: 0.0, bottom: 2000.0, count: 20 };
        assert_eq!(twenty.boundaries(0.5), (1..20).map(|k| k * 50).collect::<Vec<u32>>());
        assert!(BarRows { top: 0.0, bottom: 100.0, count: 1 }.boundaries(1.0).is_empty());
    }

    #[test]
    fn the_reference_line_runs_under_the_values_which_sit_on_white() {
        // A bar ending just under the marker: its value is written where
        // the line runs.
        let bars = vec![Bar { label: "南湖镇".into(), segments: vec![(48.5, GREEN)], value_label: "48.5%".into() }];
        let marker = Marker { x: 50.0, label: "时序进度50.0%".into(), colour: RED };
        let svg = horizontal_bars(&bars, Some(&marker), &[], &percent_axis).unwrap().svg;
        let red = format!("#{:02X}{:02X}{:02X}", RED.0, RED.1, RED.2);
        let last_dash = svg.rfind(&format!("stroke=\"{red}\"")).expect("the dashed line");
        let value = svg.find("48.5%").expect("the value");
        assert!(last_dash < value, "the line is drawn before the value");
        // The element just before the value's text is its white box.
        let before = &svg[..value];
        let box_at = before.rfind("<rect").expect("a box");
        assert!(before[box_at..].contains("fill=\"#FFFFFF\""), "{}", &before[box_at..]);
    }
}
