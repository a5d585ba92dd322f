//! Text from a pack never reaches the terminal as a command: control characters (ESC and the
//! other C0 and C1 controls, which start escape sequences, OSC title changes and cursor
//! moves) and bidirectional overrides (which make text display in a different order than it
//! reads) are removed when the pack loads, and `validate` warns at each place one was found.
//! So are carriage returns: a line ending in CRLF keeps its line feed, and a lone CR (which
//! would make a printed line overwrite itself and hide what came before it) is dropped.
//!
//! Emoji sequences whose width terminals disagree on are normalised at the same time (see
//! [`is_width_unstable`]), silently, so that what the screen library draws and what the
//! terminal shows line up and a redraw leaves no stale cells.

use std::borrow::Cow;

use super::error::{Diagnostic, Severity};

/// Whether `c` must not reach the terminal. Tabs and line breaks are layout, not commands.
pub fn is_hostile(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t' && c != '\r')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether `c` joins or modifies emoji in ways that terminals measure differently from the
/// Unicode width tables the screen library uses: the zero-width joiner (`👩‍🔬` is one wide
/// cell to the library and two to most terminals; a lone joiner confuses both), variation
/// selectors, skin-tone modifiers, tag characters and regional indicators (flags). The first
/// four are dropped, leaving each emoji on its own; a regional indicator becomes its capital
/// letter, so a flag reads as its country code (`FR`).
pub fn is_width_unstable(c: char) -> bool {
    matches!(
        c,
        '\u{200D}'
            | '\u{FE0E}'
            | '\u{FE0F}'
            | '\u{1F3FB}'..='\u{1F3FF}'
            | '\u{E0020}'..='\u{E007F}'
            | '\u{1F1E6}'..='\u{1F1FF}'
    )
}

/// What a width-unstable character becomes, if anything.
fn steady(c: char) -> Option<char> {
    match c {
        '\u{1F1E6}'..='\u{1F1FF}' => char::from_u32(u32::from('A') + u32::from(c) - 0x1F1E6),
        c if is_width_unstable(c) => None,
        c => Some(c),
    }
}

/// Whether `text` holds a hostile character, a carriage return, a tab or a width-unstable
/// character, judged by bytes alone, which is much quicker than decoding every character. A first screen, written so that the compiler turns
/// it into vector instructions, finds the 64-byte chunks holding a byte that can start one;
/// only those get the exact look, since the article's curly quotes and dashes start with the
/// same byte (0xE2) as the direction marks.
#[expect(
    clippy::needless_bitwise_bool,
    reason = "without branches the first screen becomes vector instructions"
)]
fn needs_cleaning(text: &str) -> bool {
    const CHUNK: usize = 64;
    let bytes = text.as_bytes();
    bytes.chunks(CHUNK).enumerate().any(|(n, chunk)| {
        let suspect = chunk.iter().fold(false, |seen, &b| {
            seen | ((b < 0x20) & (b != b'\n'))
                | (b == 0x7f)
                | (b == 0xC2)
                | (b == 0xE2)
                | (b == 0xEF)
                | (b == 0xF0)
                | (b == 0xF3)
        });
        suspect && (n * CHUNK..n * CHUNK + chunk.len()).any(|i| starts_hostile(bytes, i))
    })
}

/// Whether a hostile character, a carriage return, a tab or a width-unstable character starts
/// at `bytes[i]`. C0 controls and DEL are single bytes, C1 controls are 0xC2 0x80..=0x9F, the direction marks
/// are 0xE2 0x80 0xAA..=0xAE (U+202A..U+202E) and 0xE2 0x81 0xA6..=0xA9 (U+2066..U+2069); the
/// joiner is 0xE2 0x80 0x8D and the other width-unstable characters start with 0xEF, 0xF0 or
/// 0xF3 (checked exactly by decoding).
fn starts_hostile(bytes: &[u8], i: usize) -> bool {
    match bytes[i] {
        b'\n' => false,
        0..0x20 | 0x7f => true,
        0xC2 => bytes.get(i + 1).is_some_and(|next| (0x80..=0x9F).contains(next)),
        0xE2 => matches!(
            (bytes.get(i + 1), bytes.get(i + 2)),
            (Some(0x80), Some(0xAA..=0xAE | 0x8D)) | (Some(0x81), Some(0xA6..=0xA9))
        ),
        lead @ (0xEF | 0xF0 | 0xF3) => {
            let length = if lead == 0xEF { 3 } else { 4 };
            bytes
                .get(i..i + length)
                .and_then(|b| std::str::from_utf8(b).ok())
                .and_then(|s| s.chars().next())
                .is_some_and(is_width_unstable)
        }
        _ => false,
    }
}

