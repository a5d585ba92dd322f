//! One self-contained HTML page: no network, readable on screen and printable, each section
//! starting on a new page when printed. The markup is also well-formed XML (every element
//! closed, only XML's own entities), so strict XML tools read it as well as browsers do.

use std::fmt::Write as _;

use super::{Asked, Handout, Source};
use crate::course::{Course, Note, QuestionKind, Rich, Section};

#[derive(Default)]
pub struct Html {
    out: String,
    /// A `<section>` is open and must be closed before the next part.
    open: bool,
}

impl Html {
    fn close_section(&mut self) {
        if std::mem::take(&mut self.open) {
            self.out.push_str("</section>\n");
        }
    }
}

/// Every character that could open markup is escaped: text from a pack stays text.
fn escape(text: &str) -> String {
    super::escape_markup(text, "\n")
}

fn inline(text: &Rich) -> String {
    let emphasis = (("<em>", "</em>"), ("<strong>", "</strong>"));
    super::inline(text, escape, emphasis, |code| format!("<code>{}</code>", escape(code)))
}

/// An anchor id from a section id (already lowercase letters, digits and `-`).
fn anchor(id: &str) -> String {
    format!("s-{}", escape(id))
}

const STYLE: &str = "
:root { color-scheme: light; }
body { font: 17px/1.55 Georgia, 'Times New Roman', serif; max-width: 42rem; margin: 2rem auto; padding: 0 1rem; color: #1f2328; background: #fff; }
h1, h2, h3 { font-family: system-ui, sans-serif; line-height: 1.25; break-after: avoid; page-break-after: avoid; }
a { color: #0b5cad; }
.notice { border-left: 4px solid #9a4d00; padding: .5rem 1rem; background: #fff8e6; }
nav.contents ul { list-style: none; padding-left: 0; }
.note { border-left: 4px solid #0b5cad; padding: .25rem 1rem; margin: 1rem 0; background: #f3f7fc; break-inside: avoid; page-break-inside: avoid; }
.note.context { border-color: #8a2b8f; background: #faf4fb; font-style: italic; }
.note .label { font-style: normal; font-weight: bold; font-family: system-ui, sans-serif; text-transform: uppercase; font-size: .8rem; letter-spacing: .05em; }
.source { color: #57606a; font-size: .9rem; }
.key-points { border-top: 1px solid #d0d7de; padding-top: .5rem; break-inside: avoid; }
.question { break-inside: avoid; page-break-inside: avoid; margin: 1rem 0; }
.how { color: #57606a; font-style: italic; }
ol.items { list-style: none; padding-left: 1rem; }
ol.items li { margin: .25rem 0; }
.box { display: inline-block; width: .9em; height: .9em; border: 1.5px solid currentColor; vertical-align: -.1em; margin-right: .5em; }
.blank { display: inline-block; min-width: 3em; border-bottom: 1px solid currentColor; margin-left: .5em; }
.write { border-bottom: 1px solid #8c959f; height: 2rem; }
.slots { display: flex; gap: 1.5rem; flex-wrap: wrap; margin: .5rem 0 0 1rem; }
.slots span { min-width: 3.5em; border-bottom: 1px solid currentColor; }
.name-line { display: flex; gap: 2rem; margin: 1.5rem 0; font-family: system-ui, sans-serif; }
.name-line span { flex: 1; border-bottom: 1px solid currentColor; padding-top: 1.2rem; }
.name-line span.date { flex: .5; }
figure { margin: 1.5rem 0; break-inside: avoid; page-break-inside: avoid; }
pre { font: 13px/1.2 ui-monospace, 'DejaVu Sans Mono', Menlo, monospace; overflow-x: auto; }
figcaption { color: #57606a; font-size: .9rem; }
/* A term and its definition are never parted by a page break. */
dl > div { break-inside: avoid; page-break-inside: avoid; margin: .5rem 0; }
dt { font-weight: bold; break-after: avoid; page-break-after: avoid; }
dd { margin-left: 1.5rem; }
@media screen and (prefers-color-scheme: dark) {
  :root { color-scheme: dark; }
  body { color: #e6edf3; background: #0d1117; }
  a { color: #6cb6ff; }
  .notice { background: #2b1d05; border-color: #d18616; }
  .note { background: #0f1d2e; border-color: #4493f8; }
  .note.context { background: #221327; border-color: #c06ccf; }
  .source, .how, figcaption { color: #9198a1; }
  .key-points { border-color: #3d444d; }
  .write { border-color: #656c76; }
}
@page { size: auto; margin: 18mm 16mm 20mm; @bottom-center { content: counter(page) ' / ' counter(pages); font: 9pt system-ui, sans-serif; } }
@media print {
  body { margin: 0; max-width: none; font-size: 12pt; color: #000; background: #fff; }
  section { break-before: page; }
  main > section:first-child, .name-line + section { break-before: auto; }
  /* A worksheet's sections follow on (the name line comes first); its key starts a page. */
  .name-line ~ section { break-before: auto; }
  .answers, .name-line ~ section.answers { break-before: page; }
  a { color: inherit; text-decoration: none; }
  .source a::after { content: ' (' attr(href) ')'; font-size: .85em; }
  nav.contents a::after { content: none; }
  pre { overflow: visible; white-space: pre-wrap; }
}
";

impl Handout for Html {
    fn start(&mut self, course: &Course, contents: &[(String, String)]) {
        let _ = write!(
            self.out,
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\" />\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header>\n<h1>{}</h1>\n<p>{}</p>\n<p class=\"notice\"><strong>Please note:</strong> {}</p>\n</header>\n",
            escape(&course.language),
            escape(&course.title),
            escape(&course.title),
            escape(&course.description),
            escape(&course.disclaimer)
        );
        if !contents.is_empty() {
            // The titles carry their section numbers: a plain list, not a numbered one.
            let _ = writeln!(self.out, "<nav class=\"contents\">\n<h2>Contents</h2>\n<ul>");
            for (id, title) in contents {
                let _ = writeln!(
                    self.out,
                    "<li><a href=\"#{}\">{}</a></li>",
                    anchor(id),
                    escape(title)
                );
            }
            let _ = writeln!(self.out, "</ul>\n</nav>");
        }
        // The page's own content is the main landmark (the header is the banner, the
        // contents the navigation), so a screen reader can jump to it.
        self.out.push_str("<main>\n");
    }

    fn name_line(&mut self) {
        let _ = writeln!(
            self.out,
            "<div class=\"name-line\"><span>Name:</span><span class=\"date\">Date:</span></div>"
        );
    }

    fn section(&mut self, number: usize, section: &Section) {
        self.close_section();
        self.open = true;
        let _ = writeln!(
            self.out,
            "<section id=\"{}\">\n<h2>{number}. {}</h2>",
            anchor(&section.id),
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

    fn note(&mut self, label: &str, title: Option<&str>, note: &Note, source: Option<Source>) {
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
            let name = escape(source.name);
            // Only web addresses become links; the loader refuses any other scheme, and this
            // checks again so that no `javascript:` can reach a page.
            let url = source.url.filter(|u| {
                let u = u.to_ascii_lowercase();
                u.starts_with("https://") || u.starts_with("http://")
            });
            match url {
                Some(url) => {
                    let _ = writeln!(
                        self.out,
                        "<p class=\"source\">Source: <a href=\"{}\">{name}</a></p>",
                        escape(url)
                    );
                }
                None => {
                    let _ = writeln!(self.out, "<p class=\"source\">Source: {name}</p>");
                }
            }
        }
        let _ = writeln!(self.out, "</aside>");
    }

    fn diagram(&mut self, title: &str, drawing: &[String], steps: &[String], alt: &str) {
        let _ = writeln!(
            self.out,
            "<figure>\n<pre role=\"img\" aria-label=\"{}\">{}</pre>",
            escape(alt),
            escape(&drawing.join("\n")),
        );
        if !steps.is_empty() {
            let _ = writeln!(self.out, "<ol class=\"steps\">");
            for caption in steps {
                let _ = writeln!(self.out, "<li>{}</li>", escape(caption));
            }
            let _ = writeln!(self.out, "</ol>");
        }
        let _ = writeln!(
            self.out,
            "<figcaption><strong>{}</strong>: {}</figcaption>\n</figure>",
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

    fn question(&mut self, asked: &Asked) {
        let how =
            asked.how.map_or_else(String::new, |how| format!(" <span class=\"how\">{how}</span>"));
        let _ = writeln!(
            self.out,
            "<div class=\"question\">\n<p><strong>Q{}.</strong> {}{how}</p>",
            asked.number,
            escape(asked.prompt)
        );
        let boxed = asked.worksheet
            && matches!(
                asked.kind,
                QuestionKind::Single | QuestionKind::Multiple | QuestionKind::TrueFalse
            );
        if !asked.items.is_empty() {
            let _ = writeln!(self.out, "<ol class=\"items\">");
            for (i, (label, text)) in asked.items.iter().enumerate() {
                let tick = if boxed { "<span class=\"box\"></span>" } else { "" };
                let blank =
                    if asked.worksheet && asked.kind == QuestionKind::Match && i < asked.lefts {
                        "<span class=\"blank\"></span>"
                    } else {
                        ""
                    };
                if asked.kind == QuestionKind::Match && i == asked.lefts {
                    let _ = writeln!(self.out, "</ol>\n<ol class=\"items\">");
                }
                let _ =
                    writeln!(self.out, "<li>{tick}{}) {}{blank}</li>", escape(label), escape(text));
            }
            let _ = writeln!(self.out, "</ol>");
        }
        if asked.worksheet {
            match asked.kind {
                QuestionKind::Order => {
                    let _ = write!(self.out, "<div class=\"slots\">");
                    for n in 1..=asked.items.len() {
                        let _ = write!(self.out, "<span>{n}.</span>");
                    }
                    let _ = writeln!(self.out, "</div>");
                }
                QuestionKind::Fill => {
                    let _ = writeln!(self.out, "<div class=\"write\"></div>");
                }
                _ => {}
            }
        }
        let _ = writeln!(self.out, "</div>");
    }

    fn answer_key_start(&mut self, _worksheet: bool) {
        // The key always starts a new printed page (`.answers` in the style).
        self.close_section();
        self.open = true;
        let _ =
            writeln!(self.out, "<section class=\"answers\" id=\"answers\">\n<h2>Answer key</h2>");
    }

    fn answer(&mut self, number: usize, answer: &[String], explanation: &str) {
        let _ = writeln!(
            self.out,
            "<p><strong>Q{number}.</strong> {}</p>",
            escape(&super::joined(answer))
        );
        if !explanation.is_empty() {
            let _ = writeln!(self.out, "<p class=\"how\">{}</p>", escape(explanation));
        }
    }

    fn glossary(&mut self, course: &Course) {
        if course.glossary.is_empty() {
            return;
        }
        self.close_section();
        self.open = true;
        let _ = writeln!(self.out, "<section id=\"glossary\">\n<h2>Glossary</h2>\n<dl>");
        for term in &course.glossary {
            let _ = writeln!(
                self.out,
                "<div><dt>{}</dt><dd>{}</dd></div>",
                escape(&term.term),
                escape(&term.definition)
            );
        }
        let _ = writeln!(self.out, "</dl>");
    }

    fn finish(&mut self) -> String {
        self.close_section();
        self.out.push_str("</main>\n</body>\n</html>\n");
        std::mem::take(&mut self.out)
    }
}

/// For tests: the escaping every quoted text goes through.
#[cfg(test)]
pub fn tests_escape(text: &str) -> String {
    escape(text)
}
