//! Puts arbitrary text where a pack's content goes (titles, paragraphs, list items, a
//! question and its options, a diagram's labels) and reads the Markdown export back with a
//! CommonMark parser: content must never become raw HTML, a heading or a code block.

#![no_main]

use libfuzzer_sys::fuzz_target;
use pulldown_cmark::{Event, Parser, Tag};
use stemcell::content::{self, load::PackSource};
use stemcell::course::{Answer, BlockBody, Course, Rich};
use stemcell::export::{self, Format, Options};

/// (raw HTML, headings, code blocks) as a CommonMark reader sees them.
fn structure(markdown: &str) -> (usize, usize, usize) {
    let (mut html, mut headings, mut code) = (0, 0, 0);
    for event in Parser::new(markdown) {
        match event {
            Event::Html(_) | Event::InlineHtml(_) => html += 1,
            Event::Start(Tag::Heading { .. }) => headings += 1,
            Event::Start(Tag::CodeBlock(_)) => code += 1,
            _ => {}
        }
    }
    (html, headings, code)
}

fn with(course: &Course, texts: &[&str]) -> Course {
    let text = |i: usize| texts.get(i % texts.len().max(1)).copied().unwrap_or("").to_owned();
    let mut course = course.clone();
    course.sections.truncate(2);
    course.title = text(0);
    for (n, section) in course.sections.iter_mut().enumerate() {
        section.title = text(n + 1);
        section.key_points.push(Rich::plain(text(n + 2)));
        for (b, block) in section.blocks.iter_mut().enumerate() {
            match &mut block.body {
                BlockBody::Text(paragraphs) => paragraphs.push(Rich::plain(text(b + 3))),
                BlockBody::List { items, .. } => items.push(Rich::plain(text(b + 4))),
                BlockBody::Context { source, .. } => *source = text(b + 5),
                _ => {}
            }
        }
        if let Some(question) = section.questions.first_mut() {
            question.prompt = text(n + 6);
            if let Answer::Choice { options, .. } = &mut question.answer {
                options[0].text = text(n + 7);
            }
        }
    }
    if let Some(diagram) = course.diagrams.first_mut() {
        for (i, node) in diagram.nodes.iter_mut().enumerate() {
            node.label = text(i + 8);
        }
    }
    course
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let course = content::load(&PackSource::BuiltIn).expect("the built-in pack").course;
    let pieces: Vec<&str> = text.split('\u{1f}').collect();
    let markdown = |course: &Course| {
        export::export(
            Format::Markdown,
            &Options { seed: 1, answers: true, section: None, worksheet: false, course },
        )
    };
    let plain = structure(&markdown(&with(&course, &["words"])));
    let hostile = structure(&markdown(&with(&course, &pieces)));
    assert_eq!(hostile.0, 0, "raw HTML from content");
    assert_eq!(hostile.1, plain.1, "a heading made or lost");
    assert_eq!(hostile.2, plain.2, "a code block made or lost");
});
