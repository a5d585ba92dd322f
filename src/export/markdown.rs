//! Markdown handouts: headings, paragraphs with their emphasis, notes as block quotes.
//!
//! Everything quoted from a pack is escaped so that a `CommonMark` reader sees text, never
//! structure: no heading, list, code block, thematic break, link or raw HTML can come from
//! content, whatever it holds (a pack is hostile until proven otherwise). And no more than
//! that, so the file reads well as source. Three rules do it: line breaks inside a value
//! become spaces (so content never starts a line of its own); the characters that are inline
//! markup wherever they stand (the backslash, `*`, `_`, the backtick, `[`, `]`, `<`, GFM's `|`
//! and `~`, and `&` where it could start an entity) are backslash-escaped; and the characters that only mean something at the
//! start of a line (`#`, `>`, `-`, `+`, `=`, `1.`, `1)`) are escaped there alone. Options are
//! labelled `**1)**`, and the contents are a numbered list, so no label needs escaping.
//! Diagrams go in a fence longer than any run of backticks inside them.

use std::fmt::Write as _;

use super::{Asked, Handout, Source};
use crate::course::{Course, Note, QuestionKind, Rich, Section};

#[derive(Default)]
pub struct Markdown {
    out: String,
}

/// A value that stands on its own (a title, a prompt): escaped, and safe as a line start.
fn escape(text: &str) -> String {
    escape_line_start(&escape_chars(text))
}

/// Characters `CommonMark` reads as inline markup wherever they stand (emphasis, code, links,
/// HTML, GFM's tables and strikethrough), escaped; `&` only where an entity could follow
/// (`&amp;`, `&#38;`). `!` opens an image only before `[`, which is escaped; `#` and `>` only
/// mean something at the start of a line ([`escape_line_start`]). Line breaks become spaces.
fn escape_chars(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\r' | '\t' | '\u{b}' | '\u{c}' => out.push(' '),
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '&' if chars.peek().is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#') => {
                out.push_str("\\&");
            }
            c => out.push(c),
        }
    }
    out
}

/// `text`, escaped, as the start of a line: leading spaces dropped (four would start a code
/// block) and a first character that would open a block (`#` a heading, `>` a quote, `-`,
/// `+`, `=` a list or a heading underline, `1.`/`1)` a numbered list) escaped.
fn escape_line_start(text: &str) -> String {
    let trimmed = text.trim_start_matches(' ');
    let mut out = String::with_capacity(trimmed.len() + 1);
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    if trimmed.starts_with(['-', '+', '=', '#', '>']) {
        out.push('\\');
        out.push_str(trimmed);
    } else if digits > 0 && trimmed[digits..].starts_with(['.', ')']) {
        out.push_str(&trimmed[..digits]);
        out.push('\\');
        out.push_str(&trimmed[digits..]);
    } else {
        out.push_str(trimmed);
    }
    out
}

/// Text with its emphasis. Each run is escaped; the whole is made safe as a line start.
fn inline(text: &Rich) -> String {
    escape_line_start(&super::inline(text, escape_chars, (("*", "*"), ("**", "**")), code_span))
}

/// Inline code as a `CommonMark` code span: nothing inside one is read as markup or HTML, so
/// the text goes in as it is, between backtick strings longer than any run of backticks in
/// it (and a space on each side, which the reader drops, so a backtick at either end stays
/// code). Line breaks become spaces, as a code span would show them anyway.
fn code_span(code: &str) -> String {
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    format!("{fence} {} {fence}", code.replace(['\n', '\r'], " "))
}

/// A link destination: inside `<...>`, with anything that could end it percent-encoded.
/// Only `http` and `https` addresses are linked (the loader allows no others).
fn destination(url: &str) -> Option<String> {
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return None;
    }
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if c.is_ascii_graphic() && !matches!(c, '<' | '>' | '\\' | '`' | '"' | '(' | ')') {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{byte:02X}");
            }
        }
    }
    Some(out)
}

/// A line to write on: underscores with a space or a line end on each side are text to
/// `CommonMark` (neither side can open or close emphasis), so they need no escaping.
fn blank(width: usize) -> String {
    "_".repeat(width)
}

/// A fence of backticks longer than any run of backticks in `lines` (at least three).
fn fence_for(lines: &[String]) -> String {
    let longest = lines.iter().flat_map(|l| l.split(|c| c != '`').map(str::len)).max().unwrap_or(0);
    "`".repeat((longest + 1).max(3))
}

impl Handout for Markdown {
    fn start(&mut self, course: &Course, contents: &[(String, String)]) {
        let _ = writeln!(
            self.out,
            "# {}\n\n{}\n\n> **Please note:** {}",
            escape(&course.title),
            escape(&course.description),
            escape(&course.disclaimer)
        );
        if !contents.is_empty() {
            // The titles carry their numbers ("1. Title"): a numbered list says them as is.
            let _ = writeln!(self.out, "\n**Contents**\n");
            for (i, (_, title)) in contents.iter().enumerate() {
                let number = format!("{}. ", i + 1);
                let title = title.strip_prefix(&number).unwrap_or(title);
                let _ = writeln!(self.out, "{number}{}", escape(title));
            }
        }
    }

    fn name_line(&mut self) {
        let _ = writeln!(self.out, "\nName: {} Date: {}", blank(20), blank(10));
    }

    fn section(&mut self, number: usize, section: &Section) {
        let _ = writeln!(self.out, "\n## {number}. {}", escape(&section.title));
    }

