//! `check --returns OUT`: one workbook per source file that has problems,
//! `OUT/<source name>_问题清单.xlsx`, that the office sends back to the town
//! as it is (退回修改).
//!
//! A clerk fixing a ledger needs to see each problem where it is: the list
//! sheet names every issue's sheet, cell, column, raw value and message,
//! worst first; the second sheet copies the header and the offending rows
//! from the source (read again with calamine, or the CSV reader) and
//! highlights the bad cells, each with the message as a note. File names
//! come from the source paths, made safe: no path separators, no `..`.

use crate::error::Error;
use crate::ingest::columns;
use crate::ingest::workbook::decode_csv;
use crate::quality::{DataQuality, FileReport, Issue, Severity, SheetReport};
use calamine::{Data, Reader};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Note, Workbook, Worksheet, XlsxError};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use unicode_width::UnicodeWidthStr;

/// Writes a list for every file with an error or a warning; returns the
/// paths written, in the order of the files.
pub fn write_returns(quality: &DataQuality, input_dir: &Path, out_dir: &Path) -> Result<Vec<PathBuf>, Error> {
    std::fs::create_dir_all(out_dir)
        .map_err(|e| Error::Output(format!("无法创建文件夹 {}：{}", out_dir.display(), crate::error::io_reason(&e))))?;
    let mut written = Vec::new();
    let mut used: HashSet<String> = HashSet::new();
    for file in &quality.files {
        let mut issues: Vec<&Issue> = quality.issues.iter().filter(|i| i.file == file.path).collect();
        if !issues.iter().any(|i| i.severity != Severity::Info) {
            continue;
        }
        sort_worst_first(&mut issues, file);
        let name = unique_name(&safe_name(&file.path), &mut used);
        let bytes = render_list(file, &issues, &input_dir.join(&file.path))
            .map_err(|e| Error::Output(format!("无法生成问题清单 {name}：{e}")))?;
        let path = out_dir.join(&name);
        crate::report::write_atomic(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}

/// `城关镇/2025-03 项目.xlsx` → `城关镇_2025-03 项目_问题清单.xlsx`: the
/// relative path without its extension, separators turned into `_`,
/// characters Windows forbids dropped, and no `..` left.
pub fn safe_name(source: &str) -> String {
    let stem = match source.rfind('.') {
        Some(dot) if dot > source.rfind(['/', '\\']).map_or(0, |s| s + 1) => &source[..dot],
        _ => source,
    };
    let mut name: String = stem
        .chars()
        .map(|c| if c == '/' || c == '\\' { '_' } else { c })
        .filter(|c| !c.is_control() && !matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|'))
        .collect();
    while name.contains("..") {
        name = name.replace("..", ".");
    }
    let name = name.trim_matches(|c: char| c == '.' || c == ' ' || c == '_');
    let name: String = if name.is_empty() { "台账".to_string() } else { name.chars().take(120).collect() };
    format!("{name}_问题清单.xlsx")
}

fn unique_name(name: &str, used: &mut HashSet<String>) -> String {
    let mut candidate = name.to_string();
    let mut n = 2;
    while !used.insert(candidate.clone()) {
        candidate = name.replace("_问题清单.xlsx", &format!("_问题清单({n}).xlsx"));
        n += 1;
    }
    candidate
}

/// Worst first: errors, warnings, notes; then by sheet order, row and column.
fn sort_worst_first(issues: &mut [&Issue], file: &FileReport) {
    let sheet_pos = |s: &Option<String>| {
        s.as_ref().and_then(|s| file.sheets.iter().position(|r| &r.sheet == s)).unwrap_or(usize::MAX)
    };
    issues.sort_by_key(|i| {
        (i.severity, sheet_pos(&i.sheet), i.cell.as_deref().and_then(parse_a1).unwrap_or((u32::MAX, 0)))
    });
}

/// `D17` → (16, 3), zero-based.
pub fn parse_a1(cell: &str) -> Option<(u32, u32)> {
    let letters: String = cell.chars().take_while(|c| c.is_ascii_uppercase()).collect();
    let digits = &cell[letters.len()..];
    if letters.is_empty()
        || letters.len() > 3
        || digits.is_empty()
        || digits.len() > 7
        || !digits.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let col = letters.bytes().fold(0u32, |acc, b| acc * 26 + u32::from(b - b'A' + 1)) - 1;
    let row: u32 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col))
}

/// The column's name for clerks: the label of its canonical column.
fn column_label(file: &FileReport, issue: &Issue) -> String {
    let Some(name) = issue.column.map(|c| c.name()) else {
        return String::new();
    };
    if name == "period" {
        return columns::PERIOD.label.to_string();
    }
    let kind = file.sheets.iter().find(|s| Some(&s.sheet) == issue.sheet.as_ref()).and_then(|s| s.kind);
    kind.and_then(|k| columns::columns(k).iter().find(|c| c.name() == name))
        .map(|c| c.label.to_string())
        .unwrap_or_else(|| name.to_string())
}

struct Formats {
    title: Format,
    header: Format,
    cell: Format,
    wrap: Format,
    error: Format,
    warning: Format,
    date: Format,
}

fn formats() -> Formats {
    let cell = Format::new().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
    Formats {
        title: Format::new().set_bold().set_font_size(14),
        header: cell.clone().set_bold().set_background_color("DDEBF7").set_align(FormatAlign::Center),
        wrap: cell.clone().set_text_wrap(),
        error: cell.clone().set_background_color("FFC7CE").set_font_color("9C0006"),
        warning: cell.clone().set_background_color("FFEB9C").set_font_color("9C5700"),
        date: cell.clone().set_num_format("yyyy-mm-dd"),
        cell,
    }
}

fn render_list(file: &FileReport, issues: &[&Issue], source: &Path) -> Result<Vec<u8>, XlsxError> {
    let f = formats();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("问题清单")?;
    write_issue_sheet(ws, &f, file, issues)?;
    let rows = read_rows(source, file, issues);
    if !rows.is_empty() {
        let ws = wb.add_worksheet().set_name("问题行")?;
        write_rows_sheet(ws, &f, file, issues, &rows)?;
    }
    wb.save_to_buffer()
}

fn write_issue_sheet(ws: &mut Worksheet, f: &Formats, file: &FileReport, issues: &[&Issue]) -> Result<(), XlsxError> {
    let count = |s: Severity| issues.iter().filter(|i| i.severity == s).count();
    ws.write_with_format(0, 0, format!("「{}」数据问题清单（退回修改）", file.path), &f.title)?;
    ws.write(
        1,
        0,
        format!(
            "共 {} 条：错误 {} 条（该行未计入汇总，必须修改）、警告 {} 条（请核对）、提示 {} 条。请按“问题说明”修改原表后重新报送；“问题行”表中标出了出错的单元格。",
            issues.len(),
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Info)
        ),
    )?;
    let headers = ["序号", "严重程度", "工作表", "单元格", "列", "原值", "问题说明"];
    let widths = [6.0, 10.0, 16.0, 9.0, 16.0, 20.0, 70.0];
    for (c, (h, w)) in headers.iter().zip(widths).enumerate() {
        ws.write_with_format(3, c as u16, *h, &f.header)?;
        ws.set_column_width(c as u16, w)?;
    }
    for (n, issue) in issues.iter().enumerate() {
        let r = 4 + n as u32;
        let sev_fmt = match issue.severity {
            Severity::Error => &f.error,
            Severity::Warning => &f.warning,
            Severity::Info => &f.cell,
        };
        ws.write_with_format(r, 0, (n + 1) as f64, &f.cell)?;
        ws.write_with_format(r, 1, issue.severity.chinese(), sev_fmt)?;
        // Ledger text is written as text, never as a formula.
        ws.write_string_with_format(r, 2, issue.sheet.as_deref().unwrap_or(""), &f.cell)?;
        ws.write_string_with_format(r, 3, issue.cell.as_deref().unwrap_or(""), &f.cell)?;
        ws.write_string_with_format(r, 4, column_label(file, issue), &f.cell)?;
        ws.write_string_with_format(r, 5, issue.value.as_deref().unwrap_or(""), &f.cell)?;
        ws.write_string_with_format(r, 6, &issue.message, &f.wrap)?;
    }
    let last = 3 + issues.len() as u32;
    ws.autofilter(3, 0, last, headers.len() as u16 - 1)?;
    ws.set_freeze_panes(4, 0)?;
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(3, 3)?;
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

/// A cell copied from the source.
#[derive(Debug, Clone, PartialEq)]
enum Copied {
    Empty,
    Num(f64),
    Date(f64),
    Text(String),
}

/// Source rows by sheet: the header row and every row an issue points at.
type SourceRows = BTreeMap<String, BTreeMap<u32, Vec<Copied>>>;

fn wanted_rows(file: &FileReport, file_issues: &[&Issue]) -> BTreeMap<String, BTreeSet<u32>> {
    let mut wanted: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
    for i in file_issues {
        if let (Some(sheet), Some((row, _))) = (&i.sheet, i.cell.as_deref().and_then(parse_a1)) {
            wanted.entry(sheet.clone()).or_default().insert(row);
        }
    }
    // The header row of each sheet and the row above it (the group cells of
    // a two-level header), so the copied rows can be read.
    for s in &file.sheets {
        if let (Some(rows), Some(h)) = (wanted.get_mut(&s.sheet), s.header_row) {
            rows.insert(h.saturating_sub(1));
            if h >= 2 {
                rows.insert(h - 2);
            }
        }
    }
    wanted
}

/// Reads the rows issues point at (and nothing else) from the source file.
/// A file that cannot be read again gives no rows: the list still stands.
fn read_rows(source: &Path, file: &FileReport, issues: &[&Issue]) -> SourceRows {
    let wanted = wanted_rows(file, issues);
    if wanted.is_empty() {
        return SourceRows::new();
    }
    let Ok(bytes) = std::fs::read(source) else {
        return SourceRows::new();
    };
    let is_csv = source.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if is_csv {
        return read_csv_rows(&bytes, &wanted);
    }
    let Ok(mut sheets) = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)) else {
        return SourceRows::new();
    };
    let mut out = SourceRows::new();
    for (sheet, rows) in &wanted {
        let Ok(range) = sheets.worksheet_range(sheet) else {
            continue;
        };
        let width = range.end().map_or(0, |(_, c)| c + 1).min(512);
        let got = out.entry(sheet.clone()).or_default();
        for &r in rows {
            let cells = (0..width).map(|c| range.get_value((r, c)).map_or(Copied::Empty, copied)).collect();
            got.insert(r, cells);
        }
    }
    out
}

