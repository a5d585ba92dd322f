//! The Markdown export read back by a `CommonMark` parser (pulldown-cmark): its structure is the
//! course's, whatever the course's text holds.

use proptest::prelude::*;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use super::*;
use crate::course::Block;

/// What a `CommonMark` reader makes of a document: its headings (level, text), the number of
/// list items and code blocks, and any raw HTML it would pass through.
#[derive(Debug, Default)]
struct Structure {
    headings: Vec<(HeadingLevel, String)>,
    list_items: usize,
    code_blocks: Vec<String>,
    html: Vec<String>,
    links: Vec<String>,
    text: String,
}

fn structure(markdown: &str) -> Structure {
    let mut out = Structure::default();
    let mut heading: Option<(HeadingLevel, String)> = None;
    let mut code: Option<String> = None;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => heading = Some((level, String::new())),
            Event::End(TagEnd::Heading(_)) => {
                out.headings.extend(heading.take());
                out.text.push(' ');
            }
            Event::Start(Tag::Item) => out.list_items += 1,
            Event::Start(Tag::CodeBlock(_)) => code = Some(String::new()),
            Event::End(TagEnd::CodeBlock) => {
                out.code_blocks.extend(code.take());
                out.text.push(' ');
            }
            Event::Start(Tag::Link { dest_url, .. }) => out.links.push(dest_url.to_string()),
            Event::Html(html) | Event::InlineHtml(html) => out.html.push(html.to_string()),
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, h)) = &mut heading {
                    h.push_str(&text);
                }
                if let Some(c) = &mut code {
                    c.push_str(&text);
                }
                out.text.push_str(&text);
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) => out.text.push(' '),
            _ => {}
        }
    }
    out
}

/// The headings the course's own structure calls for: the title; per section its heading,
/// its heading blocks, "Key points" and "Questions"; the glossary.
fn expected_headings(course: &Course) -> Vec<(HeadingLevel, String)> {
    let mut out = vec![(HeadingLevel::H1, course.title.clone())];
    for (i, section) in course.sections.iter().enumerate() {
        out.push((HeadingLevel::H2, format!("{}. {}", i + 1, section.title)));
        for block in &section.blocks {
            if let BlockBody::Heading(text) = &block.body {
                out.push((HeadingLevel::H3, text.clone()));
            }
        }
        if !section.key_points.is_empty() {
            out.push((HeadingLevel::H3, "Key points".to_owned()));
        }
        if !section.questions.is_empty() {
            out.push((HeadingLevel::H3, format!("Questions ({})", section.questions.len())));
        }
    }
    if !course.glossary.is_empty() {
        out.push((HeadingLevel::H2, "Glossary".to_owned()));
    }
    out
}

fn diagram_blocks(course: &Course) -> usize {
    course
        .sections
        .iter()
        .flat_map(|s| &s.blocks)
        .filter(|b| matches!(b.body, BlockBody::Diagram(_)))
        .count()
}

fn markdown(course: &Course) -> String {
    export(
        Format::Markdown,
        &Options {
            seed: 3,
            answers: false,
            section: None,
            worksheet: false,
            key_only: false,
            order_as_matching: false,
            course,
        },
    )
}

#[test]
fn the_built_in_course_reads_back_with_its_own_structure() {
    let course = course();
    let read = structure(&markdown(&course));
    assert_eq!(read.headings, expected_headings(&course));
    assert_eq!(read.code_blocks.len(), diagram_blocks(&course), "one code block per diagram");
    assert!(read.html.is_empty(), "no raw HTML: {:?}", read.html);
    // Every question's every option is one list item, nothing nested in it.
    let options: usize = course
        .sections
        .iter()
        .flat_map(|s| &s.questions)
        .map(|q| items(q, &quiz::present(q, 3)).len())
        .sum();
    assert!(read.list_items >= options);
}

/// Text that `CommonMark` would read as structure at the start of a line or anywhere.
const HOSTILE: [&str; 14] = [
    "```",
    "~~~ rust",
    "---",
    "===",
    "1. one",
    "2) two",
    "+ plus",
    "- minus",
    "* star",
    "# heading",
    "> quote",
    "    indented code",
    "<script>alert(1)</script>",
    "[link](javascript:alert(1)) <b>bold</b> &amp; | a | b |",
];

