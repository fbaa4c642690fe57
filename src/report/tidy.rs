//! Tidy data for analysts: each normalised ledger as Parquet and as CSV.
//!
//! The CSV carries a UTF-8 byte-order mark because Excel on Chinese Windows
//! opens a BOM-less UTF-8 CSV as GBK and shows mojibake. Every row keeps its
//! `source_file`, `sheet` and `row`, so a figure can be traced to its cell.

use crate::error::Error;
use crate::ingest::Ledgers;
use crate::quality::Kind;
use polars::prelude::*;
use std::fs::File;
use std::path::{Path, PathBuf};

/// Writes `<dir>/<kind>.parquet` and `<dir>/<kind>.csv` for every kind and
/// returns the files written.
pub fn write_tidy(ledgers: &Ledgers, dir: &Path) -> Result<Vec<PathBuf>, Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::Output(format!("{}：{e}", dir.display())))?;
    let mut written = Vec::new();
    for kind in Kind::ALL {
        let mut df = ledgers.get(kind).clone();
        let parquet = dir.join(format!("{}.parquet", kind.as_str()));
        let file = File::create(&parquet).map_err(|e| Error::Output(format!("{}：{e}", parquet.display())))?;
        ParquetWriter::new(file).finish(&mut df)?;
        written.push(parquet);
        let csv = dir.join(format!("{}.csv", kind.as_str()));
        let mut file = File::create(&csv).map_err(|e| Error::Output(format!("{}：{e}", csv.display())))?;
        CsvWriter::new(&mut file).include_bom(true).include_header(true).finish(&mut df)?;
        written.push(csv);
    }
    Ok(written)
}
