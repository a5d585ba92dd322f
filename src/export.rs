//! Handouts: the course as Markdown, HTML, plain text or JSON, with its questions in the order
//! the screen shows them for the same `--seed`, and with `--answers` an answer key at the end.
//! The three text formats share one walk over the course ([`Handout`]); each format only says
//! how a part looks.

mod anki;
mod apkg;
mod gift;
mod html;
mod json;
mod markdown;
mod moodle;
mod text;

use crate::course::{Answer, BlockBody, Course, Note, Question, QuestionKind, Rich, Section};
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
    /// Moodle XML: a question bank to import into a Moodle course.
    MoodleXml,
    /// GIFT: Moodle's plain-text question format.
    Gift,
    /// Tab-separated notes for Anki: front, back, tags.
    Anki,
    /// An Anki package (.apkg, binary: write it with -o): a deck whose note type keeps
    /// choice questions as choices, which a later export updates in place.
    Apkg,
}

impl Format {
    /// Whether the format is a handout that `--worksheet` can shape (the question banks and
    /// JSON are not laid out on paper).
    pub fn has_worksheet(self) -> bool {
        matches!(self, Self::Markdown | Self::Html | Self::Text)
    }

    /// Whether the format is binary (it cannot go to a terminal).
    pub fn is_binary(self) -> bool {
        matches!(self, Self::Apkg)
    }
}

/// What goes into a handout.
// Each bool is a separate switch of `stemcell export`, not states of one thing.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    pub seed: u64,
    pub answers: bool,
    /// Only this section (index), or the whole course.
    pub section: Option<usize>,
    /// A worksheet: the questions only, with room to answer on paper.
    pub worksheet: bool,
    /// The answer key alone (numbered as the worksheet or handout with the same seed and
    /// section numbers its questions), to hand out or keep apart from the questions.
    pub key_only: bool,
    /// Moodle XML: `order` questions as `matching` of each step to its position, for Moodle
    /// before 4.4 (which has no core `ordering` type).
    pub order_as_matching: bool,
    pub course: &'a Course,
}

impl<'a> Options<'a> {
    /// The whole course, without answers, with seed 0: set the rest by field.
    pub fn new(course: &'a Course) -> Self {
        Self {
            seed: 0,
            answers: false,
            section: None,
            worksheet: false,
            key_only: false,
            order_as_matching: false,
            course,
        }
    }
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

/// Where a note's facts come from: the name, and a web address to read it at.
#[derive(Debug, Clone, Copy)]
struct Source<'a> {
    name: &'a str,
    url: Option<&'a str>,
}

/// A question as it is printed: numbered, with its items in screen order and labelled as on
/// screen.
struct Asked<'a> {
    number: usize,
    prompt: &'a str,
    /// How to answer, or `None` when the prompt already says it.
    how: Option<&'static str>,
    kind: QuestionKind,
    /// (label, text). For `match`: the numbered lefts first, then the lettered rights.
    items: Vec<(String, String)>,
    /// For `match`: how many of `items` are numbered lefts.
    lefts: usize,
    /// With room to write the answer.
    worksheet: bool,
}

/// How one text format writes each part of a handout.
trait Handout {
    /// The title and notice; `contents` lists (anchor, title) of the sections when the whole
    /// course is printed, for a table of contents.
    fn start(&mut self, course: &Course, contents: &[(String, String)]);
    /// The name and date line at the top of a worksheet.
    fn name_line(&mut self);
    fn section(&mut self, number: usize, section: &Section);
    fn paragraph(&mut self, text: &Rich);
    fn heading(&mut self, text: &str);
    fn list(&mut self, lead: Option<&Rich>, items: &[Rich]);
    fn note(&mut self, label: &str, title: Option<&str>, note: &Note, source: Option<Source>);
    /// A diagram: its title, the drawing as lines of text (without the title), the captions
    /// of its steps in order, and its description.
    fn diagram(&mut self, title: &str, drawing: &[String], steps: &[String], alt: &str);
    fn key_points(&mut self, points: &[Rich]);
    fn questions_start(&mut self, count: usize);
    fn question(&mut self, asked: &Asked);
    /// The answer key; on a worksheet it starts a new page.
    fn answer_key_start(&mut self, worksheet: bool);
    fn answer(&mut self, number: usize, answer: &[String], explanation: &str);
    fn glossary(&mut self, course: &Course);
    fn finish(&mut self) -> String;
}

