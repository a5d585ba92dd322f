//! What the program says about a pack, a record or a config, on stdout, stderr or in a notice
//! on screen. Those texts quote ids, keys, file names and lines written by whoever made the
//! file, so every report goes through [`visible`] on its way out: a control character (ESC
//! starts the sequences that retitle a terminal or write to its clipboard, CR hides a line
//! under the next) is shown as `\u{1b}` instead of being obeyed, and the marks that reorder
//! text (direction overrides and isolates) are shown the same way.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

/// Whether `c` would act on the terminal, or change how the text around it reads, rather than
/// show as itself. Line breaks are judged by the caller.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{2028}' | '\u{2029}'
                | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// `text` safe to print: every unsafe character but the line break shown as `\u{…}`. Safe
/// text comes back as it was, so applying this twice changes nothing.
pub fn visible(text: &str) -> Cow<'_, str> {
    escape(text, |c| c != '\n' && is_unsafe(c))
}

/// [`visible`] for a text meant to be one line (an id, a file name, a message): line breaks
/// are shown too, so that a name cannot start a line that looks like a report of its own.
pub fn visible_line(text: &str) -> Cow<'_, str> {
    escape(text, is_unsafe)
}

fn escape(text: &str, shown: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&shown) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if shown(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Writes `text` and a line break to `out`, made [`visible`]: the one way reports are written.
pub fn line(out: &mut impl Write, text: &str) -> io::Result<()> {
    out.write_all(visible(text).as_bytes())?;
    out.write_all(b"\n")
}

/// [`line`] to stderr. Nothing is left to tell anyone if stderr itself fails, so that is
/// ignored.
pub fn to_stderr(text: &str) {
    let _ = line(&mut io::stderr().lock(), text);
}

/// JSON text (as `serde_json` writes it) safe to print: every unsafe character, which can only
/// stand inside a string there, written as the JSON escape `\uXXXX`. A JSON reader gets back
/// exactly the same data; a terminal gets nothing to obey (`serde_json` leaves DEL, the C1
/// controls and the direction marks raw).
pub fn json(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        // Every unsafe character is in the Basic Multilingual Plane: one escape each. The line
        // breaks between members are layout, never inside a string (there they are `\n`).
        if c != '\n' && is_unsafe(c) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_direction_marks_are_shown_not_obeyed() {
        let hostile = "a\u{1b}]0;title\u{7}b\u{1b}]52;c;aGk=\u{7}\u{202E}c\rd\u{9b}e";
        let shown = visible(hostile);
        assert_eq!(
            shown,
            "a\\u{1b}]0;title\\u{7}b\\u{1b}]52;c;aGk=\\u{7}\\u{202e}c\\u{d}d\\u{9b}e"
        );
        assert!(!shown.chars().any(is_unsafe));
    }

    #[test]
    fn safe_text_is_untouched_and_escaping_twice_changes_nothing() {
        assert!(matches!(visible("plain, ünïcode, 幹細胞, “quotes”\nnext"), Cow::Borrowed(_)));
        let once = visible("x\u{1b}y\u{2066}").into_owned();
        assert_eq!(visible(&once), once);
    }

    #[test]
    fn a_one_line_text_keeps_to_one_line() {
        assert_eq!(visible_line("id\nerror: fake"), "id\\u{a}error: fake");
        assert_eq!(visible("two\nlines"), "two\nlines");
    }

    #[test]
    fn a_line_is_written_visible() {
        let mut out = Vec::new();
        line(&mut out, "bad \u{1b}[2J id").unwrap();
        assert_eq!(out, b"bad \\u{1b}[2J id\n");
    }
}
