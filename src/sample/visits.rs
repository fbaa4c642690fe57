//! The visits ledgers: visits and problems, USCCs, the layouts and the
//! visits truth.

use super::common::*;
use super::*;
use anyhow::{bail, Context, Result};
use chrono::{Datelike, NaiveDate};
use std::collections::HashSet;

/// Visits per month at scale 1 (fewer around 春节), 120 in all.
pub(super) const VISITS_PER_MONTH: [u64; 6] = [14, 12, 22, 24, 24, 24];
pub(super) const TIERS: [&str; 6] = ["当场办", "部门办", "领导办", "市领导办", "重大", ""];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum VStatus {
    Resolved,
    InProgress,
    Unresolvable,
}

#[derive(Debug, Clone)]
pub(super) struct Problem {
    pub(super) salt: u64,
    pub(super) text: String,
    pub(super) category: &'static str,
    pub(super) tier: &'static str,
    pub(super) deadline: Option<NaiveDate>,
    pub(super) resolved: Option<NaiveDate>,
    pub(super) unresolvable_on: Option<NaiveDate>,
    pub(super) satisfaction: &'static str,
}

impl Problem {
    pub(super) fn status_at(&self, end: NaiveDate) -> VStatus {
        match (self.resolved, self.unresolvable_on) {
            (Some(d), _) if d <= end => VStatus::Resolved,
            (_, Some(d)) if d <= end => VStatus::Unresolvable,
            _ => VStatus::InProgress,
        }
    }
    /// A spelling of the status in the ledger sent for month `n`; cycling
    /// with the month makes every spelling (and blank) appear.
    pub(super) fn status_text(&self, end: NaiveDate, n: u32) -> &'static str {
        let sp: &[&str] = match self.status_at(end) {
            VStatus::Resolved => &["已解决", "已办结", "办结", "解决"],
            VStatus::InProgress => &["办理中", "正在办理", "推进中", "未办结", ""],
            VStatus::Unresolvable => &["无法解决", "暂不具备条件", "长期推进"],
        };
        sp[((self.salt + n as u64) % sp.len() as u64) as usize]
    }
    pub(super) fn default_days(&self) -> u64 {
        match self.tier {
            "当场办" => 3,
            "领导办" | "市领导办" | "重大" => 30,
            _ => 15,
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct Visit {
    pub(super) date: NaiveDate,
    pub(super) cadre: u64,
    pub(super) ent: u64,
    pub(super) problems: Vec<Problem>,
}

impl Visit {
    pub(super) fn rows(&self) -> usize {
        self.problems.len().max(1)
    }
}

pub(super) struct VisitModel {
    /// cum[m] = number of visits in months 1..=m.
    pub(super) cum: [u64; 7],
    pub(super) n_cadres: u64,
    pub(super) n_ent: u64,
    pub(super) unknown_cat_visit: u64,
    /// The visit whose date reads 三月上旬 in the 1-3月 ledger.
    pub(super) undated_visit: u64,
    /// The visit whose 企业名称 is empty in the 1-5月 ledger.
    pub(super) nameless_visit: u64,
    /// The enterprise whose USCC carries a wrong check character.
    pub(super) bad_ent: u64,
}

impl VisitModel {
    pub(super) fn new(scale: u64) -> Result<VisitModel> {
        let mut cum = [0u64; 7];
        for m in 1..=6 {
            cum[m] = cum[m - 1] + VISITS_PER_MONTH[m - 1] * scale;
        }
        let mut vm = VisitModel {
            cum,
            n_cadres: 16 * scale,
            n_ent: 48 * scale,
            unknown_cat_visit: cum[1],
            undated_visit: 0,
            nameless_visit: 0,
            bad_ent: 0,
        };
        vm.bad_ent = vm.visit(0)?.ent;
        vm.undated_visit = vm.first_single_row(cum[2])?;
        vm.nameless_visit = vm.first_single_row(cum[3] + 2)?;
        Ok(vm)
    }
    pub(super) fn first_single_row(&self, from: u64) -> Result<u64> {
        for j in from..self.cum[6] {
            if self.visit(j)?.rows() == 1 {
                return Ok(j);
            }
        }
        bail!("no single-row visit after {from}")
    }
    pub(super) fn month_of(&self, j: u64) -> u32 {
        (1..=6u32).find(|&m| j < self.cum[m as usize]).unwrap_or(6)
    }
    pub(super) fn visit(&self, j: u64) -> Result<Visit> {
        let m = self.month_of(j);
        let jj = j - self.cum[m as usize - 1];
        let n_m = self.cum[m as usize] - self.cum[m as usize - 1];
        let dim = days_in_month(2025, m)? as u64;
        let day = 1 + jj * dim / n_m;
        let date = ymd(2025, m, day as u32)?;
        // The cadres of one day are consecutive from a random start, so no
        // two visits share (date, cadre, enterprise): visits are distinct
        // under SPEC's fallback key as well as under 走访编号.
        let first_of_day = ((day - 1) * n_m).div_ceil(dim);
        let base = rng_for("cadre-day", m as u64 * 100 + day).below(self.n_cadres);
        let cadre = (base + (jj - first_of_day)) % self.n_cadres;

        let mut r = rng_for("visit", j);
        let ent = r.below(self.n_ent);
        let mut has = r.chance(0.62);
        let mut two = r.chance(0.12);
        let mut cat1 = r.below(12) as usize;
        let cat2 = (cat1 + 1 + r.below(11) as usize) % 12;
        if j == self.unknown_cat_visit {
            has = true;
            two = false;
            cat1 = 12;
        }
        let mut problems = Vec::new();
        if has {
            problems.push(problem(j, 0, date, cat1)?);
            if two {
                problems.push(problem(j, 1, date, cat2)?);
            }
        }
        Ok(Visit { date, cadre, ent, problems })
    }
}

pub(super) fn problem(j: u64, q: u64, date: NaiveDate, cat: usize) -> Result<Problem> {
    let mut r = rng_for("problem", j * 4 + q);
    let tier_u = r.unit();
    let deadline_given = r.chance(0.5);
    let deadline_extra = r.below(11);
    let unresolvable = r.chance(0.06);
    let unres_after = 20 + r.below(40);
    let quick = r.below(4);
    let dept = 5 + r.below(36);
    let lead = 15 + r.below(90);
    let sat_u = r.unit();
    let n = 10 + r.below(490);
    let tier = if tier_u < 0.25 {
        TIERS[0]
    } else if tier_u < 0.62 {
        TIERS[1]
    } else if tier_u < 0.77 {
        TIERS[2]
    } else if tier_u < 0.83 {
        TIERS[3]
    } else if tier_u < 0.89 {
        TIERS[4]
    } else {
        TIERS[5]
    };
    let mut p = Problem {
        salt: j * 4 + q,
        text: PROBLEM_TEXT[cat].replace("{n}", &n.to_string()),
        category: if cat < 12 { CATEGORIES[cat] } else { UNKNOWN_CATEGORY },
        tier,
        deadline: None,
        resolved: None,
        unresolvable_on: None,
        satisfaction: if sat_u < 0.65 {
            "满意"
        } else if sat_u < 0.85 {
            "基本满意"
        } else if sat_u < 0.93 {
            "不满意"
        } else {
            ""
        },
    };
    if deadline_given {
        // A promised date: the tier's usual time, a little more or less.
        p.deadline = Some(add_days(date, (p.default_days() + deadline_extra).saturating_sub(3).max(1))?);
    }
    if unresolvable {
        p.unresolvable_on = Some(add_days(date, unres_after)?);
    } else {
        let days = match tier {
            "当场办" => quick,
            "部门办" | "" => dept,
            _ => lead,
        };
        p.resolved = Some(add_days(date, days)?);
    }
    Ok(p)
}

/// Enterprise name, unique per index (mixed radix over word lists, scrambled).
pub(super) fn enterprise_name(e: u64) -> String {
    let town = (e % 12) as usize;
    let rest = (e / 12) * 7919 % 18000;
    format!(
        "{}{}{}{}有限公司",
        town_short(town),
        ENT_WORDS[(rest % 30) as usize],
        ENT_WORDS[((rest / 30) % 30) as usize],
        ENT_TRADES[((rest / 900) % 20) as usize]
    )
}

pub(super) fn cadre_name(c: u64) -> String {
    let c = (c * 7919 + 101) % 19500;
    let s = SURNAMES[(c % 30) as usize];
    let rest = c / 30;
    if rest < 25 {
        format!("{s}{}", GIVEN[rest as usize])
    } else {
        let rest = rest - 25;
        format!("{s}{}{}", GIVEN[(rest % 25) as usize], GIVEN[((rest / 25) % 25) as usize])
    }
}

pub(super) const USCC_CHARS: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
pub(super) const USCC_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// GB 32100-2015 check character of the first 17 characters.
pub(super) fn uscc_check(body: &str) -> Option<char> {
    let mut sum = 0u32;
    for (ch, w) in body.bytes().zip(USCC_WEIGHTS) {
        sum += USCC_CHARS.iter().position(|&c| c == ch)? as u32 * w;
    }
    if body.len() != 17 {
        return None;
    }
    Some(USCC_CHARS[((31 - sum % 31) % 31) as usize] as char)
}

/// A 9-character organisation code: 8 digits and their GB 11714 check digit.
pub(super) fn org_code(org: u64) -> String {
    let digits = format!("{org:08}");
    let sum: u32 = digits.bytes().zip([3u32, 7, 9, 10, 5, 8, 4, 2]).map(|(d, w)| (d - b'0') as u32 * w).sum();
    let check = match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        d => char::from(b'0' + d as u8),
    };
    format!("{digits}{check}")
}

/// An 18-character 统一社会信用代码: 9 (工商) 1 (企业), a 6-digit area code, a
/// 9-character organisation code with its GB 11714 check digit, and the
/// GB 32100 check character — deliberately wrong when `bad`.
pub(super) fn uscc(e: u64, bad: bool) -> String {
    let town = e % 12;
    let body = format!("91610{}{}", 821 + town, org_code(rng_for("uscc", e).below(100_000_000)));
    let check = uscc_check(&body).unwrap_or('0');
    let check = if bad {
        let i = USCC_CHARS.iter().position(|&c| c as char == check).unwrap_or(0);
        USCC_CHARS[(i + 1) % 31] as char
    } else {
        check
    };
    format!("{body}{check}")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum VF {
    Seq,
    Id,
    Date,
    Cadre,
    CadreUnit,
    Ent,
    Uscc,
    Region,
    Problem,
    Category,
    Tier,
    Status,
    Deadline,
    Resolved,
    Satisf,
    Note,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum VBlank {
    None,
    /// An entirely empty row after the given month's visits.
    Empty(u32),
    /// A row with only 序号 after the given month's visits.
    SeqOnly(u32),
}

pub(super) struct VisitLayout {
    pub(super) n: u32,
    pub(super) sheet: &'static str,
    pub(super) title: String,
    pub(super) cols: Vec<(&'static str, VF)>,
    pub(super) dates: &'static [DateForm],
    pub(super) blank: VBlank,
    pub(super) note: &'static str,
}

// Long because it is a table: one entry per monthly layout.
pub(super) fn visit_layouts() -> Vec<VisitLayout> {
    use VF::*;
    let standard = vec![
        ("序号", Seq),
        ("走访编号", Id),
        ("走访日期", Date),
        ("走访干部", Cadre),
        ("干部单位", CadreUnit),
        ("企业名称", Ent),
        ("统一社会信用代码", Uscc),
        ("所属乡镇", Region),
        ("问题描述", Problem),
        ("问题类别", Category),
        ("办理层级", Tier),
        ("办理状态", Status),
        ("办结时限", Deadline),
        ("办结日期", Resolved),
        ("企业满意度", Satisf),
        ("备注", Note),
    ];
    vec![
        VisitLayout {
            n: 1,
            sheet: "走访台账",
            title: "青山县2025年1月“万人助万企”走访问题台账".into(),
            cols: standard.clone(),
            dates: &[DateForm::Cell],
            blank: VBlank::None,
            note: "plain layout; Excel date cells",
        },
        VisitLayout {
            n: 2,
            sheet: "走访台账",
            title: "青山县2025年1-2月“万人助万企”走访问题台账".into(),
            cols: standard.clone(),
            dates: &[DateForm::Iso, DateForm::Slash],
            blank: VBlank::Empty(1),
            note: "text dates 2025-02-05 and 2025/2/5; an entirely empty row between January and February",
        },
        VisitLayout {
            n: 3,
            sheet: "Sheet1",
            title: "青山县走访企业问题台账（截至2025年3月底）".into(),
            cols: vec![
                ("序号", Seq),
                ("记录编号", Id),
                ("走访时间", Date),
                ("包联干部", Cadre),
                ("派出单位", CadreUnit),
                ("走访企业", Ent),
                ("信用代码", Uscc),
                ("乡镇", Region),
                ("企业诉求", Problem),
                ("诉求类别", Category),
                ("问题分级", Tier),
                ("办结情况", Status),
                ("限办日期", Deadline),
                ("解决日期", Resolved),
                ("企业评价", Satisf),
            ],
            dates: &[DateForm::Dot, DateForm::Cn],
            blank: VBlank::None,
            note:
                "alias headers; period from 截至2025年3月底; dates 2025.3.5 and 2025年3月5日; 三月上旬 as a visit date",
        },
        VisitLayout {
            n: 4,
            sheet: "走访台账",
            title: "青山县2025年1-4月“万人助万企”走访问题台账".into(),
            cols: standard.clone(),
            dates: &[DateForm::Serial, DateForm::Compact],
            blank: VBlank::SeqOnly(3),
            note: "dates as plain serial numbers and 20250405; a 序号-only row between March and April",
        },
        VisitLayout {
            n: 5,
            sheet: "走访台账",
            title: "青山县2025年1-5月“万人助万企”走访问题台账".into(),
            cols: vec![
                ("走访编号", Id),
                ("企业名称", Ent),
                ("统一社会信用代码", Uscc),
                ("所属地区", Region),
                ("走访日期", Date),
                ("走访人", Cadre),
                ("包联单位", CadreUnit),
                ("反映问题", Problem),
                ("问题类型", Category),
                ("办理方式", Tier),
                ("办理状态", Status),
                ("承诺办结日期", Deadline),
                ("完成日期", Resolved),
                ("满意度", Satisf),
                ("备注", Note),
            ],
            dates: &ALL_DATE_FORMS,
            blank: VBlank::None,
            note: "shuffled columns without 序号; dates in every form; one row with an empty 企业名称",
        },
        VisitLayout {
            n: 6,
            sheet: "1-6月",
            title: "青山县2025年上半年“万人助万企”走访问题台账".into(),
            cols: vec![
                ("序号", Seq),
                ("走访编号", Id),
                ("日期", Date),
                ("干部姓名", Cadre),
                ("所在单位", CadreUnit),
                ("包联企业", Ent),
                ("统一社会信用代码", Uscc),
                ("所属地区", Region),
                ("困难问题", Problem),
                ("问题类别", Category),
                ("办理层级", Tier),
                ("解决情况", Status),
                ("办结时限", Deadline),
                ("办结日期", Resolved),
                ("企业满意度", Satisf),
            ],
            dates: &[DateForm::Cell, DateForm::Cell, DateForm::Cell, DateForm::Iso, DateForm::Cn],
            blank: VBlank::None,
            note:
                "alias headers; mostly Excel date cells with some text dates; the as-of-June ledger (no rejected rows)",
        },
    ]
}

// Long because it writes one file in reading order, with its accounting.
pub(super) fn write_visits_file(g: &mut Gen, vm: &VisitModel, lay: &VisitLayout) -> Result<()> {
    let rel = format!("走访/2025年1-{}月走访问题台账.xlsx", lay.n);
    let mut wb = new_workbook(&lay.title)?;
    let end = month_end(2025, lay.n)?;
    let ncol = lay.cols.len() as u16;
    let col_of = |f: VF| lay.cols.iter().position(|c| c.1 == f).map(|p| p as u16);
    let mut rejections = Vec::new();
    let mut issues: Vec<(&str, u32, u16, &str, String)> = Vec::new();
    let (mut no_problem_words, mut resolved_after) = (0u32, 0u32);
    let summary = {
        let f = &g.f;
        let ws = add_sheet(&mut wb, g.streamed, lay.sheet)?;
        for (c, (_, vf)) in lay.cols.iter().enumerate() {
            let w = match vf {
                VF::Problem => 40.0,
                VF::Ent => 28.0,
                VF::Uscc => 22.0,
                VF::Seq => 6.0,
                _ => 12.0,
            };
            ws.set_column_width(c as u16, w)?;
        }
        ws.merge_range(0, 0, 0, ncol - 1, &lay.title, &f.title)?;
        for (c, (h, _)) in lay.cols.iter().enumerate() {
            ws.write_string_with_format(1, c as u16, *h, &f.head)?;
        }
        let mut summary = SheetSummary::new(lay.sheet, "visits", format!("2025-{:02}", lay.n), 2);
        summary.note = Some(lay.note.to_string());
        let mut row = 2u32;
        let mut seq = 0u64;
        for j in 0..vm.cum[lay.n as usize] {
            let v = vm.visit(j)?;
            let vmonth = v.date.month();
            // In the as-of-June ledger, two-problem visits are written once
            // over merged rows (only when the sheet is held in memory: a
            // streamed sheet cannot go back to a row it left).
            let merged = lay.n == 6 && v.rows() == 2 && !g.streamed;
            for pi in 0..v.rows() {
                let prob = v.problems.get(pi);
                seq += 1;
                let mut r = rng_for("visit-cells", (j * 4 + pi as u64) * 8 + lay.n as u64);
                let mut class = RowClass::Accepted;
                let mut cells = Vec::with_capacity(lay.cols.len());
                for (c, (_, vf)) in lay.cols.iter().enumerate() {
                    let c = c as u16;
                    let form = r.pick(lay.dates);
                    let cell = match vf {
                        VF::Seq => Cell::Num(seq as f64),
                        VF::Id => Cell::text(format!("ZF2025{:06}", j + 1)),
                        VF::Date if lay.n == 3 && j == vm.undated_visit => {
                            class = RowClass::Rejected;
                            rejections.push((row, c, "visit_date", "三月上旬".to_string()));
                            Cell::text("三月上旬")
                        }
                        VF::Date => date_cell(v.date, form)?,
                        VF::Cadre => Cell::text(cadre_name(v.cadre)),
                        VF::CadreUnit => Cell::text(CADRE_UNITS[(v.cadre % 8) as usize]),
                        VF::Ent if lay.n == 5 && j == vm.nameless_visit => {
                            class = RowClass::Rejected;
                            rejections.push((row, c, "enterprise", String::new()));
                            Cell::Empty
                        }
                        VF::Ent => Cell::text(enterprise_name(v.ent)),
                        VF::Uscc => {
                            let code = uscc(v.ent, v.ent == vm.bad_ent);
                            if v.ent == vm.bad_ent {
                                issues.push(("uscc_check", row, c, "uscc", code.clone()));
                            }
                            Cell::text(code)
                        }
                        VF::Region => Cell::text(TOWNS[(v.ent % 12) as usize]),
                        VF::Problem if prob.is_none() && lay.n == 6 && j % 4 == 1 => {
                            // SPEC §1.4: 暂无 says the visit raised no problem.
                            no_problem_words += 1;
                            Cell::text("暂无")
                        }
                        VF::Problem => prob.map_or(Cell::Empty, |p| Cell::text(&p.text)),
                        _ if pi == 1 && merged && visit_level(*vf) => Cell::Empty,
                        VF::Category => match prob {
                            Some(p) => {
                                if p.category == UNKNOWN_CATEGORY {
                                    issues.push(("unknown_category", row, c, "category", p.category.to_string()));
                                }
                                Cell::text(p.category)
                            }
                            None => Cell::Empty,
                        },
                        VF::Tier => prob.map_or(Cell::Empty, |p| Cell::text(p.tier)),
                        VF::Status if prob.is_some_and(|p| resolved_after_m(p, end, lay.n)) => {
                            resolved_after += 1;
                            Cell::text("已解决")
                        }
                        VF::Status => prob.map_or(Cell::Empty, |p| Cell::text(p.status_text(end, lay.n))),
                        VF::Deadline => match (prob, prob.and_then(|p| p.deadline)) {
                            (Some(p), Some(d)) if lay.n == 6 && p.salt % 5 == 0 => {
                                // A deadline typed as days after the visit (SPEC §1.3).
                                let days = (d - v.date).num_days();
                                issues.push(("deadline_days", row, c, "deadline", days.to_string()));
                                Cell::Num(days as f64)
                            }
                            (_, Some(d)) => date_cell(d, form)?,
                            _ => Cell::Empty,
                        },
                        VF::Resolved => match prob.and_then(|p| p.resolved) {
                            Some(d) if d <= end => date_cell(d, form)?,
                            Some(d) if prob.is_some_and(|p| resolved_after_m(p, end, lay.n)) => date_cell(d, form)?,
                            _ => Cell::Empty,
                        },
                        VF::Satisf => match prob {
                            Some(p) if p.status_at(end) == VStatus::Resolved => Cell::text(p.satisfaction),
                            Some(p) if resolved_after_m(p, end, lay.n) => Cell::text(p.satisfaction),
                            _ => Cell::Empty,
                        },
                        VF::Note => Cell::text(if prob.is_none() { "未反映问题" } else { "" }),
                    };
                    cells.push(cell);
                }
                put_row(ws, f, row, &cells)?;
                if pi == 0 && merged {
                    // The visit written once over its problem rows (SPEC §1.2
                    // fill-down): each visit column merged down, its value in
                    // the first cell, typed as it was.
                    for (c, (_, vf)) in lay.cols.iter().enumerate() {
                        if visit_level(*vf) {
                            ws.merge_range(row, c as u16, row + 1, c as u16, "", &f.text)?;
                            put(ws, f, row, c as u16, &cells[c])?;
                        }
                    }
                }
                summary.count(class);
                row += 1;
            }
            // A blank row after the last visit of a month (never at the end of the table).
            let last_of_month = j + 1 == vm.cum[vmonth as usize] && j + 1 < vm.cum[lay.n as usize];
            match lay.blank {
                VBlank::Empty(bm) if last_of_month && bm == vmonth => {
                    summary.count(RowClass::Blank);
                    row += 1;
                }
                VBlank::SeqOnly(bm) if last_of_month && bm == vmonth => {
                    seq += 1;
                    if let Some(c) = col_of(VF::Seq) {
                        ws.write_number_with_format(row, c, seq as f64, &f.num)?;
                    }
                    summary.count(RowClass::Blank);
                    row += 1;
                }
                _ => {}
            }
        }
        write_notes(ws, f, row, &format!("注：1.本台账为累计台账，每月更新办理状态；2.数据截至{}月底。", lay.n))?;
        summary
    };
    wb.save(g.out.join(&rel)).with_context(|| format!("cannot write {rel}"))?;
    for (r, c, column, value) in rejections {
        g.reject(&rel, lay.sheet, r, c, column, value);
    }
    for (kind, r, c, column, value) in issues {
        let note = match kind {
            "uscc_check" => "统一社会信用代码 with a wrong GB 32100 check character: a warning, row accepted",
            "deadline_days" => {
                "办结时限 typed as days after the visit: the visit date plus that many days, with a warning"
            }
            _ => "category not in the SPEC list: folded to 其他 with a warning",
        };
        g.issue(kind, &rel, lay.sheet, Some(a1(r, c)), Some(column), Some(value), note);
    }
    if no_problem_words > 0 {
        let note =
            format!("{no_problem_words} visits without a problem read 暂无 in 困难问题: no problem, not a problem");
        g.issue("no_problem_words", &rel, lay.sheet, None, Some("problem"), Some("暂无".into()), &note);
    }
    if resolved_after > 0 {
        let note = format!(
            "{resolved_after} problems read 已解决 with a 办结日期 in early July: unresolved (in progress) as of June"
        );
        g.issue("resolved_after_period", &rel, lay.sheet, None, Some("resolved_date"), None, &note);
    }
    g.files.push(FileSummary { path: rel, sheets: vec![summary] });
    Ok(())
}

/// The columns that describe the visit rather than one of its problems:
/// written once over a visit's merged rows.
fn visit_level(vf: VF) -> bool {
    matches!(vf, VF::Id | VF::Date | VF::Cadre | VF::CadreUnit | VF::Ent | VF::Uscc | VF::Region)
}

/// In the as-of-June ledger, compiled in early July, a problem resolved in
/// the first ten days of July already reads 已解决 with its July date; as of
/// June it is still in progress (SPEC §2.3), which the truth counts.
fn resolved_after_m(p: &Problem, end: NaiveDate, n: u32) -> bool {
    n == 6
        && p.status_at(end) == VStatus::InProgress
        && p.resolved.is_some_and(|d| d > end && (d - end).num_days() <= 10)
}

pub(super) fn visit_truth(vm: &VisitModel) -> Result<VisitTruth> {
    let end = month_end(2025, 6)?;
    let mut t = VisitTruth {
        visits: 0,
        enterprises: 0,
        cadres: 0,
        problems: 0,
        resolved: 0,
        in_progress: 0,
        unresolvable: 0,
        overdue_blue: 0,
        overdue_yellow: 0,
        overdue_red: 0,
        unknown_category: 0,
    };
    let mut ents = HashSet::new();
    let mut cadres = HashSet::new();
    for j in 0..vm.cum[6] {
        let v = vm.visit(j)?;
        t.visits += 1;
        ents.insert(v.ent);
        cadres.insert(v.cadre);
        for p in &v.problems {
            t.problems += 1;
            if p.category == UNKNOWN_CATEGORY {
                t.unknown_category += 1;
            }
            let st = p.status_at(end);
            match st {
                VStatus::Resolved => t.resolved += 1,
                VStatus::InProgress => t.in_progress += 1,
                VStatus::Unresolvable => t.unresolvable += 1,
            }
            if st != VStatus::Resolved {
                let deadline = match p.deadline {
                    Some(d) => d,
                    None => add_days(v.date, p.default_days())?,
                };
                let days = (end - deadline).num_days();
                match days {
                    1..=7 => t.overdue_blue += 1,
                    8..=30 => t.overdue_yellow += 1,
                    d if d > 30 => t.overdue_red += 1,
                    _ => {}
                }
            }
        }
    }
    t.enterprises = ents.len() as u64;
    t.cadres = cadres.len() as u64;
    Ok(t)
}

// ───────────────────────────── indicators ─────────────────────────────

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ind {
    /// 规上工业增加值: reported growth only.
    Gsgy,
    Fai,
    Retail,
    Budget,
}

impl Ind {
    pub(super) fn name(self) -> &'static str {
        match self {
            Ind::Gsgy => "规上工业增加值",
            Ind::Fai => "固定资产投资",
            Ind::Retail => "社会消费品零售总额",
            Ind::Budget => "一般公共预算收入",
        }
    }
    pub(super) fn code(self) -> u64 {
        match self {
            Ind::Gsgy => 1,
            Ind::Fai => 2,
            Ind::Retail => 3,
            Ind::Budget => 4,
        }
    }
    /// 万元 per month per unit of town size.
    pub(super) fn base(self) -> f64 {
        match self {
            Ind::Gsgy => 0.0,
            Ind::Fai => 4000.0,
            Ind::Retail => 6000.0,
            Ind::Budget => 500.0,
        }
    }
    /// 2025-over-2024 growth by town, % (2024 over 2023 is derived from it).
    pub(super) fn growth(self, town: usize) -> f64 {
        const FAI: [f64; 12] = [12.0, 8.5, -3.2, 15.6, 6.8, 10.2, -8.5, 4.3, 18.9, 7.7, -12.0, 9.1];
        const RETAIL: [f64; 12] = [6.5, 5.2, 4.8, 7.9, 3.1, 5.5, 2.2, 4.0, 8.8, 6.1, 1.5, 5.0];
        const BUDGET: [f64; 12] = [5.0, 3.0, -2.0, 8.0, 4.0, 6.5, -5.0, 2.0, 10.0, 3.5, -6.0, 4.5];
        match self {
            Ind::Fai => FAI[town],
            Ind::Retail => RETAIL[town],
            Ind::Budget => BUDGET[town],
            Ind::Gsgy => 0.0,
        }
    }
    pub(super) fn seasonal(self, m: u32) -> f64 {
        let s: [f64; 6] = match self {
            Ind::Fai => [0.55, 0.7, 1.0, 1.05, 1.1, 1.35],
            Ind::Retail => [1.15, 1.1, 0.95, 0.95, 1.0, 1.05],
            _ => [1.3, 0.8, 1.0, 1.05, 0.95, 1.1],
        };
        s[(m as usize - 1).min(5)]
    }
}

/// The value of month m (not cumulative), 万元, one decimal.
pub(super) fn ind_month(ind: Ind, year: i32, m: u32, town: usize) -> f64 {
    let g25 = ind.growth(town) / 100.0;
    let g24 = (ind.growth(town) * 0.6 + 3.0) / 100.0;
    let level = match year {
        2025 => (1.0 + g24) * (1.0 + g25),
        2024 => 1.0 + g24,
        _ => 1.0,
    };
    let mut r = rng_for("ind-month", ind.code() * 1_000_000 + year as u64 * 1000 + m as u64 * 20 + town as u64);
    round1(ind.base() * TOWN_SIZE[town] * ind.seasonal(m) * level * r.range(0.93, 1.07))
}

pub(super) fn ind_ytd(ind: Ind, year: i32, m: u32, town: usize) -> f64 {
    round1((1..=m).map(|k| ind_month(ind, year, k, town)).sum())
}

pub(super) fn growth_of(ytd: f64, ly: f64) -> f64 {
    round1((ytd / ly - 1.0) * 100.0)
}
