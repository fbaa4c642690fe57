//! One sheet, row by row: from raw cells to accepted, blank, total or rejected rows.
//!
//! Readers push rows in order; the processor buffers the first rows until it
//! has found the header (see `header`), then streams every later row straight
//! into the kind's frame builder, so a sheet of any length is held in memory
//! only as its normalised columns. Each rule of SPEC §1.2–1.4 that applies to
//! data rows lives here: end of table, blank and total rows, merged label
//! cells, value parsing, required columns, duplicates, and the row accounting
//! that must balance.

use super::columns::{ColDef, ColType};
use super::frame::{self, FrameBuilder, Val};
use super::header::{self, Detection, GroupCells, MappedColumn, HEADER_SEARCH_ROWS};
use super::period::{self, Period};
use super::values::{self, cell_date, cell_number, fold_width_and_space, normalize_label, Cv, DateValue, Number};
use crate::quality::{a1, Issue, IssueSink, Kind, Severity, SheetReport};
use calamine::CellErrorType;
use chrono::NaiveDate;
use polars::prelude::DataFrame;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::ControlFlow;

/// Where a sheet comes from.
pub struct SheetInput<'a> {
    /// Path relative to the input folder.
    pub file: &'a str,
    pub sheet: &'a str,
    pub hidden: bool,
    /// Merged regions, zero-based and inclusive: (row0, col0, row1, col1).
    pub merges: Vec<(u32, u32, u32, u32)>,
    /// False when `merges` has not been read yet. Reading an xlsx sheet's
    /// merged regions costs a second pass over its XML, so a sheet is first
    /// read without them; if the processor meets a layout that merges could
    /// change (see [`SheetProcessor::needs_merges`]), the reader reads them
    /// and reads the sheet again.
    pub merges_known: bool,
    /// Reads the merged regions on demand, in the middle of a sheet.
    pub merge_source: Option<&'a dyn Fn() -> Result<Vec<(u32, u32, u32, u32)>, String>>,
}

pub struct SheetResult {
    pub report: SheetReport,
    pub issues: Vec<Issue>,
    pub frame: Option<(Kind, DataFrame)>,
}

/// A cell kept from the first rows, before the header is known.
#[derive(Debug, Clone)]
enum OwnedCell {
    Empty,
    Num(f64),
    Text(String),
    Bool(bool),
    Date(f64, Option<NaiveDate>),
    Error(CellErrorType),
}

impl OwnedCell {
    fn from_cv(cv: &Cv<'_>) -> Self {
        match cv {
            Cv::Empty => OwnedCell::Empty,
            Cv::Num(v) => OwnedCell::Num(*v),
            Cv::Text(s) => OwnedCell::Text(s.to_string()),
            Cv::Bool(b) => OwnedCell::Bool(*b),
            Cv::Date(v, d) => OwnedCell::Date(*v, *d),
            Cv::Error(e) => OwnedCell::Error(e.clone()),
        }
    }

    fn as_cv(&self) -> Cv<'_> {
        match self {
            OwnedCell::Empty => Cv::Empty,
            OwnedCell::Num(v) => Cv::Num(*v),
            OwnedCell::Text(s) => Cv::Text(s),
            OwnedCell::Bool(b) => Cv::Bool(*b),
            OwnedCell::Date(v, d) => Cv::Date(*v, *d),
            OwnedCell::Error(e) => Cv::Error(e.clone()),
        }
    }
}

/// Labels that end a table when they begin a row's first non-empty cell.
const END_MARKERS: [&str; 10] = ["注", "备注", "说明", "填报人", "填表人", "审核人", "制表", "填报单位", "负责人", "联系电话"];
/// Labels of rows that add up other rows.
const TOTAL_PREFIXES: [&str; 5] = ["合计", "总计", "小计", "共计", "其中"];
const WHOLE_PREFIXES: [&str; 6] = ["全县", "全市", "全区", "全省", "全州", "全旗"];

/// True when a row starting with `text` is a note or signature line. `注`,
/// `备注`, `说明` and `制表` must be followed by punctuation or a number
/// (or 人), so a project called `注塑产业园` does not end the table.
pub fn is_end_marker(text: &str) -> bool {
    let t = fold_width_and_space(text);
    END_MARKERS.iter().any(|m| {
        let Some(rest) = t.strip_prefix(m) else { return false };
        // These also begin ordinary names (注塑, 说明书, 制表机 …): they end
        // the table only before punctuation, a number, or 人 (制表人).
        if !matches!(*m, "注" | "备注" | "说明" | "制表") {
            return true;
        }
        match rest.chars().next() {
            None => true,
            Some('人') => *m == "制表",
            Some(c) => matches!(c, ':' | '：' | '、' | '.' | '(' | '（' | '1'..='9' | '①'..='⑩'),
        }
    })
}

/// True when a label marks a total row (SPEC §1.2). `全县` and the like count
/// only alone or followed by a total word, so `全县农村公路提升工程` is a project.
pub fn is_total_label(text: &str, allow_whole: bool) -> bool {
    // Most labels are project or town names: reject them on the first
    // character before paying for normalisation (including Traditional 總 and
    // full-width spaces).
    let first = text.trim_start().chars().next();
    if !matches!(first, Some('合' | '总' | '總' | '小' | '共' | '其' | '全' | '\u{3000}')) {
        return false;
    }
    let t = normalize_label(text);
    if TOTAL_PREFIXES.iter().any(|p| t.starts_with(p)) {
        return true;
    }
    allow_whole
        && WHOLE_PREFIXES.iter().any(|p| {
            t.strip_prefix(p).is_some_and(|rest| rest.is_empty() || TOTAL_PREFIXES.iter().any(|q| rest.starts_with(q)) || rest.starts_with("范围"))
        })
}

