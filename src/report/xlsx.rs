//! briefing.xlsx (issue 4) — placeholder; being written.

use crate::error::Error;
use crate::model::Report;

/// Renders the workbook into memory, so nothing is written when it fails.
pub fn render_workbook(_report: &Report) -> Result<Vec<u8>, Error> {
    Err(Error::Internal("briefing.xlsx not implemented yet".into()))
}
