//! The whole overdue list as one polars table (issue 9).
//!
//! A province's year has some 450,000 overdue problems. Held as owned
//! `Overdue` rows they cost ~250 bytes each, and the data files and the
//! workbook then built a second copy. Here the list is one frame whose text
//! columns are taken from the visits frame (string views: the text itself
//! is shared, not copied), built once by the statistics and read by the
//! data files and the workbook's 逾期督办 sheet. The report's `overdue`
//! field keeps only the worst rows as ordinary values for metrics.json and
//! the briefings.

use super::{Colour, Overdue};
use crate::column_access::{I32Col, StrCol};
use polars::prelude::*;

/// The frame's columns, in order; also the header of `data/overdue.*`.
pub const COLUMNS: [&str; 7] = ["enterprise", "problem", "region", "cadre_unit", "deadline", "days_overdue", "colour"];

/// Every overdue problem, worst first.
#[derive(Debug, Clone, Default)]
pub struct OverdueTable {
    frame: DataFrame,
}

impl OverdueTable {
    /// A frame with [`COLUMNS`] (deadline a date, days_overdue an i64),
    /// already in the list's order.
    pub fn from_frame(frame: DataFrame) -> Self {
        OverdueTable { frame }
    }

    /// The table of a list of rows, in the list's order (small lists: tests
    /// and reports built by hand).
    pub fn from_list(list: &[Overdue]) -> PolarsResult<Self> {
        let text = |name: &str, f: &dyn Fn(&Overdue) -> Option<&str>| -> Column {
            StringChunked::from_iter_options(name.into(), list.iter().map(f)).into_series().into()
        };
        let deadlines = list.iter().map(|o| {
            chrono::NaiveDate::parse_from_str(&o.deadline, "%Y-%m-%d").ok().map(crate::ingest::frame::date_days)
        });
        let deadline =
            Int32Chunked::from_iter_options("deadline".into(), deadlines).into_series().cast(&DataType::Date)?;
        let frame = DataFrame::new(
            list.len(),
            vec![
                text("enterprise", &|o| Some(o.enterprise.as_str())),
                text("problem", &|o| Some(o.problem.as_str())),
                text("region", &|o| o.region.as_deref()),
                text("cadre_unit", &|o| o.cadre_unit.as_deref()),
                deadline.into(),
                Int64Chunked::from_iter_values("days_overdue".into(), list.iter().map(|o| o.days_overdue))
                    .into_series()
                    .into(),
                text("colour", &|o| Some(o.colour.as_str())),
            ],
        )?;
        Ok(OverdueTable { frame })
    }

    pub fn len(&self) -> usize {
        self.frame.height()
    }

    pub fn is_empty(&self) -> bool {
        self.frame.height() == 0
    }

    pub fn frame(&self) -> &DataFrame {
        &self.frame
    }

    /// The rows as ordinary values, worst first, one at a time.
    pub fn rows(&self) -> PolarsResult<OverdueRows> {
        let f = &self.frame;
        if f.width() == 0 {
            return Ok(OverdueRows { cols: None, next: 0, len: 0 });
        }
        let days = f.column("days_overdue")?.as_materialized_series().cast(&DataType::Int64)?;
        let cols = RowCols {
            enterprise: StrCol::named(f, "enterprise")?,
            problem: StrCol::named(f, "problem")?,
            region: StrCol::named(f, "region")?,
            cadre_unit: StrCol::named(f, "cadre_unit")?,
            deadline: I32Col::named(f, "deadline")?,
            days: days.i64()?.rechunk().into_owned(),
            colour: StrCol::named(f, "colour")?,
        };
        Ok(OverdueRows { cols: Some(cols), next: 0, len: f.height() })
    }
}

/// `YYYY-MM-DD` of a date stored as days since 1970-01-01.
pub fn iso_date(days: i32) -> String {
    chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|e| e.checked_add_signed(chrono::Duration::days(i64::from(days))))
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

struct RowCols {
    enterprise: StrCol,
    problem: StrCol,
    region: StrCol,
    cadre_unit: StrCol,
    deadline: I32Col,
    days: Int64Chunked,
    colour: StrCol,
}

/// The rows of an [`OverdueTable`], worst first.
pub struct OverdueRows {
    cols: Option<RowCols>,
    next: usize,
    len: usize,
}

impl Iterator for OverdueRows {
    type Item = Overdue;

    fn next(&mut self) -> Option<Overdue> {
        let c = self.cols.as_ref()?;
        if self.next >= self.len {
            return None;
        }
        let i = self.next;
        self.next += 1;
        let owned = |s: Option<&str>| s.map(str::to_string);
        Some(Overdue {
            enterprise: owned(c.enterprise.get(i)).unwrap_or_default(),
            problem: owned(c.problem.get(i)).unwrap_or_default(),
            region: owned(c.region.get(i)),
            cadre_unit: owned(c.cadre_unit.get(i)),
            deadline: c.deadline.get(i).map(iso_date).unwrap_or_default(),
            days_overdue: c.days.get(i).unwrap_or(0),
            colour: c.colour.get(i).and_then(Colour::parse).unwrap_or(Colour::Red),
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.len.saturating_sub(self.next);
        (left, Some(left))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_round_trips_through_the_table() {
        let list = vec![
            Overdue {
                enterprise: "甲公司".into(),
                problem: "融资难".into(),
                region: Some("白水镇".into()),
                cadre_unit: None,
                deadline: "2025-05-31".into(),
                days_overdue: 30,
                colour: Colour::Yellow,
            },
            Overdue {
                enterprise: "乙公司".into(),
                problem: "用工难".into(),
                region: None,
                cadre_unit: Some("发改局".into()),
                deadline: "2025-06-28".into(),
                days_overdue: 2,
                colour: Colour::Blue,
            },
        ];
        let table = OverdueTable::from_list(&list).unwrap();
        assert_eq!(table.len(), 2);
        let names: Vec<&str> = table.frame().get_column_names().iter().map(|n| n.as_str()).collect();
        assert_eq!(names, COLUMNS.to_vec());
        assert_eq!(table.frame().column("deadline").unwrap().dtype(), &DataType::Date);
        let back: Vec<Overdue> = table.rows().unwrap().collect();
        assert_eq!(back, list);
        assert_eq!(OverdueTable::default().rows().unwrap().count(), 0);
    }
}
