//! The indicator reports (月报) of 2024 and 2025 and their truth.

use super::common::*;
use super::*;
use anyhow::{bail, Context, Result};
use rust_xlsxwriter::Workbook;
use std::fs;

/// Reported cumulative growth of 规上工业增加值, %.
pub(super) fn gsgy_growth(year: i32, m: u32, town: usize) -> f64 {
    pub(super) const BASE: [f64; 12] = [9.5, 7.8, 6.2, 11.3, 8.0, 8.8, 3.5, 5.9, 12.6, 7.1, 2.8, 8.4];
    let mut r = rng_for("gsgy", year as u64 * 1000 + m as u64 * 20 + town as u64);
    let shift = if year == 2025 { 0.0 } else { -1.5 };
    round1(BASE[town] + shift + (m as f64 - 3.0) * 0.15 + r.range(-0.6, 0.6))
}

/// The county's own reported growth: size-weighted, then rounded by the bureau
/// (never an average of the towns' rounded rates).
pub(super) fn gsgy_total_growth(year: i32, m: u32) -> f64 {
    let w: f64 = TOWN_SIZE.iter().sum();
    let v: f64 = (0..12).map(|t| gsgy_growth(year, m, t) * TOWN_SIZE[t]).sum::<f64>() / w;
    let mut r = rng_for("gsgy-total", year as u64 * 100 + m as u64);
    round1(v + r.range(-0.2, 0.2))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum IF {
    Seq,
    Region,
    Ind,
    Unit,
    Month,
    Ytd,
    Ly,
    Growth,
}

/// One indicator's block of rows in a sheet.
pub(super) struct IndBlock {
    pub(super) ind: Ind,
    /// Label of the total row and whether it comes first.
    pub(super) total_label: &'static str,
    pub(super) total_top: bool,
    /// `万元`, `亿元` or `%` in the 计量单位 column.
    pub(super) unit: &'static str,
    /// Divisor for amounts (10000 for 亿元).
    pub(super) div: f64,
    /// Multiplies the reported total (1.0 = the exact sum of the towns).
    pub(super) total_factor: f64,
    pub(super) skip_town: Option<usize>,
    /// A row whose region is an `#N/A` lookup error (rejected).
    pub(super) na_row: bool,
    /// A `其中：工业投资` row under the total.
    pub(super) qizhong: bool,
    pub(super) growth_as_text: bool,
    /// Whether the sheet shows 本月 / 去年同期 / 增速 for this indicator.
    pub(super) show_month: bool,
    pub(super) show_ly: bool,
    pub(super) show_growth: bool,
}

impl IndBlock {
    pub(super) fn new(ind: Ind) -> IndBlock {
        IndBlock {
            ind,
            total_label: "合计",
            total_top: false,
            unit: if ind == Ind::Gsgy { "%" } else { "万元" },
            div: 1.0,
            total_factor: 1.0,
            skip_town: None,
            na_row: false,
            qizhong: false,
            growth_as_text: false,
            show_month: matches!(ind, Ind::Fai | Ind::Budget),
            show_ly: matches!(ind, Ind::Fai | Ind::Budget),
            show_growth: ind != Ind::Retail,
        }
    }
}

/// A row of an indicator table: cells by field, plus its class.
pub(super) struct IndRow {
    pub(super) region: Cell,
    pub(super) month: Option<f64>,
    pub(super) ytd: Option<f64>,
    pub(super) ly: Option<f64>,
    pub(super) growth: Option<f64>,
    pub(super) class: RowClass,
}

pub(super) fn ind_rows(b: &IndBlock, year: i32, m: u32) -> Vec<IndRow> {
    let mut towns = Vec::new();
    let (mut sm, mut sy, mut sl) = (0.0, 0.0, 0.0);
    // The town index selects from several parallel tables (names, sizes, paces).
    #[allow(clippy::needless_range_loop)]
    for t in 0..12 {
        if Some(t) == b.skip_town {
            continue;
        }
        let row = if b.ind == Ind::Gsgy {
            IndRow {
                region: Cell::text(TOWNS[t]),
                month: None,
                ytd: None,
                ly: None,
                growth: Some(gsgy_growth(year, m, t)),
                class: RowClass::Accepted,
            }
        } else {
            let month = ind_month(b.ind, year, m, t);
            let ytd = ind_ytd(b.ind, year, m, t);
            let ly = ind_ytd(b.ind, year - 1, m, t);
            sm += month;
            sy += ytd;
            sl += ly;
            IndRow {
                region: Cell::text(TOWNS[t]),
                month: Some(month),
                ytd: Some(ytd),
                ly: Some(ly),
                growth: Some(growth_of(ytd, ly)),
                class: RowClass::Accepted,
            }
        };
        towns.push(row);
        if b.na_row && t == 9 {
            // A clerk's VLOOKUP for a new industrial park failed: region #N/A.
            towns.push(IndRow {
                region: Cell::Formula("VLOOKUP(\"开发区\",$A$20:$B$32,2,FALSE)".into(), "#N/A".into()),
                month: Some(35.0),
                ytd: Some(61.5),
                ly: Some(50.0),
                growth: Some(23.0),
                class: RowClass::Rejected,
            });
        }
    }
    let total = if b.ind == Ind::Gsgy {
        IndRow {
            region: Cell::text(b.total_label),
            month: None,
            ytd: None,
            ly: None,
            growth: Some(gsgy_total_growth(year, m)),
            class: RowClass::Total,
        }
    } else {
        let (tm, ty) = (round1(sm * b.total_factor), round1(sy * b.total_factor));
        IndRow {
            region: Cell::text(b.total_label),
            month: Some(tm),
            ytd: Some(ty),
            ly: Some(round1(sl)),
            growth: Some(growth_of(ty, sl)),
            class: RowClass::Total,
        }
    };
    let mut rows = Vec::new();
    if b.total_top {
        rows.push(total);
        if b.qizhong {
            let share = 0.45;
            rows.push(IndRow {
                region: Cell::text("其中：工业投资"),
                month: Some(round1(sm * share)),
                ytd: Some(round1(sy * share)),
                ly: Some(round1(sl * share * 0.95)),
                growth: Some(growth_of(sy, sl * 0.95)),
                class: RowClass::Total,
            });
        }
        rows.extend(towns);
    } else {
        rows.extend(towns);
        rows.push(total);
    }
    rows
}

/// The cells of one indicator row for the given columns.
pub(super) fn ind_cells(b: &IndBlock, r: &IndRow, cols: &[(String, IF)], seq: Option<u64>) -> Vec<Cell> {
    let amount = |v: Option<f64>, shown: bool| match v {
        Some(v) if shown => Cell::Num(if b.div > 1.0 { (v / b.div * 1e8).round() / 1e8 } else { v }),
        _ => Cell::Empty,
    };
    cols.iter()
        .map(|(_, f)| match f {
            IF::Seq => seq.map_or(Cell::Empty, |s| Cell::Num(s as f64)),
            IF::Region => r.region.clone(),
            IF::Ind => Cell::text(b.ind.name()),
            IF::Unit => Cell::text(b.unit),
            IF::Month => amount(r.month, b.show_month),
            IF::Ytd => amount(r.ytd, true),
            IF::Ly => amount(r.ly, b.show_ly),
            IF::Growth => match r.growth {
                Some(g) if b.show_growth && b.growth_as_text => Cell::text(format!("{g}%")),
                Some(g) if b.show_growth => Cell::Num(g),
                _ => Cell::Empty,
            },
        })
        .collect()
}

pub(super) fn ytd_head(m: u32, variant: u32) -> String {
    if m == 1 {
        "本年累计".into()
    } else {
        match variant % 3 {
            0 => "本年累计".into(),
            1 => format!("1-{m}月累计"),
            _ => "累计".into(),
        }
    }
}

pub(super) fn cols(spec: &[(&str, IF)]) -> Vec<(String, IF)> {
    spec.iter().map(|(h, f)| (h.to_string(), *f)).collect()
}

/// Writes one indicator sheet (title, header, blocks, notes) and accounts for it.
#[allow(clippy::too_many_arguments)]
pub(super) fn write_ind_sheet(
    g: &mut Gen,
    wb: &mut Workbook,
    rel: &str,
    sheet: &str,
    title: &str,
    cols: &[(String, IF)],
    blocks: &[IndBlock],
    year: i32,
    m: u32,
) -> Result<SheetSummary> {
    let ws = add_sheet(wb, g.streamed, sheet)?;
    let f = &g.f;
    let ncol = cols.len() as u16;
    for c in 0..ncol {
        ws.set_column_width(c, if c == 0 { 16.0 } else { 14.0 })?;
    }
    ws.merge_range(0, 0, 0, ncol - 1, title, &f.title)?;
    for (c, (h, _)) in cols.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, h, &f.head)?;
    }
    let mut summary = SheetSummary::new(sheet, "indicators", format!("{year}-{m:02}"), 2);
    let mut row = 2u32;
    let mut seq = 0u64;
    let mut rejections = Vec::new();
    let mut mismatch = Vec::new();
    for b in blocks {
        for r in ind_rows(b, year, m) {
            let s = if r.class == RowClass::Accepted || r.class == RowClass::Rejected {
                seq += 1;
                Some(seq)
            } else {
                None
            };
            let cells = ind_cells(b, &r, cols, s);
            if r.class == RowClass::Rejected {
                if let Some(c) = cols.iter().position(|c| c.1 == IF::Region) {
                    rejections.push((row, c as u16));
                }
            }
            if r.class == RowClass::Total && (b.total_factor - 1.0).abs() > 1e-9 {
                if let Some(c) = cols.iter().position(|c| c.1 == IF::Ytd) {
                    mismatch.push((row, c as u16, r.ytd.map(fmt_num).unwrap_or_default(), b.ind));
                }
            }
            put_row(ws, f, row, &cells)?;
            summary.count(r.class);
            row += 1;
        }
    }
    write_notes(ws, f, row, "注：本表数据来源于县统计局，增速按可比价计算。")?;
    for (r, c) in rejections {
        g.reject(rel, sheet, r, c, "region", "#N/A".to_string());
    }
    for (r, c, v, ind) in mismatch {
        g.issue(
            "total_mismatch",
            rel,
            sheet,
            Some(a1(r, c)),
            Some("value_ytd"),
            Some(v),
            &format!("{} 合计 is 1.2% above the sum of the towns (合计与分项之和不符)", ind.name()),
        );
    }
    Ok(summary)
}

