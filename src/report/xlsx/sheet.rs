//! A sheet being written: it tracks column widths, wrapped rows and the
//! blocks (tables, charts) that should not be split across printed pages, so
//! that all of it is sized from the content once everything is on the sheet;
//! then the print setup (A4 landscape, repeated headers, header and footer).

use super::formats::*;
use super::measure::*;
use super::table::*;
use super::SheetId;
use crate::error::Error;
use rust_xlsxwriter::{
    Chart, ChartFont, ChartLine, ConditionalFormatCell, ConditionalFormatCellRule, Format, Table, TableColumn,
    TableStyle, Url, Worksheet,
};

pub(super) struct Sheet {
    pub(super) ws: Worksheet,
    pub(super) name: &'static str,
    pub(super) need: Vec<f64>,
    /// Data cells that may wrap: (row, column, content width).
    pub(super) wraps: Vec<(u32, u16, f64)>,
    /// Header cells: (row, column, text); they wrap at their unit bracket.
    pub(super) headers: Vec<(u32, u16, String)>,
    /// Minimum row heights (points): the cover title, rows beside a chart.
    pub(super) heights: Vec<(u32, f64)>,
    /// Rows (first, last) kept on one printed page where they fit on one.
    pub(super) blocks: Vec<(u32, u32)>,
    /// Widest chart, in pixels: it counts towards the printed width.
    pub(super) chart_px: u32,
    pub(super) tables: u32,
    /// Header row of the sheet's only table: frozen and repeated on print.
    pub(super) single_header: Option<u32>,
}

/// Excel's default row height and LibreOffice's, points.
pub(super) const ROW_PT: f64 = 15.0;
pub(super) const ROW_PT_LOW: f64 = 12.8;
/// A4 landscape less the margins set in [`Sheet::finish`], points.
pub(super) const PRINT_WIDTH_PT: f64 = 842.0 - 72.0;
pub(super) const PRINT_HEIGHT_PT: f64 = 595.0 - 2.0 * 43.2;

pub(super) fn column_px(width: f64) -> f64 {
    // Excel's conversion for the default font: 7 px a unit plus 5 px padding.
    (width * 7.0 + 5.0).floor()
}

/// A header as shown: a long one breaks before its unit bracket,
/// `本年累计完成投资` / `（万元）`. The break is an explicit line feed
/// because renderers measure CJK text differently (Excel, WPS and
/// LibreOffice would each wrap a sized column at another character, and
/// some split `（万元）` itself); rust_xlsxwriter escapes it in the table
/// XML the way Excel expects.
pub(super) fn header_text(header: &str) -> String {
    match header.find('（') {
        Some(i) if i > 0 && units(header) > 12.0 => format!("{}\n{}", &header[..i], &header[i..]),
        _ => header.to_string(),
    }
}

/// Lines a header needs in a column `width` units wide.
pub(super) fn header_lines(header: &str, width: f64) -> f64 {
    let room = (width - 1.0).max(1.0);
    header.lines().map(|l| (line_units(l) / room).ceil().max(1.0)).sum()
}

impl Sheet {
    pub(super) fn new(id: SheetId) -> Result<Sheet, Error> {
        let name = id.name();
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

    pub(super) fn need(&mut self, col: u16, width: f64) {
        let c = col as usize;
        if self.need.len() <= c {
            self.need.resize(c + 1, 0.0);
        }
        self.need[c] = self.need[c].max(width);
    }

    /// Width of columns `from..to` in pixels, as sized so far.
    pub(super) fn width_px(&self, from: usize, to: usize) -> u32 {
        self.need.iter().take(to).skip(from).map(|&w| column_px(w)).sum::<f64>() as u32
    }

    /// A line of text outside any table (titles, units, sources, notes).
    /// It may run across empty cells to its right, so it sets no width.
    pub(super) fn line(&mut self, row: u32, col: u16, s: &str, f: &Format) -> Result<(), Error> {
        self.ws.write_string_with_format(row, col, crate::report::cell_text::fit(s).as_ref(), f).map_err(xl)?;
        Ok(())
    }

    /// Inserts a chart at (`row`, `col`), `width_px` wide, and gives the
    /// rows it covers a fixed height, so that it covers the same rows in
    /// Excel and LibreOffice (their default row heights differ) and nothing
    /// below it is hidden. Returns the first row below it.
    pub(super) fn chart(
        &mut self,
        row: u32,
        col: u16,
        chart: &mut Chart,
        width_px: u32,
        height_px: u32,
    ) -> Result<u32, Error> {
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
    pub(super) fn chart_below(
        &mut self,
        row: u32,
        chart: &mut Chart,
        table_cols: usize,
        height_px: u32,
    ) -> Result<u32, Error> {
        let width = self.width_px(0, table_cols).clamp(560, 960);
        Ok(self.chart(row, 0, chart, width, height_px)? + 1)
    }

    /// Writes a table with its title line, unit line, header, data, source
    /// line and notes, starting at `top`; returns where it landed.
    // Long because a table's cells, widths, conditional formats and print
    // block are written together from one spec; split, they would drift apart.
    pub(super) fn table(&mut self, f: &Formats, top: u32, t: &TableSpec, number: &mut u32) -> Result<Placed, Error> {
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
        let wrapping: Vec<bool> =
            t.columns.iter().zip(&data_need).map(|(c, &n)| c.fmt == Fmt::Text && n > c.cap).collect();

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
                        self.ws
                            .write_string_with_format(row, cu, crate::report::cell_text::fit(s).as_ref(), fmt)
                            .map(|_| ())
                    }
                    Cell::Num(v) => self.ws.write_number_with_format(row, cu, *v, fmt).map(|_| ()),
                    Cell::NumAs(v, own) => {
                        self.ws.write_number_with_format(row, cu, *v, f.data(*own, r.total)).map(|_| ())
                    }
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
        let table =
            Table::new().set_name(t.name).set_columns(&columns).set_style(TableStyle::Light1).set_autofilter(false);
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
                let cf = ConditionalFormatCell::new()
                    .set_rule(ConditionalFormatCellRule::EqualTo(*value))
                    .set_format(format);
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
    pub(super) fn page_breaks(&self, widths: &[f64], heights: &std::collections::BTreeMap<u32, f64>) -> Vec<u32> {
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
    pub(super) fn finish(mut self, page: &Page) -> Result<Worksheet, Error> {
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
pub(super) fn escape_hf(s: &str) -> String {
    s.replace('&', "&&")
}

/// What every sheet's header and footer shows.
pub(super) struct Page {
    pub(super) title: String,
    pub(super) office: String,
    pub(super) period: String,
}

pub(super) fn titled(chart: &mut Chart, title: &str) {
    // A chart title beginning with `=` is read as a cell reference; one that
    // starts with ledger text (the indicator's name) must stay text.
    let title = if title.starts_with('=') { format!(" {title}") } else { title.to_string() };
    chart.title().set_name(title.as_str()).set_font(ChartFont::new().set_size(12).set_bold());
}

pub(super) fn grid() -> ChartLine {
    let mut line = ChartLine::new();
    line.set_color("D9D9D9");
    line
}
