//! The words that end a table and that mark a total row (SPEC §1.2).
//!
//! Both are decided on the first characters of a label, and both have
//! ordinary names that start the same way (`注塑产业园`, `全县农村公路提升工程`),
//! so each rule says when a word really is a marker. The word lists are
//! public so that `statbrief schema` prints exactly what ingestion uses.

use super::super::values::{fold_width_and_space, normalize_label};

/// Labels that end a table when they begin a row's first non-empty cell.
pub const END_MARKERS: [&str; 10] =
    ["注", "备注", "说明", "填报人", "填表人", "审核人", "制表", "填报单位", "负责人", "联系电话"];
/// Labels of rows that add up other rows.
pub const TOTAL_PREFIXES: [&str; 5] = ["合计", "总计", "小计", "共计", "其中"];
/// Names of the whole area; a total only alone or followed by a total word.
pub const WHOLE_PREFIXES: [&str; 6] = ["全县", "全市", "全区", "全省", "全州", "全旗"];

/// True when a row starting with `text` is a note or signature line. `注`,
/// `备注`, `说明` and `制表` must be followed by punctuation or a number
/// (or 人), so a project called `注塑产业园` does not end the table.
pub fn is_end_marker(text: &str) -> bool {
    let t = fold_width_and_space(text);
    END_MARKERS.iter().any(|m| {
        let Some(rest) = t.strip_prefix(m) else { return false };
        // These also begin ordinary names (注塑, 说明书, 制表机 …): they end
        // the table only before punctuation, a number, or 人 (制表人).
        if !matches!(*m, "注" | "备注" | "说明" | "制表") {
            return true;
        }
        match rest.chars().next() {
            None => true,
            Some('人') => *m == "制表",
            Some(c) => matches!(c, ':' | '：' | '、' | '.' | '(' | '（' | '1'..='9' | '①'..='⑩'),
        }
    })
}

/// True when a label marks a total row (SPEC §1.2). `全县` and the like count
/// only alone or followed by a total word, so `全县农村公路提升工程` is a project.
pub fn is_total_label(text: &str, allow_whole: bool) -> bool {
    // Most labels are project or town names: reject them on the first
    // character before paying for normalisation (including Traditional 總 and
    // full-width spaces).
    let first = text.trim_start().chars().next();
    if !matches!(first, Some('合' | '总' | '總' | '小' | '共' | '其' | '全' | '\u{3000}')) {
        return false;
    }
    let t = normalize_label(text);
    if TOTAL_PREFIXES.iter().any(|p| t.starts_with(p)) {
        return true;
    }
    allow_whole
        && WHOLE_PREFIXES.iter().any(|p| {
            t.strip_prefix(p).is_some_and(|rest| {
                rest.is_empty() || TOTAL_PREFIXES.iter().any(|q| rest.starts_with(q)) || rest.starts_with("范围")
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn end_markers() {
        assert!(is_end_marker("注：1.本表数据截至3月底"));
        assert!(is_end_marker("备注:"));
        assert!(is_end_marker("填报人：张三"));
        assert!(is_end_marker("审核人"));
        assert!(!is_end_marker("注塑产业园"));
        assert!(!is_end_marker("说明书印刷项目"));
    }

    #[test]
    fn total_labels() {
        assert!(is_total_label("合计", true));
        assert!(is_total_label("小 计", true));
        assert!(is_total_label("其中：工业", true));
        assert!(is_total_label("全县", true));
        assert!(is_total_label("全縣合計", true));
        assert!(!is_total_label("全县农村公路提升工程", true));
        assert!(!is_total_label("全县", false));
        assert!(!is_total_label("白水镇", true));
    }
}
