//! Typing a row: every mapped cell read as its column's type (SPEC §1.3).
//!
//! Text, money (converted to 万元), numbers, percentages, dates and years;
//! categorical columns folded to one spelling; the USCC checked. A cell that
//! cannot be read rejects the row when its column is required and becomes
//! null with a warning otherwise, and either way the issue names the cell.

use super::super::columns::{ColDef, ColType};
use super::super::folds;
use super::super::frame::{self, Val};
use super::super::header::{Detection, MappedColumn};
use super::super::period;
use super::super::values::{
    self, cell_date, cell_number, fold_width_and_space, normalize_label, Cv, DateValue, Number,
};
use super::fill::VerticalFill;
use crate::model::{Column, Kind};
use crate::quality::{Issue, Severity};
use polars::prelude::PlHashMap as HashMap;
use std::borrow::Cow;

/// One data row of the sheet, with merged label cells filled down.
pub struct RowView<'r, 'c> {
    pub file: &'r str,
    pub sheet: &'r str,
    /// Zero-based sheet row.
    pub row: u32,
    pub cells: &'r [Cv<'c>],
    pub fill: &'r VerticalFill,
    pub det: &'r Detection,
}

impl<'r> RowView<'r, '_> {
    /// The value of a mapped column; an empty text cell under a vertical
    /// merge takes the merge's value.
    pub fn cell(&self, m: &MappedColumn) -> Cv<'r> {
        let cv = self.cells.get(m.sheet_col as usize).cloned().unwrap_or(Cv::Empty);
        // Most rows are under no merge: then the emptiness test (a trim) is
        // not needed here; it was a third of this function's cost.
        if self.fill.is_filling() && cv.is_empty() {
            // Whatever the column's type: a visit's date is merged over its
            // problem rows as often as a region over its projects.
            if let Some(v) = self.fill.get(self.row, m.sheet_col) {
                return v;
            }
        }
        cv
    }

    /// The cell of a canonical column, if the sheet has that column.
    pub fn get(&self, column: Column) -> Option<Cv<'r>> {
        self.det.find(column).map(|m| self.cell(m))
    }

    /// An issue about one cell of this row.
    pub fn issue(&self, severity: Severity, col: u32, column: Column, raw: String, message: String) -> Issue {
        Issue::new(severity, self.file, message).in_sheet(self.sheet).at(self.row, col).column(column).value(raw)
    }

    /// An issue about the whole row: it points at the row's first cell.
    pub fn row_issue(&self, column: Column, message: String) -> Issue {
        Issue::new(Severity::Error, self.file, message).in_sheet(self.sheet).at(self.row, 0).column(column).value("")
    }

    /// `D17`, for messages.
    pub fn cell_name(&self, col: u32) -> String {
        crate::quality::a1(self.row, col)
    }
}

/// Per-sheet caches: a ledger has a handful of distinct spellings per
/// label column, and folding (NFKC, Traditional → Simplified) is too slow to
/// repeat on every row of a province-scale ledger.
#[derive(Default)]
pub struct Caches {
    /// Folded labels by canonical column: raw text → the folded text, or
    /// None when the raw text is already in canonical form.
    labels: Vec<HashMap<String, Option<String>>>,
    /// Folded categorical values by canonical column.
    folds: Vec<HashMap<String, Option<&'static str>>>,
}

/// The typed row and what was wrong with it.
pub struct Typed<'r> {
    /// Values in the frame's schema order.
    pub out: Vec<Val<'r>>,
    /// The first reason the row cannot be counted.
    pub rejected: Option<Issue>,
    pub warnings: Vec<Issue>,
    /// An indicator's or target's own unit (`计量单位`), normalised.
    pub row_unit: Option<String>,
    /// A deadline given as days after the visit: (days, output position,
    /// sheet column, raw text), resolved once the visit date is read.
    deadline_days: Option<(i64, usize, u32, String)>,
}

/// How each mapped column is written: its position in the output row and
/// its money factor (header unit, else the unit line, else 万元).
pub struct Layout {
    pub out_pos: Vec<Option<usize>>,
    pub money_factor: Vec<f64>,
    pub width: usize,
}

