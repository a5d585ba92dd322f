//! The course as JSON, for other tools: every section, block and question, questions with
//! their items in screen order, and with `--answers` the answers and explanations. Its shape
//! is versioned (`format_version`) and described by a JSON Schema made from these same types
//! (`stemcell schema --export`), so a tool can check what it reads.

use schemars::JsonSchema;
use serde::Serialize;

use super::{Options, how_to_answer, items};
use crate::course::{BlockBody, Rich};
use crate::quiz;

/// The version of the JSON export's shape: raised when a field changes meaning or goes away
/// (new optional fields keep it).
pub const FORMAT_VERSION: u32 = 1;

/// A course handout as JSON (`stemcell export --format json`).
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "StemcellExport")]
pub struct Export<'a> {
    /// The version of this shape; 1 for now.
    format_version: u32,
    /// The course's id, as in its manifest.
    id: &'a str,
    /// The course's language, a BCP 47 tag such as `en`.
    language: &'a str,
    /// The course title.
    title: &'a str,
    /// One line saying what the course is about.
    description: &'a str,
    /// The notice every handout carries (education, not medical advice).
    disclaimer: &'a str,
    /// The seed the options were shuffled with: the same seed shows the same order on screen.
    seed: u64,
    /// The sections printed, in reading order.
    sections: Vec<SectionOut<'a>>,
    /// The glossary, alphabetical (left out when only one section is printed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    glossary: Vec<TermOut<'a>>,
}

/// One section.
#[derive(Serialize, JsonSchema)]
struct SectionOut<'a> {
    /// The section's id.
    id: &'a str,
    /// The section's heading.
    title: &'a str,
    /// Its content in reading order.
    blocks: Vec<BlockOut<'a>>,
    /// The summary at its end, as plain text.
    key_points: Vec<String>,
    /// Its quiz, in the order asked.
    questions: Vec<QuestionOut<'a>>,
}

/// One block of a section.
#[derive(Serialize, JsonSchema)]
struct BlockOut<'a> {
    /// `text`, `heading`, `list`, `callout`, `context` or `diagram`.
    #[schemars(with = "BlockKindOut")]
    kind: &'static str,
    /// The block's id, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    /// A note's or diagram's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    /// Paragraphs as plain text (a heading's text; a list's lead-in; a diagram's description).
    text: Vec<String>,
    /// List entries; a diagram's drawing, one line each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    items: Vec<String>,
    /// Where a note's facts come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    /// A web address where the source can be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    /// A stepped diagram's step captions, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    steps: Vec<&'a str>,
}

/// The kinds of block, for the schema.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)] // Only its schema is used.
enum BlockKindOut {
    Text,
    Heading,
    List,
    Callout,
    Context,
    Diagram,
}

/// The kinds of question, for the schema.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)] // Only its schema is used.
enum QuestionKindOut {
    Single,
    Multiple,
    TrueFalse,
    Order,
    Match,
    Fill,
}

/// One question, as the learner sees it.
#[derive(Serialize, JsonSchema)]
struct QuestionOut<'a> {
    /// The question's id.
    id: &'a str,
    /// The kind of question.
    #[schemars(with = "QuestionKindOut")]
    kind: &'static str,
    /// The question.
    prompt: &'a str,
    /// How to answer it ("Choose one.").
    how: &'static str,
    /// (label, text) in screen order: options, steps, or a match's numbered lefts then its
    /// lettered rights.
    items: Vec<(String, String)>,
    /// With `--answers`: the answer in words, with the labels of `items`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    answer: Option<Vec<String>>,
    /// With `--answers`: why the answer is right.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    explanation: Option<&'a str>,
}

/// A glossary entry.
#[derive(Serialize, JsonSchema)]
struct TermOut<'a> {
    /// The term.
    term: &'a str,
    /// Other names and forms.
    also: &'a [String],
    /// What it means.
    definition: &'a str,
}

/// The JSON Schema of the export.
pub fn schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Export<'static>)).unwrap_or_default()
}

fn texts(rich: &[Rich]) -> Vec<String> {
    rich.iter().map(Rich::text).collect()
}

fn block_out<'a>(
    course: &'a crate::course::Course,
    block: &'a crate::course::Block,
) -> BlockOut<'a> {
    let id = block.id.as_deref();
    match &block.body {
        BlockBody::Text(p) => BlockOut {
            kind: "text",
            id,
            title: None,
            text: texts(p),
            items: vec![],
            source: None,
            url: None,
            steps: vec![],
        },
        BlockBody::Heading(h) => BlockOut {
            kind: "heading",
            id,
            title: None,
            text: vec![h.clone()],
            items: vec![],
            source: None,
            url: None,
            steps: vec![],
        },
        BlockBody::List { lead, items } => BlockOut {
            kind: "list",
            id,
            title: None,
            text: lead.iter().map(Rich::text).collect(),
            items: texts(items),
            source: None,
            url: None,
            steps: vec![],
        },
        BlockBody::Callout { title, note, source, url, .. } => BlockOut {
            kind: "callout",
            id,
            title: title.as_deref(),
            text: texts(&note.paragraphs),
            items: texts(&note.items),
            source: source.as_deref(),
            url: url.as_deref(),
            steps: vec![],
        },
        BlockBody::Diagram(index) => {
            let diagram = &course.diagrams[*index];
            let drawing = crate::diagram::draw(diagram, super::DIAGRAM_WIDTH, None, false);
            BlockOut {
                kind: "diagram",
                id,
                title: Some(&diagram.title),
                text: vec![crate::diagram::alt_text(diagram).to_owned()],
                items: drawing.lines.iter().map(|l| l.text().trim_end().to_owned()).collect(),
                source: None,
                url: None,
                steps: diagram.steps.iter().map(|s| s.caption.as_str()).collect(),
            }
        }
        BlockBody::Context { title, note, source, url } => BlockOut {
            kind: "context",
            id,
            title: title.as_deref(),
            text: texts(&note.paragraphs),
            items: texts(&note.items),
            source: Some(source),
            url: url.as_deref(),
            steps: vec![],
        },
    }
}

pub fn export(options: &Options) -> String {
    let course = options.course;
    let sections = options
        .sections()
        .map(|(_, section)| SectionOut {
            id: &section.id,
            title: &section.title,
            blocks: section.blocks.iter().map(|block| block_out(course, block)).collect(),
            key_points: texts(&section.key_points),
            questions: section
                .questions
                .iter()
                .map(|q| {
                    let shown = quiz::present_in(section, q, options.seed);
                    QuestionOut {
                        id: &q.id,
                        kind: q.kind().name(),
                        prompt: &q.prompt,
                        how: how_to_answer(q),
                        items: items(q, &shown),
                        answer: options.answers.then(|| quiz::correct_answer(q, &shown)),
                        explanation: options.answers.then_some(q.explanation.as_str()),
                    }
                })
                .collect(),
        })
        .collect();
    let glossary = if options.section.is_none() {
        course
            .glossary
            .iter()
            .map(|t| TermOut { term: &t.term, also: &t.also, definition: &t.definition })
            .collect()
    } else {
        Vec::new()
    };
    let export = Export {
        format_version: FORMAT_VERSION,
        id: &course.id,
        language: &course.language,
        title: &course.title,
        description: &course.description,
        disclaimer: &course.disclaimer,
        seed: options.seed,
        sections,
        glossary,
    };
    serde_json::to_string_pretty(&export)
        .map_or_else(|e| format!("{{\"error\": \"{e}\"}}"), |json| json + "\n")
}
