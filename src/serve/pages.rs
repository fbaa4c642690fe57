//! The pages: home (upload and history), check and run, rendered on the
//! server from the minijinja templates in `templates/serve/`, which are
//! compiled into the binary together with the page's one stylesheet and one
//! script — nothing is read from a directory at run time, and nothing is
//! fetched from anywhere else.

use crate::quality::{DataQuality, Severity};
use crate::serve::batches::{self, files_in, Batch};
use crate::serve::figures::{self, PeriodOption};
use crate::serve::{security, AppState};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use minijinja::{AutoEscape, Environment, Value};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Issues listed on the check page at once; the filter narrows the rest.
const ISSUES_SHOWN: usize = 500;

const TEMPLATES: [(&str, &str); 5] = [
    ("base.html.j2", include_str!("../../templates/serve/base.html.j2")),
    ("home.html.j2", include_str!("../../templates/serve/home.html.j2")),
    ("check.html.j2", include_str!("../../templates/serve/check.html.j2")),
    ("run.html.j2", include_str!("../../templates/serve/run.html.j2")),
    ("error.html.j2", include_str!("../../templates/serve/error.html.j2")),
];
const CSS: &str = include_str!("../../templates/serve/serve.css");
const JS: &str = include_str!("../../templates/serve/serve.js");

/// The page templates, HTML-escaped, strict about undefined variables.
pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    for (name, source) in TEMPLATES {
        // The templates are compiled in, so an error here is a programming
        // error that every handler test would show; the server still starts.
        if let Err(e) = env.add_template(name, source) {
            eprintln!("statbrief: 网页模板 {name} 有误：{e}");
        }
    }
    env
}

fn render(state: &AppState, status: StatusCode, name: &str, ctx: serde_json::Value) -> Response {
    let mut ctx = ctx;
    if let Some(map) = ctx.as_object_mut() {
        map.insert("base".into(), json!(state.settings.base()));
        map.entry("public").or_insert(json!(false));
        map.entry("step").or_insert(json!(0));
    }
    let html = state.templates.get_template(name).and_then(|t| t.render(Value::from_serialize(&ctx)));
    match html {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, format!("页面生成出错：{e}")).into_response(),
    }
}

/// An error page. `links` is false when the request did not show the token
/// (a refused Host or token): then the page names no URL of ours at all.
pub fn error_page(state: &AppState, status: StatusCode, title: &str, message: &str, links: bool) -> Response {
    render(state, status, "error.html.j2", json!({ "title": title, "message": message, "public": !links }))
}

pub async fn not_found(State(state): State<AppState>) -> Response {
    error_page(&state, StatusCode::NOT_FOUND, "找不到页面", "这个地址没有内容；请从首页重新进入。", true)
}

/// `GET /static/{name}`: the embedded stylesheet and script.
pub async fn asset(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    let (body, ty) = match name.as_str() {
        "serve.css" => (CSS, "text/css; charset=utf-8"),
        "serve.js" => (JS, "text/javascript; charset=utf-8"),
        _ => return not_found(State(state)).await,
    };
    ([(header::CONTENT_TYPE, ty)], body).into_response()
}

/// One line of the history.
#[derive(Serialize)]
struct HistoryRow {
    id: String,
    created: String,
    files: usize,
    period: Option<String>,
    as_of: Option<String>,
    error: bool,
    kpis: Vec<batches::Kpi>,
    rejected: u64,
}

/// `GET /`: the upload area and the earlier batches.
pub async fn home(State(state): State<AppState>) -> Response {
    let data = state.settings.data_dir.clone();
    let rows = tokio::task::spawn_blocking(move || {
        batches::list(&data)
            .into_iter()
            .map(|b| {
                let meta = b.meta();
                let run = b.last_run();
                HistoryRow {
                    id: b.id.clone(),
                    created: meta.created,
                    files: meta.stored.len(),
                    period: run.as_ref().map(|r| r.period.clone()),
                    as_of: run.as_ref().and_then(|r| r.as_of.clone()),
                    error: run.as_ref().is_some_and(|r| r.error.is_some()),
                    kpis: run.map(|r| r.kpis.into_iter().take(3).collect()).unwrap_or_default(),
                    rejected: b.quality().map(|q| q.rejected_rows()).unwrap_or(0),
                }
            })
            .collect::<Vec<_>>()
    })
    .await
    .unwrap_or_default();
    let mb = state.settings.body_limit / (1024 * 1024);
    render(&state, StatusCode::OK, "home.html.j2", json!({ "step": 1, "history": rows, "limit_mb": mb }))
}

#[derive(Deserialize, Default)]
pub struct IssueFilter {
    #[serde(default)]
    pub file: String,
    #[serde(default)]
    pub severity: String,
}

/// The per-file, per-sheet table of `check`.
fn sheet_rows(q: &DataQuality) -> Vec<serde_json::Value> {
    let mut rows = Vec::new();
    for f in &q.files {
        if let Some(err) = &f.error {
            rows.push(json!({ "file": f.path, "sheet": "", "skipped": err, "unreadable": true }));
        }
        for s in &f.sheets {
            rows.push(json!({
                "file": f.path,
                "sheet": if s.hidden { format!("{}（隐藏）", s.sheet) } else { s.sheet.clone() },
                "kind": s.kind.map(|k| k.chinese()).unwrap_or(""),
                "period": s.period.clone().unwrap_or_default(),
                "rows": s.rows, "accepted": s.accepted, "rejected": s.rejected,
                "blank": s.blank, "total_rows": s.total_rows,
                "skipped": s.skipped_reason.clone().unwrap_or_default(),
                "unreadable": false,
            }));
        }
    }
    rows
}