/// Reads every mapped cell of the row as its column's type.
/// `spare` is the previous row's emptied output vector, reused.
pub fn type_row<'r>(view: &RowView<'r, '_>, layout: &Layout, caches: &mut Caches, spare: Vec<Val<'_>>) -> Typed<'r> {
    let det = view.det;
    let row_unit = view.get(Column::Unit).and_then(|cv| cv.text().map(|t| normalize_label(&t)));
    let mut out = values::recycle(spare);
    out.resize(layout.width, Val::Null);
    let mut typed = Typed { out, rejected: None, warnings: Vec::new(), row_unit, deadline_days: None };
    for (i, m) in det.columns.iter().enumerate() {
        let Some(pos) = layout.out_pos[i] else { continue };
        let def: &ColDef = &det.defs()[m.canon];
        let cv = view.cell(m);
        if let Cv::Error(e) = &cv {
            let cell = view.cell_name(m.sheet_col);
            if def.required {
                let msg = format!("{cell}为Excel错误值「{e}」（{}），该行未计入", def.label);
                typed.reject(view.issue(Severity::Error, m.sheet_col, def.col, e.to_string(), msg));
            } else {
                let msg = format!("{cell}为Excel错误值「{e}」（{}），按空值处理", def.label);
                typed.warnings.push(view.issue(Severity::Warning, m.sheet_col, def.col, e.to_string(), msg));
            }
            continue;
        }
        let factor = value_factor(def, m, det, layout.money_factor[i], typed.row_unit.as_deref());
        let value = match read_value(def, &cv, factor, caches, m.canon) {
            Read::YearMonth(v) => {
                let (cell, raw) = (view.cell_name(m.sheet_col), cv.raw());
                let msg = format!("{cell}「{raw}」只有年月（{}），按该月1日计", def.label);
                typed.warnings.push(view.issue(Severity::Warning, m.sheet_col, def.col, raw, msg));
                Ok(v)
            }
            // A number of days is a deadline relative to the visit: resolved
            // once the whole row is read, whatever the column order.
            Read::Days(n) if def.col == Column::Deadline => {
                typed.deadline_days = Some((n, pos, m.sheet_col, cv.raw()));
                Ok(Val::Null)
            }
            Read::Days(_) => Err("有效日期"),
            Read::Value(v) => Ok(v),
            Read::Expected(what) => Err(what),
        };
        match value {
            Ok(Val::Null) if def.required => {
                let raw = cv.raw();
                let cell = view.cell_name(m.sheet_col);
                let msg = if raw.trim().is_empty() {
                    format!("{cell}必填项「{}」为空，该行未计入", def.label)
                } else {
                    format!("{cell}必填项「{}」为「{raw}」（表示无数据），该行未计入", def.label)
                };
                typed.reject(view.issue(Severity::Error, m.sheet_col, def.col, raw, msg));
            }
            Ok(v) => typed.out[pos] = v,
            Err(expect) => {
                let raw = cv.raw();
                let cell = view.cell_name(m.sheet_col);
                if def.required {
                    let msg = format!("{cell}「{raw}」不是{expect}（{}），该行未计入", def.label);
                    typed.reject(view.issue(Severity::Error, m.sheet_col, def.col, raw, msg));
                } else {
                    let msg = format!("{cell}「{raw}」不是{expect}（{}），按空值处理", def.label);
                    typed.warnings.push(view.issue(Severity::Warning, m.sheet_col, def.col, raw, msg));
                }
            }
        }
        if let Cv::Text(raw) = &cv {
            fold_text(view, m, def, raw, pos, caches, &mut typed);
        }
    }
    deadline_from_days(view, layout, &mut typed);
    typed
}

