//! `metrics.json`: the Report as JSON, the machine-readable twin of the
//! briefing. Keys follow SPEC §3 and are documented in `docs/metrics.md`;
//! nothing is rounded and missing figures are `null`.

use crate::error::Error;
use crate::model::Report;

pub fn to_json(report: &Report) -> Result<String, Error> {
    let mut s = serde_json::to_string_pretty(report).map_err(|e| Error::Internal(e.to_string()))?;
    s.push('\n');
    Ok(s)
}
