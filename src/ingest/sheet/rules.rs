//! The rules of each ledger kind that need the whole typed row: the row's
//! report period, an indicator's name and values, a target's type, and the
//! key that makes a second copy of a row a duplicate (SPEC §1.1, §1.4).

use super::super::frame::{FrameBuilder, Val};
use super::super::period::{self, Period};
use super::super::values::{self, fold_width_and_space, Cv};
use super::cells::{RowView, Typed};
use crate::model::{Column, Kind};
use crate::quality::Severity;
use hashbrown::hash_map::Entry;
use polars::prelude::PlHashMap;
use std::borrow::Cow;

/// The period of a row: its period cell, else the sheet's; a target's year
/// from its 年度 cell. A period cell that cannot be read rejects the row.
pub fn row_period(view: &RowView<'_, '_>, sheet_period: Option<Period>, typed: &mut Typed<'_>) -> Option<Period> {
    let mut row_period = sheet_period;
    if let Some(col) = view.det.period_col {
        let pc = view.cells.get(col as usize).cloned().unwrap_or(Cv::Empty);
        if !pc.is_empty() {
            match period::cell_period(&pc).or_else(|| month_only(&pc, sheet_period)) {
                Some(p) => row_period = Some(p),
                None => {
                    let raw = pc.raw();
                    let msg = format!("{}「{raw}」不是有效报告期，该行未计入", view.cell_name(col));
                    typed.reject(view.issue(Severity::Error, col, Column::Period, raw, msg));
                }
            }
        }
    }
    if view.det.kind == Kind::Targets {
        if let Some(y) = view.get(Column::Year).and_then(|cv| period::cell_year(&cv)) {
            row_period = Some(Period::year(y));
        }
    }
    if row_period.is_none() && typed.rejected.is_none() {
        typed.reject(view.row_issue(Column::Period, format!("第{}行无法确定报告期，该行未计入", view.row + 1)));
    }
    row_period
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

fn is_null(out: &[Val<'_>], pos: Option<usize>) -> bool {
    pos.is_none_or(|p| out[p] == Val::Null)
}

/// An indicator row needs a name (its cell, else the title's) and a value
/// (本年累计 or 增速); converted money is in 万元 whatever the ledger said.
pub fn indicator_rules(
    view: &RowView<'_, '_>,
    at: &FrameBuilder,
    title_indicator: Option<&str>,
    is_total: bool,
    typed: &mut Typed<'_>,
) {
    if let Some(p) = at.position(Column::Indicator) {
        if typed.out[p] == Val::Null {
            match title_indicator {
                Some(t) => typed.out[p] = Val::Str(Cow::Owned(t.to_string())),
                None => {
                    let msg = format!("第{}行缺少指标名称，该行未计入", view.row + 1);
                    typed.rejected = Some(view.row_issue(Column::Indicator, msg));
                }
            }
        }
    }
    if is_null(&typed.out, at.position(Column::ValueYtd))
        && is_null(&typed.out, at.position(Column::GrowthReported))
        && !is_total
    {
        let msg = format!("第{}行本年累计和增速均为空，该行未计入", view.row + 1);
        typed.reject(view.row_issue(Column::ValueYtd, msg));
    }
    // The unit the values are in now (SPEC §1.2): money was converted to 万元;
    // any other unit (the row's 计量单位, else the value header's bracket) is
    // kept, so the outputs never print a bare number.
    let header_unit = [Column::ValueYtd, Column::ValueMonth, Column::ValueYtdLy]
        .into_iter()
        .find_map(|c| view.det.find(c).and_then(|m| m.unit.clone()))
        .filter(|u| u != "%");
    let unit = match (&typed.row_unit, &header_unit) {
        (Some(u), _) | (None, Some(u)) => {
            if values::money_factor(u).is_some() {
                Some(Cow::Borrowed("万元"))
            } else {
                Some(Cow::Owned(u.clone()))
            }
        }
        (None, None) => view.det.unit_line_factor.map(|_| Cow::Borrowed("万元")),
    };
    if let (Some(p), Some(u)) = (at.position(Column::Unit), unit) {
        typed.out[p] = Val::Str(u);
    }
}

/// A target's type from its unit (its 单位 cell, else the bracket on the
/// 目标值 header): `growth` (%), `amount` (money, in 万元) or `count`.
pub fn target_rules(view: &RowView<'_, '_>, at: &FrameBuilder, typed: &mut Typed<'_>) {
    let unit = at
        .position(Column::Unit)
        .and_then(|p| match &typed.out[p] {
            Val::Str(s) => Some(s.to_string()),
            _ => None,
        })
        .or_else(|| view.det.find(Column::Target).and_then(|m| m.unit.clone()));
    let target_type = match unit.as_deref() {
        Some("%") | Some("百分比") | Some("百分点") => "growth",
        Some(u) if values::money_factor(u).is_some() => "amount",
        _ => "count",
    };
    if let Some(p) = at.position(Column::TargetType) {
        typed.out[p] = Val::Str(Cow::Borrowed(target_type));
    }
    if target_type == "amount" {
        if let Some(p) = at.position(Column::Unit) {
            typed.out[p] = Val::Str(Cow::Borrowed("万元"));
        }
    }
}

/// The keys seen in a sheet, with the 1-based row that first had each.
pub type Keys = PlHashMap<u128, u32>;

/// Rejects a row whose key stood in an earlier row of the same sheet: the
/// second row is the duplicate (SPEC §1.4).
pub fn check_duplicate(
    view: &RowView<'_, '_>,
    at: &FrameBuilder,
    period: Option<Period>,
    keys: &mut Keys,
    typed: &mut Typed<'_>,
) {
    let kind = view.det.kind;
    // One hash and probe per row: most keys are new.
    let first = match keys.entry(row_key(kind, at, &typed.out, period)) {
        Entry::Vacant(slot) => {
            slot.insert(view.row + 1);
            return;
        }
        Entry::Occupied(seen) => *seen.get(),
    };
    let field = |c: Column| at.position(c).map(|p| &typed.out[p]).filter(|v| **v != Val::Null);
    let shown = match kind {
        Kind::Projects => match field(Column::ProjectId) {
            Some(id) => format!("项目编号 {}", val_text(id)),
            None => format!(
                "{} / {}",
                field(Column::Name).map(val_text).unwrap_or_default(),
                field(Column::Region).map(val_text).unwrap_or_default()
            ),
        },
        _ => "同一记录".to_string(),
    };
    // Point at the key's own cell: 项目编号 where there is one.
    let key_cols: &[Column] = match kind {
        Kind::Projects => &[Column::ProjectId, Column::Name],
        Kind::Indicators => &[Column::Indicator, Column::Region],
        Kind::Visits => &[Column::VisitId, Column::Problem, Column::Enterprise],
        Kind::Targets => &[Column::Metric, Column::Scope],
    };
    let (col, column, raw) = key_cols
        .iter()
        .find_map(|&k| view.det.find(k).map(|m| (m.sheet_col, k, view.cell(m).raw())))
        .unwrap_or((0, key_cols[0], String::new()));
    let msg = format!("{}与第{first}行重复（{shown}），该行未计入", view.cell_name(col));
    typed.rejected = Some(view.issue(Severity::Error, col, column, raw, msg));
}

/// The key of a row as a 128-bit fingerprint of its fields. At province
/// scale a formatted `String` per row (and the map of them) was a measurable
/// share of the run; two independent 64-bit hashes make a false duplicate
/// (about n²/2¹²⁹ for n rows: 10⁻²⁶ for a million) far less likely than a
/// typo, and the rejected row's message names both rows so a clerk can see it.
fn row_key(kind: Kind, at: &FrameBuilder, out: &[Val<'_>], period: Option<Period>) -> u128 {
    use std::hash::{BuildHasher, Hasher};
    let field = |c: Column| at.position(c).map(|p| &out[p]).filter(|v| !is_blank(v));
    let fields: &[Column] = match kind {
        Kind::Projects if field(Column::ProjectId).is_some() => &[Column::ProjectId],
        Kind::Projects => &[Column::Name, Column::Region],
        Kind::Indicators => &[Column::Indicator, Column::Region, Column::Period],
        Kind::Visits if field(Column::VisitId).is_some() => &[Column::VisitId, Column::Problem],
        Kind::Visits => &[Column::VisitDate, Column::Cadre, Column::Enterprise, Column::Problem],
        Kind::Targets => &[Column::Scope, Column::Metric],
    };
    let mut hashers = [KEY_SEEDS[0].build_hasher(), KEY_SEEDS[1].build_hasher()];
    let mut feed = |bytes: &[u8]| hashers.iter_mut().for_each(|h| h.write(bytes));
    for &c in fields {
        // A tag per field and type, so ("ab", "c") and ("a", "bc") differ.
        match field(c) {
            None | Some(Val::Null) => feed(&[0]),
            Some(Val::Str(s)) => {
                feed(&[1]);
                feed(&(s.len() as u64).to_le_bytes());
                feed(s.as_bytes());
            }
            Some(Val::F64(x)) => {
                feed(&[2]);
                feed(&x.to_bits().to_le_bytes());
            }
            Some(Val::Date(d) | Val::I32(d)) => {
                feed(&[3]);
                feed(&d.to_le_bytes());
            }
            Some(Val::Bool(b)) => feed(&[4, u8::from(*b)]),
        }
    }
    if matches!(kind, Kind::Indicators | Kind::Targets) {
        if let Some(p) = period {
            feed(&[5]);
            feed(&p.year.to_le_bytes());
            feed(&p.month.unwrap_or(0).to_le_bytes());
        }
    }
    let [a, b] = hashers;
    (u128::from(a.finish()) << 64) | u128::from(b.finish())
}

/// Fixed seeds: a row's fingerprint must not depend on the process.
const KEY_SEEDS: [foldhash::quality::FixedState; 2] = [
    foldhash::quality::FixedState::with_seed(0x5354_4154_4252_4945),
    foldhash::quality::FixedState::with_seed(0x9e37_79b9_7f4a_7c15),
];

/// A value that counts as absent in a key: null, or text that is empty.
fn is_blank(v: &Val<'_>) -> bool {
    match v {
        Val::Null => true,
        Val::Str(s) => s.is_empty(),
        _ => false,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_keys_tell_fields_apart_and_read_empty_as_missing() {
        let b = FrameBuilder::new(Kind::Visits, 0);
        let key = |cadre: &'static str, enterprise: &'static str, problem: Val<'static>| {
            let mut out = vec![Val::Null; b.width()];
            out[b.position(Column::VisitDate).unwrap()] = Val::Date(20_000);
            out[b.position(Column::Cadre).unwrap()] = Val::Str(cadre.into());
            out[b.position(Column::Enterprise).unwrap()] = Val::Str(enterprise.into());
            out[b.position(Column::Problem).unwrap()] = problem;
            row_key(Kind::Visits, &b, &out, None)
        };
        let p = || Val::Str("融资难".into());
        assert_eq!(key("张三", "甲公司", p()), key("张三", "甲公司", p()));
        // The same characters split differently between two fields.
        assert_ne!(key("张三甲", "公司", p()), key("张三", "甲公司", p()));
        assert_eq!(key("张三", "甲公司", Val::Null), key("张三", "甲公司", Val::Str("".into())));
        assert_ne!(key("张三", "甲公司", Val::Null), key("张三", "甲公司", p()));
    }

    #[test]
    fn an_indicator_row_key_holds_its_period() {
        let b = FrameBuilder::new(Kind::Indicators, 0);
        let mut out = vec![Val::Null; b.width()];
        out[b.position(Column::Indicator).unwrap()] = Val::Str("固定资产投资".into());
        out[b.position(Column::Region).unwrap()] = Val::Str("白水镇".into());
        let at = |year, month| row_key(Kind::Indicators, &b, &out, Some(Period { year, month }));
        assert_eq!(at(2025, Some(3)), at(2025, Some(3)));
        assert_ne!(at(2025, Some(3)), at(2025, Some(4)));
        assert_ne!(at(2025, Some(3)), at(2024, Some(3)));
        assert_ne!(at(2025, None), at(2025, Some(1)));
    }
}
