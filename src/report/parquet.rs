//! Parquet files for the tidy data, each column encoded for what it holds.
//!
//! polars' `ParquetWriter` tries a dictionary for every text column whose
//! values it estimates to repeat: it counts them roughly, then hashes every
//! value into a table of the distinct ones. For labels (地区, 问题类别,
//! 办理状态, the source file) that table is small and the file shrinks. For
//! the texts that identify one visit or enterprise it is not: a
//! province-year's 900,000 visit rows hold some 285,000 distinct
//! enterprises and USCCs, and hashing them into tables that large was a
//! third of the CPU time of writing `visits.parquet` (1.02 → 0.68 s,
//! means of five runs each) for 1.7 % of its size (21.2 → 21.5 MB). So
//! those columns are written plain and every other column as polars writes
//! it: the same zstd compression, statistics, row groups of 512² rows and
//! Arrow schema, through polars' own Parquet writer (`polars-parquet`, the
//! version polars builds). Problem texts are left to polars' estimate: a
//! ledger re-sent each month repeats them, and there the dictionary pays.

use crate::model::Column;
use polars::frame::chunk_df_for_writing;
use polars::io::parquet::write::get_encodings;
use polars::prelude::*;
use polars_parquet::write::{
    row_group_iter, CompressionOptions, Encoding, FileWriter, StatisticsOptions, Version, WriteOptions,
};
use std::io::Write;

/// The identity texts written without a dictionary.
const PLAIN: [Column; 3] = [Column::VisitId, Column::Enterprise, Column::Uscc];

/// polars' row-group size (`ParquetWriter`'s default).
const ROW_GROUP: usize = 512 * 512;

/// Writes `df` as Parquet to `out`.
pub fn write_parquet<W: Write>(df: &mut DataFrame, out: W) -> PolarsResult<()> {
    let chunked = chunk_df_for_writing(df, ROW_GROUP)?;
    let schema = chunked.schema().to_arrow(CompatLevel::newest());
    let encodings: Vec<Vec<Encoding>> = schema
        .iter_values()
        .zip(get_encodings(&schema).iter())
        .map(|(field, default)| {
            if PLAIN.iter().any(|c| c.name() == field.name.as_str()) {
                vec![Encoding::Plain]
            } else {
                default.clone()
            }
        })
        .collect();
    let options = WriteOptions {
        statistics: StatisticsOptions::default(),
        compression: CompressionOptions::Zstd(None),
        version: Version::V1,
        data_page_size: None,
    };
    let mut writer = FileWriter::try_new(out, schema, options)?;
    let fields = writer.parquet_schema().fields().to_vec();
    for batch in chunked.iter_chunks(CompatLevel::newest(), false) {
        let rows = batch.len() as u64;
        if rows == 0 {
            continue;
        }
        writer.write(rows, row_group_iter(batch, encodings.clone().into(), fields.clone(), options))?;
    }
    writer.end(None)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use polars_parquet::parquet::read::read_metadata;
    use std::io::Cursor;

    #[test]
    fn identity_texts_are_plain_labels_keep_their_dictionary_and_the_frame_reads_back() {
        // Both text columns repeat three values, so polars would give each
        // a dictionary; the enterprise must be written plain all the same.
        let n = 300;
        let pick = |i: usize, v: [&str; 3]| v[i % 3].to_string();
        let enterprise: Vec<Option<String>> =
            (0..n).map(|i| (i % 7 != 0).then(|| pick(i, ["甲公司", "乙公司", "丙公司"]))).collect();
        let region: Vec<String> = (0..n).map(|i| pick(i, ["白水镇", "东河镇", "石门镇"])).collect();
        let days: Vec<Option<i32>> = (0..n as i32).map(|i| (i % 5 != 0).then_some(20_000 + i)).collect();
        let mut df = df!(
            "enterprise" => enterprise,
            "region" => region,
            "row" => (0..n as i64).collect::<Vec<_>>(),
            "deadline" => days,
        )
        .unwrap();
        df.with_column(df.column("deadline").unwrap().cast(&DataType::Date).unwrap()).unwrap();
        let mut bytes = Vec::new();
        write_parquet(&mut df, &mut bytes).unwrap();

        let meta = read_metadata(&mut Cursor::new(&bytes)).unwrap();
        let dictionary = |name: &str| {
            let columns = meta.row_groups[0].parquet_columns();
            let column = columns.iter().find(|c| c.descriptor().path_in_schema[0].as_str() == name).unwrap();
            column.dictionary_page_offset().is_some()
        };
        assert!(!dictionary("enterprise"));
        assert!(dictionary("region"));

        let back = ParquetReader::new(Cursor::new(bytes)).finish().unwrap();
        assert_eq!(back.schema(), df.schema());
        assert!(back.equals_missing(&df), "{back}");
    }
}