/// A deadline written as a number of days (SPEC §1.3): that many days
/// after the visit, with a warning naming the cell.
fn deadline_from_days(view: &RowView<'_, '_>, layout: &Layout, typed: &mut Typed<'_>) {
    let Some((days, pos, col, raw)) = typed.deadline_days.take() else { return };
    let visit = view
        .det
        .columns
        .iter()
        .enumerate()
        .find(|(_, m)| view.det.defs()[m.canon].col == Column::VisitDate)
        .and_then(|(i, _)| layout.out_pos[i])
        .and_then(|p| match typed.out[p] {
            Val::Date(d) => Some(d),
            _ => None,
        });
    let cell = view.cell_name(col);
    let (value, msg) = match visit {
        Some(d) => (Val::Date(d + days as i32), format!("{cell}办结时限「{raw}」按走访日期后{days}天计")),
        None => (Val::Null, format!("{cell}办结时限「{raw}」像是天数，但本行没有走访日期，按空值处理")),
    };
    typed.out[pos] = value;
    typed.warnings.push(view.issue(Severity::Warning, col, Column::Deadline, raw, msg));
}

impl Typed<'_> {
    /// Keeps the first reason a row is rejected.
    pub fn reject(&mut self, issue: Issue) {
        self.rejected.get_or_insert(issue);
    }
}

/// The factor a numeric cell is multiplied by (SPEC §1.2): money columns
/// convert to 万元 by their header's unit, else the unit line; indicator and
/// target values by their own unit (the row's 计量单位, else the header's),
/// and only when they have none by the unit line, so `万千瓦时` or `%` stay as
/// written. A unit written in the cell itself (`12.3亿元`) is applied by the caller.
fn value_factor(def: &ColDef, m: &MappedColumn, det: &Detection, money_factor: f64, row_unit: Option<&str>) -> f64 {
    let own = |unit: &str| values::money_factor(unit).unwrap_or(1.0);
    match (def.ty, det.kind) {
        (ColType::Money, _) => money_factor,
        (ColType::Number, Kind::Indicators | Kind::Targets) => match (row_unit, m.unit.as_deref()) {
            (Some(u), _) | (None, Some(u)) => own(u),
            (None, None) if det.kind == Kind::Indicators => det.unit_line_factor.unwrap_or(1.0),
            (None, None) => 1.0,
        },
        _ => 1.0,
    }
}

/// What one cell reads as.
enum Read<'r> {
    Value(Val<'r>),
    /// A date given only as year and month: the first of the month.
    YearMonth(Val<'r>),
    /// A whole number of days in a date column.
    Days(i64),
    /// Not readable: what was expected, for the message.
    Expected(&'static str),
}

/// One cell as its column's type.
fn read_value<'r>(def: &ColDef, cv: &Cv<'r>, factor: f64, caches: &mut Caches, canon: usize) -> Read<'r> {
    match def.ty {
        // A problem that says there is none is a visit without a problem.
        ColType::Text if def.col == Column::Problem && cv.text().is_some_and(|t| folds::says_no_problem(&t)) => {
            Read::Value(Val::Null)
        }
        ColType::Text => Read::Value(text_value(def.col, cv, &mut caches.labels, canon)),
        ColType::Money | ColType::Number | ColType::Percent => match cell_number(cv) {
            Number::Missing => Read::Value(Val::Null),
            Number::Invalid => Read::Expected(match def.ty {
                ColType::Money => "有效金额",
                ColType::Percent => "有效百分比",
                _ => "有效数值",
            }),
            // A unit in the cell itself (`12.3亿元`) wins over the column's.
            Number::Value(v, inline) => {
                let factor = match def.ty {
                    ColType::Money | ColType::Number => inline.unwrap_or(factor),
                    _ => 1.0,
                };
                Read::Value(Val::F64(v * factor))
            }
        },
        ColType::Date => match cell_date(cv) {
            DateValue::Missing => Read::Value(Val::Null),
            DateValue::Value(d) => Read::Value(Val::Date(frame::date_days(d))),
            DateValue::YearMonth(d) => Read::YearMonth(Val::Date(frame::date_days(d))),
            DateValue::Days(n) => Read::Days(n),
            DateValue::Invalid => Read::Expected("有效日期"),
        },
        ColType::Year => match cv.is_empty() {
            true => Read::Value(Val::Null),
            false => period::cell_year(cv).map_or(Read::Expected("有效年份"), |y| Read::Value(Val::I32(y))),
        },
        ColType::Period => Read::Value(Val::Null),
    }
}

