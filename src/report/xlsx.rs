//! `briefing.xlsx`: the workbook a statistics office sends on as it is.
//!
//! Offices send their quarterly figures as Excel files, and the file has to
//! be good enough that no clerk needs to fix it first. The bar is the UK
//! Government Analysis Function's spreadsheet conventions (gptables /
//! aftables) adapted to Chinese office practice: a cover, a contents sheet
//! with links, a notes sheet with every definition, then one sheet per
//! subject in which every table is a real Excel table (a ListObject) with a
//! title line and a unit line above it and a source line below it; numbers
//! and dates are stored as numbers and dates (never text), missing figures
//! are empty cells (never 0), flags and supervision colours are conditional
//! formats on text cells, charts are native Excel charts drawn from the
//! tables' own cells, and every sheet prints on A4 landscape.
//!
//! The renderer reads only the [`Report`]: it computes no statistic. The one
//! exception is the overview's gap column (actual − target) and its
//! met / not-met flag for targets the model has no flag for, which are
//! display arithmetic on two figures printed beside them.

use crate::definitions::METRICS;
use crate::error::Error;
use crate::model::{Grouped, IndicatorFigures, ProblemFigures, ProjectFigures, Report};
use crate::quality::Kind;
use chrono::NaiveDate;
use rust_xlsxwriter::{
    Chart, ChartAxisCrossing, ChartDataLabel, ChartFont, ChartLegendPosition, ChartLine, ChartMarker, ChartType, ConditionalFormatCell,
    ConditionalFormatCellRule, DocProperties, Format, FormatAlign, FormatBorder, FormatUnderline, Table, TableColumn, TableStyle, Url,
    Workbook, Worksheet, XlsxError,
};
use unicode_width::UnicodeWidthChar;

// ---------------------------------------------------------------------------
// Fixed texts and layout constants.

/// Sheet names in workbook order, with the one-line description the
/// contents sheet shows. The order is part of the contract (issue 4).
const SHEETS: &[(&str, &str)] = &[
    ("封面", "标题、单位、统计期、生成日期、阅读说明和来源文件（含 SHA-256 校验值）"),
    ("目录", "本目录：每张工作表的内容，点击名称跳转"),
    ("说明", "每项数据的名称、计量单位和定义；空白单元格的含义；标识和督办颜色的规则"),
    ("总览", "目标任务完成情况（实际、目标、差距、标识）、主要指标和逐月累计完成投资（附图）"),
    ("重点项目", "每个重点项目的年度计划、累计完成、完成率、进度标识、状态和来源行"),
    ("分地区", "各地区重点项目投资完成率、排名和进度标识（附完成率与时序进度对比图）"),
    ("分产业链", "各产业链重点项目投资完成率、排名和进度标识"),
    ("分包抓领导", "各包抓领导所包项目的投资完成率、排名和进度标识"),
    ("分项目级别", "省、市、县重点项目的投资完成率、排名和进度标识"),
    ("经济指标", "各指标分地区的累计值、同比增长、排名、拉动、贡献率和目标差距（附首项指标分地区增速图）"),
    ("问题办理", "按问题类别（附图）、办理层级、地区和干部单位统计的问题办理情况"),
    ("逾期督办", "逾期未办结的问题，按逾期天数从多到少排列，附督办颜色"),
    ("走访情况", "逐月走访次数、发现问题数和其中已解决数"),
    ("数据质量", "每个文件每张工作表的行数核对，以及每条数据问题的位置和说明"),
];

/// Excel's paper code for A4.
const PAPER_A4: u8 = 9;
/// Chart height in pixels; the width follows the table above the chart.
const CHART_HEIGHT: u32 = 330;
/// Widest a column may grow (Excel width units, ≈ one digit each) before
/// its text wraps instead.
const DEFAULT_CAP: f64 = 32.0;
/// Points per wrapped line: CJK glyphs need a little more than Excel's 15 pt
/// default row, or the second line of a wrapped cell is clipped.
const LINE_PT: f64 = 16.0;

// Excel's own "good / neutral / bad" cell styles, so the colours mean what
// Excel users already read them as; blue for the mildest supervision level.
const GREEN: (&str, &str) = ("C6EFCE", "006100");
const YELLOW: (&str, &str) = ("FFEB9C", "9C5700");
const RED: (&str, &str) = ("FFC7CE", "9C0006");
const BLUE: (&str, &str) = ("DDEBF7", "1F4E79");

// ---------------------------------------------------------------------------
// Formats, defined once up front as rust_xlsxwriter's app examples do.

/// How a column's numbers are shown. Money is 万元 with two decimals,
/// percentages and percentage points one decimal, counts and ranks whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fmt {
    Text,
    Money,
    Pct,
    Count,
    Date,
    /// A short code read at a glance (flag, supervision colour, severity): centred.
    Mark,
}

impl Fmt {
    const ALL: [Fmt; 6] = [Fmt::Text, Fmt::Money, Fmt::Pct, Fmt::Count, Fmt::Date, Fmt::Mark];

