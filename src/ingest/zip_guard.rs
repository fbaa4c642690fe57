//! A look at a zip container before any of it is inflated.
//!
//! xlsx, xlsm, xlsb and ods are zip archives. Three kinds of bad zip reach
//! offices: a download cut short (no central directory at the end), an
//! archive that is not a workbook at all (someone zipped the ledgers), and an
//! archive built to explode when unpacked. calamine would answer each with an
//! English error, or — for the last — inflate gigabytes into memory. The zip
//! crate reads only the central directory when it opens an archive, so the
//! declared sizes of every entry can be checked before a byte is inflated.

use std::io::Cursor;

/// Above this many bytes unpacked (the sum of the sizes the central
/// directory declares) a workbook is not read. The largest real ledger seen
/// (a province's year, 105 MB of xlsx) unpacks to well under 1 GB; calamine
/// holds a workbook's shared strings whole, so the unpacked size is memory.
pub const MAX_UNPACKED_BYTES: u64 = 2 << 30;

/// One entry above this ratio of unpacked to packed bytes, and above
/// [`RATIO_MIN_BYTES`] unpacked, is a bomb: deflate tops out near 1032:1,
/// which only long runs of one byte or one character reach; sheet XML packs
/// at 5–20:1, and even a million identical styled empty rows near 20:1.
pub const MAX_RATIO: u64 = 500;
pub const RATIO_MIN_BYTES: u64 = 64 << 20;

/// What the central directory says the archive is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZipKind {
    Xlsx,
    Xlsb,
    Ods,
}

impl ZipKind {
    /// The extension calamine's reader for this kind answers to.
    pub fn ext(&self) -> &'static str {
        match self {
            ZipKind::Xlsx => "xlsx",
            ZipKind::Xlsb => "xlsb",
            ZipKind::Ods => "ods",
        }
    }
}

/// The workbook kind of a zip held in memory, or why it must not be read
/// (a Chinese message for the clerk).
pub fn inspect(bytes: &[u8]) -> Result<ZipKind, String> {
    let zip = match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(z) => z,
        Err(_) if !has_end_record(bytes) => {
            return Err("文件不完整：压缩结构缺少结尾目录，多半是下载或复制时中断了；请重新下载或复制原文件".into());
        }
        Err(e) => return Err(format!("文件已损坏，压缩结构无法解析（{e}）；请向报送单位重新索取")),
    };
    let mut names = Vec::with_capacity(zip.len());
    let mut unpacked: u64 = 0;
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index_data(i) else {
            continue;
        };
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        let (size, packed) = (entry.size(), entry.compressed_size());
        unpacked = unpacked.saturating_add(size);
        if size > RATIO_MIN_BYTES && size / packed.max(1) > MAX_RATIO {
            return Err(format!(
                "压缩包中的 {name} 声明解压后 {} MB，是压缩后大小的 {} 倍，像是恶意构造的“压缩炸弹”；为防止内存耗尽未读取",
                size >> 20,
                size / packed.max(1)
            ));
        }
        names.push(name);
    }
    if unpacked > MAX_UNPACKED_BYTES {
        return Err(format!(
            "文件解压后共 {} MB，超过上限 {} MB（可能是恶意构造的“压缩炸弹”）；为防止内存耗尽未读取",
            unpacked >> 20,
            MAX_UNPACKED_BYTES >> 20
        ));
    }
    let has = |n: &str| names.iter().any(|x| x.eq_ignore_ascii_case(n));
    if has("xl/workbook.xml") {
        Ok(ZipKind::Xlsx)
    } else if has("xl/workbook.bin") {
        Ok(ZipKind::Xlsb)
    } else if has("content.xml") {
        Ok(ZipKind::Ods)
    } else {
        let shown: Vec<&str> = names.iter().take(3).map(String::as_str).collect();
        let example = if shown.is_empty() {
            "空的压缩包".to_string()
        } else {
            format!("内有 {} 个文件，如 {}", names.len(), shown.join("、"))
        };
        Err(format!("这是一个 zip 压缩包（{example}），不是 Excel 工作簿；如果台账在压缩包里，请先解压，再把其中的台账放入输入文件夹"))
    }
}

/// True when the zip's end-of-central-directory record is present: its
/// signature within the last 64 KB + 22 bytes (the record plus the longest
/// comment). A truncated download loses it first.
fn has_end_record(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(65_557)..];
    memchr::memmem::rfind(tail, b"PK\x05\x06").is_some()
}
