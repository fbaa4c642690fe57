//! The commands, as library functions: what `main` calls after parsing the
//! arguments. Kept out of `main.rs` so tests can run a command without a
//! process and so the binary stays a thin shell.

use crate::config::Config;
use crate::error::Error;
use crate::ingest::{self, Ingested};
use crate::model::Report;
use crate::outputs;
use crate::report;
use crate::stats::{self, AsOf};
use std::path::PathBuf;

pub struct CheckOptions {
    pub input: PathBuf,
    pub json: bool,
    pub strict: bool,
    pub tidy: Option<PathBuf>,
    /// Write a 问题清单 workbook per file with problems into this folder.
    pub returns: Option<PathBuf>,
    pub limits: ingest::Limits,
}

/// What a command prints and how it exits.
pub struct Outcome {
    pub stdout: String,
    /// A message for standard error (the fatal reason), if any.
    pub stderr: Option<String>,
    pub exit_code: i32,
}

/// `statbrief check`: ingest only, then report the row accounting and issues.
pub fn check(opts: &CheckOptions) -> Result<Outcome, Error> {
    let ingested = ingest::ingest_with(&opts.input, &opts.limits)?;
    let stdout = if opts.json {
        serde_json::to_string_pretty(&ingested.quality).map_err(|e| Error::Internal(e.to_string()))? + "\n"
    } else {
        report::console::render_check(&ingested.quality)
    };
    if let Some(dir) = &opts.tidy {
        // Staged and locked like `run`'s outputs (see `outputs`).
        outputs::write_folder(dir, |staging| report::tidy::write_tidy(&ingested.ledgers, staging).map(|_| ()))?;
    }
    let mut stdout = stdout;
    if let Some(dir) = &opts.returns {
        let written = report::returns::write_returns(&ingested.quality, &opts.input, dir)?;
        if !opts.json {
            stdout +=
                &format!("\n已写出 {} 份问题清单到 {}（每份发回对应的报送单位修改）\n", written.len(), dir.display());
        }
    }
    Ok(outcome(stdout, &ingested, opts.strict))
}

fn outcome(stdout: String, ingested: &Ingested, strict: bool) -> Outcome {
    if ingested.quality.files.is_empty() {
        return Outcome {
            stdout,
            stderr: Some("输入文件夹中没有 xlsx/xlsm/xls/xlsb/ods/csv 文件".into()),
            exit_code: 2,
        };
    }
    if !ingested.has_ledger() {
        return Outcome {
            stdout, stderr: Some("没有找到可用的台账工作表（见上表各文件的原因）".into()), exit_code: 2
        };
    }
    let rejected = ingested.quality.rejected_rows();
    if strict && rejected > 0 {
        return Outcome { stdout, stderr: Some(format!("--strict：有 {rejected} 行被拒收")), exit_code: 1 };
    }
    Outcome { stdout, stderr: None, exit_code: 0 }
}

pub struct RunOptions {
    pub input: PathBuf,
    pub out: PathBuf,
    pub period: Option<String>,
    pub config: Option<PathBuf>,
    pub templates: Option<PathBuf>,
    pub strict: bool,
    pub limits: ingest::Limits,
}