fn severity_of(s: &str) -> Option<Severity> {
    match s {
        "error" => Some(Severity::Error),
        "warning" => Some(Severity::Warning),
        "info" => Some(Severity::Info),
        _ => None,
    }
}

/// The issues the filter lets through, at most [`ISSUES_SHOWN`], and how many matched.
fn issue_rows(q: &DataQuality, filter: &IssueFilter) -> (Vec<serde_json::Value>, usize) {
    let severity = severity_of(&filter.severity);
    let matching: Vec<_> = q
        .issues
        .iter()
        .filter(|i| filter.file.is_empty() || i.file == filter.file)
        .filter(|i| severity.is_none_or(|s| i.severity == s))
        .collect();
    let rows = matching
        .iter()
        .take(ISSUES_SHOWN)
        .map(|i| {
            let place = match (&i.sheet, &i.cell) {
                (Some(s), Some(c)) => format!("{s}!{c}"),
                (Some(s), None) => s.clone(),
                _ => String::new(),
            };
            json!({
                "severity": i.severity, "severity_cn": i.severity.chinese(), "file": i.file,
                "place": place, "value": i.value.clone().unwrap_or_default(), "message": i.message,
            })
        })
        .collect();
    (rows, matching.len())
}

/// `GET /batch/{id}`: step 2, what is wrong in the ledgers.
pub async fn check(
    State(state): State<AppState>,
    Path(id): Path<String>,
    filter: Result<Query<IssueFilter>, QueryRejection>,
) -> Response {
    // A filter that cannot be read (a hand-edited URL) shows everything.
    let filter = filter.map(|Query(f)| f).unwrap_or_default();
    let Some(batch) = Batch::open(&state.settings.data_dir, &id) else { return not_found(State(state)).await };
    let b = batch.clone();
    let loaded = tokio::task::spawn_blocking(move || (b.meta(), b.quality(), files_in(&b.returns()))).await;
    let Ok((meta, Some(q), returns)) = loaded else {
        return error_page(
            &state,
            StatusCode::NOT_FOUND,
            "还没有检查结果",
            "这一批台账没有检查结果，请重新上传。",
            true,
        );
    };
    let (issues, matched) = issue_rows(&q, &filter);
    let files: Vec<&str> = q.files.iter().map(|f| f.path.as_str()).collect();
    let ctx = json!({
        "step": 2, "id": batch.id, "meta": meta, "sheets": sheet_rows(&q), "files": files,
        "issues": issues, "matched": matched, "shown": ISSUES_SHOWN,
        "filter": { "file": filter.file, "severity": filter.severity },
        "counts": { "error": q.count(Severity::Error), "warning": q.count(Severity::Warning), "info": q.count(Severity::Info) },
        "rejected": q.rejected_rows(),
        "returns": returns.into_iter().map(|(n, len)| json!({ "href": security::percent_encode(&n), "name": n, "size": human_size(len) })).collect::<Vec<_>>(),
    });
    render(&state, StatusCode::OK, "check.html.j2", ctx)
}

/// What each output file is, for the download list.
fn describe(name: &str) -> &'static str {
    match name {
        "briefing.xlsx" => "简报工作簿（Excel）",
        "briefing.docx" => "简报文稿（Word）",
        "briefing.html" => "简报网页（可打印）",
        "article.md" => "文字稿（Markdown）",
        "metrics.json" => "全部指标（JSON）",
        _ => "输出文件",
    }
}

/// `1.2 MB`, `35 KB`.
pub fn human_size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// `GET /batch/{id}/run`: step 3, the period form, progress, then results.
pub async fn run_page(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let Some(batch) = Batch::open(&state.settings.data_dir, &id) else { return not_found(State(state)).await };
    let running = state.running.lock().unwrap_or_else(|p| p.into_inner()).get(&batch.id).cloned();
    let b = batch.clone();
    let loaded = tokio::task::spawn_blocking(move || {
        let out = b.out();
        let article = std::fs::read_to_string(out.join("article.md")).ok();
        let tidy = !files_in(&out.join("data")).is_empty();
        (b.quality(), b.last_run(), files_in(&out), article, tidy)
    })
    .await;
    let Ok((quality, last, outputs, article, tidy)) = loaded else { return not_found(State(state)).await };
    let periods: Vec<PeriodOption> = quality.as_ref().map(figures::period_options).unwrap_or_default();
    let succeeded = last.as_ref().is_some_and(|r| r.error.is_none());
    // The briefing first, in the order an office uses them; other files after.
    let order = ["briefing.xlsx", "briefing.docx", "briefing.html", "article.md", "metrics.json"];
    let mut outputs = outputs;
    outputs.sort_by_key(|(n, _)| (order.iter().position(|o| o == n).unwrap_or(order.len()), n.clone()));
    let outputs: Vec<_> = if succeeded {
        outputs.into_iter().map(|(n, len)| json!({ "href": security::percent_encode(&n), "what": describe(&n), "size": human_size(len), "name": n })).collect()
    } else {
        Vec::new()
    };
    let selected = running
        .as_ref()
        .map(|r| r.period.clone())
        .or_else(|| last.as_ref().map(|r| r.period.clone()))
        .or_else(|| periods.first().map(|p| p.value.clone()))
        .unwrap_or_default();
    let ctx = json!({
        "step": 3, "id": batch.id, "periods": periods, "selected": selected,
        "running": running.as_ref().map(|r| json!({ "period": r.period, "seconds": r.started.elapsed().as_secs() })),
        "last": last, "succeeded": succeeded, "outputs": outputs, "tidy": succeeded && tidy,
        "tidy_name": crate::serve::downloads::TIDY_ZIP,
        "article": if succeeded { article } else { None },
    });
    render(&state, StatusCode::OK, "run.html.j2", ctx)
}
