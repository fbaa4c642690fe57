//! The domain's values as types: ledger kinds, flags, supervision colours,
//! problem statuses, tiers, satisfaction grades and project statuses.
//!
//! Each used to be a string spelled in several places (`"green"` next to
//! `"绿"`, `"resolved"` in three modules); a typo then compiled and silently
//! matched nothing. Here each value is an enum whose serde name is the
//! spelling `metrics.json` and the tidy data have always used, so the
//! outputs stay byte-identical while the compiler checks every use.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The label of an indicator's whole in `metrics.json` (`region` = `全部`).
pub const WHOLE: &str = "全部";
/// The label of a group whose ledger cell was empty: listed, never ranked.
pub const UNLABELLED: &str = "（未填报）";

/// The four ledger kinds of SPEC §1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Projects,
    Indicators,
    Visits,
    Targets,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Projects, Kind::Indicators, Kind::Visits, Kind::Targets];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Projects => "projects",
            Kind::Indicators => "indicators",
            Kind::Visits => "visits",
            Kind::Targets => "targets",
        }
    }

    /// The ledger's Chinese name, as clerks call it.
    pub fn chinese(self) -> &'static str {
        match self {
            Kind::Projects => "重点项目台账",
            Kind::Indicators => "经济指标月报",
            Kind::Visits => "走访问题台账",
            Kind::Targets => "目标任务表",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A project's (or group's) progress against time: SPEC §2.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Flag {
    Green,
    Yellow,
    Red,
}

impl Flag {
    pub const ALL: [Flag; 3] = [Flag::Green, Flag::Yellow, Flag::Red];

    /// green at or above time progress, yellow within the band below, red otherwise.
    pub fn of(rate: f64, time_progress: f64, yellow_band_pp: f64) -> Flag {
        if rate >= time_progress {
            Flag::Green
        } else if rate >= time_progress - yellow_band_pp {
            Flag::Yellow
        } else {
            Flag::Red
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Flag::Green => "green",
            Flag::Yellow => "yellow",
            Flag::Red => "red",
        }
    }

    /// In words: 正常, 滞后, 严重滞后.
    pub fn label(self) -> &'static str {
        match self {
            Flag::Green => "正常",
            Flag::Yellow => "滞后",
            Flag::Red => "严重滞后",
        }
    }

    /// The one-character colour a workbook cell shows: 绿, 黄, 红.
    pub fn colour_word(self) -> &'static str {
        match self {
            Flag::Green => "绿",
            Flag::Yellow => "黄",
            Flag::Red => "红",
        }
    }

    /// The CSS class of the HTML briefing.
    pub fn css_class(self) -> &'static str {
        self.as_str()
    }
}

/// The supervision colour of an overdue problem: SPEC §2.3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Colour {
    #[serde(rename = "蓝")]
    Blue,
    #[serde(rename = "黄")]
    Yellow,
    #[serde(rename = "红")]
    Red,
}

impl Colour {
    pub const ALL: [Colour; 3] = [Colour::Blue, Colour::Yellow, Colour::Red];

    /// The colour named by its Chinese word.
    pub fn parse(s: &str) -> Option<Colour> {
        Colour::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Colour::Blue => "蓝",
            Colour::Yellow => "黄",
            Colour::Red => "红",
        }
    }

    /// The CSS class of the HTML briefing.
    pub fn css_class(self) -> &'static str {
        match self {
            Colour::Blue => "blue",
            Colour::Yellow => "yellow",
            Colour::Red => "red",
        }
    }
}

/// The status of a problem, folded from the ledger's wording (SPEC §1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemStatus {
    Resolved,
    InProgress,
    Unresolvable,
}

impl ProblemStatus {
    pub const ALL: [ProblemStatus; 3] =
        [ProblemStatus::Resolved, ProblemStatus::InProgress, ProblemStatus::Unresolvable];

    /// The spelling in the tidy data and `metrics.json`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemStatus::Resolved => "resolved",
            ProblemStatus::InProgress => "in_progress",
            ProblemStatus::Unresolvable => "unresolvable",
        }
    }

    pub fn parse(s: &str) -> Option<ProblemStatus> {
        ProblemStatus::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub fn chinese(self) -> &'static str {
        match self {
            ProblemStatus::Resolved => "已解决",
            ProblemStatus::InProgress => "办理中",
            ProblemStatus::Unresolvable => "无法解决",
        }
    }
}

/// How an indicator table is laid out (SPEC §1.4, "Layouts"); all three
/// are read into the same long rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IndicatorLayout {
    /// A row per indicator and region.
    #[serde(rename = "long")]
    Long,
    /// The whole area's own table: an indicator column, no region column.
    #[serde(rename = "whole_area")]
    WholeArea,
    /// A row per region, a merged group of value columns per indicator.
    #[serde(rename = "wide")]
    Wide,
}

