//! `statbrief serve` in-process: the router answers requests built here
//! (tower's `oneshot`), with the sample data uploaded as a browser would, and
//! every security rule of issue 13 tried from the outside.

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use statbrief::serve::{self, security, upload, Settings};
use std::collections::HashSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use tower::ServiceExt;

const TOKEN: &str = "0123456789abcdef0123456789abcdef";
const PORT: u16 = 8080;
const HOST: &str = "127.0.0.1:8080";
const ORIGIN: &str = "http://127.0.0.1:8080";
const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/sample_data");

fn app_with_limit(data: &Path, limit: usize) -> Router {
    serve::router(Settings::new(data.to_path_buf(), PORT, TOKEN.into(), limit))
}

fn app(data: &Path) -> Router {
    app_with_limit(data, serve::DEFAULT_BODY_LIMIT)
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn location(&self) -> String {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
    }
}

async fn send(app: &Router, req: Request<Body>) -> Reply {
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp.into_body().collect().await.unwrap().to_bytes().to_vec();
    Reply { status, headers, body }
}

fn get(path: &str) -> Request<Body> {
    Request::get(format!("/{TOKEN}{path}")).header(header::HOST, HOST).body(Body::empty()).unwrap()
}

/// A multipart body as browsers send it, one `files` part per file.
fn multipart(files: &[(String, Vec<u8>)]) -> (String, Vec<u8>) {
    let boundary = "----statbriefTestBoundary7MA4YWxkTrZu0gW".to_string();
    let mut body = Vec::new();
    for (name, bytes) in files {
        write!(body, "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n")
            .unwrap();
        body.extend_from_slice(b"Content-Type: application/octet-stream\r\n\r\n");
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    write!(body, "--{boundary}--\r\n").unwrap();
    (boundary, body)
}

fn upload_request(files: &[(String, Vec<u8>)]) -> Request<Body> {
    let (boundary, body) = multipart(files);
    Request::post(format!("/{TOKEN}/upload"))
        .header(header::HOST, HOST)
        .header(header::ORIGIN, ORIGIN)
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .header(header::CONTENT_LENGTH, body.len())
        .body(Body::from(body))
        .unwrap()
}

/// Every file of sample_data, named by its path as a dropped folder gives it.
fn sample_files() -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let root = Path::new(SAMPLE);
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
                files.push((format!("sample_data/{rel}"), std::fs::read(&p).unwrap()));
            }
        }
    }
    files.sort();
    files
}

/// Uploads and returns the new batch's id.
async fn upload_ok(app: &Router, files: &[(String, Vec<u8>)]) -> String {
    let r = send(app, upload_request(files)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let loc = r.location();
    let prefix = format!("/{TOKEN}/batch/");
    assert!(loc.starts_with(&prefix), "{loc}");
    loc[prefix.len()..].to_string()
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn batch_dirs(data: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(data.join("batches")).map(|rd| rd.map(|e| e.unwrap().path()).collect()).unwrap_or_default()
}

/// Every file below `dir`, as paths relative to it.
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    out
}

fn expected() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(format!("{SAMPLE}/expected.json")).unwrap()).unwrap()
}

