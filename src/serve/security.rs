//! The rules that keep a local web server safe on a shared office PC.
//!
//! A server on 127.0.0.1 is still reachable by every user of the machine and,
//! through the browser, by any web page the clerk visits (DNS rebinding,
//! cross-site form posts). So every request must
//! 1. name an allowed `Host` (`localhost`, `127.0.0.1` or `[::1]` with our
//!    port): a rebound DNS name arrives with its own host name and is refused;
//! 2. start its path with the random token printed at start: other users of
//!    the PC and foreign pages cannot guess it;
//! 3. if it changes anything (every method but GET and HEAD), come from our
//!    own origin (`Origin` equal to `http://` + `Host`): browsers always send
//!    `Origin` on such requests, so a missing one is refused too.
//!
//! Every response, refusals included, carries a strict Content-Security-Policy
//! (nothing but our own scripts and styles, no external request of any kind),
//! `X-Content-Type-Options: nosniff`, no referrer to other sites and no caching.

use crate::error::Error;
use crate::serve::AppState;
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::set_header::SetResponseHeaderLayer;

/// The Content-Security-Policy of every response: our own script and style
/// files only (no inline script, so an injected `<script>` cannot run), no
/// request to any other host, no framing, forms post only to us.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// A new random token: 128 bits from the operating system, as 32 hex digits.
pub fn new_token() -> Result<String, Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| Error::Internal(format!("无法生成访问口令：{e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Equality that takes the same time wherever the first difference is, so
/// the token cannot be guessed a character at a time from response times.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The `Host` values we answer to: the three loopback names with our port
/// (and without it when the port is 80, as browsers then omit it).
pub fn host_allowed(host: &str, port: u16) -> bool {
    let host = host.to_ascii_lowercase();
    ["localhost", "127.0.0.1", "[::1]"]
        .iter()
        .any(|name| host == format!("{name}:{port}") || (port == 80 && host == *name))
}

/// Same-origin check of a state-changing request: `Origin` must be exactly
/// `http://` + the (already allowed) `Host`.
pub fn same_origin(headers: &HeaderMap, host: &str) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else { return false };
    origin.eq_ignore_ascii_case(&format!("http://{host}"))
}

/// Whether `path` is under the token: `/<token>` or `/<token>/…`.
pub fn token_ok(path: &str, token: &str) -> bool {
    let rest = path.strip_prefix('/').unwrap_or(path);
    let first = rest.split('/').next().unwrap_or("");
    constant_time_eq(first.as_bytes(), token.as_bytes())
}

/// The guard in front of every route: Host, token, same origin, and the
/// upload size when the client declares it (to answer in Chinese before the
/// body is read; bodies without a length are cut by tower-http's limit).
pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let settings = &state.settings;
    let host = req.headers().get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    if !host_allowed(&host, settings.port) {
        return refuse(
            &state,
            StatusCode::FORBIDDEN,
            "访问被拒绝",
            "只接受从本机地址（127.0.0.1 或 localhost）打开的页面。",
        );
    }
    if !token_ok(req.uri().path(), &settings.token) {
        return refuse(
            &state,
            StatusCode::NOT_FOUND,
            "地址不完整",
            "请使用 statbrief serve 启动时显示的完整地址（含访问口令）打开本页。",
        );
    }
    if req.method() != Method::GET && req.method() != Method::HEAD && !same_origin(req.headers(), &host) {
        return refuse(&state, StatusCode::FORBIDDEN, "请求来源不明", "只接受从本页面提交的操作；请回到首页重新操作。");
    }
    let declared =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > settings.body_limit as u64 + 64 * 1024) {
        return too_large(&state);
    }
    next.run(req).await
}

/// The Chinese answer to an upload above the limit.
pub fn too_large(state: &AppState) -> Response {
    let mb = state.settings.body_limit / (1024 * 1024);
    let msg = format!("上传的文件太大：一次最多 {mb} MB。请分批上传，或用 --max-upload-mb 调大上限后重新启动。");
    refuse(state, StatusCode::PAYLOAD_TOO_LARGE, "文件太大", &msg)
}

/// An error page without links (the request may not know the token).
fn refuse(state: &AppState, status: StatusCode, title: &str, message: &str) -> Response {
    crate::serve::pages::error_page(state, status, title, message, false)
}

/// The security headers of every response, one tower-http layer each.
pub fn header_layers() -> Vec<SetResponseHeaderLayer<HeaderValue>> {
    let set = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
    };
    vec![
        set(header::CONTENT_SECURITY_POLICY, CSP),
        set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        // Not `no-referrer`: with it Chromium sends `Origin: null` on form
        // posts, and the same-origin check could not tell them from a
        // foreign page's. The page never links elsewhere, so the token in
        // a same-origin referrer goes nowhere.
        set(header::REFERRER_POLICY, "same-origin"),
        set(header::X_FRAME_OPTIONS, "DENY"),
        set(header::CACHE_CONTROL, "no-store"),
        set(HeaderName::from_static("cross-origin-resource-policy"), "same-origin"),
    ]
}

/// `Content-Disposition` for a download: always an attachment, with the
/// RFC 6266 / 5987 `filename*=UTF-8''…` form for Chinese names and a plain
/// ASCII `filename` for old clients. Percent-encoding is written by hand:
/// RFC 5987's attr-char set is ten lines and no crate of ours exports it.
pub fn content_disposition(name: &str) -> HeaderValue {
    let encoded = percent_encode(name);
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_".contains(c) { c } else { '_' }).collect();
    let value = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("attachment"))
    // ok: only ASCII is written
}

/// RFC 5987 percent-encoding (UTF-8 bytes outside attr-char as `%XX`); also
/// safe as one URL path segment.
pub fn percent_encode(name: &str) -> String {
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    encoded
}

/// A file download response.
pub fn attachment(name: &str, content_type: &'static str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, content_disposition(name)),
        ],
        bytes,
    )
        .into_response()
}