/// Whether a file's strings may hold a hostile character or a tab once parsed. A string can
/// only hold what its file holds literally or writes as an escape, so a file without either
/// (most files) needs no string of it cleaned, and one quick look at the file replaces a look
/// at each of its strings.
pub fn may_yield_hostile_text(file_text: &str) -> bool {
    needs_cleaning(file_text) || memchr::memchr(b'\\', file_text.as_bytes()).is_some()
}

/// `text` without hostile characters and carriage returns (tabs become spaces), its emoji
/// sequences made steady.
pub fn clean(text: &str) -> Cow<'_, str> {
    if needs_cleaning(text) {
        Cow::Owned(
            text.chars()
                .filter(|c| !is_hostile(*c) && *c != '\r')
                .filter_map(steady)
                .map(|c| if c == '\t' { ' ' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(text)
    }
}

/// Cleans a string in place.
pub fn clean_in_place(text: &mut String) {
    if let Cow::Owned(cleaned) = clean(text) {
        *text = cleaned;
    }
}

/// Warnings for every hostile character in a file's text, written literally or as a TOML
/// escape (`\u001b`, `\e`, `\u202E`), at its line and column.
pub fn scan(path: &str, text: &str) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    // Most files have neither a control character nor an escape: the quick byte look says so
    // without decoding every character (`validate` scans every file of a 1,000-file pack).
    if !may_yield_hostile_text(text) {
        return found;
    }
    for (at, c) in text.char_indices() {
        // CRLF line endings are how some editors save: only a CR on its own is reported.
        let lone_cr = c == '\r' && text.as_bytes().get(at + 1) != Some(&b'\n');
        if is_hostile(c) || lone_cr {
            found.push(warning(
                path,
                text,
                at..at + c.len_utf8(),
                &format!("U+{:04X}", u32::from(c)),
            ));
        }
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'\\' {
            let escape = match bytes[i + 1] {
                b'e' => Some((2, 0x1b)),
                b'r' => Some((2, 0x0d)),
                b'u' => hex(&bytes[i + 2..], 4).map(|code| (6, code)),
                b'U' => hex(&bytes[i + 2..], 8).map(|code| (10, code)),
                _ => None,
            };
            if let Some((length, code)) = escape
                && char::from_u32(code).is_some_and(|c| is_hostile(c) || c == '\r')
            {
                found.push(warning(path, text, i..i + length, &format!("U+{code:04X}")));
            }
            // Skip the escaped character, so `\\u001b` (a backslash, then text) is not counted.
            i += 2;
            continue;
        }
        i += 1;
    }
    found
}

fn hex(bytes: &[u8], digits: usize) -> Option<u32> {
    let text = std::str::from_utf8(bytes.get(..digits)?).ok()?;
    u32::from_str_radix(text, 16).ok()
}

fn warning(path: &str, text: &str, span: std::ops::Range<usize>, what: &str) -> Diagnostic {
    Diagnostic::at(
        Severity::Warning,
        path,
        text,
        span,
        format!("a control character ({what}) was removed"),
    )
    .with_hint(
        "terminal control characters and direction overrides are never shown; write plain text",
    )
}

/// Cleans the course's own texts, its glossary and diagrams (sections are cleaned as they
/// load, see [`section`]).
pub fn course(course: &mut crate::course::Course) {
    for text in [&mut course.title, &mut course.description, &mut course.disclaimer] {
        clean_in_place(text);
    }
    course_rest(course);
}

/// Cleans every text of one section.
pub fn section(section: &mut crate::course::Section) {
    use crate::course::{Answer, BlockBody};
    let rich = |text: &mut crate::course::Rich| {
        text.0.iter_mut().for_each(|run| clean_in_place(&mut run.text));
    };
    {
        clean_in_place(&mut section.title);
        clean_in_place(&mut section.short_title);
        section.key_points.iter_mut().for_each(rich);
        for block in &mut section.blocks {
            match &mut block.body {
                BlockBody::Text(paragraphs) => paragraphs.iter_mut().for_each(rich),
                BlockBody::Heading(text) => clean_in_place(text),
                BlockBody::List { lead, items } => {
                    lead.iter_mut().chain(items.iter_mut()).for_each(rich);
                }
                BlockBody::Callout { title, note, source, url, .. } => {
                    title.iter_mut().chain(source.iter_mut()).for_each(clean_in_place);
                    url.iter_mut().for_each(clean_in_place);
                    note.paragraphs.iter_mut().chain(note.items.iter_mut()).for_each(rich);
                }
                BlockBody::Context { title, note, source, url } => {
                    title.iter_mut().chain(std::iter::once(source)).for_each(clean_in_place);
                    url.iter_mut().for_each(clean_in_place);
                    note.paragraphs.iter_mut().chain(note.items.iter_mut()).for_each(rich);
                }
                BlockBody::Diagram(_) => {}
            }
        }
        for question in &mut section.questions {
            clean_in_place(&mut question.prompt);
            clean_in_place(&mut question.explanation);
            match &mut question.answer {
                Answer::Choice { options, .. } => {
                    for option in options {
                        clean_in_place(&mut option.text);
                        option.feedback.iter_mut().for_each(clean_in_place);
                    }
                }
                Answer::Order(texts) | Answer::Fill(texts) => {
                    texts.iter_mut().for_each(clean_in_place);
                }
                Answer::Match(pairs) => pairs.iter_mut().for_each(|(l, r)| {
                    clean_in_place(l);
                    clean_in_place(r);
                }),
                Answer::TrueFalse(_) => {}
            }
        }
    }
}

fn course_rest(course: &mut crate::course::Course) {
    for term in &mut course.glossary {
        clean_in_place(&mut term.term);
        clean_in_place(&mut term.definition);
        term.also.iter_mut().for_each(clean_in_place);
    }
    for diagram in &mut course.diagrams {
        clean_in_place(&mut diagram.title);
        clean_in_place(&mut diagram.alt);
        for node in &mut diagram.nodes {
            clean_in_place(&mut node.label);
            node.detail.iter_mut().for_each(clean_in_place);
        }
        diagram.edges.iter_mut().filter_map(|e| e.label.as_mut()).for_each(clean_in_place);
        diagram.steps.iter_mut().for_each(|s| clean_in_place(&mut s.caption));
        diagram.legend.iter_mut().for_each(|l| clean_in_place(&mut l.text));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_escapes_controls_and_direction_overrides() {
        assert_eq!(clean("a\u{1b}]0;title\u{7}b\u{202E}c\u{9b}d\te"), "a]0;titlebcd e");
        assert!(matches!(clean("plain text, ünïcode, 幹細胞"), Cow::Borrowed(_)));
        assert_eq!(clean("two\nlines"), "two\nlines");
        assert_eq!(clean("shown\rhidden\r\nnext"), "shownhidden\nnext");
        assert!(matches!(clean("the body’s raw materials—cells"), Cow::Borrowed(_)));
    }

    #[test]
    fn emoji_sequences_terminals_measure_differently_are_made_steady() {
        // A joined sequence falls apart into its emoji, a lone joiner goes, a flag reads as
        // its country code, selectors and skin tones go.
        assert_eq!(clean("\u{1F469}\u{200D}\u{1F52C} a\u{200D}b"), "\u{1F469}\u{1F52C} ab");
        assert_eq!(
            clean("\u{1F1EB}\u{1F1F7} \u{2764}\u{FE0F} \u{1F44D}\u{1F3FD}"),
            "FR \u{2764} \u{1F44D}"
        );
        assert!(matches!(clean("\u{1F52C} \u{FF21}"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_file_says_whether_its_strings_may_need_cleaning() {
        assert!(!may_yield_hostile_text("title = \"The body’s cells\"\ntext = '''a\nb'''\n"));
        assert!(may_yield_hostile_text("title = \"a\\u001bb\"\n"));
        assert!(may_yield_hostile_text("title = \"a\\eb\"\n"));
        assert!(may_yield_hostile_text("title = \"a\u{202E}b\"\n"));
        assert!(may_yield_hostile_text("title = \"a\tb\"\n"));
    }

    #[test]
    fn a_mark_is_found_anywhere_in_a_long_text_even_across_chunks() {
        for at in 0..200 {
            let text = |c: char| format!("{}{c}{}", "a".repeat(at), "’".repeat(50));
            assert!(needs_cleaning(&text('\u{202E}')), "U+202E at {at}");
            assert!(needs_cleaning(&text('\u{9b}')), "U+009B at {at}");
            assert!(!needs_cleaning(&text('—')), "a dash at {at}");
        }
    }

    #[test]
    fn the_byte_check_agrees_with_the_character_check_on_every_character() {
        for c in (0..=0x0010_FFFF).filter_map(char::from_u32) {
            let alone = c.to_string();
            let expected = is_hostile(c) || c == '\t' || c == '\r' || is_width_unstable(c);
            assert_eq!(needs_cleaning(&alone), expected, "U+{:04X}", u32::from(c));
            assert_eq!(needs_cleaning(&format!("a{alone}b")), expected, "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn a_lone_carriage_return_is_reported_and_a_crlf_line_ending_is_not() {
        let found = scan("f.toml", "a = \"x\\ry\"\r\nb = \"\\u000D\"\r\n");
        let places: Vec<(usize, usize)> = found.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(places, [(1, 7), (2, 6)]);
        assert!(found.iter().all(|d| d.message.contains("U+000D")));
    }

    #[test]
    fn finds_literal_and_escaped_controls_where_they_are() {
        let text =
            "title = \"a\\u001b[2Jb\"\nx = \"\u{202E}\"\ny = \"\\\\u001b is fine\"\nz = \"\\e\"\n";
        let found = scan("f.toml", text);
        let places: Vec<(usize, usize)> = found.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(places, [(2, 6), (1, 11), (4, 6)]);
        assert!(found[0].message.contains("U+202E"));
    }
}
