//! Ingestion: a folder of ledgers in, four normalised tables and the
//! data-quality report out.
//!
//! Files are found recursively and sorted by path, read in parallel (one
//! rayon task per file), and each file is read inside `catch_unwind`: a
//! workbook that makes calamine panic is reported as unreadable and the run
//! goes on. Results are put back in path order, so the output does not
//! depend on which thread finished first.

pub mod columns;
pub mod coverage;
pub mod csv_text;
pub mod folds;
pub mod formula_cache;
pub mod frame;
pub mod header;
pub mod html_table;
pub mod limits;
pub mod period;
pub mod resent;
pub mod second_table;
pub mod sheet;
pub mod sniff;
pub mod template_marks;
pub mod values;
pub mod workbook;
pub mod xls_guard;
pub mod xlsx_merges;
pub mod zip_guard;

pub use limits::Limits;

use crate::error::Error;
use crate::model::Kind;
use crate::quality::{DataQuality, FileReport, Issue, Severity};
use polars::prelude::*;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};
use workbook::FileContent;

pub const EXTENSIONS: [&str; 6] = ["xlsx", "xlsm", "xls", "xlsb", "ods", "csv"];

/// The four normalised ledgers (schemas in [`frame::schema`]).
#[derive(Debug, Clone)]
pub struct Ledgers {
    pub projects: DataFrame,
    pub indicators: DataFrame,
    pub visits: DataFrame,
    pub targets: DataFrame,
}

impl Ledgers {
    /// Every column in one chunk, done once and column by column: a string
    /// column's rechunk copies its 16-byte views, not its text, and frees
    /// the old chunks as it goes. The statistics' column readers and the
    /// tidy writers then read in place; each statistic rechunking its own
    /// copy held ~170 MB more at province scale. The columns of a frame are
    /// rechunked two at a time (polars' pool, one per core): one at a time
    /// left a core idle for ~0.4 s of the province run, and two columns'
    /// copies at once are a few MB more.
    pub fn rechunk_all(&mut self) {
        for df in [&mut self.projects, &mut self.indicators, &mut self.visits, &mut self.targets] {
            df.rechunk_mut_par();
        }
    }

    pub fn get(&self, kind: Kind) -> &DataFrame {
        match kind {
            Kind::Projects => &self.projects,
            Kind::Indicators => &self.indicators,
            Kind::Visits => &self.visits,
            Kind::Targets => &self.targets,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Ingested {
    pub ledgers: Ledgers,
    pub quality: DataQuality,
}

impl Ingested {
    /// True when at least one sheet was read as a ledger.
    pub fn has_ledger(&self) -> bool {
        self.quality.files.iter().flat_map(|f| &f.sheets).any(|s| s.kind.is_some() && s.skipped_reason.is_none())
    }
}

/// Every ledger file below `root`, sorted by path.
pub fn discover(root: &Path) -> Result<Vec<PathBuf>, Error> {
    if !root.exists() {
        return Err(Error::Input(format!("输入文件夹不存在：{}", root.display())));
    }
    if !root.is_dir() {
        return Err(Error::Input(format!("输入路径不是文件夹：{}", root.display())));
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::Input(format!("无法读取文件夹 {}：{e}", root.display())))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let ext = extension(entry.path());
        if EXTENSIONS.contains(&ext.as_str()) {
            files.push(entry.into_path());
        }
    }
    files.sort();
    Ok(files)
}

fn extension(p: &Path) -> String {
    p.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase()
}

/// Path relative to the input folder with `/` separators, as reports show it.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

struct FileOutcome {
    report: FileReport,
    issues: Vec<Issue>,
    frames: Vec<(Kind, DataFrame, resent::SheetPeriods)>,
}

thread_local! {
    /// The message of a panic caught while reading a file on this thread.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs, once, a panic hook that keeps panics from file readers quiet
/// (they are reported as unreadable files) and leaves others to the default hook.
fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let reading = READING.with(Cell::get);
            if reading {
                let msg = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "未知错误".into());
                LAST_PANIC.with(|p| *p.borrow_mut() = Some(msg));
            } else {
                default(info);
            }
        }));
    });
}

thread_local! {
    static READING: Cell<bool> = const { Cell::new(false) };
}