async fn wait_for_run(app: &Router, id: &str) -> String {
    for _ in 0..600 {
        let r = send(app, get(&format!("/batch/{id}/run"))).await;
        assert_eq!(r.status, StatusCode::OK);
        let text = r.text();
        if !text.contains("id=\"running\"") {
            return text;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    panic!("the run did not finish in 150 s");
}

// ───────────────────────────── the clerk's job ─────────────────────────────

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_check_run_and_download_the_sample_data() {
    let data = tempfile::tempdir().unwrap();
    let app = app(data.path());
    let id = upload_ok(&app, &sample_files()).await;

    // Check: every planted rejection is listed with its sheet!cell, and the
    // total of rejected rows is the sum over expected.json's sheets.
    let check = send(&app, get(&format!("/batch/{id}"))).await;
    assert_eq!(check.status, StatusCode::OK);
    let page = check.text();
    let exp = expected();
    for r in exp["rejections"].as_array().unwrap() {
        let place = format!("{}!{}", r["sheet"].as_str().unwrap(), r["cell"].as_str().unwrap());
        assert!(page.contains(&place), "{place} missing from the check page");
    }
    assert!(page.contains("J31「待定」不是有效金额"));
    let rejected: u64 = exp["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["sheets"].as_array().unwrap())
        .map(|s| s["rejected"].as_u64().unwrap())
        .sum();
    assert_eq!(rejected, 7);
    assert!(page.contains(&format!("拒收 <b class=\"bad\">{rejected}</b> 行")));
    // The per-sheet table: a hidden sheet is marked, kinds are in Chinese.
    assert!(page.contains("代码表（隐藏）"));
    assert!(page.contains("重点项目台账"));
    // The settings file was kept beside the ledgers (office name in the run).
    let batch = data.path().join("batches").join(&id);
    assert!(batch.join("input/statbrief.toml").is_file());
    // expected.json is not a ledger: listed as not taken.
    assert!(page.contains("expected.json"));

    // Filter by severity: only errors; by file: only that file's issues.
    let errors = send(&app, get(&format!("/batch/{id}?severity=error"))).await.text();
    assert!(errors.contains("sev-error"));
    assert!(!errors.contains("sev-warning") && !errors.contains("sev-info"));
    let file = "2025年6月重点项目台账.xlsx";
    let q = security::percent_encode(file);
    let one = send(&app, get(&format!("/batch/{id}?file={q}&severity=error"))).await.text();
    // A filter that cannot be read shows everything rather than an error.
    assert_eq!(send(&app, get(&format!("/batch/{id}?file=%FF"))).await.status, StatusCode::OK);
    let table = &one[one.find("id=\"issue-table\"").unwrap()..];
    assert!(table.contains("上半年!J31"));
    assert!(!table.contains("3月!J21"), "another file's issue is shown");

    // Run H1: the period offered, progress, then the figures of expected.json
    // (truth_2025_06) in the briefing's wording, rounded by hand.
    let run_page = send(&app, get(&format!("/batch/{id}/run"))).await.text();
    assert!(run_page.contains("value=\"2025H1\""), "2025H1 is not offered");
    assert!(run_page.contains("2025年1—6月（上半年）"));
    // No period, or one that is not a period: a Chinese message, no run.
    for (body, message) in [("x=1", "没有选择统计期"), ("period=2025H3", "无法识别")] {
        let bad = Request::post(format!("/{TOKEN}/batch/{id}/run"))
            .header(header::HOST, HOST)
            .header(header::ORIGIN, ORIGIN)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        let r = send(&app, bad).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}");
        assert!(r.text().contains(message), "{body}");
    }
    assert!(!data.path().join("batches").join(&id).join("run.json").exists());
    let post = Request::post(format!("/{TOKEN}/batch/{id}/run"))
        .header(header::HOST, HOST)
        .header(header::ORIGIN, ORIGIN)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("period=2025H1"))
        .unwrap();
    let started = send(&app, post).await;
    assert_eq!(started.status, StatusCode::SEE_OTHER);
    let done = wait_for_run(&app, &id).await;
    assert!(!done.contains("生成失败"), "{done}");
    assert!(done.contains("2025年1—6月主要数字"));
    let truth = &exp["truth_2025_06"]["projects"];
    assert_eq!(truth["done_ytd"].as_f64(), Some(390970.6));
    assert!(done.contains("39.10亿元"), "done 390970.6万元 = 39.10亿元");
    assert!(done.contains("73.81亿元"), "plan 738090万元 = 73.81亿元");
    assert!(done.contains("53.0%"), "completion 52.97% → 53.0%");
    assert!(done.contains("时序进度 50.0%"), "June: 6/12");
    assert!(done.contains("35 个"));
    // The article with its copy button, and a download per output file.
    assert!(done.contains("id=\"copy-article\""));
    let article = &done[done.find("id=\"article\"").unwrap()..];
    assert!(article.contains("重点项目"), "the article is empty");
    for name in ["briefing.xlsx", "briefing.html", "article.md", "metrics.json"] {
        assert!(done.contains(&format!("/batch/{id}/out/{name}")), "{name} not offered");
    }
    assert!(done.contains(&format!("/batch/{id}/tidy.zip")));

    // briefing.xlsx downloads as an attachment and is a workbook.
    let xlsx = send(&app, get(&format!("/batch/{id}/out/briefing.xlsx"))).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    let cd = xlsx.headers[header::CONTENT_DISPOSITION].to_str().unwrap().to_string();
    assert!(cd.starts_with("attachment;") && cd.contains("filename*=UTF-8''briefing.xlsx"), "{cd}");
    let mut wb = zip::ZipArchive::new(std::io::Cursor::new(xlsx.body)).unwrap();
    assert!(wb.by_name("xl/workbook.xml").is_ok());
    // metrics.json is the run's, for the chosen period.
    let metrics = send(&app, get(&format!("/batch/{id}/out/metrics.json"))).await;
    let m: serde_json::Value = serde_json::from_slice(&metrics.body).unwrap();
    assert_eq!(m["as_of"], "2025-06");
    assert_eq!(m["office"], "青山县统计局");
    // The tidy data as one zip, under a Chinese name.
    let tidy = send(&app, get(&format!("/batch/{id}/tidy.zip"))).await;
    assert_eq!(tidy.status, StatusCode::OK);
    let cd = tidy.headers[header::CONTENT_DISPOSITION].to_str().unwrap().to_string();
    assert!(cd.contains("filename*=UTF-8''%E6%95%B4%E7%90%86%E5%90%8E%E6%95%B0%E6%8D%AE.zip"), "{cd}");
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(tidy.body)).unwrap();
    let mut csv = String::new();
    z.by_name("data/projects.csv").unwrap().read_to_string(&mut csv).unwrap();
    assert!(csv.lines().count() > 35);

    // History: the batch with its period and figures, reopenable.
    let home = send(&app, get("/")).await.text();
    assert!(home.contains(&format!("/batch/{id}\"")));
    assert!(home.contains("2025年1—6月"));
    assert!(home.contains("39.10亿元"));
}

