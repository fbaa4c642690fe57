//! What a file really is, from its first bytes, whatever its extension says.
//!
//! Offices receive empty downloads, truncated ones, password-protected
//! workbooks, zipped folders, and — very often from government web reporting
//! systems — `.xls` files that are really an HTML table or CSV/TSV text. The
//! extension cannot be trusted, so this module looks at the content first
//! (zip, OLE compound file, HTML, text), turns every container that cannot
//! be a workbook into a plain Chinese reason, and hands the rest to the
//! reader that fits. When the content is not what the extension says, a note
//! (提示) tells the clerk what the file really was.

use super::workbook::{self, FileContent};
use super::zip_guard;
use std::io::Cursor;

/// The OLE compound file signature (.xls, .doc, encrypted .xlsx).
const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Advice for a workbook with an open password; shared with the xls path.
pub const ENCRYPTED: &str =
    "文件已加密（设有打开密码），无法读取；请在 Excel 中输入密码打开，在“文件→信息→保护工作簿→用密码进行加密”中清空密码，另存一份不设密码的文件再放入输入文件夹";

/// What the first bytes say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    Empty,
    Zip,
    Cfb,
    /// Excel 2003's XML spreadsheet (SpreadsheetML), which calamine cannot read.
    Xml2003,
    Html,
    Text,
    Unknown,
}

pub fn content(bytes: &[u8]) -> Content {
    if bytes.iter().all(|b| b.is_ascii_whitespace() || *b == 0) {
        return Content::Empty;
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") || bytes.starts_with(b"PK\x07\x08") {
        return Content::Zip;
    }
    if bytes.starts_with(&CFB_MAGIC) {
        return Content::Cfb;
    }
    let head = &bytes[..bytes.len().min(4096)];
    if memchr::memmem::find(head, b"urn:schemas-microsoft-com:office:spreadsheet").is_some()
        && memchr::memmem::find(head, b"<html").is_none()
    {
        return Content::Xml2003;
    }
    if super::html_table::looks_like_html(head) {
        return Content::Html;
    }
    if looks_like_text(head) {
        return Content::Text;
    }
    Content::Unknown
}

/// Text when the head has a UTF-16 byte-order mark, or decodes as UTF-8 (a
/// cut multi-byte character at the end allowed) or GB18030 with almost no
/// control characters: a binary file is full of them.
fn looks_like_text(head: &[u8]) -> bool {
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return true;
    }
    let controls = head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')).count();
    if controls * 100 > head.len() {
        return false;
    }
    let utf8 = match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    };
    utf8 || !encoding_rs::GB18030.decode_without_bom_handling(head).1
}

/// Reads one file by what it is. Returns the content and the notes (提示)
/// that say what the file really was when its extension said otherwise.
pub fn read_file(file: &str, stem: &str, ext: &str, bytes: &[u8]) -> (FileContent, Vec<String>) {
    let mut notes = Vec::new();
    let shown_ext = format!(".{ext}");
    let content = match content(bytes) {
        Content::Empty => FileContent::Unreadable(if bytes.is_empty() {
            "文件是空的（0 字节），多半是下载或复制时没有完成；请重新获取原文件".into()
        } else {
            "文件中只有空白，没有任何数据；请重新获取原文件".into()
        }),
        Content::Zip => match zip_guard::inspect(bytes) {
            Ok(kind) => {
                if ext != kind.ext() && !(ext == "xlsm" && kind.ext() == "xlsx") {
                    notes.push(format!("扩展名为 {shown_ext}，实际是 {} 工作簿，已按实际格式读取", kind.ext()));
                }
                in_chinese(workbook::read_workbook_as(file, kind.ext(), bytes))
            }
            Err(why) => FileContent::Unreadable(why),
        },
        Content::Cfb => {
            if is_encrypted(bytes) {
                FileContent::Unreadable(ENCRYPTED.into())
            } else if let Err(why) = super::xls_guard::check(bytes) {
                FileContent::Unreadable(why)
            } else {
                if ext != "xls" {
                    notes.push(format!("扩展名为 {shown_ext}，实际是旧版 xls 工作簿，已按实际格式读取"));
                }
                in_chinese(workbook::read_workbook_as(file, "xls", bytes))
            }
        }
        Content::Html => {
            notes.push(format!("扩展名为 {shown_ext}，实际是网页（HTML）表格，多为业务系统导出；已按表格读取"));
            super::html_table::read_html(file, stem, bytes)
        }
        Content::Text => {
            if ext != "csv" {
                notes.push(format!("扩展名为 {shown_ext}，实际是 {}，已按表格读取", text_kind(bytes)));
            }
            workbook::read_csv(file, stem, bytes)
        }
        Content::Xml2003 => FileContent::Unreadable(
            "这是 Excel 2003 的 XML 表格（XML 电子表格），本程序不能直接读取；请用 Excel 打开，另存为“Excel 工作簿（*.xlsx）”后再放入".into(),
        ),
        Content::Unknown if ext == "csv" => workbook::read_csv(file, stem, bytes),
        Content::Unknown => FileContent::Unreadable(format!(
            "文件内容无法识别：不是 Excel 工作簿（xlsx/xls/xlsb/ods），也不是网页表格或 CSV 文本，可能已损坏或不是台账；请用 Excel 打开确认后另存为 {shown_ext}"
        )),
    };
    (content, notes)
}

fn text_kind(bytes: &[u8]) -> &'static str {
    let head = &bytes[..bytes.len().min(4096)];
    let tabs = head.iter().filter(|&&b| b == b'\t').count();
    let commas = head.iter().filter(|&&b| b == b',').count();
    if tabs > commas {
        "制表符分隔的文本（TSV）"
    } else {
        "逗号分隔的文本（CSV）"
    }
}

/// An OOXML workbook with an open password is an OLE compound file holding
/// an `EncryptedPackage` stream (MS-OFFCRYPTO), not a zip.
pub fn is_encrypted(bytes: &[u8]) -> bool {
    cfb::CompoundFile::open(Cursor::new(bytes))
        .map(|c| c.is_stream("/EncryptedPackage") || c.is_stream("/EncryptionInfo"))
        .unwrap_or(false)
}

/// calamine's errors are English; the clerk gets a Chinese reason, with the
/// library's words kept in brackets for whoever has to look deeper.
fn in_chinese(content: FileContent) -> FileContent {
    match content {
        FileContent::Unreadable(e) if e.contains("password") || e.contains("Password") => {
            FileContent::Unreadable(ENCRYPTED.into())
        }
        FileContent::Unreadable(e) if !e.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) => {
            FileContent::Unreadable(format!(
                "文件已损坏，无法作为工作簿读取；请用 Excel 打开确认，或向报送单位重新索取（{e}）"
            ))
        }
        other => other,
    }
}

/// A ledger sheet with its header and no data row: worth a word, since the
/// clerk may have sent the template instead of the filled-in ledger.
pub fn header_only_note(report: &crate::quality::SheetReport) -> Option<String> {
    let kind = report.kind?;
    (report.skipped_reason.is_none() && report.rows == 0).then(|| {
        format!(
            "工作表只有表头（第{}行），没有数据行，可能报送的是空白模板；本表没有计入任何{}数据",
            report.header_row.unwrap_or(0),
            kind.chinese()
        )
    })
}
