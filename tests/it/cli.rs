//! The command line as a clerk uses it: exit codes, messages, outputs.

use std::path::Path;
use std::process::Command;

fn statbrief() -> Command {
    Command::new(env!("CARGO_BIN_EXE_statbrief"))
}

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/sample_data");

#[test]
fn check_lists_every_sheet_and_exits_by_the_rules() {
    let out = statbrief().args(["check", "--input", SAMPLE]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("重点项目/2025年3月重点项目台账.xlsx"));
    assert!(text.contains("代码表（隐藏）"));
    assert!(text.contains("J31「待定」不是有效金额"));
    // --strict: the sample has planted rejections.
    let strict = statbrief().args(["check", "--input", SAMPLE, "--strict"]).output().unwrap();
    assert_eq!(strict.status.code(), Some(1));
    // A missing folder: exit 2, one message, nothing on stdout.
    let missing = statbrief().args(["check", "--input", "/no/such/folder"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(missing.stdout.is_empty());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("不存在"));
}

#[test]
fn check_json_is_the_data_quality_block() {
    let out = statbrief().args(["check", "--input", SAMPLE, "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = v["files"].as_array().unwrap();
    // 27 ledgers, plus 白水镇's re-sent June block (issue 8), with February's
    // projects ledger sent as 12 town files instead of one (issue 16).
    assert_eq!(files.len(), 39);
    let sheet = &files[0]["sheets"][0];
    for key in ["sheet", "kind", "period", "rows", "accepted", "blank", "total_rows", "rejected", "skipped_reason"] {
        assert!(sheet.get(key).is_some(), "{key}");
    }
    assert_eq!(files[0]["sha256"].as_str().unwrap().len(), 64);
    let issue = &v["issues"][0];
    for key in ["severity", "file", "sheet", "cell", "column", "value", "message"] {
        assert!(issue.get(key).is_some(), "{key}");
    }
}

#[test]
fn check_writes_tidy_data_with_trace_columns() {
    let dir = tempfile::tempdir().unwrap();
    let tidy = dir.path().join("tidy");
    let out = statbrief().args(["check", "--input", SAMPLE, "--tidy"]).arg(&tidy).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let csv = std::fs::read(tidy.join("projects.csv")).unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "CSV must start with a UTF-8 BOM for Excel");
    let text = String::from_utf8_lossy(&csv[3..]);
    let header = text.lines().next().unwrap();
    assert!(header.starts_with("source_file,sheet,row,period,year,month,"), "{header}");
    for kind in ["projects", "indicators", "visits", "targets"] {
        assert!(tidy.join(format!("{kind}.parquet")).exists(), "{kind}");
    }
}

#[test]
fn run_writes_metrics_deterministically_and_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    for out in [&a, &b] {
        let r = statbrief().args(["run", "--input", SAMPLE, "--period", "2025H1", "--out"]).arg(out).output().unwrap();
        assert_eq!(r.status.code(), Some(0), "{}", String::from_utf8_lossy(&r.stderr));
    }
    let ma = std::fs::read(a.join("metrics.json")).unwrap();
    assert_eq!(ma, std::fs::read(b.join("metrics.json")).unwrap(), "metrics.json must be byte-identical");
    let v: serde_json::Value = serde_json::from_slice(&ma).unwrap();
    assert_eq!(v["as_of"], "2025-06");
    assert!(a.join("data/projects.csv").exists());
    // A bad period is a usage error: exit 2 and no output folder.
    let c = dir.path().join("c");
    let r = statbrief().args(["run", "--input", SAMPLE, "--period", "2025Q5", "--out"]).arg(&c).output().unwrap();
    assert_eq!(r.status.code(), Some(2));
    assert!(!c.exists());
    // A folder with no ledger: exit 2, no output.
    let empty = tempfile::tempdir().unwrap();
    std::fs::write(empty.path().join("notes.csv"), "随便写的\n一些文字\n").unwrap();
    let d = dir.path().join("d");
    let r = statbrief().args(["run", "--input"]).arg(empty.path()).arg("--out").arg(&d).output().unwrap();
    assert_eq!(r.status.code(), Some(2));
    assert!(!Path::new(&d).exists());
}

#[test]
fn a_config_key_typo_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("statbrief.toml");
    std::fs::write(&cfg, "yelow_band_pp = 5\n").unwrap();
    let r = statbrief()
        .args(["run", "--input", SAMPLE, "--config"])
        .arg(&cfg)
        .arg("--out")
        .arg(dir.path().join("o"))
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&r.stderr).contains("yelow_band_pp"));
}

#[test]
fn a_broken_template_leaves_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("tpl");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(templates.join("article.md.j2"), "{{ no_such_variable }}\n").unwrap();
    let out = dir.path().join("out");
    let r = statbrief()
        .args(["run", "--input", SAMPLE, "--templates"])
        .arg(&templates)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&r.stderr).contains("no_such_variable"));
    assert!(!out.exists(), "no partial output");
    // Into an existing folder: its old files stay as they were.
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("metrics.json"), "old").unwrap();
    let r = statbrief()
        .args(["run", "--input", SAMPLE, "--templates"])
        .arg(&templates)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(out.join("metrics.json")).unwrap(), "old");
    assert!(!out.join("briefing.html").exists());
}

#[test]
fn run_writes_every_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let r = statbrief().args(["run", "--input", SAMPLE, "--out"]).arg(&out).output().unwrap();
    assert_eq!(r.status.code(), Some(0), "{}", String::from_utf8_lossy(&r.stderr));
    for f in ["metrics.json", "briefing.xlsx", "briefing.html", "article.md", "data/visits.parquet"] {
        assert!(out.join(f).exists(), "{f}");
    }
    let stdout = String::from_utf8_lossy(&r.stdout);
    assert!(stdout.contains("统计截止：2025年1—6月"), "{stdout}");
}

#[test]
fn article_sections_are_numbered_as_they_appear() {
    // Only the visits ledgers: the article has one section, numbered 一.
    let input = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(Path::new(SAMPLE).join("走访")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, input.path().join(path.file_name().unwrap())).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let r = statbrief()
        .args(["run", "--period", "2025H1", "--input"])
        .arg(input.path())
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(0), "{}", String::from_utf8_lossy(&r.stderr));
    let article = std::fs::read_to_string(out.path().join("article.md")).unwrap();
    let heads: Vec<&str> = article.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(heads, vec!["## 一、入企服务和问题办理"]);
    // Without --period there is no projects or indicators ledger to date the report.
    let r =
        statbrief().args(["run", "--input"]).arg(input.path()).arg("--out").arg(out.path().join("x")).output().unwrap();
    assert_eq!(r.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&r.stderr).contains("--period"));
}

#[test]
fn january_is_worded_1月_not_1_to_1月() {
    let dir = tempfile::tempdir().unwrap();
    let r = statbrief()
        .args(["run", "--input", SAMPLE, "--period", "2025-01", "--out"])
        .arg(dir.path().join("o"))
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&r.stdout);
    assert!(stdout.contains("统计截止：2025年1月（2025-01）"), "{stdout}");
    let article = std::fs::read_to_string(dir.path().join("o/article.md")).unwrap();
    assert!(!article.contains("1—1月"), "{article}");
}