#[tokio::test]
async fn the_returns_folder_is_listed_and_served() {
    let data = tempfile::tempdir().unwrap();
    let app = app(data.path());
    let id = upload_ok(
        &app,
        &[(
            "2025年6月重点项目台账.xlsx".into(),
            std::fs::read(format!("{SAMPLE}/重点项目/2025年6月重点项目台账.xlsx")).unwrap(),
        )],
    )
    .await;
    let page = send(&app, get(&format!("/batch/{id}"))).await.text();
    // The check writes the towns' lists with `check --returns`'s writer: the
    // June ledger's planted issues give one list, and the page links it.
    let returns = data.path().join("batches").join(&id).join("returns");
    let written: Vec<String> = std::fs::read_dir(&returns)
        .map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    assert!(written.iter().all(|n| n.ends_with("_问题清单.xlsx")), "{written:?}");
    for name in &written {
        assert!(page.contains(&security::percent_encode(name)), "{name} is not linked");
    }
    // Whatever lands in returns/ is listed and served.
    std::fs::create_dir_all(&returns).unwrap();
    std::fs::write(returns.join("城关镇问题清单.xlsx"), b"PK fake").unwrap();
    let page = send(&app, get(&format!("/batch/{id}"))).await.text();
    let href = format!("/batch/{id}/returns/{}", security::percent_encode("城关镇问题清单.xlsx"));
    assert!(page.contains(&href), "{page}");
    let r = send(&app, get(&href)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body, b"PK fake");
    let cd = r.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(cd.contains("filename*=UTF-8''%E5%9F%8E%E5%85%B3%E9%95%87"), "{cd}");
}