/// Writes the course in a text `format` (a binary one, `apkg`, comes from [`export_bytes`]).
/// Characters XML 1.0 forbids are never written, in any format (see [`xml_safe`]).
pub fn export(format: Format, options: &Options) -> String {
    let text = match format {
        Format::Markdown => walk(&mut markdown::Markdown::default(), options),
        Format::Html => walk(&mut html::Html::default(), options),
        Format::Text => walk(&mut text::Text::default(), options),
        Format::Json => json::export(options),
        Format::MoodleXml => moodle::export(options),
        Format::Gift => gift::export(options),
        Format::Anki | Format::Apkg => anki::export(options),
    };
    // Plain text keeps the form feed that starts its answer key's page (the loader has
    // already removed every control character from the pack's own text).
    let keep = if format == Format::Text { '\u{c}' } else { '\n' };
    xml_safe(text, keep)
}

/// Writes the course in any format, as the bytes of the file.
pub fn export_bytes(format: Format, options: &Options) -> Result<Vec<u8>, String> {
    match format {
        Format::Apkg => apkg::export(options),
        _ => Ok(export(format, options).into_bytes()),
    }
}

/// Whether XML 1.0 forbids `c` (C0 controls but tab and line breaks, U+FFFE, U+FFFF; Rust's
/// `char` already excludes surrogates) or discourages it as a noncharacter (U+FDD0 to U+FDEF,
/// and the last two code points of every plane). A pack holding one would make Moodle XML
/// and XHTML ill-formed, and means nothing in any other format.
pub fn forbidden_in_xml(c: char) -> bool {
    let code = u32::from(c);
    (code < 0x20 && !matches!(c, '\t' | '\n' | '\r'))
        || (0xFDD0..=0xFDEF).contains(&code)
        || code & 0xFFFE == 0xFFFE
}

/// `text` with every character [`forbidden_in_xml`] replaced by U+FFFD (the replacement
/// character, which shows the reader that something was there). Every export passes through
/// this last, so no escaping rule of a format can let one through; `keep` is one character
/// the format itself writes on purpose.
pub fn xml_safe(text: String, keep: char) -> String {
    let bad = |c: char| c != keep && forbidden_in_xml(c);
    if text.chars().any(bad) {
        text.chars().map(|c| if bad(c) { '\u{FFFD}' } else { c }).collect()
    } else {
        text
    }
}

/// Writes a handout to `path` so that a failure (a full disk, a quota) leaves the file that
/// was there untouched: the text goes to a temporary file beside it, which is renamed over it
/// only once complete. A path that is not a regular file (`/dev/stdout`, a named pipe) is
/// written to directly, since renaming over it would replace it; a link is written through.
pub fn save(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    match std::fs::metadata(&target) {
        Ok(meta) if !meta.is_file() => std::fs::write(&target, bytes),
        // A new handout is as readable as the umask says, a replaced one keeps its mode.
        _ => crate::learner::store::write_atomically_as(
            &target,
            bytes,
            crate::learner::store::Sharing::AsTheUserChose,
        ),
    }
}

fn walk(out: &mut impl Handout, options: &Options) -> String {
    let course = options.course;
    let contents: Vec<(String, String)> = if options.section.is_none() && !options.worksheet {
        options.sections().map(|(i, s)| (s.id.clone(), format!("{}. {}", i + 1, s.title))).collect()
    } else {
        Vec::new()
    };
    out.start(course, &contents);
    if options.key_only {
        return key_only(out, options);
    }
    if options.worksheet {
        out.name_line();
    }
    let mut keys = Vec::new();
    let mut number = 0;
    for (index, section) in options.sections() {
        if options.worksheet && section.questions.is_empty() {
            continue;
        }
        out.section(index + 1, section);
        if !options.worksheet {
            blocks(out, course, section);
        }
        if !section.questions.is_empty() {
            out.questions_start(section.questions.len());
            let presentations = quiz::present_section(section, options.seed);
            for (question, shown) in section.questions.iter().zip(presentations) {
                number += 1;
                out.question(&asked(question, &shown, number, options.worksheet));
                keys.push((
                    number,
                    quiz::correct_answer(question, &shown),
                    question.explanation.clone(),
                ));
            }
        }
    }
    if options.answers && !keys.is_empty() {
        out.answer_key_start(options.worksheet);
        for (number, answer, explanation) in &keys {
            out.answer(*number, answer, explanation);
        }
    }
    if options.section.is_none() && !options.worksheet {
        out.glossary(course);
    }
    out.finish()
}

/// The answer key alone, numbered as the questions are in every handout for the same seed and
/// section.
fn key_only(out: &mut impl Handout, options: &Options) -> String {
    let keys: Vec<_> = options
        .sections()
        .flat_map(|(_, section)| {
            section.questions.iter().zip(quiz::present_section(section, options.seed))
        })
        .map(|(question, shown)| {
            (quiz::correct_answer(question, &shown), question.explanation.as_str())
        })
        .collect();
    out.answer_key_start(false);
    for (number, (answer, explanation)) in keys.iter().enumerate() {
        out.answer(number + 1, answer, explanation);
    }
    out.finish()
}

