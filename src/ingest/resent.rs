//! Re-sent ledgers (SPEC §1.4): towns re-send corrected files (`…（修订）`),
//! and several towns may send the same month separately.
//!
//! Rows of one kind and period from different sheets are one table. A key
//! that stands in two sheets of the same kind and period counts once: the
//! row of the later sheet in path order wins, and a warning names both
//! files and cells. Different keys add up, as separate town files should.
//! Within one sheet a repeated key is already a rejected duplicate, so here
//! each key has at most one row per sheet.

use super::frame;
use super::period::Period;
use crate::column_access::{I32Col, StrCol};
use crate::error::Error;
use crate::model::{Column, Kind};
use crate::quality::{DataQuality, Issue, Severity};
use crate::row_index::RowIndex;
use polars::prelude::*;
use std::hash::BuildHasher;

/// The periods of one sheet's accepted rows, to tell without reading any
/// key whether two sheets can share one: nearly always they cannot (one
/// month per file), and then [`dedupe`] is not needed at all. Hashing every
/// key of a province's 900,000 visit rows was 4–6 % of its `check`.
/// `Default` is a sheet whose periods are not known: it is compared key by
/// key with every other, as one with too many periods is.
#[derive(Debug, Clone, Default)]
pub struct SheetPeriods {
    /// Distinct periods in the order seen; `None` once there are too many
    /// to list (then the sheet is assumed to overlap every other).
    seen: Option<Vec<Period>>,
}

impl SheetPeriods {
    /// A sheet with more distinct periods than this (a multi-year history)
    /// is compared key by key.
    const LISTED: usize = 64;

    pub fn new() -> Self {
        SheetPeriods { seen: Some(Vec::new()) }
    }

    pub fn add(&mut self, p: Period) {
        let Some(seen) = &mut self.seen else { return };
        if seen.contains(&p) {
            return;
        }
        if seen.len() == Self::LISTED {
            self.seen = None;
        } else {
            seen.push(p);
        }
    }
}

/// Whether a key could stand in two of these sheets with one period: some
/// period is in two sheets, or a sheet has too many to list.
pub fn may_repeat(sheets: &[SheetPeriods]) -> bool {
    let mut all: PlHashSet<Period> = PlHashSet::default();
    for s in sheets {
        let Some(seen) = &s.seen else { return true };
        for p in seen {
            if !all.insert(*p) {
                return true;
            }
        }
    }
    false
}

/// Warnings named one by one per pair of sheets; the rest are counted.
const NAMED_PER_PAIR: usize = 20;

/// One part of a row's key, borrowed from the frame's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Part<'a> {
    Str(Option<&'a str>),
    Int(Option<i32>),
}

/// The key columns of a kind, as the duplicate check within a sheet uses them.
fn key_columns(kind: Kind, has_id: bool) -> &'static [Column] {
    match kind {
        Kind::Projects if has_id => &[Column::ProjectId],
        Kind::Projects => &[Column::Name, Column::Region],
        Kind::Indicators => &[Column::Indicator, Column::Region],
        Kind::Visits if has_id => &[Column::VisitId, Column::Problem],
        Kind::Visits => &[Column::VisitDate, Column::Cadre, Column::Enterprise, Column::Problem],
        Kind::Targets => &[Column::Scope, Column::Metric],
    }
}

enum Col {
    Str(StrCol),
    Int(I32Col),
}

fn column(df: &DataFrame, c: Column) -> Result<Col, Error> {
    let s = df.column(c.name())?;
    Ok(match s.dtype() {
        DataType::Date | DataType::Int32 => Col::Int(I32Col::named(df, c.name())?),
        _ => Col::Str(StrCol::named(df, c.name())?),
    })
}

fn part(col: &Col, i: usize) -> Part<'_> {
    match col {
        Col::Str(c) => Part::Str(c.get(i)),
        Col::Int(c) => Part::Int(c.get(i)),
    }
}