// ───────────────────────────── security rules ─────────────────────────────

#[tokio::test]
async fn listens_on_loopback_only() {
    let listener = serve::bind(0).await.unwrap();
    let addr = listener.local_addr().unwrap();
    assert!(addr.ip().is_loopback(), "{addr}");
    assert_eq!(addr.ip().to_string(), "127.0.0.1");
}

#[test]
fn tokens_are_random_and_long() {
    let a = security::new_token().unwrap();
    let b = security::new_token().unwrap();
    assert_ne!(a, b);
    assert_eq!(a.len(), 32);
    assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
}

#[tokio::test]
async fn every_request_needs_the_token() {
    let data = tempfile::tempdir().unwrap();
    let app = app(data.path());
    assert_eq!(send(&app, get("/")).await.status, StatusCode::OK);
    assert_eq!(send(&app, get("/static/serve.js")).await.status, StatusCode::OK);
    for path in ["/", "/static/serve.css", "/upload", "/0123456789abcdef0123456789abcdee/", "/0123456789abcdef/"] {
        let req = Request::get(path).header(header::HOST, HOST).body(Body::empty()).unwrap();
        let r = send(&app, req).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        // The refusal does not hand the token out.
        assert!(!r.text().contains(TOKEN), "{path}");
    }
    // The token as a longer segment's prefix is not the token.
    let req = Request::get(format!("/{TOKEN}x/")).header(header::HOST, HOST).body(Body::empty()).unwrap();
    assert_eq!(send(&app, req).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_host_header_is_allow_listed() {
    let data = tempfile::tempdir().unwrap();
    let app = app(data.path());
    for host in ["127.0.0.1:8080", "localhost:8080", "LOCALHOST:8080", "[::1]:8080"] {
        let req = Request::get(format!("/{TOKEN}/")).header(header::HOST, host).body(Body::empty()).unwrap();
        assert_eq!(send(&app, req).await.status, StatusCode::OK, "{host}");
    }
    // DNS rebinding arrives with the attacker's name; other ports, no Host.
    for host in
        ["evil.example:8080", "127.0.0.1.evil.example:8080", "localhost:9090", "127.0.0.1", "192.168.1.5:8080", ""]
    {
        let req = Request::get(format!("/{TOKEN}/")).header(header::HOST, host).body(Body::empty()).unwrap();
        let r = send(&app, req).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{host}");
        assert!(r.text().contains("只接受从本机地址"));
        assert!(!r.text().contains(TOKEN));
    }
    let req = Request::get(format!("/{TOKEN}/")).body(Body::empty()).unwrap();
    assert_eq!(send(&app, req).await.status, StatusCode::FORBIDDEN, "no Host at all");
}

#[tokio::test]
async fn posts_must_come_from_the_same_origin() {
    let data = tempfile::tempdir().unwrap();
    let app = app(data.path());
    let files = vec![("a.csv".to_string(), "地区,指标\n".as_bytes().to_vec())];
    let (boundary, body) = multipart(&files);
    let post = |origin: Option<&str>, host: &str| {
        let mut b = Request::post(format!("/{TOKEN}/upload"))
            .header(header::HOST, host)
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"));
        if let Some(o) = origin {
            b = b.header(header::ORIGIN, o);
        }
        b.body(Body::from(body.clone())).unwrap()
    };
    for (origin, host) in [
        (None, HOST),
        (Some("http://evil.example"), HOST),
        (Some("null"), HOST),
        (Some("http://localhost:8080"), HOST),
        (Some("https://127.0.0.1:8080"), HOST),
    ] {
        let r = send(&app, post(origin, host)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{origin:?} on {host}");
    }
    assert!(batch_dirs(data.path()).is_empty(), "a refused POST made a batch");
    // The run form too.
    let run = Request::post(format!("/{TOKEN}/batch/20250101-000000-abcd/run"))
        .header(header::HOST, HOST)
        .header(header::ORIGIN, "http://evil.example")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("period=2025H1"))
        .unwrap();
    assert_eq!(send(&app, run).await.status, StatusCode::FORBIDDEN);
    // Same origin: accepted (localhost page posting to localhost).
    assert_eq!(send(&app, post(Some("http://localhost:8080"), "localhost:8080")).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn every_response_carries_csp_and_nosniff() {
    let data = tempfile::tempdir().unwrap();
    let app = app(data.path());
    let bad_host = Request::get(format!("/{TOKEN}/")).header(header::HOST, "evil.example").body(Body::empty()).unwrap();
    let no_token = Request::get("/").header(header::HOST, HOST).body(Body::empty()).unwrap();
    for req in [get("/"), get("/static/serve.js"), get("/static/serve.css"), get("/batch/nope"), bad_host, no_token] {
        let path = req.uri().to_string();
        let r = send(&app, req).await;
        let csp = r.headers.get(header::CONTENT_SECURITY_POLICY).map(|v| v.to_str().unwrap().to_string());
        assert_eq!(csp.as_deref(), Some(security::CSP), "{path}");
        assert_eq!(r.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{path}");
        assert_eq!(r.headers[header::REFERRER_POLICY], "same-origin", "{path}");
    }
    // The policy allows nothing from elsewhere and no inline script.
    assert!(security::CSP.starts_with("default-src 'none'"));
    assert!(security::CSP.contains("script-src 'self';"));
    assert!(!security::CSP.contains("unsafe-inline") && !security::CSP.contains("http"));
    // And the pages need nothing else: no inline script, no external URL.
    let home = send(&app, get("/")).await.text();
    assert!(!home.contains("<script>"), "an inline script");
    assert!(!regex::Regex::new(r"\son[a-z]+=").unwrap().is_match(&home), "an inline event handler");
    assert!(!home.contains("http://") && !home.contains("https://") && !home.contains("//cdn"));
}

#[tokio::test]
async fn uploaded_files_get_names_the_server_makes() {
    let data = tempfile::tempdir().unwrap();
    let app = app(data.path());
    let bytes = std::fs::read(format!("{SAMPLE}/重点项目/2025年6月重点项目台账.xlsx")).unwrap();
    let names = [
        "../../escape.xlsx",
        "/etc/cron.d/job.xlsx",
        "C:\\Windows\\system32\\evil.xlsx",
        "..\\..\\up.csv",
        ".hidden.xlsx",
        "重点项目/2025年6月重点项目台账.xlsx",
        "another/2025年6月重点项目台账.xlsx",
        "a<b>:c|d?.XLSX",
    ];
    let files: Vec<_> = names.iter().map(|n| (n.to_string(), bytes.clone())).collect();
    let id = upload_ok(&app, &files).await;
    let batch = data.path().join("batches").join(&id);
    let input = tree(&batch.join("input"));
    assert_eq!(
        input,
        vec![
            "2025年6月重点项目台账.xlsx",
            "2025年6月重点项目台账（2）.xlsx",
            "a_b__c_d_.xlsx",
            "escape.xlsx",
            "evil.xlsx",
            "hidden.xlsx",
            "job.xlsx",
            "up.csv"
        ]
    );
    // Nothing was written outside the batch folder.
    let everything = tree(data.path());
    assert!(everything.iter().all(|p| p.starts_with("batches")), "{everything:?}");
    // The rules by themselves.
    assert_eq!(upload::base_name("a/b\\c.xlsx"), "c.xlsx");
    assert_eq!(upload::server_name("..", &HashSet::new()), None);
    assert_eq!(upload::server_name("x/../...xlsx", &HashSet::new()).as_deref(), Some("台账.xlsx"));
    assert!(matches!(upload::classify("~$锁.xlsx"), upload::Kind::Refused(_)));
}

#[tokio::test]
async fn not_a_workbook_is_refused_or_reported() {
    let data = tempfile::tempdir().unwrap();
    let app = app(data.path());
    // Nothing acceptable: refused as a whole, no batch left behind.
    let r =
        send(&app, upload_request(&[("notes.txt".into(), b"hello".to_vec()), ("photo.png".into(), vec![0x89, b'P'])]))
            .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("没有收到可以读取的台账文件"));
    assert!(batch_dirs(data.path()).is_empty());
    // A text file named .xlsx is kept and the check says what it really is
    // (text, read as a table) and that it holds no ledger.
    let id = upload_ok(
        &app,
        &[("假的.xlsx".into(), b"this is not a workbook".to_vec()), ("说明.docx".into(), b"x".to_vec())],
    )
    .await;
    let page = send(&app, get(&format!("/batch/{id}"))).await.text();
    assert!(page.contains("假的.xlsx"));
    assert!(page.contains("实际是") && page.contains("没有可识别的台账表头"), "{page}");
    assert!(page.contains("说明.docx：不是台账文件"));
    // A request that is not multipart at all.
    let req = Request::post(format!("/{TOKEN}/upload"))
        .header(header::HOST, HOST)
        .header(header::ORIGIN, ORIGIN)
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from("x"))
        .unwrap();
    assert_eq!(send(&app, req).await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn too_large_an_upload_is_refused() {
    let data = tempfile::tempdir().unwrap();
    let app = app_with_limit(data.path(), 1024 * 1024);
    let big = vec![b'x'; 2 * 1024 * 1024];
    let r = send(&app, upload_request(&[("big.csv".into(), big.clone())])).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text().contains("上传的文件太大：一次最多 1 MB"));
    // Without a declared length the body is cut at the limit all the same
    // (tower-http's limit, seen by the multipart reader).
    let (boundary, body) = multipart(&[("big.csv".into(), big)]);
    let req = Request::post(format!("/{TOKEN}/upload"))
        .header(header::HOST, HOST)
        .header(header::ORIGIN, ORIGIN)
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body))
        .unwrap();
    let r = send(&app, req).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text());
    assert!(r.text().contains("上传的文件太大"));
    assert!(batch_dirs(data.path()).is_empty());
    // The default is 200 MB.
    assert_eq!(serve::DEFAULT_BODY_LIMIT, 200 * 1024 * 1024);
}

#[tokio::test]
async fn zips_are_unpacked_safely() {
    let data = tempfile::tempdir().unwrap();
    let app = app(data.path());
    let ledger = std::fs::read(format!("{SAMPLE}/重点项目/2025年6月重点项目台账.xlsx")).unwrap();
    // A good zip: its ledger is kept under its base name, other entries listed.
    let good = zip_of(&[("台账/重点项目/2025年6月重点项目台账.xlsx", &ledger[..]), ("台账/说明.txt", &b"x"[..])]);
    let id = upload_ok(&app, &[("六月台账.zip".into(), good)]).await;
    let input = tree(&data.path().join("batches").join(&id).join("input"));
    assert_eq!(input, vec!["2025年6月重点项目台账.xlsx"]);
    let page = send(&app, get(&format!("/batch/{id}"))).await.text();
    assert!(page.contains("上半年!J31"));
    // (minijinja escapes `/` as `&#x2f;`.)
    assert!(page.contains("六月台账.zip → 台账&#x2f;说明.txt：不是台账文件"), "{page}");

    // `..` and absolute paths refuse the whole archive; nothing is written.
    let before = batch_dirs(data.path()).len();
    for bad in ["../escape.xlsx", "a/../../escape.xlsx", "/abs/escape.xlsx", "..\\escape.csv", "C:/x/escape.xlsx"] {
        let z = zip_of(&[("ok.xlsx", &ledger[..]), (bad, &ledger[..])]);
        let r = send(&app, upload_request(&[("bad.zip".into(), z)])).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(r.text().contains("含有“..”或绝对路径"), "{bad}: {}", r.text());
    }
    assert_eq!(batch_dirs(data.path()).len(), before);
    assert!(tree(data.path()).iter().all(|p| p.starts_with("batches")));

    // Not a zip at all.
    let r = send(&app, upload_request(&[("broken.zip".into(), b"PK\x03\x04 not really".to_vec())])).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("不是有效的 zip 压缩包"));
}

