//! 数据质量: the row accounting of every sheet and every data-quality issue.

use super::formats::*;
use super::sheet::*;
use super::table::*;
use super::SheetId;
use crate::error::Error;
use crate::model::{Kind, Report};

pub(super) fn quality(r: &Report, f: &Formats, number: &mut u32) -> Result<Sheet, Error> {
    let mut s = Sheet::new(SheetId::Quality)?;
    let q = &r.data_quality;
    let mut rows = Vec::new();
    for file in &q.files {
        if let Some(e) = &file.error {
            let mut cells = vec![text(&file.path), Cell::Empty, Cell::Empty, Cell::Empty, text(e)];
            cells.extend(std::iter::repeat_n(Cell::Empty, 6));
            rows.push(row(cells));
        }
        for sh in &file.sheets {
            let mut remark = Vec::new();
            if sh.hidden {
                remark.push("隐藏工作表".to_string());
            }
            remark.extend(sh.remarks());
            if !sh.ignored_columns.is_empty() {
                remark.push(format!("未用列：{}", sh.ignored_columns.join("、")));
            }
            rows.push(row(vec![
                text(&file.path),
                text(&sh.sheet),
                sh.kind.map_or(Cell::Empty, |k: Kind| text(k.chinese())),
                opt_text(sh.period.as_ref()),
                opt_text(sh.skipped_reason.as_ref()),
                int(sh.rows as i64),
                int(sh.accepted as i64),
                int(sh.blank as i64),
                int(sh.total_rows as i64),
                int(sh.rejected as i64),
                if remark.is_empty() { Cell::Empty } else { text(remark.join("；")) },
            ]));
        }
    }
    let spec = TableSpec {
        name: "tbl_row_accounting",
        title: "各工作表读取行数核对".into(),
        unit: "单位：行；行数 = 接收 + 空行 + 合计行 + 拒收".into(),
        source: "资料来源：statbrief 读取输入文件夹时的记录。".into(),
        columns: vec![
            col_cap("文件", Fmt::Text, 40.0),
            col("工作表", Fmt::Text),
            col("类型", Fmt::Text),
            col("报告期", Fmt::Text),
            col_cap("未读取原因", Fmt::Text, 50.0),
            col("行数", Fmt::Count),
            col("接收", Fmt::Count),
            col("空行", Fmt::Count),
            col("合计行", Fmt::Count),
            col("拒收", Fmt::Count),
            col_cap("备注", Fmt::Text, 30.0),
        ],
        rows,
        rules: vec![],
        notes: vec![],
    };
    let placed = s.table(f, 0, &spec, number)?;

    let issues = q
        .issues
        .iter()
        .map(|i| {
            row(vec![
                text(&i.file),
                opt_text(i.sheet.as_ref()),
                text(i.severity.chinese()),
                opt_text(i.cell.as_ref()),
                text(&i.message),
                opt_text(i.value.as_ref()),
                i.column.map_or(Cell::Empty, |c| text(c.name())),
            ])
        })
        .collect();
    let spec2 = TableSpec {
        name: "tbl_issues",
        title: "数据问题清单".into(),
        unit: "级别：错误 = 该行被拒收或文件、工作表未能使用；警告 = 数据已使用但需核对；提示 = 供参考".into(),
        source: "资料来源：statbrief 读取和计算时的检查记录；单元格为台账原表中的位置。".into(),
        // Ordered so that the wide columns fall under the wide columns of
        // the accounting table above (column widths are shared).
        columns: vec![
            col_cap("文件", Fmt::Text, 40.0),
            col("工作表", Fmt::Text),
            col("级别", Fmt::Mark),
            col("单元格", Fmt::Text),
            col_cap("说明", Fmt::Text, 50.0),
            col_cap("原值", Fmt::Text, 20.0),
            col("列", Fmt::Text),
        ],
        rows: issues,
        rules: vec![Rule { column: 2, fills: vec![("错误", Tone::Red), ("警告", Tone::Yellow)] }],
        notes: vec![],
    };
    s.table(f, placed.next, &spec2, number)?;
    Ok(s)
}