    fn num_format(self) -> &'static str {
        match self {
            Fmt::Text | Fmt::Mark => "General",
            Fmt::Money => "#,##0.00",
            Fmt::Pct => "0.0",
            Fmt::Count => "#,##0",
            Fmt::Date => "yyyy-mm-dd",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

struct Formats {
    cover_title: Format,
    cover_label: Format,
    cover_date: Format,
    cover_text: Format,
    title: Format,
    unit: Format,
    source: Format,
    header: Format,
    /// Data cells by [`Fmt`]; `total` is the bold variant for 合计/全部 rows.
    cell: Vec<Format>,
    total: Vec<Format>,
    wrap: Format,
    wrap_total: Format,
    link: Format,
    cf_green: Format,
    cf_yellow: Format,
    cf_red: Format,
    cf_blue: Format,
}

impl Formats {
    fn new() -> Formats {
        let border = |f: Format| f.set_border(FormatBorder::Thin).set_border_color("BFBFBF");
        let data = |fmt: Fmt| {
            let f = border(Format::new().set_align(FormatAlign::VerticalCenter));
            // Text cells keep the General format: "@" would turn a number
            // the user later types into the cell into text.
            match fmt {
                Fmt::Text => f,
                Fmt::Mark => f.set_align(FormatAlign::Center),
                _ => f.set_num_format(fmt.num_format()),
            }
        };
        let fill = |(bg, fg): (&str, &str)| Format::new().set_background_color(bg).set_font_color(fg);
        Formats {
            cover_title: Format::new().set_bold().set_font_size(18),
            cover_label: Format::new().set_bold().set_align(FormatAlign::Left),
            cover_date: Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"").set_align(FormatAlign::Left),
            cover_text: Format::new().set_align(FormatAlign::Left),
            title: Format::new().set_bold().set_font_size(12),
            unit: Format::new().set_font_size(10).set_font_color("595959"),
            source: Format::new().set_font_size(9).set_font_color("595959"),
            // Explicit header styling as well as the table style: LibreOffice
            // and WPS ignore Excel table styles, and the header must still
            // read as a header there and on paper.
            header: border(
                Format::new()
                    .set_bold()
                    .set_text_wrap()
                    .set_align(FormatAlign::Center)
                    .set_align(FormatAlign::VerticalCenter)
                    .set_background_color("DDE4EE"),
            ),
            cell: Fmt::ALL.iter().map(|&f| data(f)).collect(),
            total: Fmt::ALL.iter().map(|&f| data(f).set_bold()).collect(),
            wrap: data(Fmt::Text).set_text_wrap(),
            wrap_total: data(Fmt::Text).set_text_wrap().set_bold(),
            link: border(
                Format::new().set_font_color("0563C1").set_underline(FormatUnderline::Single).set_align(FormatAlign::VerticalCenter),
            ),
            cf_green: fill(GREEN),
            cf_yellow: fill(YELLOW),
            cf_red: fill(RED),
            cf_blue: fill(BLUE),
        }
    }

    fn data(&self, fmt: Fmt, total: bool) -> &Format {
        if total {
            &self.total[fmt.index()]
        } else {
            &self.cell[fmt.index()]
        }
    }
}

fn xl(e: XlsxError) -> Error {
    Error::Output(e.to_string())
}

// ---------------------------------------------------------------------------
// Table model: what a sheet writes, independent of where.

/// One cell of a table. Ledger text is only ever [`Cell::Text`], which is
/// written with `write_string`, so `=HYPERLINK(…)` from a ledger stays text.
#[derive(Debug, Clone)]
enum Cell {
    Empty,
    Text(String),
    /// A number in its column's format.
    Num(f64),
    /// A number in a format of its own (the overview mixes units in a column).
    NumAs(f64, Fmt),
    Date(NaiveDate),
    /// An internal link to a sheet: (sheet name, shown text).
    Link(String, String),
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn opt_text(s: Option<&String>) -> Cell {
    s.map_or(Cell::Empty, |s| Cell::Text(s.clone()))
}

/// A figure; `None` (and, defensively, NaN or infinity) is an empty cell.
fn num(v: Option<f64>) -> Cell {
    match v {
        Some(v) if v.is_finite() => Cell::Num(v),
        _ => Cell::Empty,
    }
}

fn num_as(v: Option<f64>, fmt: Fmt) -> Cell {
    match v {
        Some(v) if v.is_finite() => Cell::NumAs(v, fmt),
        _ => Cell::Empty,
    }
}

fn int(v: i64) -> Cell {
    Cell::Num(v as f64)
}

fn opt_int(v: Option<i64>) -> Cell {
    v.map_or(Cell::Empty, int)
}

/// A `YYYY-MM-DD` date from the model as a real date; anything else stays
/// visible as text rather than being dropped.
fn date(s: Option<&str>) -> Cell {
    match s {
        None => Cell::Empty,
        Some(s) => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(d) => Cell::Date(d),
            Err(_) => Cell::Text(s.to_string()),
        },
    }
}

struct Column {
    header: String,
    fmt: Fmt,
    /// Width at which text wraps.
    cap: f64,
}

fn col(header: &str, fmt: Fmt) -> Column {
    Column { header: header.to_string(), fmt, cap: DEFAULT_CAP }
}

fn col_cap(header: &str, fmt: Fmt, cap: f64) -> Column {
    Column { header: header.to_string(), fmt, cap }
}

struct Row {
    cells: Vec<Cell>,
    /// A 合计 / 全部 row: bold, and left out of charts.
    total: bool,
}

fn row(cells: Vec<Cell>) -> Row {
    Row { cells, total: false }
}

fn total_row(cells: Vec<Cell>) -> Row {
    Row { cells, total: true }
}

/// Conditional fills on one text column: (value, fill) pairs.
struct Rule {
    column: usize,
    fills: Vec<(&'static str, Tone)>,
}

#[derive(Clone, Copy)]
enum Tone {
    Green,
    Yellow,
    Red,
    Blue,
}

struct TableSpec {
    /// Excel table name (ASCII: table names end up in formulas).
    name: &'static str,
    title: String,
    unit: String,
    source: String,
    columns: Vec<Column>,
    rows: Vec<Row>,
    rules: Vec<Rule>,
    notes: Vec<String>,
}

impl TableSpec {
    fn col_index(&self, header: &str) -> Result<u16, Error> {
        self.columns
            .iter()
            .position(|c| c.header == header)
            .map(|i| i as u16)
            .ok_or_else(|| Error::Internal(format!("briefing.xlsx: no column {header} in {}", self.name)))
    }
}

/// Where a table landed on its sheet.
#[derive(Debug, Clone, Copy)]
struct Placed {
    /// First and last data row (a table without data keeps one empty row:
    /// Excel tables need one).
    first: u32,
    last: u32,
    /// Rows that are 合计/全部 at the top of the data, left out of charts.
    leading_totals: u32,
    /// First free row below the table's source line and notes.
    next: u32,
    has_data: bool,
}

// ---------------------------------------------------------------------------
// Width measurement. Excel measures columns in digit widths of the default
// font; a CJK character is about two of them, which is what `unicode-width`
// reports, while `Worksheet::autofit` counts any non-ASCII character as
// 8 pixels (one digit) and makes Chinese columns half as wide as needed.

fn units(s: &str) -> f64 {
    s.lines().map(line_units).fold(0.0, f64::max)
}

/// Width of one line in Excel width units (one unit = one digit of the
/// default 11 pt font). Wide (CJK and full-width) characters are measured
/// at 2.05: 14.7 px in Excel's CJK fallback font over a 7 px digit, a little
/// less in LibreOffice. Narrow Latin letters are narrower than a digit.
fn line_units(line: &str) -> f64 {
    line.chars()
        .map(|ch| match UnicodeWidthChar::width(ch).unwrap_or(0) {
            0 => 0.0,
            1 if ch.is_ascii_digit() => 1.0,
            1 if ch.is_ascii_uppercase() => 1.15,
            1 if ch.is_ascii_lowercase() => 0.85,
            1 => 0.75,
            _ => 2.05,
        })
        .sum()
}

/// Number shown with thousands separators and `decimals` decimals.
fn shown(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    let (int_part, frac) = s.split_once('.').map_or((s.as_str(), None), |(a, b)| (a, Some(b)));
    let mut grouped = String::new();
    for (i, ch) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if v < 0.0 { "-" } else { "" };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

fn cell_units(cell: &Cell, fmt: Fmt) -> f64 {
    let number = |v: f64, fmt: Fmt| match fmt {
        Fmt::Money => shown(v, 2).len() as f64,
        Fmt::Pct => format!("{v:.1}").len() as f64,
        Fmt::Date => 10.0,
        _ => shown(v, 0).len() as f64,
    };
    match cell {
        Cell::Empty => 0.0,
        Cell::Text(s) | Cell::Link(_, s) => units(s),
        Cell::Num(v) => number(*v, fmt),
        Cell::NumAs(v, f) => number(*v, *f),
        Cell::Date(_) => 10.0,
    }
}

// ---------------------------------------------------------------------------
// A sheet being written: tracks column widths, wrapped rows and the blocks
// (tables, charts) that should not be split across printed pages, so that
// all of it can be sized from the content once everything is on the sheet.

struct Sheet {
    ws: Worksheet,
    name: &'static str,
    need: Vec<f64>,
    /// Data cells that may wrap: (row, column, content width).
    wraps: Vec<(u32, u16, f64)>,
    /// Header cells: (row, column, text); they wrap at their unit bracket.
    headers: Vec<(u32, u16, String)>,
    /// Minimum row heights (points): the cover title, rows beside a chart.
    heights: Vec<(u32, f64)>,
    /// Rows (first, last) kept on one printed page where they fit on one.
    blocks: Vec<(u32, u32)>,
    /// Widest chart, in pixels: it counts towards the printed width.
    chart_px: u32,
    tables: u32,
    /// Header row of the sheet's only table: frozen and repeated on print.
    single_header: Option<u32>,
}

/// Excel's default row height and LibreOffice's, points.
const ROW_PT: f64 = 15.0;
const ROW_PT_LOW: f64 = 12.8;
/// A4 landscape less the margins set in [`Sheet::finish`], points.
const PRINT_WIDTH_PT: f64 = 842.0 - 72.0;
const PRINT_HEIGHT_PT: f64 = 595.0 - 2.0 * 43.2;

fn column_px(width: f64) -> f64 {
    // Excel's conversion for the default font: 7 px a unit plus 5 px padding.
    (width * 7.0 + 5.0).floor()
}

/// A header as shown: a long one breaks before its unit bracket,
/// `本年累计完成投资` / `（万元）`. The break is an explicit line feed
/// because renderers measure CJK text differently (Excel, WPS and
/// LibreOffice would each wrap a sized column at another character, and
/// some split `（万元）` itself); rust_xlsxwriter escapes it in the table
/// XML the way Excel expects.
fn header_text(header: &str) -> String {
    match header.find('（') {
        Some(i) if i > 0 && units(header) > 12.0 => format!("{}\n{}", &header[..i], &header[i..]),
        _ => header.to_string(),
    }
}

/// Lines a header needs in a column `width` units wide.
fn header_lines(header: &str, width: f64) -> f64 {
    let room = (width - 1.0).max(1.0);
    header.lines().map(|l| (line_units(l) / room).ceil().max(1.0)).sum()
}

impl Sheet {
    fn new(name: &'static str) -> Result<Sheet, Error> {
        let mut ws = Worksheet::new();
        ws.set_name(name).map_err(xl)?;
        Ok(Sheet {
            ws,
            name,
            need: Vec::new(),
            wraps: Vec::new(),
            headers: Vec::new(),
            heights: Vec::new(),
            blocks: Vec::new(),
            chart_px: 0,
            tables: 0,
            single_header: None,
        })
    }

    fn need(&mut self, col: u16, width: f64) {
        let c = col as usize;
        if self.need.len() <= c {
            self.need.resize(c + 1, 0.0);
        }
        self.need[c] = self.need[c].max(width);
    }

    /// Width of columns `from..to` in pixels, as sized so far.
    fn width_px(&self, from: usize, to: usize) -> u32 {
        self.need.iter().take(to).skip(from).map(|&w| column_px(w)).sum::<f64>() as u32
    }

    /// A line of text outside any table (titles, units, sources, notes).
    /// It may run across empty cells to its right, so it sets no width.
    fn line(&mut self, row: u32, col: u16, s: &str, f: &Format) -> Result<(), Error> {
        self.ws.write_string_with_format(row, col, super::cell_text::fit(s).as_ref(), f).map_err(xl)?;
        Ok(())
    }

    /// Inserts a chart at (`row`, `col`), `width_px` wide, and gives the
    /// rows it covers a fixed height, so that it covers the same rows in
    /// Excel and LibreOffice (their default row heights differ) and nothing
    /// below it is hidden. Returns the first row below it.
    fn chart(&mut self, row: u32, col: u16, chart: &mut Chart, width_px: u32, height_px: u32) -> Result<u32, Error> {
        chart.set_width(width_px).set_height(height_px);
        self.ws.insert_chart_with_offset(row, col, chart, 4, 4).map_err(xl)?;
        let rows = ((height_px as f64 * 0.75 + 6.0) / ROW_PT).ceil() as u32;
        for r in row..row + rows {
            self.heights.push((r, ROW_PT));
        }
        self.blocks.push((row, row + rows - 1));
        self.chart_px = self.chart_px.max(self.width_px(0, col as usize) + width_px + 8);
        Ok(row + rows)
    }

    /// A chart under a table, as wide as the table (within limits).
    fn chart_below(&mut self, row: u32, chart: &mut Chart, table_cols: usize, height_px: u32) -> Result<u32, Error> {
        let width = self.width_px(0, table_cols).clamp(560, 960);
        Ok(self.chart(row, 0, chart, width, height_px)? + 1)
    }

    /// Writes a table with its title line, unit line, header, data, source
    /// line and notes, starting at `top`; returns where it landed.
    fn table(&mut self, f: &Formats, top: u32, t: &TableSpec, number: &mut u32) -> Result<Placed, Error> {
        *number += 1;
        self.tables += 1;
        let ncols = t.columns.len() as u16;
        let header = top + 2;
        let first = header + 1;
        let has_data = !t.rows.is_empty();
        let last = header + t.rows.len().max(1) as u32;
        let leading_totals = t.rows.iter().take_while(|r| r.total).count() as u32;

        self.line(top, 0, &format!("表{number}　{}", t.title), &f.title)?;
        let unit = if has_data { t.unit.clone() } else { format!("{}　本期无此项数据。", t.unit) };
        self.line(top + 1, 0, &unit, &f.unit)?;

        // Width needed by each column's data; text longer than the cap wraps.
        let mut data_need = vec![0.0f64; ncols as usize];
        for r in &t.rows {
            for (c, cell) in r.cells.iter().enumerate().take(ncols as usize) {
                data_need[c] = data_need[c].max(cell_units(cell, t.columns[c].fmt) + 2.0);
            }
        }
        let wrapping: Vec<bool> = t.columns.iter().zip(&data_need).map(|(c, &n)| c.fmt == Fmt::Text && n > c.cap).collect();

        for (i, r) in t.rows.iter().enumerate() {
            let row = first + i as u32;
            for (c, colspec) in t.columns.iter().enumerate() {
                let cell = r.cells.get(c).unwrap_or(&Cell::Empty);
                let cu = c as u16;
                let fmt = match (wrapping[c], r.total) {
                    (true, false) => &f.wrap,
                    (true, true) => &f.wrap_total,
                    (false, total) => f.data(colspec.fmt, total),
                };
                match cell {
                    Cell::Empty => self.ws.write_blank(row, cu, fmt).map(|_| ()),
                    Cell::Text(s) => {
                        if wrapping[c] {
                            self.wraps.push((row, cu, units(s)));
                        }
                        // Always a string, never `write()`: ledger text such
                        // as `=HYPERLINK(…)` or `+1` must not become a formula.
                        self.ws.write_string_with_format(row, cu, super::cell_text::fit(s).as_ref(), fmt).map(|_| ())
                    }
                    Cell::Num(v) => self.ws.write_number_with_format(row, cu, *v, fmt).map(|_| ()),
                    Cell::NumAs(v, own) => self.ws.write_number_with_format(row, cu, *v, f.data(*own, r.total)).map(|_| ()),
                    Cell::Date(d) => self.ws.write_date_with_format(row, cu, d, f.data(Fmt::Date, r.total)).map(|_| ()),
                    Cell::Link(sheet, shown) => {
                        let url = Url::new(format!("internal:'{sheet}'!A1")).set_text(shown.as_str());
                        self.ws.write_url_with_format(row, cu, url, &f.link).map(|_| ())
                    }
                }
                .map_err(xl)?;
            }
        }
        if !has_data {
            for c in 0..ncols {
                self.ws.write_blank(first, c, f.data(t.columns[c as usize].fmt, false)).map_err(xl)?;
            }
        }

        // Column widths: the data (capped), and the header's longest line;
        // a header without a unit bracket that is still long wraps in two.
        let shown: Vec<String> = t.columns.iter().map(|c| header_text(&c.header)).collect();
        for (c, colspec) in t.columns.iter().enumerate() {
            let h = units(&shown[c]) + 2.0;
            let data = data_need[c].min(colspec.cap);
            let header_need = if h <= data.max(20.0) { h } else { (h / 2.0 + 1.5).max(10.0) };
            self.need(c as u16, data.max(header_need).max(6.0));
            self.headers.push((header, c as u16, shown[c].clone()));
        }

        let columns: Vec<TableColumn> =
            shown.iter().map(|h| TableColumn::new().set_header(h.as_str()).set_header_format(&f.header)).collect();
        // No filter buttons: they cover the end of centred two-line headers
        // on screen; Excel's 数据 → 筛选 turns them on when wanted.
        let table = Table::new().set_name(t.name).set_columns(&columns).set_style(TableStyle::Light1).set_autofilter(false);
        self.ws.add_table(header, 0, last, ncols - 1, &table).map_err(xl)?;

        for rule in &t.rules {
            let c = rule.column as u16;
            for (value, tone) in &rule.fills {
                let format = match tone {
                    Tone::Green => &f.cf_green,
                    Tone::Yellow => &f.cf_yellow,
                    Tone::Red => &f.cf_red,
                    Tone::Blue => &f.cf_blue,
                };
                let cf = ConditionalFormatCell::new().set_rule(ConditionalFormatCellRule::EqualTo(*value)).set_format(format);
                self.ws.add_conditional_format(first, c, last, c, &cf).map_err(xl)?;
            }
        }

        self.line(last + 1, 0, &t.source, &f.source)?;
        let mut next = last + 2;
        for note in &t.notes {
            self.line(next, 0, note, &f.source)?;
            next += 1;
        }
        self.blocks.push((top, next - 1));
        self.single_header = if self.tables == 1 { Some(header) } else { None };
        Ok(Placed { first, last, leading_totals, next: next + 1, has_data })
    }

    /// Manual page breaks that keep each block (a table, a chart) on one
    /// page where it fits on one. Pages are estimated at the scale that
    /// fitting the sheet to one page wide gives, twice: with Excel's default
    /// row height and with LibreOffice's lower one (WPS lies between), and a
    /// block that would straddle a page in either gets a break before it.
    /// Where an earlier block ran over a page, where that page ended is a
    /// guess (renderers differ by a few rows), so the next block starts on a
    /// new page. A block longer than a page keeps at least its head
    /// together, so no header is left alone at the foot of a page.
    fn page_breaks(&self, widths: &[f64], heights: &std::collections::BTreeMap<u32, f64>) -> Vec<u32> {
        let sheet_px = widths.iter().map(|&w| column_px(w)).sum::<f64>().max(self.chart_px as f64);
        let scale = (PRINT_WIDTH_PT / (sheet_px * 0.75)).min(1.0);
        let page = PRINT_HEIGHT_PT / scale;
        let Some(end) = self.blocks.iter().map(|b| b.1 + 1).max() else { return Vec::new() };
        let end = end.max(self.single_header.map_or(0, |h| h + 1));
        // y[model][row]: top of each row in points.
        let y: Vec<Vec<f64>> = [ROW_PT, ROW_PT_LOW]
            .iter()
            .map(|&default| {
                let mut acc = 0.0;
                (0..=end)
                    .map(|r| {
                        let top = acc;
                        acc += heights.get(&r).copied().unwrap_or(default);
                        top
                    })
                    .collect()
            })
            .collect();
        let repeated: Vec<f64> = y.iter().map(|y| self.single_header.map_or(0.0, |h| y[h as usize + 1])).collect();
        let mut top = [0.0f64; 2];
        let mut cap = [page; 2];
        let mut breaks = Vec::new();
        let mut uncertain = false;
        for &(first, last) in &self.blocks {
            let (first, last) = (first as usize, last as usize + 1);
            for m in 0..2 {
                while y[m][first] >= top[m] + cap[m] {
                    top[m] += cap[m];
                    cap[m] = page - repeated[m];
                }
            }
            // A block longer than a page runs over; then at least its title,
            // header and first rows start on one page.
            let fits = (0..2).all(|m| y[m][last] - y[m][first] <= page - repeated[m]);
            let kept = if fits { last } else { last.min(first + 8) };
            let straddles = (0..2).any(|m| y[m][kept] > top[m] + cap[m]);
            let below_top = (0..2).any(|m| y[m][first] > top[m]);
            if (straddles || uncertain) && below_top {
                breaks.push(first as u32);
                for m in 0..2 {
                    top[m] = y[m][first];
                    cap[m] = page - repeated[m];
                }
            }
            uncertain = false;
            for m in 0..2 {
                while y[m][last] > top[m] + cap[m] {
                    top[m] += cap[m];
                    cap[m] = page - repeated[m];
                    uncertain = true;
                }
            }
        }
        breaks.dedup();
        breaks
    }

    /// Sizes columns and wrapped rows, then sets up printing.
    fn finish(mut self, page: &Page) -> Result<Worksheet, Error> {
        let widths: Vec<f64> = self.need.iter().map(|w| (w * 4.0).ceil() / 4.0).collect();
        for (c, w) in widths.iter().enumerate() {
            self.ws.set_column_width(c as u16, *w).map_err(xl)?;
        }
        let width_of = |c: u16| widths.get(c as usize).copied().unwrap_or(8.43);
        let mut lines: std::collections::BTreeMap<u32, f64> = std::collections::BTreeMap::new();
        for &(row, c, w) in &self.wraps {
            let n = (w / (width_of(c) - 1.0).max(1.0)).ceil().max(1.0);
            let e = lines.entry(row).or_insert(1.0);
            *e = e.max(n);
        }
        for (row, c, h) in &self.headers {
            let e = lines.entry(*row).or_insert(1.0);
            *e = e.max(header_lines(h, width_of(*c)));
        }
        let mut heights: std::collections::BTreeMap<u32, f64> = std::collections::BTreeMap::new();
        for (row, n) in lines {
            if n > 1.0 {
                heights.insert(row, n * LINE_PT + 2.0);
            }
        }
        // Fixed heights are minimums: a wrapped header under a chart's
        // side keeps its second line.
        for &(row, h) in &self.heights {
            let e = heights.entry(row).or_insert(h);
            *e = e.max(h);
        }
        for (&row, &h) in &heights {
            self.ws.set_row_height(row, h).map_err(xl)?;
        }
        let breaks = self.page_breaks(&widths, &heights);

        let ws = &mut self.ws;
        ws.set_paper_size(PAPER_A4).set_landscape().set_print_fit_to_pages(1, 0);
        ws.set_header(format!("&L{}&R{}", escape_hf(&page.title), escape_hf(self.name)));
        ws.set_footer(format!("&L{}&C第 &P 页，共 &N 页&R{}", escape_hf(&page.office), escape_hf(&page.period)));
        ws.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
        if !breaks.is_empty() {
            ws.set_page_breaks(&breaks).map_err(xl)?;
        }
        if let Some(h) = self.single_header {
            // Title, unit and header lines stay visible while scrolling and
            // are printed on every page. Sheets with several stacked tables
            // freeze nothing: one table's header would mislabel the others.
            ws.set_freeze_panes(h + 1, 0).map_err(xl)?;
            ws.set_repeat_rows(0, h).map_err(xl)?;
        }
        Ok(self.ws)
    }
}

/// `&` starts a code in Excel headers and footers.
fn escape_hf(s: &str) -> String {
    s.replace('&', "&&")
}

/// What every sheet's header and footer shows.
struct Page {
    title: String,
    office: String,
    period: String,
}

// ---------------------------------------------------------------------------
// Wording.

/// `2025年1—6月` (em dash, as official statistics write it), `2025年1月`.
pub fn period_words(year: i32, month: u32) -> String {
    format!("{year}年{}", ytd_label(month))
}

/// The year-to-date span, worded as in the HTML briefing and the article.
fn ytd_label(month: u32) -> String {
    super::templates::fmt_period(month)
}

fn flag_cn(flag: Option<&str>) -> Cell {
    match flag {
        Some("green") => text("绿"),
        Some("yellow") => text("黄"),
        Some("red") => text("红"),
        Some(other) => text(other),
        None => Cell::Empty,
    }
}

fn flag_rule(column: usize) -> Rule {
    Rule { column, fills: vec![("绿", Tone::Green), ("黄", Tone::Yellow), ("红", Tone::Red)] }
}

/// Met / not met, for targets the model carries no flag for.
fn met(actual: Option<f64>, target: Option<f64>) -> Cell {
    match (actual, target) {
        (Some(a), Some(t)) if a.is_finite() && t.is_finite() => text(if a >= t { "绿" } else { "红" }),
        _ => Cell::Empty,
    }
}

fn diff(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    Some(a? - b?)
}

const FLAG_NOTE: &str = "进度标识：绿 = 完成率不低于时序进度；黄 = 低于时序进度但在黄色区间内（默认10个百分点）；红 = 落后更多。";

// ---------------------------------------------------------------------------
// The workbook.

/// Renders the workbook into memory, so nothing is written when it fails.
pub fn render_workbook(report: &Report) -> Result<Vec<u8>, Error> {
    let f = Formats::new();
    let period = period_words(report.year, report.month);
    let page = Page { title: report.title.clone(), office: report.office.clone(), period: period.clone() };
    let mut number = 0u32;
    let mut workbook = Workbook::new();
    // Compressing the sheets' XML is most of the time a large workbook takes
    // to save; level 1 is several times faster and the file barely larger.
    workbook.set_zip_compression_level(1);

    let sheets = vec![
        cover(report, &f, &period, &mut number)?,
        contents(&f, &mut number)?,
        notes(&f, &mut number)?,
        overview(report, &f, &period, &mut number)?,
        projects(report, &f, &period, &mut number)?,
        groups(report, &f, &period, "分地区", &mut number)?,
        groups(report, &f, &period, "分产业链", &mut number)?,
        groups(report, &f, &period, "分包抓领导", &mut number)?,
        groups(report, &f, &period, "分项目级别", &mut number)?,
        indicators(report, &f, &period, &mut number)?,
        problems(report, &f, &period, &mut number)?,
        overdue(report, &f, &period, &mut number)?,
        visits(report, &f, &period, &mut number)?,
        quality(report, &f, &mut number)?,
    ];
    for sheet in sheets {
        workbook.push_worksheet(sheet.finish(&page)?);
    }

    let created = chrono::Utc::now();
    let properties = DocProperties::new()
        .set_title(&report.title)
        .set_subject(format!("{}{}", period, report.title))
        .set_author(&report.office)
        .set_company(&report.office)
        .set_keywords("统计简报, statbrief")
        .set_comment("由 statbrief 根据各单位报送的台账生成")
        .set_creation_datetime(&created);
    workbook.set_properties(&properties);
    workbook.save_to_buffer().map_err(xl)
}

fn cover(r: &Report, f: &Formats, period: &str, number: &mut u32) -> Result<Sheet, Error> {
    let mut s = Sheet::new("封面")?;
    s.line(0, 0, &r.title, &f.cover_title)?;
    s.heights.push((0, 30.0));
    let pairs: [(&str, String); 3] = [
        ("编制单位", r.office.clone()),
        ("统计期", format!("{period}（数据截至{}年{}月底）", r.year, r.month)),
        ("项目数据月份", r.projects.source_period.clone().unwrap_or_else(|| "无重点项目台账".into())),
    ];
    let mut at = 2;
    for (label, value) in pairs {
        s.line(at, 0, label, &f.cover_label)?;
        s.line(at, 1, &value, &f.cover_text)?;
        at += 1;
    }
    s.line(at, 0, "生成日期", &f.cover_label)?;
    let today = chrono::Local::now().date_naive();
    s.ws.write_date_with_format(at, 1, &today, &f.cover_date).map_err(xl)?;
    at += 2;

    s.line(at, 0, "阅读说明", &f.cover_label)?;
    at += 1;
    let guide = [
        format!("1. 本工作簿由 statbrief 根据各单位报送的台账自动生成，除“走访情况”的逐月数据外，均为{period}累计数。"),
        "2. “目录”列出每张工作表及其内容，点击名称可跳转；“说明”给出每项数据的名称、计量单位和定义。".into(),
        "3. 每张表上方为表题和计量单位，下方为资料来源。表格是 Excel 表格（可用“数据 → 筛选”筛选、排序），数值以数字保存，可直接计算。"
            .into(),
        "4. 空白单元格表示无数据或不适用（不是零）。".into(),
        "5. 进度标识：绿 = 不低于时序进度或达到目标，黄 = 略低于时序进度，红 = 落后；督办颜色：蓝、黄、红表示逾期由轻到重。".into(),
        "6. “数据质量”逐表核对读取的行数并列出每条数据问题，发布前请核对；下表列出所用文件及其 SHA-256 校验值。".into(),
    ];
    for g in &guide {
        s.line(at, 0, g, &f.cover_text)?;
        at += 1;
    }
    at += 1;

    let rows = r
        .data_quality
        .files
        .iter()
        .map(|file| {
            row(vec![
                text(&file.path),
                text(&file.sha256),
                int(file.sheets.len() as i64),
                text(file.error.clone().unwrap_or_else(|| "已读取".into())),
            ])
        })
        .collect();
    let spec = TableSpec {
        name: "tbl_files",
        title: "来源文件".into(),
        unit: "单位：个（工作表数）".into(),
        source: "资料来源：输入文件夹中的台账文件，statbrief 读取时计算 SHA-256 校验值。".into(),
        columns: vec![
            col_cap("文件", Fmt::Text, 50.0),
            col_cap("SHA-256", Fmt::Text, 70.0),
            col("工作表数", Fmt::Count),
            col_cap("读取情况", Fmt::Text, 40.0),
        ],
        rows,
        rules: vec![],
        notes: vec![],
    };
    s.table(f, at, &spec, number)?;
    // The cover's labels sit in the file column; keep it wide enough for them.
    s.need(0, 14.0);
    s.single_header = None;
    Ok(s)
}

/// Chart titles at 12 pt: Excel's default 14 pt bold crowds a 330 px chart.
fn titled(chart: &mut Chart, title: &str) {
    // A chart title beginning with `=` is read as a cell reference; one that
    // starts with ledger text (the indicator's name) must stay text.
    let title = if title.starts_with('=') { format!(" {title}") } else { title.to_string() };
    chart.title().set_name(title.as_str()).set_font(ChartFont::new().set_size(12).set_bold());
}

fn grid() -> ChartLine {
    let mut line = ChartLine::new();
    line.set_color("D9D9D9");
    line
}

fn contents(f: &Formats, number: &mut u32) -> Result<Sheet, Error> {
    let mut s = Sheet::new("目录")?;
    let rows = SHEETS
        .iter()
        .enumerate()
        .map(|(i, (name, what))| row(vec![int(i as i64 + 1), Cell::Link(name.to_string(), name.to_string()), text(*what)]))
        .collect();
    let spec = TableSpec {
        name: "tbl_contents",
        title: "目录".into(),
        unit: "点击工作表名称跳转到该表。".into(),
        source: "资料来源：statbrief。".into(),
        columns: vec![col("序号", Fmt::Count), col("工作表", Fmt::Text), col_cap("内容", Fmt::Text, 90.0)],
        rows,
        rules: vec![],
        notes: vec![],
    };
    s.table(f, 0, &spec, number)?;
    Ok(s)
}

fn notes(f: &Formats, number: &mut u32) -> Result<Sheet, Error> {
    let mut s = Sheet::new("说明")?;
    let rows = METRICS.iter().map(|(key, name, unit, def)| row(vec![text(*key), text(*name), text(*unit), text(*def)])).collect();
    let spec = TableSpec {
        name: "tbl_definitions",
        title: "数据定义和计量单位".into(),
        unit: "空白单元格表示无数据或不适用（metrics.json 中为 null），不是零。金额单位为万元，比率单位为%。".into(),
        source: "资料来源：statbrief 指标定义（src/definitions.rs，与 docs/metrics.md 同源）。".into(),
        columns: vec![
            col_cap("数据项（metrics.json）", Fmt::Text, 36.0),
            col_cap("名称", Fmt::Text, 20.0),
            col_cap("单位", Fmt::Text, 14.0),
            col_cap("定义", Fmt::Text, 70.0),
        ],
        rows,
        rules: vec![],
        notes: vec![
            format!("注：1. {FLAG_NOTE}"),
            "　　2. 总览中的差距 = 实际 − 目标（负数为尚差）；没有进度标识的目标，实际不低于目标为绿，否则为红。".into(),
            "　　3. 督办颜色：蓝 = 逾期1—7天，黄 = 8—30天，红 = 30天以上（默认阈值，可在 statbrief.toml 中调整）。".into(),
            "　　4. “合计”行为各项之和（比率由和计算，不是平均），经济指标的“全部”行同理，不参加排名。".into(),
        ],
    };
    s.table(f, 0, &spec, number)?;
    Ok(s)
}

/// The overview: one line per target (value, target, gap, flag), the main
/// figures without targets, and the cumulative investment by month.
fn overview(r: &Report, f: &Formats, period: &str, number: &mut u32) -> Result<Sheet, Error> {
    let mut s = Sheet::new("总览")?;
    let t = &r.projects.total;
    let v = &r.visits;
    let progress = format!("时序进度（{}/12）", r.month);
    let fmt_of_unit = |unit: &str| match unit {
        "%" | "百分点" => Fmt::Pct,
        "个" | "次" | "家" | "人" | "天" => Fmt::Count,
        _ => Fmt::Money,
    };
    // (name, unit, actual, target, gap unit, completion of target, flag, basis)
    let mut kpis: Vec<Row> = Vec::new();
    let mut kpi = |name: String,
                   unit: &str,
                   actual: Option<f64>,
                   target: Option<f64>,
                   gap_unit: &str,
                   rate: Option<f64>,
                   flag: Cell,
                   basis: String| {
        let fu = fmt_of_unit(unit);
        kpis.push(row(vec![
            text(name),
            text(unit),
            num_as(actual, fu),
            num_as(target, fu),
            num_as(diff(actual, target), fmt_of_unit(gap_unit)),
            if target.is_some() { text(gap_unit) } else { Cell::Empty },
            num_as(rate, Fmt::Pct),
            flag,
            if target.is_some() { text(basis) } else { Cell::Empty },
        ]));
    };
    kpi(
        "重点项目投资完成率".into(),
        "%",
        t.completion_rate,
        Some(t.time_progress),
        "百分点",
        None,
        flag_cn(t.flag.as_deref()),
        progress.clone(),
    );
    kpi(
        "重点项目本年累计完成投资".into(),
        "万元",
        t.done,
        t.target,
        "万元",
        t.target_completion_rate,
        met(t.target_completion_rate, t.target.map(|_| t.time_progress)),
        "年度投资目标".into(),
    );
    kpi(
        "新开工项目".into(),
        "个",
        Some(t.new_starts as f64),
        t.new_start_target,
        "个",
        t.new_start_target_rate,
        met(t.new_start_target_rate, t.new_start_target.map(|_| t.time_progress)),
        "新开工项目年度目标".into(),
    );
    kpi(
        "问题解决率".into(),
        "%",
        v.resolution_rate,
        v.resolution_target,
        "百分点",
        None,
        met(v.resolution_rate, v.resolution_target),
        "问题解决率目标".into(),
    );
    kpi(
        "企业满意率".into(),
        "%",
        v.satisfaction_rate,
        v.satisfaction_target,
        "百分点",
        None,
        met(v.satisfaction_rate, v.satisfaction_target),
        "企业满意率目标".into(),
    );
    for w in r.indicators.iter().filter(|i| i.region == crate::stats::indicators::WHOLE) {
        if w.target.is_some() && w.target_growth.is_none() {
            let unit = w.unit.clone().unwrap_or_default();
            kpi(
                format!("{}（本年累计）", w.indicator),
                &unit,
                w.ytd,
                w.target,
                &unit,
                w.target_completion_rate,
                met(w.target_completion_rate, Some(t.time_progress)),
                format!("{}年度目标", w.indicator),
            );
        } else {
            kpi(
                format!("{}增速", w.indicator),
                "%",
                w.growth,
                w.target_growth,
                "百分点",
                None,
                met(w.growth, w.target_growth),
                "增速目标".into(),
            );
        }
    }
    let spec = TableSpec {
        name: "tbl_kpi",
        title: format!("目标任务完成情况（{period}）"),
        unit: "单位：见“单位”列；差距 = 实际 − 目标，负数为尚差；目标完成率单位为%。".into(),
        source: "资料来源：重点项目台账、走访问题台账、经济指标月报和目标任务表，statbrief 整理。".into(),
        columns: vec![
            col_cap("指标", Fmt::Text, 36.0),
            col("单位", Fmt::Text),
            col("实际", Fmt::Text),
            col("目标", Fmt::Text),
            col("差距", Fmt::Text),
            col("差距单位", Fmt::Text),
            col("目标完成率（%）", Fmt::Pct),
            col("标识", Fmt::Mark),
            col_cap("目标口径", Fmt::Text, 40.0),
        ],
        rows: kpis,
        rules: vec![flag_rule(7)],
        notes: vec![
            format!("注：{FLAG_NOTE}"),
            format!("　　年度目标（年度投资、新开工项目、总量指标）的标识以目标完成率对照{progress}：不低于为绿，否则为红；比率和增速目标：实际不低于目标为绿，否则为红。"),
        ],
    };
    let placed = s.table(f, 0, &spec, number)?;

    let spec3 = TableSpec {
        name: "tbl_monthly_done",
        title: format!("重点项目逐月累计完成投资（{}年）", r.year),
        unit: "单位：万元".into(),
        source: "资料来源：各月重点项目台账，statbrief 整理；没有台账的月份不列。".into(),
        columns: vec![col("月份", Fmt::Text), col("本年累计完成投资（万元）", Fmt::Money)],
        rows: r.projects.monthly.iter().map(|m| row(vec![text(ytd_label(m.month)), num(m.done)])).collect(),
        rules: vec![],
        notes: vec![],
    };
    let placed3 = s.table(f, placed.next, &spec3, number)?;
    let mut next = placed3.next;
    if placed3.has_data {
        let mut chart = Chart::new(ChartType::Column);
        chart
            .add_series()
            // Series names are literal text, not the header cells: those
            // hold a line feed that would show in the legend.
            .set_name("本年累计完成投资")
            .set_categories(("总览", placed3.first, 0, placed3.last, 0))
            .set_values(("总览", placed3.first, 1, placed3.last, 1))
            .set_data_label(ChartDataLabel::new().show_value().set_num_format("#,##0"));
        titled(&mut chart, "重点项目逐月累计完成投资（万元）");
        chart.y_axis().set_num_format("#,##0").set_major_gridlines_line(&grid());
        chart.legend().set_hidden();
        chart.set_alt_text("重点项目逐月累计完成投资柱形图");
        // Beside its table rather than under it, so that the targets, the
        // series and its chart make one page: the chart spans the target
        // table's columns right of the month table.
        let width = s.width_px(3, 9).clamp(420, 760);
        let below = s.chart(placed.next, 3, &mut chart, width, 300)?;
        next = next.max(below + 1);
    }
    let figures: Vec<(&str, &str, Option<f64>, Fmt)> = vec![
        ("重点项目个数", "个", Some(t.count as f64), Fmt::Count),
        ("年度计划投资", "万元", t.plan, Fmt::Money),
        ("本年累计完成投资", "万元", t.done, Fmt::Money),
        ("完成率", "%", t.completion_rate, Fmt::Pct),
        ("时序进度", "%", Some(t.time_progress), Fmt::Pct),
        ("新开工项目", "个", Some(t.new_starts as f64), Fmt::Count),
        ("已开工项目", "个", Some(t.started as f64), Fmt::Count),
        ("开工率", "%", t.started_rate, Fmt::Pct),
        ("走访次数", "次", Some(v.visits as f64), Fmt::Count),
        ("走访企业", "家", Some(v.enterprises as f64), Fmt::Count),
        ("走访干部", "人", Some(v.cadres as f64), Fmt::Count),
        ("发现问题", "个", Some(v.problems as f64), Fmt::Count),
        ("已解决", "个", Some(v.resolved as f64), Fmt::Count),
        ("办理中", "个", Some(v.in_progress as f64), Fmt::Count),
        ("无法解决", "个", Some(v.unresolvable as f64), Fmt::Count),
        ("问题解决率", "%", v.resolution_rate, Fmt::Pct),
        ("按期办结率", "%", v.on_time_rate, Fmt::Pct),
        ("办结天数中位数", "天", v.median_days, Fmt::Pct),
        ("企业满意率", "%", v.satisfaction_rate, Fmt::Pct),
        ("逾期问题", "个", Some(v.overdue_count as f64), Fmt::Count),
    ];
    let spec2 = TableSpec {
        name: "tbl_main",
        title: format!("主要指标（{period}）"),
        unit: "单位：见“单位”列。".into(),
        source: "资料来源：重点项目台账和走访问题台账，statbrief 整理。".into(),
        columns: vec![col_cap("指标", Fmt::Text, 30.0), col("单位", Fmt::Text), col("数值", Fmt::Text)],
        rows: figures.into_iter().map(|(n, u, val, fm)| row(vec![text(n), text(u), num_as(val, fm)])).collect(),
        rules: vec![],
        notes: vec![],
    };
    s.table(f, next, &spec2, number)?;

    Ok(s)
}

fn projects(r: &Report, f: &Formats, period: &str, number: &mut u32) -> Result<Sheet, Error> {
    let mut s = Sheet::new("重点项目")?;
    let rows = r
        .projects
        .items
        .iter()
        .map(|p| {
            row(vec![
                opt_text(p.project_id.as_ref()),
                text(&p.name),
                text(&p.region),
                opt_text(p.chain.as_ref()),
                opt_text(p.level.as_ref()),
                opt_text(p.leader.as_ref()),
                num(p.plan),
                num(p.done),
                num(p.completion_rate),
                flag_cn(p.flag.as_deref()),
                opt_text(p.status.as_ref()),
                date(p.start_date.as_deref()),
                text(&p.source_file),
                text(&p.sheet),
                int(p.row as i64),
            ])
        })
        .collect();
    let month = r.projects.source_period.clone().unwrap_or_else(|| r.as_of.clone());
    let spec = TableSpec {
        name: "tbl_projects",
        title: format!("重点项目推进情况（{period}）"),
        unit: "单位：万元，%".into(),
        source: format!("资料来源：各地报送的重点项目台账（{month}），statbrief 整理；来源文件、工作表和行号指向台账原行。"),
        columns: vec![
            col("项目编号", Fmt::Text),
            col_cap("项目名称", Fmt::Text, 46.0),
            col("所属地区", Fmt::Text),
            col("产业链", Fmt::Text),
            col("项目级别", Fmt::Text),
            col("包抓领导", Fmt::Text),
            col("年度计划投资（万元）", Fmt::Money),
            col("本年累计完成投资（万元）", Fmt::Money),
            col("完成率（%）", Fmt::Pct),
            col("进度标识", Fmt::Mark),
            col("项目状态", Fmt::Text),
            col("开工日期", Fmt::Date),
            col_cap("来源文件", Fmt::Text, 36.0),
            col("工作表", Fmt::Text),
            col("行号", Fmt::Count),
        ],
        rows,
        rules: vec![flag_rule(9)],
        notes: vec![format!("注：{FLAG_NOTE}")],
    };
    s.table(f, 0, &spec, number)?;
    Ok(s)
}

fn project_cells(label: Cell, rank: Option<i64>, p: &ProjectFigures) -> Vec<Cell> {
    vec![
        label,
        int(p.count),
        num(p.plan),
        num(p.done),
        num(p.completion_rate),
        opt_int(rank),
        num(Some(p.time_progress)),
        flag_cn(p.flag.as_deref()),
        int(p.new_starts),
        int(p.started),
        num(p.started_rate),
        num(p.target),
        num(p.target_completion_rate),
        num(p.new_start_target),
        num(p.new_start_target_rate),
    ]
}

/// 分地区 / 分产业链 / 分包抓领导 / 分项目级别: the same table over a
/// different grouping, the whole first.
fn groups(r: &Report, f: &Formats, period: &str, name: &'static str, number: &mut u32) -> Result<Sheet, Error> {
    let (items, label, table, what): (&Vec<Grouped<ProjectFigures>>, &str, &'static str, &str) = match name {
        "分地区" => (&r.projects.by_region, "地区", "tbl_by_region", "分地区"),
        "分产业链" => (&r.projects.by_chain, "产业链", "tbl_by_chain", "分产业链"),
        "分包抓领导" => (&r.projects.by_leader, "包抓领导", "tbl_by_leader", "分包抓领导"),
        _ => (&r.projects.by_level, "项目级别", "tbl_by_level", "分项目级别"),
    };
    let mut s = Sheet::new(name)?;
    let mut rows = Vec::new();
    if !items.is_empty() {
        rows.push(total_row(project_cells(text("合计"), None, &r.projects.total)));
    }
    rows.extend(items.iter().map(|g| row(project_cells(text(&g.label), g.rank, &g.figures))));
    let month = r.projects.source_period.clone().unwrap_or_else(|| r.as_of.clone());
    let spec = TableSpec {
        name: table,
        title: format!("{what}重点项目推进情况（{period}）"),
        unit: "单位：万元，%，个".into(),
        source: format!("资料来源：各地报送的重点项目台账（{month}），statbrief 整理。"),
        columns: vec![
            col(label, Fmt::Text),
            col("项目个数（个）", Fmt::Count),
            col("年度计划投资（万元）", Fmt::Money),
            col("本年累计完成投资（万元）", Fmt::Money),
            col("完成率（%）", Fmt::Pct),
            col("排名", Fmt::Count),
            col("时序进度（%）", Fmt::Pct),
            col("进度标识", Fmt::Mark),
            col("新开工项目（个）", Fmt::Count),
            col("已开工项目（个）", Fmt::Count),
            col("开工率（%）", Fmt::Pct),
            col("年度投资目标（万元）", Fmt::Money),
            col("目标完成率（%）", Fmt::Pct),
            col("新开工目标（个）", Fmt::Count),
            col("新开工目标完成率（%）", Fmt::Pct),
        ],
        rows,
        rules: vec![flag_rule(7)],
        notes: vec![format!("注：排名按完成率从高到低，并列取较小名次；“合计”行不参加排名。{FLAG_NOTE}")],
    };
    let placed = s.table(f, 0, &spec, number)?;
    if name == "分地区" && placed.has_data && placed.last >= placed.first + placed.leading_totals {
        let (c_rate, c_progress) = (spec.col_index("完成率（%）")?, spec.col_index("时序进度（%）")?);
        let (first, last) = (placed.first + placed.leading_totals, placed.last);
        let mut chart = Chart::new(ChartType::Column);
        chart
            .add_series()
            .set_name("完成率（%）")
            .set_categories((name, first, 0, last, 0))
            .set_values((name, first, c_rate, last, c_rate))
            .set_data_label(ChartDataLabel::new().show_value().set_num_format("0.0"));
        let mut line = Chart::new(ChartType::Line);
        line.add_series()
            .set_name("时序进度（%）")
            .set_categories((name, first, 0, last, 0))
            .set_values((name, first, c_progress, last, c_progress))
            .set_marker(ChartMarker::new().set_none())
            .set_format(ChartLine::new().set_color("C00000").set_width(2.0));
        chart.combine(&line);
        titled(&mut chart, "各地区重点项目投资完成率与时序进度（%）");
        chart.y_axis().set_num_format("0").set_major_gridlines_line(&grid());
        chart.legend().set_position(ChartLegendPosition::Bottom);
        chart.set_alt_text("各地区重点项目投资完成率柱形图，折线为时序进度");
        s.chart_below(placed.next, &mut chart, spec.columns.len(), CHART_HEIGHT)?;
    }
    Ok(s)
}

fn indicators(r: &Report, f: &Formats, period: &str, number: &mut u32) -> Result<Sheet, Error> {
    let mut s = Sheet::new("经济指标")?;
    let whole = crate::stats::indicators::WHOLE;
    let cells = |i: &IndicatorFigures| {
        vec![
            text(&i.indicator),
            text(&i.region),
            opt_text(i.unit.as_ref()),
            num(i.ytd),
            num(i.ytd_ly),
            num(i.growth),
            num(i.month),
            num(i.month_prev),
            num(i.mom),
            opt_int(i.rank),
            num(i.contribution_pp),
            num(i.contribution_share),
            num(i.target_growth),
            num(i.gap_pp),
            num(i.target),
            num(i.target_completion_rate),
        ]
    };
    let rows: Vec<Row> = r.indicators.iter().map(|i| Row { cells: cells(i), total: i.region == whole }).collect();
    let spec = TableSpec {
        name: "tbl_indicators",
        title: format!("主要经济指标分地区完成情况（{period}）"),
        unit: "单位：本年累计、去年同期、本月、上月和总量目标为各指标的计量单位（货币为万元）；增速、环比、贡献率、目标完成率为%；拉动、差距为百分点".into(),
        source: format!("资料来源：各地报送的经济指标月报（{period}及上年同期）和目标任务表，statbrief 整理。"),
        columns: vec![
            col_cap("指标", Fmt::Text, 24.0),
            col("地区", Fmt::Text),
            col("计量单位", Fmt::Text),
            col("本年累计", Fmt::Money),
            col("去年同期", Fmt::Money),
            col("同比增长（%）", Fmt::Pct),
            col("本月", Fmt::Money),
            col("上月", Fmt::Money),
            col("环比（%）", Fmt::Pct),
            col("增速排名", Fmt::Count),
            col("拉动（百分点）", Fmt::Pct),
            col("贡献率（%）", Fmt::Pct),
            col("增速目标（%）", Fmt::Pct),
            col("差距（百分点）", Fmt::Pct),
            col("总量目标", Fmt::Money),
            col("目标完成率（%）", Fmt::Pct),
        ],
        rows,
        rules: vec![],
        notes: vec!["注：每项指标的“全部”行在前，为各地区之和（增速由和计算；只报增速的指标取报表合计行），不参加排名。".into()],
    };
    let placed = s.table(f, 0, &spec, number)?;

    // The headline indicator is the first one; its regions follow its whole
    // as one block in the model's order.
    if let Some(head) = r.indicators.first().map(|i| i.indicator.clone()) {
        let start = r.indicators.iter().position(|i| i.indicator == head && i.region != whole);
        if let Some(start) = start {
            let len = r.indicators[start..].iter().take_while(|i| i.indicator == head && i.region != whole).count();
            let c_growth = spec.col_index("同比增长（%）")?;
            let (first, last) = (placed.first + start as u32, placed.first + (start + len) as u32 - 1);
            let mut chart = Chart::new(ChartType::Column);
            chart
                .add_series()
                .set_name("同比增长（%）")
                .set_categories(("经济指标", first, 1, last, 1))
                .set_values(("经济指标", first, c_growth, last, c_growth))
                .set_data_label(ChartDataLabel::new().show_value().set_num_format("0.0"));
            titled(&mut chart, &format!("{head}分地区同比增长（%）"));
            chart.y_axis().set_num_format("0.0").set_major_gridlines_line(&grid());
            chart.x_axis().set_label_position(rust_xlsxwriter::ChartAxisLabelPosition::Low);
            chart.legend().set_hidden();
            chart.set_alt_text(format!("{head}分地区同比增长柱形图"));
            s.chart_below(placed.next, &mut chart, 10, CHART_HEIGHT)?;
        }
    }
    Ok(s)
}

fn problem_cells(label: Cell, p: &ProblemFigures) -> Vec<Cell> {
    vec![label, int(p.problems), int(p.resolved), int(p.in_progress), int(p.unresolvable), num(p.resolution_rate)]
}

fn problems(r: &Report, f: &Formats, period: &str, number: &mut u32) -> Result<Sheet, Error> {
    let mut s = Sheet::new("问题办理")?;
    let v = &r.visits;
    let whole = ProblemFigures {
        problems: v.problems,
        resolved: v.resolved,
        in_progress: v.in_progress,
        unresolvable: v.unresolvable,
        resolution_rate: v.resolution_rate,
    };
    let source = "资料来源：各单位报送的走访问题台账，statbrief 整理；同一问题出现在多期台账时以最新一期为准。".to_string();
    let parts: [(&Vec<Grouped<ProblemFigures>>, &str, &'static str, &str); 4] = [
        (&v.by_category, "问题类别", "tbl_problems_by_category", "按问题类别分"),
        (&v.by_tier, "办理层级", "tbl_problems_by_tier", "按办理层级分"),
        (&v.by_region, "地区", "tbl_problems_by_region", "按地区分"),
        (&v.by_unit, "干部单位", "tbl_problems_by_unit", "按干部单位分"),
    ];
    let mut top = 0;
    for (items, label, name, what) in parts {
        let ranked = name == "tbl_problems_by_unit";
        let mut columns = vec![
            col(label, Fmt::Text),
            col("问题数（个）", Fmt::Count),
            col("已解决（个）", Fmt::Count),
            col("办理中（个）", Fmt::Count),
            col("无法解决（个）", Fmt::Count),
            col("解决率（%）", Fmt::Pct),
        ];
        if ranked {
            columns.push(col("排名", Fmt::Count));
        }
        let with_rank = |mut cells: Vec<Cell>, rank: Option<i64>| {
            if ranked {
                cells.push(opt_int(rank));
            }
            cells
        };
        let mut rows = Vec::new();
        if !items.is_empty() {
            rows.push(total_row(with_rank(problem_cells(text("合计"), &whole), None)));
        }
        rows.extend(items.iter().map(|g| row(with_rank(problem_cells(text(&g.label), &g.figures), g.rank))));
        let spec = TableSpec {
            name,
            title: format!("企业反映问题办理情况（{what}，{period}）"),
            unit: "单位：个，%".into(),
            source: source.clone(),
            columns,
            rows,
            rules: vec![],
            notes: if ranked { vec!["注：干部单位按解决率从高到低排名，并列取较小名次。".into()] } else { vec![] },
        };
        let table_top = top;
        let placed = s.table(f, top, &spec, number)?;
        top = placed.next;
        if name == "tbl_problems_by_category" && placed.has_data && placed.last >= placed.first + placed.leading_totals {
            let (first, last) = (placed.first + placed.leading_totals, placed.last);
            let mut chart = Chart::new(ChartType::Bar);
            for (c, series) in [(1u16, "问题数"), (2, "已解决")] {
                chart
                    .add_series()
                    .set_name(series)
                    .set_categories(("问题办理", first, 0, last, 0))
                    .set_values(("问题办理", first, c, last, c))
                    .set_data_label(ChartDataLabel::new().show_value());
            }
            titled(&mut chart, "企业反映问题按类别分（个）");
            // In a bar chart the category axis is the y axis. Excel draws
            // its categories bottom-up; reversed, they read top-down in the
            // table's order, and crossing at the maximum keeps the value
            // axis at the bottom.
            chart.y_axis().set_reverse().set_crossing(ChartAxisCrossing::Max);
            chart.x_axis().set_num_format("0").set_major_gridlines_line(&grid());
            chart.legend().set_position(ChartLegendPosition::Bottom);
            let height = CHART_HEIGHT.max(100 + 22 * (last - first + 1));
            chart.set_alt_text("企业反映问题按类别分的条形图");
            // Beside the table (one column apart): the tables are narrow,
            // and under it the chart would take a page of its own.
            let below = s.chart(table_top, spec.columns.len() as u16 + 1, &mut chart, 520, height)?;
            top = top.max(below + 1);
        }
    }
    Ok(s)
}

fn overdue(r: &Report, f: &Formats, period: &str, number: &mut u32) -> Result<Sheet, Error> {
    let mut s = Sheet::new("逾期督办")?;
    let rows = r
        .visits
        .overdue
        .iter()
        .map(|o| {
            row(vec![
                text(&o.enterprise),
                text(&o.problem),
                opt_text(o.region.as_ref()),
                opt_text(o.cadre_unit.as_ref()),
                date(Some(&o.deadline)),
                int(o.days_overdue),
                text(&o.colour),
            ])
        })
        .collect();
    let spec = TableSpec {
        name: "tbl_overdue",
        title: format!("逾期未办结问题督办清单（截至{}年{}月底）", r.year, r.month),
        unit: "单位：天".into(),
        source: "资料来源：各单位报送的走访问题台账，statbrief 整理；办结时限未填的按办理层级的默认天数推算。".into(),
        columns: vec![
            col_cap("企业名称", Fmt::Text, 30.0),
            col_cap("问题", Fmt::Text, 40.0),
            col("所属地区", Fmt::Text),
            col("干部单位", Fmt::Text),
            col("办结时限", Fmt::Date),
            col("逾期天数（天）", Fmt::Count),
            col("督办颜色", Fmt::Mark),
        ],
        rows,
        rules: vec![Rule { column: 6, fills: vec![("蓝", Tone::Blue), ("黄", Tone::Yellow), ("红", Tone::Red)] }],
        notes: vec![format!(
            "注：按逾期天数从多到少排列；督办颜色 蓝 = 逾期1—7天，黄 = 8—30天，红 = 30天以上（默认阈值）。统计期 {period}。"
        )],
    };
    s.table(f, 0, &spec, number)?;
    Ok(s)
}

fn visits(r: &Report, f: &Formats, _period: &str, number: &mut u32) -> Result<Sheet, Error> {
    let mut s = Sheet::new("走访情况")?;
    let v = &r.visits;
    let mut rows: Vec<Row> =
        v.monthly.iter().map(|m| row(vec![text(format!("{}月", m.month)), int(m.visits), int(m.problems), int(m.resolved)])).collect();
    if !rows.is_empty() {
        rows.push(total_row(vec![text(format!("{}合计", ytd_label(r.month))), int(v.visits), int(v.problems), int(v.resolved)]));
    }
    let spec = TableSpec {
        name: "tbl_visits_monthly",
        title: format!("逐月走访企业和问题办理情况（{}年）", r.year),
        unit: "单位：次，个".into(),
        source: "资料来源：各单位报送的走访问题台账，statbrief 整理；按走访日期所在月份归月。".into(),
        columns: vec![
            col("月份", Fmt::Text),
            col("走访次数（次）", Fmt::Count),
            col("发现问题（个）", Fmt::Count),
            col("其中已解决（个）", Fmt::Count),
        ],
        rows,
        rules: vec![],
        notes: vec!["注：“其中已解决”为该月走访中发现、截至统计期末已解决的问题。".into()],
    };
    s.table(f, 0, &spec, number)?;
    Ok(s)
}

fn quality(r: &Report, f: &Formats, number: &mut u32) -> Result<Sheet, Error> {
    let mut s = Sheet::new("数据质量")?;
    let q = &r.data_quality;
    let mut rows = Vec::new();
    for file in &q.files {
        if let Some(e) = &file.error {
            let mut cells = vec![text(&file.path), Cell::Empty, Cell::Empty, Cell::Empty, text(e)];
            cells.extend(std::iter::repeat_n(Cell::Empty, 6));
            rows.push(row(cells));
        }
        for sh in &file.sheets {
            let mut remark = Vec::new();
            if sh.hidden {
                remark.push("隐藏工作表".to_string());
            }
            if !sh.ignored_columns.is_empty() {
                remark.push(format!("未用列：{}", sh.ignored_columns.join("、")));
            }
            rows.push(row(vec![
                text(&file.path),
                text(&sh.sheet),
                sh.kind.map_or(Cell::Empty, |k: Kind| text(k.chinese())),
                opt_text(sh.period.as_ref()),
                opt_text(sh.skipped_reason.as_ref()),
                int(sh.rows as i64),
                int(sh.accepted as i64),
                int(sh.blank as i64),
                int(sh.total_rows as i64),
                int(sh.rejected as i64),
                if remark.is_empty() { Cell::Empty } else { text(remark.join("；")) },
            ]));
        }
    }
    let spec = TableSpec {
        name: "tbl_row_accounting",
        title: "各工作表读取行数核对".into(),
        unit: "单位：行；行数 = 接收 + 空行 + 合计行 + 拒收".into(),
        source: "资料来源：statbrief 读取输入文件夹时的记录。".into(),
        columns: vec![
            col_cap("文件", Fmt::Text, 40.0),
            col("工作表", Fmt::Text),
            col("类型", Fmt::Text),
            col("报告期", Fmt::Text),
            col_cap("未读取原因", Fmt::Text, 50.0),
            col("行数", Fmt::Count),
            col("接收", Fmt::Count),
            col("空行", Fmt::Count),
            col("合计行", Fmt::Count),
            col("拒收", Fmt::Count),
            col_cap("备注", Fmt::Text, 30.0),
        ],
        rows,
        rules: vec![],
        notes: vec![],
    };
    let placed = s.table(f, 0, &spec, number)?;

    let issues = q
        .issues
        .iter()
        .map(|i| {
            row(vec![
                text(&i.file),
                opt_text(i.sheet.as_ref()),
                text(i.severity.chinese()),
                opt_text(i.cell.as_ref()),
                text(&i.message),
                opt_text(i.value.as_ref()),
                opt_text(i.column.as_ref()),
            ])
        })
        .collect();
    let spec2 = TableSpec {
        name: "tbl_issues",
        title: "数据问题清单".into(),
        unit: "级别：错误 = 该行被拒收或文件、工作表未能使用；警告 = 数据已使用但需核对；提示 = 供参考".into(),
        source: "资料来源：statbrief 读取和计算时的检查记录；单元格为台账原表中的位置。".into(),
        // Ordered so that the wide columns fall under the wide columns of
        // the accounting table above (column widths are shared).
        columns: vec![
            col_cap("文件", Fmt::Text, 40.0),
            col("工作表", Fmt::Text),
            col("级别", Fmt::Mark),
            col("单元格", Fmt::Text),
            col_cap("说明", Fmt::Text, 50.0),
            col_cap("原值", Fmt::Text, 20.0),
            col("列", Fmt::Text),
        ],
        rows: issues,
        rules: vec![Rule { column: 2, fills: vec![("错误", Tone::Red), ("警告", Tone::Yellow)] }],
        notes: vec![],
    };
    s.table(f, placed.next, &spec2, number)?;
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_in_words() {
        assert_eq!(period_words(2025, 6), "2025年1—6月");
        assert_eq!(period_words(2025, 1), "2025年1月");
    }

    #[test]
    fn numbers_are_measured_as_shown() {
        assert_eq!(shown(1234567.891, 2), "1,234,567.89");
        assert_eq!(shown(-1234.0, 0), "-1,234");
        assert_eq!(shown(12.0, 0), "12");
        // A CJK character is two units wide, not one.
        assert!(units("重点项目") > 7.9);
    }
}
