//! Downloads: what a run wrote into `out/`, the towns' issue lists in
//! `returns/`, and the tidy data zipped on request.
//!
//! A name in a download URL is never joined to a path as it is: it must be
//! one of the names listed in that folder by the server, so `..`, slashes or
//! an encoded separator simply match nothing. Every download is an
//! attachment with its name in `filename*=UTF-8''…`, since towns' lists
//! carry Chinese names.

use crate::serve::batches::{files_in, Batch};
use crate::serve::{pages, security, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use std::io::{Cursor, Write};

/// The name the tidy data's zip is downloaded under.
pub const TIDY_ZIP: &str = "整理后数据.zip";

/// Content type by extension; unknown files are plain bytes.
pub fn content_type(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).as_deref() {
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("html") => "text/html; charset=utf-8",
        Some("md") => "text/markdown; charset=utf-8",
        Some("json") => "application/json",
        Some("csv") => "text/csv; charset=utf-8",
        Some("zip") => "application/zip",
        _ => "application/octet-stream",
    }
}

/// Serves `name` if it is one of the files listed in `dir`.
async fn listed_file(state: AppState, dir: std::path::PathBuf, name: String) -> Response {
    let found = tokio::task::spawn_blocking(move || {
        let listed = files_in(&dir).into_iter().any(|(n, _)| n == name);
        let bytes = if listed { std::fs::read(dir.join(&name)).ok() } else { None };
        bytes.map(|b| (name, b))
    })
    .await
    .ok()
    .flatten();
    match found {
        Some((name, bytes)) => security::attachment(&name, content_type(&name), bytes),
        None => pages::not_found(State(state)).await,
    }
}

/// `GET /batch/{id}/out/{name}`: a file of the last run.
pub async fn output(State(state): State<AppState>, Path((id, name)): Path<(String, String)>) -> Response {
    match Batch::open(&state.settings.data_dir, &id) {
        Some(b) => listed_file(state, b.out(), name).await,
        None => pages::not_found(State(state)).await,
    }
}

/// `GET /batch/{id}/returns/{name}`: one town's issue list.
pub async fn returned(State(state): State<AppState>, Path((id, name)): Path<(String, String)>) -> Response {
    match Batch::open(&state.settings.data_dir, &id) {
        Some(b) => listed_file(state, b.returns(), name).await,
        None => pages::not_found(State(state)).await,
    }
}

/// Zips the files of `out/data/` (the tidy Parquet and CSV of the run).
pub fn zip_tidy(data_dir: &std::path::Path) -> Option<Vec<u8>> {
    let files = files_in(data_dir);
    if files.is_empty() {
        return None;
    }
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, _) in files {
        let bytes = std::fs::read(data_dir.join(&name)).ok()?;
        zip.start_file(format!("data/{name}"), options).ok()?;
        zip.write_all(&bytes).ok()?;
    }
    zip.finish().ok().map(Cursor::into_inner)
}

/// `GET /batch/{id}/tidy.zip`: the tidy data of the last run as one zip.
pub async fn tidy_zip(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let Some(batch) = Batch::open(&state.settings.data_dir, &id) else { return pages::not_found(State(state)).await };
    let zipped = tokio::task::spawn_blocking(move || zip_tidy(&batch.out().join("data"))).await.ok().flatten();
    match zipped {
        Some(bytes) => security::attachment(TIDY_ZIP, "application/zip", bytes),
        None => pages::error_page(
            &state,
            StatusCode::NOT_FOUND,
            "还没有整理后的数据",
            "请先在“生成简报”一步运行一次。",
            true,
        ),
    }
}
