//! Limits on what one run reads: data rows across the input, and bytes per file.
//!
//! A folder may hold a file that is far larger than any ledger (a database
//! dump saved as .csv, a workbook formatted down a million rows by a tool),
//! and reading it whole would take the office PC's memory. The limits stop
//! the run early with a message naming the file and the flag that lifts
//! the limit, instead of a machine that swaps for an hour. Both stop the
//! whole run (exit status 2): a briefing that silently left out the largest
//! ledger would be wrong.

use crate::error::Error;
use std::sync::atomic::{AtomicU64, Ordering};

/// Default `--max-rows`: data rows across the whole input. A province-year is
/// 1–2 million rows; five million leaves room and bounds memory near 5 GB.
pub const DEFAULT_MAX_ROWS: u64 = 5_000_000;
/// Default `--max-file-mb`. The largest real ledger file seen is tens of MB.
pub const DEFAULT_MAX_FILE_MB: u64 = 512;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_rows: u64,
    pub max_file_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_rows: DEFAULT_MAX_ROWS, max_file_bytes: DEFAULT_MAX_FILE_MB << 20 }
    }
}

impl Limits {
    /// From the command line's `--max-rows` and `--max-file-mb`.
    pub fn new(max_rows: u64, max_file_mb: u64) -> Self {
        Limits { max_rows, max_file_bytes: max_file_mb.saturating_mul(1 << 20) }
    }

    /// Fails when a file is larger than the limit, before it is read.
    pub fn check_file(&self, rel: &str, len: u64) -> Result<(), Error> {
        if len > self.max_file_bytes {
            return Err(Error::Input(format!(
                "文件 {rel} 有 {:.1} MB，超过单个文件上限 {} MB，未读取任何文件；如确是台账，请用 --max-file-mb 放宽上限",
                len as f64 / (1 << 20) as f64,
                self.max_file_bytes >> 20
            )));
        }
        Ok(())
    }

    pub fn rows_error(&self, seen: u64) -> Error {
        Error::Input(format!(
            "输入文件夹中的台账超过 {} 行数据上限（已读到 {seen} 行），为防止内存耗尽已停止；请分批处理，或用 --max-rows 放宽上限",
            self.max_rows
        ))
    }
}

/// Data rows read so far by every reader thread.
#[derive(Debug, Default)]
pub struct RowCounter(AtomicU64);

impl RowCounter {
    /// Adds a file's rows.
    pub fn add(&self, rows: u64) {
        self.0.fetch_add(rows, Ordering::Relaxed);
    }

    pub fn exceeded(&self, max: u64) -> bool {
        self.0.load(Ordering::Relaxed) > max
    }

    pub fn total(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}
