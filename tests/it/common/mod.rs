//! Fixture helpers for the ingestion tests: small workbooks written with
//! rust_xlsxwriter, CSV files in GBK or UTF-8, a run of `ingest` that checks
//! the row accounting of every sheet, and the ledgers read back as records.

#![allow(dead_code)]

use chrono::NaiveDate;
use polars::prelude::*;
use rust_xlsxwriter::{Format, Formula, Workbook};
use sha2::{Digest, Sha256};
use statbrief::ingest::{self, Ingested};
use statbrief::model::{IndicatorLayout, Kind};
use statbrief::quality::{Issue, Severity, SheetReport};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

// ───────────────────────────── writing fixtures ─────────────────────────────

/// One cell of a fixture sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum X {
    /// Nothing written.
    E,
    S(String),
    N(f64),
    /// An Excel date cell (number format `yyyy-mm-dd`).
    D(NaiveDate),
    /// An Excel date cell displayed the Chinese way (`yyyy"年"m"月"d"日"`).
    DCn(NaiveDate),
    /// A formula and its cached result (`#DIV/0!` is stored as an error value).
    F(String, String),
}

impl From<&str> for X {
    fn from(s: &str) -> X {
        if s.is_empty() {
            X::E
        } else {
            X::S(s.to_string())
        }
    }
}

impl From<String> for X {
    fn from(s: String) -> X {
        X::from(s.as_str())
    }
}

impl From<f64> for X {
    fn from(v: f64) -> X {
        X::N(v)
    }
}

impl From<i32> for X {
    fn from(v: i32) -> X {
        X::N(v as f64)
    }
}

impl From<NaiveDate> for X {
    fn from(d: NaiveDate) -> X {
        X::D(d)
    }
}

/// A formula cell whose cached result is `result` (an error such as `#DIV/0!`).
pub fn formula(f: &str, result: &str) -> X {
    X::F(f.to_string(), result.to_string())
}

/// A row of cells: `row!["项目名称", 100, 1.5, ""]` ("" = no cell).
#[macro_export]
macro_rules! row {
    ($($x:expr),* $(,)?) => { vec![$($crate::common::X::from($x)),*] };
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// One worksheet of a fixture workbook. Rows are 0-based here; Excel row
/// numbers (and A1 references in issues) are one more.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub hidden: bool,
    pub rows: Vec<Vec<X>>,
    /// (first row, first col, last row, last col), 0-based, inclusive; the
    /// merged cell's text is the one at (first row, first col) in `rows`.
    pub merges: Vec<(u32, u16, u32, u16)>,
}

impl Sheet {
    pub fn new(name: &str) -> Sheet {
        Sheet { name: name.to_string(), hidden: false, rows: Vec::new(), merges: Vec::new() }
    }

    pub fn hidden(mut self) -> Sheet {
        self.hidden = true;
        self
    }

    pub fn row(mut self, cells: Vec<X>) -> Sheet {
        self.rows.push(cells);
        self
    }

    /// A row with no cell at all.
    pub fn blank(mut self) -> Sheet {
        self.rows.push(Vec::new());
        self
    }

    pub fn merge(mut self, r0: u32, c0: u16, r1: u32, c1: u16) -> Sheet {
        self.merges.push((r0, c0, r1, c1));
        self
    }
}

