//! Categorical values folded to one spelling (SPEC §1.4): project status,
//! problem category, tier, problem status and satisfaction.
//!
//! Each fold is a table of the canonical value and the spellings clerks use
//! for it, so that ingestion, `statbrief schema` and the ledger templates
//! read the same list. Matching is on the normalised text (width, spaces,
//! Traditional characters folded).

use super::values::normalize_label;
use crate::model::{ProblemStatus, ProjectStatus, Satisfaction, Tier};

pub const PROJECT_STATUS: &[(ProjectStatus, &[&str])] = &[
    (ProjectStatus::Preliminary, &["前期", "谋划", "洽谈", "前期工作", "谋划中"]),
    (ProjectStatus::Signed, &["签约", "已签约"]),
    (ProjectStatus::NewStart, &["新开工", "开工", "已开工"]),
    (ProjectStatus::UnderConstruction, &["在建", "续建"]),
    (ProjectStatus::InOperation, &["投产", "竣工", "竣工投产", "建成", "建成投产", "已投产", "已竣工"]),
    (ProjectStatus::Halted, &["停建", "停工", "缓建"]),
];

pub const TIER: &[(Tier, &[&str])] = &[
    (Tier::OnTheSpot, &["当场办", "当场办结", "即办", "立行立办"]),
    (Tier::Department, &["部门办", "部门办理", "部门协调"]),
    (Tier::Leader, &["领导办", "市领导办", "县领导办", "区领导办", "重大", "领导协调"]),
];

pub const PROBLEM_STATUS: &[(ProblemStatus, &[&str])] = &[
    (ProblemStatus::Resolved, &["已解决", "已办结", "办结", "解决", "已完成"]),
    (ProblemStatus::InProgress, &["办理中", "正在办理", "推进中", "未办结", "未解决", "正在推进"]),
    (ProblemStatus::Unresolvable, &["无法解决", "暂不具备条件", "长期推进", "暂不具备解决条件"]),
];

pub const SATISFACTION: &[(Satisfaction, &[&str])] = &[
    (Satisfaction::Satisfied, &["满意", "非常满意"]),
    (Satisfaction::Fair, &["基本满意", "比较满意"]),
    (Satisfaction::Dissatisfied, &["不满意"]),
];

/// The problem categories of SPEC §1.4, in their published order; `其它` is
/// accepted as `其他`.
pub const CATEGORIES: [&str; 13] = [
    "融资",
    "用地",
    "用工",
    "人才",
    "物流运输",
    "审批手续",
    "水电气暖",
    "政策兑现",
    "市场销售",
    "科技创新",
    "安全环保",
    "基础设施",
    "其他",
];

/// Near-spellings of a category (`融资难`, `用工招工`, `审批`), recognised by
/// a keyword; folded without a warning because they are unambiguous.
pub const CATEGORY_KEYWORDS: [(&str, &[&str]); 12] = [
    ("融资", &["融资", "贷款", "资金"]),
    ("用地", &["用地", "土地"]),
    ("用工", &["用工", "招工"]),
    ("人才", &["人才"]),
    ("物流运输", &["物流", "运输"]),
    ("审批手续", &["审批", "手续", "证照"]),
    ("水电气暖", &["水电", "用电", "供电", "用水", "供水", "用气", "供气", "供暖", "电力"]),
    ("政策兑现", &["政策"]),
    ("市场销售", &["市场", "销售"]),
    ("科技创新", &["科技", "创新", "技术"]),
    ("安全环保", &["安全", "环保", "环评"]),
    ("基础设施", &["基础设施", "道路"]),
];

/// What a problem cell says when the visit raised none (SPEC §1.4).
pub const NO_PROBLEM: [&str; 16] = [
    "无",
    "暂无",
    "没有",
    "无问题",
    "暂无问题",
    "没有问题",
    "无诉求",
    "暂无诉求",
    "没有诉求",
    "无困难",
    "暂无困难",
    "无困难问题",
    "暂无困难问题",
    "/",
    "-",
    "—",
];

/// The longest phrase of [`NO_PROBLEM`], in characters (a test checks it).
const LONGEST_NO_PROBLEM: usize = 6;

