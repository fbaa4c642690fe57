//! Batches: one upload and everything made from it, in its own folder.
//!
//! `<data>/batches/<id>/` holds `input/` (the ledgers under names the server
//! made), `check.json` (the data-quality block of the check), `out/` (what
//! `run` wrote), `returns/` (the towns' issue lists, when written) and two
//! small records: `batch.json` (what was uploaded) and `run.json` (the last
//! run's period and figures). Ids are made by the server from the clock and a
//! random suffix, and every id coming back in a URL is checked against that
//! shape before it touches the disk, so a URL can never name another folder.

use crate::error::Error;
use crate::quality::DataQuality;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// One file the server kept.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Stored {
    /// The name in `input/` (made by the server).
    pub name: String,
    /// The name the clerk's browser gave, for display only.
    pub original: String,
    pub bytes: u64,
}

/// One file the server did not keep, and why.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Skipped {
    pub original: String,
    pub reason: String,
}

/// `batch.json`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct BatchMeta {
    pub id: String,
    /// Local time of the upload, `YYYY-MM-DD HH:MM`.
    pub created: String,
    pub stored: Vec<Stored>,
    pub skipped: Vec<Skipped>,
}

/// One figure of the run summary, already in words.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Kpi {
    pub label: String,
    pub value: String,
    /// A second line (time progress, target …), may be empty.
    pub note: String,
}

/// `run.json`: how the last run of a batch ended.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RunRecord {
    /// The period as chosen (`2025H1`).
    pub period: String,
    /// The as-of month in words (`2025年1—6月`), when the run succeeded.
    pub as_of: Option<String>,
    pub finished: String,
    pub seconds: f64,
    /// The Chinese reason when the run failed.
    pub error: Option<String>,
    pub kpis: Vec<Kpi>,
}

/// The folder of one batch.
#[derive(Debug, Clone)]
pub struct Batch {
    pub id: String,
    pub dir: PathBuf,
}

/// Whether `id` has the shape the server makes: `YYYYMMDD-HHMMSS-xxxx`.
pub fn valid_id(id: &str) -> bool {
    let b = id.as_bytes();
    b.len() == 20
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 15 => *c == b'-',
            0..=14 => c.is_ascii_digit(),
            _ => c.is_ascii_digit() || (b'a'..=b'f').contains(c),
        })
}

fn batches_dir(data: &Path) -> PathBuf {
    data.join("batches")
}

fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<(), Error> {
    let text = serde_json::to_vec_pretty(value).map_err(|e| Error::Internal(e.to_string()))?;
    crate::report::write_atomic(path, &text)
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Option<T> {
    std::fs::read(path).ok().and_then(|b| serde_json::from_slice(&b).ok())
}

impl Batch {
    /// A new, empty batch with a fresh id. The folder is made with
    /// `create_dir` (not `_all`), so two uploads in the same second never
    /// share one: a taken id is simply drawn again.
    pub fn create(data: &Path) -> Result<Batch, Error> {
        std::fs::create_dir_all(batches_dir(data))
            .map_err(|e| Error::Output(format!("无法建立数据文件夹：{}", crate::error::io_reason(&e))))?;
        let mut last_error = None;
        for _ in 0..8 {
            let now = chrono::Local::now();
            let mut suffix = [0u8; 2];
            getrandom::fill(&mut suffix).map_err(|e| Error::Internal(format!("无法生成批次编号：{e}")))?;
            let id = format!("{}-{:02x}{:02x}", now.format("%Y%m%d-%H%M%S"), suffix[0], suffix[1]);
            let dir = batches_dir(data).join(&id);
            match std::fs::create_dir(&dir) {
                Ok(()) => {
                    std::fs::create_dir(dir.join("input"))
                        .map_err(|e| Error::Output(format!("无法建立批次文件夹：{}", crate::error::io_reason(&e))))?;
                    let batch = Batch { id: id.clone(), dir };
                    let created = now.format("%Y-%m-%d %H:%M").to_string();
                    batch.save_meta(&BatchMeta { id, created, ..Default::default() })?;
                    return Ok(batch);
                }
                Err(e) => last_error = Some(e),
            }
        }
        Err(Error::Output(format!(
            "无法建立批次文件夹：{}",
            last_error.map(|e| crate::error::io_reason(&e)).unwrap_or_default()
        )))
    }

    /// An existing batch, if `id` is well-formed and its folder exists.
    pub fn open(data: &Path, id: &str) -> Option<Batch> {
        if !valid_id(id) {
            return None;
        }
        let dir = batches_dir(data).join(id);
        dir.join("batch.json").is_file().then(|| Batch { id: id.to_string(), dir })
    }

    pub fn input(&self) -> PathBuf {
        self.dir.join("input")
    }
    pub fn out(&self) -> PathBuf {
        self.dir.join("out")
    }
    pub fn returns(&self) -> PathBuf {
        self.dir.join("returns")
    }

    pub fn meta(&self) -> BatchMeta {
        read_json(&self.dir.join("batch.json")).unwrap_or_default()
    }
    pub fn save_meta(&self, meta: &BatchMeta) -> Result<(), Error> {
        write_json(&self.dir.join("batch.json"), meta)
    }

    pub fn quality(&self) -> Option<DataQuality> {
        read_json(&self.dir.join("check.json"))
    }
    pub fn save_quality(&self, q: &DataQuality) -> Result<(), Error> {
        write_json(&self.dir.join("check.json"), q)
    }

    pub fn last_run(&self) -> Option<RunRecord> {
        read_json(&self.dir.join("run.json"))
    }
    pub fn save_run(&self, r: &RunRecord) -> Result<(), Error> {
        write_json(&self.dir.join("run.json"), r)
    }

    /// Removes a batch that never got a usable file.
    pub fn discard(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Every batch, newest first.
pub fn list(data: &Path) -> Vec<Batch> {
    let mut ids: Vec<String> = std::fs::read_dir(batches_dir(data))
        .map(|rd| rd.filter_map(|e| e.ok()).filter_map(|e| e.file_name().to_str().map(str::to_string)).collect())
        .unwrap_or_default();
    ids.retain(|id| valid_id(id));
    ids.sort_unstable_by(|a, b| b.cmp(a));
    ids.iter().filter_map(|id| Batch::open(data, id)).collect()
}

/// The plain files directly in `dir`, sorted by name (hidden and partial
/// files, which start with a dot, are left out).
pub fn files_in(dir: &Path) -> Vec<(String, u64)> {
    let mut files: Vec<(String, u64)> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .filter_map(|e| {
                    let name = e.file_name().to_str()?.to_string();
                    let len = e.metadata().map(|m| m.len()).unwrap_or(0);
                    (!name.starts_with('.')).then_some((name, len))
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}
