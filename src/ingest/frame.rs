//! Normalised ledger tables: one polars frame per kind.
//!
//! Accepted rows go straight into polars column builders (Arrow buffers), so
//! a million-row ledger costs no allocation per cell. Every row carries its
//! source file, sheet and Excel row number, so any figure can be traced back
//! to the cells it came from. The column names here are the contract between
//! ingestion, the statistics and the tidy data written for analysts.

use super::columns::{self, ColType};
use crate::model::{Column, Kind};
use polars::prelude::*;
use std::borrow::Cow;

/// Trace and period columns that every normalised row carries.
pub const SOURCE_FILE: &str = Column::SourceFile.name();
pub const SHEET: &str = Column::Sheet.name();
/// 1-based Excel row number.
pub const ROW: &str = Column::Row.name();
/// `YYYY-MM` (or `YYYY` for targets).
pub const PERIOD: &str = Column::Period.name();
pub const YEAR: &str = Column::Year.name();
/// 1..=12; null for targets.
pub const MONTH: &str = Column::Month.name();
/// Indicators only: the row is a reported total (合计/全县), kept for the cross-check.
pub const IS_TOTAL: &str = Column::IsTotal.name();
/// Targets only: `growth` (a % target), `amount` (money, in 万元) or `count`.
pub const TARGET_TYPE: &str = Column::TargetType.name();

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutType {
    Str,
    F64,
    Date,
    I32,
    Bool,
}

/// The output schema of a kind: trace columns, then the kind's canonical
/// columns in their table order, then the kind's extra columns.
pub fn schema(kind: Kind) -> Vec<(Column, OutType)> {
    let mut out = vec![
        (Column::SourceFile, OutType::Str),
        (Column::Sheet, OutType::Str),
        (Column::Row, OutType::I32),
        (Column::Period, OutType::Str),
        (Column::Year, OutType::I32),
        (Column::Month, OutType::I32),
    ];
    for def in columns::columns(kind) {
        // A target's year is the row's `year`.
        if def.ty == ColType::Year {
            continue;
        }
        let ty = match def.ty {
            ColType::Text | ColType::Period => OutType::Str,
            ColType::Money | ColType::Number | ColType::Percent => OutType::F64,
            ColType::Date => OutType::Date,
            ColType::Year => OutType::I32,
        };
        out.push((def.col, ty));
    }
    match kind {
        Kind::Indicators => {
            out.push((Column::IsTotal, OutType::Bool));
            out.push((Column::SourceCells, OutType::Str));
        }
        Kind::Targets => out.push((Column::TargetType, OutType::Str)),
        _ => {}
    }
    out
}

/// One value of a row being assembled.
#[derive(Debug, Clone, PartialEq)]
pub enum Val<'a> {
    Null,
    Str(Cow<'a, str>),
    F64(f64),
    /// Days since 1970-01-01.
    Date(i32),
    I32(i32),
    Bool(bool),
}

enum ColBuilder {
    Str(StringChunkedBuilder),
    F64(PrimitiveChunkedBuilder<Float64Type>),
    Date(PrimitiveChunkedBuilder<Int32Type>),
    I32(PrimitiveChunkedBuilder<Int32Type>),
    Bool(BooleanChunkedBuilder),
}

/// Builds one kind's frame row by row.
pub struct FrameBuilder {
    names: Vec<Column>,
    cols: Vec<ColBuilder>,
    len: usize,
    /// The position of each column, by the column's discriminant: looked up
    /// several times for every row, where a scan of the names cost ~2 % of
    /// a province's `check`.
    slots: Vec<Option<usize>>,
}

impl FrameBuilder {
    pub fn new(kind: Kind, capacity: usize) -> Self {
        let schema = schema(kind);
        let names: Vec<Column> = schema.iter().map(|(n, _)| *n).collect();
        let cols = schema
            .iter()
            .map(|(n, t)| {
                let name = PlSmallStr::from_static(n.name());
                match t {
                    OutType::Str => ColBuilder::Str(StringChunkedBuilder::new(name, capacity)),
                    OutType::F64 => ColBuilder::F64(PrimitiveChunkedBuilder::new(name, capacity)),
                    OutType::Date => ColBuilder::Date(PrimitiveChunkedBuilder::new(name, capacity)),
                    OutType::I32 => ColBuilder::I32(PrimitiveChunkedBuilder::new(name, capacity)),
                    OutType::Bool => ColBuilder::Bool(BooleanChunkedBuilder::new(name, capacity)),
                }
            })
            .collect();
        let mut slots = vec![None; names.iter().map(|c| *c as usize + 1).max().unwrap_or(0)];
        for (i, c) in names.iter().enumerate() {
            slots[*c as usize] = Some(i);
        }
        FrameBuilder { names, cols, len: 0, slots }
    }

