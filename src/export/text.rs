//! Plain text handouts, wrapped at 80 columns, with no markup at all.

use std::fmt::Write as _;

use super::Handout;
use crate::course::{Course, Note, Rich, Section};
use crate::wrap::plain as wrap_plain;

const WIDTH: usize = 80;

#[derive(Default)]
pub struct Text {
    out: String,
}

impl Text {
    fn wrapped(&mut self, text: &str, first: &str, rest: &str) {
        let lines = wrap_plain(text, WIDTH - first.chars().count().max(rest.chars().count()));
        for (i, line) in lines.iter().enumerate() {
            let _ = writeln!(self.out, "{}{line}", if i == 0 { first } else { rest });
        }
    }
}

impl Handout for Text {
    fn start(&mut self, course: &Course) {
        self.wrapped(&course.title, "", "");
        let _ = writeln!(self.out, "{}", "=".repeat(course.title.chars().count().min(WIDTH)));
        self.wrapped(&course.description, "", "");
        let _ = writeln!(self.out);
        self.wrapped(&format!("Please note: {}", course.disclaimer), "", "");
    }

    fn section(&mut self, number: usize, section: &Section) {
        let _ = writeln!(self.out, "\n\n{number}. {}", section.title);
        let _ = writeln!(self.out, "{}", "-".repeat(section.title.chars().count() + 3));
    }

    fn paragraph(&mut self, text: &Rich) {
        let _ = writeln!(self.out);
        self.wrapped(&text.text(), "", "");
    }

    fn heading(&mut self, text: &str) {
        let _ = writeln!(self.out, "\n{text}");
    }

    fn list(&mut self, lead: Option<&Rich>, items: &[Rich]) {
        let _ = writeln!(self.out);
        if let Some(lead) = lead {
            self.wrapped(&lead.text(), "", "");
        }
        for item in items {
            self.wrapped(&item.text(), "  * ", "    ");
        }
    }

    fn note(&mut self, label: &str, title: Option<&str>, note: &Note, source: Option<&str>) {
        let _ = writeln!(self.out);
        let head = title
            .map_or_else(|| label.to_uppercase(), |t| format!("{}: {t}", label.to_uppercase()));
        self.wrapped(&head, "| ", "| ");
        for paragraph in &note.paragraphs {
            self.wrapped(&paragraph.text(), "| ", "| ");
        }
        for item in &note.items {
            self.wrapped(&item.text(), "| * ", "|   ");
        }
        if let Some(source) = source {
            self.wrapped(&format!("Source: {source}"), "| ", "| ");
        }
    }

    fn diagram(&mut self, title: &str, drawing: &[String], alt: &str) {
        let _ = writeln!(self.out);
        for line in drawing {
            let _ = writeln!(self.out, "{line}");
        }
        self.wrapped(&format!("Diagram, {title}: {alt}"), "", "");
    }

    fn key_points(&mut self, points: &[Rich]) {
        let _ = writeln!(self.out, "\nKey points");
        for point in points {
            self.wrapped(&point.text(), "  > ", "    ");
        }
    }

    fn questions_start(&mut self, count: usize) {
        let _ = writeln!(self.out, "\nQuestions ({count})");
    }

    fn question(&mut self, number: usize, prompt: &str, how: &str, items: &[(String, String)]) {
        let _ = writeln!(self.out);
        let head = format!("Q{number}. ");
        self.wrapped(&format!("{prompt} {how}"), &head, &" ".repeat(head.len()));
        for (label, text) in items {
            let first = format!("    {label}) ");
            self.wrapped(text, &first, &" ".repeat(first.chars().count()));
        }
    }

    fn answer_key_start(&mut self) {
        let _ = writeln!(self.out, "\n\nAnswer key\n----------");
    }

    fn answer(&mut self, number: usize, answer: &[String], explanation: &str) {
        let _ = writeln!(self.out);
        self.wrapped(&answer.join("; "), &format!("Q{number}. "), "    ");
        if !explanation.is_empty() {
            self.wrapped(explanation, "    ", "    ");
        }
    }

    fn glossary(&mut self, course: &Course) {
        let mut out = Vec::new();
        let _ = crate::plain::write_glossary(&mut out, course, WIDTH);
        self.out.push_str(&String::from_utf8_lossy(&out));
    }

    fn finish(&mut self) -> String {
        std::mem::take(&mut self.out)
    }
}
