//! GIFT, Moodle's plain-text question format (Question bank → Import → "GIFT format"): the
//! same mapping of kinds as the Moodle XML export with `--order-as-matching` (GIFT has no
//! ordering type: `order` becomes a matching of each step to its position), one `$CATEGORY`
//! per section.
//!
//! Texts are written as HTML (`[html]`), escaped, so that nothing in them is read as markup;
//! paragraph breaks become `<br>` (HTML would fold a bare line break into a space). Then
//! GIFT's special characters `~ = # { } :` and the backslash are escaped with a backslash, so
//! that nothing ends a question or an answer early. GIFT has no escape for the rest, so:
//! - a text starting with `[` (which Moodle would read as a format such as `[plain]`) or `%`
//!   (a weight such as `%50%`) starts with the HTML entity instead (`&#91;`, `&#37;`);
//! - every answer of a multiple-answer question, and every accepted answer of a fill
//!   question, carries its weight explicitly (`~%50%`, `=%100%`), so a text starting with
//!   `%50%` after it is text;
//! - a fill question's accepted answers are plain text compared with what a student types
//!   (Moodle's short answer): one starting with `[` goes behind an explicit `[moodle]` format,
//!   a `*` is written `\*` (a literal star for Moodle, not its wildcard), and `->`, which
//!   Moodle and every GIFT reader take for a matching question whatever is escaped, is written
//!   `-*>`: Moodle's wildcard between the two characters, which still accepts the answer.
//!   Line breaks in them become spaces.

use std::fmt::Write as _;

use super::Options;
use crate::course::{Answer, Question, Section};
use crate::quiz;

/// GIFT's escapes: `~ = # { } :` and `\` itself behind a backslash, line breaks as `\n`.
fn gift(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '~' | '=' | '#' | '{' | '}' | ':' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A value on one line: control characters (line breaks among them) become spaces.
fn one_line(value: &str) -> String {
    value.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// HTML-escaped (line breaks as `<br>`, a leading `[` or `%` as its entity), then
/// GIFT-escaped.
fn html(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    for (i, c) in value.trim().chars().enumerate() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '\n' => escaped.push_str("<br>"),
            '[' if i == 0 => escaped.push_str("&#91;"),
            '%' if i == 0 => escaped.push_str("&#37;"),
            c => escaped.push(c),
        }
    }
    gift(&escaped)
}

/// A fill question's accepted answer: plain text Moodle compares with what a student typed.
fn accepted(value: &str) -> String {
    let line = one_line(value);
    let line = line.trim();
    let starred = line.replace('*', "\\*").replace("->", "-*>");
    let format = if line.starts_with('[') { "[moodle]" } else { "" };
    format!("%100%{format}{}", gift(&starred))
}

/// A grade percentage as GIFT writes it (`%33.33333%`).
fn percent(share: f64) -> String {
    let text = format!("{share:.5}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

pub fn export(options: &Options) -> String {
    let course = options.course;
    let mut out =
        format!("// {}: questions exported by stemcell\n", course.title.replace('\n', " "));
    for (_, section) in options.sections() {
        // A category line is read to its end, unescaped: only a line break could harm it.
        // `/` separates levels, so a `/` in a title is written `//`.
        let _ = writeln!(
            out,
            "\n$CATEGORY: $course$/top/{}/{}\n",
            one_line(&course.title).replace('/', "//"),
            one_line(&section.title).replace('/', "//")
        );
        for question in &section.questions {
            question_gift(&mut out, section, question, options.seed);
        }
    }
    out
}

fn question_gift(out: &mut String, section: &Section, question: &Question, seed: u64) {
    let shown = quiz::present_in(section, question, seed);
    let _ = write!(out, "::{}::[html]{}{{", gift(&question.id), html(&question.prompt));
    match &question.answer {
        Answer::Choice { options, multiple } => {
            let right = options.iter().filter(|o| o.correct).count().max(1);
            let wrong = options.len().saturating_sub(right).max(1);
            for &i in &shown.order {
                let option = &options[i];
                // A single answer's right option is `=` (Moodle makes the question
                // single-answer only when one is there); its text cannot start with a weight.
                let mark = match (option.correct, multiple) {
                    (true, false) => "=".to_owned(),
                    (false, false) => "~%0%".to_owned(),
                    (true, true) => format!("~%{}%", percent(100.0 / f64::from(right as u32))),
                    (false, true) => format!("~%{}%", percent(-100.0 / f64::from(wrong as u32))),
                };
                let _ = write!(out, "\n\t{mark}{}", html(&option.text));
                if let Some(feedback) = &option.feedback {
                    let _ = write!(out, "#{}", html(feedback));
                }
            }
        }
        Answer::TrueFalse(truth) => {
            let _ = write!(out, "{}", if *truth { "TRUE" } else { "FALSE" });
        }
        Answer::Fill(accepted_answers) => {
            for answer in accepted_answers {
                let _ = write!(out, "\n\t={}", accepted(answer));
            }
        }
        Answer::Match(pairs) => {
            for (left, right) in pairs {
                let _ = write!(out, "\n\t={} -> {}", html(left), gift(right));
            }
        }
        Answer::Order(steps) => {
            for &i in &shown.order {
                let _ = write!(out, "\n\t={} -> {}", html(&steps[i]), i + 1);
            }
        }
    }
    if !question.explanation.is_empty() {
        let _ = write!(out, "\n\t####{}", html(&question.explanation));
    }
    out.push_str("\n}\n\n");
}

/// For tests: GIFT's escaping.
#[cfg(test)]
pub fn tests_escape(text: &str) -> String {
    gift(text)
}
