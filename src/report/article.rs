//! article.md (issue 5) — placeholder; being written.

use crate::error::Error;
use crate::model::Report;
use std::path::Path;

pub fn render_article(_report: &Report, _templates: Option<&Path>) -> Result<String, Error> {
    Err(Error::Internal("article.md not implemented yet".into()))
}
