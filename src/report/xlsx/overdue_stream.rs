//! The 逾期督办 sheet of a large run, streamed in rust_xlsxwriter's
//! constant-memory mode (issue 9).
//!
//! The ordinary sheets are built as tables in memory and laid out at the
//! end (row heights from wrapped text, page breaks between blocks). At
//! province scale the overdue list has some 450,000 rows: built that way it
//! held the list three times (the report's, the table's cells, the
//! worksheet's) and took most of the workbook's memory. Past
//! [`STREAM_FROM`] rows it is written row by row instead, straight from the
//! report's overdue table: the same title, unit, header, colours, source and
//! notes in the same cells, a filtered header row in place of the Excel
//! table, fixed column widths and no computed row heights (text columns
//! wrap, and the spreadsheet sizes their rows).

use super::formats::{xl, Fmt, Formats, LINE_PT, PAPER_A4};
use super::sheet::{escape_hf, header_lines, header_text, Page};
use super::SheetId;
use crate::error::Error;
use crate::model::Report;
use crate::report::cell_text::fit;
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    ConditionalFormatCell, ConditionalFormatCellRule, ConditionalFormatFormula, Workbook, Worksheet,
};
use rust_xlsxwriter::{ExcelDateTime, FormatBorder};

/// Overdue lists at least this long are streamed; shorter ones keep the
/// ordinary layout.
pub(super) const STREAM_FROM: usize = 5_000;

/// (header, width, format) of each column.
const COLUMNS: [(&str, f64, Fmt); 7] = [
    ("企业名称", 30.0, Fmt::Text),
    ("问题", 40.0, Fmt::Text),
    ("所属地区", 12.0, Fmt::Text),
    ("干部单位", 16.0, Fmt::Text),
    ("办结时限", 12.0, Fmt::Date),
    ("逾期天数（天）", 10.0, Fmt::Count),
    ("督办颜色", 10.0, Fmt::Mark),
];

pub(super) fn overdue_streamed(
    r: &Report,
    f: &Formats,
    period: &str,
    page: &Page,
    number: &mut u32,
    wb: &mut Workbook,
) -> Result<(), Error> {
    *number += 1;
    let ws = wb.add_worksheet_with_constant_memory().map_err(xl)?;
    ws.set_name(SheetId::Overdue.name()).map_err(xl)?;
    setup(ws, f, page)?;
    let title = format!("表{number}　逾期未办结问题督办清单（截至{}年{}月底）", r.year, r.month);
    ws.write_string_with_format(0, 0, &title, &f.title).map_err(xl)?;
    ws.write_string_with_format(1, 0, "单位：天", &f.unit).map_err(xl)?;
    let list = &r.visits.overdue_all;
    let (header, first) = (2u32, 3u32);
    let last = header + list.len().max(1) as u32;
    // A header row with a filter, not an Excel table: a table over 450,000
    // rows made rust_xlsxwriter record every cell of its range for its
    // overlap check (~100 MB and a tenth of the sheet's time). Supervisors
    // filter by region or unit with the autofilter just the same.
    // The header row's height as the ordinary sheets size theirs (a wrapped
    // 逾期天数（天） needs two lines), set before the row is written: in
    // constant-memory mode a row is final once written past.
    let lines = COLUMNS.iter().map(|(h, w, _)| header_lines(&header_text(h), *w)).fold(1.0, f64::max);
    if lines > 1.0 {
        ws.set_row_height(header, lines * LINE_PT + 2.0).map_err(xl)?;
    }
    for (c, (h, _, _)) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(header, c as u16, header_text(h), &f.header).map_err(xl)?;
    }
    ws.autofilter(header, 0, last, COLUMNS.len() as u16 - 1).map_err(xl)?;
    // Data cells are written without a format of their own: each column
    // carries its format (wrap, date, count) and one conditional format draws
    // the grid over the data range. rust_xlsxwriter hashes a cell's whole
    // Format on every formatted write, which over 3 M cells took a third of
    // this sheet's time; an unformatted cell takes its column's format when
    // the row is written (an xf lookup, no hashing). The colour column is
    // left out of the grid rule: LibreOffice applies only the first true
    // conditional format of a cell, so there each colour rule draws the
    // border along with its fill (every cell holds one of the three
    // colours).
    for (i, o) in list.rows()?.iter().enumerate() {
        let row = first + i as u32;
        let texts = [Some(o.enterprise), Some(o.problem), o.region, o.cadre_unit];
        for (c, t) in texts.iter().enumerate() {
            // Always a string: ledger text never becomes a formula. A
            // missing value is left unwritten (the grid still frames it).
            if let Some(t) = t {
                ws.write_string(row, c as u16, fit(t).as_ref()).map_err(xl)?;
            }
        }
        match o.deadline.map(|d| (d, excel_serial(d))) {
            Some((_, Some(serial))) => ws.write_number(row, 4, serial).map_err(xl)?,
            Some((d, None)) => ws.write_string(row, 4, d.format("%Y-%m-%d").to_string()).map_err(xl)?,
            None => ws,
        };
        ws.write_number(row, 5, o.days_overdue as f64).map_err(xl)?;
        ws.write_string(row, 6, o.colour.as_str()).map_err(xl)?;
    }
    if !list.is_empty() {
        let grid = ConditionalFormatFormula::new().set_rule("TRUE").set_format(&f.grid);
        ws.add_conditional_format(first, 0, last, COLUMNS.len() as u16 - 2, &grid).map_err(xl)?;
    }
    for (value, format) in ["蓝", "黄", "红"].into_iter().zip(&f.cf_framed) {
        let cf = ConditionalFormatCell::new().set_rule(ConditionalFormatCellRule::EqualTo(value)).set_format(format);
        ws.add_conditional_format(first, 6, last, 6, &cf).map_err(xl)?;
    }
    let source = "资料来源：各单位报送的走访问题台账，statbrief 整理；办结时限未填的按办理层级的默认天数推算。";
    ws.write_string_with_format(last + 1, 0, source, &f.source).map_err(xl)?;
    let note = format!(
        "注：按逾期天数从多到少排列；督办颜色 蓝 = 逾期1—7天，黄 = 8—30天，红 = 30天以上（默认阈值）。统计期 {period}。"
    );
    ws.write_string_with_format(last + 2, 0, &note, &f.source).map_err(xl)?;
    Ok(())
}

