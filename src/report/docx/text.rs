//! The article's Markdown as the document's paragraphs.
//!
//! briefing.docx says exactly what article.md says: its text is the same
//! template rendered the same way (so `--templates` changes both), read back
//! here line by line. Only what the article template writes is understood —
//! `#` for the title, `##`/`###` for headings, one line per paragraph —
//! because a full Markdown parser would bring formatting a 公文 must not
//! have (links, emphasis, lists with bullets).

/// The level of a heading by its numbering, as GB/T 9704 orders them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadingLevel {
    /// `一、` — 黑体.
    First,
    /// `（一）` — 楷体.
    Second,
    /// `1.` — 仿宋.
    Third,
    /// `（1）` — 仿宋.
    Fourth,
}

/// One block of the article.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Title(String),
    Heading(HeadingLevel, String),
    Paragraph(String),
}

/// The pieces of the article, in order; blank lines separate nothing.
pub fn pieces(markdown: &str) -> Vec<Piece> {
    markdown.lines().filter_map(piece).collect()
}

fn piece(line: &str) -> Option<Piece> {
    let line = line.trim();
    if line.is_empty() {
        return None;
    }
    let hashes = line.chars().take_while(|c| *c == '#').count();
    let text = plain(line[hashes..].trim());
    if text.is_empty() {
        return None;
    }
    Some(match hashes {
        0 => match numbered_level(&text) {
            // A numbered line that is only a heading (short, no full stop)
            // is one; a paragraph that starts `1.` stays a paragraph.
            Some(level) if !text.contains('。') && text.chars().count() <= 30 => Piece::Heading(level, text),
            _ => Piece::Paragraph(text),
        },
        1 => Piece::Title(text),
        n => Piece::Heading(
            numbered_level(&text).unwrap_or(if n == 2 { HeadingLevel::First } else { HeadingLevel::Second }),
            text,
        ),
    })
}

/// The level a heading's numbering implies: `一、`, `（一）`, `1.`/`1．`, `（1）`.
pub fn numbered_level(text: &str) -> Option<HeadingLevel> {
    const HAN: &str = "一二三四五六七八九十";
    let chars: Vec<char> = text.chars().collect();
    let run = |from: usize, f: &dyn Fn(char) -> bool| chars[from..].iter().take_while(|c| f(**c)).count();
    let han = |c: char| HAN.contains(c);
    let digit = |c: char| c.is_ascii_digit();
    let open = |c: char| c == '（' || c == '(';
    let close = |c: char| c == '）' || c == ')';
    if let Some(first) = chars.first().copied() {
        if han(first) {
            let n = run(0, &han);
            return (chars.get(n) == Some(&'、')).then_some(HeadingLevel::First);
        }
        if digit(first) {
            let n = run(0, &digit);
            return matches!(chars.get(n), Some('.') | Some('．')).then_some(HeadingLevel::Third);
        }
        if open(first) {
            let n = run(1, &han);
            if n > 0 && chars.get(1 + n).copied().is_some_and(close) {
                return Some(HeadingLevel::Second);
            }
            let n = run(1, &digit);
            if n > 0 && chars.get(1 + n).copied().is_some_and(close) {
                return Some(HeadingLevel::Fourth);
            }
        }
    }
    None
}

/// Width of a text in full-width characters: ASCII letters and figures are half.
pub fn display_width(text: &str) -> f64 {
    text.chars().map(|c| if c.is_ascii() { 0.5 } else { 1.0 }).sum()
}

/// The lines a title is set in. GB/T 9704 §7.3.2: a title that does not fit
/// one line breaks where the sense allows and the lines stay balanced
/// (回行时要做到词意完整，排列对称). So a title wider than `per_line`
/// characters is broken in two after a word that ends a phrase (a period
/// `月`, a place `县`/`市`/`区`, `的`, `和`, `于`) nearest the middle, else in
/// the middle; never leaving one character alone on a line.
pub fn title_lines(title: &str, per_line: f64) -> Vec<String> {
    let total = display_width(title);
    if total <= per_line {
        return vec![title.to_string()];
    }
    let chars: Vec<char> = title.chars().collect();
    let mut best: Option<(f64, usize)> = None;
    let mut middle: Option<(f64, usize)> = None;
    let mut left = 0.0;
    for (i, c) in chars.iter().enumerate() {
        left += if c.is_ascii() { 0.5 } else { 1.0 };
        // Breaking after character i leaves at least two on each line.
        let at = i + 1;
        if at < 2 || at + 2 > chars.len() {
            continue;
        }
        let imbalance = (total - 2.0 * left).abs();
        let fits = left <= per_line && total - left <= per_line;
        if fits && "月县市区的和于".contains(*c) && best.is_none_or(|(b, _)| imbalance < b) {
            best = Some((imbalance, at));
        }
        if middle.is_none_or(|(m, _)| imbalance < m) {
            middle = Some((imbalance, at));
        }
    }
    match best.or(middle) {
        Some((_, at)) => vec![chars[..at].iter().collect(), chars[at..].iter().collect()],
        None => vec![title.to_string()],
    }
}

/// The text without Markdown's marks: `**`, `__`, a leading `- `/`* `/`> `,
/// and backslash escapes.
fn plain(text: &str) -> String {
    let text = text.trim_start_matches("> ").trim_start_matches("- ").trim_start_matches("* ");
    let text = text.replace("**", "").replace("__", "");
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
                continue;
            }
        }
        out.push(c);
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_by_numbering_and_markdown() {
        let md = "# 2023年1—3月简报\n\n## 一、重点项目建设\n\n1—3月，全县完成投资3.48亿元。\n\n### （一）分地区\n1. 白水镇\n（1）甲项目\n1.5亿元是全年的一半。\n## 附注\n";
        assert_eq!(
            pieces(md),
            vec![
                Piece::Title("2023年1—3月简报".into()),
                Piece::Heading(HeadingLevel::First, "一、重点项目建设".into()),
                Piece::Paragraph("1—3月，全县完成投资3.48亿元。".into()),
                Piece::Heading(HeadingLevel::Second, "（一）分地区".into()),
                Piece::Heading(HeadingLevel::Third, "1. 白水镇".into()),
                Piece::Heading(HeadingLevel::Fourth, "（1）甲项目".into()),
                // `1.5` is a number, not a numbering.
                Piece::Paragraph("1.5亿元是全年的一半。".into()),
                Piece::Heading(HeadingLevel::First, "附注".into()),
            ]
        );
    }

    #[test]
    fn long_titles_break_between_words_and_balanced() {
        // 20 characters wide (2025, 1 and 6 are half): over 19.
        assert_eq!(
            title_lines("2025年1—6月青山县经济运行和重点工作简报", 19.1),
            vec!["2025年1—6月青山县", "经济运行和重点工作简报"]
        );
        assert_eq!(title_lines("2025年1—6月简报", 20.1), vec!["2025年1—6月简报"]);
        // No word to break after: the middle.
        assert_eq!(title_lines("甲乙丙丁戊己庚辛", 5.0), vec!["甲乙丙丁", "戊己庚辛"]);
    }

    #[test]
    fn markdown_marks_are_dropped() {
        assert_eq!(pieces("**重点**项目\\*"), vec![Piece::Paragraph("重点项目*".into())]);
        assert_eq!(numbered_level("十二、其他"), Some(HeadingLevel::First));
        assert_eq!(numbered_level("（十）其他"), Some(HeadingLevel::Second));
        assert_eq!(numbered_level("一季度"), None);
        assert_eq!(numbered_level("2023年"), None);
    }
}
