//! The `statbrief` command line: parses the arguments, calls the library,
//! maps errors to exit codes (0 written, 1 rejected rows under `--strict`,
//! 2 usage or fatal input error).

use clap::{Parser, Subcommand};
use statbrief::app;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "statbrief", version, about = "统计台账 → 季度简报：读取、校验、统计、出报告")]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// No progress bar on standard error.
    #[arg(long, short, global = true)]
    quiet: bool,
    /// Log each file as it is read, with its time.
    #[arg(long, short, global = true)]
    verbose: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Read and validate the ledgers only; print row accounting and issues.
    Check {
        /// Folder of ledgers (read recursively).
        #[arg(long)]
        input: PathBuf,
        /// Print the data_quality block as JSON instead of the table.
        #[arg(long)]
        json: bool,
        /// Exit with status 1 when any row was rejected.
        #[arg(long)]
        strict: bool,
        /// Also write the normalised ledgers (Parquet + CSV) into this folder.
        #[arg(long)]
        tidy: Option<PathBuf>,
        /// Also write, per file with problems, OUT/<file>_问题清单.xlsx to send back.
        #[arg(long, value_name = "OUT")]
        returns: Option<PathBuf>,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Ingest, compute every figure and write the outputs into --out.
    Run {
        /// Folder of ledgers (read recursively).
        #[arg(long)]
        input: PathBuf,
        /// As-of period: 2023Q1, 2023H1, 2023-05 or 2023 (default: the latest found).
        #[arg(long)]
        period: Option<String>,
        /// Output folder (created; files in it are replaced).
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// statbrief.toml (default: the one in the input folder, if any).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Folder of templates overriding the built-in ones, one file at a time.
        #[arg(long)]
        templates: Option<PathBuf>,
        /// Exit with status 1 when any row was rejected.
        #[arg(long)]
        strict: bool,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Serve the clerks' web page on 127.0.0.1 (upload, check, run, download).
    Serve {
        /// Port on 127.0.0.1 (0: any free port).
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Folder for the batches (default: the per-user data folder).
        #[arg(long)]
        data: Option<PathBuf>,
        /// Do not open the browser.
        #[arg(long)]
        no_open: bool,
        /// Largest upload, in MB.
        #[arg(long, default_value_t = 200)]
        max_upload_mb: usize,
    },
    /// Write statbrief.toml, the four blank ledger templates and 填报说明.md into DIR.
    Init {
        dir: PathBuf,
        /// Settings to use (default: DIR/statbrief.toml if it exists, else the defaults).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Print the columns, header aliases, required columns and value foldings ingestion accepts.
    Schema {
        /// Only this kind: projects, indicators, visits or targets.
        #[arg(long)]
        kind: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Write a fictional county's ledgers (the sample data set).
    Sample {
        #[arg(long, default_value = "sample_data")]
        out: PathBuf,
        /// 1 = the committed sample; larger values multiply projects and visits.
        #[arg(long, default_value_t = 1)]
        scale: u32,
        /// county (the committed sample) or province (100 regions, a year of
        /// monthly visit increments; --scale in tenths of the full set).
        #[arg(long, value_enum, default_value_t = Shape::County)]
        shape: Shape,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Shape {
    County,
    Province,
}

/// Limits on the input (exit status 2 when one is hit).
#[derive(clap::Args)]
struct LimitArgs {
    /// Most data rows read across the whole input.
    #[arg(long, default_value_t = statbrief::ingest::limits::DEFAULT_MAX_ROWS)]
    max_rows: u64,
    /// Largest file read, in MB.
    #[arg(long, default_value_t = statbrief::ingest::limits::DEFAULT_MAX_FILE_MB)]
    max_file_mb: u64,
}

impl LimitArgs {
    fn limits(&self) -> statbrief::ingest::Limits {
        statbrief::ingest::Limits::new(self.max_rows, self.max_file_mb)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    statbrief::progress::init(cli.quiet, cli.verbose);
    let result = match cli.command {
        Command::Check { input, json, strict, tidy, returns, limits } => {
            app::check(&app::CheckOptions { input, json, strict, tidy, returns, limits: limits.limits() })
        }
        Command::Init { dir, config } => app::init(&dir, config.as_deref()),
        Command::Schema { kind, json } => app::schema(kind.as_deref(), json),
        Command::Run { input, period, out, config, templates, strict, limits } => {
            app::run(&app::RunOptions { input, out, period, config, templates, strict, limits: limits.limits() })
        }
        Command::Serve { port, data, no_open, max_upload_mb } => {
            statbrief::serve::run(&statbrief::serve::ServeOptions {
                port,
                data,
                no_open,
                body_limit: max_upload_mb.saturating_mul(1024 * 1024),
            })
        }
        Command::Sample { out, scale, shape } => match shape {
            Shape::County => statbrief::sample::generate(&out, scale).map(|_| ()),
            Shape::Province => statbrief::sample::province::generate(&out, scale).map(|_| ()),
        }
        .map(|_| app::Outcome {
            stdout: format!("样例数据已写入 {}\n", out.display()), stderr: None, exit_code: 0
        })
        .map_err(|e| statbrief::Error::Output(e.to_string())),
    };
    match result {
        Ok(outcome) => {
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(outcome.stdout.as_bytes());
            let _ = stdout.flush();
            if let Some(msg) = outcome.stderr {
                eprintln!("statbrief: {msg}");
            }
            ExitCode::from(outcome.exit_code as u8)
        }
        Err(e) => {
            eprintln!("statbrief: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}