fn copied(d: &Data) -> Copied {
    match d {
        Data::Int(i) => Copied::Num(*i as f64),
        Data::Float(v) => Copied::Num(*v),
        Data::DateTime(dt) if dt.is_datetime() => Copied::Date(dt.as_f64()),
        Data::DateTime(dt) => Copied::Num(dt.as_f64()),
        Data::Empty => Copied::Empty,
        other => Copied::Text(other.to_string()),
    }
}

fn read_csv_rows(bytes: &[u8], wanted: &BTreeMap<String, BTreeSet<u32>>) -> SourceRows {
    let (text, _) = decode_csv(bytes);
    let delimiter = if text.lines().take(5).map(|l| l.matches('\t').count()).sum::<usize>()
        > text.lines().take(5).map(|l| l.matches(',').count()).sum::<usize>()
    {
        b'\t'
    } else {
        b','
    };
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let all: BTreeSet<u32> = wanted.values().flatten().copied().collect();
    let mut rows = BTreeMap::new();
    let mut record = csv::StringRecord::new();
    // Row numbers are line numbers, as ingestion counts them (see `ingest::workbook::read_csv`).
    while let Ok(true) = reader.read_record(&mut record) {
        let embedded: u64 = record.iter().map(|f| f.bytes().filter(|b| *b == b'\n').count() as u64).sum();
        let row = reader.position().line().saturating_sub(1 + embedded).max(1) as u32 - 1;
        if all.contains(&row) {
            rows.insert(
                row,
                record.iter().map(|f| if f.is_empty() { Copied::Empty } else { Copied::Text(f.to_string()) }).collect(),
            );
        }
    }
    wanted.keys().map(|s| (s.clone(), rows.clone())).collect()
}