/// The built-in course with hostile text in every kind of place content can reach.
fn hostile_course() -> Course {
    let mut course = course();
    let line = |i: usize| HOSTILE[i % HOSTILE.len()].to_owned();
    course.title = format!("{}\n{}", line(0), line(12));
    course.description = format!("{}\n{}", line(2), line(12));
    for (i, section) in course.sections.iter_mut().enumerate() {
        section.title = format!("{}\n{}", line(i + 9), line(12));
        section.key_points.push(Rich::plain(format!("{}\n{}\n{}", line(i), line(3), line(12))));
        for (j, block) in section.blocks.iter_mut().enumerate() {
            match &mut block.body {
                BlockBody::Text(paragraphs) => {
                    paragraphs.push(Rich::plain(format!("{}\n{}", line(i + j), line(12))));
                }
                BlockBody::Context { note, source, url, .. } => {
                    note.items.push(Rich::plain(line(i + j + 4)));
                    *source = format!("{}\n{}", line(j), line(12));
                    *url = Some("https://example.org/a>b<script>)(\"".to_owned());
                }
                _ => {}
            }
        }
        for question in &mut section.questions {
            question.prompt = format!("{}\n{}", line(i + 5), question.prompt);
            if let Answer::Choice { options, .. } = &mut question.answer {
                options[0].text = format!("{}\n{}", line(i + 6), line(12));
            }
        }
    }
    // A diagram whose drawing holds runs of backticks and an HTML tag on lines of their own.
    let diagram = &mut course.diagrams[0];
    diagram.nodes[0].label = "```".to_owned();
    diagram.legend.push(crate::diagram::LegendEntry {
        style: diagram.nodes[0].style,
        text: "```` ``` ~~~".to_owned(),
    });
    diagram.alt = "```\n<script>alert(2)</script>".to_owned();
    course
}

#[test]
fn hostile_content_stays_text() {
    let course = hostile_course();
    let out = markdown(&course);
    let read = structure(&out);
    assert!(read.html.is_empty(), "raw HTML got through: {:?}", read.html);
    assert_eq!(read.code_blocks.len(), diagram_blocks(&course), "no code block opened or closed");
    // Compared word by word: a line break in a title is a space in Markdown, and leading
    // spaces are dropped (four would start a code block).
    let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let headings: Vec<String> = read.headings.iter().map(|(_, t)| words(t)).collect();
    let expected: Vec<String> = expected_headings(&course).iter().map(|(_, t)| words(t)).collect();
    assert_eq!(headings, expected, "no heading made or lost");
    assert!(read.text.contains("<script>alert(1)</script>"), "shown as text");
    assert!(read.code_blocks.iter().any(|c| c.contains("```")), "backticks kept in the drawing");
    for link in &read.links {
        assert!(link.starts_with("https://"), "only web links: {link}");
        assert!(!link.contains('<') && !link.contains('"'), "{link}");
    }
}

#[test]
fn a_fence_is_longer_than_any_run_of_backticks_inside() {
    let mut out = markdown::Markdown::default();
    let drawing = ["```".to_owned(), "<script>x</script>".to_owned(), "a ````` b".to_owned()];
    Handout::diagram(&mut out, "T", &drawing, &[], "alt");
    Handout::paragraph(&mut out, &Rich::plain("<b>after</b>"));
    let read = structure(&Handout::finish(&mut out));
    assert_eq!(read.code_blocks, vec!["```\n<script>x</script>\na ````` b\n".to_owned()]);
    assert!(read.html.is_empty());
}

#[test]
fn line_starts_are_escaped_only_where_they_would_be_structure() {
    let escape = markdown::tests_escape;
    assert_eq!(escape("1. one"), "1\\. one");
    assert_eq!(escape("- x"), "\\- x");
    assert_eq!(escape("   + x"), "\\+ x");
    assert_eq!(escape("a - b = c 1. d"), "a - b = c 1. d", "mid-line text reads as written");
    assert_eq!(escape("a\nb"), "a b");
}

