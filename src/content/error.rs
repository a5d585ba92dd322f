//! Diagnostics an author can act on: `path:line:column`, the source line, a caret under the
//! spot, and a hint. Every problem of a pack is collected before anything is reported.

use std::fmt;
use std::ops::Range;

use unicode_width::UnicodeWidthStr;

use crate::report::visible_line;

/// How bad a problem is: errors stop the pack from loading, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in one file of a pack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the pack root, with `/` separators, e.g. `content/course.toml`.
    pub path: String,
    /// 1-based line and column (in characters) of the spot; 0 when the whole file is meant.
    pub line: usize,
    pub column: usize,
    /// The text of that line, for the caret display.
    pub source_line: Option<String>,
    /// How many columns the caret underlines (at least one).
    pub width: usize,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A problem with a whole file (missing, unreadable), not one spot in it.
    pub fn file(severity: Severity, path: &str, message: impl Into<String>) -> Self {
        Self {
            severity,
            path: path.to_owned(),
            line: 0,
            column: 0,
            source_line: None,
            width: 1,
            message: message.into(),
            hint: None,
        }
    }

    /// A problem at a byte range of a file's text.
    pub fn at(
        severity: Severity,
        path: &str,
        text: &str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line_text = text[line_start..line_end].trim_end_matches('\r');
        let end = floor_char_boundary(text, span.end.clamp(start, line_end));
        Self {
            severity,
            path: path.to_owned(),
            line: text[..start].matches('\n').count() + 1,
            column: text[line_start..start].chars().count() + 1,
            source_line: Some(line_text.to_owned()),
            width: text[start..end].chars().count().max(1),
            message: message.into(),
            hint: None,
        }
    }

    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

impl fmt::Display for Diagnostic {
    /// ```text
    /// error: content/sections/harvesting.toml:2:1: unknown field `titel`
    ///    |
    ///  2 | titel = "The Stem Cell Harvesting Process"
    ///    | ^^^^^
    ///    = hint: did you mean `title`?
    /// ```
    ///
    /// Every part may quote the pack (a file name, an id, a key, the line itself), so each is
    /// made visible (see [`crate::report`]); the caret is measured on what is shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let path = visible_line(&self.path);
        let message = visible_line(&self.message);
        if self.line == 0 {
            write!(f, "{label}: {path}: {message}")?;
        } else {
            write!(f, "{label}: {path}:{}:{}: {message}", self.line, self.column)?;
        }
        let gutter = self.line.to_string().len();
        if let Some(source) = &self.source_line {
            let (before, under, after) = window(source, self.column.saturating_sub(1), self.width);
            let (pad, marked) = (shown_source(&before).width(), shown_source(&under).width());
            let shown = shown_source(&format!("{before}{under}{after}"));
            write!(f, "\n{:gutter$} |\n{} | {shown}\n{:gutter$} | ", "", self.line, "")?;
            write!(f, "{}{}", " ".repeat(pad), "^".repeat(marked.max(1)))?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n{:gutter$} = hint: {}", "", visible_line(hint))?;
        }
        Ok(())
    }
}

/// A source line longer than this (in characters) is quoted in a window around the spot;
/// a shorter one is quoted whole.
const LONG_LINE: usize = 200;
/// Characters of a long source line quoted before the spot, and after it.
const CONTEXT: usize = 40;
/// Characters of the spot itself underlined at most.
const MARKED: usize = 80;

/// The part of `source` quoted around the spot at character `column` (0-based), `width`
/// characters long: the text before it, the spot, and the text after, each cut to a window
/// with `...` where the line goes on, as rustc does, when the line is longer than
/// [`LONG_LINE`] characters. A line of 1 MB with an error at its end is
/// quoted in about a hundred characters, not in full.
fn window(source: &str, column: usize, width: usize) -> (String, String, String) {
    if source.chars().nth(LONG_LINE).is_none() {
        let before: String = source.chars().take(column).collect();
        let under: String = source.chars().skip(column).take(width).collect();
        let after: String = source.chars().skip(column + width).collect();
        return (before, under, after);
    }
    // Byte offsets of the window's edges, found without collecting the whole line.
    let mut offsets = source.char_indices().map(|(i, _)| i).chain(std::iter::once(source.len()));
    let start_char = column.saturating_sub(CONTEXT);
    let spot_end_char = column + width.min(MARKED);
    let end_char = spot_end_char + CONTEXT;
    let mut at = |n: usize, from: usize| offsets.nth(n - from).unwrap_or(source.len());
    let start = at(start_char, 0);
    let spot = if column > start_char { at(column, start_char + 1) } else { start };
    let spot_end = if spot_end_char > column { at(spot_end_char, column + 1) } else { spot };
    let end = if end_char > spot_end_char { at(end_char, spot_end_char + 1) } else { spot_end };
    let (mut before, under, mut after) =
        (source[start..spot].to_owned(), source[spot..spot_end].to_owned(), String::new());
    if start > 0 {
        before.insert_str(0, "...");
    }
    after.push_str(&source[spot_end..end]);
    if end < source.len() {
        after.push_str("...");
    }
    (before, under, after)
}

/// A source line as the report shows it: tabs as single spaces (so the caret lines up the same
/// in every terminal), everything else [`visible_line`].
fn shown_source(text: &str) -> String {
    visible_line(&text.replace('\t', " ")).into_owned()
}