#[tokio::test]
async fn zip_bombs_are_refused_by_their_declared_sizes() {
    let data = tempfile::tempdir().unwrap();
    // 1 MB upload limit: at most 20 MB may come out of the zips.
    let app = app_with_limit(data.path(), 1024 * 1024);
    let zeros = vec![0u8; 21 * 1024 * 1024];
    let bomb = zip_of(&[("bomb.csv", &zeros[..])]);
    assert!(bomb.len() < 100 * 1024, "deflate packs zeros ~1000:1");
    let r = send(&app, upload_request(&[("bomb.zip".into(), bomb)])).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("疑似压缩炸弹"), "{}", r.text());
    assert!(batch_dirs(data.path()).is_empty());
    // Several entries add up.
    let part = vec![0u8; 8 * 1024 * 1024];
    let many = zip_of(&[("a.csv", &part[..]), ("b.csv", &part[..]), ("c.csv", &part[..])]);
    let r = send(&app, upload_request(&[("many.zip".into(), many)])).await;
    assert!(r.text().contains("疑似压缩炸弹"));
    // The rules by themselves.
    assert!(serve::zipped::escapes("../a.xlsx"));
    assert!(serve::zipped::escapes("x\\..\\a.xlsx"));
    assert!(serve::zipped::escapes("/a.xlsx"));
    assert!(serve::zipped::escapes("D:a.xlsx"));
    assert!(!serve::zipped::escapes("a/b..c.xlsx"));
    // Windows' zip tool writes GBK names.
    let (gbk, _, _) = encoding_rs::GBK.encode("重点项目.xlsx");
    assert_eq!(serve::zipped::decode_name(&gbk), "重点项目.xlsx");
}

