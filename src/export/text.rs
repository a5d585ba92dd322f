//! Plain text handouts, wrapped at 80 columns, with no markup at all.

use std::fmt::Write as _;

use super::{Asked, Handout, Source};
use crate::course::{Course, Note, QuestionKind, Rich, Section};
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
    fn start(&mut self, course: &Course, contents: &[(String, String)]) {
        self.wrapped(&course.title, "", "");
        let _ = writeln!(self.out, "{}", "=".repeat(course.title.chars().count().min(WIDTH)));
        self.wrapped(&course.description, "", "");
        let _ = writeln!(self.out);
        self.wrapped(&format!("Please note: {}", course.disclaimer), "", "");
        if !contents.is_empty() {
            let _ = writeln!(self.out, "\nContents");
            for (_, title) in contents {
                self.wrapped(title, "  ", "     ");
            }
        }
    }

    fn name_line(&mut self) {
        let _ = writeln!(self.out, "\nName: {}  Date: {}", "_".repeat(40), "_".repeat(16));
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

    fn note(&mut self, label: &str, title: Option<&str>, note: &Note, source: Option<Source>) {
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
            let text = match source.url {
                Some(url) => format!("Source: {} <{url}>", source.name),
                None => format!("Source: {}", source.name),
            };
            self.wrapped(&text, "| ", "| ");
        }
    }

    fn diagram(&mut self, title: &str, drawing: &[String], steps: &[String], alt: &str) {
        let _ = writeln!(self.out);
        self.wrapped(title, "", "");
        let _ = writeln!(self.out);
        for line in drawing {
            let _ = writeln!(self.out, "{line}");
        }
        for (i, caption) in steps.iter().enumerate() {
            let head = format!("Step {}/{}: ", i + 1, steps.len());
            self.wrapped(caption, &head, &" ".repeat(head.len()));
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

    fn question(&mut self, asked: &Asked) {
        let _ = writeln!(self.out);
        let head = format!("Q{}. ", asked.number);
        let prompt = match asked.how {
            Some(how) => format!("{} {how}", asked.prompt),
            None => asked.prompt.to_owned(),
        };
        self.wrapped(&prompt, &head, &" ".repeat(head.len()));
        let boxed = asked.worksheet
            && matches!(
                asked.kind,
                QuestionKind::Single | QuestionKind::Multiple | QuestionKind::TrueFalse
            );
        for (i, (label, text)) in asked.items.iter().enumerate() {
            let tick = if boxed { "[ ] " } else { "" };
            let first = format!("    {tick}{label}) ");
            let text = if asked.worksheet && asked.kind == QuestionKind::Match && i < asked.lefts {
                format!("{text}  -> ____")
            } else {
                text.clone()
            };
            self.wrapped(&text, &first, &" ".repeat(first.chars().count()));
        }
        if asked.worksheet {
            match asked.kind {
                QuestionKind::Order => {
                    let slots: Vec<String> =
                        (1..=asked.items.len()).map(|n| format!("{n}. ____")).collect();
                    let _ = writeln!(self.out, "\n    Order: {}", slots.join("  "));
                }
                QuestionKind::Fill => {
                    let _ = writeln!(self.out, "\n    Answer: {}", "_".repeat(50));
                }
                _ => {}
            }
        }
    }

    fn answer_key_start(&mut self, worksheet: bool) {
        // A form feed starts a new page on a printer (and `pr`, `lpr`, `a2ps`).
        let _ = writeln!(
            self.out,
            "{}\n\nAnswer key\n----------",
            if worksheet { "\n\u{c}" } else { "" }
        );
    }

    fn answer(&mut self, number: usize, answer: &[String], explanation: &str) {
        let _ = writeln!(self.out);
        self.wrapped(&super::joined(answer), &format!("Q{number}. "), "    ");
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
