//! The office's settings: `statbrief.toml`.
//!
//! Offices differ in name, in the official order of their towns (Chinese
//! tables list towns in administrative order, not alphabetically), and in
//! their supervision rules. Everything has a built-in default; an unknown key
//! or a wrong type is an error that names the key, because a silently
//! ignored typo in a threshold would change published figures.

use crate::error::Error;
use crate::model::{Colour, Tier};
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// The office that publishes the briefing (author of the workbook).
    pub office: String,
    /// The briefing's title.
    pub title: String,
    /// How documents name the whole area (`全县`, `全市`, `全区`); empty: taken
    /// from the office's name (`青山县统计局` → `全县`).
    pub area: String,
    /// Official order of regions; regions not listed follow in name order.
    pub region_order: Vec<String>,
    /// Points below time progress that are still `yellow` (SPEC §2.1).
    pub yellow_band_pp: f64,
    pub tier_days: TierDays,
    pub colours: Colours,
    /// Fonts of briefing.docx (`[docx]`).
    pub docx: crate::report::docx::DocxFonts,
}

/// Default handling days by tier, when a problem has no deadline (SPEC §2.3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TierDays {
    /// 当场办 (also accepted as the quoted key `"当场办"`).
    #[serde(alias = "当场办")]
    pub on_the_spot: i64,
    /// 部门办.
    #[serde(alias = "部门办")]
    pub department: i64,
    /// 领导办.
    #[serde(alias = "领导办")]
    pub leader: i64,
    /// A problem without a tier.
    pub none: i64,
}

/// Supervision colours by days overdue: 蓝 up to `blue_max`, 黄 up to
/// `yellow_max`, 红 beyond.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Colours {
    pub blue_max: i64,
    pub yellow_max: i64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            office: "统计局".into(),
            title: "经济运行和重点工作简报".into(),
            area: String::new(),
            region_order: Vec::new(),
            yellow_band_pp: 10.0,
            tier_days: TierDays::default(),
            colours: Colours::default(),
            docx: Default::default(),
        }
    }
}

impl Default for TierDays {
    fn default() -> Self {
        TierDays { on_the_spot: 3, department: 15, leader: 30, none: 15 }
    }
}

impl Default for Colours {
    fn default() -> Self {
        Colours { blue_max: 7, yellow_max: 30 }
    }
}

impl TierDays {
    pub fn for_tier(&self, tier: Option<Tier>) -> i64 {
        match tier {
            Some(Tier::OnTheSpot) => self.on_the_spot,
            Some(Tier::Department) => self.department,
            Some(Tier::Leader) => self.leader,
            None => self.none,
        }
    }
}

impl Colours {
    /// 蓝 (1–7 days), 黄 (8–30), 红 (more than 30) with the default thresholds.
    pub fn colour(&self, days_overdue: i64) -> Colour {
        if days_overdue <= self.blue_max {
            Colour::Blue
        } else if days_overdue <= self.yellow_max {
            Colour::Yellow
        } else {
            Colour::Red
        }
    }
}

pub const FILE_NAME: &str = "statbrief.toml";

impl Config {
    pub fn parse(text: &str) -> Result<Config, Error> {
        toml::from_str(text).map_err(|e: toml::de::Error| Error::Usage(format!("配置文件有误：{e}")))
    }

    /// `--config FILE`, else `statbrief.toml` in the input folder, else defaults.
    pub fn load(explicit: Option<&Path>, input: &Path) -> Result<Config, Error> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => {
                let p = input.join(FILE_NAME);
                if !p.exists() {
                    return Ok(Config::default());
                }
                p
            }
        };
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Error::Usage(format!("无法读取配置文件 {}：{e}", path.display())))?;
        Config::parse(&text).map_err(|e| Error::Usage(format!("{}：{e}", path.display())))
    }

    /// Position of a region in the official order (unlisted ones last).
    pub fn region_rank(&self, region: &str) -> usize {
        self.region_order.iter().position(|r| r == region).unwrap_or(usize::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_overrides() {
        let c =
            Config::parse("office = \"青山县统计局\"\nyellow_band_pp = 5\n[tier_days]\n\"当场办\" = 2\nleader = 20\n")
                .unwrap();
        assert_eq!(c.office, "青山县统计局");
        assert_eq!(c.area, "");
        assert_eq!(Config::parse("area = \"全市\"").unwrap().area, "全市");
        assert_eq!(c.yellow_band_pp, 5.0);
        assert_eq!(c.tier_days.on_the_spot, 2);
        assert_eq!(c.tier_days.department, 15);
        assert_eq!(c.tier_days.leader, 20);
        assert_eq!(c.colours.colour(7), Colour::Blue);
        assert_eq!(c.colours.colour(8), Colour::Yellow);
        assert_eq!(c.colours.colour(31), Colour::Red);
    }

    #[test]
    fn unknown_key_and_wrong_type_are_named() {
        let e = Config::parse("yelow_band_pp = 5").unwrap_err().to_string();
        assert!(e.contains("yelow_band_pp"), "{e}");
        let e = Config::parse("yellow_band_pp = \"ten\"").unwrap_err().to_string();
        assert!(e.contains("yellow_band_pp") || e.contains("invalid type"), "{e}");
    }
}
