//! One sheet, row by row: from raw cells to accepted, blank, total or rejected rows.
//!
//! Readers push rows in order. The processor buffers the first rows until
//! it has found the header ([`detect`]), then streams every later row
//! straight into the kind's frame builder, so a sheet of any length is held
//! in memory only as its normalised columns. The jobs of a data row each
//! have their own file: merged cells ([`fill`]), typing the cells
//! ([`cells`]), the kind's rules and duplicate keys ([`rules`]), and the
//! words that end a table or mark a total ([`markers`]). This file is the
//! state machine between them and the row accounting that must balance:
//! `rows = accepted + blank + total_rows + rejected`.

mod cells;
mod detect;
mod fill;
mod markers;
mod missing_columns;
pub mod region_context;
mod rules;
mod shapes;

pub use detect::indicator_from_title;
pub use fill::Merge;
pub use markers::{is_end_marker, is_total_label, END_MARKERS, TOTAL_PREFIXES, WHOLE_PREFIXES};

use super::frame::{FrameBuilder, Val};
use super::header::{self, HEADER_SEARCH_ROWS};
use super::period::Period;
use super::values::Cv;
use crate::model::{Column, Kind};
use crate::quality::{a1, Issue, Severity, SheetReport};
use calamine::CellErrorType;
use cells::{Caches, Layout, RowView};
use chrono::NaiveDate;
use fill::{GapWatch, VerticalFill};
use polars::prelude::DataFrame;
use std::borrow::Cow;
use std::ops::ControlFlow;

/// Where a sheet comes from.
pub struct SheetInput<'a> {
    /// Path relative to the input folder.
    pub file: &'a str,
    pub sheet: &'a str,
    pub hidden: bool,
    /// Merged regions, zero-based and inclusive: (row0, col0, row1, col1).
    pub merges: Vec<Merge>,
    /// False when `merges` has not been read yet. Reading an xlsx sheet's
    /// merged regions costs a second pass over its XML, so a sheet is first
    /// read without them; if the processor meets a layout that merges could
    /// change (see [`SheetProcessor::needs_merges`]), the reader reads them
    /// and reads the sheet again.
    pub merges_known: bool,
    /// Reads the merged regions on demand, in the middle of a sheet.
    pub merge_source: Option<&'a dyn Fn() -> Result<Vec<Merge>, String>>,
}

pub struct SheetResult {
    pub report: SheetReport,
    pub issues: Vec<Issue>,
    pub frame: Option<(Kind, DataFrame)>,
    /// The periods of the frame's rows (see [`super::resent::may_repeat`]).
    pub periods: super::resent::SheetPeriods,
}

/// A cell kept from the first rows, before the header is known.
#[derive(Debug, Clone)]
pub(crate) enum OwnedCell {
    Empty,
    Num(f64),
    Text(String),
    Bool(bool),
    Date(f64, Option<NaiveDate>),
    Error(CellErrorType),
}

impl OwnedCell {
    pub(crate) fn from_cv(cv: &Cv<'_>) -> Self {
        match cv {
            Cv::Empty => OwnedCell::Empty,
            Cv::Num(v) => OwnedCell::Num(*v),
            Cv::Text(s) => OwnedCell::Text(s.to_string()),
            Cv::Bool(b) => OwnedCell::Bool(*b),
            Cv::Date(v, d) => OwnedCell::Date(*v, *d),
            Cv::Error(e) => OwnedCell::Error(e.clone()),
        }
    }