fn write_rows_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    file: &FileReport,
    issues: &[&Issue],
    rows: &SourceRows,
) -> Result<(), XlsxError> {
    ws.write_with_format(0, 0, "出错的行（红色为错误，黄色为警告；鼠标移到单元格上可看说明）", &f.title)?;
    let mut r = 2u32;
    let mut widths: BTreeMap<u16, usize> = BTreeMap::new();
    for report in &file.sheets {
        let Some(sheet_rows) = rows.get(&report.sheet) else {
            continue;
        };
        ws.write_with_format(r, 0, format!("工作表：{}", report.sheet), &f.title)?;
        r += 1;
        if let Some(header) = header_cells(rows, report) {
            ws.write_with_format(r, 0, "原行号", &f.header)?;
            for (c, cell) in header.iter().enumerate() {
                write_copied(ws, r, c as u16 + 1, cell, &f.header, &f.header, &mut widths)?;
            }
            r += 1;
        }
        let dates = date_columns(report);
        for (&src_row, cells) in sheet_rows {
            if report.header_row.is_some_and(|h| src_row < h) {
                continue;
            }
            ws.write_with_format(r, 0, (src_row + 1) as f64, &f.cell)?;
            for (c, cell) in cells.iter().enumerate() {
                // A date typed into a number cell still reads as a date.
                let cell = &match cell {
                    Copied::Num(v) if dates.contains(&(c as u32)) => Copied::Date(*v),
                    other => other.clone(),
                };
                let here: Vec<&&Issue> = issues
                    .iter()
                    .filter(|i| {
                        i.sheet.as_ref() == Some(&report.sheet)
                            && i.cell.as_deref().and_then(parse_a1) == Some((src_row, c as u32))
                    })
                    .collect();
                let fmt = match here.iter().map(|i| i.severity).min() {
                    Some(Severity::Error) => &f.error,
                    Some(Severity::Warning) => &f.warning,
                    _ => &f.cell,
                };
                write_copied(ws, r, c as u16 + 1, cell, fmt, &f.date, &mut widths)?;
                if !here.is_empty() && fmt != &f.cell {
                    let text: Vec<&str> = here.iter().map(|i| i.message.as_str()).collect();
                    ws.insert_note(
                        r,
                        c as u16 + 1,
                        &Note::new(text.join("\n")).add_author_prefix(false).set_width(300),
                    )?;
                }
            }
            r += 1;
        }
        r += 1;
    }
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_footer("&C第 &P 页，共 &N 页");
    ws.set_column_width(0, 8)?;
    for (c, w) in widths {
        ws.set_column_width(c, (w + 2).clamp(8, 50) as f64)?;
    }
    Ok(())
}