/// True when a problem cell means there was no problem.
pub fn says_no_problem(raw: &str) -> bool {
    // Every phrase above is a sign or holds 无, 没 or 暂; a text with none
    // of them (in any spelling NFKC or Traditional → Simplified could turn
    // into one) cannot fold into a phrase. This skips normalising every
    // problem text of a province-scale ledger.
    let could_be = |c: char| {
        matches!(c, '无' | '無' | '没' | '沒' | '暂' | '暫' | '/' | '-' | '—')
            || matches!(c, '／' | '－' | '\u{FE58}' | '\u{FE63}')
            || matches!(c, '\u{2E80}'..='\u{2FDF}' | '\u{F900}'..='\u{FAFF}' | '\u{2F800}'..='\u{2FA1F}')
    };
    // Nor can a text longer than twice the longest phrase, counting what
    // folding keeps (not white space, not the full stops trimmed at the
    // end): folding maps a character to one or more, never to none, so a
    // real problem (`融资难，无抵押物`) is not normalised just for holding 无.
    // The length first, on its own: nearly every problem text is long, and
    // this loop leaves at its 13th character without testing any for 无.
    let mut kept = 0;
    for c in raw.chars() {
        if !c.is_whitespace() && !matches!(c, '。' | '.' | '!' | '！' | '．' | '｡') {
            kept += 1;
            if kept > 2 * LONGEST_NO_PROBLEM {
                return false;
            }
        }
    }
    if !raw.chars().any(could_be) {
        return false;
    }
    let s = normalize_label(raw);
    let s = s.trim_end_matches(['。', '.', '!', '！']);
    NO_PROBLEM.contains(&s)
}

fn fold<T: Copy>(table: &[(T, &[&str])], raw: &str) -> Option<T> {
    let s = normalize_label(raw);
    table.iter().find(|(_, spellings)| spellings.contains(&s.as_str())).map(|(v, _)| *v)
}

pub fn project_status(raw: &str) -> Option<ProjectStatus> {
    fold(PROJECT_STATUS, raw)
}

pub fn tier(raw: &str) -> Option<Tier> {
    fold(TIER, raw)
}

pub fn problem_status(raw: &str) -> Option<ProblemStatus> {
    fold(PROBLEM_STATUS, raw)
}

pub fn satisfaction(raw: &str) -> Option<Satisfaction> {
    fold(SATISFACTION, raw)
}

/// Problem category: the canonical value, and whether it was recognised
/// (an unknown category counts as 其他, with a warning).
pub fn category(raw: &str) -> (&'static str, bool) {
    let s = normalize_label(raw);
    if s == "其它" {
        return ("其他", true);
    }
    if let Some(c) = CATEGORIES.iter().find(|c| **c == s) {
        return (c, true);
    }
    for (canon, keys) in CATEGORY_KEYWORDS {
        if keys.iter().any(|k| s.contains(k)) {
            return (canon, true);
        }
    }
    ("其他", false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_problem_length_bound() {
        assert_eq!(NO_PROBLEM.iter().map(|p| p.chars().count()).max(), Some(LONGEST_NO_PROBLEM));
        // Spaces and trailing full stops do not count towards the bound.
        assert!(says_no_problem("暂 无 困 难 问 题 。。。。。。。。。。。。。。"));
        assert!(says_no_problem("\u{3000}暫無困難問題！"));
        // White space of every kind between the characters does not count.
        assert!(says_no_problem("暫\u{3000}無 \t困  難 問 題"));
        assert!(!says_no_problem("企业融资难，无抵押物，希望协调担保"));
    }

    #[test]
    fn folds() {
        assert_eq!(project_status("續建"), Some(ProjectStatus::UnderConstruction));
        assert_eq!(project_status("缓建"), Some(ProjectStatus::Halted));
        assert_eq!(tier("市领导办"), Some(Tier::Leader));
        assert_eq!(project_status("竣工投产"), Some(ProjectStatus::InOperation));
        assert_eq!(project_status("未知"), None);
        assert_eq!(tier("重大"), Some(Tier::Leader));
        assert_eq!(problem_status("未办结"), Some(ProblemStatus::InProgress));
        assert_eq!(problem_status("已办结"), Some(ProblemStatus::Resolved));
        assert_eq!(problem_status("暂不具备条件"), Some(ProblemStatus::Unresolvable));
        assert_eq!(satisfaction("比较满意"), Some(Satisfaction::Fair));
        assert_eq!(category("其它"), ("其他", true));
        assert_eq!(category("融资难"), ("融资", true));
        assert_eq!(category("外星人"), ("其他", false));
        assert!(says_no_problem("暂无"));
        assert!(says_no_problem(" 无诉求。"));
        assert!(!says_no_problem("暂无资金"));
    }
}
