//! Moodle XML: the course's questions as a question bank to import into Moodle (Question bank
//! → Import → "Moodle XML format"), one category per section under the course's title.
//!
//! | stemcell    | Moodle type                                                     |
//! |-------------|-----------------------------------------------------------------|
//! | `single`    | `multichoice`, `<single>true`                                    |
//! | `multiple`  | `multichoice`, `<single>false`: each right option earns an equal share, each wrong one takes an equal share off |
//! | `truefalse` | `truefalse`, penalty 1 (Moodle fixes it there: a second try at a true/false question earns nothing) |
//! | `fill`      | `shortanswer`, case ignored, every accepted answer full marks (a `*` in one written `\*`, since Moodle reads a bare star as a wildcard) |
//! | `match`     | `matching`                                                      |
//! | `order`     | `ordering` (core since Moodle 4.4): every step shown, graded by the longest run in the right order, as stemcell scores it; with `--order-as-matching`, a `matching` of each step to its position (1, 2, 3 ...) for older Moodle without the plugin |
//!
//! Texts are HTML (`format="html"`), escaped as HTML and then, by quick-xml's writer, as XML,
//! so that nothing a pack holds is read as markup by either. An option's feedback and the
//! explanation (as general feedback) go with them. Characters XML 1.0 forbids never reach the
//! file (see [`super::xml_safe`]).

use std::io;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::Options;
use crate::course::{Answer, Question, Section};
use crate::quiz;

type Xml = Writer<Vec<u8>>;

/// A value escaped for HTML, with line breaks as `<br>` (the writer escapes it again as XML).
fn html(value: &str) -> String {
    super::escape_markup(value, "<br>")
}

/// `<NAME><text>VALUE</text></NAME>`, with `format` when given.
fn texted(w: &mut Xml, name: &str, format: Option<&str>, value: &str) -> io::Result<()> {
    let mut element = w.create_element(name);
    if let Some(format) = format {
        element = element.with_attribute(("format", format));
    }
    element.write_inner_content(|w| text(w, value))?;
    Ok(())
}

/// `<text>VALUE</text>`: the writer escapes `& < > " '`.
fn text(w: &mut Xml, value: &str) -> io::Result<()> {
    w.create_element("text").write_text_content(BytesText::new(value))?;
    Ok(())
}

fn simple(w: &mut Xml, name: &str, value: &str) -> io::Result<()> {
    w.create_element(name).write_text_content(BytesText::new(value))?;
    Ok(())
}