/// The report and its rendered files (name, bytes), before anything is written.
type Rendered = (Report, Vec<(&'static str, Vec<u8>)>);

/// `statbrief run`: ingest, compute every figure, write the outputs.
pub fn run(opts: &RunOptions) -> Result<Outcome, Error> {
    // Usage errors first, before any work.
    let as_of_arg = opts.period.as_deref().map(AsOf::parse).transpose()?;
    let config = Config::load(opts.config.as_deref(), &opts.input)?;
    let started = std::time::Instant::now();
    let names = ingest::sheet::region_context::RegionNames::from_config(&config);
    let mut ingested = ingest::ingest_in(&opts.input, &opts.limits, &names)?;
    ingested.ledgers.rechunk_all();
    crate::memory::release_freed();
    timing("ingest", started);
    if !ingested.has_ledger() {
        // Say at once when sheets were skipped for a missing column (issue 16).
        let missing = ingested.quality.files.iter().flat_map(|f| &f.sheets).filter(|s| s.looks_like.is_some()).count();
        let why = if missing > 0 { format!("（{missing}个工作表缺少必需列）") } else { String::new() };
        return Err(Error::Input(format!(
            "{} 中没有可用的台账工作表{why}；运行 statbrief check --input {} 查看各文件的原因",
            opts.input.display(),
            opts.input.display()
        )));
    }
    let as_of = match as_of_arg.or_else(|| stats::default_as_of(&ingested)) {
        Some(a) => a,
        None => {
            return Err(Error::Input(
                "重点项目和经济指标台账中都没有报告期，无法确定统计截止月份；请用 --period 指定".into(),
            ))
        }
    };
    // A period no ledger has data for would give a briefing of empty
    // figures: refuse it and name the periods that are there (SPEC §3).
    let found = stats::periods_found(&ingested);
    if !found.iter().any(|&(y, m)| y == as_of.year && m <= as_of.month) {
        let listed: Vec<String> = found.iter().map(|(y, m)| format!("{y}-{m:02}")).collect();
        return Err(Error::Input(format!(
            "{}年1—{}月没有任何台账数据；台账中的报告期有：{}",
            as_of.year,
            as_of.month,
            if listed.is_empty() { "（无）".to_string() } else { listed.join("、") }
        )));
    }
    // Every output goes to a staging folder beside --out and is moved into
    // place only when all are written; a lock keeps two runs apart (see
    // `outputs`).
    let lock = outputs::lock(&opts.out)?;
    let staging = outputs::Staging::begin(&opts.out, &lock)?;
    crate::progress::start_writing(5);
    // Two independent jobs, one per core: the tidy data (written by polars),
    // and the statistics followed by the four reports.
    let (rendered, staged) = rayon::join(
        || -> Result<Rendered, Error> {
            outputs::fault("render")?;
            let report = stats::compute(&ingested, as_of, &config)?;
            timing("statistics", started);
            crate::progress::step("统计完成，正在生成报告", true);
            // The workbook is the slowest report (its 逾期督办 sheet is
            // written cell by cell); the overdue data files and the texts
            // are written beside it, on whichever core the tidy data has
            // left free.
            let (workbook, texts) = rayon::join(
                || report::xlsx::render_workbook(&report),
                || -> Result<(String, String, String, Vec<u8>), Error> {
                    report::overdue_data::write_overdue(&report.visits.overdue_all, &staging.dir().join("data"))?;
                    crate::progress::step("逾期清单已写出", true);
                    let metrics = report::json::to_json(&report)?;
                    let html = report::html::render_briefing(&report, opts.templates.as_deref())?;
                    let article = report::article::render_article(&report, opts.templates.as_deref())?;
                    // The Word briefing says what the article says: built from its text.
                    let docx = report::docx::render_docx(&report, &article, &config.docx)?;
                    Ok((metrics, html, article, docx))
                },
            );
            timing("reports", started);
            crate::progress::step("报告已生成", true);
            let (metrics, html, article, docx) = texts?;
            let workbook = workbook?;
            let files = vec![
                ("metrics.json", metrics.into_bytes()),
                ("briefing.xlsx", workbook),
                ("briefing.html", html.into_bytes()),
                ("article.md", article.into_bytes()),
                ("briefing.docx", docx),
            ];
            Ok((report, files))
        },
        || {
            let staged = report::tidy::write_tidy(&ingested.ledgers, &staging.dir().join("data"));
            timing("tidy data", started);
            crate::progress::step("整理数据已写出", true);
            staged
        },
    );
    let written = rendered.and_then(|(report, files)| {
        staged?;
        timing("statistics, reports and tidy data", started);
        for (name, bytes) in &files {
            staging.write(name, bytes)?;
            outputs::fault("write")?;
        }
        Ok(report)
    });
    let report = match written {
        Ok(r) => r,
        Err(e) => {
            crate::progress::done_writing();
            staging.discard();
            return Err(e);
        }
    };
    staging.commit()?;
    crate::progress::step("已写出", true);
    crate::progress::done_writing();
    drop(lock);
    timing("written", started);
    let mut stdout = report::console::render_summary(&report, &opts.out);
    // Never silently empty (issue 16): a ledger with nothing to read says so.
    let missing = ingest::coverage::missing_ledgers(&ingested, as_of.year, as_of.month);
    for m in &missing {
        stdout += &m.line();
        stdout.push('\n');
    }
    let rejected = report.data_quality.rejected_rows();
    if opts.strict && (rejected > 0 || !missing.is_empty()) {
        let mut why = Vec::new();
        if rejected > 0 {
            why.push(format!("有 {rejected} 行被拒收"));
        }
        if !missing.is_empty() {
            why.push(format!("{} 类台账没有可用的工作表", missing.len()));
        }
        return Ok(Outcome { stdout, stderr: Some(format!("--strict：{}", why.join("，"))), exit_code: 1 });
    }
    Ok(Outcome { stdout, stderr: None, exit_code: 0 })
}

/// `statbrief init DIR`: the configuration, the four templates and the guide.
pub fn init(dir: &std::path::Path, config: Option<&std::path::Path>) -> Result<Outcome, Error> {
    use chrono::Datelike;
    let result = crate::template::init(dir, config, chrono::Local::now().year())?;
    let mut stdout = String::new();
    for p in &result.written {
        stdout += &format!("已写出 {}\n", p.display());
    }
    for p in &result.kept {
        stdout += &format!("已存在，未改动 {}（模板按其中的设置生成）\n", p.display());
    }
    Ok(Outcome { stdout, stderr: None, exit_code: 0 })
}

/// `statbrief schema`: what ingestion accepts, as text or JSON.
pub fn schema(kind: Option<&str>, json: bool) -> Result<Outcome, Error> {
    let only =
        match kind {
            Some(k) => Some(crate::schema::parse_kind(k).ok_or_else(|| {
                Error::Usage(format!("--kind「{k}」无效：应为 projects、indicators、visits 或 targets"))
            })?),
            None => None,
        };
    let s = crate::schema::schema(only);
    let stdout = if json {
        serde_json::to_string_pretty(&s).map_err(|e| Error::Internal(e.to_string()))? + "\n"
    } else {
        crate::schema::render_text(&s)
    };
    Ok(Outcome { stdout, stderr: None, exit_code: 0 })
}

/// Phase timings on standard error when `STATBRIEF_TIMING` is set, for the benchmark.
fn timing(phase: &str, since: std::time::Instant) {
    if std::env::var_os("STATBRIEF_TIMING").is_some() {
        // Resident memory now (Linux), to see which phase holds the most.
        let rss_mib = std::fs::read_to_string("/proc/self/statm")
            .ok()
            .and_then(|s| s.split_whitespace().nth(1).and_then(|p| p.parse::<u64>().ok()))
            .map(|pages| pages * 4096 / (1 << 20));
        eprintln!("{phase}: {:.3}s, resident {} MiB", since.elapsed().as_secs_f64(), rss_mib.unwrap_or(0));
    }
}
