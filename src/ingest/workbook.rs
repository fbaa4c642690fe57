//! Reading one file: every workbook format through calamine, and CSV.
//!
//! The reader's job is to hand each sheet's rows, in order, to a
//! [`SheetProcessor`] as borrowed cells. xlsx and xlsb sheets are streamed
//! with calamine's cell readers (a dense `Range` costs ~71 bytes a cell, too
//! much at province scale); xls and ods come as ranges because calamine
//! decodes them whole. CSV is decoded with encoding_rs after chardetng has
//! guessed the encoding (UTF-8 with or without BOM, or GB18030/GBK).

use super::sheet::{SheetInput, SheetProcessor, SheetResult};
use super::values::{self, Cv};
use crate::quality::SheetReport;
use calamine::{Data, DataRef, ExcelDateTime, Ods, Reader, SheetType, SheetVisible, Xls, Xlsb, Xlsx};
use std::cell::RefCell;
use std::io::Cursor;
use std::ops::ControlFlow;

/// Columns beyond this are ignored: no ledger is this wide, and a stray
/// cell at XFD1 must not make every row a 16,384-cell vector.
pub const MAX_COLUMNS: u32 = 512;

/// What reading a file produced: one result per sheet, or why it failed.
pub enum FileContent {
    Sheets(Vec<SheetResult>),
    Unreadable(String),
}

fn date_cv(dt: &ExcelDateTime) -> Cv<'static> {
    if dt.is_datetime() {
        Cv::Date(dt.as_f64(), dt.as_datetime().map(|x| x.date()))
    } else {
        // A duration is a number of days, not a date.
        Cv::Num(dt.as_f64())
    }
}

fn cv_of_data(d: &Data) -> Cv<'_> {
    match d {
        Data::Int(i) => Cv::Num(*i as f64),
        Data::Float(f) => Cv::Num(*f),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cv::Text(s),
        Data::Bool(b) => Cv::Bool(*b),
        Data::DateTime(dt) => date_cv(dt),
        Data::Error(e) => Cv::Error(e.clone()),
        Data::Empty => Cv::Empty,
    }
}

fn cv_of_ref<'a>(d: &'a DataRef<'_>) -> Cv<'a> {
    match d {
        DataRef::Int(i) => Cv::Num(*i as f64),
        DataRef::Float(f) => Cv::Num(*f),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cv::Text(s),
        DataRef::SharedString(s) => Cv::Text(s),
        DataRef::Bool(b) => Cv::Bool(*b),
        DataRef::DateTime(dt) => date_cv(dt),
        DataRef::Error(e) => Cv::Error(e.clone()),
        DataRef::Empty => Cv::Empty,
    }
}

/// Sheets of a workbook: name, visibility and whether it holds cells.
struct SheetMeta {
    name: String,
    hidden: bool,
    typ: SheetType,
}

fn metas(sheets: &[calamine::Sheet]) -> Vec<SheetMeta> {
    sheets
        .iter()
        .map(|s| SheetMeta { name: s.name.clone(), hidden: !matches!(s.visible, SheetVisible::Visible), typ: s.typ })
        .collect()
}

fn skipped(meta: &SheetMeta, reason: &str) -> SheetResult {
    SheetResult {
        report: SheetReport::skipped(&meta.name, meta.hidden, reason),
        issues: Vec::new(),
        frame: None,
        periods: Default::default(),
    }
}

fn non_worksheet_reason(typ: SheetType) -> Option<&'static str> {
    match typ {
        SheetType::WorkSheet => None,
        SheetType::ChartSheet => Some("图表页，不含数据"),
        SheetType::DialogSheet => Some("对话框页，不含数据"),
        SheetType::MacroSheet => Some("宏表页，不含数据"),
        SheetType::Vba => Some("VBA 模块，不含数据"),
    }
}

fn dims(d: &calamine::Dimensions) -> (u32, u32, u32, u32) {
    (d.start.0, d.start.1, d.end.0, d.end.1)
}

/// Cells decoded before their rows are processed (see [`stream_cells`]).
const BATCH_CELLS: usize = 2048;

