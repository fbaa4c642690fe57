//! Nothing half-written: a run's outputs appear together or not at all.
//!
//! A run writes five outputs and a data folder. If it fails or is killed
//! half-way, a clerk must still find the previous briefing whole, never a
//! new `metrics.json` beside an old `briefing.xlsx`. So every output is
//! written into a staging folder beside `--out` (same parent, hence the same
//! file system, so moving is a rename), and only when all of them are
//! written is the old folder set aside and the staging folder renamed into
//! its place. Entries in the old folder that the run does not write (an
//! office's own notes) are carried over into the new one.
//!
//! Two runs on one `--out` would interleave their files, so a run holds an
//! OS file lock (`.<name>.lock` beside the folder) from before staging until
//! the move is done. The OS drops the lock when a process dies, so a killed
//! run never leaves a stale lock behind; the lock file itself stays (removing
//! it would let a third run lock a fresh file while a second still holds the
//! old one).
//!
//! A run killed between setting the old folder aside and moving the new one
//! in leaves `.<name>.old` holding the previous outputs whole; the next run
//! on that folder puts it back before doing anything else.

use crate::error::Error;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

fn io_err(path: &Path, e: std::io::Error) -> Error {
    Error::Output(format!("{}：{e}", path.display()))
}

/// `--out` as parent folder and final name, both needed for the siblings.
fn split(out: &Path) -> Result<(PathBuf, String), Error> {
    let abs = std::path::absolute(out).map_err(|e| io_err(out, e))?;
    let name = abs.file_name().map(|n| n.to_string_lossy().into_owned());
    match (abs.parent(), name) {
        (Some(parent), Some(name)) if name != ".." => Ok((parent.to_path_buf(), name)),
        _ => Err(Error::Usage(format!("--out {} 不能用作输出文件夹：请给出一个文件夹名（如 out）", out.display()))),
    }
}

/// The lock on one output folder, held until dropped.
#[derive(Debug)]
pub struct OutputLock {
    _file: File,
}

/// Takes the lock on `out`, or says that another run holds it.
pub fn lock(out: &Path) -> Result<OutputLock, Error> {
    let (parent, name) = split(out)?;
    fs::create_dir_all(&parent).map_err(|e| io_err(&parent, e))?;
    let path = parent.join(format!(".{name}.lock"));
    let mut file =
        OpenOptions::new().create(true).truncate(false).write(true).open(&path).map_err(|e| io_err(&path, e))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            return Err(Error::Input(format!(
                "另一个 statbrief 正在向 {} 写出结果（锁文件 {}）；两次运行不能同时写同一个输出文件夹，请等它结束后再运行，或换一个 --out",
                out.display(),
                path.display()
            )))
        }
        Err(fs::TryLockError::Error(e)) => return Err(io_err(&path, e)),
    }
    // Which process holds it, for whoever looks at the file.
    let _ = file.set_len(0);
    let _ = writeln!(file, "{}", std::process::id());
    hold_for_tests();
    Ok(OutputLock { _file: file })
}

/// Test hook: `STATBRIEF_HOLD_LOCK_MS` keeps the lock that long, so a test
/// can start a second run while the first one holds it.
fn hold_for_tests() {
    if let Some(ms) = std::env::var("STATBRIEF_HOLD_LOCK_MS").ok().and_then(|v| v.parse::<u64>().ok()) {
        std::thread::sleep(std::time::Duration::from_millis(ms.min(60_000)));
    }
}

/// Test hook: `STATBRIEF_FAIL_AT=<stage>` makes the run fail at that stage
/// (`render`, `write`, `move`), and `<stage>:abort` kills the process there
/// without any clean-up, as a power cut or Task Manager would.
pub fn fault(stage: &str) -> Result<(), Error> {
    let Ok(v) = std::env::var("STATBRIEF_FAIL_AT") else {
        return Ok(());
    };
    let (at, abort) = match v.split_once(':') {
        Some((at, how)) => (at.to_string(), how == "abort"),
        None => (v, false),
    };
    if at != stage {
        return Ok(());
    }
    if abort {
        std::process::abort();
    }
    Err(Error::Output(format!("测试注入的故障（{stage}）")))
}

/// A staging folder for one run's outputs, beside `--out`.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    old: PathBuf,
}

impl Staging {
    /// Repairs what a killed run left (see the module notes) and creates a
    /// fresh staging folder. Call with the lock held.
    pub fn begin(out: &Path, _lock: &OutputLock) -> Result<Staging, Error> {
        let (parent, name) = split(out)?;
        let out = parent.join(&name);
        if out.exists() && !out.is_dir() {
            return Err(Error::Usage(format!("--out {} 是一个文件，不是文件夹", out.display())));
        }
        let old = parent.join(format!(".{name}.old"));
        if old.exists() {
            if out.exists() {
                carry_over(&old, &out)?;
                fs::remove_dir_all(&old).map_err(|e| io_err(&old, e))?;
            } else {
                fs::rename(&old, &out).map_err(|e| io_err(&out, e))?;
            }
        }
        let dir = parent.join(format!(".{name}.staging"));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| io_err(&dir, e))?;
        }
        fs::create_dir_all(&dir).map_err(|e| io_err(&dir, e))?;
        Ok(Staging { dir, out, old })
    }

    /// Where outputs are written before the move.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<(), Error> {
        let path = self.dir.join(name);
        fs::write(&path, bytes).map_err(|e| io_err(&path, e))
    }

    /// Moves the staged outputs into place: the old folder aside, the new
    /// one in, the office's own files carried over, the old folder removed.
    pub fn commit(self) -> Result<(), Error> {
        let had_old = self.out.exists();
        if had_old {
            fs::rename(&self.out, &self.old).map_err(|e| io_err(&self.out, e))?;
        }
        let moved = fault("move").and_then(|_| fs::rename(&self.dir, &self.out).map_err(|e| io_err(&self.out, e)));
        if let Err(e) = moved {
            if had_old {
                let _ = fs::rename(&self.old, &self.out);
            }
            let _ = fs::remove_dir_all(&self.dir);
            return Err(e);
        }
        if had_old {
            carry_over(&self.old, &self.out)?;
            fs::remove_dir_all(&self.old).map_err(|e| io_err(&self.old, e))?;
        }
        Ok(())
    }

    /// Removes the staging folder after a failure; the old outputs stay.
    pub fn discard(self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Writes one folder as a run writes `--out`: under its lock, into a staging
/// folder beside it, moved into place only when `write` has succeeded (the
/// same injected failures apply). `check --tidy` writes its data this way, so
/// a failed or concurrent check never leaves half a data folder either.
pub fn write_folder(out: &Path, write: impl FnOnce(&Path) -> Result<(), Error>) -> Result<(), Error> {
    let lock = lock(out)?;
    let staging = Staging::begin(out, &lock)?;
    let written = fault("render").and_then(|_| write(staging.dir())).and_then(|_| fault("write"));
    if let Err(e) = written {
        staging.discard();
        return Err(e);
    }
    staging.commit()?;
    drop(lock);
    Ok(())
}

/// Moves the entries of `old` that `new` does not have into `new`.
fn carry_over(old: &Path, new: &Path) -> Result<(), Error> {
    let entries = fs::read_dir(old).map_err(|e| io_err(old, e))?;
    for entry in entries.flatten() {
        let target = new.join(entry.file_name());
        if !target.exists() {
            fs::rename(entry.path(), &target).map_err(|e| io_err(&target, e))?;
        }
    }
    Ok(())
}
