//! One blank ledger template: the workbook `init` sends to the towns.
//!
//! Most of the mess in returned ledgers comes from towns inventing layouts,
//! so the template is built from the schema ingestion reads (`crate::schema`):
//! its headers are canonical labels with their unit, each header has a note
//! saying what goes there, every column has data validation with an input
//! message, the header is frozen and protected (no password, data cells
//! unlocked), and a grey example row marked `示例` shows a filled row —
//! ingestion skips it. The title holds a period placeholder (`2025年X月`)
//! that the clerk overwrites and period detection then reads.

use crate::config::Config;
use crate::ingest::template_marks::{placeholder_title, EXAMPLE_MARK};
use crate::model::Kind;
use crate::schema::{self, ColumnSchema};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, ExcelDateTime, Format, FormatAlign, FormatBorder,
    Note, ProtectionOptions, Workbook, Worksheet, XlsxError,
};
use unicode_width::UnicodeWidthStr;

/// Zero-based rows of the title, the header and the example row.
pub const TITLE_ROW: u32 = 0;
pub const HEADER_ROW: u32 = 1;
pub const EXAMPLE_ROW: u32 = 2;
/// Rows below the header that carry validation and unlocked cells.
const DATA_ROWS: u32 = 2000;
/// The first column is 序号 (ignored by ingestion); ledger columns follow.
pub const FIRST_COL: u16 = 1;

/// Project levels offered in the template. Ingestion keeps a level as
/// written (it is a label, not folded), so this list is the template's own.
pub const LEVELS: [&str; 3] = ["省重点", "市重点", "县重点"];

/// The file name of a kind's template.
pub fn file_name(kind: Kind) -> String {
    format!("{}.xlsx", kind.chinese())
}

/// A value of the example row.
enum Example {
    Text(&'static str),
    /// The office's first region, in the region column.
    Owned(String),
    Num(f64),
    Date(u16, u8, u8),
    Empty,
}

fn example(kind: Kind, name: &str, year: i32) -> Example {
    use Example::*;
    match (kind, name) {
        (Kind::Projects, "project_id") => Text("XM001"),
        (Kind::Projects, "name") => Text("××产业园建设项目"),
        (Kind::Projects, "chain") => Text("装备制造"),
        (Kind::Projects, "level") => Text("县重点"),
        (Kind::Projects, "leader") => Text("张××"),
        (Kind::Projects, "resp_unit") => Text("县发改局"),
        (Kind::Projects, "total_investment") => Num(50_000.0),
        (Kind::Projects, "plan_year") => Num(12_000.0),
        (Kind::Projects, "done_ytd") => Num(3_500.0),
        (Kind::Projects, "status") => Text("在建"),
        (Kind::Projects, "start_date") => Date(2024, 3, 15),
        (Kind::Indicators, "indicator") => Text("规上工业增加值"),
        (Kind::Indicators, "unit") => Text("万元"),
        (Kind::Indicators, "value_month") => Num(1_200.0),
        (Kind::Indicators, "value_ytd") => Num(3_600.0),
        (Kind::Indicators, "value_ytd_ly") => Num(3_300.0),
        (Kind::Indicators, "growth_reported") => Num(9.1),
        (Kind::Visits, "visit_id") => Text("ZF001"),
        (Kind::Visits, "visit_date") => Date(year.clamp(2000, 2100) as u16, 3, 5),
        (Kind::Visits, "cadre") => Text("李××"),
        (Kind::Visits, "cadre_unit") => Text("县工信局"),
        (Kind::Visits, "enterprise") => Text("××机械制造有限公司"),
        (Kind::Visits, "uscc") => Text("91350100M000100Y43"),
        (Kind::Visits, "problem") => Text("流动资金贷款到期续贷困难"),
        (Kind::Visits, "category") => Text("融资"),
        (Kind::Visits, "tier") => Text("部门办"),
        (Kind::Visits, "status") => Text("办理中"),
        (Kind::Visits, "deadline") => Date(year.clamp(2000, 2100) as u16, 3, 20),
        (Kind::Visits, "satisfaction") => Text("满意"),
        (Kind::Targets, "scope") => Text("全县"),
        (Kind::Targets, "metric") => Text("规上工业增加值增速"),
        (Kind::Targets, "target") => Num(8.0),
        (Kind::Targets, "unit") => Text("%"),
        (Kind::Targets, "year") => Num(f64::from(year)),
        (_, "region") => Text("××镇"),
        _ => Empty,
    }
}

struct Formats {
    title: Format,
    header: Format,
    example: Format,
    example_date: Format,
    example_money: Format,
    text: Format,
    money: Format,
    number: Format,
    date: Format,
}

fn formats() -> Formats {
    let cell = Format::new().set_unlocked().set_border(FormatBorder::Thin).set_border_color("BFBFBF");
    let grey = |f: Format| f.set_background_color("EDEDED").set_font_color("7F7F7F").set_italic();
    Formats {
        title: Format::new()
            .set_bold()
            .set_font_size(16)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter),
        header: Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_background_color("DDEBF7")
            .set_border(FormatBorder::Thin),
        example: grey(cell.clone()),
        example_date: grey(cell.clone().set_num_format("yyyy-mm-dd")),
        example_money: grey(cell.clone().set_num_format("#,##0.00")),
        text: cell.clone(),
        money: cell.clone().set_num_format("#,##0.00"),
        number: cell.clone().set_num_format("General"),
        date: cell.set_num_format("yyyy-mm-dd"),
    }
}

