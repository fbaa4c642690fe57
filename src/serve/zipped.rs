//! Taking ledgers out of an uploaded `.zip`, safely.
//!
//! A zip is the one upload whose contents name paths and sizes the client
//! chose, so before anything is inflated every entry is checked: a name with
//! `..` or an absolute path (`/x`, `\x`, `C:`) refuses the whole archive (it
//! was made to escape, not by an office), and the sizes the archive declares
//! are added up and compared with the limit (a zip bomb declares gigabytes in
//! a few kilobytes). While inflating, each entry is cut at its declared size,
//! so an archive that lies about its sizes gains nothing. Only the entries'
//! contents are used: where they land is decided by the upload module.
//!
//! Names: Windows' built-in zip tool writes Chinese names in GBK without the
//! UTF-8 flag, so a name that is not valid UTF-8 is read as GBK.

use std::io::{Cursor, Read};

/// The most entries looked at in one archive.
const MAX_ENTRIES: usize = 10_000;

/// An entry taken out: its path inside the archive (for messages and the
/// file's base name) and its bytes.
pub struct Entry {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What an archive gave.
#[derive(Default)]
pub struct Extracted {
    pub entries: Vec<Entry>,
    /// Entries not taken out (folders excepted), with the reason.
    pub skipped: Vec<(String, String)>,
}

/// The entry name as text: UTF-8 when it is, else GBK.
pub fn decode_name(raw: &[u8]) -> String {
    match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GBK.decode(raw).0.into_owned(),
    }
}

/// Whether an entry name tries to leave the folder it is extracted into.
pub fn escapes(name: &str) -> bool {
    let n = name.replace('\\', "/");
    let bytes = n.as_bytes();
    let drive = bytes.len() >= 2 && bytes[1] == b':' && bytes[0].is_ascii_alphabetic();
    n.starts_with('/') || drive || n.split('/').any(|part| part == "..")
}

/// Takes out the entries `wanted` accepts (by name), within `limit`
/// uncompressed bytes in all. `label` names the archive in messages.
pub fn extract(label: &str, bytes: &[u8], limit: u64, wanted: impl Fn(&str) -> bool) -> Result<Extracted, String> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| format!("「{label}」不是有效的 zip 压缩包，无法解压"))?;
    if archive.len() > MAX_ENTRIES {
        return Err(format!("「{label}」中有 {} 个条目，超过上限 {MAX_ENTRIES} 个", archive.len()));
    }
    let mut out = Extracted::default();
    let mut take = Vec::new();
    let mut declared: u64 = 0;
    // First pass: names and declared sizes only, nothing inflated.
    for i in 0..archive.len() {
        let file = archive.by_index_raw(i).map_err(|_| format!("「{label}」已损坏（第 {} 个条目无法读取）", i + 1))?;
        let name = decode_name(file.name_raw());
        if escapes(&name) {
            return Err(format!("「{label}」中的条目「{name}」含有“..”或绝对路径，整个压缩包已拒收"));
        }
        if file.is_dir() || name.ends_with('/') || name.starts_with("__MACOSX/") {
            continue;
        }
        if file.encrypted() {
            out.skipped.push((name, "条目已加密，无法读取".into()));
            continue;
        }
        if !wanted(&name) {
            out.skipped.push((name, "不是台账文件".into()));
            continue;
        }
        declared = declared.saturating_add(file.size());
        if declared > limit {
            return Err(format!(
                "「{label}」解压后超过 {} MB（疑似压缩炸弹），整个压缩包已拒收",
                limit / (1024 * 1024)
            ));
        }
        take.push((i, name, file.size()));
    }
    // Second pass: inflate, each entry cut one byte past its declared size.
    for (i, name, size) in take {
        let file = archive.by_index(i).map_err(|_| format!("「{label}」中的「{name}」无法解压"))?;
        let mut bytes = Vec::with_capacity(size.min(64 * 1024 * 1024) as usize);
        file.take(size.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|_| format!("「{label}」中的「{name}」无法解压（压缩包可能已损坏）"))?;
        if bytes.len() as u64 != size {
            return Err(format!("「{label}」中的「{name}」实际大小与声明不符，整个压缩包已拒收"));
        }
        out.entries.push(Entry { name, bytes });
    }
    Ok(out)
}