/// Writes an xlsx workbook at `dir/name` (parent folders created).
pub fn xlsx(dir: &Path, name: &str, sheets: &[Sheet]) {
    let mut wb = Workbook::new();
    let date_fmt = Format::new().set_num_format("yyyy-mm-dd");
    let date_cn_fmt = Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
    let plain = Format::new();
    for sheet in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&sheet.name).unwrap();
        if sheet.hidden {
            ws.set_hidden(true);
        }
        let mut covered = HashSet::new();
        for &(r0, c0, r1, c1) in &sheet.merges {
            let text = match sheet.rows.get(r0 as usize).and_then(|r| r.get(c0 as usize)) {
                Some(X::S(s)) => s.clone(),
                None | Some(X::E) => String::new(),
                Some(other) => panic!("merged cells hold text in these fixtures, not {other:?}"),
            };
            ws.merge_range(r0, c0, r1, c1, &text, &plain).unwrap();
            for r in r0..=r1 {
                for c in c0..=c1 {
                    covered.insert((r, c));
                }
            }
        }
        for (r, cells) in sheet.rows.iter().enumerate() {
            let r = r as u32;
            for (c, cell) in cells.iter().enumerate() {
                let c = c as u16;
                if covered.contains(&(r, c)) {
                    continue;
                }
                match cell {
                    X::E => {}
                    X::S(s) => {
                        ws.write_string(r, c, s).unwrap();
                    }
                    X::N(v) => {
                        ws.write_number(r, c, *v).unwrap();
                    }
                    X::D(d) => {
                        ws.write_datetime_with_format(r, c, d, &date_fmt).unwrap();
                    }
                    X::DCn(d) => {
                        ws.write_datetime_with_format(r, c, d, &date_cn_fmt).unwrap();
                    }
                    X::F(f, result) => {
                        ws.write_formula(r, c, Formula::new(f).set_result(result)).unwrap();
                    }
                }
            }
        }
    }
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    wb.save(&path).unwrap();
}

fn write_bytes(dir: &Path, name: &str, bytes: &[u8]) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, bytes).unwrap();
}

/// A CSV file in GBK (as Excel saves "CSV" on a Chinese Windows).
pub fn csv_gbk(dir: &Path, name: &str, text: &str) {
    let (bytes, _, had_errors) = encoding_rs::GBK.encode(text);
    assert!(!had_errors, "fixture text is not encodable in GBK");
    assert!(std::str::from_utf8(&bytes).is_err(), "the GBK fixture must not also be valid UTF-8");
    write_bytes(dir, name, &bytes);
}

/// A CSV file in UTF-8 with a byte-order mark.
pub fn csv_bom(dir: &Path, name: &str, text: &str) {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(text.as_bytes());
    write_bytes(dir, name, &bytes);
}

/// A CSV file in UTF-8 without BOM.
pub fn csv_utf8(dir: &Path, name: &str, text: &str) {
    write_bytes(dir, name, text.as_bytes());
}

pub fn raw_file(dir: &Path, name: &str, bytes: &[u8]) {
    write_bytes(dir, name, bytes);
}

/// Deterministic noise (an LCG), so an "unreadable file" is the same every run.
pub fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed;
    (0..len)
        .map(|_| {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (x >> 33) as u8
        })
        .collect()
}

// ───────────────────────────── running ingest ─────────────────────────────

/// Runs `ingest` on `dir` and checks, for every sheet of every file:
/// - `rows == accepted + blank + total_rows + rejected` (nothing lost);
/// - every sheet has an outcome (a kind, or a reason it was skipped);
/// - the frame holds exactly the accepted rows of the sheet, less those a
///   later sheet of the same period superseded (indicators: the
///   non-total rows; their reported totals are there too, with is_total);
/// - every file's sha256 is the digest of its bytes.
pub fn run(dir: &Path) -> Ingested {
    let ing = ingest::ingest(dir).expect("ingest returns Ok");
    for f in &ing.quality.files {
        if f.error.is_none() {
            let bytes = std::fs::read(dir.join(&f.path)).unwrap();
            let hex: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(f.sha256, hex, "sha256 of {}", f.path);
        }
        for s in &f.sheets {
            let where_ = format!("{}!{}", f.path, s.sheet);
            assert_eq!(
                s.rows,
                s.accepted + s.blank + s.total_rows + s.rejected,
                "{where_}: rows = accepted + blank + total_rows + rejected ({s:?})"
            );
            assert!(s.is_balanced(), "{where_}");
            assert!(s.kind.is_some() || s.skipped_reason.is_some(), "{where_} has no outcome");
            let Some(kind) = s.kind else { continue };
            let recs = sheet_records(&ing, kind, &f.path, &s.sheet);
            if s.skipped_reason.is_some() {
                assert!(recs.is_empty(), "{where_} was skipped but has rows in the frame");
                continue;
            }
            if kind == Kind::Indicators {
                let non_total = recs.iter().filter(|r| r.b("is_total") == Some(false)).count() as u64;
                let totals = recs.iter().filter(|r| r.b("is_total") == Some(true)).count() as u64;
                match s.layout {
                    // A whole-area table's rows are all the whole's reported figures.
                    Some(IndicatorLayout::WholeArea) => {
                        assert_eq!((non_total, totals), (0, s.accepted - s.superseded), "{where_}: whole-area rows")
                    }
                    // A wide table's rows each give one long row per indicator group.
                    Some(IndicatorLayout::Wide) => {
                        assert_eq!(non_total, s.unpivoted - s.superseded, "{where_}: frame rows vs unpivoted");
                    }
                    _ => {
                        assert_eq!(non_total, s.accepted - s.superseded, "{where_}: frame rows vs accepted");
                        assert!(totals <= s.total_rows, "{where_}: frame totals vs total_rows");
                    }
                }
            } else {
                assert_eq!(recs.len() as u64, s.accepted - s.superseded, "{where_}: frame rows vs accepted");
            }
        }
    }
    ing
}

