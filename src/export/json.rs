//! The course as JSON, for other tools: every section, block and question, questions with
//! their items in screen order, and with `--answers` the answers and explanations.

use serde::Serialize;

use super::{Options, how_to_answer, items};
use crate::course::{BlockBody, Rich};
use crate::quiz;

#[derive(Serialize)]
struct Export<'a> {
    title: &'a str,
    description: &'a str,
    disclaimer: &'a str,
    seed: u64,
    sections: Vec<SectionOut<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    glossary: Vec<TermOut<'a>>,
}

#[derive(Serialize)]
struct SectionOut<'a> {
    id: &'a str,
    title: &'a str,
    blocks: Vec<BlockOut<'a>>,
    key_points: Vec<String>,
    questions: Vec<QuestionOut<'a>>,
}

#[derive(Serialize)]
struct BlockOut<'a> {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    text: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    items: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
}

#[derive(Serialize)]
struct QuestionOut<'a> {
    id: &'a str,
    kind: &'static str,
    prompt: &'a str,
    how: &'static str,
    /// (label, text) in screen order.
    items: Vec<(String, String)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    answer: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    explanation: Option<&'a str>,
}

#[derive(Serialize)]
struct TermOut<'a> {
    term: &'a str,
    also: &'a [String],
    definition: &'a str,
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
        BlockBody::Text(p) => {
            BlockOut { kind: "text", id, title: None, text: texts(p), items: vec![], source: None }
        }
        BlockBody::Heading(h) => BlockOut {
            kind: "heading",
            id,
            title: None,
            text: vec![h.clone()],
            items: vec![],
            source: None,
        },
        BlockBody::List { lead, items } => BlockOut {
            kind: "list",
            id,
            title: None,
            text: lead.iter().map(Rich::text).collect(),
            items: texts(items),
            source: None,
        },
        BlockBody::Callout { title, note, source, .. } => BlockOut {
            kind: "callout",
            id,
            title: title.as_deref(),
            text: texts(&note.paragraphs),
            items: texts(&note.items),
            source: source.as_deref(),
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
            }
        }
        BlockBody::Context { title, note, source } => BlockOut {
            kind: "context",
            id,
            title: title.as_deref(),
            text: texts(&note.paragraphs),
            items: texts(&note.items),
            source: Some(source),
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
                    let shown = quiz::present(q, options.seed);
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