    fn paragraph(&mut self, text: &Rich) {
        let _ = writeln!(self.out, "\n{}", inline(text));
    }

    fn heading(&mut self, text: &str) {
        let _ = writeln!(self.out, "\n### {}", escape(text));
    }

    fn list(&mut self, lead: Option<&Rich>, items: &[Rich]) {
        let _ = writeln!(self.out);
        if let Some(lead) = lead {
            let _ = writeln!(self.out, "{}\n", inline(lead));
        }
        for item in items {
            let _ = writeln!(self.out, "- {}", inline(item));
        }
    }

    fn note(&mut self, label: &str, title: Option<&str>, note: &Note, source: Option<Source>) {
        let title = title.map_or_else(String::new, |t| format!(": {}", escape(t)));
        let _ = writeln!(self.out, "\n> **{label}{title}**");
        for paragraph in &note.paragraphs {
            let _ = writeln!(self.out, ">\n> {}", inline(paragraph));
        }
        if !note.items.is_empty() {
            let _ = writeln!(self.out, ">");
            for item in &note.items {
                let _ = writeln!(self.out, "> - {}", inline(item));
            }
        }
        if let Some(source) = source {
            let name = escape(source.name);
            match source.url.and_then(destination) {
                Some(url) => {
                    let _ = writeln!(self.out, ">\n> *Source: [{name}](<{url}>)*");
                }
                None => {
                    let _ = writeln!(self.out, ">\n> *Source: {name}*");
                }
            }
        }
    }

    fn diagram(&mut self, title: &str, drawing: &[String], steps: &[String], alt: &str) {
        let fence = fence_for(drawing);
        let _ = writeln!(self.out, "\n**Figure: {}**\n\n{fence}text", escape(title));
        for line in drawing {
            // A line of content inside the fence can only end it by a run of backticks as
            // long as the fence, which `fence_for` ruled out; carriage returns are dropped.
            let _ = writeln!(self.out, "{}", line.replace(['\r', '\n'], " "));
        }
        let _ = writeln!(self.out, "{fence}");
        if !steps.is_empty() {
            let _ = writeln!(self.out, "\nStep by step:\n");
            for (i, caption) in steps.iter().enumerate() {
                let _ = writeln!(self.out, "{}. {}", i + 1, escape(caption));
            }
        }
        let _ = writeln!(self.out, "\n*{}*", escape(alt));
    }

    fn key_points(&mut self, points: &[Rich]) {
        let _ = writeln!(self.out, "\n### Key points\n");
        for point in points {
            let _ = writeln!(self.out, "- {}", inline(point));
        }
    }

    fn questions_start(&mut self, count: usize) {
        let _ = writeln!(self.out, "\n### Questions ({count})");
    }

    fn question(&mut self, asked: &Asked) {
        let how = asked.how.map_or_else(String::new, |how| format!(" *{how}*"));
        let _ = writeln!(self.out, "\n**Q{}.** {}{how}\n", asked.number, escape(asked.prompt));
        // A worksheet gives each option a box to tick: a ☐, which reads the same as source
        // and printed (`[ ]` would be a task list a reader renders as it likes).
        let boxed = asked.worksheet
            && matches!(
                asked.kind,
                QuestionKind::Single | QuestionKind::Multiple | QuestionKind::TrueFalse
            );
        let tick = if boxed { "☐ " } else { "" };
        for (i, (label, text)) in asked.items.iter().enumerate() {
            let blank = if asked.worksheet && asked.kind == QuestionKind::Match && i < asked.lefts {
                " → ___"
            } else {
                ""
            };
            // The label in bold: `1)` right after the bullet would open a numbered list.
            let _ = writeln!(
                self.out,
                "- {tick}**{})** {}{blank}",
                escape_chars(label),
                escape_chars(text)
            );
        }
        if asked.worksheet {
            match asked.kind {
                QuestionKind::Order => {
                    let slots: Vec<String> =
                        (1..=asked.items.len()).map(|n| format!("{n}. {}", blank(3))).collect();
                    let _ = writeln!(self.out, "\nOrder: {}", slots.join("   "));
                }
                QuestionKind::Fill => {
                    let _ = writeln!(self.out, "Answer: {}", blank(40));
                }
                _ => {}
            }
        }
    }

    fn answer_key_start(&mut self, worksheet: bool) {
        if worksheet {
            // No page breaks in Markdown: a thematic break marks the cut.
            let _ = writeln!(self.out, "\n---");
        }
        let _ = writeln!(self.out, "\n## Answer key");
    }

    fn answer(&mut self, number: usize, answer: &[String], explanation: &str) {
        let _ = writeln!(self.out, "\n**Q{number}.** {}", escape(&super::joined(answer)));
        if !explanation.is_empty() {
            let _ = writeln!(self.out, "\n{}", escape(explanation));
        }
    }

    fn glossary(&mut self, course: &Course) {
        if course.glossary.is_empty() {
            return;
        }
        let _ = writeln!(self.out, "\n## Glossary\n");
        for term in &course.glossary {
            let also = if term.also.is_empty() {
                String::new()
            } else {
                format!(" (also: {})", escape(&term.also.join(", ")))
            };
            let _ = writeln!(
                self.out,
                "- **{}**{also}: {}",
                escape(&term.term),
                escape(&term.definition)
            );
        }
    }

    fn finish(&mut self) -> String {
        std::mem::take(&mut self.out)
    }
}

/// For tests: the escaping every quoted text goes through.
#[cfg(test)]
pub fn tests_escape(text: &str) -> String {
    escape(text)
}
