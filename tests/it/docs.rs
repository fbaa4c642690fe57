//! Documentation that is generated from code stays in step with it.

#[test]
fn docs_metrics_md_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/metrics.md");
    let want = statbrief::definitions::metrics_markdown();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(have == want, "docs/metrics.md is out of date: run UPDATE_DOCS=1 cargo test --release --test docs");
}

#[test]
fn every_metrics_key_is_documented() {
    // Every top-level field of the projects total and of an indicator item
    // appears in the definitions table.
    let keys: Vec<&str> = statbrief::definitions::METRICS.iter().map(|m| m.0).collect();
    let all = keys.join(" ");
    for k in [
        "completion_rate",
        "time_progress",
        "flag",
        "new_starts",
        "started_rate",
        "target_completion_rate",
        "new_start_target_rate",
        "ytd_ly",
        "growth",
        "mom",
        "rank",
        "contribution_pp",
        "contribution_share",
        "gap_pp",
        "resolution_rate",
        "on_time_rate",
        "median_days",
        "satisfaction_rate",
        "overdue_count",
        "data_quality",
    ] {
        assert!(all.contains(k), "{k} is not documented");
    }
}