/// Streams a calamine cell reader into a processor, a batch of cells at a
/// time: the reader decodes about [`BATCH_CELLS`] cells, then the batch's
/// complete rows go to the processor. Decoding and typing one row after
/// the other made the two evict each other's code from the CPU's
/// instruction cache: under valgrind's cache model the county `check`
/// took 89.8 M instruction-cache misses against calamine's 1.8 M alone.
/// The cells are kept as calamine hands them over and only borrowed for
/// the processor: an inline string is then decoded once, not cloned (a
/// clone per text cell was a measurable share at province scale).
/// A reader error ends the sheet after the rows before it, as a processor
/// that stops early ends it without the error it never reached.
macro_rules! stream_cells {
    ($reader:expr, $proc:expr) => {{
        let mut batch: Vec<calamine::Cell<DataRef<'_>>> = Vec::with_capacity(BATCH_CELLS + 64);
        let mut feed = RowFeed::default();
        let mut error: Option<String> = None;
        $proc.expect_rows($reader.dimensions().end.0);
        loop {
            let mut ended = false;
            while !ended && !batch_full(&batch) {
                match $reader.next_cell() {
                    Ok(Some(cell)) => keep(&mut batch, cell),
                    Ok(None) => ended = true,
                    Err(e) => {
                        error = Some(e.to_string());
                        ended = true;
                    }
                }
            }
            match feed.feed(&mut batch, ended, &mut |row, cells| $proc.push_row(row, cells)) {
                Fed::More => {}
                Fed::Finished => break,
                Fed::Stopped { before_end } => {
                    if before_end {
                        error = None;
                    }
                    break;
                }
            }
        }
        error
    }};
}

/// Adds a cell to the batch. A cell beyond [`MAX_COLUMNS`] is not kept:
/// a stray run of them must not fill memory. Only its row is, as one empty
/// marker, so a row of such cells alone still reaches the processor (as
/// an empty row) and splits the rows around it as before.
fn keep<'a>(batch: &mut Vec<calamine::Cell<DataRef<'a>>>, cell: calamine::Cell<DataRef<'a>>) {
    let (row, col) = cell.get_position();
    if col < MAX_COLUMNS {
        batch.push(cell);
    } else if batch.last().is_none_or(|c| c.get_position().0 != row) {
        batch.push(calamine::Cell::new((row, MAX_COLUMNS), DataRef::Empty));
    }
}

/// A batch is full at [`BATCH_CELLS`] once it holds a complete row (one
/// wider than the batch just makes it longer).
fn batch_full(batch: &[calamine::Cell<DataRef<'_>>]) -> bool {
    let row = |c: &calamine::Cell<DataRef<'_>>| c.get_position().0;
    batch.len() >= BATCH_CELLS && batch.first().map(row) != batch.last().map(row)
}

/// What became of a batch of cells.
enum Fed {
    /// Its last row may go on in the next batch, and was kept.
    More,
    /// The sheet ended and every row was processed.
    Finished,
    /// The processor needs no more rows; `before_end` when it stopped
    /// before the batch's last cell (so before a reader error after it).
    Stopped { before_end: bool },
}

/// Hands the rows of cell batches to a processor, reusing one row buffer
/// for the whole sheet (a fresh vector per row was an allocation and a
/// free for each of a province's 1.4 M rows).
#[derive(Default)]
struct RowFeed {
    spare: Vec<Cv<'static>>,
}

impl RowFeed {
    /// Processes the batch's complete rows (every row once the sheet has
    /// `ended`) and leaves the unfinished last row in the batch.
    fn feed(&mut self, batch: &mut Vec<calamine::Cell<DataRef<'_>>>, ended: bool, rows: &mut RowSink<'_>) -> Fed {
        let mut start = 0;
        while start < batch.len() {
            let row = batch[start].get_position().0;
            let len = batch[start..].iter().position(|c| c.get_position().0 != row).unwrap_or(batch.len() - start);
            let end = start + len;
            if end == batch.len() && !ended {
                break;
            }
            if self.push(row, &batch[start..end], rows).is_break() {
                return Fed::Stopped { before_end: end < batch.len() };
            }
            start = end;
        }
        batch.drain(..start);
        if ended {
            Fed::Finished
        } else {
            Fed::More
        }
    }

    /// One row's cells from column A; cells beyond [`MAX_COLUMNS`] are left out.
    fn push(&mut self, row: u32, cells: &[calamine::Cell<DataRef<'_>>], rows: &mut RowSink<'_>) -> ControlFlow<()> {
        let kept = |c: &&calamine::Cell<DataRef<'_>>| c.get_position().1 < MAX_COLUMNS;
        let width = cells.iter().filter(kept).map(|c| c.get_position().1 as usize + 1).max().unwrap_or(0);
        let mut cvs: Vec<Cv<'_>> = values::recycle(std::mem::take(&mut self.spare));
        cvs.resize(width, Cv::Empty);
        for cell in cells.iter().filter(kept) {
            cvs[cell.get_position().1 as usize] = cv_of_ref(cell.get_value());
        }
        let flow = rows(row, &cvs);
        self.spare = values::recycle(cvs);
        flow
    }
}

/// Where a row goes: a row index (zero-based) and its cells from column A.
type RowSink<'s> = dyn FnMut(u32, &[Cv<'_>]) -> ControlFlow<()> + 's;