/// Keeps, of every key that stands in several sheets of one period, the row
/// of the last sheet; returns the frame without the others and a warning for
/// each row dropped. `quality` gives the sheets' column letters for cells.
pub fn dedupe(kind: Kind, df: DataFrame, quality: &mut DataQuality) -> Result<DataFrame, Error> {
    if df.height() == 0 {
        return Ok(df);
    }
    let files = column(&df, Column::SourceFile)?;
    let sheets = column(&df, Column::Sheet)?;
    let periods = column(&df, Column::Period)?;
    let rows = I32Col::named(&df, frame::ROW)?;
    let totals = match kind {
        Kind::Indicators => Some(df.column(frame::IS_TOTAL)?.as_materialized_series().bool()?.rechunk().into_owned()),
        _ => None,
    };
    let id_col = match kind {
        Kind::Projects => Some(column(&df, Column::ProjectId)?),
        Kind::Visits => Some(column(&df, Column::VisitId)?),
        _ => None,
    };
    let with_id: Vec<Col> = key_columns(kind, true).iter().map(|&c| column(&df, c)).collect::<Result<_, _>>()?;
    let without_id: Vec<Col> = key_columns(kind, false).iter().map(|&c| column(&df, c)).collect::<Result<_, _>>()?;

    // A row's key, borrowed from the columns: at most four parts and the
    // period, so no allocation per row; the index holds row numbers only.
    let key = |i: usize| {
        let has_id = id_col.as_ref().is_some_and(|c| !matches!(part(c, i), Part::Str(None)));
        let cols = if has_id { &with_id } else { &without_id };
        let mut parts = [Part::Str(None); 4];
        for (slot, c) in parts.iter_mut().zip(cols) {
            *slot = part(c, i);
        }
        (parts, part(&periods, i))
    };
    let state = foldhash::quality::RandomState::default();
    let hash = |i: u32| state.hash_one(key(i as usize));
    let eq = |a: u32, b: u32| key(a as usize) == key(b as usize);
    let mut latest = RowIndex::with_capacity(df.height());
    let mut keep = vec![true; df.height()];
    let mut dropped: Vec<(usize, usize)> = Vec::new();
    for i in 0..df.height() {
        if totals.as_ref().is_some_and(|t| t.get(i) == Some(true)) {
            continue;
        }
        if let Some(prev) = latest.find_or_insert(i as u32, hash, eq) {
            // Frames are concatenated in path order, sheets in workbook order:
            // the row seen later is the later sheet's.
            let old = std::mem::replace(prev, i as u32) as usize;
            keep[old] = false;
            dropped.push((old, i));
        }
    }
    drop(latest);
    if dropped.is_empty() {
        return Ok(df);
    }
    let text = |c: &Col, i: usize| match part(c, i) {
        Part::Str(s) => s.unwrap_or_default().to_string(),
        Part::Int(v) => v.map(|v| v.to_string()).unwrap_or_default(),
    };
    let mut per_pair: PlHashMap<(String, String, String, String), usize> = PlHashMap::default();
    let mut issues = Vec::new();
    for &(old, new) in &dropped {
        let (old_file, old_sheet) = (text(&files, old), text(&sheets, old));
        let (new_file, new_sheet) = (text(&files, new), text(&sheets, new));
        let n = per_pair.entry((old_file.clone(), old_sheet.clone(), new_file.clone(), new_sheet.clone())).or_default();
        *n += 1;
        if *n > NAMED_PER_PAIR {
            continue;
        }
        let shown = shown_key(kind, id_col.as_ref(), &without_id, old, &text);
        let old_row = rows.get(old).unwrap_or(0);
        let new_row = rows.get(new).unwrap_or(0);
        let message = format!(
            "{shown}在「{old_file}」（{old_sheet}第{old_row}行）和「{new_file}」（{new_sheet}第{new_row}行）中重复报送，采用后者"
        );
        let mut issue = Issue::new(Severity::Warning, &old_file, message).in_sheet(&old_sheet);
        let key_col = key_columns(kind, false)[0];
        if let Some(letters) = letters(quality, &old_file, &old_sheet, key_col) {
            issue.cell = Some(format!("{letters}{old_row}"));
        }
        issue.column = Some(key_col);
        issues.push(issue);
    }
    for ((old_file, old_sheet, new_file, _), n) in per_pair {
        if n > NAMED_PER_PAIR {
            let message = format!(
                "「{old_file}」与「{new_file}」另有{}条{}记录重复报送，均采用后者",
                n - NAMED_PER_PAIR,
                kind.chinese()
            );
            issues.push(Issue::new(Severity::Warning, &old_file, message).in_sheet(&old_sheet));
        }
    }
    // Counted once per sheet (a cumulative ledger re-sent monthly drops
    // most of its rows: no pass over them per sheet of the folder).
    let mut superseded: PlHashMap<(Part<'_>, Part<'_>), u64> = PlHashMap::default();
    for &(old, _) in &dropped {
        *superseded.entry((part(&files, old), part(&sheets, old))).or_default() += 1;
    }
    for f in quality.files.iter_mut() {
        for s in f.sheets.iter_mut() {
            let key = (Part::Str(Some(f.path.as_str())), Part::Str(Some(s.sheet.as_str())));
            s.superseded += superseded.get(&key).copied().unwrap_or(0);
        }
    }
    issues.sort_by(|a, b| (&a.file, &a.sheet, &a.message).cmp(&(&b.file, &b.sheet, &b.message)));
    quality.issues.extend(issues);
    let mask: BooleanChunked = keep.into_iter().collect();
    Ok(df.filter(&mask)?)
}

