//! The small inline markup authors may use in text: `*emphasis*`, `**strong**`, `` `code` ``,
//! and `\*` and `` \` `` for a literal star and backtick. Inside code, stars are taken as
//! written. Line breaks inside a paragraph are folded into spaces, as in Markdown, so
//! authors can wrap their TOML strings freely; a blank line starts a new paragraph.

use crate::course::{Emphasis, Rich, Run};

/// Splits text into paragraphs at blank lines and parses each.
/// Returns `None` when a `*` or `**` is left open, so validation can point at it.
pub fn paragraphs(text: &str) -> Option<Vec<Rich>> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(inline(&std::mem::take(&mut current))?);
            }
        } else {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(line.trim());
        }
    }
    if !current.is_empty() {
        out.push(inline(&current)?);
    }
    Some(out)
}

/// Parses one paragraph's inline markup, folding runs of white space into one space.
pub fn inline(text: &str) -> Option<Rich> {
    if is_plain(text) {
        return Some(Rich(vec![Run { text: text.to_owned(), emphasis: Emphasis::Plain }]));
    }
    inline_marked(text)
}

/// Whether `text` reads the same without parsing: no markup, and no white space but single
/// spaces. Most paragraphs are like this, and loading checks them all, so this looks at
/// bytes: any byte that could start a star, an escape, a second space or white space other
/// than a space (tabs, line breaks, U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029,
/// U+202F, U+205F, U+3000) sends the text to the full parser.
fn is_plain(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().all(|(i, &b)| match b {
        b'*' | b'`' | b'\\' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | 0xC2 | 0xE1 | 0xE3 => false,
        b' ' => bytes.get(i + 1) != Some(&b' '),
        0xE2 => !matches!(
            (bytes.get(i + 1), bytes.get(i + 2)),
            (Some(0x80), Some(0x80..=0x8A | 0xA8 | 0xA9 | 0xAF)) | (Some(0x81), Some(0x9F))
        ),
        _ => true,
    })
}

/// [`inline`] for text with markup or white space to fold.
fn inline_marked(text: &str) -> Option<Rich> {
    let mut runs: Vec<Run> = Vec::new();
    let mut emphasis = Emphasis::Plain;
    let mut buffer = String::new();
    let mut chars = text.chars().peekable();
    let mut last_was_space = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' if matches!(chars.peek(), Some(&('*' | '`'))) => {
                buffer.extend(chars.next());
                last_was_space = false;
            }
            '`' if emphasis == Emphasis::Code => {
                flush(&mut runs, &mut buffer, emphasis);
                emphasis = Emphasis::Plain;
            }
            // Code may sit inside no other markup, and nothing is markup inside it.
            '`' if emphasis == Emphasis::Plain => {
                flush(&mut runs, &mut buffer, emphasis);
                emphasis = Emphasis::Code;
            }
            '`' => return None,
            '*' if emphasis == Emphasis::Code => {
                buffer.push('*');
                last_was_space = false;
            }
            '*' => {
                let marker = if chars.peek() == Some(&'*') {
                    chars.next();
                    Emphasis::Bold
                } else {
                    Emphasis::Italic
                };
                flush(&mut runs, &mut buffer, emphasis);
                emphasis = match (emphasis, marker) {
                    (Emphasis::Plain, m) => m,
                    (open, m) if open == m => Emphasis::Plain,
                    // `*a **b** c*`: nesting is not supported; it is an unclosed marker.
                    _ => return None,
                };
            }
            c if c.is_whitespace() => {
                if !last_was_space {
                    buffer.push(' ');
                }
                last_was_space = true;
            }
            c => {
                buffer.push(c);
                last_was_space = false;
            }
        }
    }
    flush(&mut runs, &mut buffer, emphasis);
    (emphasis == Emphasis::Plain).then_some(Rich(runs))
}

fn flush(runs: &mut Vec<Run>, buffer: &mut String, emphasis: Emphasis) {
    if !buffer.is_empty() {
        runs.push(Run { text: std::mem::take(buffer), emphasis });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, emphasis: Emphasis) -> Run {
        Run { text: text.into(), emphasis }
    }

    #[test]
    fn parses_emphasis_and_strong() {
        let rich = inline("a *b* and **c** \\*d").unwrap();
        assert_eq!(
            rich.0,
            vec![
                run("a ", Emphasis::Plain),
                run("b", Emphasis::Italic),
                run(" and ", Emphasis::Plain),
                run("c", Emphasis::Bold),
                run(" *d", Emphasis::Plain),
            ]
        );
    }

    #[test]
    fn the_plain_shortcut_agrees_with_the_parser_on_every_character() {
        for c in (0..=0x0010_FFFF).filter_map(char::from_u32) {
            for text in [format!("a{c}b"), format!("{c}"), format!("a {c} b"), format!("a{c}{c}b")]
            {
                if is_plain(&text) {
                    assert_eq!(inline(&text), inline_marked(&text), "U+{:04X}", u32::from(c));
                }
            }
            if (c.is_whitespace() && c != ' ') || c == '*' {
                assert!(!is_plain(&format!("a{c}b")), "U+{:04X}", u32::from(c));
            }
        }
        assert!(is_plain("The body’s raw materials — cells, one by one."));
        assert!(!is_plain("two  spaces"));
    }

    #[test]
    fn parses_code_with_stars_inside_and_escaped_backticks() {
        let rich = inline("run `stemcell validate .` or `a*b*` \\` *x*").unwrap();
        assert_eq!(
            rich.0,
            vec![
                run("run ", Emphasis::Plain),
                run("stemcell validate .", Emphasis::Code),
                run(" or ", Emphasis::Plain),
                run("a*b*", Emphasis::Code),
                run(" ` ", Emphasis::Plain),
                run("x", Emphasis::Italic),
            ]
        );
        assert_eq!(inline("an `open code span"), None);
        assert_eq!(inline("*mixed `code` inside*"), None);
    }

    #[test]
    fn unclosed_marker_is_reported() {
        assert_eq!(inline("an *open marker"), None);
        assert_eq!(inline("**bold *mixed** end*"), None);
    }

    #[test]
    fn blank_lines_split_paragraphs_and_line_breaks_fold() {
        let paras = paragraphs("one\n  two\n\n\nthree").unwrap();
        assert_eq!(paras.iter().map(Rich::text).collect::<Vec<_>>(), ["one two", "three"]);
    }
}