    /// Position of a column in the row passed to [`FrameBuilder::push`].
    pub fn position(&self, column: Column) -> Option<usize> {
        self.slots.get(column as usize).copied().flatten()
    }

    pub fn width(&self) -> usize {
        self.names.len()
    }

    /// Appends one row; `row` is in schema order. A value of the wrong type
    /// becomes null rather than a panic: the caller's types come from the
    /// same schema, so this only guards against a programming slip.
    pub fn push(&mut self, row: &[Val<'_>]) {
        for (i, col) in self.cols.iter_mut().enumerate() {
            let v = row.get(i).unwrap_or(&Val::Null);
            match (col, v) {
                (ColBuilder::Str(b), Val::Str(s)) => b.append_value(s.as_ref()),
                (ColBuilder::Str(b), _) => b.append_null(),
                (ColBuilder::F64(b), Val::F64(x)) => b.append_value(*x),
                (ColBuilder::F64(b), _) => b.append_null(),
                (ColBuilder::Date(b), Val::Date(d)) => b.append_value(*d),
                (ColBuilder::Date(b), _) => b.append_null(),
                (ColBuilder::I32(b), Val::I32(x)) => b.append_value(*x),
                (ColBuilder::I32(b), _) => b.append_null(),
                (ColBuilder::Bool(b), Val::Bool(x)) => b.append_value(*x),
                (ColBuilder::Bool(b), _) => b.append_null(),
            }
        }
        self.len += 1;
    }

    pub fn finish(self) -> PolarsResult<DataFrame> {
        let height = self.len;
        let mut columns = Vec::with_capacity(self.cols.len());
        for col in self.cols {
            let series = match col {
                ColBuilder::Str(b) => b.finish().into_series(),
                ColBuilder::F64(b) => b.finish().into_series(),
                ColBuilder::Date(b) => b.finish().into_series().cast(&DataType::Date)?,
                ColBuilder::I32(b) => b.finish().into_series(),
                ColBuilder::Bool(b) => b.finish().into_series(),
            };
            columns.push(series.into_column());
        }
        DataFrame::new(height, columns)
    }
}

/// An empty frame of a kind, so every later stage sees all four tables.
pub fn empty_frame(kind: Kind) -> PolarsResult<DataFrame> {
    FrameBuilder::new(kind, 0).finish()
}

/// Days since 1970-01-01, polars' date representation.
pub fn date_days(d: chrono::NaiveDate) -> i32 {
    (d - EPOCH).num_days() as i32
}

/// The date of a polars date value (days since 1970-01-01); the inverse of
/// [`date_days`].
pub fn days_date(days: i32) -> Option<chrono::NaiveDate> {
    EPOCH.checked_add_signed(chrono::Duration::days(i64::from(days)))
}

const EPOCH: chrono::NaiveDate = match chrono::NaiveDate::from_ymd_opt(1970, 1, 1) {
    Some(d) => d,
    None => chrono::NaiveDate::MIN,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_typed_columns() {
        let mut b = FrameBuilder::new(Kind::Targets, 2);
        let w = b.width();
        let mut row = vec![Val::Null; w];
        row[0] = Val::Str("t.xlsx".into());
        row[b.position(Column::Target).unwrap()] = Val::F64(60.0);
        b.push(&row);
        let df = b.finish().unwrap();
        assert_eq!(df.height(), 1);
        assert_eq!(df.column("target").unwrap().dtype(), &DataType::Float64);
        assert!(df.column("scope").unwrap().get(0).unwrap().is_null());
        let d = FrameBuilder::new(Kind::Visits, 0).finish().unwrap();
        assert_eq!(d.column("visit_date").unwrap().dtype(), &DataType::Date);
        assert_eq!(date_days(chrono::NaiveDate::from_ymd_opt(1970, 1, 2).unwrap()), 1);
        assert_eq!(days_date(1), chrono::NaiveDate::from_ymd_opt(1970, 1, 2));
        assert_eq!(days_date(-1), chrono::NaiveDate::from_ymd_opt(1969, 12, 31));
    }
}