fn push_range(range: &calamine::Range<Data>, proc: &mut SheetProcessor<'_>) {
    let Some((r0, c0)) = range.start() else { return };
    if c0 >= MAX_COLUMNS {
        return;
    }
    let width = range.width().min((MAX_COLUMNS - c0) as usize);
    let mut cvs: Vec<Cv<'_>> = Vec::with_capacity(c0 as usize + width);
    for (i, row) in range.rows().enumerate() {
        if row.iter().all(|d| matches!(d, Data::Empty)) {
            continue;
        }
        cvs.clear();
        cvs.resize(c0 as usize, Cv::Empty);
        cvs.extend(row.iter().take(width).map(cv_of_data));
        if proc.push_row(r0 + i as u32, &cvs).is_break() {
            break;
        }
    }
}

fn sheet_input<'a>(file: &'a str, meta: &'a SheetMeta, merges: Vec<(u32, u32, u32, u32)>) -> SheetInput<'a> {
    SheetInput { file, sheet: &meta.name, hidden: meta.hidden, merges, merges_known: true, merge_source: None }
}

fn read_error_result(meta: &SheetMeta, kind: &str, err: impl std::fmt::Display) -> SheetResult {
    skipped(meta, &format!("{kind}工作表无法读取：{err}"))
}

/// Reads a workbook from its bytes. The format is chosen by extension, and
/// by content when the extension lies (an xls saved as .xlsx).
pub fn read_workbook(file: &str, ext: &str, bytes: &[u8]) -> FileContent {
    let cursor = Cursor::new(bytes);
    let first = match ext {
        "xlsx" | "xlsm" => read_xlsx(file, cursor.clone()),
        "xlsb" => read_xlsb(file, cursor.clone()),
        "xls" => read_xls(file, cursor.clone()),
        "ods" => read_ods(file, cursor.clone()),
        _ => Err(String::from("未知格式")),
    };
    match first {
        Ok(results) => FileContent::Sheets(results),
        Err(first_err) => {
            // Try the other formats before giving up on the file.
            for (other, f) in [
                ("xlsx", read_xlsx as fn(&str, Cursor<&[u8]>) -> Result<Vec<SheetResult>, String>),
                ("xls", read_xls),
                ("xlsb", read_xlsb),
                ("ods", read_ods),
            ] {
                if other == ext || (other == "xlsx" && ext == "xlsm") {
                    continue;
                }
                if let Ok(results) = f(file, cursor.clone()) {
                    return FileContent::Sheets(results);
                }
            }
            FileContent::Unreadable(first_err)
        }
    }
}

/// Reads a workbook in the format its content shows (see `sniff`), without
/// trying the others: handing a damaged compound file to calamine's xlsx
/// reader (which looks inside OLE files for encryption) can exhaust memory.
pub fn read_workbook_as(file: &str, format: &str, bytes: &[u8]) -> FileContent {
    let cursor = Cursor::new(bytes);
    let result = match format {
        "xlsx" => read_xlsx(file, cursor),
        "xlsb" => read_xlsb(file, cursor),
        "xls" => read_xls(file, cursor),
        "ods" => read_ods(file, cursor),
        _ => Err(String::from("未知格式")),
    };
    match result {
        Ok(sheets) => FileContent::Sheets(sheets),
        Err(why) => FileContent::Unreadable(why),
    }
}

