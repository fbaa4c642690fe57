//! Step 1: the ledgers the clerk dropped become a new batch.
//!
//! Files arrive as one multipart request (dropped files, a dropped folder, or
//! chosen ones; a `.zip` of ledgers too). Each is kept under a name the server
//! makes: only the last component of the client's name is looked at, and only
//! its letters, digits (Chinese included, because the file name often carries
//! the period, `2025年3月…`) and a few safe signs survive; anything else becomes
//! `_`, leading dots are dropped, and a clash gets `（2）`. A folder named for
//! a town only lends its name to the front of the file's (`城关镇_…`), where
//! ingestion finds the town. No directory from the client is ever created,
//! so no name can reach outside `input/`.
//! Files that are not ledgers are listed as not taken instead of refusing the
//! whole folder, because a dropped folder often holds a Word file or two.

use crate::serve::batches::{Batch, BatchMeta, Skipped, Stored};
use crate::serve::{jobs, pages, security, zipped, AppState};
use axum::body::Bytes;
use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::extract::{Multipart, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use std::collections::HashSet;

/// The settings file is kept too: it holds the office's name and town order.
pub const CONFIG_NAME: &str = "statbrief.toml";
/// Longest kept name, in characters (Windows paths stay short).
const MAX_NAME_CHARS: usize = 80;

/// What an uploaded name is.
#[derive(Debug, PartialEq)]
pub enum Kind {
    Ledger,
    Zip,
    Config,
    Refused(String),
}

/// The last component of a client path (`/` or `\` separated).
pub fn base_name(client: &str) -> &str {
    client.rsplit(['/', '\\']).next().unwrap_or(client)
}

/// Classifies a client name by its base name.
pub fn classify(client: &str) -> Kind {
    let base = base_name(client).trim();
    let lower = base.to_lowercase();
    if base.starts_with("~$") {
        return Kind::Refused("Excel 打开文件时留下的临时锁文件".into());
    }
    if lower == CONFIG_NAME {
        return Kind::Config;
    }
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    if ext == "zip" {
        Kind::Zip
    } else if crate::ingest::EXTENSIONS.contains(&ext) {
        Kind::Ledger
    } else {
        Kind::Refused(format!(
            "不是台账文件（只接收 {}、zip 压缩包和 {CONFIG_NAME}）",
            crate::ingest::EXTENSIONS.join("/")
        ))
    }
}

/// The name a ledger is kept under, made from the client's name as the
/// module comment says, unique among `taken`. None when nothing usable is left.
pub fn server_name(client: &str, taken: &HashSet<String>) -> Option<String> {
    let base = base_name(client);
    let (stem, ext) = base.rsplit_once('.')?;
    let ext = ext.to_ascii_lowercase();
    if !ext.chars().all(|c| c.is_ascii_alphanumeric()) || ext.is_empty() {
        return None;
    }
    let safe = |c: char| c.is_alphanumeric() || "-_()（）【】、—·+".contains(c);
    let cleaned: String = stem.chars().map(|c| if safe(c) { c } else { '_' }).collect();
    let cleaned = cleaned.trim_start_matches(['.', '_']);
    let mut stem: String = cleaned.chars().take(MAX_NAME_CHARS).collect();
    // A folder per town (`城关镇/2025-03_重点项目.xlsx`): folders are not kept,
    // so the town goes into the name, where ingestion finds it (issue 16).
    if let Some(town) = crate::ingest::sheet::region_context::folder_town(client).filter(|t| !stem.contains(t.as_str()))
    {
        stem = format!("{town}_{stem}");
    }
    if stem.is_empty() {
        stem = "台账".into();
    }
    let mut name = format!("{stem}.{ext}");
    let mut n = 2;
    while taken.contains(&name.to_lowercase()) {
        name = format!("{stem}（{n}）.{ext}");
        n += 1;
    }
    Some(name)
}

/// Why an upload was refused as a whole.
pub struct Refusal {
    pub status: StatusCode,
    pub message: String,
}

fn refusal(message: impl Into<String>) -> Refusal {
    Refusal { status: StatusCode::BAD_REQUEST, message: message.into() }
}

/// Keeps the files of one upload in `batch` (blocking: file writes, unzip).
pub fn store(batch: &Batch, files: Vec<(String, Bytes)>, unzip_limit: u64) -> Result<BatchMeta, Refusal> {
    let mut meta = batch.meta();
    let mut taken: HashSet<String> = HashSet::new();
    let mut unzipped: u64 = 0;
    for (client, bytes) in files {
        match classify(&client) {
            Kind::Refused(reason) => meta.skipped.push(Skipped { original: client, reason }),
            Kind::Config if taken.contains(CONFIG_NAME) => {
                meta.skipped.push(Skipped { original: client, reason: format!("已有一个 {CONFIG_NAME}") })
            }
            Kind::Config => keep(batch, &mut meta, &mut taken, client, CONFIG_NAME.into(), &bytes)?,
            Kind::Ledger => match server_name(&client, &taken) {
                Some(name) => keep(batch, &mut meta, &mut taken, client, name, &bytes)?,
                None => meta.skipped.push(Skipped { original: client, reason: "文件名不可用".into() }),
            },
            Kind::Zip => {
                let label = base_name(&client).to_string();
                let wanted = |n: &str| matches!(classify(n), Kind::Ledger | Kind::Config);
                let left = unzip_limit.saturating_sub(unzipped);
                let inside = zipped::extract(&label, &bytes, left, wanted).map_err(refusal)?;
                for (name, reason) in inside.skipped {
                    meta.skipped.push(Skipped { original: format!("{label} → {name}"), reason });
                }
                for entry in inside.entries {
                    unzipped += entry.bytes.len() as u64;
                    let shown = format!("{label} → {}", entry.name);
                    let name = match classify(&entry.name) {
                        Kind::Config if !taken.contains(CONFIG_NAME) => Some(CONFIG_NAME.to_string()),
                        Kind::Ledger => server_name(&entry.name, &taken),
                        _ => None,
                    };
                    match name {
                        Some(name) => keep(batch, &mut meta, &mut taken, shown, name, &entry.bytes)?,
                        None => {
                            meta.skipped.push(Skipped { original: shown, reason: "重复或文件名不可用".into() })
                        }
                    }
                }
            }
        }
    }
    if meta.stored.iter().all(|s| s.name == CONFIG_NAME) {
        return Err(refusal("没有收到可以读取的台账文件（xlsx/xlsm/xls/xlsb/ods/csv，或装有它们的 zip 压缩包）。"));
    }
    batch
        .save_meta(&meta)
        .map_err(|e| Refusal { status: StatusCode::INTERNAL_SERVER_ERROR, message: e.to_string() })?;
    Ok(meta)
}

fn keep(
    batch: &Batch,
    meta: &mut BatchMeta,
    taken: &mut HashSet<String>,
    original: String,
    name: String,
    bytes: &[u8],
) -> Result<(), Refusal> {
    let path = batch.input().join(&name);
    std::fs::write(&path, bytes).map_err(|e| Refusal {
        status: StatusCode::INTERNAL_SERVER_ERROR,
        message: format!("无法保存「{name}」：{e}"),
    })?;
    taken.insert(name.to_lowercase());
    meta.stored.push(Stored { name, original, bytes: bytes.len() as u64 });
    Ok(())
}

/// Reads every file part of the request into memory (bounded by the body
/// limit). Parts without a file name (plain form fields) are ignored.
async fn read_parts(state: &AppState, mut multipart: Multipart) -> Result<Vec<(String, Bytes)>, Response> {
    let mut files = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(part_error(state, &e)),
        };
        let Some(name) = field.file_name().map(str::to_string) else { continue };
        if name.is_empty() {
            continue;
        }
        match field.bytes().await {
            Ok(b) => files.push((name, b)),
            Err(e) => return Err(part_error(state, &e)),
        }
    }
    Ok(files)
}

