//! The library's work for a batch, on tokio's blocking pool: the check after
//! an upload and the run the clerk starts. Both call the same functions as
//! the command line (`ingest::ingest`, `app::run`), so the page and
//! `statbrief check` / `run` can never disagree.

use crate::app::{self, RunOptions};
use crate::ingest::{self, Ingested};
use crate::quality::{DataQuality, Issue, Severity};
use crate::serve::batches::{Batch, RunRecord};
use crate::serve::{figures, pages, AppState, Running};
use crate::stats::AsOf;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::time::Instant;

/// Checks a batch's ledgers and keeps the data-quality block (blocking).
pub fn check_batch(batch: &Batch) {
    let quality = match ingest::ingest(&batch.input()) {
        Ok(ingested) => {
            write_returns(&ingested, batch);
            ingested.quality
        }
        // The folder could not be read at all: one issue, built as every
        // other issue is.
        Err(e) => DataQuality { files: Vec::new(), issues: vec![Issue::new(Severity::Error, "", e.to_string())] },
    };
    let _ = batch.save_quality(&quality);
}

/// The towns' issue lists (`check --returns`), written into `returns/`:
/// the same writer as the command line. A failure here only means there are
/// no lists to download; the check itself is already shown.
fn write_returns(ingested: &Ingested, batch: &Batch) {
    let _ = crate::report::returns::write_returns(&ingested.quality, &batch.input(), &batch.returns());
}

#[derive(Deserialize)]
pub struct RunForm {
    pub period: String,
}

/// `POST /batch/{id}/run`: starts a run and goes to the run page, which
/// shows progress until the run is done.
pub async fn start_run(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: Result<Form<RunForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return pages::error_page(
            &state,
            StatusCode::BAD_REQUEST,
            "没有选择统计期",
            "请在页面上选择统计期后再生成。",
            true,
        );
    };
    let Some(batch) = Batch::open(&state.settings.data_dir, &id) else { return pages::not_found(State(state)).await };
    let period = form.period.trim().to_string();
    if let Err(e) = AsOf::parse(&period) {
        return pages::error_page(&state, StatusCode::BAD_REQUEST, "统计期无法识别", &e.to_string(), true);
    }
    let to = format!("{}/batch/{}/run", state.settings.base(), batch.id);
    let redirect = (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response();
    {
        let mut running = state.running.lock().unwrap_or_else(|p| p.into_inner());
        if running.contains_key(&batch.id) {
            return redirect;
        }
        running.insert(batch.id.clone(), Running { period: period.clone(), started: Instant::now() });
    }
    let state2 = state.clone();
    tokio::spawn(async move {
        let b = batch.clone();
        let p = period.clone();
        let started = Instant::now();
        let joined = tokio::task::spawn_blocking(move || run_batch(&b, &p)).await;
        let mut record = joined
            .unwrap_or_else(|_| RunRecord {
                error: Some("运行时出现内部错误，请重试。".into()), ..Default::default()
            });
        record.period = period;
        record.seconds = started.elapsed().as_secs_f64();
        record.finished = chrono::Local::now().format("%Y-%m-%d %H:%M").to_string();
        let _ = batch.save_run(&record);
        state2.running.lock().unwrap_or_else(|p| p.into_inner()).remove(&batch.id);
    });
    redirect
}

/// One run of `app::run` into the batch's `out/` (blocking).
fn run_batch(batch: &Batch, period: &str) -> RunRecord {
    let opts = RunOptions {
        input: batch.input(),
        out: batch.out(),
        period: Some(period.to_string()),
        config: None,
        templates: None,
        strict: false,
        limits: crate::ingest::Limits::default(),
    };
    match app::run(&opts) {
        Ok(_) => {
            let metrics =
                std::fs::read(batch.out().join("metrics.json")).ok().and_then(|b| serde_json::from_slice(&b).ok());
            match metrics {
                Some(m) => RunRecord { as_of: figures::as_of_words(&m), kpis: figures::kpis(&m), ..Default::default() },
                None => RunRecord {
                    error: Some("运行结束，但没有找到 metrics.json".into()), ..Default::default()
                },
            }
        }
        Err(e) => RunRecord { error: Some(e.to_string()), ..Default::default() },
    }
}