/// The template of one kind, as xlsx bytes. `year` fills the title's
/// placeholder (`2025年X月`); the targets title leaves the year open.
pub fn render(kind: Kind, config: &Config, year: i32) -> Result<Vec<u8>, XlsxError> {
    build(kind, config, year)?.save_to_buffer()
}

/// The template as a workbook, before saving: its only sheet is the
/// ledger (the tests fill it in as a clerk would).
pub fn build(kind: Kind, config: &Config, year: i32) -> Result<Workbook, XlsxError> {
    let ks = schema::kind_schema(kind);
    let f = formats();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name(kind.chinese())?;
    let last_col = FIRST_COL + ks.columns.len() as u16 - 1;
    let title_year = (kind != Kind::Targets).then_some(year);
    ws.merge_range(TITLE_ROW, 0, TITLE_ROW, last_col, &placeholder_title(title_year, kind.chinese()), &f.title)?;
    ws.set_row_height(TITLE_ROW, 30)?;
    ws.set_row_height(HEADER_ROW, 36)?;
    ws.write_with_format(HEADER_ROW, 0, "序号", &f.header)?;
    ws.insert_note(
        HEADER_ROW,
        0,
        &Note::new("序号：可不填，读取时忽略。\n示例行标有“示例”，读取时跳过，可以删去。").add_author_prefix(false),
    )?;
    ws.write_with_format(EXAMPLE_ROW, 0, EXAMPLE_MARK, &f.example)?;
    ws.set_column_format(0, &f.text)?;
    ws.set_column_width(0, 6)?;
    for (i, c) in ks.columns.iter().enumerate() {
        let col = FIRST_COL + i as u16;
        write_column(ws, &f, kind, c, col, config, year)?;
    }
    ws.set_freeze_panes(HEADER_ROW + 1, 0)?;
    ws.protect_with_options(&protection());
    print_setup(ws)?;
    Ok(wb)
}

fn write_column(
    ws: &mut Worksheet,
    f: &Formats,
    kind: Kind,
    c: &ColumnSchema,
    col: u16,
    config: &Config,
    year: i32,
) -> Result<(), XlsxError> {
    // The unit goes on a second line of the header cell: ingestion removes
    // white space before matching, so this is still `年度计划投资（万元）`.
    let header = match c.unit {
        Some(u) => format!("{}\n（{u}）", c.label),
        None => c.label.to_string(),
    };
    ws.write_with_format(HEADER_ROW, col, &header, &f.header)?;
    let list = choices(kind, c, config);
    let note = note_text(c, &list);
    let lines = note.chars().filter(|ch| *ch == '\n').count() as u32 + 1 + (note.chars().count() as u32 / 22);
    ws.insert_note(
        HEADER_ROW,
        col,
        &Note::new(note).add_author_prefix(false).set_width(280).set_height(20 * lines + 16),
    )?;
    let (data_fmt, example_fmt) = match c.ty {
        "金额" => (&f.money, &f.example_money),
        "日期" => (&f.date, &f.example_date),
        "数值" | "百分比" | "年份" => (&f.number, &f.example),
        _ => (&f.text, &f.example),
    };
    ws.set_column_format(col, data_fmt)?;
    let ex = match (c.name, config.region_order.first()) {
        ("region", Some(r)) => Example::Owned(r.clone()),
        _ => example(kind, c.name, year),
    };
    let ex_width = match &ex {
        Example::Text(t) => t.width(),
        Example::Owned(t) => t.width(),
        Example::Num(_) | Example::Date(..) => 10,
        Example::Empty => 0,
    };
    match ex {
        Example::Text(t) => ws.write_with_format(EXAMPLE_ROW, col, t, example_fmt)?,
        Example::Owned(t) => ws.write_with_format(EXAMPLE_ROW, col, &t, example_fmt)?,
        Example::Num(v) => ws.write_with_format(EXAMPLE_ROW, col, v, example_fmt)?,
        Example::Date(y, m, d) => {
            ws.write_with_format(EXAMPLE_ROW, col, &ExcelDateTime::from_ymd(y, m, d)?, example_fmt)?
        }
        Example::Empty => ws.write_with_format(EXAMPLE_ROW, col, "", example_fmt)?,
    };
    // Chinese characters are two columns wide; the unit is on its own line.
    let width = c.label.width().max(ex_width).clamp(8, 40) + 2;
    ws.set_column_width(col, width as f64)?;
    let dv = validation(c, &list)?;
    ws.add_data_validation(EXAMPLE_ROW, col, EXAMPLE_ROW + DATA_ROWS, col, &dv)?;
    Ok(())
}