/// The report of one sheet.
pub fn sheet<'a>(ing: &'a Ingested, file: &str, sheet: &str) -> &'a SheetReport {
    let f = ing.quality.files.iter().find(|f| f.path == file).unwrap_or_else(|| {
        panic!("no file {file}; files: {:?}", ing.quality.files.iter().map(|f| &f.path).collect::<Vec<_>>())
    });
    f.sheets.iter().find(|s| s.sheet == sheet).unwrap_or_else(|| {
        panic!("no sheet {sheet} in {file}; sheets: {:?}", f.sheets.iter().map(|s| &s.sheet).collect::<Vec<_>>())
    })
}

/// The issues of one sheet (sheet = None: the file's own issues).
pub fn issues<'a>(ing: &'a Ingested, file: &str, sheet: Option<&str>) -> Vec<&'a Issue> {
    ing.quality.issues.iter().filter(|i| i.file == file && i.sheet.as_deref() == sheet).collect()
}

pub fn issues_of(ing: &Ingested, file: &str, sheet: &str, severity: Severity) -> Vec<Issue> {
    issues(ing, file, Some(sheet)).into_iter().filter(|i| i.severity == severity).cloned().collect()
}

/// The one issue of a sheet at `cell`, failing with the sheet's issues listed.
pub fn issue_at<'a>(ing: &'a Ingested, file: &str, sheet: &str, cell: &str) -> &'a Issue {
    let all = issues(ing, file, Some(sheet));
    let at: Vec<_> = all.iter().filter(|i| i.cell.as_deref() == Some(cell)).collect();
    assert_eq!(at.len(), 1, "expected one issue at {file}!{sheet}!{cell}; issues: {all:#?}");
    at[0]
}

// ───────────────────────────── reading frames ─────────────────────────────

/// One value of a frame cell.
#[derive(Debug, Clone, PartialEq)]
pub enum V {
    Null,
    S(String),
    F(f64),
    I(i64),
    D(NaiveDate),
    B(bool),
}

/// One frame row, by column name.
#[derive(Debug, Clone, PartialEq)]
pub struct Rec(pub BTreeMap<String, V>);

impl Rec {
    fn get(&self, name: &str) -> &V {
        self.0.get(name).unwrap_or_else(|| panic!("no column {name} in {:?}", self.0.keys().collect::<Vec<_>>()))
    }

    pub fn s(&self, name: &str) -> Option<&str> {
        match self.get(name) {
            V::Null => None,
            V::S(s) => Some(s),
            v => panic!("{name} is not text: {v:?}"),
        }
    }

    pub fn f(&self, name: &str) -> Option<f64> {
        match self.get(name) {
            V::Null => None,
            V::F(v) => Some(*v),
            v => panic!("{name} is not f64: {v:?}"),
        }
    }

    pub fn i(&self, name: &str) -> Option<i64> {
        match self.get(name) {
            V::Null => None,
            V::I(v) => Some(*v),
            v => panic!("{name} is not an integer: {v:?}"),
        }
    }

    pub fn d(&self, name: &str) -> Option<NaiveDate> {
        match self.get(name) {
            V::Null => None,
            V::D(v) => Some(*v),
            v => panic!("{name} is not a date: {v:?}"),
        }
    }