#[test]
fn a_figure_has_its_title_once_its_steps_and_key_points_as_a_heading() {
    let course = course();
    let out = markdown(&course);
    let stepped = course.diagrams.iter().find(|d| !d.steps.is_empty()).expect("a stepped diagram");
    let shown =
        course.sections.iter().flat_map(|s| &s.blocks).any(
            |b| matches!(b.body, BlockBody::Diagram(i) if course.diagrams[i].id == stepped.id),
        );
    assert!(shown);
    for diagram in &course.diagrams {
        if out.contains(&format!("**Figure: {}**", diagram.title)) {
            assert_eq!(out.matches(&diagram.title).count(), 1, "{}", diagram.title);
        }
    }
    for step in &stepped.steps {
        assert!(out.contains(&step.caption), "{}", step.caption);
    }
    assert!(out.contains("\n### Key points\n"));
}

/// The built-in course's first section with `texts` where content goes.
fn with_texts(texts: &[String]) -> Course {
    let mut course = course();
    course.sections.truncate(1);
    let section = &mut course.sections[0];
    section.title.clone_from(&texts[0]);
    section.key_points = vec![Rich::plain(texts[1].clone())];
    section
        .blocks
        .push(Block { id: None, body: BlockBody::Text(vec![Rich::plain(texts[2].clone())]) });
    section.blocks.push(Block {
        id: None,
        body: BlockBody::List {
            lead: Some(Rich::plain(texts[3].clone())),
            items: vec![Rich::plain(texts[4].clone())],
        },
    });
    section.questions[0].prompt.clone_from(&texts[5]);
    if let Answer::Choice { options, .. } = &mut section.questions[0].answer {
        options[0].text.clone_from(&texts[6]);
    }
    course
}

/// A hostile line start followed by random text full of markup characters.
fn hostile_text() -> impl Strategy<Value = String> {
    (
        proptest::sample::select(HOSTILE.to_vec()),
        "[-`~=#>*+_<>/a-z0-9 .)!\\[\\]()&;|\n\t\\\\]{0,40}",
    )
        .prop_map(|(start, rest)| format!("{start}{rest}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Random hostile text, put where content goes, never makes raw HTML, a heading, a code
    /// block or a list item: the rendered structure is that of the same course with plain
    /// words in those places.
    #[test]
    fn random_hostile_text_never_becomes_structure(
        texts in proptest::collection::vec(hostile_text(), 7)
    ) {
        let plain = structure(&markdown(&with_texts(&vec!["words".to_owned(); 7])));
        let course = with_texts(&texts);
        let read = structure(&markdown(&course));
        prop_assert!(read.html.is_empty(), "{:?}", read.html);
        prop_assert_eq!(read.headings.len(), plain.headings.len());
        prop_assert_eq!(read.code_blocks.len(), plain.code_blocks.len());
        prop_assert_eq!(read.list_items, plain.list_items);
    }
}

/// Inline code from a pack, hostile as it may be: in Markdown one code span holding exactly
/// the text (backticks and HTML included, nothing read as markup); in HTML a `<code>` element
/// with the text escaped.
#[test]
fn inline_code_is_a_code_span_in_markdown_and_code_in_html() {
    use crate::course::{Emphasis, Run};
    let code = "a `` b <script>alert(1)</script> *c*";
    let mut course = course();
    course.sections.truncate(1);
    let paragraph = Rich(vec![
        Run { text: "Run ".to_owned(), emphasis: Emphasis::Plain },
        Run { text: code.to_owned(), emphasis: Emphasis::Code },
        Run { text: " now.".to_owned(), emphasis: Emphasis::Plain },
    ]);
    course.sections[0].blocks.push(Block { id: None, body: BlockBody::Text(vec![paragraph]) });
    let out = markdown(&course);
    let spans: Vec<String> = Parser::new(&out)
        .filter_map(|e| if let Event::Code(text) = e { Some(text.to_string()) } else { None })
        .collect();
    assert_eq!(spans, vec![code.to_owned()], "{out}");
    assert!(!Parser::new(&out).any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_))));
    let html = export(
        Format::Html,
        &Options {
            seed: 3,
            answers: false,
            section: None,
            worksheet: false,
            key_only: false,
            order_as_matching: false,
            course: &course,
        },
    );
    assert!(
        html.contains("<code>a `` b &lt;script&gt;alert(1)&lt;/script&gt; *c*</code>"),
        "{html}"
    );
}
