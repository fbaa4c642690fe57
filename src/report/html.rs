//! briefing.html (issue 5) — placeholder; being written.

use crate::error::Error;
use crate::model::Report;
use std::path::Path;

pub fn render_briefing(_report: &Report, _templates: Option<&Path>) -> Result<String, Error> {
    Err(Error::Internal("briefing.html not implemented yet".into()))
}
