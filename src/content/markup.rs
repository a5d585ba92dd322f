//! The small inline markup authors may use in text: `*emphasis*`, `**strong**`, and `\*` for
//! a literal star. Line breaks inside a paragraph are folded into spaces, as in Markdown, so
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
    let mut runs: Vec<Run> = Vec::new();
    let mut emphasis = Emphasis::Plain;
    let mut buffer = String::new();
    let mut chars = text.chars().peekable();
    let mut last_was_space = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'*') => {
                buffer.push('*');
                chars.next();
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
