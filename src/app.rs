//! The commands, as library functions: what `main` calls after parsing the
//! arguments. Kept out of `main.rs` so tests can run a command without a
//! process and so the binary stays a thin shell.

use crate::config::Config;
use crate::error::Error;
use crate::model::Report;
use crate::stats::{self, AsOf};
use crate::ingest::{self, Ingested};
use crate::outputs;
use crate::report;
use std::path::PathBuf;

pub struct CheckOptions {
    pub input: PathBuf,
    pub json: bool,
    pub strict: bool,
    pub tidy: Option<PathBuf>,
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
        report::tidy::write_tidy(&ingested.ledgers, dir)?;
    }
    Ok(outcome(stdout, &ingested, opts.strict))
}

fn outcome(stdout: String, ingested: &Ingested, strict: bool) -> Outcome {
    if ingested.quality.files.is_empty() {
        return Outcome { stdout, stderr: Some("输入文件夹中没有 xlsx/xlsm/xls/xlsb/ods/csv 文件".into()), exit_code: 2 };
    }
    if !ingested.has_ledger() {
        return Outcome { stdout, stderr: Some("没有找到可用的台账工作表（见上表各文件的原因）".into()), exit_code: 2 };
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

/// `statbrief run`: ingest, compute every figure, write the outputs.
pub fn run(opts: &RunOptions) -> Result<Outcome, Error> {
    // Usage errors first, before any work.
    let as_of_arg = opts.period.as_deref().map(AsOf::parse).transpose()?;
    let config = Config::load(opts.config.as_deref(), &opts.input)?;
    let started = std::time::Instant::now();
    let ingested = ingest::ingest_with(&opts.input, &opts.limits)?;
    timing("ingest", started);
    if !ingested.has_ledger() {
        return Err(Error::Input(format!(
            "{} 中没有可用的台账工作表；运行 statbrief check --input {} 查看各文件的原因",
            opts.input.display(),
            opts.input.display()
        )));
    }
    let as_of = match as_of_arg.or_else(|| stats::default_as_of(&ingested)) {
        Some(a) => a,
        None => return Err(Error::Input("重点项目和经济指标台账中都没有报告期，无法确定统计截止月份；请用 --period 指定".into())),
    };
    // Every output goes to a staging folder beside --out and is moved into
    // place only when all are written; a lock keeps two runs apart (see
    // `outputs`).
    let lock = outputs::lock(&opts.out)?;
    let staging = outputs::Staging::begin(&opts.out, &lock)?;
    // Two independent jobs, one per core: the tidy data (written by polars),
    // and the statistics followed by the four reports.
    let (rendered, staged) = rayon::join(
        || -> Result<(Report, Vec<(&'static str, Vec<u8>)>), Error> {
            outputs::fault("render")?;
            let report = stats::compute(&ingested, as_of, &config)?;
            timing("statistics", started);
            // The workbook is the slowest report; the three texts are built
            // beside it, on whichever core the tidy data has left free.
            let (workbook, texts) = rayon::join(
                || report::xlsx::render_workbook(&report),
                || -> Result<(String, String, String), Error> {
                    let metrics = report::json::to_json(&report)?;
                    let html = report::html::render_briefing(&report, opts.templates.as_deref())?;
                    let article = report::article::render_article(&report, opts.templates.as_deref())?;
                    Ok((metrics, html, article))
                },
            );
            timing("reports", started);
            let (metrics, html, article) = texts?;
            let workbook = workbook?;
            let files = vec![
                ("metrics.json", metrics.into_bytes()),
                ("briefing.xlsx", workbook),
                ("briefing.html", html.into_bytes()),
                ("article.md", article.into_bytes()),
            ];
            Ok((report, files))
        },
        || {
            let staged = report::tidy::write_tidy(&ingested.ledgers, &staging.dir().join("data"));
            timing("tidy data", started);
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
            staging.discard();
            return Err(e);
        }
    };
    staging.commit()?;
    drop(lock);
    timing("written", started);
    let stdout = report::console::render_summary(&report, &opts.out);
    let rejected = report.data_quality.rejected_rows();
    if opts.strict && rejected > 0 {
        return Ok(Outcome { stdout, stderr: Some(format!("--strict：有 {rejected} 行被拒收")), exit_code: 1 });
    }
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
