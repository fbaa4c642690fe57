//! The one error type of statbrief.
//!
//! Only what stops a whole run is an error (a missing folder, no usable
//! sheet, an output that cannot be written, a bad configuration). Problems
//! inside ledgers are data-quality issues instead, and the run goes on.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum Error {
    /// The input cannot be used at all: exit status 2.
    #[error("{0}")]
    Input(String),
    /// A usage error: bad `--period`, bad configuration.
    #[error("{0}")]
    Usage(String),
    #[error("写出结果失败：{0}")]
    Output(String),
    #[error("内部错误：{0}")]
    Internal(String),
    #[error("数据处理错误：{0}")]
    Polars(#[from] polars::error::PolarsError),
    #[error("文件读写错误：{0}")]
    Io(#[from] std::io::Error),
}

impl Error {
    /// Exit status for the command line. SPEC §3 fixes 2 for usage and input
    /// errors; the others are told apart so that a script (or the office's
    /// IT) knows whose move it is: 3 when the outputs could not be written
    /// (disk full, no permission: the machine's), 4 for an internal error
    /// (statbrief's: please report it).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input(_) | Error::Usage(_) => 2,
            Error::Output(_) | Error::Io(_) => 3,
            Error::Internal(_) | Error::Polars(_) => 4,
        }
    }
}