fn read_xlsx(file: &str, cursor: Cursor<&[u8]>) -> Result<Vec<SheetResult>, String> {
    let cursor_bytes: &[u8] = cursor.get_ref();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(cursor).map_err(|e: calamine::XlsxError| e.to_string())?;
    let metas = metas(book.sheets_metadata());
    let mut out = Vec::with_capacity(metas.len());
    for meta in &metas {
        if let Some(reason) = non_worksheet_reason(meta.typ) {
            out.push(skipped(meta, reason));
            continue;
        }
        // First pass without merged regions (reading them is a second pass
        // over the sheet's XML); a second pass only when the layout needs them.
        // That pass keeps the head of the XML for the formula scan below.
        let head: RefCell<Option<Vec<u8>>> = RefCell::new(None);
        let merges_and_head = || -> Result<Vec<(u32, u32, u32, u32)>, String> {
            let (merges, h) = super::xlsx_merges::merged_regions_and_head(
                cursor_bytes,
                &meta.name,
                super::formula_cache::SCAN_BYTES,
            )?;
            *head.borrow_mut() = Some(h);
            Ok(merges)
        };
        let mut proc = SheetProcessor::new(SheetInput {
            merges_known: false,
            merge_source: Some(&merges_and_head),
            ..sheet_input(file, meta, Vec::new())
        });
        let mut error = match book.worksheet_cells_reader(&meta.name) {
            Ok(mut reader) => stream_cells!(reader, proc),
            Err(e) => Some(e.to_string()),
        };
        if proc.needs_merges() {
            // Our own tail-only reader first; calamine's full pass if it fails.
            let merges = match merges_and_head() {
                Ok(m) => m,
                Err(_) => match book.merge_cells_by_sheet_name(&meta.name) {
                    Ok(m) => m.iter().map(dims).collect(),
                    Err(e) => {
                        out.push(read_error_result(meta, "", e));
                        continue;
                    }
                },
            };
            proc = SheetProcessor::new(sheet_input(file, meta, merges));
            error = match book.worksheet_cells_reader(&meta.name) {
                Ok(mut reader) => stream_cells!(reader, proc),
                Err(e) => Some(e.to_string()),
            };
        }
        let mut result = finish_with_error(proc, meta, error);
        if result.report.kind.is_some() {
            let head = head.borrow();
            if let Some((first, count)) =
                super::formula_cache::uncached_formulas(cursor_bytes, &meta.name, head.as_deref())
            {
                result.issues.push(sheet_warning(meta, super::formula_cache::message(&first, count)));
            }
        }
        out.push(result);
    }
    Ok(out)
}

/// A sheet-level warning; the file is named by the caller, which knows the relative path.
fn sheet_warning(meta: &SheetMeta, message: String) -> crate::quality::Issue {
    crate::quality::Issue::new(crate::quality::Severity::Warning, "", message).in_sheet(&meta.name)
}

fn read_xlsb(file: &str, cursor: Cursor<&[u8]>) -> Result<Vec<SheetResult>, String> {
    let mut book: Xlsb<_> = calamine::open_workbook_from_rs(cursor).map_err(|e: calamine::XlsbError| e.to_string())?;
    let metas = metas(book.sheets_metadata());
    let mut out = Vec::with_capacity(metas.len());
    for meta in &metas {
        if let Some(reason) = non_worksheet_reason(meta.typ) {
            out.push(skipped(meta, reason));
            continue;
        }
        // calamine exposes no merged regions for xlsb; labels are read as written.
        let mut proc = SheetProcessor::new(sheet_input(file, meta, Vec::new()));
        let error = match book.worksheet_cells_reader(&meta.name) {
            Ok(mut reader) => stream_cells!(reader, proc),
            Err(e) => Some(e.to_string()),
        };
        out.push(finish_with_error(proc, meta, error));
    }
    Ok(out)
}

fn read_xls(file: &str, cursor: Cursor<&[u8]>) -> Result<Vec<SheetResult>, String> {
    super::xls_guard::check(cursor.get_ref())?;
    let mut book: Xls<_> = calamine::open_workbook_from_rs(cursor).map_err(|e: calamine::XlsError| e.to_string())?;
    let metas = metas(book.sheets_metadata());
    let mut out = Vec::with_capacity(metas.len());
    for meta in &metas {
        if let Some(reason) = non_worksheet_reason(meta.typ) {
            out.push(skipped(meta, reason));
            continue;
        }
        let merges =
            book.merge_cells_by_sheet_name(&meta.name).map(|m| m.iter().map(dims).collect()).unwrap_or_default();
        match book.worksheet_range(&meta.name) {
            Ok(range) => {
                let mut proc = SheetProcessor::new(sheet_input(file, meta, merges));
                push_range(&range, &mut proc);
                out.push(proc.finish());
            }
            Err(e) => out.push(read_error_result(meta, "", e)),
        }
    }
    Ok(out)
}