    pub(crate) fn as_cv(&self) -> Cv<'_> {
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

/// What the header search decided, with everything data rows need.
struct Ready {
    found: detect::Found,
    sheet_period_text: String,
    /// Where each part's mapped columns go in the output row.
    layouts: Vec<Layout>,
    caches: Caches,
    fill: VerticalFill,
    keys: rules::Keys,
    builder: FrameBuilder,
    /// The region every row takes when the sheet has no region column (one
    /// file per town), with its position in the row, and the town a title
    /// names over a region column.
    context_region: Option<(usize, String)>,
    title_town: Option<String>,
    /// The last row's output vector, emptied, for the next row to reuse.
    spare: Vec<Val<'static>>,
}

impl Ready {
    fn new(found: detect::Found, merges: &[Merge], rows_hint: u32) -> Box<Ready> {
        // Columns sized for the sheet's declared rows: growing them by
        // doubling copied each column of a province ledger several times.
        // The declaration is the file's word, so it is capped.
        let capacity = rows_hint.saturating_sub(found.first_data_row).clamp(1024, 1 << 18);
        let builder = FrameBuilder::new(found.det.kind, capacity as usize);
        let layouts = found
            .parts
            .iter()
            .map(|part| {
                let det = &part.det;
                Layout {
                    out_pos: det.columns.iter().map(|c| builder.position(det.defs()[c.canon].col)).collect(),
                    money_factor: det.columns.iter().map(|c| header::column_money_factor(c, det)).collect(),
                    width: builder.width(),
                }
            })
            .collect();
        Box::new(Ready {
            fill: VerticalFill::new(merges, found.first_data_row),
            sheet_period_text: found.sheet_period.map(|p| p.to_string()).unwrap_or_default(),
            found,
            layouts,
            caches: Caches::default(),
            // The duplicate keys too: rehashing them as they grew was 0.6 % of a check.
            keys: rules::Keys::with_capacity_and_hasher(capacity as usize, Default::default()),
            builder,
            context_region: None,
            title_town: None,
            spare: Vec::new(),
        })
    }
}

/// What became of the parts of a data row (one, or one per wide group; a
/// wide group with no value in the row is neither). A summary, not a list
/// per part: a vector for every row of a province was a measurable cost.
#[derive(Default)]
struct PartOutcomes {
    /// At least one part went into the frame.
    pushed: bool,
    /// Why the other parts could not be read.
    rejections: Vec<Issue>,
}

enum State {
    Buffering(Vec<(u32, Vec<OwnedCell>)>),
    Data(Box<Ready>),
    Done(Option<Box<Ready>>),
}

/// The row accounting of a sheet while its rows stream by.
struct Accounting {
    report: SheetReport,
    issues: Vec<Issue>,
    /// Empty rows seen since the last counted row: they count as blank only
    /// when a later row shows they are inside the table.
    pending_blank: u64,
    /// The last data row pushed, to count the empty rows between two rows.
    last_row: Option<u32>,
    /// The latest row period seen, reported as the sheet's period.
    max_period: Option<Period>,
    /// Every period of the rows pushed.
    periods: super::resent::SheetPeriods,
    /// Growth values read, and the largest in size: all within ±1 looks
    /// like fractions typed into a % column.
    growth: (u64, f64),
}

impl Accounting {
    /// Rows with no cells at all never reach the processor: the gap before
    /// `row` is blank rows.
    fn skip_to(&mut self, row: u32, first_data_row: u32) {
        let expected_next = self.last_row.map(|r| r + 1).unwrap_or(first_data_row);
        if row > expected_next {
            self.pending_blank += u64::from(row - expected_next);
        }
        self.last_row = Some(row);
    }

    /// A row with content: the blank rows before it are inside the table.
    fn count_row(&mut self) {
        self.report.rows += self.pending_blank + 1;
        self.report.blank += self.pending_blank;
        self.pending_blank = 0;
    }

    fn saw_period(&mut self, p: Period) {
        self.periods.add(p);
        if self.max_period.is_none_or(|cur| p > cur) {
            self.max_period = Some(p);
            self.report.period = Some(p.to_string());
        }
    }
}

pub struct SheetProcessor<'a> {
    input: SheetInput<'a>,
    state: State,
    acc: Accounting,
    /// (first, last) column with content in the buffered rows.
    used_cols: (u32, u32),
    needs_merges: bool,
    gaps: GapWatch,
    /// The last row the sheet declares (its `<dimension>`), zero-based.
    rows_hint: u32,
}