/// A section's reading: its blocks and key points.
fn blocks(out: &mut impl Handout, course: &Course, section: &Section) {
    for block in &section.blocks {
        match &block.body {
            BlockBody::Text(paragraphs) => paragraphs.iter().for_each(|p| out.paragraph(p)),
            BlockBody::Heading(text) => out.heading(text),
            BlockBody::List { lead, items } => out.list(lead.as_ref(), items),
            BlockBody::Callout { tone, title, note, source, url } => {
                let label = match tone {
                    crate::course::Tone::Note => "Note",
                    crate::course::Tone::Tip => "Tip",
                    crate::course::Tone::Warning => "Warning",
                };
                let source = source.as_deref().map(|name| Source { name, url: url.as_deref() });
                out.note(label, title.as_deref(), note, source);
            }
            BlockBody::Context { title, note, source, url } => {
                let source = Source { name: source, url: url.as_deref() };
                out.note("Context", title.as_deref(), note, Some(source));
            }
            BlockBody::Diagram(index) => {
                if let Some(diagram) = course.diagrams.get(*index) {
                    let drawing = crate::diagram::draw(diagram, DIAGRAM_WIDTH, None, false);
                    // The drawing opens with its title and a blank line: each format prints
                    // the title once, itself.
                    let lines: Vec<String> = drawing
                        .lines
                        .iter()
                        .map(|l| l.text().trim_end().to_owned())
                        .skip_while(|l| !l.is_empty())
                        .skip(1)
                        .collect();
                    let steps: Vec<String> =
                        diagram.steps.iter().map(|s| s.caption.clone()).collect();
                    out.diagram(&diagram.title, &lines, &steps, crate::diagram::alt_text(diagram));
                }
            }
        }
    }
    if !section.key_points.is_empty() {
        out.key_points(&section.key_points);
    }
}

/// A question ready to print.
fn asked<'a>(
    question: &'a Question,
    shown: &Presentation,
    number: usize,
    worksheet: bool,
) -> Asked<'a> {
    let how = how_to_answer(question);
    let lefts = match &question.answer {
        Answer::Match(pairs) => pairs.len(),
        _ => 0,
    };
    Asked {
        number,
        prompt: &question.prompt,
        how: (!says_already(&question.prompt, how)).then_some(how),
        kind: question.kind(),
        items: items(question, shown),
        lefts,
        worksheet,
    }
}

/// Whether a prompt already ends with the instruction (many authors write "Choose all that
/// apply." into a multiple-choice prompt): then the handout does not say it twice.
fn says_already(prompt: &str, how: &str) -> bool {
    let words = |s: &str| {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
    };
    let (prompt, how) = (words(prompt), words(how));
    !how.is_empty() && prompt.ends_with(&how)
}

/// An answer key's lines joined into one: with `; ` between them, or only a space where a line
/// already ends with its own punctuation (no `.;`).
fn joined(answer: &[String]) -> String {
    let mut out = String::new();
    for (i, line) in answer.iter().enumerate() {
        if i > 0 {
            let ends = out.trim_end().ends_with(['.', '!', '?', ';', ':']);
            out.push_str(if ends { " " } else { "; " });
        }
        out.push_str(line.trim());
    }
    out
}

/// Text with its emphasis in a markup: each run escaped, italic and bold runs wrapped in the
/// markup's (open, close) pairs, and code written by the markup's own `code` (which escapes
/// as that markup needs inside code).
fn inline(
    text: &Rich,
    escape: fn(&str) -> String,
    (italic, bold): ((&str, &str), (&str, &str)),
    code: fn(&str) -> String,
) -> String {
    use crate::course::Emphasis;
    let mut out = String::new();
    for run in &text.0 {
        let (open, close) = match run.emphasis {
            Emphasis::Code => {
                out.push_str(&code(&run.text));
                continue;
            }
            Emphasis::Plain => ("", ""),
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

/// The JSON Schema of `--format json` (for `stemcell schema --export`).
pub fn json_schema() -> serde_json::Value {
    json::schema()
}

/// Text escaped for HTML or XML: every character that could open markup is escaped, so text
/// from a pack stays text. A line break becomes `newline`; any other control character (a
/// carriage return would be a line break that hides text in some viewers) becomes a space.
pub(crate) fn escape_markup(text: &str, newline: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str(newline),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
