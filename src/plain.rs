//! The course as plain text, for `stemcell | less` and other pipes: the same layout as the
//! reader, with no escape sequences at all.

pub mod quiz;

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use crate::course::{Course, Section};
use crate::page::{self, AltText, Glyphs};

/// Writes the title page and then `sections` (the whole course, or one section).
pub fn write_course(
    out: &mut impl Write,
    course: &Course,
    sections: &[Section],
    width: usize,
    glyphs: Glyphs,
) -> io::Result<()> {
    let title = page::wrap_plain(&course.title, width);
    let title_width = title.iter().map(|l| l.width()).max().unwrap_or(0);
    for line in title
        .into_iter()
        .chain([glyphs.rule.repeat(title_width)])
        .chain(page::wrap_plain(&course.description, width))
        .chain([String::new()])
        .chain(page::wrap_plain(&format!("Please note: {}", course.disclaimer), width))
        .chain([String::new()])
    {
        writeln!(out, "{line}")?;
    }
    writeln!(out, "Sections:")?;
    for (i, section) in course.sections.iter().enumerate() {
        writeln!(out, "  {}. {}", i + 1, section.title)?;
    }
    // Printed text keeps the drawings, each followed by its description.
    for section in sections {
        write_course_section(out, course, section, width, glyphs, AltText::Below)?;
    }
    // The whole course ends with its glossary.
    if sections.len() == course.sections.len() {
        write_glossary(out, course, width)?;
    }
    Ok(())
}

/// The glossary, alphabetical, as plain text.
pub fn write_glossary(out: &mut impl Write, course: &Course, width: usize) -> io::Result<()> {
    if course.glossary.is_empty() {
        return Ok(());
    }
    writeln!(out, "\nGlossary\n--------")?;
    for term in &course.glossary {
        let also = if term.also.is_empty() {
            String::new()
        } else {
            format!(" (also: {})", term.also.join(", "))
        };
        writeln!(out, "\n{}{also}", term.term)?;
        for line in page::wrap_plain(&term.definition, width.saturating_sub(2).max(1)) {
            writeln!(out, "  {line}")?;
        }
    }
    Ok(())
}

/// One section: its number, then its page as text.
fn write_course_section(
    out: &mut impl Write,
    course: &Course,
    section: &Section,
    width: usize,
    glyphs: Glyphs,
    alt_text: AltText,
) -> io::Result<()> {
    writeln!(out)?;
    let number = course.section_index(&section.id).map_or(0, |i| i + 1);
    writeln!(out, "[{number}/{}]", course.sections.len())?;
    let options = page::Options::plain(glyphs, &course.diagrams, alt_text);
    for line in &page::layout(section, width, &options).lines {
        let text = line.text();
        writeln!(out, "{}", text.trim_end())?;
        // Printed text has no bold: a heading is underlined so it reads as one (not for
        // `--plain`, where a screen reader would read the underline out).
        let heading =
            !line.pieces.is_empty() && line.pieces.iter().all(|p| p.role == page::Role::Heading);
        if heading && alt_text == AltText::Below {
            writeln!(out, "{}", "-".repeat(text.trim_end().width()))?;
        }
    }
    Ok(())
}

/// Reads the course a section at a time (`--plain`): the title page, then each section
/// followed by a prompt; Enter goes on, `q` stops, and so does the end of input.
pub fn read_paged(
    input: &mut impl io::BufRead,
    out: &mut impl Write,
    course: &Course,
    start: usize,
    width: usize,
    glyphs: Glyphs,
) -> io::Result<()> {
    write_course(out, course, &[], width, glyphs)?;
    let mut lines_read = 0;
    for (index, section) in course.sections.iter().enumerate().skip(start) {
        // Line by line, for screen readers: a diagram's description instead of its drawing.
        write_course_section(out, course, section, width, glyphs, AltText::Instead)?;
        let Some(next) = course.sections.get(index + 1) else {
            write_glossary(out, course, width)?;
            writeln!(out, "\nEnd of the course.")?;
            break;
        };
        write!(
            out,
            "\n-- Enter: next section, {}/{} {} · q: quit -- ",
            index + 2,
            course.sections.len(),
            next.short_title
        )?;
        out.flush()?;
        let line = read_line(input, &mut lines_read)?;
        if line.as_deref().is_none_or(|l| l.trim().eq_ignore_ascii_case("q")) {
            writeln!(out)?;
            break;
        }
    }
    out.flush()
}