/// Sheet columns that ingestion read as dates.
fn date_columns(report: &SheetReport) -> HashSet<u32> {
    let Some(kind) = report.kind else {
        return HashSet::new();
    };
    columns::columns(kind)
        .iter()
        .filter(|d| d.ty == columns::ColType::Date)
        .filter_map(|d| report.column_letters.get(d.name()))
        .filter_map(|letters| parse_a1(&format!("{letters}1")).map(|(_, c)| c))
        .collect()
}

/// The header of a sheet as the clerk sees it: each column's header cell,
/// else the cell above it (a merged header written once at its top), else
/// the name of the canonical column ingestion found there.
fn header_cells(rows: &SourceRows, report: &SheetReport) -> Option<Vec<Copied>> {
    let h = report.header_row?.checked_sub(1)?;
    let sheet = rows.get(&report.sheet)?;
    let row = sheet.get(&h)?;
    let above = h.checked_sub(1).and_then(|a| sheet.get(&a));
    let kind = report.kind;
    let canonical = |c: usize| -> Copied {
        let letters = crate::quality::column_letters(c as u32);
        let name = report.column_letters.iter().find(|(_, l)| **l == letters).map(|(n, _)| n.as_str());
        let def = kind.zip(name).and_then(|(k, n)| columns::columns(k).iter().find(|d| d.name() == n));
        def.map_or(Copied::Empty, |d| Copied::Text(d.label.to_string()))
    };
    let cells = (0..row.len())
        .map(|c| match (&row[c], above.and_then(|a| a.get(c))) {
            (Copied::Empty, Some(top)) if *top != Copied::Empty => top.clone(),
            (Copied::Empty, _) => canonical(c),
            (cell, _) => cell.clone(),
        })
        .collect();
    Some(cells)
}

fn write_copied(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    cell: &Copied,
    fmt: &Format,
    date_fmt: &Format,
    widths: &mut BTreeMap<u16, usize>,
) -> Result<(), XlsxError> {
    let width = match cell {
        Copied::Empty => {
            ws.write_blank(r, c, fmt)?;
            0
        }
        Copied::Num(v) => {
            ws.write_with_format(r, c, *v, fmt)?;
            10
        }
        Copied::Date(v) => {
            // A highlighted date keeps its colour; a plain one gets the date format.
            let f = if fmt == date_fmt { date_fmt.clone() } else { fmt.clone().set_num_format("yyyy-mm-dd") };
            ws.write_with_format(r, c, *v, &f)?;
            10
        }
        Copied::Text(s) => {
            ws.write_string_with_format(r, c, s, fmt)?;
            s.width()
        }
    };
    let w = widths.entry(c).or_insert(0);
    *w = (*w).max(width);
    Ok(())
}