/// A value that must stay on one line (a name, a plain answer Moodle compares): control
/// characters become spaces.
fn one_line(value: &str) -> String {
    value.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// A Moodle category path: `/` separates levels, so a `/` in a title is written `//`.
fn category_part(title: &str) -> String {
    one_line(title).replace('/', "//")
}

/// A grade fraction as Moodle writes them (it matches imports against its list of grades to
/// five decimals: 100, 50, 33.33333, 25, 20, 16.66667, 14.28571, 12.5, 11.11111 and their
/// negatives are all on it).
fn fraction(share: f64) -> String {
    let text = format!("{share:.5}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

pub fn export(options: &Options) -> String {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    // Writing to memory cannot fail; an error would only mean a bug in the writer.
    let _ = write_bank(&mut w, options);
    let mut out = String::from_utf8(w.into_inner()).unwrap_or_default();
    out.push('\n');
    out
}

fn write_bank(w: &mut Xml, options: &Options) -> io::Result<()> {
    let course = options.course;
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("quiz").write_inner_content(|w| {
        for (_, section) in options.sections() {
            let path = format!(
                "$course$/top/{}/{}",
                category_part(&course.title),
                category_part(&section.title)
            );
            w.create_element("question")
                .with_attribute(("type", "category"))
                .write_inner_content(|w| texted(w, "category", None, &path))?;
            for question in &section.questions {
                question_xml(w, section, question, options)?;
            }
        }
        Ok(())
    })?;
    Ok(())
}

fn question_xml(
    w: &mut Xml,
    section: &Section,
    question: &Question,
    options: &Options,
) -> io::Result<()> {
    let shown = quiz::present_in(section, question, options.seed);
    let ordering = !options.order_as_matching;
    let kind = match &question.answer {
        Answer::Choice { .. } => "multichoice",
        Answer::TrueFalse(_) => "truefalse",
        Answer::Fill(_) => "shortanswer",
        Answer::Order(_) if ordering => "ordering",
        Answer::Match(_) | Answer::Order(_) => "matching",
    };
    // Moodle gives a true/false question penalty 1 whatever the file says (a second try at
    // two options is worth nothing); writing it so keeps an export and re-import equal.
    let penalty = if kind == "truefalse" { "1" } else { "0.3333333" };
    w.create_element("question").with_attribute(("type", kind)).write_inner_content(|w| {
        texted(w, "name", None, &one_line(&question.id))?;
        texted(w, "questiontext", Some("html"), &html(&question.prompt))?;
        texted(w, "generalfeedback", Some("html"), &html(&question.explanation))?;
        simple(w, "defaultgrade", "1")?;
        simple(w, "penalty", penalty)?;
        simple(w, "hidden", "0")?;
        simple(w, "idnumber", &one_line(&question.id))?;
        match &question.answer {
            Answer::Choice { options: choices, multiple } => {
                let right = choices.iter().filter(|o| o.correct).count().max(1);
                let wrong = choices.len().saturating_sub(right).max(1);
                simple(w, "single", if *multiple { "false" } else { "true" })?;
                simple(w, "shuffleanswers", "true")?;
                simple(w, "answernumbering", "123")?;
                for &i in &shown.order {
                    let option = &choices[i];
                    let share = match (option.correct, multiple) {
                        (true, false) => 100.0,
                        (false, false) => 0.0,
                        (true, true) => 100.0 / f64::from(right as u32),
                        (false, true) => -100.0 / f64::from(wrong as u32),
                    };
                    w.create_element("answer")
                        .with_attributes([
                            ("fraction", fraction(share).as_str()),
                            ("format", "html"),
                        ])
                        .write_inner_content(|w| {
                            text(w, &html(&option.text))?;
                            let feedback = option.feedback.as_deref().unwrap_or_default();
                            texted(w, "feedback", Some("html"), &html(feedback))
                        })?;
                }
            }
            Answer::TrueFalse(truth) => {
                for value in [true, false] {
                    let share = if value == *truth { "100" } else { "0" };
                    plain_answer(w, share, if value { "true" } else { "false" })?;
                }
            }
            Answer::Fill(accepted) => {
                simple(w, "usecase", "0")?;
                for answer in accepted {
                    // Moodle's short answer reads `*` as "anything": `\*` is a star.
                    plain_answer(w, "100", &one_line(answer).replace('*', "\\*"))?;
                }
            }
            Answer::Match(pairs) => {
                simple(w, "shuffleanswers", "true")?;
                for (left, right) in pairs {
                    subquestion(w, left, right)?;
                }
            }
            Answer::Order(steps) if ordering => {
                // Moodle's ordering question: the steps in their right order (it shuffles
                // them itself), all of them shown, scored as stemcell scores an order.
                simple(w, "layouttype", "VERTICAL")?;
                simple(w, "selecttype", "ALL")?;
                simple(w, "selectcount", "0")?;
                simple(w, "gradingtype", "LONGEST_ORDERED_SUBSET")?;
                simple(w, "showgrading", "SHOW")?;
                simple(w, "numberingstyle", "none")?;
                for (position, step) in steps.iter().enumerate() {
                    w.create_element("answer")
                        .with_attributes([
                            ("fraction", (position + 1).to_string().as_str()),
                            ("format", "html"),
                        ])
                        .write_inner_content(|w| text(w, &html(step)))?;
                }
            }
            Answer::Order(steps) => {
                simple(w, "shuffleanswers", "false")?;
                // In the shuffled order of the screen, each to be matched with its position.
                for &i in &shown.order {
                    subquestion(w, &steps[i], &(i + 1).to_string())?;
                }
            }
        }
        Ok(())
    })?;
    Ok(())
}

/// An answer Moodle compares as plain text (true/false, a fill's accepted answers).
fn plain_answer(w: &mut Xml, share: &str, value: &str) -> io::Result<()> {
    w.create_element("answer")
        .with_attributes([("fraction", share), ("format", "moodle_auto_format")])
        .write_inner_content(|w| {
            text(w, value)?;
            texted(w, "feedback", Some("html"), "")
        })?;
    Ok(())
}

fn subquestion(w: &mut Xml, left: &str, right: &str) -> io::Result<()> {
    w.create_element("subquestion").with_attribute(("format", "html")).write_inner_content(
        |w| {
            text(w, &html(left))?;
            w.create_element("answer").write_inner_content(|w| text(w, &one_line(right)))?;
            Ok(())
        },
    )?;
    Ok(())
}
