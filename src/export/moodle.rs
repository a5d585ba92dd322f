//! Moodle XML: the course's questions as a question bank to import into Moodle (Question bank
//! → Import → "Moodle XML format"), one category per section under the course's title.
//!
//! | stemcell    | Moodle type                                                     |
//! |-------------|-----------------------------------------------------------------|
//! | `single`    | `multichoice`, `<single>true`                                    |
//! | `multiple`  | `multichoice`, `<single>false`: each right option earns an equal share, each wrong one takes an equal share off |
//! | `truefalse` | `truefalse`                                                     |
//! | `fill`      | `shortanswer`, case ignored, every accepted answer full marks   |
//! | `match`     | `matching`                                                      |
//! | `order`     | `matching` of each step to its position (1, 2, 3 ...): works on every Moodle, where the `ordering` type is a plugin a site may not have |
//!
//! Texts are HTML (`format="html"`), escaped, inside CDATA; an option's feedback and the
//! explanation (as general feedback) go with them.

use std::fmt::Write as _;

use super::Options;
use crate::course::{Answer, Question, Section};
use crate::quiz;

/// HTML-escaped text inside CDATA: escaping `>` means `]]>` can never end the CDATA early.
fn text(value: &str) -> String {
    format!("<text><![CDATA[{}]]></text>", html(value))
}

/// A value escaped for HTML, with line breaks as `<br>`.
fn html(value: &str) -> String {
    super::escape_markup(value, "<br>")
}

/// A value escaped for XML character data (for plain-text fields such as a match's answers).
fn xml(value: &str) -> String {
    super::escape_markup(value, " ")
}

/// A Moodle category path: `/` separates levels, so a `/` in a title is written `//`.
fn category_part(title: &str) -> String {
    title.replace('/', "//")
}

/// A grade fraction as Moodle writes them (it matches imports against its list of grades to
/// five decimals: 100, 50, 33.33333, 25, 20, 16.66667, 14.28571, 12.5, 11.11111 and their
/// negatives are all on it).
fn fraction(share: f64) -> String {
    let text = format!("{share:.5}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

pub fn export(options: &Options) -> String {
    let course = options.course;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n");
    for (_, section) in options.sections() {
        let _ = writeln!(
            out,
            "  <question type=\"category\">\n    <category><text>{}</text></category>\n  </question>",
            xml(&format!(
                "$course$/top/{}/{}",
                category_part(&course.title),
                category_part(&section.title)
            ))
        );
        for question in &section.questions {
            question_xml(&mut out, section, question, options.seed);
        }
    }
    out.push_str("</quiz>\n");
    out
}

fn question_xml(out: &mut String, section: &Section, question: &Question, seed: u64) {
    let shown = quiz::present_in(section, question, seed);
    let kind = match &question.answer {
        Answer::Choice { .. } => "multichoice",
        Answer::TrueFalse(_) => "truefalse",
        Answer::Fill(_) => "shortanswer",
        Answer::Match(_) | Answer::Order(_) => "matching",
    };
    let _ = writeln!(
        out,
        "  <question type=\"{kind}\">\n    <name><text>{}</text></name>\n    <questiontext format=\"html\">{}</questiontext>\n    <generalfeedback format=\"html\">{}</generalfeedback>\n    <defaultgrade>1</defaultgrade>\n    <penalty>0.3333333</penalty>\n    <hidden>0</hidden>\n    <idnumber>{}</idnumber>",
        xml(&question.id),
        text(&question.prompt),
        text(&question.explanation),
        xml(&question.id),
    );
    match &question.answer {
        Answer::Choice { options, multiple } => {
            let right = options.iter().filter(|o| o.correct).count().max(1);
            let wrong = options.len().saturating_sub(right).max(1);
            let _ = writeln!(
                out,
                "    <single>{}</single>\n    <shuffleanswers>true</shuffleanswers>\n    <answernumbering>123</answernumbering>",
                !multiple
            );
            for &i in &shown.order {
                let option = &options[i];
                let share = match (option.correct, multiple) {
                    (true, false) => 100.0,
                    (false, false) => 0.0,
                    (true, true) => 100.0 / f64::from(right as u32),
                    (false, true) => -100.0 / f64::from(wrong as u32),
                };
                let _ = writeln!(
                    out,
                    "    <answer fraction=\"{}\" format=\"html\">{}<feedback format=\"html\">{}</feedback></answer>",
                    fraction(share),
                    text(&option.text),
                    text(option.feedback.as_deref().unwrap_or_default())
                );
            }
        }
        Answer::TrueFalse(truth) => {
            for value in [true, false] {
                let _ = writeln!(
                    out,
                    "    <answer fraction=\"{}\" format=\"moodle_auto_format\"><text>{value}</text><feedback format=\"html\"><text></text></feedback></answer>",
                    if value == *truth { 100 } else { 0 }
                );
            }
        }
        Answer::Fill(accepted) => {
            let _ = writeln!(out, "    <usecase>0</usecase>");
            for answer in accepted {
                let _ = writeln!(
                    out,
                    "    <answer fraction=\"100\" format=\"moodle_auto_format\"><text>{}</text><feedback format=\"html\"><text></text></feedback></answer>",
                    xml(answer)
                );
            }
        }
        Answer::Match(pairs) => {
            let _ = writeln!(out, "    <shuffleanswers>true</shuffleanswers>");
            for (left, right) in pairs {
                subquestion(out, left, right);
            }
        }
        Answer::Order(steps) => {
            let _ = writeln!(out, "    <shuffleanswers>false</shuffleanswers>");
            // In the shuffled order of the screen, each to be matched with its position.
            for &i in &shown.order {
                subquestion(out, &steps[i], &(i + 1).to_string());
            }
        }
    }
    let _ = writeln!(out, "  </question>");
}

fn subquestion(out: &mut String, left: &str, right: &str) {
    let _ = writeln!(
        out,
        "    <subquestion format=\"html\">{}<answer><text>{}</text></answer></subquestion>",
        text(left),
        xml(right)
    );
}
