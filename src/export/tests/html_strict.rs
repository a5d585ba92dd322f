//! The HTML export read by a strict parser: it must be well-formed XML (roxmltree refuses
//! any unclosed element, stray `&` or `<`), and the tree must be the course's.

use roxmltree::{Document, Node, ParsingOptions};

use super::*;

fn parse(html: &str) -> Document<'_> {
    let options = ParsingOptions { allow_dtd: true, ..ParsingOptions::default() };
    Document::parse_with_options(html, options).unwrap_or_else(|e| panic!("not well-formed: {e}"))
}

fn class_is(node: Node, class: &str) -> bool {
    node.attribute("class").is_some_and(|c| c.split(' ').any(|c| c == class))
}

fn all<'a>(doc: &'a Document, tag: &str) -> Vec<Node<'a, 'a>> {
    doc.descendants().filter(|n| n.has_tag_name(tag)).collect()
}

#[test]
fn the_handout_parses_strictly_with_a_linked_table_of_contents() {
    let course = course();
    let html = run(Format::Html, true, None);
    let doc = parse(&html);
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "html");
    assert_eq!(root.attribute("lang"), Some("en"));
    let ids: Vec<&str> = all(&doc, "section").iter().filter_map(|s| s.attribute("id")).collect();
    let nav = all(&doc, "nav").into_iter().next().expect("a table of contents");
    let links: Vec<&str> = nav
        .descendants()
        .filter(|n| n.has_tag_name("a"))
        .map(|a| a.attribute("href").unwrap())
        .collect();
    assert_eq!(links.len(), course.sections.len());
    for link in links {
        assert!(ids.contains(&link.trim_start_matches('#')), "{link} points at a section");
    }
    let questions = all(&doc, "div").into_iter().filter(|d| class_is(*d, "question")).count();
    let expected: usize = course.sections.iter().map(|s| s.questions.len()).sum();
    assert_eq!(questions, expected);
    assert!(all(&doc, "section").iter().any(|s| class_is(*s, "answers")));
    let style = all(&doc, "style")[0].text().unwrap();
    for rule in ["@page", "counter(page)", "break-after: avoid", "break-inside: avoid"] {
        assert!(style.contains(rule), "{rule}");
    }
    assert!(
        style.contains("@media screen and (prefers-color-scheme: dark)"),
        "dark on screen only"
    );
}

#[test]
fn the_worksheet_parses_with_a_box_per_option_and_the_key_on_its_own_page() {
    let course = course();
    let doc_text = worksheet(Format::Html, true, None);
    let doc = parse(&doc_text);
    let boxes = doc.descendants().filter(|n| class_is(*n, "box")).count();
    let expected: usize = course
        .sections
        .iter()
        .flat_map(|s| &s.questions)
        .map(|q| match &q.answer {
            Answer::Choice { options, .. } => options.len(),
            Answer::TrueFalse(_) => 2,
            _ => 0,
        })
        .sum();
    assert_eq!(boxes, expected);
    assert!(doc.descendants().any(|n| class_is(n, "name-line")));
    assert!(doc.descendants().any(|n| class_is(n, "write")), "lines for a fill-in");
    assert!(doc.descendants().any(|n| class_is(n, "slots")), "places for ordering");
    assert!(all(&doc, "nav").is_empty(), "no contents on a worksheet");
    assert!(all(&doc, "aside").is_empty() && all(&doc, "figure").is_empty(), "questions only");
    let answers = all(&doc, "section").into_iter().find(|s| class_is(*s, "answers")).unwrap();
    assert!(answers.prev_sibling_element().is_some(), "after the questions");
}

#[test]
fn a_source_link_and_the_language_come_from_the_pack_and_are_escaped() {
    let mut course = course();
    course.language = "pt-BR".to_owned();
    let context = course.sections[1]
        .blocks
        .iter_mut()
        .find_map(|b| match &mut b.body {
            BlockBody::Context { url, source, .. } => Some((url, source)),
            _ => None,
        })
        .unwrap();
    *context.0 = Some("https://example.org/?a=1&b=\"><script>".to_owned());
    *context.1 = "NCI <b>".to_owned();
    let html = export(
        Format::Html,
        &Options {
            seed: 1,
            answers: false,
            section: None,
            worksheet: false,
            key_only: false,
            order_as_matching: false,
            course: &course,
        },
    );
    let doc = parse(&html);
    assert_eq!(doc.root_element().attribute("lang"), Some("pt-BR"));
    let link = all(&doc, "a")
        .into_iter()
        .find(|a| a.attribute("href").is_some_and(|h| h.starts_with("https://example.org")))
        .expect("the source is a link");
    assert_eq!(link.attribute("href"), Some("https://example.org/?a=1&b=\"><script>"));
    assert_eq!(link.text(), Some("NCI <b>"));
    assert!(all(&doc, "script").is_empty() && all(&doc, "b").is_empty());
    // Any other scheme is not linked, even if it got past the loader.
    *course.sections[1]
        .blocks
        .iter_mut()
        .find_map(|b| match &mut b.body {
            BlockBody::Context { url, .. } => Some(url),
            _ => None,
        })
        .unwrap() = Some("javascript:alert(1)".to_owned());
    let html = export(
        Format::Html,
        &Options {
            seed: 1,
            answers: false,
            section: None,
            worksheet: false,
            key_only: false,
            order_as_matching: false,
            course: &course,
        },
    );
    assert!(!html.contains("href=\"javascript"));
}
