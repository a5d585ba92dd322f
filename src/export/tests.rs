use super::*;
use crate::content::{self, load::PackSource};

fn course() -> Course {
    content::load(&PackSource::BuiltIn).unwrap().course
}

fn run(format: Format, answers: bool, section: Option<usize>) -> String {
    let course = course();
    export(
        format,
        &Options {
            seed: 7,
            answers,
            section,
            worksheet: false,
            key_only: false,
            order_as_matching: false,
            course: &course,
        },
    )
}

fn worksheet(format: Format, answers: bool, section: Option<usize>) -> String {
    let course = course();
    export(
        format,
        &Options {
            seed: 7,
            answers,
            section,
            worksheet: true,
            key_only: false,
            order_as_matching: false,
            course: &course,
        },
    )
}

mod apkg_read;
mod axe;
mod banks_read;
mod forbidden;
mod html_strict;
mod json_schema;
mod markdown_read;

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
    // What a quiz of that section shows on screen with the same seed.
    let shown = quiz::QuizRun::of(&course, Some(1), 7).shown[0].clone();
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
    assert!(!html.contains("src=\"http") && !html.contains("@import"), "no network");
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

#[test]
fn the_multiple_choice_hint_is_said_once() {
    for format in [Format::Markdown, Format::Html, Format::Text] {
        let out = run(format, false, None).split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(out.contains("Choose all that apply"), "{format:?}");
        assert!(!out.contains("apply. Choose all that apply"), "{format:?}: said twice");
    }
    assert!(says_already("Which? Choose all that apply.", "Choose all that apply."));
    assert!(!says_already("Which apply?", "Choose all that apply."));
}

#[test]
fn a_multiple_answer_key_lists_options_in_the_order_shown_without_doubled_punctuation() {
    let course = course();
    let (number, question) = course
        .sections
        .iter()
        .flat_map(|s| &s.questions)
        .enumerate()
        .find(|(_, q)| {
            matches!(&q.answer, Answer::Choice { multiple: true, options } if options.iter().filter(|o| o.correct).count() > 1)
        })
        .unwrap();
    let shown = quiz::present(question, 7);
    let key = quiz::correct_answer(question, &shown);
    let labels: Vec<usize> =
        key.iter().map(|l| l.split(')').next().unwrap().parse().unwrap()).collect();
    assert!(labels.windows(2).all(|w| w[0] < w[1]), "in the order shown: {key:?}");
    let text = run(Format::Text, true, None);
    let key_text = &text[text.find("Answer key").unwrap()..];
    let line = &key_text[key_text.find(&format!("Q{}. ", number + 1)).unwrap()..];
    let line = line.split("\n\n").next().unwrap();
    for doubled in [".;", ";;", "..", ". ;"] {
        assert!(!line.contains(doubled), "{line}");
    }
    assert_eq!(joined(&["1) A.".into(), "3) B".into(), "4) C".into()]), "1) A. 3) B; 4) C");
}

#[test]
fn step_captions_are_in_every_export() {
    let course = course();
    let stepped = course.diagrams.iter().find(|d| !d.steps.is_empty()).unwrap();
    for format in [Format::Markdown, Format::Html, Format::Text, Format::Json] {
        let out = run(format, false, None).split_whitespace().collect::<Vec<_>>().join(" ");
        for step in &stepped.steps {
            let caption = step.caption.split_whitespace().collect::<Vec<_>>().join(" ");
            let caption =
                if format == Format::Html { html::tests_escape(&caption) } else { caption };
            assert!(out.contains(&caption), "{format:?}: {caption}");
        }
    }
}

#[test]
fn a_worksheet_has_the_questions_only_with_room_to_answer() {
    let course = course();
    for format in [Format::Markdown, Format::Html, Format::Text] {
        let sheet = worksheet(format, false, None);
        assert!(sheet.contains("Name:") && sheet.contains("Date:"), "{format:?}");
        assert!(!sheet.contains("Key points") && !sheet.contains("Glossary"), "{format:?}");
        assert!(!sheet.contains("Answer key"), "{format:?}");
        let first_paragraph = match &course.sections[0].blocks[0].body {
            BlockBody::Text(p) => p[0].text(),
            _ => unreachable!(),
        };
        assert!(!sheet.contains(&first_paragraph[..40]), "{format:?}: no reading text");
        let first_prompt = &course.sections[0].questions[0].prompt;
        let start: String = first_prompt.chars().take(30).collect();
        assert!(sheet.contains(&start), "{format:?}: the first question");
        let keyed = worksheet(format, true, None);
        assert!(keyed.contains("Answer key"), "{format:?}");
    }
    let text = worksheet(Format::Text, true, None);
    assert!(text.contains("[ ] 1) "), "a box to tick per option");
    assert!(text.contains("Answer: ____"), "a line for a fill-in");
    assert!(text.contains("-> ____") && text.contains("Order: 1. ____"), "matching and ordering");
    assert!(text.contains("\u{c}\n\nAnswer key"), "the key starts a new page");
}

#[test]
fn a_worksheet_keeps_the_screen_order_for_the_seed_and_one_section() {
    let course = course();
    let question = course.sections[1]
        .questions
        .iter()
        .find(|q| matches!(q.answer, Answer::Choice { .. }))
        .expect("a choice question in the second section");
    let Answer::Choice { options, .. } = &question.answer else { unreachable!() };
    let shown = quiz::present_in(&course.sections[1], question, 7);
    let sheet = worksheet(Format::Text, false, Some(1));
    // The start of the option: a long one wraps onto the next line.
    let first: String = options[shown.order[0]].text.chars().take(24).collect();
    assert!(sheet.contains(&format!("[ ] 1) {first}")), "{sheet}");
    assert!(!sheet.contains(&course.sections[2].title));
}