/// An A1 reference formatted only when a message needs it: building the
/// string for every cell of a million-row ledger would cost more than the
/// parsing itself.
struct CellRef(u32, u32);

impl std::fmt::Display for CellRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&a1(self.0, self.1))
    }
}

/// Label columns that ledgers write once for a block of rows (merged down).
const FILL_DOWN_COLUMNS: [&str; 12] =
    ["region", "name", "enterprise", "cadre", "cadre_unit", "chain", "leader", "level", "resp_unit", "indicator", "scope", "metric"];

/// Whether merged regions could change the header found without them: empty
/// cells inside the header row or to the right of it within the table, or
/// more than a single title cell in the row above (a possible group row).
fn header_may_be_merged(area: &[Vec<Option<String>>], header_row: usize, used_cols: (u32, u32)) -> bool {
    let filled = |r: &Vec<Option<String>>| -> Vec<usize> { r.iter().enumerate().filter(|(_, c)| c.is_some()).map(|(i, _)| i).collect() };
    let header = filled(&area[header_row]);
    let (Some(&first), Some(&last)) = (header.first(), header.last()) else { return true };
    if header.len() != last - first + 1 || (last as u32) < used_cols.1 || (first as u32) > used_cols.0 {
        return true;
    }
    if header_row > 0 {
        // A unit line (`单位：万元`) above the header is not a group cell.
        let above: Vec<usize> = filled(&area[header_row - 1])
            .into_iter()
            .filter(|&c| area[header_row - 1][c].as_deref().is_some_and(|t| !fold_width_and_space(t).contains("单位:")))
            .collect();
        if above.len() > 1 || above.first().is_some_and(|&c| c != first) {
            return true;
        }
    }
    false
}

/// Label columns whose values are grouped on: folded to one spelling.
const LABEL_COLUMNS: [&str; 10] = ["region", "chain", "level", "leader", "resp_unit", "cadre_unit", "indicator", "unit", "scope", "metric"];

/// Vertically merged label cells, filled down from their top-left cell as rows stream by.
struct VerticalFill {
    regions: Vec<(u32, u32, u32, u32)>,
    next: usize,
    /// (col0, col1, row0, row1, value)
    active: Vec<(u32, u32, u32, u32, Option<String>)>,
}

impl VerticalFill {
    fn new(merges: &[(u32, u32, u32, u32)], first_data_row: u32) -> Self {
        let mut regions: Vec<_> = merges.iter().copied().filter(|&(r0, _, r1, _)| r1 > r0 && r0 >= first_data_row).collect();
        regions.sort_unstable();
        VerticalFill { regions, next: 0, active: Vec::new() }
    }

    /// Starts filling in the middle of a sheet: regions that began above
    /// `row` take their value from the label last seen at their top row.
    fn resume(merges: &[(u32, u32, u32, u32)], first_data_row: u32, row: u32, last: &HashMap<u32, (u32, String)>) -> Self {
        let mut fill = VerticalFill::new(merges, first_data_row);
        fill.next = fill.regions.partition_point(|r| r.0 < row);
        fill.active = fill.regions[..fill.next]
            .iter()
            .filter(|&&(_, _, r1, _)| r1 >= row)
            .map(|&(r0, c0, r1, c1)| {
                let value = last.get(&c0).filter(|(r, _)| *r == r0).map(|(_, v)| v.clone());
                (c0, c1, r0, r1, value)
            })
            .collect();
        fill
    }

    fn advance(&mut self, row: u32, cells: &[Cv<'_>]) {
        self.active.retain(|a| a.3 >= row);
        while self.next < self.regions.len() && self.regions[self.next].0 <= row {
            let (r0, c0, r1, c1) = self.regions[self.next];
            if r0 == row {
                let value = cells.get(c0 as usize).and_then(|c| c.text()).map(|t| t.into_owned());
                self.active.push((c0, c1, r0, r1, value));
            }
            self.next += 1;
        }
    }

    fn get(&self, row: u32, col: u32) -> Option<&str> {
        self.active
            .iter()
            .find(|a| a.0 <= col && col <= a.1 && a.2 < row && row <= a.3)
            .and_then(|a| a.4.as_deref())
    }
}

/// What the header search decided, with everything data rows need.
struct Ready {
    det: Detection,
    first_data_row: u32,
    sheet_period: Option<Period>,
    sheet_period_text: String,
    title_indicator: Option<String>,
    /// For each mapped column: its output position and money factor.
    out_pos: Vec<Option<usize>>,
    money_factor: Vec<f64>,
    label_cache: LabelCache,
    fold_cache: FoldCache,
    vfill: VerticalFill,
    keys: polars::prelude::PlHashMap<String, u32>,
    builder: FrameBuilder,
}

enum State {
    Buffering(Vec<(u32, Vec<OwnedCell>)>),
    Data(Box<Ready>),
    Done(Option<Box<Ready>>),
}

pub struct SheetProcessor<'a> {
    input: SheetInput<'a>,
    state: State,
    report: SheetReport,
    sink: IssueSink<'a>,
    pending_blank: u64,
    used_cols: (u32, u32),
    /// The latest row period seen, reported as the sheet's period.
    max_period: Option<Period>,
    /// The last data row pushed, to count the empty rows between two rows.
    last_row: Option<u32>,
    needs_merges: bool,
    /// While merges are unknown: the last label of each fill-down column
    /// (sheet column → (row, text)), to resume filling when merges arrive.
    last_labels: HashMap<u32, (u32, String)>,
}