fn read_ods(file: &str, cursor: Cursor<&[u8]>) -> Result<Vec<SheetResult>, String> {
    let mut book: Ods<_> = calamine::open_workbook_from_rs(cursor).map_err(|e: calamine::OdsError| e.to_string())?;
    let metas = metas(book.sheets_metadata());
    let mut out = Vec::with_capacity(metas.len());
    for meta in &metas {
        match book.worksheet_range(&meta.name) {
            Ok(range) => {
                let mut proc = SheetProcessor::new(sheet_input(file, meta, Vec::new()));
                push_range(&range, &mut proc);
                out.push(proc.finish());
            }
            Err(e) => out.push(read_error_result(meta, "", e)),
        }
    }
    Ok(out)
}

fn finish_with_error(proc: SheetProcessor<'_>, meta: &SheetMeta, error: Option<String>) -> SheetResult {
    let mut result = proc.finish();
    if let Some(e) = error {
        // Rows read before the damage are kept; the rest of the sheet is not.
        // The file is named by the caller, which knows the relative path.
        let msg = format!("工作表数据损坏，读到中途停止：{e}");
        result.issues.push(crate::quality::Issue::new(crate::quality::Severity::Error, "", msg).in_sheet(&meta.name));
    }
    result
}

/// Decodes a CSV file's bytes: UTF-8 (BOM or not), else the encoding
/// chardetng guesses (GB18030/GBK for Chinese offices).
pub fn decode_csv(bytes: &[u8]) -> (String, &'static str) {
    if let Some(utf16) = super::csv_text::decode_utf16(bytes) {
        return utf16;
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (String::from_utf8_lossy(rest).into_owned(), "UTF-8 (BOM)");
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (s.to_string(), "UTF-8");
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let encoding = detector.guess(Some(b"cn"), true);
    let (text, _, _) = encoding.decode(bytes);
    (text.into_owned(), encoding.name())
}

pub fn read_csv(file: &str, sheet_name: &str, bytes: &[u8]) -> FileContent {
    let (text, _encoding) = decode_csv(bytes);
    let (text, nuls) = super::csv_text::clean(text);
    let delimiter = sniff_delimiter(&text);
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let meta = SheetMeta { name: sheet_name.to_string(), hidden: false, typ: SheetType::WorkSheet };
    let mut proc = SheetProcessor::new(sheet_input(file, &meta, Vec::new()));
    let mut record = csv::StringRecord::new();
    // Row numbers follow the file's lines, as a spreadsheet opening the CSV
    // shows them. The csv crate skips empty lines and reports a record's
    // start without them, but its position after a record is exact: the
    // record starts on that line, less one, less the line breaks inside
    // its quoted fields.
    let mut error = None;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {
                let embedded: u64 = record.iter().map(|f| f.bytes().filter(|b| *b == b'\n').count() as u64).sum();
                let start_line = reader.position().line().saturating_sub(1 + embedded).max(1);
                let row = (start_line - 1) as u32;
                let cvs: Vec<Cv<'_>> = record
                    .iter()
                    .take(MAX_COLUMNS as usize)
                    .map(|f| if f.trim().is_empty() { Cv::Empty } else { Cv::Text(f) })
                    .collect();
                if cvs.iter().any(|c| !c.is_empty()) && proc.push_row(row, &cvs) == ControlFlow::Break(()) {
                    break;
                }
            }
            Ok(false) => break,
            Err(e) => {
                error = Some(e.to_string());
                break;
            }
        }
    }
    let mut result = finish_with_error(proc, &meta, error);
    if nuls > 0 {
        result.issues.push(sheet_warning(&meta, super::csv_text::nul_message(nuls)));
    }
    FileContent::Sheets(vec![result])
}