#[test]
fn an_anki_note_whose_front_starts_with_a_hash_is_not_a_comment() {
    let mut course = course();
    course.sections[0].questions[0].prompt = "# of cells: how many?".into();
    let tsv = export(Format::Anki, &Options::new(&course));
    let notes: Vec<&str> = tsv.lines().filter(|l| !l.starts_with('#')).collect();
    let count = course.sections.iter().map(|s| s.questions.len()).sum::<usize>();
    assert_eq!(notes.len(), count, "Anki's importer skips a line starting with #");
    assert!(notes[0].starts_with("&#35; of cells: how many?"), "{}", notes[0]);
}

#[test]
fn the_key_only_file_is_the_answer_key_numbered_as_the_worksheet() {
    let course = course();
    for format in [Format::Markdown, Format::Html, Format::Text] {
        let sheet = Options { seed: 3, worksheet: true, answers: true, ..Options::new(&course) };
        let key = Options { seed: 3, key_only: true, ..Options::new(&course) };
        let (sheet, key) = (export(format, &sheet), export(format, &key));
        let first = &course.sections[0].questions[0];
        assert!(!key.contains(&first.prompt), "{format:?}: no questions in the key");
        assert!(key.contains("Answer key"), "{format:?}");
        let count = course.sections.iter().map(|s| s.questions.len()).sum::<usize>();
        let marker = |n: usize| match format {
            Format::Markdown => format!("**Q{n}.**"),
            Format::Html => format!("<strong>Q{n}.</strong>"),
            _ => format!("Q{n}. "),
        };
        assert!(key.contains(&marker(count)) && !key.contains(&marker(count + 1)), "{format:?}");
        // The worksheet's own key, after its questions, says the same.
        let tail = &sheet[sheet.find("Answer key").unwrap()..];
        let answers = |text: &str| -> Vec<String> {
            text.lines()
                .filter(|l| l.contains(&marker(1)) || l.contains(&marker(count)))
                .map(str::to_owned)
                .collect()
        };
        assert_eq!(answers(tail), answers(&key[key.find("Answer key").unwrap()..]), "{format:?}");
    }
    let one = Options { seed: 3, key_only: true, section: Some(1), ..Options::new(&course) };
    let key = export(Format::Text, &one);
    let count = course.sections[1].questions.len();
    assert!(key.contains(&format!("Q{count}. ")) && !key.contains(&format!("Q{}. ", count + 1)));
}

#[test]
fn the_html_handout_has_one_main_landmark_and_keeps_terms_with_their_definitions() {
    let course = course();
    for worksheet in [false, true] {
        let html =
            export(Format::Html, &Options { worksheet, answers: true, ..Options::new(&course) });
        assert_eq!(html.matches("<main>").count(), 1);
        let main = &html[html.find("<main>").unwrap()..html.find("</main>").unwrap()];
        assert!(main.contains("<section"), "the sections are in the main landmark");
        if worksheet {
            assert!(main.contains("name-line"), "the name line too");
        }
        assert!(!html[..html.find("<main>").unwrap()].contains("<section"));
    }
    let html = export(Format::Html, &Options::new(&course));
    let term = &course.glossary[0];
    assert!(html.contains(&format!("<div><dt>{}</dt><dd>", escape_markup(&term.term, "\n"))));
    assert!(
        html.contains("dl > div { break-inside: avoid;"),
        "a term never parts from its definition"
    );
}

#[test]
fn the_markdown_reads_as_source_escaped_only_where_commonmark_needs_it() {
    let mut course = course();
    course.sections[0].questions[0].prompt = "Is A > B, #1 & the best? (Yes!)".into();
    let md = export(Format::Markdown, &Options::new(&course));
    assert!(md.contains("Is A > B, #1 & the best? (Yes!)"), "nothing escaped mid-line");
    assert!(!md.contains("\\)"), "no option label needs escaping");
    assert!(
        md.contains(&format!("1. {}", course.sections[0].title)),
        "contents as a numbered list"
    );
    // What does need it still is.
    let mut course = self::course();
    course.sections[0].questions[0].prompt = "# not a heading > nor a quote &amp; *x*".into();
    let md = export(Format::Markdown, &Options::new(&course));
    assert!(md.contains("\\# not a heading > nor a quote \\&amp; \\*x\\*"), "{md}");
}

#[test]
fn the_markdown_worksheet_reads_the_same_as_source_and_rendered() {
    use pulldown_cmark::{Event, Options as Extensions, Parser};
    let sheet = worksheet(Format::Markdown, false, None);
    assert!(sheet.contains("Name: ____________________ Date: __________"), "no backslashes");
    assert!(sheet.contains("- ☐ **1)** "), "a box to tick, as it will print");
    assert!(sheet.contains("Answer: ________________________________________"));
    // Rendered (with GFM's extensions, as GitHub and most editors do), the same text.
    let mut text = String::new();
    for event in Parser::new_ext(&sheet, Extensions::all()) {
        match event {
            Event::Text(t) => text.push_str(&t),
            Event::TaskListMarker(_) => panic!("a box became a task list"),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    assert!(text.contains("Name: ____________________ Date: __________"), "{text}");
    assert!(text.contains("Answer: ________________________________________"));
    assert!(text.contains("1. ___"), "an order's numbered places");
}