/// Folded categorical columns (status, tier, satisfaction, category) and the
/// USCC check, on the raw text of a cell.
fn fold_text<'r>(
    view: &RowView<'r, '_>,
    m: &MappedColumn,
    def: &ColDef,
    raw: &'r str,
    pos: usize,
    caches: &mut Caches,
    typed: &mut Typed<'r>,
) {
    let raw = values::trim_cell(raw);
    if raw.is_empty() || values::is_missing_marker(raw) {
        return;
    }
    let kind = view.det.kind;
    // The cell's name only for a message: formatting it for every cell cost 5 % of ingest.
    let cell = || view.cell_name(m.sheet_col);
    let fold: Option<fn(&str) -> Option<&'static str>> = match (kind, def.col) {
        (Kind::Projects, Column::Status) => Some(|r| folds::project_status(r).map(|v| v.as_str())),
        (Kind::Visits, Column::Tier) => Some(|r| folds::tier(r).map(|v| v.as_str())),
        (Kind::Visits, Column::Status) => Some(|r| folds::problem_status(r).map(|v| v.as_str())),
        (Kind::Visits, Column::Satisfaction) => Some(|r| folds::satisfaction(r).map(|v| v.as_str())),
        (Kind::Visits, Column::Category) => Some(|r| {
            let (canon, known) = folds::category(r);
            known.then_some(canon)
        }),
        _ => None,
    };
    if let Some(fold) = fold {
        match (cached_fold(&mut caches.folds, m.canon, raw, fold), def.col) {
            (Some(v), _) => typed.out[pos] = Val::Str(Cow::Borrowed(v)),
            // An unknown category counts as 其他.
            (None, Column::Category) => {
                typed.out[pos] = Val::Str(Cow::Borrowed("其他"));
                let msg = format!("{}问题类别「{raw}」不在规定类别中，按“其他”统计", cell());
                typed.warnings.push(view.issue(Severity::Warning, m.sheet_col, def.col, raw.to_string(), msg));
            }
            (None, _) => {
                typed.out[pos] = Val::Null;
                let msg = format!("{}{}「{raw}」无法识别，按空值处理", cell(), def.label);
                typed.warnings.push(view.issue(Severity::Warning, m.sheet_col, def.col, raw.to_string(), msg));
            }
        }
    }
    if kind == Kind::Visits && def.col == Column::Uscc {
        // Borrowed when already folded and upper-case, as nearly every code
        // is: a copy per visit row otherwise.
        let code = match fold_width_and_space(raw) {
            Cow::Borrowed(c) if !c.bytes().any(|b| b.is_ascii_lowercase() || !b.is_ascii()) => Cow::Borrowed(c),
            folded => Cow::Owned(folded.to_uppercase()),
        };
        if !values::uscc_is_valid(&code) {
            let why = if code.chars().count() != 18 { "不是18位" } else { "校验位不正确" };
            let msg = format!("{}统一社会信用代码「{raw}」{why}，请核对", cell());
            typed.warnings.push(view.issue(Severity::Warning, m.sheet_col, def.col, raw.to_string(), msg));
        }
        typed.out[pos] = Val::Str(code);
    }
}

/// Text of a label or free-text column. Group labels are folded (width,
/// spaces, Traditional) once per distinct raw value; other text is trimmed.
fn text_value<'c>(
    column: Column,
    cv: &Cv<'c>,
    cache: &mut Vec<HashMap<String, Option<String>>>,
    canon: usize,
) -> Val<'c> {
    let Some(text) = cv.text() else { return Val::Null };
    if values::is_missing_marker(&text) {
        return Val::Null;
    }
    if !column.is_group_label() {
        return Val::Str(text);
    }
    if cache.len() <= canon {
        cache.resize_with(canon + 1, HashMap::default);
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

fn cached_fold(
    cache: &mut Vec<HashMap<String, Option<&'static str>>>,
    canon: usize,
    raw: &str,
    fold: impl Fn(&str) -> Option<&'static str>,
) -> Option<&'static str> {
    if cache.len() <= canon {
        cache.resize_with(canon + 1, HashMap::default);
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