    pub fn b(&self, name: &str) -> Option<bool> {
        match self.get(name) {
            V::Null => None,
            V::B(v) => Some(*v),
            v => panic!("{name} is not a bool: {v:?}"),
        }
    }

    /// The record without its trace columns (for comparing two sources).
    pub fn without_trace(&self) -> BTreeMap<String, V> {
        self.0
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "source_file" | "sheet"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
}

/// Every row of a frame as a record.
pub fn records(df: &DataFrame) -> Vec<Rec> {
    let mut out = vec![Rec(BTreeMap::new()); df.height()];
    for col in df.columns() {
        let name = col.name().as_str().to_string();
        let s = col.as_materialized_series();
        let vals: Vec<V> = match s.dtype() {
            DataType::String => s.str().unwrap().iter().map(|v| v.map_or(V::Null, |x| V::S(x.to_string()))).collect(),
            DataType::Float64 => s.f64().unwrap().iter().map(|v| v.map_or(V::Null, V::F)).collect(),
            DataType::Int32 => s.i32().unwrap().iter().map(|v| v.map_or(V::Null, |x| V::I(x as i64))).collect(),
            DataType::Int64 => s.i64().unwrap().iter().map(|v| v.map_or(V::Null, V::I)).collect(),
            DataType::Boolean => s.bool().unwrap().iter().map(|v| v.map_or(V::Null, V::B)).collect(),
            DataType::Date => {
                let days = s.cast(&DataType::Int32).unwrap();
                let epoch = date(1970, 1, 1);
                days.i32()
                    .unwrap()
                    .iter()
                    .map(|v| v.map_or(V::Null, |d| V::D(epoch + chrono::Duration::days(d as i64))))
                    .collect()
            }
            other => panic!("unexpected dtype {other:?} of column {name}"),
        };
        for (rec, v) in out.iter_mut().zip(vals) {
            rec.0.insert(name.clone(), v);
        }
    }
    out
}

/// The frame rows of one sheet, in sheet order.
pub fn sheet_records(ing: &Ingested, kind: Kind, file: &str, sheet: &str) -> Vec<Rec> {
    let mut recs: Vec<Rec> = records(ing.ledgers.get(kind))
        .into_iter()
        .filter(|r| r.s("source_file") == Some(file) && r.s("sheet") == Some(sheet))
        .collect();
    recs.sort_by_key(|r| r.i("row"));
    recs
}

/// One column of a sheet's records as text.
pub fn strs(recs: &[Rec], name: &str) -> Vec<Option<String>> {
    recs.iter().map(|r| r.s(name).map(str::to_string)).collect()
}

pub fn nums(recs: &[Rec], name: &str) -> Vec<Option<f64>> {
    recs.iter().map(|r| r.f(name)).collect()
}

pub fn rows(recs: &[Rec]) -> Vec<i64> {
    recs.iter().map(|r| r.i("row").unwrap()).collect()
}

/// Compares two columns of optional floats with a tolerance (unit
/// conversions multiply by 10,000, so 0.3 × 10,000 may be 2999.9999999999995).
#[track_caller]
pub fn assert_nums(actual: &[Option<f64>], expected: &[Option<f64>]) {
    let same = actual.len() == expected.len()
        && actual.iter().zip(expected).all(|(a, e)| match (a, e) {
            (None, None) => true,
            (Some(a), Some(e)) => (a - e).abs() <= 1e-9 * e.abs().max(1.0),
            _ => false,
        });
    assert!(same, "numbers differ:\n  actual:   {actual:?}\n  expected: {expected:?}");
}

pub fn some(v: &[f64]) -> Vec<Option<f64>> {
    v.iter().copied().map(Some).collect()
}

pub fn texts(v: &[&str]) -> Vec<Option<String>> {
    v.iter().map(|s| Some(s.to_string())).collect()
}

/// Every part of a zip (an xlsx or docx) by its name.
pub fn unzip(bytes: Vec<u8>) -> std::collections::HashMap<String, Vec<u8>> {
    use std::io::Read;
    let mut zip = ::zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut parts = std::collections::HashMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        parts.insert(f.name().unwrap().to_string(), data);
    }
    parts
}
