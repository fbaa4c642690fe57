//! The table model: what a sheet writes (cells, columns, rows, conditional
//! fills), independent of where it lands, and the flag wording of cells.

use super::formats::*;
use crate::error::Error;
use crate::model::Flag;
use chrono::NaiveDate;

/// One cell of a table. Ledger text is only ever [`Cell::Text`], which is
/// written with `write_string`, so `=HYPERLINK(…)` from a ledger stays text.
#[derive(Debug, Clone)]
pub(super) enum Cell {
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

pub(super) fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

pub(super) fn opt_text(s: Option<&String>) -> Cell {
    s.map_or(Cell::Empty, |s| Cell::Text(s.clone()))
}

/// A figure; `None` (and, defensively, NaN or infinity) is an empty cell.
pub(super) fn num(v: Option<f64>) -> Cell {
    match v {
        Some(v) if v.is_finite() => Cell::Num(v),
        _ => Cell::Empty,
    }
}

pub(super) fn num_as(v: Option<f64>, fmt: Fmt) -> Cell {
    match v {
        Some(v) if v.is_finite() => Cell::NumAs(v, fmt),
        _ => Cell::Empty,
    }
}

pub(super) fn int(v: i64) -> Cell {
    Cell::Num(v as f64)
}

pub(super) fn opt_int(v: Option<i64>) -> Cell {
    v.map_or(Cell::Empty, int)
}

/// A `YYYY-MM-DD` date from the model as a real date; anything else stays
/// visible as text rather than being dropped.
pub(super) fn date(s: Option<&str>) -> Cell {
    match s {
        None => Cell::Empty,
        Some(s) => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(d) => Cell::Date(d),
            Err(_) => Cell::Text(s.to_string()),
        },
    }
}

pub(super) struct Column {
    pub(super) header: String,
    pub(super) fmt: Fmt,
    /// Width at which text wraps.
    pub(super) cap: f64,
}

pub(super) fn col(header: &str, fmt: Fmt) -> Column {
    Column { header: header.to_string(), fmt, cap: DEFAULT_CAP }
}

pub(super) fn col_cap(header: &str, fmt: Fmt, cap: f64) -> Column {
    Column { header: header.to_string(), fmt, cap }
}

pub(super) struct Row {
    pub(super) cells: Vec<Cell>,
    /// A 合计 / 全部 row: bold, and left out of charts.
    pub(super) total: bool,
}

pub(super) fn row(cells: Vec<Cell>) -> Row {
    Row { cells, total: false }
}

pub(super) fn total_row(cells: Vec<Cell>) -> Row {
    Row { cells, total: true }
}

/// Conditional fills on one text column: (value, fill) pairs.
pub(super) struct Rule {
    pub(super) column: usize,
    pub(super) fills: Vec<(&'static str, Tone)>,
}

#[derive(Clone, Copy)]
pub(super) enum Tone {
    Green,
    Yellow,
    Red,
    Blue,
}

pub(super) struct TableSpec {
    /// Excel table name (ASCII: table names end up in formulas).
    pub(super) name: &'static str,
    pub(super) title: String,
    pub(super) unit: String,
    pub(super) source: String,
    pub(super) columns: Vec<Column>,
    pub(super) rows: Vec<Row>,
    pub(super) rules: Vec<Rule>,
    pub(super) notes: Vec<String>,
}

impl TableSpec {
    pub(super) fn col_index(&self, header: &str) -> Result<u16, Error> {
        self.columns
            .iter()
            .position(|c| c.header == header)
            .map(|i| i as u16)
            .ok_or_else(|| Error::Internal(format!("briefing.xlsx: no column {header} in {}", self.name)))
    }
}

/// Where a table landed on its sheet.
#[derive(Debug, Clone, Copy)]
pub(super) struct Placed {
    /// First and last data row (a table without data keeps one empty row:
    /// Excel tables need one).
    pub(super) first: u32,
    pub(super) last: u32,
    /// Rows that are 合计/全部 at the top of the data, left out of charts.
    pub(super) leading_totals: u32,
    /// First free row below the table's source line and notes.
    pub(super) next: u32,
    pub(super) has_data: bool,
}

pub(super) fn flag_cn(flag: Option<Flag>) -> Cell {
    flag.map_or(Cell::Empty, |f| text(f.colour_word()))
}

pub(super) fn flag_rule(column: usize) -> Rule {
    let fill = |f: Flag, tone| (f.colour_word(), tone);
    Rule {
        column,
        fills: vec![fill(Flag::Green, Tone::Green), fill(Flag::Yellow, Tone::Yellow), fill(Flag::Red, Tone::Red)],
    }
}

/// Met / not met, for targets the model carries no flag for.
pub(super) fn met(actual: Option<f64>, target: Option<f64>) -> Cell {
    match (actual, target) {
        (Some(a), Some(t)) if a.is_finite() && t.is_finite() => {
            flag_cn(Some(if a >= t { Flag::Green } else { Flag::Red }))
        }
        _ => Cell::Empty,
    }
}

pub(super) fn diff(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    Some(a? - b?)
}

pub(super) const FLAG_NOTE: &str =
    "进度标识：绿 = 完成率不低于时序进度；黄 = 低于时序进度但在黄色区间内（默认10个百分点）；红 = 落后更多。";
