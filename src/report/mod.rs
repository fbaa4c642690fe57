//! Renderers: each output is one module that reads the model and writes a file
//! (or the terminal). Nothing here computes a figure.

pub mod article;
pub mod cell_text;
pub mod charts;
pub mod console;
pub mod csv_safe;
pub mod docx;
pub mod html;
pub mod json;
pub mod overdue_data;
pub mod parquet;
pub mod returns;
pub mod templates;
pub mod tidy;
pub mod views;
pub mod wording;
pub mod xlsx;

use crate::error::Error;
use std::path::Path;

/// Writes a file so that a reader never sees half of it: into a temporary
/// file beside it, then renamed over the old one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::Output(format!("{}：{}", dir.display(), crate::error::io_reason(&e))))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp"));
    std::fs::write(&tmp, bytes)
        .map_err(|e| Error::Output(format!("{}：{}", tmp.display(), crate::error::io_reason(&e))))?;
    std::fs::rename(&tmp, path)
        .map_err(|e| Error::Output(format!("{}：{}", path.display(), crate::error::io_reason(&e))))
}
