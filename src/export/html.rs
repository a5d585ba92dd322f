//! One self-contained HTML page: no network, readable on screen and printable, each section
//! starting on a new page when printed.

use std::fmt::Write as _;

use super::Handout;
use crate::course::{Course, Note, Rich, Section};

#[derive(Default)]
pub struct Html {
    out: String,
}

/// Every character that could open markup is escaped: text from a pack stays text.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn inline(text: &Rich) -> String {
    super::inline(text, escape, ("<em>", "</em>"), ("<strong>", "</strong>"))
}

const STYLE: &str = "
body { font: 17px/1.55 Georgia, 'Times New Roman', serif; max-width: 42rem; margin: 2rem auto; padding: 0 1rem; color: #1f2328; background: #fff; }
h1, h2, h3 { font-family: system-ui, sans-serif; line-height: 1.25; }
.notice { border-left: 4px solid #9a4d00; padding: .5rem 1rem; background: #fff8e6; }
.note { border-left: 4px solid #0b5cad; padding: .25rem 1rem; margin: 1rem 0; background: #f3f7fc; }
.note.context { border-color: #8a2b8f; background: #faf4fb; font-style: italic; }
.note .label { font-style: normal; font-weight: bold; font-family: system-ui, sans-serif; text-transform: uppercase; font-size: .8rem; letter-spacing: .05em; }
.source { color: #57606a; font-size: .9rem; }
.key-points { border-top: 1px solid #d0d7de; padding-top: .5rem; }
.question { break-inside: avoid; margin: 1rem 0; }
.how { color: #57606a; font-style: italic; }
ol.items { list-style: none; padding-left: 1rem; }
figure { margin: 1.5rem 0; break-inside: avoid; }
pre { font: 13px/1.2 ui-monospace, 'DejaVu Sans Mono', Menlo, monospace; overflow-x: auto; }
figcaption { color: #57606a; font-size: .9rem; }
@media print {
  body { margin: 0; max-width: none; font-size: 12pt; }
  section { break-before: page; }
  section:first-of-type { break-before: auto; }
  .answers { break-before: page; }
  a { color: inherit; text-decoration: none; }
}
";

impl Handout for Html {
    fn start(&mut self, course: &Course) {
        let _ = write!(
            self.out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header>\n<h1>{}</h1>\n<p>{}</p>\n<p class=\"notice\"><strong>Please note:</strong> {}</p>\n</header>\n",
            escape(&course.title),
            escape(&course.title),
            escape(&course.description),
            escape(&course.disclaimer)
        );
    }

    fn section(&mut self, number: usize, section: &Section) {
        if self.out.contains("<section") {
            self.out.push_str("</section>\n");
        }
        let _ = writeln!(
            self.out,
            "<section id=\"{}\">\n<h2>{number}. {}</h2>",
            escape(&section.id),
            escape(&section.title)
        );
    }

    fn paragraph(&mut self, text: &Rich) {
        let _ = writeln!(self.out, "<p>{}</p>", inline(text));
    }

    fn heading(&mut self, text: &str) {
        let _ = writeln!(self.out, "<h3>{}</h3>", escape(text));
    }

    fn list(&mut self, lead: Option<&Rich>, items: &[Rich]) {
        if let Some(lead) = lead {
            let _ = writeln!(self.out, "<p>{}</p>", inline(lead));
        }
        let _ = writeln!(self.out, "<ul>");
        for item in items {
            let _ = writeln!(self.out, "<li>{}</li>", inline(item));
        }
        let _ = writeln!(self.out, "</ul>");
    }

    fn note(&mut self, label: &str, title: Option<&str>, note: &Note, source: Option<&str>) {
        let class = if label == "Context" { "note context" } else { "note" };
        let _ =
            write!(self.out, "<aside class=\"{class}\">\n<p><span class=\"label\">{label}</span>");
        if let Some(title) = title {
            let _ = write!(self.out, " <strong>{}</strong>", escape(title));
        }
        let _ = writeln!(self.out, "</p>");
        for paragraph in &note.paragraphs {
            let _ = writeln!(self.out, "<p>{}</p>", inline(paragraph));
        }
        if !note.items.is_empty() {
            let _ = writeln!(self.out, "<ul>");
            for item in &note.items {
                let _ = writeln!(self.out, "<li>{}</li>", inline(item));
            }
            let _ = writeln!(self.out, "</ul>");
        }
        if let Some(source) = source {
            let _ = writeln!(self.out, "<p class=\"source\">Source: {}</p>", escape(source));
        }
        let _ = writeln!(self.out, "</aside>");
    }

    fn diagram(&mut self, title: &str, drawing: &[String], alt: &str) {
        let _ = writeln!(
            self.out,
            "<figure>\n<pre role=\"img\" aria-label=\"{}\">{}</pre>\n<figcaption><strong>{}</strong>: {}</figcaption>\n</figure>",
            escape(alt),
            escape(&drawing.join("\n")),
            escape(title),
            escape(alt)
        );
    }

    fn key_points(&mut self, points: &[Rich]) {
        let _ = writeln!(self.out, "<div class=\"key-points\">\n<h3>Key points</h3>\n<ul>");
        for point in points {
            let _ = writeln!(self.out, "<li>{}</li>", inline(point));
        }
        let _ = writeln!(self.out, "</ul>\n</div>");
    }

    fn questions_start(&mut self, count: usize) {
        let _ = writeln!(self.out, "<h3>Questions ({count})</h3>");
    }

    fn question(&mut self, number: usize, prompt: &str, how: &str, items: &[(String, String)]) {
        let _ = writeln!(
            self.out,
            "<div class=\"question\">\n<p><strong>Q{number}.</strong> {} <span class=\"how\">{how}</span></p>",
            escape(prompt)
        );
        if !items.is_empty() {
            let _ = writeln!(self.out, "<ol class=\"items\">");
            for (label, text) in items {
                let _ = writeln!(self.out, "<li>{}) {}</li>", escape(label), escape(text));
            }
            let _ = writeln!(self.out, "</ol>");
        }
        let _ = writeln!(self.out, "</div>");
    }

    fn answer_key_start(&mut self) {
        if self.out.contains("<section") {
            self.out.push_str("</section>\n");
        }
        let _ = writeln!(self.out, "<section class=\"answers\">\n<h2>Answer key</h2>");
    }

    fn answer(&mut self, number: usize, answer: &[String], explanation: &str) {
        let _ =
            writeln!(self.out, "<p><strong>Q{number}.</strong> {}</p>", escape(&answer.join("; ")));
        if !explanation.is_empty() {
            let _ = writeln!(self.out, "<p class=\"how\">{}</p>", escape(explanation));
        }
    }

    fn glossary(&mut self, course: &Course) {
        if course.glossary.is_empty() {
            return;
        }
        if self.out.contains("<section") && !self.out.trim_end().ends_with("</section>") {
            self.out.push_str("</section>\n");
        }
        let _ = writeln!(self.out, "<section id=\"glossary\">\n<h2>Glossary</h2>\n<dl>");
        for term in &course.glossary {
            let _ = writeln!(
                self.out,
                "<dt>{}</dt><dd>{}</dd>",
                escape(&term.term),
                escape(&term.definition)
            );
        }
        let _ = writeln!(self.out, "</dl>");
    }

    fn finish(&mut self) -> String {
        if self.out.contains("<section") && !self.out.trim_end().ends_with("</section>") {
            self.out.push_str("</section>\n");
        }
        self.out.push_str("</body>\n</html>\n");
        std::mem::take(&mut self.out)
    }
}

/// For tests: the escaping every quoted text goes through.
#[cfg(test)]
pub fn tests_escape(text: &str) -> String {
    escape(text)
}