impl IndicatorLayout {
    /// How `check` names the layout.
    pub fn chinese(self) -> &'static str {
        match self {
            IndicatorLayout::Long => "长表（每行一个地区的一个指标）",
            IndicatorLayout::WholeArea => "全域表（无地区列，各行为全县数）",
            IndicatorLayout::Wide => "宽表（每行一个地区，每个指标一组列）",
        }
    }
}

/// Who handles a problem, which sets its default deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Tier {
    #[serde(rename = "当场办")]
    OnTheSpot,
    #[serde(rename = "部门办")]
    Department,
    #[serde(rename = "领导办")]
    Leader,
}

impl Tier {
    pub const ALL: [Tier; 3] = [Tier::OnTheSpot, Tier::Department, Tier::Leader];

    pub fn as_str(self) -> &'static str {
        match self {
            Tier::OnTheSpot => "当场办",
            Tier::Department => "部门办",
            Tier::Leader => "领导办",
        }
    }

    pub fn parse(s: &str) -> Option<Tier> {
        Tier::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// An enterprise's verdict on how its problem was handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Satisfaction {
    #[serde(rename = "满意")]
    Satisfied,
    #[serde(rename = "基本满意")]
    Fair,
    #[serde(rename = "不满意")]
    Dissatisfied,
}

impl Satisfaction {
    pub const ALL: [Satisfaction; 3] = [Satisfaction::Satisfied, Satisfaction::Fair, Satisfaction::Dissatisfied];

    pub fn as_str(self) -> &'static str {
        match self {
            Satisfaction::Satisfied => "满意",
            Satisfaction::Fair => "基本满意",
            Satisfaction::Dissatisfied => "不满意",
        }
    }

    pub fn parse(s: &str) -> Option<Satisfaction> {
        Satisfaction::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// 满意 and 基本满意 count towards the satisfaction rate.
    pub fn is_satisfied(self) -> bool {
        !matches!(self, Satisfaction::Dissatisfied)
    }
}

/// A project's stage, folded from the ledger's wording (SPEC §1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ProjectStatus {
    #[serde(rename = "前期")]
    Preliminary,
    #[serde(rename = "签约")]
    Signed,
    #[serde(rename = "新开工")]
    NewStart,
    #[serde(rename = "在建")]
    UnderConstruction,
    #[serde(rename = "投产")]
    InOperation,
    #[serde(rename = "停建")]
    Halted,
}

impl ProjectStatus {
    pub const ALL: [ProjectStatus; 6] = [
        ProjectStatus::Preliminary,
        ProjectStatus::Signed,
        ProjectStatus::NewStart,
        ProjectStatus::UnderConstruction,
        ProjectStatus::InOperation,
        ProjectStatus::Halted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProjectStatus::Preliminary => "前期",
            ProjectStatus::Signed => "签约",
            ProjectStatus::NewStart => "新开工",
            ProjectStatus::UnderConstruction => "在建",
            ProjectStatus::InOperation => "投产",
            ProjectStatus::Halted => "停建",
        }
    }

    /// 新开工, 在建 and 投产 count as started (SPEC §2.1).
    pub fn is_started(self) -> bool {
        matches!(self, ProjectStatus::NewStart | ProjectStatus::UnderConstruction | ProjectStatus::InOperation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json<T: Serialize>(v: T) -> String {
        serde_json::to_string(&v).unwrap()
    }

    #[test]
    fn serde_names_are_the_published_spellings() {
        assert_eq!(json(Flag::Yellow), "\"yellow\"");
        assert_eq!(json(Colour::Blue), "\"蓝\"");
        assert_eq!(json(ProblemStatus::InProgress), "\"in_progress\"");
        assert_eq!(json(Tier::Leader), "\"领导办\"");
        assert_eq!(json(Satisfaction::Fair), "\"基本满意\"");
        assert_eq!(json(ProjectStatus::UnderConstruction), "\"在建\"");
        assert_eq!(json(Kind::Visits), "\"visits\"");
    }

    #[test]
    fn as_str_agrees_with_serde() {
        for v in ProblemStatus::ALL {
            assert_eq!(json(v), format!("\"{}\"", v.as_str()));
        }
        for v in Tier::ALL {
            assert_eq!(json(v), format!("\"{}\"", v.as_str()));
        }
        for v in Satisfaction::ALL {
            assert_eq!(json(v), format!("\"{}\"", v.as_str()));
        }
        for v in ProjectStatus::ALL {
            assert_eq!(json(v), format!("\"{}\"", v.as_str()));
        }
    }

    #[test]
    fn flags_follow_time_progress() {
        // Time progress 50 %, band 10 points: 50 → green, 40 → yellow, 39.9 → red.
        assert_eq!(Flag::of(50.0, 50.0, 10.0), Flag::Green);
        assert_eq!(Flag::of(40.0, 50.0, 10.0), Flag::Yellow);
        assert_eq!(Flag::of(39.9, 50.0, 10.0), Flag::Red);
    }
}
