//! The workbook's formats, defined once up front as rust_xlsxwriter's
//! examples do, and the layout constants every sheet shares.

use crate::error::Error;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, FormatUnderline, XlsxError};

pub(super) const PAPER_A4: u8 = 9;
/// Chart height in pixels; the width follows the table above the chart.
pub(super) const CHART_HEIGHT: u32 = 330;
/// Widest a column may grow (Excel width units, ≈ one digit each) before
/// its text wraps instead.
pub(super) const DEFAULT_CAP: f64 = 32.0;
/// Points per wrapped line: CJK glyphs need a little more than Excel's 15 pt
/// default row, or the second line of a wrapped cell is clipped.
pub(super) const LINE_PT: f64 = 16.0;

// Excel's own "good / neutral / bad" cell styles, so the colours mean what
// Excel users already read them as; blue for the mildest supervision level.
pub(super) const GREEN: (&str, &str) = ("C6EFCE", "006100");
pub(super) const YELLOW: (&str, &str) = ("FFEB9C", "9C5700");
pub(super) const RED: (&str, &str) = ("FFC7CE", "9C0006");
pub(super) const BLUE: (&str, &str) = ("DDEBF7", "1F4E79");

/// How a column's numbers are shown. Money is 万元 with two decimals,
/// percentages and percentage points one decimal, counts and ranks whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fmt {
    Text,
    Money,
    Pct,
    Count,
    Date,
    /// A short code read at a glance (flag, supervision colour, severity): centred.
    Mark,
}

impl Fmt {
    pub(super) const ALL: [Fmt; 6] = [Fmt::Text, Fmt::Money, Fmt::Pct, Fmt::Count, Fmt::Date, Fmt::Mark];

    pub(super) fn num_format(self) -> &'static str {
        match self {
            Fmt::Text | Fmt::Mark => "General",
            Fmt::Money => "#,##0.00",
            Fmt::Pct => "0.0",
            Fmt::Count => "#,##0",
            Fmt::Date => "yyyy-mm-dd",
        }
    }

    pub(super) fn index(self) -> usize {
        self as usize
    }
}

pub(super) struct Formats {
    pub(super) cover_title: Format,
    pub(super) cover_label: Format,
    pub(super) cover_date: Format,
    pub(super) cover_text: Format,
    pub(super) title: Format,
    pub(super) unit: Format,
    pub(super) source: Format,
    pub(super) header: Format,
    /// Data cells by [`Fmt`]; `total` is the bold variant for 合计/全部 rows.
    pub(super) cell: Vec<Format>,
    pub(super) total: Vec<Format>,
    pub(super) wrap: Format,
    pub(super) wrap_total: Format,
    pub(super) link: Format,
    pub(super) cf_green: Format,
    pub(super) cf_yellow: Format,
    pub(super) cf_red: Format,
    pub(super) cf_blue: Format,
    /// The data cells' thin grey border alone, for a conditional format
    /// that draws the grid of a streamed sheet (see `overdue_stream`).
    pub(super) grid: Format,
    /// The streamed sheet's 督办颜色 fills, blue, yellow and red, each with
    /// the grid's border: there a colour rule draws the cell's frame too.
    pub(super) cf_framed: [Format; 3],
}

/// A format with the data cells' thin grey border.
pub(super) fn framed(f: Format) -> Format {
    f.set_border(FormatBorder::Thin).set_border_color("BFBFBF")
}

impl Formats {
    pub(super) fn new() -> Formats {
        let data = |fmt: Fmt| {
            let f = framed(Format::new().set_align(FormatAlign::VerticalCenter));
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
            header: framed(
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
            link: framed(
                Format::new()
                    .set_font_color("0563C1")
                    .set_underline(FormatUnderline::Single)
                    .set_align(FormatAlign::VerticalCenter),
            ),
            cf_green: fill(GREEN),
            cf_yellow: fill(YELLOW),
            cf_red: fill(RED),
            cf_blue: fill(BLUE),
            grid: framed(Format::new()),
            cf_framed: [BLUE, YELLOW, RED].map(|c| framed(fill(c))),
        }
    }

    pub(super) fn data(&self, fmt: Fmt, total: bool) -> &Format {
        if total {
            &self.total[fmt.index()]
        } else {
            &self.cell[fmt.index()]
        }
    }
}

pub(super) fn xl(e: XlsxError) -> Error {
    Error::Output(e.to_string())
}
