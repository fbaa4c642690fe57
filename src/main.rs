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
    /// Write a fictional county's ledgers (the sample data set).
    Sample {
        #[arg(long, default_value = "sample_data")]
        out: PathBuf,
        /// 1 = the committed sample; larger values multiply projects and visits.
        #[arg(long, default_value_t = 1)]
        scale: u32,
    },
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
    let result = match cli.command {
        Command::Check { input, json, strict, tidy, limits } => {
            app::check(&app::CheckOptions { input, json, strict, tidy, limits: limits.limits() })
        }
        Command::Run { input, period, out, config, templates, strict, limits } => {
            app::run(&app::RunOptions { input, out, period, config, templates, strict, limits: limits.limits() })
        }
        Command::Sample { out, scale } => statbrief::sample::generate(&out, scale)
            .map(|_| app::Outcome { stdout: format!("样例数据已写入 {}\n", out.display()), stderr: None, exit_code: 0 })
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
