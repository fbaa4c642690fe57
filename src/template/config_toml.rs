//! `statbrief.toml` as `init` writes it: every key with its value and a
//! Chinese comment, so an office sees at once what it can set.
//!
//! The keys are taken from the `Config` struct itself (serialised), not from
//! a list written here: a key added to `Config` without a comment here is
//! written with a placeholder comment, and the tests fail on that.

use crate::config::Config;
use crate::error::Error;
use std::fmt::Write as _;

/// The Chinese comment of each key (`section.key` for keys in a table).
pub fn comment(key: &str) -> Option<&'static str> {
    Some(match key {
        "office" => "发布简报的单位名称，显示在工作簿封面和作者中",
        "title" => "简报标题",
        "area" => "文稿中对全域的称呼（全县/全市/全区）；留空则按单位名称推断",
        "region_order" => "乡镇（街道）的法定顺序：表格按此排序，填报模板的“所属地区”下拉列表也取自这里",
        "yellow_band_pp" => "低于时序进度多少个百分点以内仍为黄色（超过为红色）",
        "tier_days" => "问题没有办结时限时，按办理层级默认的办理天数",
        "tier_days.on_the_spot" => "当场办的天数（也可写作 \"当场办\" = 3）",
        "tier_days.department" => "部门办的天数",
        "tier_days.leader" => "领导办的天数",
        "tier_days.none" => "未填办理层级时的天数",
        "colours" => "逾期督办的颜色：按逾期天数分为蓝、黄、红",
        "colours.blue_max" => "逾期天数不超过此值为蓝色",
        "colours.yellow_max" => "逾期天数不超过此值为黄色，超过为红色",
        "docx" => "briefing.docx（公文格式）所用的字体名称；电脑上没有“仿宋_GB2312”等字体时，可改为“仿宋”“FangSong”等",
        "docx.title_font" => "标题字体（2号，默认方正小标宋简体）",
        "docx.body_font" => "正文字体（3号，默认仿宋_GB2312）",
        "docx.heading1_font" => "一级标题“一、”的字体（默认黑体）",
        "docx.heading2_font" => "二级标题“（一）”的字体（默认楷体_GB2312）",
        "docx.page_number_font" => "页码“— 1 —”的字体（4号，默认宋体）",
        "docx.latin_font" => "数字和西文的字体（默认 Times New Roman）",
        _ => return None,
    })
}

const UNDOCUMENTED: &str = "（此项暂无说明）";

/// The text of `statbrief.toml` holding `config`'s values.
pub fn render(config: &Config) -> Result<String, Error> {
    let value = toml::Value::try_from(config).map_err(|e| Error::Internal(format!("无法生成配置文件：{e}")))?;
    let Some(table) = value.as_table() else {
        return Err(Error::Internal("配置不是表".into()));
    };
    let mut out = String::from(
        "# statbrief 配置文件。每一项都有默认值，不需要的项可以删去；\n# 项名写错或类型不对时，statbrief 会报错并指出是哪一项。\n\n",
    );
    // Plain keys first, then the tables: TOML puts a key after a [table]
    // header into that table.
    for (key, v) in table.iter().filter(|(_, v)| !v.is_table()) {
        let _ = writeln!(out, "# {}\n{key} = {v}\n", comment(key).unwrap_or(UNDOCUMENTED));
    }
    for (key, v) in table.iter() {
        let Some(sub) = v.as_table() else { continue };
        let _ = writeln!(out, "# {}\n[{key}]", comment(key).unwrap_or(UNDOCUMENTED));
        for (k, v) in sub {
            let _ = writeln!(out, "{k} = {v}  # {}", comment(&format!("{key}.{k}")).unwrap_or(UNDOCUMENTED));
        }
        out.push('\n');
    }
    Ok(out)
}

/// Every key of the configuration, as `section.key`.
pub fn keys(config: &Config) -> Vec<String> {
    let Ok(toml::Value::Table(table)) = toml::Value::try_from(config) else {
        return Vec::new();
    };
    let mut keys = Vec::new();
    for (key, v) in &table {
        keys.push(key.clone());
        if let Some(sub) = v.as_table() {
            keys.extend(sub.keys().map(|k| format!("{key}.{k}")));
        }
    }
    keys
}