impl<'a> SheetProcessor<'a> {
    pub fn new(input: SheetInput<'a>) -> Self {
        let report = SheetReport { sheet: input.sheet.to_string(), hidden: input.hidden, ..Default::default() };
        SheetProcessor {
            input,
            state: State::Buffering(Vec::new()),
            acc: Accounting {
                report,
                issues: Vec::new(),
                pending_blank: 0,
                last_row: None,
                max_period: None,
                periods: super::resent::SheetPeriods::new(),
                growth: (0, 0.0),
            },
            used_cols: (u32::MAX, 0),
            needs_merges: false,
            gaps: GapWatch::default(),
            rows_hint: 0,
        }
    }

    /// The last row the sheet declares, zero-based: sizes the columns.
    pub fn expect_rows(&mut self, last_row: u32) {
        self.rows_hint = last_row.saturating_add(1);
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
        let top = detect::Top {
            file: self.input.file,
            sheet: self.input.sheet,
            merges: &self.input.merges,
            merges_known: self.input.merges_known,
            used_cols: self.used_cols,
        };
        let issues_before = self.acc.issues.len();
        match detect::detect(&top, &buf, &mut self.acc.report, &mut self.acc.issues) {
            detect::Outcome::Found(found) => {
                let first = found.first_data_row;
                let mut ready = Ready::new(*found, &self.input.merges, self.rows_hint);
                if !self.settle_region(&mut ready, &buf, issues_before) {
                    return ControlFlow::Break(());
                }
                self.state = State::Data(ready);
                for (row, cells) in buf.iter().filter(|(r, _)| *r >= first) {
                    let cvs: Vec<Cv<'_>> = cells.iter().map(OwnedCell::as_cv).collect();
                    self.data_row(*row, &cvs)?;
                }
                ControlFlow::Continue(())
            }
            detect::Outcome::NeedsMerges => {
                self.needs_merges = true;
                ControlFlow::Break(())
            }
            detect::Outcome::Skipped => ControlFlow::Break(()),
        }
    }

    /// Where the rows' region comes from (issue 16); false when the sheet
    /// cannot be read, and then its header's issues are dropped with it.
    fn settle_region(&mut self, ready: &mut Ready, buf: &[(u32, Vec<OwnedCell>)], issues_before: usize) -> bool {
        let header_row = ready.found.det.header_row;
        let titles: Vec<String> = buf
            .iter()
            .filter(|(r, _)| *r < header_row)
            .flat_map(|(_, cells)| cells.iter().filter_map(|c| c.as_cv().text().map(|t| t.into_owned())))
            .collect();
        let titles: Vec<&str> = titles.iter().map(String::as_str).collect();
        let at = (self.input.file, self.input.sheet);
        let acc = &mut self.acc;
        match region_context::decide(&ready.found.det, &titles, at, &mut acc.report, &mut acc.issues) {
            region_context::Decision::Column { title_town } => ready.title_town = title_town,
            region_context::Decision::Context(region) => {
                // A town's own indicator table is the town's rows, not the whole's.
                if ready.found.whole_area.take().is_some() {
                    acc.report.layout = Some(crate::model::IndicatorLayout::Long);
                }
                ready.context_region = ready.builder.position(Column::Region).map(|p| (p, region));
            }
            region_context::Decision::Without => {}
            region_context::Decision::Skip => {
                acc.issues.truncate(issues_before);
                return false;
            }
        }
        true
    }

    /// Ends the table at a note or signature line.
    fn end_table(&mut self) {
        if let State::Data(r) = std::mem::replace(&mut self.state, State::Done(None)) {
            self.state = State::Done(Some(r));
        }
    }

