//! The full overdue list as tidy data: `data/overdue.parquet` and
//! `data/overdue.csv` (issue 9).
//!
//! A province's year has some 450,000 overdue problems. metrics.json keeps
//! the worst 1,000 and the count; the supervisors who chase every one of
//! them get the whole list here, worst first, in the same two formats as
//! the tidy ledgers (the CSV with a BOM and formula-safe text, see
//! `csv_safe`). The deadline is a date column (YYYY-MM-DD in the CSV).

use crate::error::Error;
use crate::model::OverdueTable;
use polars::prelude::*;
use std::fs::File;
use std::path::{Path, PathBuf};

/// Writes `<dir>/overdue.parquet` and `<dir>/overdue.csv`, worst first.
pub fn write_overdue(list: &OverdueTable, dir: &Path) -> Result<Vec<PathBuf>, Error> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::Output(format!("{}：{}", dir.display(), crate::error::io_reason(&e))))?;
    // The report's own table: its text shares the visits frame's buffers.
    let mut df = list.frame().clone();
    let parquet = dir.join("overdue.parquet");
    let file = File::create(&parquet)
        .map_err(|e| Error::Output(format!("{}：{}", parquet.display(), crate::error::io_reason(&e))))?;
    super::parquet::write_parquet(&mut df, file).map_err(super::tidy::write_failed(&parquet))?;
    let csv = dir.join("overdue.csv");
    let mut file =
        File::create(&csv).map_err(|e| Error::Output(format!("{}：{}", csv.display(), crate::error::io_reason(&e))))?;
    let mut safe = super::csv_safe::neutralise(&df)?;
    drop(df);
    let written = CsvWriter::new(&mut file).include_bom(true).include_header(true).finish(&mut safe);
    written.map_err(super::tidy::write_failed(&csv))?;
    Ok(vec![parquet, csv])
}
