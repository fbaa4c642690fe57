//! `填报说明.md`: how to fill in the templates, in plain Chinese, generated
//! from the same schema as the templates so the two always agree.

use super::workbook::{file_name, LEVELS};
use crate::ingest::template_marks::EXAMPLE_MARK;
use crate::model::Kind;
use crate::schema::{self, KindSchema};
use std::fmt::Write as _;

pub const FILE_NAME: &str = "填报说明.md";

/// The guide for the four templates.
pub fn render(region_order: &[String]) -> String {
    let mut out = String::from("# 台账填报说明\n\n");
    out.push_str(
        "本文件夹中的四个 Excel 模板由统计局统一下发，请按模板填报后原样报回，不要改动表头。\n\n\
         ## 通用要求\n\n\
         1. **标题中的报告期**：把第一行标题里的“X月”改成实际月份，如“2025年3月重点项目台账”或“2025年1-3月重点项目台账”；\
         目标任务表把“20XX年”改成年度。也可以在文件名中写明报告期，如“城关镇_2025-03_重点项目台账.xlsx”。\
         报告期没有填写时，整张表不会被读取。\n",
    );
    let _ = writeln!(
        out,
        "2. **示例行**：表头下方灰色、第一格为“{EXAMPLE_MARK}”的一行只是示范，读取时自动跳过；可以删去，也可以保留。"
    );
    out.push_str(
        "3. **表头不能改**：第二行表头已锁定（工作表保护，没有密码）。如确需调整，可在“审阅→撤销工作表保护”后修改，但请不要改动列名。\n\
         4. **一行一条记录**：不要合并单元格，不要插入小计、合计行，表格末尾不要写备注；需要说明的情况请另附文字。\n\
         5. **数字只填数字**：金额一律以万元为单位，不要带“万元”等字样；没有数据的格子留空，不要填 0 或“-”。\n\
         6. **日期**：填写为日期格式，如 2025-03-05。\n\
         7. **下拉列表**：带下拉箭头的列请从列表中选择，不要自行输入其他写法。\n\
         8. 每个表头都有批注，鼠标移到表头上即可看到该列的填写要求；选中单元格时也会出现提示。\n\n",
    );
    if !region_order.is_empty() {
        let _ = writeln!(out, "本单位的乡镇（街道）：{}。\n", region_order.join("、"));
    }
    for kind in Kind::ALL {
        render_kind(&mut out, &schema::kind_schema(kind), !region_order.is_empty());
    }
    out
}

fn render_kind(out: &mut String, ks: &KindSchema, has_regions: bool) {
    let _ = writeln!(out, "## {}（{}）\n", ks.name, file_name(ks.kind));
    out.push_str("| 列 | 是否必填 | 怎么填 | 可选值 |\n|---|---|---|---|\n");
    for c in &ks.columns {
        let mut choices: Vec<&str> = schema::dropdown(ks.kind, c.name);
        if (ks.kind, c.name) == (Kind::Projects, "level") {
            choices = LEVELS.to_vec();
        }
        if has_regions && (c.name == "region" || c.name == "scope") {
            choices = vec!["见上文“本单位的乡镇（街道）”"];
        }
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            c.header,
            if c.required { "必填" } else { "选填" },
            c.help,
            choices.join("、")
        );
    }
    if let Some(note) = ks.required_note {
        let _ = writeln!(out, "\n另：{note}。");
    }
    out.push('\n');
}