/// The closing line of a report: `3 errors, 1 warning` (the caller adds what follows).
pub fn count_summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    format!("{}, {}", plural(errors, "error"), plural(warnings, "warning"))
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Edits between two words, where swapping two neighbouring letters counts as one edit
/// (the optimal string alignment distance): `titel` is one edit from `title`.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best =
                (rows[i - 1][j] + 1).min(rows[i][j - 1] + 1).min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_at_line_and_column_with_a_caret() {
        let text = "id = \"x\"\ntitel = \"Harvesting\"\n";
        let span = text.find("titel").unwrap()..text.find("titel").unwrap() + 5;
        let d = Diagnostic::at(Severity::Error, "content/s.toml", text, span, "unknown field")
            .with_hint("did you mean `title`?");
        let shown = d.to_string();
        assert!(shown.starts_with("error: content/s.toml:2:1: unknown field"), "{shown}");
        assert!(shown.contains("2 | titel = \"Harvesting\"\n  | ^^^^^\n"), "{shown}");
        assert!(shown.ends_with("= hint: did you mean `title`?"), "{shown}");
    }

    #[test]
    fn every_part_that_quotes_a_file_is_shown_not_obeyed_and_the_caret_follows_what_is_shown() {
        let text = "id = \"a\u{1b}]0;x\u{7}\tb\"\n";
        let at = text.find('b').unwrap();
        let d = Diagnostic::at(
            Severity::Error,
            "content/\u{202E}s.toml",
            text,
            at..at + 1,
            "`a\u{1b}b`\nerror: a forged line",
        )
        .with_hint("did you mean `\u{9b}x`?");
        let shown = d.to_string();
        assert!(!shown.chars().any(|c| c != '\n' && crate::report::is_unsafe(c)), "{shown:?}");
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(
            lines[0],
            "error: content/\\u{202e}s.toml:1:15: `a\\u{1b}b`\\u{a}error: a forged line"
        );
        assert_eq!(lines[2], "1 | id = \"a\\u{1b}]0;x\\u{7} b\"");
        let caret = lines[3].find('^').unwrap();
        assert_eq!(&lines[2][caret..=caret], "b", "{shown}");
        assert_eq!(lines[4], "  = hint: did you mean `\\u{9b}x`?");
    }

    /// A one-character error at the end of a 1 MB line printed the line in full, twice: the
    /// report now quotes a window around the column, with `...` where the line goes on.
    #[test]
    fn a_long_line_is_quoted_in_a_window_around_the_spot() {
        let text = format!("title = \"{}\" x\n", "é".repeat(1_000_000));
        let at = text.rfind('x').unwrap();
        let d = Diagnostic::at(Severity::Error, "a.toml", &text, at..at + 1, "expected newline");
        let shown = d.to_string();
        assert!(shown.len() < 1000, "{} bytes", shown.len());
        let lines: Vec<&str> = shown.lines().collect();
        assert!(lines[0].ends_with(":1:1000012: expected newline"), "{}", lines[0]);
        assert!(lines[2].contains(" | ...éé") && lines[2].ends_with("é\" x"), "{}", lines[2]);
        assert!(lines[3].ends_with(" ^"), "{}", lines[3]);
        assert_eq!(lines[2].width(), lines[3].width(), "the caret is under the x: {shown}");

        // At the start of a long line: the window starts at the line and ends with `...`.
        let text = format!("x = {}\n", "a".repeat(300));
        let d = Diagnostic::at(Severity::Error, "a.toml", &text, 0..1, "m");
        let lines: Vec<String> = d.to_string().lines().map(str::to_owned).collect();
        assert!(lines[2].starts_with("1 | x = aaa") && lines[2].ends_with("a..."), "{}", lines[2]);
        assert_eq!(lines[3], "  | ^");
        // A line of up to 200 characters is quoted whole, as before.
        let line = format!("{} = 1", "a".repeat(150));
        let d = Diagnostic::at(Severity::Error, "a.toml", &line, 153..154, "m");
        assert!(d.to_string().contains(&format!("1 | {line}\n")), "{d}");
        assert!(d.to_string().ends_with(&format!("{}^", " ".repeat(153))), "{d}");
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "title = \"Insider’s\" x";
        let at = text.find('x').unwrap();
        let d = Diagnostic::at(Severity::Warning, "a.toml", text, at..at + 1, "m");
        assert_eq!(d.column, text[..at].chars().count() + 1);
    }

    #[test]
    fn suggests_only_close_names() {
        assert_eq!(did_you_mean("titel", ["id", "title", "blocks"]), Some("title"));
        assert_eq!(did_you_mean("outcome", ["harvesting", "outlook"]), None);
        assert_eq!(did_you_mean("harvestin", ["harvesting", "outlook"]), Some("harvesting"));
        assert_eq!(did_you_mean("zzz", ["title"]), None);
    }

    #[test]
    fn summary_counts_errors_and_warnings() {
        let e = Diagnostic::file(Severity::Error, "a", "x");
        let w = Diagnostic::file(Severity::Warning, "a", "y");
        assert_eq!(count_summary(&[e.clone(), e, w]), "2 errors, 1 warning");
    }
}
