use super::*;
use crate::content::{self, load::PackSource};

fn course() -> Course {
    content::load(&PackSource::BuiltIn).unwrap().course
}

fn run(format: Format, answers: bool, section: Option<usize>) -> String {
    let course = course();
    export(format, &Options { seed: 7, answers, section, course: &course })
}

#[test]
fn every_format_carries_the_article_notes_and_questions() {
    let course = course();
    for format in [Format::Markdown, Format::Html, Format::Text, Format::Json] {
        // Wrapped text formats break lines anywhere: compare with the breaks joined up.
        let out = run(format, false, None)
            .replace("\n| ", " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        for section in &course.sections {
            assert!(out.contains(&section.title), "{format:?}: {}", section.id);
        }
        assert!(out.contains("hematopoietic stem cells"), "{format:?}");
        assert!(out.contains("Stem Cell Transplants in Cancer Treatment"), "{format:?}: a source");
        assert!(out.contains("When does that description fit?"), "{format:?}: a question");
        assert!(out.contains("not medical advice"), "{format:?}: the disclaimer");
    }
}

#[test]
fn answers_only_with_the_flag() {
    for format in [Format::Markdown, Format::Html, Format::Text] {
        assert!(!run(format, false, None).contains("Answer key"), "{format:?}");
        assert!(run(format, true, None).contains("Answer key"), "{format:?}");
    }
    assert!(!run(Format::Json, false, None).contains("\"answer\""));
    assert!(run(Format::Json, true, None).contains("\"answer\""));
}

#[test]
fn options_are_in_the_order_the_screen_shows_for_the_same_seed() {
    let course = course();
    let question = &course.sections[1].questions[0];
    let shown = quiz::present(question, 7);
    let Answer::Choice { options, .. } = &question.answer else { panic!() };
    // Long options are wrapped: compare with the breaks joined up.
    let text = run(Format::Text, false, Some(1)).split_whitespace().collect::<Vec<_>>().join(" ");
    // The options follow their question (the same words may appear earlier, in a diagram).
    let text = &text[text.find("When does that description fit?").unwrap()..];
    let positions: Vec<usize> =
        shown.order.iter().map(|&i| text.find(&options[i].text).unwrap()).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "printed in screen order");
    assert!(text.contains(&format!("1) {}", options[shown.order[0]].text)));
}

#[test]
fn one_section_prints_only_that_section() {
    let text = run(Format::Markdown, false, Some(2));
    assert!(
        text.contains("Stem Cell Cultivation")
            && !text.contains("The Stem Cell Harvesting Process")
    );
}

#[test]
fn html_is_one_page_that_prints_and_escapes_what_it_quotes() {
    let html = run(Format::Html, true, None);
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));
    assert!(html.contains("@media print") && html.contains("break-before: page"));
    assert!(!html.contains("http://") && !html.contains("https://"), "no network");
    assert_eq!(html.matches("<section").count(), html.matches("</section>").count());
    assert_eq!(super::html::tests_escape("<b>&"), "&lt;b&gt;&amp;");
}

#[test]
fn json_parses_and_keeps_the_structure() {
    let value: serde_json::Value = serde_json::from_str(&run(Format::Json, true, None)).unwrap();
    assert_eq!(value["sections"].as_array().unwrap().len(), 6);
    assert_eq!(value["sections"][1]["questions"][0]["items"][0][0], "1");
    assert!(value["glossary"].as_array().unwrap().len() >= 15);
}