/// Comma unless the first lines have more tabs or semicolons.
fn sniff_delimiter(text: &str) -> u8 {
    let head: String = text.lines().take(10).collect();
    let count = |c: char| head.matches(c).count();
    let (commas, tabs, semis) = (count(','), count('\t'), count(';'));
    if tabs > commas && tabs >= semis {
        b'\t'
    } else if semis > commas {
        b';'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_encodings() {
        let text = "项目名称,所属地区\n甲,白水镇\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let (decoded, enc) = decode_csv(&gbk);
        assert_eq!(decoded, text);
        assert!(enc == "GBK" || enc == "gb18030", "{enc}");
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(decode_csv(&bom).0, text);
        assert_eq!(decode_csv(text.as_bytes()).0, text);
    }

    fn cell(row: u32, col: u32, v: f64) -> calamine::Cell<DataRef<'static>> {
        calamine::Cell::new((row, col), DataRef::Float(v))
    }

    /// A row the sink saw: its index and its cells as numbers (`None` empty).
    type SeenRow = (u32, Vec<Option<f64>>);

    /// Feeds one batch and returns what came of it with the rows the sink saw.
    fn feed_rows(
        feed: &mut RowFeed,
        batch: &mut Vec<calamine::Cell<DataRef<'static>>>,
        ended: bool,
        stop_at: Option<u32>,
    ) -> (Fed, Vec<SeenRow>) {
        let mut seen = Vec::new();
        let fed = feed.feed(batch, ended, &mut |row, cells| {
            let nums = cells.iter().map(|c| if let Cv::Num(v) = c { Some(*v) } else { None }).collect();
            seen.push((row, nums));
            if stop_at == Some(row) {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        (fed, seen)
    }

    #[test]
    fn a_row_cut_by_the_batch_waits_for_the_rest_of_its_cells() {
        let mut feed = RowFeed::default();
        let mut batch = vec![cell(0, 0, 1.0), cell(0, 1, 2.0), cell(1, 1, 3.0), cell(2, 0, 4.0)];
        let (fed, seen) = feed_rows(&mut feed, &mut batch, false, None);
        assert!(matches!(fed, Fed::More));
        assert_eq!(seen, vec![(0, vec![Some(1.0), Some(2.0)]), (1, vec![None, Some(3.0)])]);
        assert_eq!(batch.len(), 1, "row 2 is kept for the next batch");
        batch.extend([cell(2, 2, 5.0), cell(3, 0, 6.0)]);
        let (fed, seen) = feed_rows(&mut feed, &mut batch, true, None);
        assert!(matches!(fed, Fed::Finished));
        assert_eq!(seen, vec![(2, vec![Some(4.0), None, Some(5.0)]), (3, vec![Some(6.0)])]);
    }

    #[test]
    fn a_processor_that_stops_says_whether_cells_lay_beyond() {
        let cells = || vec![cell(0, 0, 1.0), cell(1, 0, 2.0), cell(2, 0, 3.0)];
        let (fed, seen) = feed_rows(&mut RowFeed::default(), &mut cells(), true, Some(1));
        assert!(matches!(fed, Fed::Stopped { before_end: true }));
        assert_eq!(seen.len(), 2);
        // Stopped on the sheet's last row: a reader error after it was reached.
        let (fed, _) = feed_rows(&mut RowFeed::default(), &mut cells(), true, Some(2));
        assert!(matches!(fed, Fed::Stopped { before_end: false }));
    }

    #[test]
    fn cells_beyond_the_column_limit_leave_their_row_empty() {
        let mut batch = vec![cell(0, MAX_COLUMNS, 1.0), cell(1, 0, 2.0), cell(1, MAX_COLUMNS + 5, 3.0)];
        let (_, seen) = feed_rows(&mut RowFeed::default(), &mut batch, true, None);
        assert_eq!(seen, vec![(0, vec![]), (1, vec![Some(2.0)])]);
    }

    #[test]
    fn cells_beyond_the_column_limit_are_not_kept_but_their_row_is() {
        let mut batch = Vec::new();
        for c in 0..10_000 {
            keep(&mut batch, cell(0, MAX_COLUMNS + c, 1.0));
        }
        keep(&mut batch, cell(1, 0, 2.0));
        keep(&mut batch, cell(1, MAX_COLUMNS, 3.0));
        assert_eq!(batch.len(), 2, "one marker for row 0, row 1's own cell");
        let (_, seen) = feed_rows(&mut RowFeed::default(), &mut batch, true, None);
        assert_eq!(seen, vec![(0, vec![]), (1, vec![Some(2.0)])]);
    }

    #[test]
    fn a_batch_is_full_at_its_size_once_it_holds_a_whole_row() {
        let one_row: Vec<_> = (0..BATCH_CELLS as u32).map(|c| cell(0, c, 0.0)).collect();
        assert!(!batch_full(&one_row[..BATCH_CELLS - 1]));
        assert!(!batch_full(&one_row), "a single row wider than the batch goes on");
        let mut two_rows = one_row.clone();
        two_rows.push(cell(1, 0, 0.0));
        assert!(batch_full(&two_rows));
        let mut short = one_row[..BATCH_CELLS - 2].to_vec();
        short.push(cell(1, 0, 0.0));
        assert!(!batch_full(&short));
    }
}