impl<'a> SheetProcessor<'a> {
    pub fn new(input: SheetInput<'a>) -> Self {
        let report = SheetReport { sheet: input.sheet.to_string(), hidden: input.hidden, ..Default::default() };
        let sink = IssueSink::new(input.file, None);
        SheetProcessor { input, state: State::Buffering(Vec::new()), report, sink, pending_blank: 0, used_cols: (u32::MAX, 0), max_period: None, last_row: None, needs_merges: false, last_labels: HashMap::new() }
    }

    /// True when this pass was cut short because merged regions could change
    /// the result: the caller must read the merges and run a new processor.
    pub fn needs_merges(&mut self) -> bool {
        // A sheet shorter than the header search is still buffered: decide now.
        if matches!(self.state, State::Buffering(_)) {
            let _ = self.detect_and_replay();
        }
        self.needs_merges
    }

    /// Takes the next non-empty row (zero-based index, cells from column A).
    /// Breaks when the rest of the sheet is not needed.
    pub fn push_row(&mut self, row: u32, cells: &[Cv<'_>]) -> ControlFlow<()> {
        if let State::Buffering(buf) = &mut self.state {
            if (row as usize) < HEADER_SEARCH_ROWS {
                if let Some(first) = cells.iter().position(|c| !c.is_empty()) {
                    let last = cells.iter().rposition(|c| !c.is_empty()).unwrap_or(first);
                    self.used_cols.0 = self.used_cols.0.min(first as u32);
                    self.used_cols.1 = self.used_cols.1.max(last as u32);
                }
                buf.push((row, cells.iter().map(OwnedCell::from_cv).collect()));
                return ControlFlow::Continue(());
            }
            self.detect_and_replay()?;
        }
        match &mut self.state {
            State::Data(_) => self.data_row(row, cells),
            _ => ControlFlow::Break(()),
        }
    }

    fn detect_and_replay(&mut self) -> ControlFlow<()> {
        let State::Buffering(buf) = std::mem::replace(&mut self.state, State::Done(None)) else {
            return ControlFlow::Continue(());
        };
        match self.detect(&buf) {
            Some(ready) => {
                let first = ready.first_data_row;
                self.state = State::Data(ready);
                for (row, cells) in buf.iter().filter(|(r, _)| *r >= first) {
                    let cvs: Vec<Cv<'_>> = cells.iter().map(OwnedCell::as_cv).collect();
                    self.data_row(*row, &cvs)?;
                }
                ControlFlow::Continue(())
            }
            None => ControlFlow::Break(()),
        }
    }

    /// Finds header, kind and period from the buffered first rows; on
    /// failure records why the sheet is skipped.
    fn detect(&mut self, buf: &[(u32, Vec<OwnedCell>)]) -> Option<Box<Ready>> {
        // The highest row, not the last: a damaged file can list rows out of order (issue 10, fuzzer).
        let height = buf.iter().map(|(r, _)| *r as usize + 1).max().unwrap_or(0).min(HEADER_SEARCH_ROWS);
        if height == 0 {
            self.report.skipped_reason = Some("空表：没有任何内容".into());
            return None;
        }
        let mut area: Vec<Vec<Option<String>>> = vec![Vec::new(); height];
        for (row, cells) in buf {
            area[*row as usize] = cells.iter().map(|c| c.as_cv().text().map(|t| t.into_owned())).collect();
        }
        // Fill merged regions in the header area from their top-left cell.
        let mut header_merges = Vec::new();
        for &(r0, c0, r1, c1) in &self.input.merges {
            if (r0 as usize) >= height || c1.saturating_sub(c0) > 512 {
                continue;
            }
            header_merges.push((r0, c0, r1, c1));
            let value = area[r0 as usize].get(c0 as usize).cloned().flatten();
            if value.is_none() {
                continue;
            }
            for r in r0..=r1.min(height as u32 - 1) {
                let row = &mut area[r as usize];
                if row.len() <= c1 as usize {
                    row.resize(c1 as usize + 1, None);
                }
                for c in c0..=c1 {
                    if row[c as usize].is_none() {
                        row[c as usize] = value.clone();
                    }
                }
            }
        }
        let groups = GroupCells { merges: &header_merges, used_cols: self.used_cols };
        let det = match header::detect(&area, &groups) {
            Ok(d) => d,
            Err(_) if !self.input.merges_known && height > 1 => {
                // Merged header cells might make it a ledger.
                self.needs_merges = true;
                return None;
            }
            Err(e) => {
                self.report.skipped_reason = Some(e.reason());
                return None;
            }
        };
        if !self.input.merges_known && header_may_be_merged(&area, det.header_row as usize, self.used_cols) {
            self.needs_merges = true;
            return None;
        }
        let kind = det.kind;
        self.report.kind = Some(kind);
        self.report.header_row = Some(det.header_row + 1);
        self.report.ignored_columns = det.ignored.clone();
        self.report.columns = det
            .columns
            .iter()
            .map(|m| (det.defs()[m.canon].name.to_string(), crate::quality::column_letters(m.sheet_col)))
            .collect();

        // Report period: a period column on the rows, else a title cell
        // above the header, else the file name (SPEC §1.1).
        let title_cells: Vec<&str> = area[..det.header_row as usize]
            .iter()
            .flat_map(|r| r.iter().flatten().map(String::as_str))
            .collect();
        let file_name = self.input.file.rsplit('/').next().unwrap_or(self.input.file);
        let title_period = title_cells.iter().find_map(|t| period::parse_period_text(t));
        let sheet_period = if kind == Kind::Targets {
            title_cells
                .iter()
                .find_map(|t| period::parse_year_text(t))
                .or_else(|| period::parse_year_text(file_name))
                .or_else(|| period::parse_period_text(file_name).map(|p| p.year))
                .or_else(|| period::parse_bare_year(file_name))
                .map(Period::year)
        } else {
            title_period.or_else(|| period::parse_period_text(file_name)).or_else(|| period::parse_period_text(self.input.sheet))
        };
        let has_year_col = det.has("year");
        if sheet_period.is_none() && det.period_col.is_none() && !has_year_col {
            self.report.kind = Some(kind);
            self.report.skipped_reason = Some(format!("无法确定报告期：{}", period::NAMING_HINT));
            return None;
        }
        let title_indicator = if kind == Kind::Indicators && !det.has("indicator") {
            let name = title_cells.iter().find_map(|t| indicator_from_title(t));
            if name.is_none() {
                self.report.skipped_reason =
                    Some("没有“指标名称”列，表头上方的标题中也未写明指标（如“2023年1-3月规上工业增加值完成情况”）".into());
                return None;
            }
            name
        } else {
            None
        };
        self.report.period = sheet_period.map(|p| p.to_string());

        let builder = FrameBuilder::new(kind, 1024);
        let out_pos = det.columns.iter().map(|c| builder.position(det.defs()[c.canon].name)).collect();
        let money_factor = det.columns.iter().map(|c| header::column_money_factor(c, &det)).collect();
        let first_data_row = det.header_row + 1;
        Some(Box::new(Ready {
            vfill: VerticalFill::new(&self.input.merges, first_data_row),
            det,
            first_data_row,
            sheet_period,
            sheet_period_text: sheet_period.map(|p| p.to_string()).unwrap_or_default(),
            title_indicator,
            out_pos,
            money_factor,
            label_cache: Vec::new(),
            fold_cache: Vec::new(),
            keys: Default::default(),
            builder,
        }))
    }

    fn data_row(&mut self, row: u32, cells: &[Cv<'_>]) -> ControlFlow<()> {
        let State::Data(ready) = &mut self.state else { return ControlFlow::Break(()) };
        let ready: &mut Ready = ready;
        // Rows with no cells at all never reach us: the gap is blank rows.
        let expected_next = self.last_row.map(|r| r + 1).unwrap_or(ready.first_data_row);
        if row > expected_next {
            self.pending_blank += u64::from(row - expected_next);
        }
        self.last_row = Some(row);
        // The end of the table: a note or signature line.
        let first_text = cells.iter().find(|c| !c.is_empty());
        if let Some(Cv::Text(t)) = first_text {
            if is_end_marker(t) {
                let done = std::mem::replace(&mut self.state, State::Done(None));
                if let State::Data(r) = done {
                    self.state = State::Done(Some(r));
                }
                return ControlFlow::Break(());
            }
        }
        // A header of another kind starts a second table: read up to it (issue 10).
        if let Some(other) = super::second_table::other_header(cells, ready.det.kind) {
            self.sink.sheet_level(Severity::Warning, super::second_table::message(row + 1, ready.det.kind, other));
            let done = std::mem::replace(&mut self.state, State::Done(None));
            if let State::Data(r) = done {
                self.state = State::Done(Some(r));
            }
            return ControlFlow::Break(());
        }
        if !self.input.merges_known {
            // A label that was filled in the row above and is empty here is
            // how a vertically merged cell looks without its merge: fetch the
            // merges now and go on, or start the sheet again with them.
            let defs = ready.det.defs();
            let mut gap = false;
            for m in &ready.det.columns {
                if !FILL_DOWN_COLUMNS.contains(&defs[m.canon].name) {
                    continue;
                }
                let cell = cells.get(m.sheet_col as usize).unwrap_or(&Cv::Empty);
                match cell.text() {
                    Some(t) => match self.last_labels.get_mut(&m.sheet_col) {
                        // Copy the label only when it changes.
                        Some((r, v)) if v.as_str() == t.as_ref() => *r = row,
                        _ => {
                            self.last_labels.insert(m.sheet_col, (row, t.into_owned()));
                        }
                    },
                    None => gap |= self.last_labels.get(&m.sheet_col).is_some_and(|(r, _)| *r + 1 == row),
                }
            }
            if gap && cells.iter().any(|c| !c.is_empty()) {
                match self.input.merge_source.map(|source| source()) {
                    Some(Ok(merges)) => {
                        ready.vfill = VerticalFill::resume(&merges, ready.first_data_row, row, &self.last_labels);
                        self.input.merges = merges;
                        self.input.merges_known = true;
                    }
                    _ => {
                        self.needs_merges = true;
                        return ControlFlow::Break(());
                    }
                }
            }
        }
        ready.vfill.advance(row, cells);
        let kind = ready.det.kind;
        let defs = ready.det.defs();

        // The value of a mapped column, with merged label cells filled down.
        let cell_of = |m: &MappedColumn| -> Cv<'_> {
            let cv = cells.get(m.sheet_col as usize).cloned().unwrap_or(Cv::Empty);
            if cv.is_empty() && defs[m.canon].ty == ColType::Text {
                if let Some(v) = ready.vfill.get(row, m.sheet_col) {
                    return Cv::Text(v);
                }
            }
            cv
        };
        let period_cell = ready.det.period_col.map(|c| cells.get(c as usize).cloned().unwrap_or(Cv::Empty));
        let all_empty = ready.det.columns.iter().all(|m| cell_of(m).is_empty())
            && period_cell.as_ref().is_none_or(|c| c.is_empty());
        if all_empty {
            self.pending_blank += 1;
            return ControlFlow::Continue(());
        }
        // Blank rows count only when a later row shows they are inside the table.
        self.report.rows += self.pending_blank + 1;
        self.report.blank += self.pending_blank;
        self.pending_blank = 0;

        // Total rows: the name, region or first text cell says 合计/小计/全县 ….
        let allow_whole = kind != Kind::Targets;
        let is_total = ready
            .det
            .columns
            .iter()
            .filter(|m| matches!(defs[m.canon].name, "name" | "region" | "enterprise" | "scope"))
            .filter_map(|m| cell_of(m).text())
            .chain(first_text.and_then(|c| c.text()))
            .any(|l| is_total_label(&l, allow_whole));
        if is_total {
            self.report.total_rows += 1;
            if kind != Kind::Indicators {
                return ControlFlow::Continue(());
            }
        }

        let file = self.input.file;
        let sheet = self.input.sheet;
        let mut out: Vec<Val<'_>> = vec![Val::Null; ready.builder.width()];
        let mut rejected: Option<Issue> = None;
        let mut warnings: Vec<Issue> = Vec::new();
        let issue = |sev: Severity, col: u32, column: &str, raw: String, msg: String| Issue {
            severity: sev,
            file: file.to_string(),
            sheet: Some(sheet.to_string()),
            cell: Some(a1(row, col)),
            column: Some(column.to_string()),
            value: Some(raw),
            message: msg,
        };

        // Row-level unit of an indicator (`计量单位` = 亿元 converts to 万元).
        let row_unit: Option<String> = ready
            .det
            .columns
            .iter()
            .find(|m| defs[m.canon].name == "unit")
            .and_then(|m| cell_of(m).text().map(|t| normalize_label(&t)));
        let row_unit_factor = row_unit.as_deref().and_then(values::money_factor);

        for (i, m) in ready.det.columns.iter().enumerate() {
            let def: &ColDef = &defs[m.canon];
            let Some(pos) = ready.out_pos[i] else { continue };
            let cv = cell_of(m);
            let cell = CellRef(row, m.sheet_col);
            if let Cv::Error(e) = &cv {
                if def.required {
                    rejected.get_or_insert_with(|| issue(Severity::Error, m.sheet_col, def.name, e.to_string(), format!("{cell}为Excel错误值「{e}」（{}），该行未计入", def.label)));
                } else {
                    warnings.push(issue(Severity::Warning, m.sheet_col, def.name, e.to_string(), format!("{cell}为Excel错误值「{e}」（{}），按空值处理", def.label)));
                }
                continue;
            }
            let value: Result<Val<'_>, &'static str> = match def.ty {
                ColType::Text => Ok(text_value(def.name, &cv, &mut ready.label_cache, m.canon)),
                ColType::Money | ColType::Number | ColType::Percent => match cell_number(&cv) {
                    Number::Missing => Ok(Val::Null),
                    Number::Invalid => Err(match def.ty {
                        ColType::Money => "有效金额",
                        ColType::Percent => "有效百分比",
                        _ => "有效数值",
                    }),
                    Number::Value(v, inline) => {
                        let factor = match def.ty {
                            ColType::Money => inline.unwrap_or(ready.money_factor[i]),
                            // Indicator values convert when their unit is money.
                            // Indicator values convert when their unit is money: the
                            // cell's, the row's 计量单位, the header's, or the unit line.
                            ColType::Number if kind == Kind::Indicators => inline
                                .or(row_unit_factor)
                                .or_else(|| m.unit.as_deref().and_then(values::money_factor))
                                .or(ready.det.unit_line_factor)
                                .unwrap_or(1.0),
                            ColType::Number if kind == Kind::Targets => inline.or(row_unit_factor).unwrap_or(1.0),
                            _ => 1.0,
                        };
                        Ok(Val::F64(v * factor))
                    }
                },
                ColType::Date => match cell_date(&cv) {
                    DateValue::Missing => Ok(Val::Null),
                    DateValue::Value(d) => Ok(Val::Date(frame::date_days(d))),
                    DateValue::Invalid => Err("有效日期"),
                },
                ColType::Year => match cv.is_empty() {
                    true => Ok(Val::Null),
                    false => period::cell_year(&cv).map(Val::I32).ok_or("有效年份"),
                },
                ColType::Period => Ok(Val::Null),
            };
            match value {
                Ok(Val::Null) if def.required => {
                    let raw = cv.raw();
                    let msg = if raw.trim().is_empty() {
                        format!("{cell}必填项「{}」为空，该行未计入", def.label)
                    } else {
                        format!("{cell}必填项「{}」为「{raw}」（表示无数据），该行未计入", def.label)
                    };
                    rejected.get_or_insert_with(|| issue(Severity::Error, m.sheet_col, def.name, raw, msg));
                }
                Ok(v) => out[pos] = v,
                Err(expect) => {
                    let raw = cv.raw();
                    if def.required {
                        rejected.get_or_insert_with(|| issue(Severity::Error, m.sheet_col, def.name, raw.clone(), format!("{cell}「{raw}」不是{expect}（{}），该行未计入", def.label)));
                    } else {
                        warnings.push(issue(Severity::Warning, m.sheet_col, def.name, raw.clone(), format!("{cell}「{raw}」不是{expect}（{}），按空值处理", def.label)));
                    }
                }
            }
            // Folded categorical columns and the USCC check.
            if let Some(Cv::Text(raw)) = Some(&cv) {
                let raw = raw.trim();
                if raw.is_empty() || values::is_missing_marker(raw) {
                    continue;
                }
                let fold: Option<fn(&str) -> Option<&'static str>> = match (kind, def.name) {
                    (Kind::Projects, "status") => Some(values::fold_project_status),
                    (Kind::Visits, "tier") => Some(values::fold_tier),
                    (Kind::Visits, "status") => Some(values::fold_problem_status),
                    (Kind::Visits, "satisfaction") => Some(values::fold_satisfaction),
                    _ => None,
                };
                // Folding normalises the text first; a ledger has a handful of
                // distinct spellings, so each is folded once per sheet.
                let folded = fold.map(|f| cached_fold(&mut ready.fold_cache, m.canon, raw, f));
                match folded {
                    Some(Some(v)) => out[pos] = Val::Str(Cow::Borrowed(v)),
                    Some(None) => {
                        out[pos] = Val::Null;
                        warnings.push(issue(Severity::Warning, m.sheet_col, def.name, raw.to_string(), format!("{cell}{}「{raw}」无法识别，按空值处理", def.label)));
                    }
                    None => {}
                }
                if kind == Kind::Visits && def.name == "category" {
                    let known_of = |r: &str| {
                        let (canon, known) = values::fold_category(r);
                        known.then_some(canon)
                    };
                    let (canon, known) = match cached_fold(&mut ready.fold_cache, m.canon, raw, known_of) {
                        Some(c) => (c, true),
                        None => ("其他", false),
                    };
                    out[pos] = Val::Str(Cow::Borrowed(canon));
                    if !known {
                        warnings.push(issue(Severity::Warning, m.sheet_col, def.name, raw.to_string(), format!("{cell}问题类别「{raw}」不在规定类别中，按“其他”统计")));
                    }
                }
                if kind == Kind::Visits && def.name == "uscc" {
                    let code = fold_width_and_space(raw).to_uppercase();
                    if !values::uscc_is_valid(&code) {
                        let why = if code.chars().count() != 18 { "不是18位" } else { "校验位不正确" };
                        warnings.push(issue(Severity::Warning, m.sheet_col, def.name, raw.to_string(), format!("{cell}统一社会信用代码「{raw}」{why}，请核对")));
                    }
                    out[pos] = Val::Str(Cow::Owned(code));
                }
            }
        }

        // Period of the row.
        let mut row_period = ready.sheet_period;
        if let Some(pc) = &period_cell {
            if !pc.is_empty() {
                match period::cell_period(pc).or_else(|| month_only(pc, ready.sheet_period)) {
                    Some(p) => row_period = Some(p),
                    None => {
                        let col = ready.det.period_col.unwrap_or(0);
                        let raw = pc.raw();
                        rejected.get_or_insert_with(|| issue(Severity::Error, col, "period", raw.clone(), format!("{}「{raw}」不是有效报告期，该行未计入", a1(row, col))));
                    }
                }
            }
        }
        if kind == Kind::Targets {
            // A target's year: its 年度 cell, else the title's or file name's year.
            let col_year = ready
                .det
                .columns
                .iter()
                .find(|m| defs[m.canon].name == "year")
                .and_then(|m| period::cell_year(&cell_of(m)));
            if let Some(y) = col_year {
                row_period = Some(Period::year(y));
            }
        }
        if row_period.is_none() && rejected.is_none() {
            rejected = Some(issue(Severity::Error, 0, "period", String::new(), format!("第{}行无法确定报告期，该行未计入", row + 1)));
        }

        // Kind rules.
        let get = |out: &[Val<'_>], name: &str, b: &FrameBuilder| -> Option<String> {
            b.position(name).and_then(|p| match &out[p] {
                Val::Str(s) => Some(s.to_string()),
                Val::F64(v) => Some(v.to_string()),
                Val::Date(d) => Some(d.to_string()),
                _ => None,
            })
        };
        let is_null = |out: &[Val<'_>], name: &str, b: &FrameBuilder| b.position(name).is_none_or(|p| out[p] == Val::Null);
        if rejected.is_none() {
            match kind {
                Kind::Indicators => {
                    if let Some(p) = ready.builder.position("indicator") {
                        if out[p] == Val::Null {
                            match &ready.title_indicator {
                                Some(t) => out[p] = Val::Str(Cow::Owned(t.clone())),
                                None => {
                                    rejected = Some(issue(Severity::Error, 0, "indicator", String::new(), format!("第{}行缺少指标名称，该行未计入", row + 1)))
                                }
                            }
                        }
                    }
                    if is_null(&out, "value_ytd", &ready.builder) && is_null(&out, "growth_reported", &ready.builder) && !is_total {
                        rejected.get_or_insert_with(|| issue(Severity::Error, 0, "value_ytd", String::new(), format!("第{}行本年累计和增速均为空，该行未计入", row + 1)));
                    }
                    // Converted money is in 万元 whatever the ledger said.
                    let money = row_unit_factor.is_some() || (row_unit.is_none() && ready.det.unit_line_factor.is_some());
                    if let (Some(p), true) = (ready.builder.position("unit"), money) {
                        out[p] = Val::Str(Cow::Borrowed("万元"));
                    }
                }
                Kind::Targets => {
                    let unit = get(&out, "unit", &ready.builder);
                    let target_type = match unit.as_deref() {
                        Some("%") | Some("百分比") | Some("百分点") => "growth",
                        Some(u) if values::money_factor(u).is_some() => "amount",
                        _ => "count",
                    };
                    if let Some(p) = ready.builder.position(frame::TARGET_TYPE) {
                        out[p] = Val::Str(Cow::Borrowed(target_type));
                    }
                    if target_type == "amount" {
                        if let Some(p) = ready.builder.position("unit") {
                            out[p] = Val::Str(Cow::Borrowed("万元"));
                        }
                    }
                }
                _ => {}
            }
        }
        if rejected.is_none() && !is_total {
            // Duplicate keys within one sheet: the second row is rejected.
            // The key is built in one buffer: at province scale a formatted
            // string per field per row is a measurable share of the run.
            let field = |name: &str| ready.builder.position(name).map(|p| &out[p]).filter(|v| **v != Val::Null);
            let mut key = String::with_capacity(64);
            let fields: &[&str] = match kind {
                Kind::Projects if field("project_id").is_some() => &["project_id"],
                Kind::Projects => &["name", "region"],
                Kind::Indicators => &["indicator", "region", frame::PERIOD],
                Kind::Visits if field("visit_id").is_some() => &["visit_id", "problem"],
                Kind::Visits => &["visit_date", "cadre", "enterprise", "problem"],
                Kind::Targets => &["scope", "metric"],
            };
            for name in fields {
                push_key(&mut key, field(name));
            }
            if matches!(kind, Kind::Indicators | Kind::Targets) {
                if let Some(p) = row_period {
                    let _ = write!(key, "{p}");
                }
            }
            let shown = || match kind {
                Kind::Projects => match field("project_id") {
                    Some(id) => format!("项目编号 {}", val_text(id)),
                    None => format!("{} / {}", field("name").map(val_text).unwrap_or_default(), field("region").map(val_text).unwrap_or_default()),
                },
                _ => "同一记录".to_string(),
            };
            let key = Some(key);
            if let Some(key) = key {
                if let Some(first) = ready.keys.get(&key) {
                    let shown = shown();
                    // Point at the key's own cell: 项目编号 where there is one.
                    let key_cols: &[&str] = match kind {
                        Kind::Projects => &["project_id", "name"],
                        Kind::Indicators => &["indicator", "region"],
                        Kind::Visits => &["visit_id", "problem", "enterprise"],
                        Kind::Targets => &["metric", "scope"],
                    };
                    let key_col = key_cols
                        .iter()
                        .find_map(|k| ready.det.columns.iter().find(|m| defs[m.canon].name == *k))
                        .map(|m| (m.sheet_col, defs[m.canon].name, cell_of(m).raw()))
                        .unwrap_or((0, "key", String::new()));
                    rejected = Some(issue(
                        Severity::Error,
                        key_col.0,
                        key_col.1,
                        key_col.2,
                        format!("{}与第{}行重复（{shown}），该行未计入", CellRef(row, key_col.0), first),
                    ));
                } else {
                    ready.keys.insert(key, row + 1);
                }
            }
        }

        self.sink.issues.extend(warnings);
        if let Some(mut rej) = rejected {
            if is_total {
                // A reported total that cannot be read is only a warning: the
                // row was never going to be counted.
                rej.severity = Severity::Warning;
                rej.message = rej.message.replace("，该行未计入", "，该合计行不作核对");
                self.sink.issues.push(rej);
            } else {
                self.report.rejected += 1;
                self.sink.issues.push(rej);
            }
            return ControlFlow::Continue(());
        }
        if !is_total {
            self.report.accepted += 1;
        }

        out[0] = Val::Str(Cow::Borrowed(file));
        out[1] = Val::Str(Cow::Borrowed(sheet));
        out[2] = Val::I32(row as i32 + 1);
        if let Some(p) = row_period {
            out[3] = Val::Str(if Some(p) == ready.sheet_period {
                Cow::Borrowed(ready.sheet_period_text.as_str())
            } else {
                Cow::Owned(p.to_string())
            });
            out[4] = Val::I32(p.year);
            out[5] = p.month.map(|m| Val::I32(m as i32)).unwrap_or(Val::Null);
        }
        if let Some(p) = ready.builder.position(frame::IS_TOTAL) {
            out[p] = Val::Bool(is_total);
        }
        ready.builder.push(&out);
        if let Some(p) = row_period {
            if self.max_period.is_none_or(|cur| p > cur) {
                self.max_period = Some(p);
                self.report.period = Some(p.to_string());
            }
        }
        ControlFlow::Continue(())
    }

    /// Ends the sheet: runs detection if the sheet was shorter than the
    /// header search, and returns the accounting, issues and frame.
    pub fn finish(mut self) -> SheetResult {
        if matches!(self.state, State::Buffering(_)) {
            let _ = self.detect_and_replay();
        }
        let ready = match std::mem::replace(&mut self.state, State::Done(None)) {
            State::Data(r) | State::Done(Some(r)) => Some(r),
            _ => None,
        };
        let mut issues = self.sink.issues;
        for i in &mut issues {
            i.sheet = Some(self.input.sheet.to_string());
        }
        let frame = ready.and_then(|r| {
            let kind = r.det.kind;
            match r.builder.finish() {
                Ok(df) => Some((kind, df)),
                Err(e) => {
                    issues.push(Issue {
                        severity: Severity::Error,
                        file: self.input.file.to_string(),
                        sheet: Some(self.input.sheet.to_string()),
                        cell: None,
                        column: None,
                        value: None,
                        message: format!("内部错误，无法整理本表数据：{e}"),
                    });
                    None
                }
            }
        });
        if let Some(reason) = &self.report.skipped_reason {
            issues.push(Issue {
                severity: if self.report.kind.is_some() { Severity::Error } else { Severity::Info },
                file: self.input.file.to_string(),
                sheet: Some(self.input.sheet.to_string()),
                cell: None,
                column: None,
                value: None,
                message: format!("工作表未读取：{reason}"),
            });
        }
        SheetResult { report: self.report, issues, frame }
    }
}

/// Text of a label or free-text column. Group labels are folded (width,
/// spaces, Traditional) once per distinct raw value; other text is trimmed.
fn text_value<'c>(name: &str, cv: &Cv<'c>, cache: &mut LabelCache, canon: usize) -> Val<'c> {
    let Some(text) = cv.text() else { return Val::Null };
    if values::is_missing_marker(&text) {
        return Val::Null;
    }
    if !LABEL_COLUMNS.contains(&name) {
        return Val::Str(text);
    }
    // Folding runs NFKC and a Traditional→Simplified automaton, too slow to
    // repeat for every row of a province-scale ledger: the result is cached
    // per distinct raw value, and an already-clean label is not copied.
    if cache.len() <= canon {
        cache.resize_with(canon + 1, HashMap::new);
    }
    let column = &mut cache[canon];
    let folded = match column.get(text.as_ref()) {
        Some(f) => f.clone(),
        None => {
            let n = normalize_label(&text);
            let f = (n != text.as_ref()).then_some(n);
            if column.len() < 50_000 {
                column.insert(text.to_string(), f.clone());
            }
            f
        }
    };
    match folded {
        None => Val::Str(text),
        Some(f) => Val::Str(Cow::Owned(f)),
    }
}

