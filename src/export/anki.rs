//! Anki notes as tab-separated text (File → Import in Anki 2.1.55 or later): one note per
//! question, the front the question with its options as the screen shows them, the back the
//! answer and its explanation, and a tag per section (`stemcell::SECTION-ID`).
//!
//! The file opens with Anki's header lines, so the import needs no settings chosen by hand:
//! tab-separated, HTML fields, the "Basic" note type, a deck named after the course, the third
//! column as tags and the fourth as each note's id (`stemcell-COURSE-QUESTION`). Fields are
//! HTML: text is escaped (`&`, `<`, `>` and `"`, so that a field never starts a quoted CSV
//! field either), a tab or line break inside content becomes a space, and the lines of a field
//! are joined with `<br>`. Every line therefore has exactly four fields. A front starting with
//! `#` starts with its HTML entity (`&#35;`) instead: Anki's importer skips a line starting
//! with `#` as a comment, and the note would be lost.

use std::fmt::Write as _;

use super::{Options, how_to_answer, items, joined};
use crate::quiz;

/// A value as one HTML field: escaped, no tab or line break left.
fn field(value: &str) -> String {
    super::escape_markup(value, " ")
}

/// A tag: Anki separates tags by spaces, so anything but letters, digits, `-` and `_` becomes
/// `_` (section ids are already such).
fn tag(value: &str) -> String {
    value.chars().map(|c| if c.is_alphanumeric() || c == '-' { c } else { '_' }).collect()
}

pub fn export(options: &Options) -> String {
    let course = options.course;
    // The deck is named after the course; the fourth column is a stable id per question, so
    // importing a newer export updates the notes instead of adding copies.
    let deck: String = course.title.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let mut out = format!(
        "#separator:tab\n#html:true\n#notetype:Basic\n#deck:{deck}\n#tags column:3\n#guid column:4\n#columns:Front\tBack\tTags\tGUID\n"
    );
    for (_, section) in options.sections() {
        for question in &section.questions {
            let shown = quiz::present_in(section, question, options.seed);
            let prompt = field(question.prompt.trim_start());
            let prompt = match prompt.strip_prefix('#') {
                Some(rest) => format!("&#35;{rest}"),
                None => prompt,
            };
            let mut front = format!("{prompt} <i>{}</i>", how_to_answer(question));
            for (label, text) in items(question, &shown) {
                let _ = write!(front, "<br>{}) {}", field(&label), field(&text));
            }
            let mut back =
                format!("<b>{}</b>", field(&joined(&quiz::correct_answer(question, &shown))));
            if !question.explanation.is_empty() {
                let _ = write!(back, "<br><br>{}", field(&question.explanation));
            }
            let tags = format!("stemcell::{} stemcell::{}", tag(&course.id), tag(&section.id));
            let guid = format!("stemcell-{}-{}", tag(&course.id), tag(&question.id));
            let _ = writeln!(out, "{front}\t{back}\t{tags}\t{guid}");
        }
    }
    out
}