/// Whether a multipart error is the body limit: axum says so itself for its
/// own limit, but the tower-http limit (for bodies without a length) arrives
/// wrapped, so the error chain is looked through for its message.
fn over_limit(e: &MultipartError) -> bool {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return true;
    }
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(err) = source {
        if err.to_string().contains("length limit exceeded") {
            return true;
        }
        source = err.source();
    }
    false
}

fn part_error(state: &AppState, e: &MultipartError) -> Response {
    if over_limit(e) {
        return security::too_large(state);
    }
    pages::error_page(state, StatusCode::BAD_REQUEST, "上传中断", "上传的数据不完整，请重新上传。", true)
}

/// `POST /upload`: a new batch from the files, checked at once; then to the
/// check page (303, so a reload does not post again).
pub async fn upload(State(state): State<AppState>, multipart: Result<Multipart, MultipartRejection>) -> Response {
    let Ok(multipart) = multipart else {
        return pages::error_page(&state, StatusCode::BAD_REQUEST, "上传失败", "请用页面上的上传区域选择文件。", true);
    };
    let files = match read_parts(&state, multipart).await {
        Ok(f) => f,
        Err(resp) => return resp,
    };
    if files.is_empty() {
        return pages::error_page(
            &state,
            StatusCode::BAD_REQUEST,
            "没有文件",
            "没有收到任何文件，请先选择或拖入台账。",
            true,
        );
    }
    let data = state.settings.data_dir.clone();
    let unzip_limit = state.settings.unzip_limit;
    let made = tokio::task::spawn_blocking(move || -> Result<Batch, Refusal> {
        let batch = Batch::create(&data)
            .map_err(|e| Refusal { status: StatusCode::INTERNAL_SERVER_ERROR, message: e.to_string() })?;
        match store(&batch, files, unzip_limit) {
            Ok(_) => {
                jobs::check_batch(&batch);
                Ok(batch)
            }
            Err(r) => {
                batch.discard();
                Err(r)
            }
        }
    })
    .await;
    match made {
        Ok(Ok(batch)) => {
            let to = format!("{}/batch/{}", state.settings.base(), batch.id);
            (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
        }
        Ok(Err(r)) => pages::error_page(&state, r.status, "上传未被接收", &r.message, true),
        Err(_) => {
            pages::error_page(&state, StatusCode::INTERNAL_SERVER_ERROR, "上传失败", "保存文件时出错，请重试。", true)
        }
    }
}
