//! The full overdue list as tidy data: `data/overdue.parquet` and
//! `data/overdue.csv` (issue 9).
//!
//! A province's year has some 450,000 overdue problems. metrics.json keeps
//! the worst 1,000 and the count; the supervisors who chase every one of
//! them get the whole list here, worst first, in the same two formats as
//! the tidy ledgers (the CSV with a BOM and formula-safe text, see
//! `csv_safe`).

use crate::error::Error;
use crate::model::Overdue;
use polars::prelude::*;
use std::fs::File;
use std::path::{Path, PathBuf};

/// The list as a frame, one column at a time from the borrowed strings.
fn frame(list: &[Overdue]) -> PolarsResult<DataFrame> {
    let text = |name: &str, f: &dyn Fn(&Overdue) -> Option<&str>| -> Column {
        StringChunked::from_iter_options(name.into(), list.iter().map(f)).into_series().into()
    };
    DataFrame::new(
        list.len(),
        vec![
            text("enterprise", &|o| Some(o.enterprise.as_str())),
            text("problem", &|o| Some(o.problem.as_str())),
            text("region", &|o| o.region.as_deref()),
            text("cadre_unit", &|o| o.cadre_unit.as_deref()),
            text("deadline", &|o| Some(o.deadline.as_str())),
            Int64Chunked::from_iter_values("days_overdue".into(), list.iter().map(|o| o.days_overdue))
                .into_series()
                .into(),
            text("colour", &|o| Some(o.colour.as_str())),
        ],
    )
}

/// Writes `<dir>/overdue.parquet` and `<dir>/overdue.csv`, worst first.
pub fn write_overdue(list: &[Overdue], dir: &Path) -> Result<Vec<PathBuf>, Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::Output(format!("{}：{e}", dir.display())))?;
    let mut df = frame(list)?;
    let parquet = dir.join("overdue.parquet");
    let file = File::create(&parquet).map_err(|e| Error::Output(format!("{}：{e}", parquet.display())))?;
    ParquetWriter::new(file).finish(&mut df)?;
    let csv = dir.join("overdue.csv");
    let mut file = File::create(&csv).map_err(|e| Error::Output(format!("{}：{e}", csv.display())))?;
    let mut safe = super::csv_safe::neutralise(&df)?;
    drop(df);
    CsvWriter::new(&mut file).include_bom(true).include_header(true).finish(&mut safe)?;
    Ok(vec![parquet, csv])
}