/// An indicator table as CSV text (title line, header, rows, a note line), and its accounting.
pub(super) fn ind_csv(
    sheet: &str,
    title: &str,
    cols: &[(String, IF)],
    b: &IndBlock,
    year: i32,
    m: u32,
) -> (String, SheetSummary) {
    let quote =
        |s: String| if s.contains(',') || s.contains('"') { format!("\"{}\"", s.replace('"', "\"\"")) } else { s };
    let mut out = String::new();
    let pad = ",".repeat(cols.len().saturating_sub(1));
    out.push_str(&format!("{title}{pad}\r\n"));
    out.push_str(&cols.iter().map(|c| quote(c.0.clone())).collect::<Vec<_>>().join(","));
    out.push_str("\r\n");
    let mut summary = SheetSummary::new(sheet, "indicators", format!("{year}-{m:02}"), 2);
    for (i, r) in ind_rows(b, year, m).into_iter().enumerate() {
        let cells = ind_cells(b, &r, cols, None);
        let line: Vec<String> = cells
            .iter()
            .map(|c| match c {
                // Every third amount with thousands separators, as Excel exports them.
                Cell::Num(v) if i % 3 == 0 => quote(thousands(*v)),
                other => quote(other.csv()),
            })
            .collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
        summary.count(r.class);
    }
    out.push_str(&format!("注：数据来源于县统计局{pad}\r\n"));
    (out, summary)
}

