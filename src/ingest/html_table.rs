//! Tables exported by web reporting systems as `.xls` files that are really HTML.
//!
//! Government reporting systems very often offer "导出Excel" that writes an
//! HTML page with a `<table>` and names it `.xls`; Excel opens it (after a
//! warning), calamine cannot. The page is parsed with `scraper` (html5ever,
//! the browsers' parsing algorithm, so unclosed `<td>`s and stray tags read
//! as a browser shows them), and every top-level table becomes one sheet.
//! `rowspan`/`colspan` are laid out as a browser does and handed to the sheet
//! processor as merged regions, so a region written once for a block of rows
//! is filled down exactly as in an Excel ledger with merged cells.

use super::sheet::{SheetInput, SheetProcessor};
use super::values::Cv;
use super::workbook::{decode_csv, FileContent, MAX_COLUMNS};
use scraper::{ElementRef, Html, Selector};

/// HTML caps `rowspan` at 65,534; a larger or garbage value is clipped to the table.
const MAX_ROWSPAN: u32 = 65_534;

/// True when the head of a file is an HTML page or fragment with a table.
pub fn looks_like_html(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(head.len());
    if head.get(start) != Some(&b'<') {
        return false;
    }
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let has = |needle: &[u8]| memchr::memmem::find(&lower, needle).is_some();
    has(b"<table") || has(b"<html") || has(b"<!doctype html")
}

/// One laid-out table: rows of cells from column A, and merged regions.
struct Grid {
    rows: Vec<Vec<Option<String>>>,
    merges: Vec<(u32, u32, u32, u32)>,
}

/// The text of a cell as a browser shows it: runs of white space (with
/// `&nbsp;`) made one space, trimmed.
fn cell_text(cell: &ElementRef<'_>) -> Option<String> {
    let mut out = String::new();
    for piece in cell.text() {
        for word in piece.split(|c: char| c.is_whitespace() || c == '\u{a0}').filter(|w| !w.is_empty()) {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
            out.push_str(word);
        }
        // A tag boundary between two words keeps them apart.
        if piece.ends_with(|c: char| c.is_whitespace() || c == '\u{a0}') && !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
    }
    let t = out.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn span(cell: &ElementRef<'_>, attr: &str, max: u32) -> u32 {
    cell.attr(attr).and_then(|v| v.trim().parse::<u32>().ok()).unwrap_or(1).clamp(1, max)
}

/// The `<tr>`s of a table, in order, without those of tables nested in it.
fn table_rows<'a>(table: &ElementRef<'a>) -> Vec<ElementRef<'a>> {
    let mut rows = Vec::new();
    for child in table.child_elements() {
        match child.value().name() {
            "tr" => rows.push(child),
            "thead" | "tbody" | "tfoot" => rows.extend(child.child_elements().filter(|e| e.value().name() == "tr")),
            _ => {}
        }
    }
    rows
}

/// Lays a table out on a grid as a browser does: each cell takes the next
/// column not covered by a `rowspan` from above.
fn layout(table: &ElementRef<'_>) -> Grid {
    let trs = table_rows(table);
    let mut grid = Grid { rows: Vec::with_capacity(trs.len()), merges: Vec::new() };
    // Rows still covered by a rowspan from above, per column.
    let mut covered: Vec<u32> = Vec::new();
    let caption = table.child_elements().find(|e| e.value().name() == "caption").and_then(|c| cell_text(&c));
    let offset = u32::from(caption.is_some());
    if let Some(c) = caption {
        grid.rows.push(vec![Some(c)]);
    }
    for (i, tr) in trs.iter().enumerate() {
        let r = i as u32 + offset;
        let rows_left = (trs.len() - i) as u32;
        let mut row: Vec<Option<String>> = Vec::new();
        let mut col = 0usize;
        for cell in tr.child_elements().filter(|e| matches!(e.value().name(), "td" | "th")) {
            while covered.get(col).is_some_and(|&n| n > 0) {
                col += 1;
            }
            if col >= MAX_COLUMNS as usize {
                break;
            }
            let rowspan = span(&cell, "rowspan", MAX_ROWSPAN).min(rows_left);
            let colspan = span(&cell, "colspan", MAX_COLUMNS).min(MAX_COLUMNS - col as u32);
            if row.len() <= col {
                row.resize(col + 1, None);
            }
            row[col] = cell_text(&cell);
            if rowspan > 1 || colspan > 1 {
                grid.merges.push((r, col as u32, r + rowspan - 1, col as u32 + colspan - 1));
            }
            let end = col + colspan as usize;
            if covered.len() < end {
                covered.resize(end, 0);
            }
            for c in &mut covered[col..end] {
                // This row counts as one of the span's rows: decremented below.
                *c = rowspan;
            }
            col = end;
        }
        for c in &mut covered {
            *c = c.saturating_sub(1);
        }
        grid.rows.push(row);
    }
    grid
}

/// Reads every top-level table of an HTML page as one sheet each.
pub fn read_html(file: &str, stem: &str, bytes: &[u8]) -> FileContent {
    let (text, _encoding) = decode_csv(bytes);
    let page = Html::parse_document(&text);
    let Ok(tables) = Selector::parse("table") else {
        return FileContent::Unreadable("内部错误：网页表格选择器无效".into());
    };
    let top: Vec<ElementRef<'_>> = page
        .select(&tables)
        .filter(|t| !t.ancestors().skip(1).any(|a| a.value().as_element().is_some_and(|e| e.name() == "table")))
        .collect();
    if top.is_empty() {
        return FileContent::Unreadable("这是一个网页文件，其中没有表格，不是台账".into());
    }
    let mut sheets = Vec::with_capacity(top.len());
    for (i, table) in top.iter().enumerate() {
        let name = if top.len() == 1 { stem.to_string() } else { format!("{stem}（表{}）", i + 1) };
        let grid = layout(table);
        let input = SheetInput {
            file,
            sheet: &name,
            hidden: false,
            merges: grid.merges,
            merges_known: true,
            merge_source: None,
        };
        let mut proc = SheetProcessor::new(input);
        for (r, cells) in grid.rows.iter().enumerate() {
            let cvs: Vec<Cv<'_>> = cells.iter().map(|c| c.as_deref().map_or(Cv::Empty, Cv::Text)).collect();
            if cvs.iter().any(|c| !c.is_empty()) && proc.push_row(r as u32, &cvs).is_break() {
                break;
            }
        }
        sheets.push(proc.finish());
    }
    FileContent::Sheets(sheets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_laid_out_like_a_browser() {
        let page = Html::parse_document(
            "<table><tr><td rowspan=2>甲</td><td colspan=2>乙</td></tr><tr><td>丙</td><td>丁</td></tr><tr><td>戊</td></tr></table>",
        );
        let sel = Selector::parse("table").unwrap();
        let table = page.select(&sel).next().unwrap();
        let grid = layout(&table);
        let s = |v: &str| Some(v.to_string());
        assert_eq!(grid.rows, vec![vec![s("甲"), s("乙")], vec![None, s("丙"), s("丁")], vec![s("戊")]]);
        assert_eq!(grid.merges, vec![(0, 0, 1, 0), (0, 1, 0, 2)]);
    }

    #[test]
    fn sniffs_html_heads() {
        assert!(looks_like_html(b"\xEF\xBB\xBF  <html><body><table>"));
        assert!(looks_like_html(b"<TABLE border=1><tr>"));
        assert!(!looks_like_html(b"a,b,c\n<table>"));
    }
}
