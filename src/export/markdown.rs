//! Markdown handouts: headings, paragraphs with their emphasis, notes as block quotes.

use std::fmt::Write as _;

use super::Handout;
use crate::course::{Course, Note, Rich, Section};

#[derive(Default)]
pub struct Markdown {
    out: String,
}

/// Characters Markdown would read as markup, escaped so text stays text.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn inline(text: &Rich) -> String {
    super::inline(text, escape, ("*", "*"), ("**", "**"))
}

impl Handout for Markdown {
    fn start(&mut self, course: &Course) {
        let _ = writeln!(
            self.out,
            "# {}\n\n{}\n\n> **Please note:** {}",
            escape(&course.title),
            escape(&course.description),
            escape(&course.disclaimer)
        );
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

    fn note(&mut self, label: &str, title: Option<&str>, note: &Note, source: Option<&str>) {
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
            let _ = writeln!(self.out, ">\n> *Source: {}*", escape(source));
        }
    }

    fn diagram(&mut self, title: &str, drawing: &[String], alt: &str) {
        let _ = writeln!(self.out, "\n**Figure: {}**\n\n```text", escape(title));
        for line in drawing {
            let _ = writeln!(self.out, "{line}");
        }
        let _ = writeln!(self.out, "```\n\n*{}*", escape(alt));
    }

    fn key_points(&mut self, points: &[Rich]) {
        let _ = writeln!(self.out, "\n**Key points**\n");
        for point in points {
            let _ = writeln!(self.out, "- {}", inline(point));
        }
    }

    fn questions_start(&mut self, count: usize) {
        let _ = writeln!(self.out, "\n### Questions ({count})");
    }

    fn question(&mut self, number: usize, prompt: &str, how: &str, items: &[(String, String)]) {
        let _ = writeln!(self.out, "\n**Q{number}.** {} *{how}*\n", escape(prompt));
        for (label, text) in items {
            let _ = writeln!(self.out, "- {label}) {}", escape(text));
        }
    }

    fn answer_key_start(&mut self) {
        let _ = writeln!(self.out, "\n## Answer key");
    }

    fn answer(&mut self, number: usize, answer: &[String], explanation: &str) {
        let _ = writeln!(self.out, "\n**Q{number}.** {}", escape(&answer.join("; ")));
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