// Long because it is the month-by-month script of planted layouts; each
// block is one month's mess, read top to bottom like the ledger it writes.
pub(super) fn write_indicator_file(g: &mut Gen, year: i32, m: u32) -> Result<()> {
    let rel = format!("经济指标/{year}年{m}月经济指标月报.xlsx");
    let pt = period_text(year, m);
    let mut wb = new_workbook(&format!("{COUNTY}{pt}主要经济指标"))?;
    let mut sheets = Vec::new();
    let is25 = year == 2025;
    // April 2025 comes wide; June 2025 leads with the whole-area table (issue 15).
    let wide = is25 && m == 4;
    if is25 && m == 6 {
        sheets.push(super::shapes::write_whole_area_sheet(g, &mut wb, year, m)?);
    }

    // 规上工业增加值: growth only, 全县 first.
    {
        let mut b = IndBlock::new(Ind::Gsgy);
        b.total_label = "全县";
        b.total_top = true;
        b.growth_as_text = is25 && m == 2;
        let growth_head = if b.growth_as_text { "同比增长" } else { "增速（%）" };
        let c = cols(&[
            ("序号", IF::Seq),
            ("地区", IF::Region),
            ("指标名称", IF::Ind),
            ("计量单位", IF::Unit),
            (growth_head, IF::Growth),
        ]);
        let title = format!("{COUNTY}{pt}规模以上工业增加值增速");
        sheets.push(write_ind_sheet(g, &mut wb, &rel, "规上工业", &title, &c, &[b], year, m)?);
    }
    // 固定资产投资: 本月 / 本年累计 / 去年同期 / 增速.
    if wide {
        sheets.push(super::shapes::write_wide_sheet(g, &mut wb, year, m)?);
    } else {
        let mut b = IndBlock::new(Ind::Fai);
        b.na_row = is25 && m == 2;
        if is25 && m == 6 {
            b.total_label = "全县";
            b.total_top = true;
            b.qizhong = true;
        }
        let ytd = ytd_head(m, m);
        let (c, title) = if is25 && m == 3 {
            // No indicator column: the title names it.
            (
                cols(&[
                    ("地区", IF::Region),
                    ("计量单位", IF::Unit),
                    ("本月", IF::Month),
                    (ytd.as_str(), IF::Ytd),
                    ("去年同期", IF::Ly),
                    ("增速（%）", IF::Growth),
                ]),
                format!("{year}年1-3月固定资产投资完成情况"),
            )
        } else {
            (
                cols(&[
                    ("地区", IF::Region),
                    ("指标名称", IF::Ind),
                    ("计量单位", IF::Unit),
                    ("本月", IF::Month),
                    (ytd.as_str(), IF::Ytd),
                    ("去年同期", IF::Ly),
                    ("增速（%）", IF::Growth),
                ]),
                format!("{COUNTY}{pt}固定资产投资完成情况"),
            )
        };
        let mut s = write_ind_sheet(g, &mut wb, &rel, "固定资产投资", &title, &c, &[b], year, m)?;
        if is25 && m == 3 {
            s.note = Some("no indicator column: the indicator is named in the title".into());
        }
        if is25 && m == 6 {
            s.note = Some("全县 first, then a 其中：工业投资 row (a total row, not a region)".into());
        }
        sheets.push(s);
    }
    // 社会消费品零售总额 (本年累计 only) and 一般公共预算收入.
    let retail_cols = |m: u32| {
        cols(&[
            ("地区", IF::Region),
            ("指标名称", IF::Ind),
            ("计量单位", IF::Unit),
            (ytd_head(m, m + 1).as_str(), IF::Ytd),
        ])
    };
    let budget_block = |year: i32, m: u32| {
        let mut b = IndBlock::new(Ind::Budget);
        if year == 2025 && m == 3 {
            b.unit = "亿元";
            b.div = 10000.0;
        }
        if year == 2025 && m == 5 {
            b.total_factor = 1.012;
        }
        b
    };
    let budget_cols = |m: u32| {
        cols(&[
            ("地区", IF::Region),
            ("指标名称", IF::Ind),
            ("计量单位", IF::Unit),
            ("本月", IF::Month),
            (ytd_head(m, m + 2).as_str(), IF::Ytd),
            ("上年同期累计", IF::Ly),
            ("同比增速", IF::Growth),
        ])
    };
    if is25 && m == 6 {
        // One sheet, two indicators stacked, each with its own 合计.
        let c = cols(&[
            ("序号", IF::Seq),
            ("地区", IF::Region),
            ("指标名称", IF::Ind),
            ("计量单位", IF::Unit),
            ("本月", IF::Month),
            ("本年累计", IF::Ytd),
            ("去年同期", IF::Ly),
            ("增速（%）", IF::Growth),
        ]);
        let title = format!("{COUNTY}{pt}主要经济指标完成情况");
        let mut s = write_ind_sheet(
            g,
            &mut wb,
            &rel,
            "主要指标",
            &title,
            &c,
            &[IndBlock::new(Ind::Retail), budget_block(year, m)],
            year,
            m,
        )?;
        s.note =
            Some("two indicators stacked in one sheet, each followed by its 合计; 社零 rows have only 本年累计".into());
        sheets.push(s);
    } else {
        if !(is25 && (m == 4 || m == 5)) {
            let mut b = IndBlock::new(Ind::Retail);
            if year == 2024 && m == 6 {
                // 桃源乡 did not report last June; the bureau's 合计 is the sum of those listed.
                b.skip_town = Some(10);
                g.issue(
                    "missing_region_last_year",
                    &rel,
                    "社零",
                    None,
                    Some("region"),
                    Some(TOWNS[10].to_string()),
                    "桃源乡 has no 2024-06 社会消费品零售总额: its 2025-06 growth has no last-year value",
                );
            }
            let title = format!("{COUNTY}{pt}社会消费品零售总额");
            let mut s = write_ind_sheet(g, &mut wb, &rel, "社零", &title, &retail_cols(m), &[b], year, m)?;
            if year == 2024 && m == 6 {
                s.note = Some("桃源乡 missing".into());
            }
            sheets.push(s);
        }
        if !wide {
            let b = budget_block(year, m);
            let title = format!("{COUNTY}{pt}一般公共预算收入");
            let mut s = write_ind_sheet(g, &mut wb, &rel, "财政收入", &title, &budget_cols(m), &[b], year, m)?;
            if is25 && m == 3 {
                s.note = Some("计量单位 亿元 on every row (values convert ×10000)".into());
            }
            if is25 && m == 5 {
                s.note = Some("合计 1.2% above the sum of the towns".into());
            }
            sheets.push(s);
        }
    }
    wb.save(g.out.join(&rel)).with_context(|| format!("cannot write {rel}"))?;
    g.files.push(FileSummary { path: rel, sheets });

    // 社零 for April and May 2025 arrived as CSV exports.
    if is25 && (m == 4 || m == 5) {
        let rel = format!("经济指标/{year}年{m}月社会消费品零售总额.csv");
        let stem = format!("{year}年{m}月社会消费品零售总额");
        let title = format!("{COUNTY}{pt}社会消费品零售总额");
        let (bytes, summary) = if m == 4 {
            let (text, mut s) = ind_csv(&stem, &title, &retail_cols(m), &IndBlock::new(Ind::Retail), year, m);
            let (enc, _, had_errors) = encoding_rs::GBK.encode(&text);
            if had_errors {
                bail!("GBK cannot encode the 社零 CSV");
            }
            s.note = Some("GBK-encoded CSV with a title line; sheet = file stem".into());
            (enc.into_owned(), s)
        } else {
            let mut b = IndBlock::new(Ind::Retail);
            b.total_label = "全县";
            b.total_top = true;
            let c = cols(&[
                ("指标名称", IF::Ind),
                ("地区", IF::Region),
                (ytd_head(m, 0).as_str(), IF::Ytd),
                ("计量单位", IF::Unit),
            ]);
            let (text, mut s) = ind_csv(&stem, &title, &c, &b, year, m);
            s.note = Some("UTF-8 CSV with BOM, 全县 first; sheet = file stem".into());
            let mut bytes = vec![0xEF, 0xBB, 0xBF];
            bytes.extend_from_slice(text.as_bytes());
            (bytes, s)
        };
        fs::write(g.out.join(&rel), bytes).with_context(|| format!("cannot write {rel}"))?;
        g.files.push(FileSummary { path: rel, sheets: vec![summary] });
    }
    Ok(())
}