/// The key as a clerk reads it: `项目XM003`, `项目「甲」（白水镇）`, `指标「…」（白水镇）`.
fn shown_key(kind: Kind, id: Option<&Col>, cols: &[Col], i: usize, text: &dyn Fn(&Col, usize) -> String) -> String {
    if let Some(id) = id.filter(|c| !matches!(part(c, i), Part::Str(None))) {
        return match kind {
            Kind::Projects => format!("项目{}", text(id, i)),
            _ => format!("走访记录{}", text(id, i)),
        };
    }
    let first = cols.first().map(|c| text(c, i)).unwrap_or_default();
    let second = cols.get(1).map(|c| text(c, i)).unwrap_or_default();
    match kind {
        Kind::Projects => format!("项目「{first}」（{second}）"),
        Kind::Indicators => format!("指标「{first}」（{second}）"),
        Kind::Targets => format!("目标「{second}」（{first}）"),
        Kind::Visits => format!("走访记录（{}）", cols.iter().map(|c| text(c, i)).collect::<Vec<_>>().join("，")),
    }
}

fn letters(quality: &DataQuality, file: &str, sheet: &str, column: Column) -> Option<String> {
    quality
        .files
        .iter()
        .find(|f| f.path == file)
        .and_then(|f| f.sheets.iter().find(|s| s.sheet == sheet))
        .and_then(|s| s.column_letters.get(column.name()).cloned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(months: &[u32]) -> SheetPeriods {
        let mut s = SheetPeriods::new();
        for &m in months {
            s.add(Period::month(2025, m));
        }
        s
    }

    #[test]
    fn sheets_repeat_only_when_they_share_a_period() {
        assert!(!may_repeat(&[sheet(&[3, 3, 3]), sheet(&[4]), sheet(&[5, 6])]));
        assert!(may_repeat(&[sheet(&[3, 4]), sheet(&[4])]));
        assert!(!may_repeat(&[sheet(&[3])]));
        // A sheet with more periods than are listed is compared key by key.
        let long: Vec<u32> = (0..70).map(|i| 1 + i % 12).collect();
        let mut many = SheetPeriods::new();
        for y in 2000..2070 {
            many.add(Period::month(y, 1));
        }
        assert!(may_repeat(&[many, sheet(&[7])]));
        assert!(!may_repeat(&[sheet(&long)]), "twelve distinct months, listed");
    }
}
