//! `metrics.json`: the Report as JSON, the machine-readable twin of the
//! briefing. Keys follow SPEC §3 and are documented in `docs/metrics.md`;
//! nothing is rounded and missing figures are `null`.

use crate::error::Error;
use crate::model::Report;
use serde_json::Value;

/// The whole's counts of each ledger kind, as keyed in metrics.json.
const PROJECT_COUNTS: [&str; 3] = ["count", "new_starts", "started"];
const VISIT_COUNTS: [&str; 8] =
    ["visits", "enterprises", "cadres", "problems", "resolved", "in_progress", "unresolvable", "overdue_count"];

pub fn to_json(report: &Report) -> Result<String, Error> {
    let err = |e: serde_json::Error| Error::Internal(e.to_string());
    // With both ledgers present, nothing is nulled and the report is written
    // directly: through a `Value` tree it took 3.4 times the instructions
    // (361 M against 106 M on the county benchmark set, whose metrics.json
    // is 7 MB). `preserve_order` keeps the two paths' key order the same.
    let mut s = if report.projects.has_ledger() && report.visits.has_ledger() {
        serde_json::to_string_pretty(report).map_err(err)?
    } else {
        let mut value = serde_json::to_value(report).map_err(err)?;
        null_counts_without_ledger(report, &mut value);
        serde_json::to_string_pretty(&value).map_err(err)?
    };
    s.push('\n');
    Ok(s)
}

/// SPEC §3: a ledger with no sheet for the period gives `null` counts, not 0.
/// The model keeps plain counts so that every renderer can add and compare
/// them (and each renderer says 无台账 where it matters); metrics.json is the
/// record other systems read, so it is where "no ledger" and "zero" must
/// differ, and the counts are nulled here, in one place.
fn null_counts_without_ledger(report: &Report, value: &mut Value) {
    if !report.projects.has_ledger() {
        if let Some(total) = value.pointer_mut("/projects/total") {
            null_keys(total, &PROJECT_COUNTS);
        }
    }
    if !report.visits.has_ledger() {
        if let Some(visits) = value.pointer_mut("/visits") {
            null_keys(visits, &VISIT_COUNTS);
        }
    }
}

fn null_keys(object: &mut Value, keys: &[&str]) {
    if let Value::Object(map) = object {
        for key in keys {
            if let Some(v) = map.get_mut(*key) {
                *v = Value::Null;
            }
        }
    }
}