/// Widths, print setup and frozen header, all before the first row.
fn setup(ws: &mut Worksheet, f: &Formats, page: &Page) -> Result<(), Error> {
    for (c, (_, w, fmt)) in COLUMNS.iter().enumerate() {
        ws.set_column_width(c as u16, *w).map_err(xl)?;
        // The data format without its border (the grid is drawn over the
        // data rows only, not down the whole column); the two long texts wrap.
        let format = if c < 2 { f.wrap.clone() } else { f.data(*fmt, false).clone() };
        ws.set_column_format(c as u16, &format.set_border(FormatBorder::None)).map_err(xl)?;
    }
    ws.set_paper_size(PAPER_A4).set_landscape().set_print_fit_to_pages(1, 0);
    ws.set_header(format!("&L{}&R{}", escape_hf(&page.title), escape_hf(SheetId::Overdue.name())));
    ws.set_footer(format!("&L{}&C第 &P 页，共 &N 页&R{}", escape_hf(&page.office), escape_hf(&page.period)));
    ws.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    ws.set_freeze_panes(3, 0).map_err(xl)?;
    ws.set_repeat_rows(0, 2).map_err(xl)?;
    Ok(())
}

/// A date as Excel's serial day number, by rust_xlsxwriter's own
/// conversion; `None` for a date Excel cannot show (before 1900 or after
/// 9999), which is then written as its text rather than lost.
fn excel_serial(d: NaiveDate) -> Option<f64> {
    let year = u16::try_from(d.year()).ok()?;
    let (month, day) = (u8::try_from(d.month()).ok()?, u8::try_from(d.day()).ok()?);
    ExcelDateTime::from_ymd(year, month, day).ok().map(|x| x.to_excel())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_serial_numbers_are_excels() {
        // Excel shows 45658 as 2025-01-01, and 61 as 1900-03-01: from March
        // 1900 on, past Excel's phantom 1900-02-29 (day 60), its serials
        // count from 1899-12-30.
        let serial = |y, m, d| excel_serial(NaiveDate::from_ymd_opt(y, m, d).unwrap());
        assert_eq!(serial(2025, 1, 1), Some(45658.0));
        assert_eq!(serial(1900, 3, 1), Some(61.0));
        assert_eq!(serial(1899, 12, 30), None);
        assert_eq!(serial(10_000, 1, 1), None);
    }
}
