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
    #[error("文件读写错误：{}", io_reason(.0))]
    Io(#[from] std::io::Error),
}

/// Why a file could not be read or written, in plain Chinese: the
/// operating system's own text is English (`No space left on device`), and
/// a clerk reads this. The system's error code stays in brackets for the
/// office's IT.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let why = match e.kind() {
        K::NotFound => "文件或文件夹不存在",
        K::PermissionDenied => "没有权限（文件可能正被其他程序打开，或文件夹不允许写入）",
        K::ReadOnlyFilesystem => "磁盘或文件夹是只读的",
        K::StorageFull | K::QuotaExceeded => "磁盘空间不足",
        K::FileTooLarge => "文件超过磁盘允许的大小",
        K::AlreadyExists => "已有同名文件",
        K::IsADirectory => "该路径是文件夹，不是文件",
        K::NotADirectory => "路径中有一段不是文件夹",
        K::DirectoryNotEmpty => "文件夹不是空的",
        K::CrossesDevices => "不能跨磁盘移动",
        K::InvalidFilename => "文件名不合法",
        _ => "系统错误",
    };
    match e.raw_os_error() {
        Some(code) => format!("{why}（系统错误码 {code}）"),
        None => why.to_string(),
    }
}

/// [`io_reason`] for a polars error that comes from a file error; other
/// polars errors keep their own text. polars' Parquet writer passes a file
/// error on only as text (`… underlying IO error: No space left on device
/// (os error 28)`), so the system's code is read back from that text: it is
/// the one part of it that means the same in every language.
pub fn polars_reason(e: &polars::error::PolarsError) -> String {
    if let polars::error::PolarsError::IO { error, .. } = e {
        return io_reason(error);
    }
    let text = e.to_string();
    let code = text.rsplit_once("(os error ").and_then(|(_, rest)| rest.split_once(')')?.0.parse::<i32>().ok());
    match code {
        Some(code) => io_reason(&std::io::Error::from_raw_os_error(code)),
        None => text,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_errors_are_told_in_chinese_with_the_system_code() {
        // 28 is ENOSPC and 13 EACCES on Linux.
        let full = std::io::Error::from_raw_os_error(28);
        assert_eq!(io_reason(&full), "磁盘空间不足（系统错误码 28）");
        let denied = std::io::Error::from_raw_os_error(13);
        assert!(io_reason(&denied).starts_with("没有权限"));
        assert_eq!(Error::Io(full).to_string(), "文件读写错误：磁盘空间不足（系统错误码 28）");
        let missing = std::io::Error::new(std::io::ErrorKind::NotFound, "gone");
        assert_eq!(io_reason(&missing), "文件或文件夹不存在");
        let wrapped = polars::error::PolarsError::ComputeError("parquet: underlying IO error: x (os error 13)".into());
        assert!(polars_reason(&wrapped).starts_with("没有权限"));
        let other = polars::error::PolarsError::ComputeError("bad schema".into());
        assert_eq!(polars_reason(&other), "bad schema");
    }
}