fn read_one(root: &Path, path: &Path) -> FileOutcome {
    let rel = relative(root, path);
    let mut report = FileReport { path: rel.clone(), ..Default::default() };
    let mut issues = Vec::new();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            let msg = format!("无法读取文件：{e}");
            issues.push(file_issue(&rel, Severity::Error, &msg));
            report.error = Some(msg);
            return FileOutcome { report, issues, frames: Vec::new() };
        }
    };
    report.sha256 = hex(&Sha256::digest(&bytes));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if name.starts_with("~$") {
        let msg = "Excel 打开文件时留下的临时锁文件，不是台账".to_string();
        issues.push(file_issue(&rel, Severity::Info, &msg));
        report.error = Some(msg);
        return FileOutcome { report, issues, frames: Vec::new() };
    }
    let ext = extension(path);
    READING.with(|r| r.set(true));
    // The content decides the reader, not the extension (see `sniff`).
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        sniff::read_file(&rel, &stem, &ext, &bytes)
    }));
    READING.with(|r| r.set(false));
    let content = match result {
        Ok((c, notes)) => {
            issues.extend(notes.iter().map(|n| file_issue(&rel, Severity::Info, n)));
            c
        }
        Err(_) => {
            let why = LAST_PANIC.with(|p| p.borrow_mut().take()).unwrap_or_default();
            FileContent::Unreadable(format!("读取器崩溃（文件可能已损坏）：{why}"))
        }
    };
    let mut frames = Vec::new();
    match content {
        FileContent::Unreadable(why) => {
            let msg = format!("无法打开：{why}");
            issues.push(file_issue(&rel, Severity::Error, &msg));
            report.error = Some(msg);
        }
        FileContent::Sheets(sheets) => {
            if sheets.is_empty() {
                issues.push(file_issue(&rel, Severity::Info, "工作簿中没有工作表"));
            }
            for s in sheets {
                if let Some(note) = sniff::header_only_note(&s.report) {
                    issues.push(file_issue(&rel, Severity::Warning, &note).in_sheet(&s.report.sheet));
                }
                for mut i in s.issues {
                    i.file = rel.clone();
                    issues.push(i);
                }
                if let Some((kind, df)) = s.frame {
                    if df.height() > 0 {
                        frames.push((kind, df, s.periods));
                    }
                }
                report.sheets.push(s.report);
            }
        }
    }
    FileOutcome { report, issues, frames }
}

fn file_issue(file: &str, severity: Severity, message: &str) -> Issue {
    Issue::new(severity, file, message)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads every ledger below `root`. Fails only when the folder cannot be
/// listed; unreadable files and sheets are reported in the data quality.
pub fn ingest(root: &Path) -> Result<Ingested, Error> {
    ingest_with(root, &Limits::default())
}

/// [`ingest`] within `limits`: a file above the size limit stops the run
/// before anything is read; once the rows read pass the row limit, the
/// files not yet started are not read and the run stops.
pub fn ingest_with(root: &Path, limits: &Limits) -> Result<Ingested, Error> {
    // The office's town names, for ledgers sent one file per town: from the
    // folder's statbrief.toml when it has a readable one (`run` passes its own).
    let config = crate::config::Config::load(None, root).unwrap_or_default();
    ingest_in(root, limits, &sheet::region_context::RegionNames::from_config(&config))
}

/// [`ingest_with`] with the office's region names (`region_order`, area,
/// office), which a sheet without a region column may take its region from.
pub fn ingest_in(root: &Path, limits: &Limits, names: &sheet::region_context::RegionNames) -> Result<Ingested, Error> {
    let files = discover(root)?;
    let mut sizes = Vec::with_capacity(files.len());
    for p in &files {
        let len = std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        limits.check_file(&relative(root, p), len)?;
        sizes.push(len);
    }
    install_panic_hook();
    crate::progress::start_reading(files.len(), sizes.iter().sum());
    let rows = limits::RowCounter::default();
    let outcomes: Vec<FileOutcome> = files
        .par_iter()
        .zip(&sizes)
        .filter_map(|(p, &len)| {
            if rows.exceeded(limits.max_rows) {
                return None;
            }
            let started = std::time::Instant::now();
            let o = sheet::region_context::with_names(names, || read_one(root, p));
            crate::progress::file_read(&o.report.path, len, started.elapsed());
            rows.add(o.report.sheets.iter().map(|s| s.rows).sum());
            Some(o)
        })
        .collect();
    crate::progress::done_reading();
    if rows.exceeded(limits.max_rows) {
        return Err(limits.rows_error(rows.total()));
    }
    let mut quality = DataQuality::default();
    let mut parts: Vec<Vec<DataFrame>> = vec![Vec::new(); 4];
    let mut periods: Vec<Vec<resent::SheetPeriods>> = vec![Vec::new(); 4];
    for o in outcomes {
        quality.files.push(o.report);
        quality.issues.extend(o.issues);
        for (kind, df, p) in o.frames {
            parts[kind as usize].push(df);
            periods[kind as usize].push(p);
        }
    }
    let mut frames = Vec::with_capacity(4);
    for ((kind, dfs), periods) in Kind::ALL.into_iter().zip(parts).zip(periods) {
        let df = concat_frames(kind, dfs)?;
        // No key can stand in two sheets that share no period.
        frames.push(if resent::may_repeat(&periods) { resent::dedupe(kind, df, &mut quality)? } else { df });
    }
    let mut it = frames.into_iter();
    let mut next = || it.next().ok_or_else(|| Error::Internal("缺少台账表".into()));
    let ledgers = Ledgers { projects: next()?, indicators: next()?, visits: next()?, targets: next()? };
    Ok(Ingested { ledgers, quality })
}

fn concat_frames(kind: Kind, dfs: Vec<DataFrame>) -> Result<DataFrame, Error> {
    let mut iter = dfs.into_iter();
    let Some(mut acc) = iter.next() else {
        return frame::empty_frame(kind).map_err(Error::from);
    };
    for df in iter {
        acc.vstack_mut_owned(df)?;
    }
    // No rechunk here: `check` reads nothing after ingest, and a rechunk
    // raised its peak by ~110 MB at province scale. `run` rechunks once
    // before the statistics (see `Ledgers::rechunk_all`).
    Ok(acc)
}