    /// While merges are unknown, a label gap under a label is how a merged
    /// cell looks without its merge: fetch the merges now and go on, or
    /// break so the reader starts the sheet again with them.
    fn watch_merges(&mut self, row: u32, cells: &[Cv<'_>]) -> ControlFlow<()> {
        let State::Data(ready) = &mut self.state else { return ControlFlow::Break(()) };
        if !self.gaps.sees_gap(&ready.found.det, row, cells) {
            return ControlFlow::Continue(());
        }
        match self.input.merge_source.map(|source| source()) {
            Some(Ok(merges)) => {
                ready.fill = VerticalFill::resume(&merges, ready.found.first_data_row, row, &self.gaps);
                self.input.merges = merges;
                self.input.merges_known = true;
                ControlFlow::Continue(())
            }
            _ => {
                self.needs_merges = true;
                ControlFlow::Break(())
            }
        }
    }

    // The state machine's one step for a data row: each job it calls lives in
    // its own file (fill, cells, rules, markers); what stays here is their order
    // and the row accounting, which must be read in one place to be trusted.
    fn data_row(&mut self, row: u32, cells: &[Cv<'_>]) -> ControlFlow<()> {
        let State::Data(ready) = &self.state else { return ControlFlow::Break(()) };
        self.acc.skip_to(row, ready.found.first_data_row);
        let first_text = cells.iter().find(|c| !c.is_empty());
        if let Some(Cv::Text(t)) = first_text {
            if is_end_marker(t) {
                self.end_table();
                return ControlFlow::Break(());
            }
        }
        // A header of another kind starts a second table: read up to it (issue 10).
        if let Some(other) = super::second_table::other_header(cells, ready.found.det.kind) {
            let msg = super::second_table::message(row + 1, ready.found.det.kind, other);
            self.acc.issues.push(Issue::new(Severity::Warning, self.input.file, msg).in_sheet(self.input.sheet));
            self.end_table();
            return ControlFlow::Break(());
        }
        // A template's grey 示例 row is blank, with a note.
        let at = (self.input.file, self.input.sheet, row);
        let acc = &mut self.acc;
        if super::template_marks::skip_example_row(
            at,
            first_text,
            &mut acc.report,
            &mut acc.issues,
            &mut acc.pending_blank,
        ) {
            return ControlFlow::Continue(());
        }
        if !self.input.merges_known {
            self.watch_merges(row, cells)?;
        }
        let State::Data(ready) = &mut self.state else { return ControlFlow::Break(()) };
        ready.fill.advance(row, cells);
        let ready: &mut Ready = ready;
        let view = RowView {
            file: self.input.file,
            sheet: self.input.sheet,
            row,
            cells,
            fill: &ready.fill,
            det: &ready.found.det,
        };
        let period_cell = ready.found.det.period_col.map(|c| cells.get(c as usize).cloned().unwrap_or(Cv::Empty));
        let all_empty =
            view.det.columns.iter().all(|m| view.cell(m).is_empty()) && period_cell.is_none_or(|c| c.is_empty());
        if all_empty {
            self.acc.pending_blank += 1;
            return ControlFlow::Continue(());
        }
        self.acc.count_row();

        // Total rows: the name, region or first text cell says 合计/小计/全县 ….
        let kind = view.det.kind;
        let is_total = view
            .det
            .columns
            .iter()
            .filter(|m| view.det.defs()[m.canon].col.labels_row())
            .filter_map(|m| view.cell(m).text())
            // Only a text can say 合计: the first cell is usually a 序号, and
            // formatting it as text for this test cost a String per row.
            .chain(first_text.filter(|c| matches!(c, Cv::Text(_))).and_then(|c| c.text()))
            .any(|l| is_total_label(&l, kind != Kind::Targets));
        if is_total {
            self.acc.report.total_rows += 1;
            if kind == Kind::Projects {
                whole_region_warning(&view, &mut self.acc.issues);
            }
            if kind != Kind::Indicators {
                return ControlFlow::Continue(());
            }
        }

        let outcomes = read_parts(&mut self.acc, self.input.file, self.input.sheet, row, cells, ready, is_total);
        self.account_parts(row, is_total, outcomes);
        ControlFlow::Continue(())
    }

    /// The row accounting of a data row from what became of its parts: a row
    /// counts once however many indicators a wide table unpivots from it.
    /// It is accepted when any part was read; a part rejected beside others
    /// read is a warning that names its cell, since its row was counted.
    fn account_parts(&mut self, row: u32, is_total: bool, outcomes: PartOutcomes) {
        let PartOutcomes { pushed, mut rejections } = outcomes;
        if is_total {
            // A reported total that cannot be read is only a warning: the
            // row was never going to be counted.
            for rej in &mut rejections {
                rej.severity = Severity::Warning;
                rej.message = rej.message.replace("，该行未计入", "，该合计行不作核对");
            }
        } else if pushed {
            self.acc.report.accepted += 1;
            for rej in &mut rejections {
                rej.severity = Severity::Warning;
                rej.message = rej.message.replace("，该行未计入", "，该指标未计入（本行其他指标已计入）");
            }
        } else if rejections.is_empty() {
            // Every group of a wide row was empty.
            let msg = format!("第{}行各指标均无数值，该行未计入", row + 1);
            self.acc.report.rejected += 1;
            self.acc.issues.push(Issue::new(Severity::Error, self.input.file, msg).in_sheet(self.input.sheet));
        } else {
            self.acc.report.rejected += 1;
        }
        self.acc.issues.append(&mut rejections);
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
        let Accounting { report, mut issues, growth, periods, .. } = self.acc;
        if let Some(r) = &ready {
            issues.extend(fraction_growth_warning(&r.found.det, growth, self.input.file, self.input.sheet));
        }
        let title_town = ready.as_ref().and_then(|r| r.title_town.clone());
        let (file, sheet) = (self.input.file, self.input.sheet);
        let frame = ready.and_then(|r| {
            let kind = r.found.det.kind;
            match r.builder.finish() {
                Ok(df) => Some((kind, df)),
                Err(e) => {
                    issues.push(
                        Issue::new(Severity::Error, file, format!("内部错误，无法整理本表数据：{e}")).in_sheet(sheet),
                    );
                    None
                }
            }
        });
        if let (Some(town), Some((_, df))) = (&title_town, &frame) {
            issues.extend(region_context::title_conflict(town, &frame_regions(df), (file, sheet)));
        }
        if let Some(reason) = &report.skipped_reason {
            let severity = match (report.kind, report.looks_like) {
                (Some(_), _) => Severity::Error,
                // Looks like a ledger but misses a column: never only a note (issue 16).
                (None, Some(_)) => Severity::Warning,
                (None, None) => Severity::Info,
            };
            issues.push(Issue::new(severity, file, format!("工作表未读取：{reason}")).in_sheet(sheet));
        }
        SheetResult { report, issues, frame, periods }
    }
}

/// Reads each part of a data row (one, or one per wide group) into the
/// frame: typing, the kind's rules, the duplicate check, then the trace.
fn read_parts(
    acc: &mut Accounting,
    file: &str,
    sheet: &str,
    row: u32,
    cells: &[Cv<'_>],
    ready: &mut Ready,
    is_total: bool,
) -> PartOutcomes {
    let Ready { found, sheet_period_text, layouts, caches, fill, keys, builder, context_region, spare, .. } = ready;
    let kind = found.det.kind;
    let wide = found.parts.len() > 1;
    let mut outcomes = PartOutcomes::default();
    for (part, layout) in found.parts.iter().zip(layouts.iter()) {
        let view = RowView { file, sheet, row, cells, fill, det: &part.det };
        let values = part.det.columns.iter().filter(|m| shapes::is_value_column(&part.det, m));
        if wide && values.clone().all(|m| view.cell(m).is_empty()) {
            continue;
        }
        let mut typed = cells::type_row(&view, layout, caches, std::mem::take(spare));
        // One file per town (issue 16): the region its title, sheet, folder or file names.
        if let Some((p, region)) = context_region {
            typed.out[*p] = Val::Str(Cow::Borrowed(region.as_str()));
        }
        let period = rules::row_period(&view, found.sheet_period, &mut typed);
        if let (Some(region), Some(p)) = (&found.whole_area, builder.position(Column::Region)) {
            typed.out[p] = Val::Str(Cow::Borrowed(region.as_str()));
        }
        if typed.rejected.is_none() {
            match kind {
                Kind::Indicators => {
                    rules::indicator_rules(&view, builder, part.indicator.as_deref(), is_total, &mut typed)
                }
                Kind::Targets => rules::target_rules(&view, builder, &mut typed),
                _ => {}
            }
        }
        if typed.rejected.is_none() && !is_total {
            rules::check_duplicate(&view, builder, period, keys, &mut typed);
        }
        if let Some(Val::F64(g)) = builder.position(Column::GrowthReported).map(|p| &typed.out[p]) {
            acc.growth.0 += 1;
            acc.growth.1 = acc.growth.1.max(g.abs());
        }
        acc.issues.append(&mut typed.warnings);
        if let Some(rej) = typed.rejected.take() {
            outcomes.rejections.push(rej);
            continue;
        }
        let mut out = typed.out;
        trace(&mut out, (file, sheet, row), period, (found.sheet_period, sheet_period_text));
        if let Some(p) = builder.position(Column::IsTotal) {
            // A whole-area table's rows are the whole's reported figures.
            out[p] = Val::Bool(is_total || found.whole_area.is_some());
        }
        if let (Some(p), Some((first, last))) = (builder.position(Column::SourceCells), part.value_cols) {
            out[p] = Val::Str(Cow::Owned(format!("{}:{}", a1(row, first), a1(row, last))));
        }
        builder.push(&out);
        *spare = super::values::recycle(out);
        if let Some(p) = period {
            acc.saw_period(p);
        }
        if part.value_cols.is_some() && !is_total {
            acc.report.unpivoted += 1;
        }
        outcomes.pushed = true;
    }
    outcomes
}

/// The distinct regions of a sheet's accepted rows.
fn frame_regions(df: &DataFrame) -> Vec<String> {
    let Ok(col) = df.column(Column::Region.name()) else { return Vec::new() };
    let Ok(strs) = col.str() else { return Vec::new() };
    let set: std::collections::BTreeSet<&str> = strs.iter().flatten().collect();
    set.into_iter().map(str::to_string).collect()
}

/// A project whose region is the whole area (全县) is counted as a total
/// row, as SPEC §1.2 says; that is worth a look, not silence.
fn whole_region_warning(view: &RowView<'_, '_>, issues: &mut Vec<Issue>) {
    let Some(m) = view.det.find(Column::Region) else { return };
    let Some(text) = view.cell(m).text() else { return };
    let label = super::values::normalize_label(&text);
    if WHOLE_PREFIXES.contains(&label.as_str()) {
        let msg = format!(
            "{}项目所属地区为「{label}」，按合计行处理、未计入项目；如是全域性项目，请填写牵头乡镇或单位",
            view.cell_name(m.sheet_col)
        );
        issues.push(view.issue(Severity::Warning, m.sheet_col, Column::Region, text.into_owned(), msg));
    }
}

/// Growth values all within ±1 (and not all zero) are probably fractions
/// typed into a % column (0.136 for 13.6 %): read as they are, but flagged.
fn fraction_growth_warning(det: &header::Detection, growth: (u64, f64), file: &str, sheet: &str) -> Option<Issue> {
    let (count, largest) = growth;
    let m = det.find(Column::GrowthReported)?;
    if count < 2 || largest == 0.0 || largest > 1.0 {
        return None;
    }
    let msg = format!(
        "「{}」列的{count}个值都在±1之内，可能把百分数写成了小数（13.6%应写13.6，不是0.136）；已按百分数读取，请核对",
        m.header
    );
    let issue = Issue::new(Severity::Warning, file, msg).in_sheet(sheet).at(det.header_row, m.sheet_col);
    Some(issue.column(Column::GrowthReported))
}

/// The trace and period columns every row carries: source file, sheet,
/// Excel row, period, year and month.
/// The sheet's own period text is borrowed, not formatted per row.
fn trace<'r>(
    out: &mut [Val<'r>],
    at: (&'r str, &'r str, u32),
    period: Option<Period>,
    sheet_period: (Option<Period>, &'r str),
) {
    let (file, sheet, row) = at;
    out[0] = Val::Str(Cow::Borrowed(file));
    out[1] = Val::Str(Cow::Borrowed(sheet));
    out[2] = Val::I32(row as i32 + 1);
    if let Some(p) = period {
        out[3] =
            Val::Str(if Some(p) == sheet_period.0 { Cow::Borrowed(sheet_period.1) } else { Cow::Owned(p.to_string()) });
        out[4] = Val::I32(p.year);
        out[5] = p.month.map(|m| Val::I32(m as i32)).unwrap_or(Val::Null);
    }
}