fn note_text(c: &ColumnSchema, choices: &[String]) -> String {
    let mut text = format!("{}（{}）\n{}", c.label, if c.required { "必填" } else { "选填" }, c.help);
    if let Some(u) = c.unit {
        text.push_str(&format!("\n单位：{u}"));
    }
    if !choices.is_empty() {
        text.push_str(&format!("\n可选：{}", choices.join("、")));
    }
    text
}

/// Dropdowns for the folded columns and regions, dates, amounts ≥ 0, and an
/// input message on every column.
/// The values a column's dropdown offers: the folded values of the schema,
/// the project levels, or the office's regions.
fn choices(kind: Kind, c: &ColumnSchema, config: &Config) -> Vec<String> {
    if (kind, c.name) == (Kind::Projects, "level") {
        return LEVELS.iter().map(|s| s.to_string()).collect();
    }
    if c.name == "region" || c.name == "scope" {
        let mut list = config.region_order.clone();
        if c.name == "scope" && !list.is_empty() {
            let area = if config.area.trim().is_empty() { "全县" } else { config.area.trim() };
            list.insert(0, area.to_string());
        }
        return list;
    }
    schema::dropdown(kind, c.name).into_iter().map(str::to_string).collect()
}

fn validation(c: &ColumnSchema, list: &[String]) -> Result<DataValidation, XlsxError> {
    // A region outside the office's list gets a warning, not a refusal: a
    // new town or a department may report too.
    let strict = c.name != "region" && c.name != "scope";
    let (dv, hint) = if !list.is_empty() && list.iter().map(|s| s.chars().count() + 1).sum::<usize>() <= 250 {
        (DataValidation::new().allow_list_strings(list)?, "请从下拉列表中选择")
    } else {
        match c.ty {
            "金额" => (
                DataValidation::new().allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0)),
                "请填写不小于0的数字，单位万元，不要带单位",
            ),
            "数值" | "百分比" => (
                DataValidation::new().allow_decimal_number(DataValidationRule::Between(-1e15, 1e15)),
                "请只填数字，不要带单位",
            ),
            "日期" => (
                DataValidation::new().allow_date(DataValidationRule::Between(
                    ExcelDateTime::from_ymd(2000, 1, 1)?,
                    ExcelDateTime::from_ymd(2100, 12, 31)?,
                )),
                "请填写日期，如 2025-03-05",
            ),
            "年份" => (
                DataValidation::new().allow_whole_number(DataValidationRule::Between(2000, 2100)),
                "请填写四位年份，如 2025",
            ),
            _ if c.name == "uscc" => {
                (DataValidation::new().allow_text_length(DataValidationRule::EqualTo(18)), "统一社会信用代码为18位")
            }
            _ => (DataValidation::new().allow_any_value(), ""),
        }
    };
    let required = if c.required { "（必填）" } else { "" };
    let message = format!("{}{required}\n{}", c.help, hint);
    let title: String = c.label.chars().take(30).collect();
    let mut dv = dv.set_input_title(title.clone())?.set_input_message(truncate(&message, 250))?;
    if !hint.is_empty() {
        dv = dv.set_error_title(title)?.set_error_message(truncate(hint, 250))?;
        if !strict {
            dv = dv.set_error_style(DataValidationErrorStyle::Warning);
        }
    }
    Ok(dv)
}

fn truncate(s: &str, max_chars: usize) -> String {
    s.chars().take(max_chars).collect()
}

/// Sheet protection without a password: the title and header are locked,
/// the data cells are not (their column format is unlocked), and rows can
/// still be inserted, deleted, sorted and filtered.
fn protection() -> ProtectionOptions {
    ProtectionOptions {
        format_columns: true,
        format_rows: true,
        insert_rows: true,
        delete_rows: true,
        sort: true,
        use_autofilter: true,
        ..ProtectionOptions::new()
    }
}

fn print_setup(ws: &mut Worksheet) -> Result<(), XlsxError> {
    ws.set_landscape();
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_repeat_rows(TITLE_ROW, HEADER_ROW)?;
    ws.set_footer("&C第 &P 页，共 &N 页");
    ws.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    Ok(())
}