#[tokio::test]
async fn urls_cannot_name_other_folders() {
    let data = tempfile::tempdir().unwrap();
    let app = app(data.path());
    let id = upload_ok(
        &app,
        &[(
            "2025年6月重点项目台账.xlsx".into(),
            std::fs::read(format!("{SAMPLE}/重点项目/2025年6月重点项目台账.xlsx")).unwrap(),
        )],
    )
    .await;
    // Files that exist in the batch but outside out/, and outside the data folder.
    for path in [
        format!("/batch/{id}/out/..%2Fbatch.json"),
        format!("/batch/{id}/out/..%2F..%2F{id}%2Fcheck.json"),
        format!("/batch/{id}/out/%2E%2E"),
        format!("/batch/{id}/returns/{}", security::percent_encode("../input/2025年6月重点项目台账.xlsx")),
        "/batch/..%2F..%2Fetc/run".to_string(),
        "/batch/20250101-000000-zzzz".to_string(),
        format!("/batch/{id}x"),
    ] {
        let r = send(&app, get(&path)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert!(serve::batches::valid_id(&id));
    assert!(!serve::batches::valid_id("../../x"));
    assert!(!serve::batches::valid_id("20250101-000000-ABCD"));
}

#[test]
fn downloads_name_files_in_utf8() {
    let cd = security::content_disposition("城关镇 问题清单.xlsx");
    let cd = cd.to_str().unwrap();
    // 城 = E5 9F 8E, 关 = E5 85 B3, 镇 = E9 95 87; the space is %20.
    assert!(cd.starts_with("attachment; "));
    assert!(cd.contains("filename*=UTF-8''%E5%9F%8E%E5%85%B3%E9%95%87%20"), "{cd}");
    assert!(cd.ends_with(".xlsx"));
    // A quote in the name cannot break out of the ASCII fallback.
    let cd = security::content_disposition("a\"b.xlsx");
    assert!(cd.to_str().unwrap().contains("filename=\"a_b.xlsx\""));
}

#[test]
fn host_and_origin_rules() {
    assert!(security::host_allowed("localhost:8080", 8080));
    assert!(security::host_allowed("[::1]:8080", 8080));
    assert!(!security::host_allowed("[::1]:8081", 8080));
    assert!(!security::host_allowed("localhost.evil:8080", 8080));
    assert!(security::host_allowed("127.0.0.1", 80));
    let mut h = HeaderMap::new();
    assert!(!security::same_origin(&h, "127.0.0.1:8080"));
    h.insert(header::ORIGIN, "http://127.0.0.1:8080".parse().unwrap());
    assert!(security::same_origin(&h, "127.0.0.1:8080"));
    assert!(!security::same_origin(&h, "localhost:8080"));
    assert!(security::token_ok(&format!("/{TOKEN}/batch/x"), TOKEN));
    assert!(!security::token_ok("/", TOKEN));
    assert!(!security::token_ok(&format!("/x{TOKEN}/"), TOKEN));
}

#[test]
fn the_periods_offered_are_the_months_found() {
    use statbrief::model::Kind;
    use statbrief::quality::{DataQuality, FileReport, SheetReport};
    let sheet = |kind, period: &str| SheetReport {
        sheet: "s".into(),
        kind: Some(kind),
        period: Some(period.into()),
        ..Default::default()
    };
    let q = DataQuality {
        files: vec![FileReport {
            path: "x.xlsx".into(),
            sheets: vec![
                sheet(Kind::Projects, "2025-06"),
                sheet(Kind::Indicators, "2025-05"),
                sheet(Kind::Indicators, "2025-06"),
                sheet(Kind::Projects, "2024-12"),
                sheet(Kind::Projects, "2025-03"),
                // Visits and targets do not set the as-of month.
                sheet(Kind::Visits, "2025-07"),
                sheet(Kind::Targets, "2025"),
            ],
            ..Default::default()
        }],
        issues: Vec::new(),
    };
    let got: Vec<(String, String)> =
        serve::figures::period_options(&q).into_iter().map(|p| (p.value, p.label)).collect();
    let want = [
        ("2025H1", "2025年1—6月（上半年）"),
        ("2025-05", "2025年1—5月"),
        ("2025Q1", "2025年1—3月（一季度）"),
        ("2024", "2024年1—12月（全年）"),
    ];
    assert_eq!(got, want.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect::<Vec<_>>());
}

/// One raw HTTP/1.1 GET to the running binary; the status code.
fn raw_get(port: u16, path: &str, host: &str) -> u16 {
    use std::io::BufRead;
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
    let mut line = String::new();
    std::io::BufReader::new(s).read_line(&mut line).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn the_binary_prints_its_address_and_answers_only_with_the_token() {
    use std::io::BufRead;
    let data = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_statbrief"))
        .args(["serve", "--port", "0", "--no-open", "--data"])
        .arg(data.path())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    let url = first.split_whitespace().find_map(|w| w.split_once("http://")).map(|(_, u)| u.to_string());
    let result = std::panic::catch_unwind(|| {
        let url = url.expect("the address is printed");
        let (addr, path) = url.split_once('/').unwrap();
        let (ip, port) = addr.split_once(':').unwrap();
        assert_eq!(ip, "127.0.0.1");
        let port: u16 = port.parse().unwrap();
        let token = path.trim_end_matches('/');
        assert_eq!(token.len(), 32);
        assert_eq!(raw_get(port, &format!("/{token}/"), addr), 200);
        assert_eq!(raw_get(port, "/", addr), 404);
        assert_eq!(raw_get(port, &format!("/{token}/"), &format!("attacker.example:{port}")), 403);
        assert!(data.path().join("batches").is_dir());
    });
    let _ = child.kill();
    let _ = child.wait();
    result.unwrap();
}
