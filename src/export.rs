//! Handouts: the course as Markdown, HTML, plain text or JSON, with its questions in the order
//! the screen shows them for the same `--seed`, and with `--answers` an answer key at the end.
//! The three text formats share one walk over the course ([`Handout`]); each format only says
//! how a part looks.

mod html;
mod json;
mod markdown;
mod text;

use crate::course::{Answer, BlockBody, Course, Note, Question, Rich, Section};
use crate::quiz::{self, Presentation};

/// The width diagrams are drawn at on paper (and in a Markdown code block).
const DIAGRAM_WIDTH: usize = 78;

/// The formats of `stemcell export --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Markdown,
    Html,
    Text,
    Json,
}

/// What goes into a handout.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    pub seed: u64,
    pub answers: bool,
    /// Only this section (index), or the whole course.
    pub section: Option<usize>,
    pub course: &'a Course,
}

impl Options<'_> {
    fn sections(&self) -> impl Iterator<Item = (usize, &Section)> {
        self.course
            .sections
            .iter()
            .enumerate()
            .filter(|(i, _)| self.section.is_none_or(|only| only == *i))
    }
}

/// How one text format writes each part of a handout.
trait Handout {
    fn start(&mut self, course: &Course);
    fn section(&mut self, number: usize, section: &Section);
    fn paragraph(&mut self, text: &Rich);
    fn heading(&mut self, text: &str);
    fn list(&mut self, lead: Option<&Rich>, items: &[Rich]);
    fn note(&mut self, label: &str, title: Option<&str>, note: &Note, source: Option<&str>);
    /// A diagram: its title, the drawing as lines of text, and its description.
    fn diagram(&mut self, title: &str, drawing: &[String], alt: &str);
    fn key_points(&mut self, points: &[Rich]);
    fn questions_start(&mut self, count: usize);
    /// A question as the learner sees it: prompt, then items already in screen order and
    /// labelled as on screen.
    fn question(&mut self, number: usize, prompt: &str, how: &str, items: &[(String, String)]);
    fn answer_key_start(&mut self);
    fn answer(&mut self, number: usize, answer: &[String], explanation: &str);
    fn glossary(&mut self, course: &Course);
    fn finish(&mut self) -> String;
}

/// Writes the course in `format`.
pub fn export(format: Format, options: &Options) -> String {
    match format {
        Format::Markdown => walk(&mut markdown::Markdown::default(), options),
        Format::Html => walk(&mut html::Html::default(), options),
        Format::Text => walk(&mut text::Text::default(), options),
        Format::Json => json::export(options),
    }
}

fn walk(out: &mut impl Handout, options: &Options) -> String {
    let course = options.course;
    out.start(course);
    let mut keys = Vec::new();
    let mut number = 0;
    for (index, section) in options.sections() {
        out.section(index + 1, section);
        for block in &section.blocks {
            match &block.body {
                BlockBody::Text(paragraphs) => paragraphs.iter().for_each(|p| out.paragraph(p)),
                BlockBody::Heading(text) => out.heading(text),
                BlockBody::List { lead, items } => out.list(lead.as_ref(), items),
                BlockBody::Callout { tone, title, note, source } => {
                    let label = match tone {
                        crate::course::Tone::Note => "Note",
                        crate::course::Tone::Tip => "Tip",
                        crate::course::Tone::Warning => "Warning",
                    };
                    out.note(label, title.as_deref(), note, source.as_deref());
                }
                BlockBody::Context { title, note, source } => {
                    out.note("Context", title.as_deref(), note, Some(source));
                }
                BlockBody::Diagram(index) => {
                    if let Some(diagram) = course.diagrams.get(*index) {
                        let drawing = crate::diagram::draw(diagram, DIAGRAM_WIDTH, None, false);
                        let lines: Vec<String> =
                            drawing.lines.iter().map(|l| l.text().trim_end().to_owned()).collect();
                        out.diagram(&diagram.title, &lines, crate::diagram::alt_text(diagram));
                    }
                }
            }
        }
        if !section.key_points.is_empty() {
            out.key_points(&section.key_points);
        }
        if !section.questions.is_empty() {
            out.questions_start(section.questions.len());
            for question in &section.questions {
                number += 1;
                let shown = quiz::present(question, options.seed);
                out.question(
                    number,
                    &question.prompt,
                    how_to_answer(question),
                    &items(question, &shown),
                );
                keys.push((
                    number,
                    quiz::correct_answer(question, &shown),
                    question.explanation.clone(),
                ));
            }
        }
    }
    if options.answers && !keys.is_empty() {
        out.answer_key_start();
        for (number, answer, explanation) in &keys {
            out.answer(*number, answer, explanation);
        }
    }
    if options.section.is_none() {
        out.glossary(course);
    }
    out.finish()
}

/// Text with its emphasis in a markup: each run escaped, italic and bold runs wrapped in the
/// markup's (open, close) pairs.
fn inline(
    text: &Rich,
    escape: fn(&str) -> String,
    italic: (&str, &str),
    bold: (&str, &str),
) -> String {
    use crate::course::Emphasis;
    let mut out = String::new();
    for run in &text.0 {
        let (open, close) = match run.emphasis {
            // Handouts print code as plain text (each format's own code markup is for later).
            Emphasis::Plain | Emphasis::Code => ("", ""),
            Emphasis::Italic => italic,
            Emphasis::Bold => bold,
        };
        out.push_str(open);
        out.push_str(&escape(&run.text));
        out.push_str(close);
    }
    out
}

/// The instruction printed under a question on paper.
fn how_to_answer(question: &Question) -> &'static str {
    match &question.answer {
        Answer::Choice { multiple: false, .. } => "Choose one.",
        Answer::Choice { multiple: true, .. } => "Choose all that apply.",
        Answer::TrueFalse(_) => "True or false?",
        Answer::Order(_) => "Put the steps in order.",
        Answer::Match(_) => "Match each numbered item with a lettered one.",
        Answer::Fill(_) => "Fill in the gap.",
    }
}

/// The question's items as (label, text), in the order and with the labels of the screen.
fn items(question: &Question, shown: &Presentation) -> Vec<(String, String)> {
    match &question.answer {
        Answer::Choice { options, .. } => shown
            .order
            .iter()
            .enumerate()
            .map(|(p, &i)| (quiz::number_label(p), options[i].text.clone()))
            .collect(),
        Answer::TrueFalse(_) => vec![("T".into(), "True".into()), ("F".into(), "False".into())],
        Answer::Order(steps) => shown
            .order
            .iter()
            .enumerate()
            .map(|(p, &i)| (quiz::letter_label(p).to_string(), steps[i].clone()))
            .collect(),
        Answer::Match(pairs) => {
            let lefts =
                pairs.iter().enumerate().map(|(i, (l, _))| (quiz::number_label(i), l.clone()));
            let rights = shown
                .order
                .iter()
                .enumerate()
                .map(|(p, &i)| (quiz::letter_label(p).to_string(), pairs[i].1.clone()));
            lefts.chain(rights).collect()
        }
        Answer::Fill(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests;
