//! `statbrief init`: what an office sends to its towns before the month
//! starts — `statbrief.toml`, one blank template per ledger kind and
//! `填报说明.md` — all built from the schema ingestion reads, so a filled
//! template comes back clean.

pub mod config_toml;
pub mod guide;
pub mod workbook;

use crate::config::{self, Config};
use crate::error::Error;
use crate::model::Kind;
use std::path::{Path, PathBuf};

/// What `init` wrote, and what it left alone.
#[derive(Debug, Clone, Default)]
pub struct InitResult {
    pub written: Vec<PathBuf>,
    /// An existing `statbrief.toml` is never overwritten (it may hold the
    /// office's own comments); its values are used for the templates.
    pub kept: Vec<PathBuf>,
}

/// Writes the configuration, the four templates and the guide into `dir`.
/// The settings come from `config_path`, else an existing
/// `dir/statbrief.toml`, else the defaults; `year` fills the titles'
/// placeholder (`2025年X月`).
pub fn init(dir: &Path, config_path: Option<&Path>, year: i32) -> Result<InitResult, Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::Output(format!("无法创建文件夹 {}：{e}", dir.display())))?;
    let config = Config::load(config_path, dir)?;
    let mut result = InitResult::default();
    let toml_path = dir.join(config::FILE_NAME);
    if toml_path.exists() {
        result.kept.push(toml_path);
    } else {
        write(&toml_path, config_toml::render(&config)?.as_bytes(), &mut result)?;
    }
    for kind in Kind::ALL {
        let bytes = workbook::render(kind, &config, year)
            .map_err(|e| Error::Internal(format!("无法生成模板 {}：{e}", workbook::file_name(kind))))?;
        write(&dir.join(workbook::file_name(kind)), &bytes, &mut result)?;
    }
    write(&dir.join(guide::FILE_NAME), guide::render(&config.region_order).as_bytes(), &mut result)?;
    Ok(result)
}

fn write(path: &Path, bytes: &[u8], result: &mut InitResult) -> Result<(), Error> {
    crate::report::write_atomic(path, bytes)?;
    result.written.push(path.to_path_buf());
    Ok(())
}