/// Reading the input failed, or it is not text; said apart from a failure to write, which is
/// what every other error of this mode is.
#[derive(Debug)]
pub enum InputProblem {
    /// This line (counted from 1) is not UTF-8 text.
    NotText {
        line: usize,
    },
    Failed(io::Error),
}

impl std::fmt::Display for InputProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotText { line } => write!(f, "line {line} is not UTF-8 text"),
            Self::Failed(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for InputProblem {}

impl InputProblem {
    /// The problem, if `e` came from reading the input.
    pub fn of(e: &io::Error) -> Option<&Self> {
        e.get_ref()?.downcast_ref()
    }
}

/// The next line of input, or `None` at its end; `lines_read` counts the lines so far, to say
/// which one is not text.
pub fn read_line(
    input: &mut impl io::BufRead,
    lines_read: &mut usize,
) -> io::Result<Option<String>> {
    let mut bytes = Vec::new();
    let problem = |kind, problem| io::Error::new(kind, problem);
    if input
        .read_until(b'\n', &mut bytes)
        .map_err(|e| problem(e.kind(), InputProblem::Failed(e)))?
        == 0
    {
        return Ok(None);
    }
    *lines_read += 1;
    String::from_utf8(bytes).map(Some).map_err(|_| {
        problem(io::ErrorKind::InvalidData, InputProblem::NotText { line: *lines_read })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{self, load::PackSource};

    #[test]
    fn prints_every_section_without_escape_sequences() {
        let course = content::load(&PackSource::BuiltIn).unwrap().course;
        let mut out = Vec::new();
        write_course(&mut out, &course, &course.sections, 80, Glyphs::UNICODE).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains('\u{1b}'));
        assert!(text.contains("education, not medical advice"));
        assert!(
            text.contains("\nGlossary\n") && text.contains("liposuction\n  A procedure"),
            "the glossary ends it"
        );
        for section in &course.sections {
            assert!(text.contains(&section.title), "{} missing", section.id);
        }
        assert!(text.lines().all(|l| l.width() <= 80));
    }
}

#[cfg(test)]
mod paged_tests {
    use super::*;
    use crate::content::{self, load::PackSource};

    #[test]
    fn enter_shows_the_next_section_and_the_end_of_input_stops() {
        let course = content::load(&PackSource::BuiltIn).unwrap().course;
        let mut out = Vec::new();
        read_paged(&mut "\n".as_bytes(), &mut out, &course, 0, 80, Glyphs::UNICODE).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("[1/6]") && text.contains("[2/6]"), "{text}");
        assert!(!text.contains("[3/6]"), "stopped at the end of input");
        assert!(text.contains("-- Enter: next section, 2/6 Harvesting"));
        assert!(!text.contains('\u{1b}'));
    }

    #[test]
    fn q_stops_and_a_start_section_is_honoured() {
        let course = content::load(&PackSource::BuiltIn).unwrap().course;
        let mut out = Vec::new();
        read_paged(&mut "q\n\n".as_bytes(), &mut out, &course, 4, 80, Glyphs::UNICODE).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("[5/6]") && !text.contains("[6/6]") && !text.contains("[1/6]"),
            "{text}"
        );
    }
}

#[cfg(test)]
mod input_tests {
    use super::*;

    #[test]
    fn input_that_is_not_text_is_named_with_its_line() {
        let mut input: &[u8] = b"1\n\xff\xfe\n";
        let mut count = 0;
        assert_eq!(read_line(&mut input, &mut count).unwrap().as_deref(), Some("1\n"));
        let e = read_line(&mut input, &mut count).unwrap_err();
        assert!(matches!(InputProblem::of(&e), Some(InputProblem::NotText { line: 2 })));
        assert_eq!(e.to_string(), "line 2 is not UTF-8 text");
        assert_eq!(read_line(&mut &b""[..], &mut count).unwrap(), None);
    }
}
