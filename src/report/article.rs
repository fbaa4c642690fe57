//! `article.md`: sentences an office can paste into an official article.
//!
//! The wording lives in `templates/article.md.j2` (offices rewrite it with
//! `--templates DIR`); this module only hands the template the Report and the
//! views shared with the HTML briefing. Every figure in the article comes
//! from the Report through a filter, and the template leaves a sentence out
//! where its figure is missing, so the article never prints `None` or a 0
//! that stands for "unknown".

use super::templates as tpl;
use super::views;
use crate::error::Error;
use crate::model::Report;
use std::path::Path;

/// The template that renders the article.
pub const TEMPLATE: &str = "article.md.j2";

pub fn render_article(report: &Report, templates: Option<&Path>) -> Result<String, Error> {
    tpl::render(TEMPLATE, templates, views::common_context(report))
}