pub(super) fn indicator_truth() -> Vec<IndicatorTruth> {
    // 地区生产总值 stands only in the whole-area table: its growth as reported.
    let mut out = vec![IndicatorTruth {
        indicator: super::shapes::GDP.to_string(),
        ytd: None,
        ytd_ly: None,
        regions_with_ly: 0,
        growth: None,
        total_growth_reported: Some(super::shapes::GDP_H1.1),
    }];
    for ind in [Ind::Gsgy, Ind::Fai, Ind::Retail, Ind::Budget] {
        if ind == Ind::Gsgy {
            out.push(IndicatorTruth {
                indicator: ind.name().to_string(),
                ytd: None,
                ytd_ly: None,
                regions_with_ly: 0,
                growth: None,
                total_growth_reported: Some(gsgy_total_growth(2025, 6)),
            });
            continue;
        }
        let ytd: f64 = (0..12).map(|t| ind_ytd(ind, 2025, 6, t)).sum();
        // 社零's last-year values come from the 2024-06 file, which lacks 桃源乡.
        let with_ly: Vec<usize> = (0..12).filter(|&t| !(ind == Ind::Retail && t == 10)).collect();
        let ly: f64 = with_ly.iter().map(|&t| ind_ytd(ind, 2024, 6, t)).sum();
        // 同口径: this year's sum over the towns that have last year's value.
        let same: f64 = with_ly.iter().map(|&t| ind_ytd(ind, 2025, 6, t)).sum();
        out.push(IndicatorTruth {
            indicator: ind.name().to_string(),
            ytd: Some(round1(ytd)),
            ytd_ly: Some(round1(ly)),
            regions_with_ly: with_ly.len() as u64,
            growth: Some((same / ly - 1.0) * 100.0),
            total_growth_reported: None,
        });
    }
    out
}
