//! `statbrief serve`: a local web page for the statistics clerks who do the
//! monthly job and do not use a command line.
//!
//! The page is three steps — upload the ledgers into a new batch, see what is
//! wrong in them, run and download the briefing — plus the history of earlier
//! batches. Everything a page shows comes from the library's own functions
//! (`ingest`, `app::run`), called on tokio's blocking pool; this module only
//! stores files, keeps batches apart and renders HTML. Because the server runs
//! on shared office PCs, it listens on loopback only and every request must
//! carry a random token and an allowed `Host` (see [`security`]).

pub mod batches;
pub mod downloads;
pub mod figures;
pub mod jobs;
pub mod pages;
pub mod security;
pub mod upload;
pub mod zipped;

use crate::app::Outcome;
use crate::error::Error;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tower_http::limit::RequestBodyLimitLayer;

/// Default upload limit: a county's year of ledgers is well below this, and
/// axum's own default (2 MB) is smaller than one busy projects workbook.
pub const DEFAULT_BODY_LIMIT: usize = 200 * 1024 * 1024;

/// What `statbrief serve` was asked for on the command line.
pub struct ServeOptions {
    pub port: u16,
    pub data: Option<PathBuf>,
    pub no_open: bool,
    /// Upload limit in bytes.
    pub body_limit: usize,
}

/// Everything the router needs; tests build one with a known token and port.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Where batches are kept (`<data>/batches/<id>/`).
    pub data_dir: PathBuf,
    /// The port the server is reached on, for the `Host` allow-list.
    pub port: u16,
    /// The secret first path segment of every URL.
    pub token: String,
    /// Largest request body accepted (uploads), in bytes.
    pub body_limit: usize,
    /// Largest total of uncompressed bytes taken out of the zips of one upload.
    pub unzip_limit: u64,
}

impl Settings {
    pub fn new(data_dir: PathBuf, port: u16, token: String, body_limit: usize) -> Settings {
        // Ledgers compress about 5:1; four times that still stops a zip bomb.
        let unzip_limit = (body_limit as u64).saturating_mul(20);
        Settings { data_dir, port, token, body_limit, unzip_limit }
    }

    /// The path prefix every page link starts with.
    pub fn base(&self) -> String {
        format!("/{}", self.token)
    }
}

/// A run under way, by batch id.
#[derive(Debug, Clone)]
pub struct Running {
    pub period: String,
    pub started: std::time::Instant,
}

/// The shared state of the handlers.
pub struct Inner {
    pub settings: Settings,
    pub templates: minijinja::Environment<'static>,
    pub running: Mutex<HashMap<String, Running>>,
}

pub type AppState = Arc<Inner>;

/// The whole application: every route under the token, behind the security
/// layers. Layers added later wrap the earlier ones, so a response from any
/// of them (a refused Host, a body too large) still gets the security headers.
pub fn router(settings: Settings) -> Router {
    let limit = settings.body_limit;
    let base = settings.base();
    let state: AppState =
        Arc::new(Inner { templates: pages::environment(), running: Mutex::new(HashMap::new()), settings });
    let at = |p: &str| format!("{base}{p}");
    let mut app = Router::new()
        .route(&at("/"), get(pages::home))
        .route(&base, get(pages::home))
        .route(&at("/static/{name}"), get(pages::asset))
        .route(&at("/upload"), post(upload::upload).layer(DefaultBodyLimit::max(limit)))
        .route(&at("/batch/{id}"), get(pages::check))
        .route(&at("/batch/{id}/run"), get(pages::run_page).post(jobs::start_run))
        .route(&at("/batch/{id}/out/{name}"), get(downloads::output))
        .route(&at("/batch/{id}/returns/{name}"), get(downloads::returned))
        .route(&at("/batch/{id}/tidy.zip"), get(downloads::tidy_zip))
        .fallback(pages::not_found)
        // Multipart framing adds a little to the files themselves.
        .layer(RequestBodyLimitLayer::new(limit.saturating_add(64 * 1024)))
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::guard))
        .with_state(state);
    for layer in security::header_layers() {
        app = app.layer(layer);
    }
    app
}

/// The per-user default data folder: `%LOCALAPPDATA%\statbrief` on Windows,
/// `$XDG_DATA_HOME/statbrief` or `~/.local/share/statbrief` elsewhere.
/// Written by hand: three environment variables do not justify a crate.
pub fn default_data_dir() -> PathBuf {
    let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    if cfg!(windows) {
        if let Some(d) = var("LOCALAPPDATA") {
            return d.join("statbrief");
        }
    }
    if let Some(d) = var("XDG_DATA_HOME") {
        return d.join("statbrief");
    }
    match var("HOME").or_else(|| var("USERPROFILE")) {
        Some(home) => home.join(".local").join("share").join("statbrief"),
        None => PathBuf::from("statbrief-data"),
    }
}

/// Binds the listening socket: IPv4 loopback only, never all interfaces, so
/// no other machine on the office network can reach the page. Port 0 picks
/// a free port.
pub async fn bind(port: u16) -> Result<tokio::net::TcpListener, Error> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    tokio::net::TcpListener::bind(addr).await.map_err(|e| {
        Error::Input(format!(
            "无法在 127.0.0.1:{port} 上启动网页服务（端口可能已被占用，可用 --port 换一个）：{}",
            crate::error::io_reason(&e)
        ))
    })
}

/// `statbrief serve`: runs until Ctrl-C.
pub fn run(opts: &ServeOptions) -> Result<Outcome, Error> {
    let data = opts.data.clone().unwrap_or_else(default_data_dir);
    std::fs::create_dir_all(data.join("batches"))
        .map_err(|e| Error::Output(format!("{}：{}", data.display(), crate::error::io_reason(&e))))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Internal(format!("无法启动网页服务：{}", crate::error::io_reason(&e))))?;
    runtime.block_on(async {
        let listener = bind(opts.port).await?;
        let port = listener.local_addr().map(|a| a.port()).unwrap_or(opts.port);
        let token = security::new_token()?;
        let url = format!("http://127.0.0.1:{port}/{token}/");
        announce(&url, &data);
        if !opts.no_open && open::that_detached(&url).is_err() {
            println!("无法自动打开浏览器，请手动打开上面的地址。");
        }
        let app = router(Settings::new(data.clone(), port, token, opts.body_limit));
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| Error::Internal(format!("网页服务出错：{}", crate::error::io_reason(&e))))
    })?;
    Ok(Outcome { stdout: "网页服务已停止。\n".into(), stderr: None, exit_code: 0 })
}

/// Prints the address at once (scripts and the browser test read it).
fn announce(url: &str, data: &std::path::Path) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "statbrief 网页已启动：{url}");
    let _ = writeln!(out, "（地址中含访问口令，请勿发给他人；数据保存在 {}；按 Ctrl-C 停止）", data.display());
    let _ = out.flush();
}
