//! Repairs to CSV/TSV text before it is split into fields.
//!
//! Web reporting systems and old office tools write text that Excel opens
//! without complaint but a CSV parser does not: UTF-16 with a byte-order
//! mark (Excel's "Unicode text"), stray NUL bytes (a fixed-width export
//! padded with zeros), and line breaks mixing CRLF, LF and a lone CR (old
//! Mac tools). The csv crate splits records on all three but counts lines by
//! LF only, and a record's line is known exactly only once the line break
//! after it has been read; row numbers are worked out from those lines. So
//! every line break becomes one LF, the text ends with one, and NULs are
//! dropped with a warning rather than kept inside a project's name. (Before
//! this, a CRLF file — what Excel on Windows writes — gave its header and
//! first data row the same row number.)

/// UTF-16 text with a byte-order mark, decoded; `None` without one.
pub fn decode_utf16(bytes: &[u8]) -> Option<(String, &'static str)> {
    let (encoding, name) = if bytes.starts_with(b"\xFF\xFE") {
        (encoding_rs::UTF_16LE, "UTF-16LE")
    } else if bytes.starts_with(b"\xFE\xFF") {
        (encoding_rs::UTF_16BE, "UTF-16BE")
    } else {
        return None;
    };
    let (text, _) = encoding.decode_with_bom_removal(bytes);
    Some((text.into_owned(), name))
}

/// The text with NULs removed, every line break (CRLF, lone CR) made an LF,
/// and an LF at the end; and how many NULs there were. Text with no CR and
/// no NUL is not copied.
pub fn clean(text: String) -> (String, usize) {
    let nuls = memchr::memchr_iter(0, text.as_bytes()).count();
    let has_cr = memchr::memchr(b'\r', text.as_bytes()).is_some();
    let mut text = if nuls == 0 && !has_cr {
        text
    } else {
        let mut out = String::with_capacity(text.len());
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\0' => {}
                '\r' => {
                    if chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    out.push('\n');
                }
                c => out.push(c),
            }
        }
        out
    };
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    (text, nuls)
}

/// The warning for a CSV that held NUL bytes.
pub fn nul_message(count: usize) -> String {
    format!("文件中有 {count} 个空字符（NUL，多为系统导出时的填充），已忽略；其余内容照常读取")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_and_nuls() {
        assert_eq!(clean("a\r\nb\rc\nd\0e".into()), ("a\nb\nc\nde\n".to_string(), 1));
        assert_eq!(clean("plain\r\n".into()), ("plain\n".to_string(), 0));
        assert_eq!(clean("end\r".into()), ("end\n".to_string(), 0));
        assert_eq!(clean("last line".into()), ("last line\n".to_string(), 0));
        assert_eq!(clean(String::new()), (String::new(), 0));
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        for u in "项目,1".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode_utf16(&le).map(|t| t.0), Some("项目,1".to_string()));
        assert_eq!(decode_utf16(b"plain"), None);
    }
}
