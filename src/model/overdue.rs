//! The whole overdue list as one polars table (issue 9).
//!
//! A province's year has some 450,000 overdue problems. Held as owned
//! `Overdue` rows they cost ~250 bytes each, and the data files and the
//! workbook then built a second copy. Here the list is one frame built
//! once by the statistics and read by the data files and the workbook's
//! 逾期督办 sheet. Its short text columns (region, unit) are string views
//! into the visits frame; its long ones (enterprise, problem) are one
//! compact copy in the list's order, so that those three readers go
//! through them in sequence instead of at random through the visits'
//! buffers (see `stats::visits::overdue_table`). The report's `overdue`
//! field keeps only the worst rows as ordinary values for metrics.json and
//! the briefings.

use super::{Colour, Overdue};
use crate::column_access::{ColumnReader, I32Col, StrCol};
use crate::ingest::frame::days_date;
use chrono::NaiveDate;
use polars::prelude::*;

/// Every overdue problem, worst first.
#[derive(Debug, Clone, Default)]
pub struct OverdueTable {
    frame: DataFrame,
}

impl OverdueTable {
    /// A frame with the columns enterprise, problem, region, cadre_unit,
    /// deadline (a date), days_overdue (an i64) and colour,
    /// already in the list's order.
    pub fn from_frame(frame: DataFrame) -> Self {
        OverdueTable { frame }
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

    /// The rows, read in place, worst first.
    pub fn rows(&self) -> PolarsResult<OverdueRows> {
        let f = &self.frame;
        if f.width() == 0 {
            return Ok(OverdueRows(None));
        }
        let days = f.column("days_overdue")?.as_materialized_series().cast(&DataType::Int64)?;
        Ok(OverdueRows(Some(RowCols {
            enterprise: StrCol::named(f, "enterprise")?,
            problem: StrCol::named(f, "problem")?,
            region: StrCol::named(f, "region")?,
            cadre_unit: StrCol::named(f, "cadre_unit")?,
            deadline: I32Col::named(f, "deadline")?,
            days: ColumnReader::of(days.i64()?),
            colour: StrCol::named(f, "colour")?,
        })))
    }
}

/// One row of the table, borrowed from its columns: the 逾期督办 sheet
/// writes 450,000 of them without a string copied or a date formatted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OverdueRef<'a> {
    pub enterprise: &'a str,
    pub problem: &'a str,
    pub region: Option<&'a str>,
    pub cadre_unit: Option<&'a str>,
    pub deadline: Option<NaiveDate>,
    pub days_overdue: i64,
    pub colour: Colour,
}

impl OverdueRef<'_> {
    /// The row as the report's own value (metrics.json, the briefings).
    pub fn to_overdue(&self) -> Overdue {
        Overdue {
            enterprise: self.enterprise.to_string(),
            problem: self.problem.to_string(),
            region: self.region.map(str::to_string),
            cadre_unit: self.cadre_unit.map(str::to_string),
            deadline: self.deadline.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
            days_overdue: self.days_overdue,
            colour: self.colour,
        }
    }
}

struct RowCols {
    enterprise: StrCol,
    problem: StrCol,
    region: StrCol,
    cadre_unit: StrCol,
    deadline: I32Col,
    days: ColumnReader<Int64Type>,
    colour: StrCol,
}

/// The columns of an [`OverdueTable`], read row by row.
pub struct OverdueRows(Option<RowCols>);

impl OverdueRows {
    pub fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |c| c.days.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `i`, worst first; None past the end.
    pub fn get(&self, i: usize) -> Option<OverdueRef<'_>> {
        let c = self.0.as_ref()?;
        let days_overdue = c.days.get(i)?;
        Some(OverdueRef {
            enterprise: c.enterprise.get(i).unwrap_or_default(),
            problem: c.problem.get(i).unwrap_or_default(),
            region: c.region.get(i),
            cadre_unit: c.cadre_unit.get(i),
            deadline: c.deadline.get(i).and_then(days_date),
            days_overdue,
            colour: c.colour.get(i).and_then(Colour::parse).unwrap_or(Colour::Red),
        })
    }

    /// Every row, worst first.
    pub fn iter(&self) -> impl Iterator<Item = OverdueRef<'_>> + '_ {
        (0..self.len()).map_while(|i| self.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table of a list of rows, in the list's order.
    fn from_list(list: &[Overdue]) -> PolarsResult<OverdueTable> {
        let text = |name: &str, f: &dyn Fn(&Overdue) -> Option<&str>| -> Column {
            StringChunked::from_iter_options(name.into(), list.iter().map(f)).into_series().into()
        };
        let deadlines = list
            .iter()
            .map(|o| NaiveDate::parse_from_str(&o.deadline, "%Y-%m-%d").ok().map(crate::ingest::frame::date_days));
        let deadline =
            Int32Chunked::from_iter_options("deadline".into(), deadlines).into_series().cast(&DataType::Date)?;
        let days = Int64Chunked::from_iter_values("days_overdue".into(), list.iter().map(|o| o.days_overdue));
        let frame = DataFrame::new(
            list.len(),
            vec![
                text("enterprise", &|o| Some(o.enterprise.as_str())),
                text("problem", &|o| Some(o.problem.as_str())),
                text("region", &|o| o.region.as_deref()),
                text("cadre_unit", &|o| o.cadre_unit.as_deref()),
                deadline.into(),
                days.into_series().into(),
                text("colour", &|o| Some(o.colour.as_str())),
            ],
        )?;
        Ok(OverdueTable::from_frame(frame))
    }

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
        let table = from_list(&list).unwrap();
        assert_eq!(table.len(), 2);
        let names: Vec<&str> = table.frame().get_column_names().iter().map(|n| n.as_str()).collect();
        assert_eq!(names, ["enterprise", "problem", "region", "cadre_unit", "deadline", "days_overdue", "colour"]);
        assert_eq!(table.frame().column("deadline").unwrap().dtype(), &DataType::Date);
        let rows = table.rows().unwrap();
        let back: Vec<Overdue> = rows.iter().map(|r| r.to_overdue()).collect();
        assert_eq!(back, list);
        assert_eq!(rows.get(0).unwrap().deadline, NaiveDate::from_ymd_opt(2025, 5, 31));
        assert!(rows.get(2).is_none());
        assert_eq!(OverdueTable::default().rows().unwrap().iter().count(), 0);
    }
}
