//! The front matter: 封面 (cover with the source files), 目录 (contents
//! with links) and 说明 (every definition, from the same table as
//! `docs/metrics.md`).

use super::formats::*;
use super::sheet::*;
use super::table::*;
use super::SheetId;
use crate::definitions::METRICS;
use crate::error::Error;
use crate::model::Report;

pub(super) fn cover(r: &Report, f: &Formats, period: &str, number: &mut u32) -> Result<Sheet, Error> {
    let mut s = Sheet::new(SheetId::Cover)?;
    s.line(0, 0, &r.title, &f.cover_title)?;
    s.heights.push((0, 30.0));
    let pairs: [(&str, String); 3] = [
        ("编制单位", r.office.clone()),
        ("统计期", format!("{period}（数据截至{}年{}月底）", r.year, r.month)),
        ("项目数据月份", r.projects.source_period.clone().unwrap_or_else(|| "无重点项目台账".into())),
    ];
    let mut at = 2;
    for (label, value) in pairs {
        s.line(at, 0, label, &f.cover_label)?;
        s.line(at, 1, &value, &f.cover_text)?;
        at += 1;
    }
    s.line(at, 0, "生成日期", &f.cover_label)?;
    let today = chrono::Local::now().date_naive();
    s.ws.write_date_with_format(at, 1, today, &f.cover_date).map_err(xl)?;
    at += 2;

    s.line(at, 0, "阅读说明", &f.cover_label)?;
    at += 1;
    let guide = [
        format!("1. 本工作簿由 statbrief 根据各单位报送的台账自动生成，除“走访情况”的逐月数据外，均为{period}累计数。"),
        "2. “目录”列出每张工作表及其内容，点击名称可跳转；“说明”给出每项数据的名称、计量单位和定义。".into(),
        "3. 每张表上方为表题和计量单位，下方为资料来源。表格是 Excel 表格（可用“数据 → 筛选”筛选、排序），数值以数字保存，可直接计算。"
            .into(),
        "4. 空白单元格表示无数据或不适用（不是零）。".into(),
        "5. 进度标识：绿 = 不低于时序进度或达到目标，黄 = 略低于时序进度，红 = 落后；督办颜色：蓝、黄、红表示逾期由轻到重。".into(),
        "6. “数据质量”逐表核对读取的行数并列出每条数据问题，发布前请核对；下表列出所用文件及其 SHA-256 校验值。".into(),
    ];
    for g in &guide {
        s.line(at, 0, g, &f.cover_text)?;
        at += 1;
    }
    at += 1;

    let rows = r
        .data_quality
        .files
        .iter()
        .map(|file| {
            row(vec![
                text(&file.path),
                text(&file.sha256),
                int(file.sheets.len() as i64),
                text(file.error.clone().unwrap_or_else(|| "已读取".into())),
            ])
        })
        .collect();
    let spec = TableSpec {
        name: "tbl_files",
        title: "来源文件".into(),
        unit: "单位：个（工作表数）".into(),
        source: "资料来源：输入文件夹中的台账文件，statbrief 读取时计算 SHA-256 校验值。".into(),
        columns: vec![
            col_cap("文件", Fmt::Text, 50.0),
            col_cap("SHA-256", Fmt::Text, 70.0),
            col("工作表数", Fmt::Count),
            col_cap("读取情况", Fmt::Text, 40.0),
        ],
        rows,
        rules: vec![],
        notes: vec![],
    };
    s.table(f, at, &spec, number)?;
    // The cover's labels sit in the file column; keep it wide enough for them.
    s.need(0, 14.0);
    s.single_header = None;
    Ok(s)
}

/// Chart titles at 12 pt: Excel's default 14 pt bold crowds a 330 px chart.
pub(super) fn contents(f: &Formats, number: &mut u32) -> Result<Sheet, Error> {
    let mut s = Sheet::new(SheetId::Contents)?;
    let rows = SheetId::ALL
        .iter()
        .enumerate()
        .map(|(i, id)| {
            row(vec![
                int(i as i64 + 1),
                Cell::Link(id.name().to_string(), id.name().to_string()),
                text(id.description()),
            ])
        })
        .collect();
    let spec = TableSpec {
        name: "tbl_contents",
        title: "目录".into(),
        unit: "点击工作表名称跳转到该表。".into(),
        source: "资料来源：statbrief。".into(),
        columns: vec![col("序号", Fmt::Count), col("工作表", Fmt::Text), col_cap("内容", Fmt::Text, 90.0)],
        rows,
        rules: vec![],
        notes: vec![],
    };
    s.table(f, 0, &spec, number)?;
    Ok(s)
}

pub(super) fn notes(f: &Formats, number: &mut u32) -> Result<Sheet, Error> {
    let mut s = Sheet::new(SheetId::Notes)?;
    let rows = METRICS
        .iter()
        .map(|(key, name, unit, def)| row(vec![text(*key), text(*name), text(*unit), text(*def)]))
        .collect();
    let spec = TableSpec {
        name: "tbl_definitions",
        title: "数据定义和计量单位".into(),
        unit: "空白单元格表示无数据或不适用（metrics.json 中为 null），不是零。金额单位为万元，比率单位为%。".into(),
        source: "资料来源：statbrief 指标定义（src/definitions.rs，与 docs/metrics.md 同源）。".into(),
        columns: vec![
            col_cap("数据项（metrics.json）", Fmt::Text, 36.0),
            col_cap("名称", Fmt::Text, 20.0),
            col_cap("单位", Fmt::Text, 14.0),
            col_cap("定义", Fmt::Text, 70.0),
        ],
        rows,
        rules: vec![],
        notes: vec![
            format!("注：1. {FLAG_NOTE}"),
            "　　2. 总览中的差距 = 实际 − 目标（负数为尚差）；没有进度标识的目标，实际不低于目标为绿，否则为红。"
                .into(),
            "　　3. 督办颜色：蓝 = 逾期1—7天，黄 = 8—30天，红 = 30天以上（默认阈值，可在 statbrief.toml 中调整）。"
                .into(),
            "　　4. “合计”行为各项之和（比率由和计算，不是平均），经济指标的“全部”行同理，不参加排名。".into(),
        ],
    };
    s.table(f, 0, &spec, number)?;
    Ok(s)
}