/// Folded categorical values by canonical column: raw text → canonical value.
type FoldCache = Vec<HashMap<String, Option<&'static str>>>;

fn cached_fold(cache: &mut FoldCache, canon: usize, raw: &str, fold: impl Fn(&str) -> Option<&'static str>) -> Option<&'static str> {
    if cache.len() <= canon {
        cache.resize_with(canon + 1, HashMap::new);
    }
    let column = &mut cache[canon];
    if let Some(v) = column.get(raw) {
        return *v;
    }
    let v = fold(raw);
    if column.len() < 10_000 {
        column.insert(raw.to_string(), v);
    }
    v
}

/// Folded labels by canonical column: raw text → the folded text, or None
/// when the raw text is already in canonical form.
type LabelCache = Vec<HashMap<String, Option<String>>>;

/// Appends one key field and a separator that cannot occur in ledger text.
fn push_key(key: &mut String, v: Option<&Val<'_>>) {
    if let Some(v) = v {
        key.push_str(&val_text(v));
    }
    key.push('\u{1}');
}

fn val_text(v: &Val<'_>) -> String {
    match v {
        Val::Str(s) => s.to_string(),
        Val::F64(x) => x.to_string(),
        Val::Date(d) | Val::I32(d) => d.to_string(),
        Val::Bool(b) => b.to_string(),
        Val::Null => String::new(),
    }
}

/// A period cell that names only a month (`3`, `3月`), in the sheet's year.
fn month_only(cv: &Cv<'_>, sheet: Option<Period>) -> Option<Period> {
    let year = sheet?.year;
    let m = match cv {
        Cv::Num(v) if v.fract() == 0.0 => *v as i64,
        Cv::Text(s) => fold_width_and_space(s).trim_end_matches('份').trim_end_matches('月').parse().ok()?,
        _ => return None,
    };
    (1..=12).contains(&m).then(|| Period::month(year, m as u32))
}

/// The indicator named in a title: `2023年1-3月规上工业增加值完成情况` → `规上工业增加值`.
pub fn indicator_from_title(title: &str) -> Option<String> {
    let t = normalize_label(title);
    let p = period::parse_period_text(&t)?;
    // Cut everything up to the end of the period expression.
    let month = p.month?;
    let mut rest: &str = &t;
    for marker in [format!("{month}月份"), format!("{month}月"), "季度".to_string(), "上半年".to_string()] {
        if let Some(pos) = rest.find(&marker) {
            rest = &rest[pos + marker.len()..];
            break;
        }
    }
    let mut name = rest.trim_start_matches(['底', '末', '份']).to_string();
    for suffix in ["完成情况表", "完成情况", "情况统计表", "统计表", "情况表", "一览表", "月报表", "月报", "情况", "表"] {
        if let Some(s) = name.strip_suffix(suffix) {
            name = s.to_string();
        }
    }
    (!name.is_empty() && name.chars().count() <= 30).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn end_markers() {
        assert!(is_end_marker("注：1.本表数据截至3月底"));
        assert!(is_end_marker("备注:"));
        assert!(is_end_marker("填报人：张三"));
        assert!(is_end_marker("审核人"));
        assert!(!is_end_marker("注塑产业园"));
        assert!(!is_end_marker("说明书印刷项目"));
    }

    #[test]
    fn total_labels() {
        assert!(is_total_label("合计", true));
        assert!(is_total_label("小 计", true));
        assert!(is_total_label("其中：工业", true));
        assert!(is_total_label("全县", true));
        assert!(is_total_label("全縣合計", true));
        assert!(!is_total_label("全县农村公路提升工程", true));
        assert!(!is_total_label("全县", false));
        assert!(!is_total_label("白水镇", true));
    }

    #[test]
    fn indicator_titles() {
        assert_eq!(indicator_from_title("2023年1-3月规上工业增加值完成情况").as_deref(), Some("规上工业增加值"));
        assert_eq!(indicator_from_title("青山县2025年1—6月固定资产投资完成情况表").as_deref(), Some("固定资产投资"));
        assert_eq!(indicator_from_title("2023年3月份社会消费品零售总额").as_deref(), Some("社会消费品零售总额"));
        assert_eq!(indicator_from_title("重点项目表"), None);
    }
}
