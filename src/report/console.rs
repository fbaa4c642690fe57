//! The terminal report of `statbrief check`: a per-sheet accounting table,
//! then the issues grouped by file, written for a clerk who has to fix the
//! ledgers. Chinese text is two columns wide in a terminal, so padding is
//! measured with `unicode-width`, not character counts.

use crate::quality::{DataQuality, Severity};
use std::fmt::Write;
use unicode_width::UnicodeWidthStr;

fn pad(s: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(s);
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    out
}

fn kind_name(k: Option<crate::model::Kind>) -> &'static str {
    k.map(|k| k.chinese()).unwrap_or("—")
}

/// `项目名称=「项目名称」（B3）；本年累计完成投资=「1-6月完成投资」（F3）`, in
/// the ledger's column order.
fn taken_columns(kind: crate::model::Kind, columns: &std::collections::BTreeMap<String, String>) -> String {
    crate::ingest::columns::columns(kind)
        .iter()
        .filter_map(|d| {
            let taken = columns.get(d.name())?;
            // Each entry ends with its header cell: `本年累计完成投资（万元）（F3）`;
            // a wide table lists one per indicator group, joined by `、`.
            let entries: Vec<String> = taken
                .split("）、")
                .map(|e| {
                    let e = e.strip_suffix('）').unwrap_or(e);
                    let (header, cell) = e.rsplit_once('（').unwrap_or((e, ""));
                    format!("「{header}」（{cell}）")
                })
                .collect();
            Some(format!("{}={}", d.label, entries.join("、")))
        })
        .collect::<Vec<_>>()
        .join("；")
}

/// Renders the data-quality report as text.
pub fn render_check(q: &DataQuality) -> String {
    let mut out = String::new();
    let header = format!(
        "{}{}{}{:>7}{:>7}{:>6}{:>8}{:>6}  {}",
        pad("工作表", 28),
        pad("类型", 14),
        pad("报告期", 9),
        "行数",
        "接收",
        "空行",
        "合计行",
        "拒收",
        "说明"
    );
    let _ = writeln!(out, "{header}");
    let (mut rows, mut accepted, mut blank, mut totals, mut rejected) = (0, 0, 0, 0, 0);
    for f in &q.files {
        let _ = writeln!(out, "{}", f.path);
        if let Some(e) = &f.error {
            let _ = writeln!(out, "  ✗ {e}");
            continue;
        }
        for s in &f.sheets {
            let mut name = s.sheet.clone();
            if s.hidden {
                name.push_str("（隐藏）");
            }
            let note = match &s.skipped_reason {
                Some(r) => format!("未读取：{r}"),
                None if !s.ignored_columns.is_empty() => format!("未用列：{}", s.ignored_columns.join("、")),
                None => String::new(),
            };
            let _ = writeln!(
                out,
                "  {}{}{}{:>6}{:>6}{:>6}{:>6}{:>6}  {}",
                pad(&name, 26),
                pad(kind_name(s.kind), 14),
                pad(s.period.as_deref().unwrap_or("—"), 9),
                s.rows,
                s.accepted,
                s.blank,
                s.total_rows,
                s.rejected,
                note
            );
            if let (Some(kind), false) = (s.kind, s.columns.is_empty()) {
                let _ = writeln!(out, "      采用的列：{}", taken_columns(kind, &s.columns));
            }
            for remark in s.remarks() {
                let _ = writeln!(out, "      {remark}");
            }
            rows += s.rows;
            accepted += s.accepted;
            blank += s.blank;
            totals += s.total_rows;
            rejected += s.rejected;
        }
    }
    let _ = writeln!(
        out,
        "\n共 {} 个文件：数据行 {rows}，接收 {accepted}，空行 {blank}，合计行 {totals}，拒收 {rejected}。",
        q.files.len()
    );
    let (e, w, i) = (q.count(Severity::Error), q.count(Severity::Warning), q.count(Severity::Info));
    let _ = writeln!(out, "\n问题清单：错误 {e} 条，警告 {w} 条，提示 {i} 条");
    let mut current_file: Option<&str> = None;
    for issue in &q.issues {
        if current_file != Some(issue.file.as_str()) {
            let _ = writeln!(out, "{}", issue.file);
            current_file = Some(&issue.file);
        }
        // Messages about one cell begin with the cell itself (`F17「待定」…`).
        let place = match (&issue.sheet, &issue.cell) {
            (Some(s), Some(c)) if !issue.message.starts_with(c.as_str()) => format!("{s}!{c}"),
            (Some(s), _) => s.clone(),
            _ => String::new(),
        };
        let _ = writeln!(out, "  [{}] {} {}", issue.severity.chinese(), place, issue.message);
    }
    out
}

// The same wording as the briefing and the article (亿元 at or above 1亿,
// 四舍五入), so the terminal never shows a figure the documents round differently.
fn amount(v: Option<f64>) -> String {
    v.map(super::wording::fmt_amount).unwrap_or_else(|| "—".into())
}

fn percent(v: Option<f64>) -> String {
    v.map(super::wording::fmt_percent).unwrap_or_else(|| "—".into())
}

/// The short terminal summary of `statbrief run`.
pub fn render_summary(r: &crate::model::Report, out: &std::path::Path) -> String {
    let mut s = String::new();
    let p = &r.projects.total;
    let v = &r.visits;
    let _ = writeln!(s, "统计截止：{}年{}（{}）", r.year, super::wording::fmt_period(r.month), r.as_of);
    let _ = writeln!(
        s,
        "重点项目：{} 个，年度计划 {}，完成 {}，完成率 {}（时序进度 {}），新开工 {} 个",
        p.count,
        amount(p.plan),
        amount(p.done),
        percent(p.completion_rate),
        percent(Some(p.time_progress)),
        p.new_starts
    );
    let wholes: Vec<String> = r
        .indicators
        .iter()
        .filter(|i| i.region == crate::model::WHOLE)
        .map(|i| format!("{} 增长 {}", i.indicator, percent(i.growth)))
        .collect();
    let _ = writeln!(s, "经济指标：{}", if wholes.is_empty() { "—".to_string() } else { wholes.join("；") });
    let _ = writeln!(
        s,
        "走访问题：走访 {} 次，问题 {} 个，解决 {} 个，解决率 {}，逾期 {} 个",
        v.visits,
        v.problems,
        v.resolved,
        percent(v.resolution_rate),
        v.overdue_count
    );
    let q = &r.data_quality;
    let _ = writeln!(
        s,
        "数据质量：拒收 {} 行，错误 {} 条，警告 {} 条（详见 metrics.json 的 data_quality）",
        q.rejected_rows(),
        q.count(Severity::Error),
        q.count(Severity::Warning)
    );
    let _ = writeln!(
        s,
        "已写出：{}（metrics.json、briefing.xlsx、briefing.html、article.md、briefing.docx、data/）",
        out.display()
    );
    s
}
