//! Tidy data for analysts: each normalised ledger as Parquet and as CSV.
//!
//! The CSV carries a UTF-8 byte-order mark because Excel on Chinese Windows
//! opens a BOM-less UTF-8 CSV as GBK and shows mojibake. Every row keeps its
//! `source_file`, `sheet` and `row`, so a figure can be traced to its cell.

use crate::error::Error;
use crate::ingest::Ledgers;
use crate::model::Kind;
use polars::prelude::*;
use std::fs::File;
use std::path::{Path, PathBuf};

/// Writes `<dir>/<kind>.parquet` and `<dir>/<kind>.csv` for every kind and
/// returns the files written.
pub fn write_tidy(ledgers: &Ledgers, dir: &Path) -> Result<Vec<PathBuf>, Error> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::Output(format!("{}：{}", dir.display(), crate::error::io_reason(&e))))?;
    // One file at a time: polars' writers already use every core, and
    // writing the eight at once held all their buffers together (~300 MB
    // more at province scale).
    let jobs: Vec<(Kind, bool)> = Kind::ALL.iter().flat_map(|k| [(*k, true), (*k, false)]).collect();
    let written: Result<Vec<PathBuf>, Error> = jobs
        .iter()
        .map(|&(kind, parquet)| {
            let mut df = ledgers.get(kind).clone();
            let ext = if parquet { "parquet" } else { "csv" };
            let path = dir.join(format!("{}.{ext}", kind.as_str()));
            let mut file = File::create(&path)
                .map_err(|e| Error::Output(format!("{}：{}", path.display(), crate::error::io_reason(&e))))?;
            if parquet {
                super::parquet::write_parquet(&mut df, file).map_err(write_failed(&path))?;
            } else {
                let mut df = super::csv_safe::neutralise(&df)?;
                let csv = CsvWriter::new(&mut file).include_bom(true).include_header(true).finish(&mut df);
                csv.map_err(write_failed(&path))?;
            }
            Ok(path)
        })
        .collect();
    written
}

/// A data file that could not be written (a full disk, say), named: as
/// "写出结果失败：<file>：…", not as a data-processing error without a file.
pub(super) fn write_failed(path: &Path) -> impl Fn(PolarsError) -> Error + '_ {
    move |e| Error::Output(format!("{}：{}", path.display(), crate::error::polars_reason(&e)))
}

/// Writes the tidy data into `<out>/data` so that the folder is replaced
/// whole: into a hidden sibling first, swapped in by [`commit_tidy`].
pub fn stage_tidy(ledgers: &Ledgers, out: &Path) -> Result<PathBuf, Error> {
    let staging = out.join(".data.partial");
    if staging.exists() {
        std::fs::remove_dir_all(&staging)
            .map_err(|e| Error::Output(format!("{}：{}", staging.display(), crate::error::io_reason(&e))))?;
    }
    write_tidy(ledgers, &staging)?;
    Ok(staging)
}

pub fn commit_tidy(staging: &Path, out: &Path) -> Result<(), Error> {
    let target = out.join("data");
    if target.exists() {
        std::fs::remove_dir_all(&target)
            .map_err(|e| Error::Output(format!("{}：{}", target.display(), crate::error::io_reason(&e))))?;
    }
    std::fs::rename(staging, &target)
        .map_err(|e| Error::Output(format!("{}：{}", target.display(), crate::error::io_reason(&e))))
}

/// Removes a staged folder after a failure, so no partial output is left.
pub fn discard_tidy(staging: &Path) {
    let _ = std::fs::remove_dir_all(staging);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_data_file_that_cannot_be_written_is_named_as_an_output_failure() {
        // /dev/full takes the file but refuses every byte (ENOSPC), as a full disk does.
        let full = Path::new("/dev/full");
        let mut df = df!("region" => ["白水镇"; 3]).unwrap();
        let file = File::create(full).unwrap();
        let err = super::super::parquet::write_parquet(&mut df, file).map_err(write_failed(full)).unwrap_err();
        let msg = err.to_string();
        // ENOSPC is 28 on Linux; the reason is told in Chinese, not as the system's English.
        assert_eq!(msg, "写出结果失败：/dev/full：磁盘空间不足（系统错误码 28）");
        assert_eq!(err.exit_code(), Error::Output(String::new()).exit_code());
    }
}
